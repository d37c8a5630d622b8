"""Right-to-left text in terminals that do not lay it out themselves.

Most terminals (xterm, Alacritty, kitty, tmux, Windows Terminal, and xterm.js behind `serve`) draw
each character in the order it is stored and never join Arabic letters, so Arabic in logical order
comes out reversed and unjoined. A few (VTE terminals such as GNOME Terminal since 0.58, Konsole,
mlterm) apply the Unicode bidirectional algorithm and shaping themselves, and would reverse text
that we had already reversed. So there are two ways to show it:

- ``visual``: we shape the letters (arabic-reshaper: their joined presentation forms) and reorder
  each *displayed line* (python-bidi, base direction right to left); the terminal draws it as is.
- ``logical``: the text as stored, for terminals that do the work.

The mode is the user's setting (``rtl`` in settings, or ``SMTP_TUI_RTL``), else guessed from the
terminal: ``logical`` where it announces itself as VTE, Konsole or mlterm, ``visual`` elsewhere.
Reordering must come after wrapping (a wrapped line is reordered on its own), so callers wrap the
shaped logical text and pass each line to `visual_order`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from enum import StrEnum

RTL_ENV = "SMTP_TUI_RTL"
"""Environment variable that chooses the mode: ``visual`` or ``logical``."""

VTE_WITH_BIDI = 5800
"""VTE_VERSION from which VTE (GNOME Terminal, Tilix, …) lays out bidirectional text (0.58)."""


class RtlMode(StrEnum):
    """How right-to-left text is handed to the terminal."""

    VISUAL = "visual"
    """Shaped and reordered by us, per displayed line."""
    LOGICAL = "logical"
    """As stored: the terminal applies the bidirectional algorithm itself."""


def terminal_does_bidi(env: Mapping[str, str]) -> bool:
    """True for terminals known to shape and reorder right-to-left text themselves."""
    vte = env.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= VTE_WITH_BIDI:
        return True
    return bool(env.get("KONSOLE_VERSION") or env.get("MLTERM"))


def choose_mode(setting: str | None = None, env: Mapping[str, str] | None = None) -> RtlMode:
    """The environment variable, then the saved setting, then the terminal's own abilities."""
    env = os.environ if env is None else env
    for value in (env.get(RTL_ENV), setting):
        if value in (RtlMode.VISUAL, RtlMode.LOGICAL):
            return RtlMode(value)
    return RtlMode.LOGICAL if terminal_does_bidi(env) else RtlMode.VISUAL


_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufefc]")
"""Hebrew, Arabic and their blocks, presentation forms included."""


def has_rtl(text: str) -> bool:
    """True when `text` holds a right-to-left letter: asked of every text the browser wraps while
    it lays right-to-left text out itself, so a regular expression, not a Python loop."""
    return _RTL_LETTER.search(text) is not None


def shape(text: str) -> str:
    """Arabic letters in their joined (presentation) forms; other text unchanged.

    Shaping keeps logical order and works within words, so it is done before wrapping, and the
    wrapping then measures the letters the terminal will draw.
    """
    return shape_with_map(text)[0]


def shape_with_map(text: str) -> tuple[str, list[int]]:
    """`shape(text)`, and where each character of `text` went in it.

    Shaping is one character for one, except that lam and alef join into one ligature (ﻻ);
    the map lets styled text move its styles along.
    """
    if not has_rtl(text):
        return text, list(range(len(text) + 1))
    import arabic_reshaper

    one_for_one = arabic_reshaper.ArabicReshaper(
        configuration={"support_ligatures": False, "delete_harakat": False}
    ).reshape(text)
    shaped = str(
        arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False}).reshape(text)
    )
    where: list[int] = []
    old = new = 0
    while old < len(one_for_one):
        if (new < len(shaped) and one_for_one[old] == shaped[new]) or old + 1 == len(one_for_one):
            where.append(new)
            old += 1
        else:  # a lam-alef pair became one ligature
            where += [new, new]
            old += 2
        new += 1
    where.append(len(shaped))
    return shaped, where


def is_rtl_paragraph(text: str) -> bool:
    """Whether a paragraph reads from the right: its right-to-left letters are the majority,
    not counting text in brackets.

    Unicode's default (the first strong letter, rules P2-P3) misreads our mixed text: an Arabic
    sentence that opens with "211 (System status…)" would read from the left, and "2xx" in a
    class line starts with a Latin x. Counting letters outside brackets, an Arabic sentence with
    English names in it reads from the right, and an English code name with a short Arabic mark
    after it (a list row) from the left, its Arabic run reversed in place.
    """
    import unicodedata

    right = left = depth = 0
    for char in text:
        if char in "([{<":
            depth += 1
        elif char in ")]}>":
            depth = max(0, depth - 1)
        elif depth == 0:
            kind = unicodedata.bidirectional(char)
            if kind in ("R", "AL"):
                right += 1
            elif kind == "L":
                left += 1
    return right > 0 and right >= left


def visual_order(line: str, rtl: bool = True) -> tuple[str, list[int]]:
    """`line` in visual order, and for each character drawn the index it came from.

    `rtl` is the direction of the paragraph the line belongs to. The indexes let styled text
    (a coloured code inside an Arabic sentence) keep its styles through the reordering.
    Brackets are mirrored, as the algorithm asks (rule L4).
    """
    if not has_rtl(line):
        return line, list(range(len(line)))
    from bidi import algorithm

    base = "R" if rtl else "L"
    storage = algorithm.get_empty_storage()
    storage["base_level"] = algorithm.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    algorithm.get_embedding_levels(line, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    return "".join(char["ch"] for char in chars), [char["index"] for char in chars]


_SGR = re.compile(r"\x1b\[[0-9;]*m")
"""A terminal colour or style sequence, as the CLI writes them."""


def visual_terminal_line(line: str, width: int, rtl: bool | None = None) -> str:
    """One line of terminal output in visual order; right-aligned to `width` cells when it
    belongs to a right-to-left paragraph (`rtl`, by default the line's own direction).

    The line may hold colour sequences: each character keeps the sequence it was written in,
    and the sequences are written again where the visual order changes them.
    """
    from smtp_tui.core.cells import cell_len

    chars: list[str] = []
    styles: list[str] = []
    current = ""
    position = 0
    for match in _SGR.finditer(line):
        for char in line[position : match.start()]:
            chars.append(char)
            styles.append(current)
        current = "" if match.group(0) in ("\x1b[0m", "\x1b[m") else current + match.group(0)
        position = match.end()
    for char in line[position:]:
        chars.append(char)
        styles.append(current)
    shaped, where = shape_with_map("".join(chars))
    shaped_styles = [""] * len(shaped)
    for index in reversed(range(len(chars))):  # the first letter of a ligature gives its style
        if where[index] < len(shaped):
            shaped_styles[where[index]] = styles[index]
    right_to_left = is_rtl_paragraph(shaped) if rtl is None else rtl
    drawn, order = visual_order(shaped.rstrip(), right_to_left)
    out: list[str] = [" " * max(0, width - cell_len(drawn))] if right_to_left else []
    last = ""
    for char, index in zip(drawn, order, strict=True):
        style = shaped_styles[index]
        if style != last:
            out.append("\x1b[0m" if last else "")
            out.append(style)
            last = style
        out.append(char)
    if last:
        out.append("\x1b[0m")
    return "".join(out)
