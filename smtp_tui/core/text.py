"""Text as users and the data give it: made safe to print, quoted, and folded for matching.

Shared by the search, the data checks and every front end; plain Python, no Textual.
"""

from __future__ import annotations

import re
import unicodedata

from smtp_tui.core.errors import Words
from smtp_tui.core.i18n import text as _t

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters, which must never reach a terminal raw nor hide in the data."""


def printable(text: str, limit: int | None = None) -> str:
    """User or data text made safe to print: control characters become ``\\xNN``, long text is cut.

    Why: a pasted escape sequence must never reach the terminal raw.
    """
    safe = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if limit is not None and len(safe) > limit:
        cut = safe[:limit].rsplit(" ", 1)[0] if " " in safe[:limit] else safe[:limit]
        return cut + "…"
    return safe


def quoted(text: str, limit: int | None = None) -> str:
    """`printable` text in single quotes, for messages that echo what the user typed."""
    return _t("list.quote", text=printable(text, limit))


_BASE_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t"})
"""Letters that carry their accent in the glyph itself, so NFKD leaves them alone."""

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Combining marks that NFKD splits off accented letters."""


def fold(text: str) -> str:
    """Case- and accent-insensitive form of text, for matching ("Açıklama" → "aciklama").

    Runs on every keystroke and for every row shown, so plain ASCII takes a fast path.
    """
    if text.isascii():
        return text.lower()
    bare = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return bare.casefold().translate(_BASE_LETTERS)


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold` plus, for each folded character, the index of the original character it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of `query` occur in `text`, as sorted, merged ``(start, end)`` spans.

    The browser highlights matched characters with it; the spans index the original text.
    """
    words = query_words(query)
    if not words or not text:
        return []
    folded, where = _fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((where[start], where[end - 1] + 1))
            start = folded.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


MAX_WORDS = 32
"""More words than this in a query cannot all match a code; capping keeps a huge paste cheap."""


_CONTINUED_REPLY = re.compile(r"([2-5][0-9]{2})-([2-5x]\.[0-9x]{1,3}(?:\.[0-9x]{1,3})?)")
"""A reply code and an enhanced code as a multiline reply's lines start: ``550-5.1.1``."""


def query_words(query: str) -> tuple[str, ...]:
    """The search's words, each once; ``550-5.1.1``, pasted from a multiline reply, is two."""
    words: list[str] = []
    for word in fold(query).split():
        continued = _CONTINUED_REPLY.fullmatch(word)
        words += continued.groups() if continued else [word]
    return tuple(dict.fromkeys(words))[: MAX_WORDS + 1]


def quoted_later(text: str, limit: int | None = None) -> Words:
    """`quoted`, worded when shown: for errors made before the language is known."""
    return Words("list.quote", text=printable(text, limit))
