"""Line breaking by terminal cells, with the line-breaking rules of Chinese and Japanese.

``textwrap`` counts code points and breaks only at spaces: a Japanese paragraph is one "word" of
twice its length in cells. Here lines are measured in cells (``smtp_tui.core.cells``) and text may
break at a space, or between two characters where one is Chinese or Japanese (ideographs, kana,
their punctuation), except where the rules forbid it (JIS X 4051's *kinsoku*, as UAX #14 has
it):

- never before closing brackets, ``、。，．・：；！？``, the prolonged sound mark ``ー``, small
  kana, iteration marks or ``…``;
- never after an opening bracket;
- never inside a run of other characters: a number (``452``), a code (``5.1.1``), a Latin word.

Korean is written with spaces between words and breaks only there (as ``word-break: keep-all``);
so do Hindi, Arabic and Thai (Thai puts spaces between phrases, not words: finding its word
ends would take a dictionary). A run wider than a whole line is folded between characters,
never between a letter and its marks.

Plain Python, no Rich: the CLI uses it as it is; the browser hands it Rich's cell widths
(``smtp_tui.tui.terminal_cells``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from smtp_tui.core.cells import cell_len
from smtp_tui.core.cells import char_width as terminal_char_width

NO_LINE_START = frozenset(
    ")]}）］｝〕〉》」』】〙〗〟’”｠»"  # closing brackets and quotes
    "、。，．,.:;：；!?！？‼⁇⁈⁉%％"  # punctuation that ends a clause
    "・ー…‥〜～゛゜ゝゞ々〻ヽヾ"  # middle dot, prolonged sound mark, ellipsis, iteration marks
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"  # small kana
)
"""Characters a line may not start with (JIS X 4051; UAX #14 classes CL, CP, EX, IS, NS)."""

NO_LINE_END = frozenset("([{（［｛〔〈《「『【〘〖〝‘“｟«")
"""Characters a line may not end with: opening brackets and quotes (UAX #14 class OP)."""

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31C0, 0x31FF),  # CJK strokes, Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF0F),  # fullwidth punctuation (fullwidth digits and letters are word characters)
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
"""Characters between which a line may break (UAX #14 classes ID, CJ and their punctuation)."""

_ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")
_TOKEN = re.compile(r"\x1b\[[0-9;]*m|.", re.DOTALL)
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")
_GLUE = frozenset("\u200d\ufe0e\ufe0f")
"""Zero width joiner and variation selectors: part of the character before them."""

CharWidth = Callable[[str], int]


@lru_cache(maxsize=4096)
def is_cjk(character: str) -> bool:
    code = ord(character)
    return any(start <= code <= end for start, end in _CJK_RANGES)


def has_cjk(text: str) -> bool:
    """Whether `text` needs these rules at all (most text is broken at spaces only)."""
    return not text.isascii() and any(map(is_cjk, text))


class _Cluster:
    """A character with the marks (and ANSI styles) that belong to it: never split.

    A plain class, as `_Piece`: every lookup imports this module, and `dataclasses` alone costs
    a third of a prepared answer (`smtp_tui.cli.prepared`).
    """

    __slots__ = ("base", "cells", "start")

    def __init__(self, start: int, base: str, cells: int) -> None:
        self.start = start
        self.base = base
        self.cells = cells


def _is_space(character: str) -> bool:
    return character.isspace() and character not in _NO_BREAK_SPACES


def _clusters(text: str, char_width: CharWidth) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    after_joiner = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if len(token) > 1:  # an ANSI style: no cells, part of the character before it
            if clusters:
                continue
            clusters.append(_Cluster(match.start(), "", 0))
            continue
        cells = char_width(token)
        joins = token in _GLUE or unicodedata.category(token)[0] == "M" or after_joiner
        if clusters and (joins or not clusters[-1].base):
            clusters[-1].cells += cells
            clusters[-1].base = clusters[-1].base or token
        else:
            clusters.append(_Cluster(match.start(), token, cells))
        after_joiner = token == "\u200d"
    return clusters


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after` (neither a space)."""
    if not (is_cjk(before) or is_cjk(after)):
        return False
    return before not in NO_LINE_END and after not in NO_LINE_START


class _Piece:
    """Text a line may not break inside (clusters with no break between them), then spaces."""

    __slots__ = ("body_cells", "clusters", "space_cells")

    def __init__(self, clusters: list[_Cluster], body_cells: int, space_cells: int = 0) -> None:
        self.clusters = clusters
        self.body_cells = body_cells
        self.space_cells = space_cells

    @property
    def start(self) -> int:
        return self.clusters[0].start


def _pieces(text: str, char_width: CharWidth) -> list[_Piece]:
    """The text cut at every break opportunity; leading spaces belong to the first piece."""
    pieces: list[_Piece] = []
    leading = True
    for cluster in _clusters(text, char_width):
        space = _is_space(cluster.base)
        if not pieces:
            pieces.append(_Piece([cluster], cluster.cells))
        elif space and not leading:
            pieces[-1].clusters.append(cluster)
            pieces[-1].space_cells += cluster.cells
        elif leading or not (
            pieces[-1].space_cells or _may_break(pieces[-1].clusters[-1].base, cluster.base)
        ):
            pieces[-1].clusters.append(cluster)
            pieces[-1].body_cells += cluster.cells
        else:
            pieces.append(_Piece([cluster], cluster.cells))
        leading = leading and (space or not cluster.base)
    return pieces


_ASCII_PIECE = re.compile(r"( *[^ ]+)( *)")
"""A piece of printable ASCII: its body (leading spaces belong to the first) and its spaces."""


def _ascii_line_starts(
    text: str, first_width: int, width: int, whole_addresses: bool = False
) -> list[int] | None:
    """`_line_starts` for printable ASCII in terminal cells, or None when a word must be folded.

    Most of what the CLI wraps is English prose: one cell a character, breaks only after spaces.
    Building a cluster per character for it was most of the time `show` spent after start-up.
    """
    starts: list[int] = []
    room = first_width
    used = 0
    for piece in _ASCII_PIECE.finditer(text):
        body, spaces = piece.end(1) - piece.start(), piece.end() - piece.end(1)
        if used + body <= room:
            used += body + spaces
            continue
        if used:
            starts.append(piece.start())
            room, used = width, 0
        if body > room and not (whole_addresses and _is_address(piece.group(1))):
            return None
        used = body + spaces
    return starts


_ADDRESS_STARTS = ("http://", "https://", "<http://", "<https://")


def _is_address(word: str) -> bool:
    """A web address wider than a line stays whole in a terminal's text, running past the edge:
    folded, it is no longer one link to click or to copy, and the terminal shows all of it on its
    next row anyway. (The browser folds it: a pane crops what runs past its edge.)"""
    return word.lstrip(" ").startswith(_ADDRESS_STARTS)


def _line_starts(
    text: str,
    first_width: int,
    width: int,
    fold: bool,
    char_width: CharWidth,
    whole_addresses: bool = False,
) -> list[int]:
    if char_width is terminal_char_width and text.isascii() and text.isprintable():
        quick = _ascii_line_starts(text, first_width, width, whole_addresses)
        if quick is not None:
            return quick
    starts: list[int] = []
    room = first_width
    used = 0
    for piece in _pieces(text, char_width):
        if used + piece.body_cells <= room:
            used += piece.body_cells + piece.space_cells
            continue
        if used:
            starts.append(piece.start)
            room, used = width, 0
        whole = whole_addresses and _is_address(text[piece.start : piece.start + 40])
        if piece.body_cells <= room or not fold or whole:
            used = piece.body_cells + piece.space_cells
            continue
        # Wider than a whole line: fold it between clusters, as a terminal would.
        for cluster in piece.clusters:
            if _is_space(cluster.base):
                used += cluster.cells
            elif used + cluster.cells > room and used:
                starts.append(cluster.start)
                room, used = width, cluster.cells
            else:
                used += cluster.cells
    return starts


def line_starts(
    text: str, width: int, fold: bool = True, char_width: CharWidth = terminal_char_width
) -> list[int]:
    """Where each line after the first starts (code point offsets), for lines of `width` cells.

    The same contract as ``rich._wrap.divide_line``: spaces at a break stay at the end of the
    line before it (for the caller to strip); a run wider than a line is folded when `fold`.
    """
    return _line_starts(text, width, width, fold, char_width)


def wrap(text: str, width: int, first: str = "", indent: str = "") -> list[str]:
    """`text` in lines of at most `width` cells, the first after `first` and the rest after
    `indent` (as ``textwrap.wrap`` with its two indents); ANSI styles take no cells. A web
    address wider than a line is the one thing let past `width` (`_is_address`)."""
    text = text.translate(_WHITESPACE_TO_SPACE)
    if not text.strip():
        return []  # as textwrap: no line at all, not a line of indent
    first_cells, indent_cells = _visible_len(first), _visible_len(indent)
    starts = _line_starts(
        text,
        max(1, width - first_cells),
        max(1, width - indent_cells),
        True,
        terminal_char_width,
        whole_addresses=True,
    )
    lines = [text[start:end] for start, end in zip([0, *starts], [*starts, len(text)], strict=True)]
    return [
        (first if number == 0 else indent) + line.rstrip()
        for number, line in enumerate(lines)
        if number == 0 or line.strip()
    ]


def shorten(text: str, width: int, placeholder: str = "…") -> str:
    """`text` on one line of at most `width` cells, cut at a break with `placeholder` after it."""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    room = max(1, width - cell_len(placeholder))
    starts = _line_starts(text, room, room, True, terminal_char_width)
    return text[: starts[0] if starts else len(text)].rstrip() + placeholder


def _visible_len(text: str) -> int:
    return cell_len(_ANSI_STYLE.sub("", text))


_WHITESPACE_TO_SPACE = str.maketrans("\t\n\r\v\f", "     ")
