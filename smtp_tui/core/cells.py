"""Terminal cell widths: how many columns a terminal gives each character, without Rich.

Terminals (xterm, mlterm, tmux, the Linux console's programs) place text by the C library's
``wcwidth``, whose rules glibc generates from Unicode: nonspacing and enclosing marks (Mn, Me),
format characters (Cf, except the soft hyphen), the Hangul medial and final jamo and U+200B
take no cell; East Asian Wide and Fullwidth characters take two; every other printable character
takes one. Spacing marks (category Mc: the Devanagari vowel signs ा ि ी ो, and their kin in
Bengali, Tamil, Myanmar…) are therefore one cell, as terminals draw them, where Rich's table
says zero.

This module follows those rules from the standard library's ``unicodedata`` (Unicode 14 in
Python 3.11, as in glibc 2.36), so the CLI, which never loads Rich, measures what the terminal
draws; ``smtp_tui.tui.terminal_cells`` teaches Rich the same widths for the browser.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ZERO_WIDTH_CATEGORIES = frozenset(("Mn", "Me", "Cf", "Cc", "Cs", "Zl", "Zp"))

_DRAWN_FORMAT_CHARACTERS = frozenset("\u00ad\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f")
"""Format characters glibc draws anyway: the soft hyphen and the Arabic and Syriac number signs."""
_DRAWN_FORMAT_CHARACTERS |= frozenset("\u0890\u0891\u08e2\U000110bd\U000110cd")

_ALSO_WIDE = ((0x3248, 0x324F), (0x4DC0, 0x4DFF))
"""Ambiguous-width symbols glibc makes wide: circled numbers on black squares, Yijing hexagrams."""


@lru_cache(maxsize=4096)
def char_width(character: str) -> int:
    """Cells a terminal gives one code point: 0, 1 or 2 (controls count as 0, not -1)."""
    code = ord(character)
    if character in _DRAWN_FORMAT_CHARACTERS:
        return 1
    if unicodedata.category(character) in _ZERO_WIDTH_CATEGORIES:
        return 0
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF or code == 0x200B:
        return 0  # Hangul jamo that join the syllable before them, and the zero width space
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return 2
    return 2 if any(start <= code <= end for start, end in _ALSO_WIDE) else 1


def cell_len(text: str) -> int:
    """Cells `text` takes on one line of a terminal (no tabs or newlines in it)."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def ljust(text: str, width: int) -> str:
    """`text` padded with spaces to `width` cells, as ``str.ljust`` does for code points."""
    return text + " " * max(0, width - cell_len(text))
