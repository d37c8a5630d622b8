"""Teach Rich and Textual to measure and break text as a terminal draws it, once, at start-up.

Two small, deliberate patches of the libraries (pinned: textual 8.2.8, rich 15), both installed
by ``install()`` when the browser starts:

1. **Spacing marks take a cell.** Rich's width table gives every combining mark zero cells,
   spacing marks (category Mc) included, so ``cell_len("सहायता")`` is 4 where glibc's
   ``wcwidth``, tmux, xterm and mlterm draw 6: Hindi lines overflow, words are cut and the pane's
   divider shifts. We rewrite the Mc entries of Rich's table to the width terminals give them
   (``smtp_tui.core.cells``). Only Mc: nonspacing marks (Thai vowels above and below, the
   virama) are zero in terminals too, and emoji widths are left to Rich, since terminals disagree
   on those.
2. **CJK lines break between characters, by the rules of Japanese and Chinese.** Textual wraps
   ``Content`` with ``rich._wrap.divide_line``, which breaks only at spaces and chops a longer
   run anywhere: numbers split (``。4`` / ``52の``), lines start with ``、`` or ``ー``, and a run
   that does not fit the rest of a line leaves that line half empty. Text with CJK characters
   goes through ``smtp_tui.core.line_breaking`` instead; all other text keeps Rich's breaks exactly.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

import rich.cells
import textual.content
from rich._unicode_data import load as load_cell_table
from rich._wrap import divide_line as rich_divide_line

from smtp_tui.core import rtl
from smtp_tui.core.cache_home import read_marshalled, write_marshalled
from smtp_tui.core.cells import char_width
from smtp_tui.core.line_breaking import has_cjk, line_starts

_installed = False


def _with_spacing_marks(widths: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Rich's (start, end, width) ranges with each zero-width spacing mark given its cells."""
    result: list[tuple[int, int, int]] = []
    for start, end, width in widths:
        if width != 0:
            result.append((start, end, width))
            continue
        for code in range(start, end + 1):
            character = chr(code)
            cells = char_width(character) if unicodedata.category(character) == "Mc" else 0
            if result and result[-1][1] == code - 1 and result[-1][2] == cells:
                result[-1] = (result[-1][0], code, cells)
            else:
                result.append((code, code, cells))
    return result


def _divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """``rich._wrap.divide_line``, with CJK line-breaking rules where the text has CJK in it.

    At least one cell wide: a pane squeezed to nothing (the explain screen at 1x1) asks for
    width 0, and Rich's folding then steps through the text by 0 and raises."""
    width = max(1, width)
    if not has_cjk(text):
        return rich_divide_line(text, width, fold)
    return line_starts(text, width, fold=fold, char_width=rich.cells.get_character_cell_size)


_rtl_visual = False
"""Whether right-to-left lines are shaped and reordered here (see `smtp_tui.core.rtl`)."""

_original_wrap_and_format = textual.content.Content._wrap_and_format


def set_rtl_visual(visual: bool) -> None:
    """Shape and reorder right-to-left lines ourselves (True), or leave them to the terminal."""
    global _rtl_visual
    _rtl_visual = visual


def rtl_visual() -> bool:
    return _rtl_visual


def displayed(text: str) -> str:
    """One line of text as it must be handed to a widget that draws it itself (an `Input`'s
    placeholder): shaped and reordered when we lay out right-to-left text."""
    if not _rtl_visual or not rtl.has_rtl(text):
        return text
    shaped = rtl.shape(text)
    return rtl.visual_order(shaped, rtl.is_rtl_paragraph(shaped))[0]


def _shaped(content: textual.content.Content) -> textual.content.Content:
    """`content` with its Arabic letters joined, its styles moved along with them."""
    shaped, where = rtl.shape_with_map(content.plain)
    if shaped == content.plain:
        return content
    spans = [
        textual.content.Span(where[span.start], where[span.end], span.style)
        for span in content.spans
        if where[span.start] < where[span.end]
    ]
    return textual.content.Content(shaped, spans=spans)


def _reordered(content: textual.content.Content, right_to_left: bool) -> textual.content.Content:
    """One displayed line in visual order, each character keeping its styles."""
    drawn, order = rtl.visual_order(content.plain, right_to_left)
    spans = []
    for span in content.spans:
        start = None
        for position, index in enumerate(order):
            inside = span.start <= index < span.end
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                spans.append(textual.content.Span(start, position, span.style))
                start = None
        if start is not None:
            spans.append(textual.content.Span(start, len(order), span.style))
    return textual.content.Content(drawn, spans=spans)


def _wrap_and_format(
    self: textual.content.Content,
    width: int,
    *args: Any,  # noqa: ANN401 (Textual's own parameters, passed through)
    **kwargs: Any,  # noqa: ANN401
) -> list[textual.content._FormattedLine]:
    """Textual's wrapping, with right-to-left paragraphs shaped before and reordered after.

    Shaping comes first so that wrapping measures the letters drawn; each displayed line is
    then reordered on its own (the bidirectional algorithm works per line once wrapped) and
    aligned to the right, where a right-to-left reader starts.
    """
    if not _rtl_visual or not rtl.has_rtl(self.plain):
        return _original_wrap_and_format(self, width, *args, **kwargs)
    shaped = _shaped(self)
    # Each logical line is a paragraph with its own direction (its first strong letter).
    directions = [rtl.is_rtl_paragraph(line) for line in shaped.plain.split("\n")]
    lines = _original_wrap_and_format(shaped, width, *args, **kwargs)
    for line in lines:
        right_to_left = directions[line.y] if line.y < len(directions) else True
        if rtl.has_rtl(line.content.plain) or right_to_left:
            line.content = _reordered(line.content, right_to_left)
            if right_to_left and line.align in ("left", "start"):
                line.align = "right"
    return lines


WIDTHS_FILE = "cell-widths.marshal"
_WIDTHS_VERSION = 1
"""Raised when `_with_spacing_marks` changes what it gives, so the kept table is stale."""


def _cell_widths(widths: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """`_with_spacing_marks(widths)`, kept in the cache folder between runs.

    Working it out asks Unicode's category of each of the 6,700 code points Rich gives no cell,
    and those lookups bring about 0.3 MiB of Python's Unicode tables into memory (and 1.7 ms) at
    every start (issue 14). The table depends only on Rich's table and Python's Unicode data.
    """
    key = (_WIDTHS_VERSION, unicodedata.unidata_version, sys.version, hash(tuple(widths)))
    kept = read_marshalled(WIDTHS_FILE, key)
    if isinstance(kept, list) and all(_is_range(entry) for entry in kept):
        return kept  # as written (a file of the right key but another shape is worked out again)
    result = _with_spacing_marks(widths)
    write_marshalled(WIDTHS_FILE, key, result)
    return result


def _is_range(entry: object) -> bool:
    """(start, end, width), as Rich's table holds them."""
    return type(entry) is tuple and len(entry) == 3 and all(type(number) is int for number in entry)


def install() -> None:
    """Apply both patches; calling it again does nothing."""
    global _installed
    if _installed:
        return
    table = load_cell_table()
    widths = table.widths
    if isinstance(widths, list):
        widths[:] = _cell_widths(widths)
    rich.cells.get_character_cell_size.cache_clear()
    rich.cells.cached_cell_len.cache_clear()
    textual.content.divide_line = _divide_line  # type: ignore[attr-defined]
    textual.content.Content._wrap_and_format = _wrap_and_format  # type: ignore[method-assign]
    _installed = True
