"""Searching codes: what a query word names, how matches rank, and the views a search returns.

The index holds each code's folded text in every language, built once at load, so a keystroke
only scans plain strings; recent answers are kept so typing on searches within them.
"""

from __future__ import annotations

import functools
import marshal
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, overload

from smtp_tui.core import i18n
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Code, EnhancedCode, ReplyClass, ReplyCode
from smtp_tui.core.text import MAX_WORDS, fold, query_words, quoted
from smtp_tui.core.vocabulary import VIEW_KEYS, EnhancedKind, Family

_CODE_PATTERN = re.compile(r"[2-5][0-9x]{0,2}|[2-5]x{2}")
_ENHANCED_PATTERN = re.compile(
    r"(?P<cls>[245x])\.(?:(?P<subject>[0-9]{1,3}|x)(?:\.(?P<detail>[0-9]{0,3}))?)?"
)


class _CodeWord(NamedTuple):
    """A query word that names codes rather than words: "45", "4xx", "5.7", "5.1.1"."""

    word: str
    basic: re.Pattern[str] | None = None
    status_class: int | None = None
    subject: int | None = None
    detail: str | None = None
    enhanced: bool = False

    def matches(self, code: Code) -> bool:
        if isinstance(code, ReplyCode):
            return self.basic is not None and self.basic.match(code.code) is not None
        if not self.enhanced:
            return False
        own = code.status_class.value if code.status_class else None
        if own is not None and self.status_class is not None and own != self.status_class:
            return False
        if code.kind is EnhancedKind.CLASS:
            return self.subject is None and self.detail is None
        if self.subject is not None and code.subject != self.subject:
            return False
        if self.detail is not None:
            return code.kind is EnhancedKind.DETAIL and code.parts[2].startswith(self.detail)
        return True


@functools.lru_cache(maxsize=256)
def _code_word(word: str) -> _CodeWord | None:
    """The code word `word` names, or None for an ordinary word matched against the text."""
    if _CODE_PATTERN.fullmatch(word):
        return _CodeWord(word, basic=re.compile(word.replace("x", "[0-9]")))
    match = _ENHANCED_PATTERN.fullmatch(word)
    if match is None:
        return None
    cls, subject = match["cls"], match["subject"]
    return _CodeWord(
        word,
        status_class=int(cls) if cls.isdigit() else None,
        subject=int(subject) if subject and subject.isdigit() else None,
        detail=match["detail"],
        enhanced=True,
    )


def sort_key(code: Code) -> tuple[int, int, int, int, int]:
    """`CodeEntry.sort_key`, as a function to sort by."""
    return code.sort_key


def _searchable(code: Code, translated: Sequence[dict[str, str]] = ()) -> tuple[str, str]:
    """A code's folded title and full text, computed once at load so a keystroke only scans.

    The text of every language is in it, so "depolama" finds 452 whatever the interface language,
    and switching language never rebuilds it.
    """
    names = [code.name, *(fields["name"] for fields in translated if "name" in fields)]
    title = fold(f"{code.code} {' '.join(names)}")
    parts = [code.description, code.when, code.fix_sender, code.fix_admin, code.origin]
    parts += [str(ref) for ref in code.references]
    if isinstance(code, ReplyCode):
        parts += [code.server_guidance, code.notes, *code.commands]
    for fields in translated:
        parts += [value for key, value in fields.items() if key != "name"]
    return title, f"{title} {fold(' '.join(parts))}"


_RECENT_SEARCHES = 32


def _narrows(old: str, new: str) -> bool:
    """Whether every code matching word `new` also matches word `old`.

    Text words match as substrings, so a longer word containing the old one narrows it; code words
    match as prefixes, so only a longer prefix does ("45" narrows "4", "42" does not narrow "2").
    """
    old_word, new_word = _code_word(old), _code_word(new)
    if old_word is None or new_word is None:
        return old_word is None and new_word is None and old in new
    return old_word.enhanced == new_word.enhanced and new.startswith(old)


def _pair(code_words: Sequence[_CodeWord]) -> bool:
    """Whether the code words name a reply code and an enhanced code, as a bounce gives them
    ("550 5.1.1"): no code is both, so each word then names the codes of its own kind."""
    kinds = {word.enhanced for word in code_words}
    return len(kinds) == 2


def _code_words(words: Sequence[str]) -> list[_CodeWord]:
    return [word for word in map(_code_word, words) if word is not None]


# Ranks, best first: the order the issue asks for.
RANK_EXACT, RANK_PREFIX, RANK_NAME, RANK_TEXT = range(4)


FAMILIES = tuple(Family)


@dataclass(frozen=True)
class CodeView(Sequence[Code]):
    """An ordered selection of codes that can say what it is ("4xx codes matching 'storage'")."""

    codes: tuple[Code, ...]
    query: str = ""
    reply_class: ReplyClass | None = None
    family: Family | None = None
    ranks: tuple[int, ...] = field(default=(), compare=False)
    """The rank of each code (`RANK_EXACT` …) when the view is a search."""

    @overload
    def __getitem__(self, index: int) -> Code: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Code]: ...
    def __getitem__(self, index: int | slice) -> Code | Sequence[Code]:
        return self.codes[index]

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def describe(self) -> str:
        count = len(self.codes)
        if self.reply_class is not None:
            what = i18n.plural("view.class", count, label=self.reply_class.label)
        else:
            what = i18n.plural(VIEW_KEYS[self.family], count)
        if self.query.strip():
            return _t("view.matching", what=what, query=quoted(self.query.strip(), limit=40))
        return what


_SearchKey = tuple[tuple[str, ...], ReplyClass | None, str | None]
"""A search as remembered: its words, the reply class and the family it was limited to."""


class SearchIndex:
    """The folded text of each code, in every language, and the matches of recent searches."""

    def __init__(
        self, codes: Sequence[Code], translated: Sequence[Sequence[dict[str, str]]]
    ) -> None:
        searchable = [
            _searchable(code, fields) for code, fields in zip(codes, translated, strict=True)
        ]
        self._packed = zlib.compress(
            marshal.dumps(([title for title, _ in searchable], [text for _, text in searchable]))
        )
        """The folded titles and texts, packed until the first search (compressed, 70 KiB): 0.7
        MiB of strings that a browser opened on a code, or a `show`, never reads."""
        self._unpacked: tuple[list[str], list[str]] | None = None
        self._recent: dict[_SearchKey, list[int]] = {}
        """Matching indexes of recent searches: backspace finds its answer here, and a query
        that only adds to a recent one searches within that one's matches."""

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_unpacked": None, "_recent": {}}

    @property
    def _titles(self) -> list[str]:
        return self._folded()[0]

    @property
    def _texts(self) -> list[str]:
        return self._folded()[1]

    def _folded(self) -> tuple[list[str], list[str]]:
        if self._unpacked is None:
            self._unpacked = marshal.loads(zlib.decompress(self._packed))
        return self._unpacked

    def search(
        self,
        codes: Sequence[Code],
        query: str,
        wanted: ReplyClass | None,
        family: Family | None,
    ) -> CodeView:
        """`codes` (the indexed ones, in the shown language) matching every word of `query`,
        best first: exact code, code prefix, name, text; `query` has at least one word.

        An enhanced query with a class ("5.7") shows the registry's codes with that class (5.7.1
        rather than X.7.1).
        """
        words = query_words(query)
        if len(words) > MAX_WORDS:
            return CodeView((), query, wanted, family)
        ranks = self._rank_all(codes, words, wanted, family)
        order = sorted(ranks, key=lambda index: (ranks[index], sort_key(codes[index])))
        found = [codes[index] for index in order]
        status_class = next(
            (word.status_class for word in map(_code_word, words) if word and word.status_class),
            None,
        )
        if status_class is not None:
            found = [
                code.with_class(status_class)
                if isinstance(code, EnhancedCode) and code.status_class is None
                else code
                for code in found
            ]
        ranked = [ranks[index] for index in order]
        if len(words) == 1 or _pair(_code_words(words)):
            # The code asked for first; for "550 5.1.1", both, the reply code before.
            named = set(words)
            ranked = [
                RANK_EXACT if code.code.lower() in named else rank
                for code, rank in zip(found, ranked, strict=True)
            ]
            exact = [i for i, rank in enumerate(ranked) if rank == RANK_EXACT][: len(named)]
            if exact != list(range(len(exact))):  # not already first: reorder, else keep
                order = exact + [i for i in range(len(found)) if i not in exact]
                found = [found[i] for i in order]
                ranked = [ranked[i] for i in order]
        return CodeView(tuple(found), query, wanted, family, tuple(ranked))

    def _rank_all(
        self,
        codes: Sequence[Code],
        words: tuple[str, ...],
        wanted: ReplyClass | None,
        family: Family | None,
    ) -> dict[int, int]:
        """Index → rank of every matching code.

        Each word narrows the candidates with one comprehension over plain strings, so the cost
        per keystroke stays a few milliseconds even with ten thousand codes.
        """
        code_words = [(word, _code_word(word)) for word in words]
        text_words = [word for word, code_word in code_words if code_word is None]
        key = (words, wanted, family)
        candidates = self._recent.get(key)
        if candidates is None:
            candidates = self._narrowed_from_recent(codes, words, wanted, family)
            named = [code_word for _, code_word in code_words if code_word is not None]
            if _pair(named):
                # "550 5.1.1": the reply code's words for reply codes, the enhanced one's for
                # enhanced codes (a bounce's commonest paste found nothing, each word ruling
                # out what the other named).
                by_kind = {kind: [w for w in named if w.enhanced is kind] for kind in (False, True)}
                candidates = [
                    i
                    for i in candidates
                    if all(w.matches(codes[i]) for w in by_kind[isinstance(codes[i], EnhancedCode)])
                ]
            else:
                for code_word in named:
                    # A word that names codes ("45", "5.7") only ever matches the code itself.
                    candidates = [i for i in candidates if code_word.matches(codes[i])]
            texts = self._texts
            for word in text_words:
                candidates = [i for i in candidates if word in texts[i]]
            self._remember(key, candidates)
        if not text_words:
            rank = RANK_PREFIX if len(words) == 1 else RANK_NAME
            return dict.fromkeys(candidates, rank)
        titles = self._titles
        return {
            i: RANK_NAME if all(word in titles[i] for word in text_words) else RANK_TEXT
            for i in candidates
        }

    def _narrowed_from_recent(
        self,
        codes: Sequence[Code],
        words: tuple[str, ...],
        wanted: ReplyClass | None,
        family: Family | None,
    ) -> list[int]:
        """The smallest recent match list that must hold every match of `words`.

        If every earlier word is narrowed by a new word (see `_narrows`), whatever matches the new
        words matched the earlier ones: typing on narrows what was found.
        """
        best: list[int] | None = None
        pair = _pair(_code_words(words))
        for (old_words, old_wanted, old_family), found in self._recent.items():
            if old_wanted is not wanted or old_family != family:
                continue
            if pair and not _pair(_code_words(old_words)):
                continue  # "550" then "550 5.1.1": the enhanced code widens what was found
            if best is not None and len(found) >= len(best):
                continue
            if all(any(_narrows(old, new) for new in words) for old in old_words):
                best = found
        if best is not None:
            return best
        return [
            i
            for i, code in enumerate(codes)
            if (family is None or code.family == family)
            and (wanted is None or (isinstance(code, ReplyCode) and code.reply_class is wanted))
        ]

    def _remember(self, key: _SearchKey, found: list[int]) -> None:
        self._recent[key] = found
        if len(self._recent) > _RECENT_SEARCHES:
            del self._recent[next(iter(self._recent))]
