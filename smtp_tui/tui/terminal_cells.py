"""Teach Rich and Textual to measure and break text as a terminal draws it, once, at start-up.

Two small, deliberate patches of the libraries (pinned: textual 8.2.8, rich 15), both installed
by ``install()`` when the browser starts:

1. **Spacing marks take a cell.** Rich's width table gives every combining mark zero cells,
   spacing marks (category Mc) included, so ``cell_len("सहायता")`` is 4 where glibc's
   ``wcwidth``, tmux, xterm and mlterm draw 6: Hindi lines overflow, words are cut and the pane's
   divider shifts. We rewrite the Mc entries of Rich's table to the width terminals give them
   (``smtp_tui.cells``). Only Mc: nonspacing marks (Thai vowels above and below, the virama) are
   zero in terminals too, and emoji widths are left to Rich, since terminals disagree on those.
2. **CJK lines break between characters, by the rules of Japanese and Chinese.** Textual wraps
   ``Content`` with ``rich._wrap.divide_line``, which breaks only at spaces and chops a longer
   run anywhere: numbers split (``。4`` / ``52の``), lines start with ``、`` or ``ー``, and a run
   that does not fit the rest of a line leaves that line half empty. Text with CJK characters
   goes through ``smtp_tui.line_breaking`` instead; all other text keeps Rich's breaks exactly.
"""

from __future__ import annotations

import unicodedata

import rich.cells
import textual.content
from rich._unicode_data import load as load_cell_table
from rich._wrap import divide_line as rich_divide_line

from ..cells import char_width
from ..line_breaking import has_cjk, line_starts

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
    """``rich._wrap.divide_line``, with CJK line-breaking rules where the text has CJK in it."""
    if not has_cjk(text):
        return rich_divide_line(text, width, fold)
    return line_starts(text, width, fold=fold, char_width=rich.cells.get_character_cell_size)


def install() -> None:
    """Apply both patches; calling it again does nothing."""
    global _installed
    if _installed:
        return
    table = load_cell_table()
    widths = table.widths
    if isinstance(widths, list):
        widths[:] = _with_spacing_marks(widths)
    rich.cells.get_character_cell_size.cache_clear()
    rich.cells.cached_cell_len.cache_clear()
    textual.content.divide_line = _divide_line  # type: ignore[attr-defined]
    _installed = True
