"""The panes on the right: one code in detail, or the comparison of two.

Both only render what the screen hands them; all text from the data goes in as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smtp_tui.core import i18n
from smtp_tui.core.display import Block, CodeRows, Document, Parts, Points, Section, Text
from smtp_tui.core.display.code import code_document
from smtp_tui.core.model import Code, Comparison
from smtp_tui.core.overview import Overview, overview
from smtp_tui.core.repository import Repository
from smtp_tui.tui.styles import CLASS_STYLES, HEADING, MUTED
from smtp_tui.tui.widgets import document as content
from smtp_tui.tui.widgets.guards import KeysFollowFocus
from smtp_tui.tui.widgets.key_bar import binding_label, binding_tip, first_key
from smtp_tui.tui.widgets.lazy_text import LazyText
from smtp_tui.tui.widgets.lit_list import LitOptionList
from smtp_tui.tui.widgets.provider_uses import provider_uses_of

LABEL = content.LABEL

RELATED_KEYS = 9
"""Related codes open with the keys 1-9."""


class LaidOutOnce:
    """A widget whose new size, found by a layout, does not ask for another layout.

    Textual's `_size_updated` sets `virtual_size`, a reactive with ``layout=True``: every widget of
    the detail pane whose height changed with the code shown asked for a second layout, and the
    second layout a frame of its own after the keystroke's (about 16-30 ms later). The size came
    from the layout that just ran, so there is nothing left to lay out; scrollbars are still
    updated (`_scroll_update`), as Textual does when a scroll asks for a layout:
    https://github.com/Textualize/textual/blob/v8.2.8/src/textual/widget.py#L4110

    A mixin, named before the widget class: Textual inherits CSS along the first `DOMNode` base.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        updated: bool = super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False
        )
        if updated:
            self._draw_scrollbars_now()
        return updated

    def _draw_scrollbars_now(self) -> None:
        """Scrollbars whose thumb the new size moved, drawn in the frame being drawn.

        `_size_updated` runs inside the layout, after the compositor chose what to redraw, so a
        scrollbar's new thumb waited for a frame of its own, 16-33 ms later: its region is
        marked for this frame instead, and no second repaint is asked for (Textual 8.2.8,
        `Screen._refresh_layout` calls `_compositor_refresh` after the sizes are updated).
        """
        bars = [
            bar
            for bar in (
                getattr(self, "_vertical_scrollbar", None),
                getattr(self, "_horizontal_scrollbar", None),
            )
            if bar is not None and bar._repaint_required and bar.display
        ]
        if bars:
            self.screen._compositor.update_widgets(set(bars))  # type: ignore[attr-defined]
            for bar in bars:
                bar._repaint_required = False


class PaneText(LaidOutOnce, LazyText):
    """A block of a pane's text (a code's, or a comparison's), drawn only where it is seen; its
    new size asks for no second layout (`LaidOutOnce`)."""


def _is_rows(part: Section) -> bool:
    """A section of codes to open: the pane shows it as a list to move through, not as text."""
    return any(isinstance(item, CodeRows) for item in part.blocks)


class PaneRow(LaidOutOnce, Horizontal):
    """Widgets side by side in a pane: a point's marker and text, the two codes compared."""


class PaneColumn(LaidOutOnce, Vertical):
    """Widgets one under the other in a pane."""


def point(marker: str, text: Text) -> Horizontal:
    """A numbered or bulleted point whose wrapped lines hang under its text, not its marker."""
    return PaneRow(
        PaneText(Content.styled(marker, LABEL), classes="marker", markup=False),
        PaneText(content.runs(text), classes="text", markup=False),
        classes="point",
    )


def block_widgets(item: Block) -> list[Widget]:
    """A block as widgets: points with hanging indents, anything else as its text."""
    if isinstance(item, Points):
        widgets: list[Widget] = []
        if item.label:
            widgets.append(PaneText(Content.styled(item.label, LABEL), markup=False))
        for number, text in enumerate(item.items, start=1):
            widgets.append(point(content.marker(item, number), text))
        return widgets
    return [PaneText(content.block(item), markup=False)]


def link_options(sections: Sequence[Section]) -> list[Option]:
    """The document's codes to open, under their headings; the first nine also take 1-9."""
    options: list[Option] = []
    number = 0
    for part in sections:
        if part.heading:
            options.append(Option(Content.styled(part.heading, HEADING), disabled=True))
        for item in part.blocks:
            if not isinstance(item, CodeRows):
                continue
            for row in item.rows:
                number += 1
                key = f" {number} " if number <= RELATED_KEYS else "   "
                prompt = Content.assemble(
                    (key, "reverse" if number <= RELATED_KEYS else ""),
                    " ",
                    (f"{row.code:<7}", CLASS_STYLES.get(row.tone, "bold")),
                    " ",
                    row.name,
                    (f"  {row.note}" if row.note else "", f"italic {HEADING}"),
                )
                options.append(Option(prompt, id=row.code))
    return options


def overview_body(overview: Overview, keys: Sequence[tuple[str, str, str]]) -> Content:
    """The overview above its list of common codes: the digits and the keys to start with;
    `keys` as (key, label, what it does)."""
    parts = [
        Content.styled(overview.title, "bold"),
        Content(""),
        Content(overview.digits),
        Content(""),
        Content(overview.enhanced),
        content.heading(overview.keys_heading),
    ]
    width = max((len(key) for key, _, _ in keys), default=0)
    for key, label, tip in keys:
        parts.append(
            Content.assemble((f" {key:<{width}} ", "reverse"), " ", (label, LABEL), f"  {tip}")
        )
    return content.lines(*parts)


def overview_classes(overview: Overview) -> Content:
    """The overview below its list of common codes: the classes, with their counts."""
    parts = []
    for title, lines in (
        (overview.reply_heading, overview.reply_classes),
        (overview.status_heading, overview.status_classes),
    ):
        parts.append(content.heading(title))
        for line in lines:
            count = (f" · {line.counted}", MUTED) if line.counted else ""
            parts.append(
                Content.assemble(
                    (line.label, CLASS_STYLES[line.tone]),
                    " ",
                    (line.title, LABEL),
                    count,
                    (i18n.label(""), MUTED),
                    line.meaning,
                )
            )
    parts.append(Content.styled(overview.registry, f"italic {MUTED}"))
    return content.lines(*parts)


def overview_options(overview: Overview) -> list[Option]:
    """The common codes as rows to open, under their heading."""
    options = [Option(Content.styled(overview.common_heading, HEADING), disabled=True)]
    for code in overview.common:
        prompt = Content.assemble((f"{code.code:<7}", CLASS_STYLES[code.tone]), " ", code.name)
        options.append(Option(prompt, id=code.code))
    return options


class LinkList(KeysFollowFocus, LaidOutOnce, LitOptionList):
    """The detail pane's related codes: `enter` or a click opens one."""

    DEFAULT_CSS = """
    LinkList {
        height: auto;
        border: none;
        padding: 0;
        margin-top: 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &:focus { border: none; background-tint: $foreground 4%; }
    }
    """

    @dataclass
    class Chosen(Message):
        """A related code to open, by its code."""

        code: str

    _filling = False
    """True while `fill` runs: the list's size is still the last code's."""

    def fill(self, options: list[Option]) -> None:
        """Show `options` with the first code highlighted (the first row is a heading).

        The scrollbars wait for the layout that sizes the list: measured against the last code's
        height, a longer list showed a scrollbar that the layout took away again, each change a
        layout and a frame of its own after the keystroke's.
        """
        self._filling = True
        try:
            self.set_options(options)
            self.display = bool(options)
            if options:
                self.highlighted = 1
        finally:
            self._filling = False

    def _refresh_scrollbars(self) -> None:
        if not self._filling:
            super()._refresh_scrollbars()

    _rows_width: int | None = None
    """The width the rows were last laid out for."""

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        """Rows are laid out by width: a new height (another code's list) keeps them.

        `OptionList._on_resize` drops and repaints every row at each resize, a frame of its own
        after the keystroke that changed the list's length:
        https://github.com/Textualize/textual/blob/v8.2.8/src/textual/widgets/_option_list.py#L712
        """
        event.prevent_default()
        if event.size.width != self._rows_width:
            self._rows_width = event.size.width
            self._clear_caches()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))


class DetailPane(KeysFollowFocus, LaidOutOnce, VerticalScroll, can_focus=True):
    """One code in full, or an empty state; focusable so `enter` from the list lets the user
    scroll it. The screen binds `code` and `notice` (`data_bind`); this pane renders them."""

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        background: $surface;
        & > Static { width: 1fr; }
        &:focus { background-tint: $foreground 4%; }
    }
    """

    HELP_KEY = "help.detail"
    """The catalogue's help section on this pane; the help screen shows it."""

    code: reactive[Code | None] = reactive(None, init=False)
    """The code shown; with none, the notice, or the overview when there is no notice."""
    notice: reactive[str] = reactive("", init=False)
    """An empty state (a search that matched nothing); it may hold the user's query."""

    def __init__(
        self,
        repository: Repository,
        commands: Sequence[BindingType] = (),
        *,
        id: str | None = None,
    ) -> None:
        """`commands`: the screen's bindings, for the keys the overview names."""
        super().__init__(id=id)
        self.repository = repository
        self.commands = commands
        self.pictures = 0
        """Pictures built since start (code, notice or overview): the guard tests count them."""

    def compose(self) -> ComposeResult:
        yield PaneText(id="detail-body", markup=False)
        yield LinkList(id="links", markup=False)
        yield PaneText(id="detail-more", markup=False)

    _shown_notice: str | None = None
    """The notice on show ("" for the overview), None while a code is: binding `code` and
    `notice` calls both watchers, and one picture is enough."""

    def watch_code(self) -> None:
        self._show()

    def watch_notice(self) -> None:
        if self.code is None and self.notice != self._shown_notice:
            self._show()

    def _show(self) -> None:
        # The binding first delivers the screen's values after this pane is composed.
        self.pictures += 1
        if self.code is not None:
            self._shown_notice = None
            self._show_code(self.code)
            return
        self._shown_notice = self.notice
        if self.notice:
            self._show_notice(self.notice)
        else:
            self._show_overview()

    def _show_code(self, code: Code) -> None:
        related, counterpart = self.repository.related(code), self.repository.counterpart(code)
        self.query_one("#detail-more", Static).display = False
        # What providers mean by it: the browser's cached provider index, read once a session.
        document = code_document(code, related, counterpart, provider_uses_of(code.code))
        text = [content.section(part) for part in document.sections if not _is_rows(part)]
        self.query_one("#detail-body", Static).update(
            content.lines(content.header(document), *text)
        )
        self.query_one(LinkList).fill(
            link_options([part for part in document.sections if _is_rows(part)])
        )
        self.scroll_home(animate=False)

    def _show_notice(self, text: str) -> None:
        """The text may hold the user's query, so it is never markup."""
        self.query_one("#detail-body", Static).update(Content.styled(text, f"italic {MUTED}"))
        self.query_one(LinkList).display = False
        self.query_one("#detail-more", Static).display = False

    def _show_overview(self) -> None:
        about = overview(self.repository)
        by_id = {b.id: b for b in self.commands if isinstance(b, Binding) and b.id}
        chosen = [by_id[wanted] for wanted in about.keys if wanted in by_id]
        keys = [(first_key(self.app, b), binding_label(b), binding_tip(b)) for b in chosen]
        self.query_one("#detail-body", Static).update(overview_body(about, keys))
        more = self.query_one("#detail-more", Static)
        more.update(overview_classes(about))
        more.display = True
        self.query_one(LinkList).fill(overview_options(about))
        self.scroll_home(animate=False)


class ComparePane(KeysFollowFocus, LaidOutOnce, VerticalScroll, can_focus=True):
    """Two codes compared: summary, both codes side by side (stacked when narrow), differences."""

    DEFAULT_CSS = """
    ComparePane {
        padding: 0 1;
        background: $surface;
        &:focus { background-tint: $foreground 4%; }
        #compare-codes { height: auto; layout: horizontal; }
        #compare-rest { height: auto; }
        .point { height: auto; }
        .point > .marker { width: auto; }
        .point > .text { width: 1fr; }
        #compare-codes > Static { width: 1fr; height: auto; padding: 0 1 0 0; }
        #compare-second { padding: 0 0 0 1; border-left: vkey $panel-lighten-2; }
        &.-stacked #compare-codes { layout: vertical; }
        &.-stacked #compare-second { border-left: none; padding: 0; margin-top: 1; }
    }
    """

    HELP_KEY = "help.compare"

    comparison: reactive[Comparison | None] = reactive(None, init=False)
    """The comparison as shown, in its own order (a swapped view is built the other way); the
    screen binds it. None leaves the last one: the pane is hidden then."""

    def compose(self) -> ComposeResult:
        yield PaneText(id="compare-summary", markup=False)
        with PaneRow(id="compare-codes"):
            yield PaneText(id="compare-first", markup=False)
            yield PaneText(id="compare-second", markup=False)
        yield PaneColumn(id="compare-rest")

    def watch_comparison(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        # Imported on first use: the first screen shows no comparison (tests/app/test_startup.py).
        from smtp_tui.core.display.comparison import comparison_document

        document = comparison_document(comparison)
        before: list[Content] = [content.runs(document.title)]
        rest: list[Widget] = []
        columns: tuple[Document, ...] = ()
        for part in document.sections:
            parts = [item for item in part.blocks if isinstance(item, Parts)]
            if parts and not columns and not rest:
                columns = parts[0].documents
            elif columns:
                if part.heading:
                    rest.append(PaneText(content.heading(part.heading), markup=False))
                for item in part.blocks:
                    rest += block_widgets(item)
            else:
                before.append(content.section(part))
        self.query_one("#compare-summary", Static).update(content.lines(*before, Content("")))
        for widget_id, inner in zip(("#compare-first", "#compare-second"), columns, strict=False):
            self.query_one(widget_id, Static).update(
                content.lines(
                    content.header(inner), *(content.section(part) for part in inner.sections)
                )
            )
        container = self.query_one("#compare-rest", Vertical)
        container.remove_children()
        container.mount_all(rest)
        self.scroll_home(animate=False)
