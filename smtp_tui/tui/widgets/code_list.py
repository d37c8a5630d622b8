"""The searchable code list: an `OptionList` row per code, coloured by class, matches underlined."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from smtp_tui.core import i18n
from smtp_tui.core.model import Code
from smtp_tui.core.search import CodeView
from smtp_tui.core.text import match_spans
from smtp_tui.tui.styles import CLASS_STYLES, MATCH, MUTED, PICKED
from smtp_tui.tui.widgets.lit_list import LitOptionList

MORE_ID = "more"
"""Id of the disabled row that says how many matches are not shown."""

MAX_ROWS = 200
"""Rows rendered at most: `OptionList` measures every option, so refilling with thousands lags."""


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


class CodeList(LitOptionList):
    """The codes of the current view; speaks in codes, not option indexes."""

    DEFAULT_CSS = """
    CodeList {
        height: 1fr;
        border: none;
        padding: 0;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        /* No focus border: it would shift every row by one line as focus comes and goes. */
        &:focus { border: none; background-tint: $foreground 4%; }
    }
    """

    HELP_KEY = "help.list"

    @dataclass
    class CodeHighlighted(Message):
        """The highlight moved to a code (by key, by mouse or by a refill)."""

        code: Code

    @dataclass
    class CodeChosen(Message):
        """Enter or a click on a code: the user wants to read it."""

        code: Code

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._view: CodeView | None = None
        self._picked: frozenset[str] = frozenset()

    @property
    def view(self) -> CodeView | None:
        return self._view

    @property
    def highlighted_code(self) -> Code | None:
        if self._view is None or self.highlighted is None:
            return None
        if self.highlighted >= min(len(self._view), MAX_ROWS):
            return None
        return self._view[self.highlighted]

    def show(
        self, view: CodeView, keep: str | None = None, picked: frozenset[str] = frozenset()
    ) -> None:
        """Fill the list with `view`, highlighting `keep` if it is shown, else the best match."""
        self._view = view
        self._picked = picked
        shown = view.codes[:MAX_ROWS]
        options = [
            Option(row_prompt(code, view.query, code.code in picked), id=code.code)
            for code in shown
        ]
        hidden = len(view) - len(shown)
        if hidden > 0:
            options.append(
                Option(
                    Content.styled(f"  {i18n.plural('ui.more', hidden)}", f"italic {MUTED}"),
                    id=MORE_ID,
                    disabled=True,
                )
            )
        index = 0
        if keep is not None:
            for position, code in enumerate(shown):
                if code.code == keep:
                    index = position
                    break
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            # A refilled OptionList highlights nothing: set it, or Enter does nothing and the
            # pane on the right goes stale.
            self.highlighted = index if shown else None
        if shown:
            self.post_message(self.CodeHighlighted(shown[index]))

    def select_code(self, code: str) -> bool:
        """Move the highlight to `code`; False when it is not among the rows shown."""
        if self._view is None:
            return False
        for position, entry in enumerate(self._view.codes[:MAX_ROWS]):
            if entry.code == code:
                self.highlighted = position
                self.scroll_to_highlight()
                return True
        return False

    def set_picked(self, picked: frozenset[str]) -> None:
        """Redraw only the rows whose pick mark changed."""
        if self._view is None:
            return
        changed = picked ^ self._picked
        self._picked = picked
        for position, code in enumerate(self._view.codes[:MAX_ROWS]):
            if code.code in changed:
                prompt = row_prompt(code, self._view.query, code.code in picked)
                self.replace_option_prompt_at_index(position, prompt)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        code = self.highlighted_code
        if code is not None:
            self.post_message(self.CodeHighlighted(code))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        code = self.highlighted_code
        if code is not None:
            self.post_message(self.CodeChosen(code))
