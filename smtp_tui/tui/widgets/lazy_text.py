"""Text that is wrapped once per width and drawn a line at a time, as the pane shows it.

A `Static` wraps its whole text twice for each new text, once without styles to measure its height
and once to draw it, and makes a strip of every line: a code's document is about 100 lines at the
width of an 80-column terminal, of which the pane shows about 20. `LazyText` wraps once, with its
styles, measures the height from those lines, and makes the strip of a line when the compositor
first asks for it. The strips are Textual's own (`Content` lines, `Visual.to_strips` per line), so
what is drawn does not change: `tests/app/test_lazy_text.py` compares both, line for line.

Pinned to textual 8.2.8: it stands in for `Widget._render_content` and `Visual.to_strips`
(https://github.com/Textualize/textual/blob/v8.2.8/src/textual/widget.py#L4242,
https://github.com/Textualize/textual/blob/v8.2.8/src/textual/visual.py#L191). Whatever it does not
handle (a text selection, a line pad, other alignment, a visual that is not `Content`) goes through
Textual's own path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, overload

from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget, _RenderCache
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.content import _FormattedLine
    from textual.geometry import Size
    from textual.style import Style


class LazyStrips(Sequence[Strip]):
    """The strips of wrapped lines, each made when first asked for."""

    def __init__(self, widget: Widget, lines: Sequence[_FormattedLine], style: Style) -> None:
        self._widget = widget
        self._lines = lines
        self._style = style
        self._strips: dict[int, Strip] = {}
        self.made = 0
        """Strips made so far: the guard tests count them."""

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> Strip: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Strip]: ...

    def __getitem__(self, index: int | slice) -> Strip | Sequence[Strip]:
        if isinstance(index, slice):
            return [self[y] for y in range(*index.indices(len(self._lines)))]
        if index < 0:
            index += len(self._lines)
        strip = self._strips.get(index)
        if strip is None:
            if not 0 <= index < len(self._lines):
                raise IndexError(index)  # Widget.render_line draws a blank line then
            strip = self._strips[index] = self._make(self._lines[index])
        return strip

    def _make(self, line: _FormattedLine) -> Strip:
        widget = self._widget
        strip = Strip(*line.to_strip(self._style))
        if widget.auto_links and not widget.screen._selecting:
            strip = strip._apply_link_style(widget.link_style)
        self.made += 1
        return strip


class LazyText(Static):
    """A `Static` whose text is wrapped once per width and drawn only where it is seen."""

    _wrapped: tuple[Content, int, tuple[object, ...], list[_FormattedLine]] | None = None
    """The text, width and text rules last wrapped, and the lines they gave."""

    def _lines(self, width: int) -> list[_FormattedLine] | None:
        """The text's lines at `width`, or None where Textual's own path must draw it."""
        visual = self._render()
        styles = self.styles
        if (
            not isinstance(visual, Content)
            or self.text_selection is not None
            or styles.line_pad
            or styles.content_align != ("left", "top")
            or self.is_container
        ):
            return None
        rules = (styles.text_align, styles.text_overflow, styles.text_wrap)
        wrapped = self._wrapped
        if (
            wrapped is not None
            and wrapped[0] is visual
            and wrapped[1] == width
            and wrapped[2] == rules
        ):
            return wrapped[3]
        lines = visual._wrap_and_format(
            width,
            align=styles.text_align,
            overflow=styles.text_overflow,
            no_wrap=styles.text_wrap == "nowrap",
            get_style=self._get_style,
        )
        self._wrapped = (visual, width, rules, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        lines = self._lines(width) if width else None
        if lines is None:
            return super().get_content_height(container, viewport, width)
        return len(lines)

    def _render_content(self) -> None:
        width, height = self.size
        lines = self._lines(width) if width else None
        if lines is None:
            super()._render_content()
            return
        strips = LazyStrips(self, lines[:height], self.visual_style)
        self._render_cache = _RenderCache(self.size, strips)  # type: ignore[arg-type]
        self._dirty_regions.clear()
