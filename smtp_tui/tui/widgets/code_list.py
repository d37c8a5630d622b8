"""The searchable code list: a row per code, coloured by class, matches underlined.

A line-API widget (`ScrollView` + `render_line`): a new search only swaps the view it holds, and
the rows are built when a frame draws them, so a keystroke costs the rows on screen, not the rows
found. (An `OptionList` builds and measures an option for every row on each refill: about twice
the time of the whole keystroke in a bare app, issue 14.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widgets.option_list import Option, OptionDoesNotExist

from smtp_tui.core import i18n
from smtp_tui.core.model import Code
from smtp_tui.core.rtl import has_rtl
from smtp_tui.core.search import CodeView
from smtp_tui.core.text import match_spans
from smtp_tui.tui.styles import CLASS_STYLES, MATCH, MUTED, PICKED
from smtp_tui.tui.terminal_cells import rtl_visual
from smtp_tui.tui.widgets.guards import KeysFollowFocus
from smtp_tui.tui.widgets.lit_list import without_colours

MORE_ID = "more"
"""Id of the disabled row that says how many matches are not shown."""

MAX_ROWS = 200
"""Rows listed at most; the rest are counted in one disabled row at the end."""

ROW = "code-list--row"
HIGHLIGHTED = "code-list--row-highlighted"
DISABLED = "code-list--row-disabled"
HOVER = "code-list--row-hover"


def row_prompt(code: Code, query: str, picked: bool) -> Content:
    """A row: pick mark, code, name, non-standard mark; matched characters highlighted.

    The name is data, so it goes in as plain text and is styled by offsets, never parsed as markup.
    """
    label = f"{code.code} {code.name}"
    text = Content(label).stylize(CLASS_STYLES[code.tone], 0, len(code.code))
    for start, end in match_spans(label, query):
        text = text.stylize(MATCH, start, end)
    parts: list[Content | tuple[str, str]] = [
        ("◆ ", PICKED) if picked else ("  ", ""),
        text,
    ]
    if not code.standard:
        parts.append((f" {i18n.text('code.nonstandard_mark')}", f"italic {MUTED}"))
    return Content.assemble(*parts)


def more_prompt(hidden: int) -> Content:
    """The last row when the view holds more codes than are listed."""
    return Content.styled(f"  {i18n.plural('ui.more', hidden)}", f"italic {MUTED}")


class CodeList(KeysFollowFocus, ScrollView, can_focus=True):
    """The codes of the current view; speaks in codes, not row indexes.

    Looks and keys are those of the `OptionList` it replaced (same theme colours, same bindings);
    the highlighted row is drawn without its own colours, as `LitOptionList` does, so it stays
    readable on every theme's cursor.
    """

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {ROW, HIGHLIGHTED, DISABLED, HOVER}

    DEFAULT_CSS = """
    CodeList {
        height: 1fr;
        border: none;
        padding: 0;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .code-list--row-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        /* No focus border: it would shift every row by one line as focus comes and goes. */
        &:focus {
            border: none;
            background-tint: $foreground 4%;
            & > .code-list--row-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .code-list--row-disabled { color: $text-disabled; }
        & > .code-list--row-hover { background: $block-hover-background; }
    }
    """

    HELP_KEY = "help.list"

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """The highlighted row, or None when the list is empty. (Its watcher redraws two rows.)"""
    _hover: reactive[int | None] = reactive(None, repaint=False)
    """The row under the mouse."""

    @dataclass
    class CodeHighlighted(Message):
        """The highlight moved to a code (by key, by mouse or by a refill)."""

        code: Code

    @dataclass
    class CodeChosen(Message):
        """Enter or a click on a code: the user wants to read it."""

        code: Code

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.auto_links = False  # rows hold no links: spares a style pass on every row drawn
        self._view: CodeView | None = None
        self._picked: frozenset[str] = frozenset()
        self._codes: tuple[Code, ...] = ()
        """The codes listed (at most `MAX_ROWS`)."""
        self._hidden = 0
        """Codes of the view not listed: counted in the last row."""
        self._strips: dict[tuple[int, str, int], Strip] = {}
        """Rows drawn, by (row, component class, width); emptied when the rows change. Holds
        `MAX_ROWS` rows in four looks at most: no bound needed."""
        self.rows_built = 0
        """Rows drawn since start: what a keystroke costs, counted (the guard test reads it)."""
        self._looks: dict[str, Style] = {}
        """Each component's style, by component: see `_look`."""

    # ------------------------------------------------------------------------------- state

    @property
    def view(self) -> CodeView | None:
        return self._view

    @property
    def option_count(self) -> int:
        """Rows, the "more" row included (the `OptionList` name, which callers already use)."""
        return len(self._codes) + (1 if self._hidden else 0)

    @property
    def highlighted_code(self) -> Code | None:
        index = self.highlighted
        if index is None or index >= len(self._codes):
            return None
        return self._codes[index]

    def get_option_at_index(self, index: int) -> Option:
        """A row as an `Option` (prompt, id, disabled), built on request: for tests and tools."""
        if 0 <= index < len(self._codes):
            code = self._codes[index]
            return Option(self._prompt(index), id=code.code)
        if index == len(self._codes) and self._hidden:
            return Option(more_prompt(self._hidden), id=MORE_ID, disabled=True)
        raise OptionDoesNotExist(f"There is no row {index}")

    def get_option_index(self, code: str) -> int:
        for position, entry in enumerate(self._codes):
            if entry.code == code:
                return position
        raise OptionDoesNotExist(f"There is no row for {code!r}")

    def show(
        self, view: CodeView, keep: str | None = None, picked: frozenset[str] = frozenset()
    ) -> None:
        """List `view`, highlighting `keep` if it is listed, else the best match.

        Builds no row: the next frame draws the rows it shows.
        """
        self._view = view
        self._picked = picked
        self._codes = tuple(view.codes[:MAX_ROWS])
        self._hidden = len(view) - len(self._codes)
        self._strips.clear()
        index = 0
        if keep is not None:
            for position, code in enumerate(self._codes):
                if code.code == keep:
                    index = position
                    break
        self.set_reactive(CodeList.highlighted, index if self._codes else None)
        self._hover = None
        self._update_virtual_size()
        self.scroll_to_highlight()
        self.refresh()
        if self._codes:
            self.post_message(self.CodeHighlighted(self._codes[index]))

    def select_code(self, code: str) -> bool:
        """Move the highlight to `code`; False when it is not among the rows listed."""
        try:
            self.highlighted = self.get_option_index(code)
        except OptionDoesNotExist:
            return False
        self.scroll_to_highlight()
        return True

    def set_picked(self, picked: frozenset[str]) -> None:
        """Redraw only the rows whose pick mark changed."""
        changed = picked ^ self._picked
        self._picked = picked
        for position, code in enumerate(self._codes):
            if code.code in changed:
                self._refresh_row(position, changed=True)

    # ----------------------------------------------------------------------------- drawing

    def _prompt(self, index: int) -> Content:
        code = self._codes[index]
        query = self._view.query if self._view is not None else ""
        return row_prompt(code, query, code.code in self._picked)

    def _refresh_row(self, index: int, changed: bool = False) -> None:
        """Redraw one row; `changed` when its text changed, not only its look."""
        if changed:
            for key in [key for key in self._strips if key[0] == index]:
                del self._strips[key]
        self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))

    def _update_virtual_size(self) -> None:
        """The rows' extent, set without a layout: the list's own size does not depend on it
        (``height: 1fr``), and a layout of the whole screen on each keystroke cost more than the
        rows drawn. The scrollbar still follows (`_scroll_update`)."""
        size = Size(self.scrollable_content_region.width, self.option_count)
        if size != self.virtual_size:
            self.set_reactive(CodeList.virtual_size, size)
            self._scroll_update(size)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= self.option_count or width <= 0:
            return Strip.blank(width, self.get_visual_style(ROW).rich_style)
        if index >= len(self._codes):
            component = DISABLED
        elif index == self.highlighted:
            component = HIGHLIGHTED
        elif index == self._hover:
            component = HOVER
        else:
            component = ROW
        key = (index, component, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._build_row(index, component, width)
            self._strips[key] = strip
        return strip

    def _look(self, component: str) -> Style:
        """The row's style in `component`'s look; Textual works it out afresh at each call
        (about a third of a row's cost), so it is kept until the styles change."""
        look = self._looks.get(component)
        if look is None:
            look = self._looks[component] = self.get_visual_style(*dict.fromkeys((ROW, component)))
        return look

    def _build_row(self, index: int, component: str, width: int) -> Strip:
        self.rows_built += 1
        if index < len(self._codes):
            prompt = self._prompt(index)
            if component == HIGHLIGHTED:
                prompt = without_colours(prompt)
        else:
            prompt = more_prompt(self._hidden)
        style = self._look(component)
        if rtl_visual() and has_rtl(prompt.plain):
            # Shaped and reordered by the patched wrapping (`terminal_cells`).
            strips = Content.to_strips(self, prompt, width, 1, style)
            strip = strips[0] if strips else Strip([])
        else:
            # One line, never wrapped: its segments straight, at a fraction of `to_strips`'
            # cost (which also marks each segment's offset, for text selection: none here).
            if prompt.cell_length > width:
                prompt = prompt.truncate(width, ellipsis=True)
            strip = Strip(prompt.render_segments(style), prompt.cell_length)
        return strip.extend_cell_length(width, style.rich_style)

    def notify_style_update(self) -> None:
        self._strips.clear()
        self._looks.clear()
        self.refresh()
        super().notify_style_update()

    def _on_resize(self, _: events.Resize) -> None:
        self._strips.clear()
        self._update_virtual_size()
        self.scroll_to_highlight()

    def on_mount(self) -> None:
        self._update_virtual_size()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # `ScrollView._size_updated` compares the layout's container size, scrollbar included,
        # with its own, scrollbar excluded: while the scrollbar shows they never match, and
        # every layout of the screen (each keystroke's) redraws the scrollbar in a frame of
        # its own. The list sets its virtual size itself, so an unchanged size is no change:
        # https://github.com/Textualize/textual/blob/v8.2.8/src/textual/scroll_view.py#L96
        if size == self._size and self.container_size == size - self.styles.gutter.totals:
            return False
        return super()._size_updated(size, virtual_size, container_size, layout)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self._refresh_row(index)
        if new is not None:
            self.scroll_to_highlight()
            code = self.highlighted_code
            if code is not None:
                self.post_message(self.CodeHighlighted(code))

    def watch__hover(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self._refresh_row(index)

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._codes:
            return None
        return max(0, min(highlighted, len(self._codes) - 1))

    def scroll_to_highlight(self) -> None:
        # Before the list has a size, every row is "out of view": wait for `on_show`.
        if self.highlighted is None or not self.is_mounted or not self.scrollable_content_region:
            return
        self.scroll_to_region(
            Region(0, self.highlighted, self.scrollable_content_region.width, 1),
            force=True,
            animate=False,
            immediate=True,
        )

    # ------------------------------------------------------------------------------- input

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = self.scroll_offset.y + offset.y
        return index if 0 <= index < self.option_count else None

    async def _on_click(self, event: events.Click) -> None:
        index = self._row_at(event)
        if index is not None and index < len(self._codes):
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = self._row_at(event)

    def _on_leave(self, _: events.Leave) -> None:
        self._hover = None

    def action_cursor_up(self) -> None:
        """Up from the first code wraps to the last, as in an `OptionList`."""
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: int) -> None:
        count = len(self._codes)
        if not count:
            return
        if self.highlighted is None:
            self.highlighted = 0 if direction > 0 else count - 1
        else:
            self.highlighted = (self.highlighted + direction) % count

    def action_first(self) -> None:
        if self._codes:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._codes:
            self.highlighted = len(self._codes) - 1

    def _move_page(self, direction: int) -> None:
        # No room to show a row (a tiny window): nothing to page through.
        height = self.scrollable_content_region.height
        if height and self.highlighted is not None:
            self.highlighted += direction * height

    def action_page_up(self) -> None:
        if self.highlighted is None:
            self.action_first()
        else:
            self._move_page(-1)

    def action_page_down(self) -> None:
        if self.highlighted is None:
            self.action_last()
        else:
            self._move_page(1)

    def action_select(self) -> None:
        code = self.highlighted_code
        if code is not None:
            self.post_message(self.CodeChosen(code))
