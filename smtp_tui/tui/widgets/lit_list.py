"""An `OptionList` whose highlighted row is drawn in the cursor's own colours.

A row's own colours (a 5xx in red) cannot be readable on every theme's cursor background and on
the list's background at once; so the highlighted row is re-drawn without them, and gets them back
when the highlight moves on. Two rows are re-rendered per move, never the list.
"""

from __future__ import annotations

from textual.content import Content, Span
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from smtp_tui.tui.widgets.guards import PagedOptionList

ATTRIBUTES = frozenset(("bold", "italic", "underline", "strike", "reverse", "not"))
"""Style words kept on the highlighted row: they carry meaning without a colour."""


def without_colours(content: Content) -> Content:
    """`content` with every colour taken out of its spans, its other attributes kept."""
    spans = []
    for span in content.spans:
        style = span.style
        if isinstance(style, str):
            kept = " ".join(word for word in style.split() if word in ATTRIBUTES)
            spans.append(Span(span.start, span.end, kept))
        else:
            spans.append(Span(span.start, span.end, style.without_color))
    return Content(content.plain, spans=[span for span in spans if span.style != ""])


class LitOptionList(PagedOptionList):
    """See the module: the highlighted row takes the cursor's colours."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lit: tuple[int, Content] | None = None
        """The row drawn lit, and its own prompt to put back."""

    def set_options(self, options: list[Option]) -> OptionList:  # type: ignore[override]
        self._lit = None  # the rows it referred to are gone
        return super().set_options(options)

    def clear_options(self) -> OptionList:  # type: ignore[override]
        self._lit = None
        return super().clear_options()

    def watch_highlighted(self, highlighted: int | None) -> None:
        if self._lit is not None and self._lit[0] != highlighted:
            index, prompt = self._lit
            self._lit = None
            self._replace(index, prompt)
        if highlighted is not None and self._lit is None:
            try:
                option = self.get_option_at_index(highlighted)
            except OptionDoesNotExist:
                option = None
            if option is not None and isinstance(option.prompt, Content):
                self._lit = (highlighted, option.prompt)
                self._replace(highlighted, without_colours(option.prompt))
        super().watch_highlighted(highlighted)

    def _replace(self, index: int, prompt: Content) -> None:
        if 0 <= index < self.option_count:
            OptionList.replace_option_prompt_at_index(self, index, prompt)

    def replace_option_prompt_at_index(self, index: int, prompt: object) -> OptionList:  # type: ignore[override]
        """A new prompt for the lit row becomes its own, and is drawn lit."""
        if self._lit is not None and self._lit[0] == index and isinstance(prompt, Content):
            self._lit = (index, prompt)
            prompt = without_colours(prompt)
        return super().replace_option_prompt_at_index(index, prompt)  # type: ignore[arg-type]
