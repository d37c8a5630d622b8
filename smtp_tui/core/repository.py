"""The code repository: loads and validates the data files, looks codes up, searches and compares.

Everything smtp-tui shows (the browser, the CLI, the JSON) comes through here. It imports neither
Textual nor Rich, so the CLI starts fast; a test checks that.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, overload

from smtp_tui.core import i18n
from smtp_tui.core.comparison import build_comparison
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import (
    ACTORS,
    BASIC_CODE,
    COMMANDS,
    ENHANCED_CODE,
    PROSE_FIELDS,
    Code,
    Comparison,
    EnhancedCode,
    Reference,
    ReplyClass,
    ReplyCode,
)
from smtp_tui.core.vocabulary import VIEW_KEYS, EnhancedKind, Family

DATA_ENV = "SMTP_TUI_DATA"
"""Environment variable naming a data folder that overrides the shipped one."""

_REQUIRED_TEXT = ("name", "description", "when", "fix_sender", "fix_admin", "server_guidance")
_OPTIONAL_TEXT = ("origin", "notes", "retry_line")
_KNOWN_FIELDS = frozenset(
    (
        "code",
        "standard",
        "commands",
        "references",
        "related",
        "counterpart",
        "action_by",
        "checked",
        "defined_in",
        "read_as",
        *_REQUIRED_TEXT,
        *_OPTIONAL_TEXT,
    )
)
_DERIVED_FIELDS = ("class", "category")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


Translations = dict[str, dict[str, dict[str, str]]]
"""Language → code → field → text, as read from ``data/translations/<language>/*.toml``."""

_Parsed = TypeVar("_Parsed")


def localize(code: Code, fields: dict[str, str]) -> Code:
    """`code` with its translated `fields`; those left in English are listed in `untranslated`."""
    missing = tuple(
        name for name in PROSE_FIELDS[code.family] if getattr(code, name) and name not in fields
    )
    return replace(code, **fields, untranslated=missing)  # type: ignore[arg-type]


class DataError(Exception):
    """A data file is wrong; the message is one line naming the file, the entry and the field."""


class UnknownCode(LookupError):
    """A code the repository does not hold; carries suggestions for the message."""

    def __init__(self, code: str, suggestions: Sequence[str]) -> None:
        self.code = code
        self.suggestions = tuple(suggestions)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.code.strip()
        if re.fullmatch(r"[0-9]{3}", text):
            head = _t("error.unknown_code", code=text)
        elif ENHANCED_CODE.fullmatch(text):
            head = _t("error.unknown_enhanced", code=text)
        else:
            head = _t("error.not_a_code", text=quoted(text, limit=40))
        if self.suggestions:
            codes = _t("list.separator").join(self.suggestions)
            return _t("error.did_you_mean", message=head, codes=codes)
        return head


def printable(text: str, limit: int | None = None) -> str:
    """User or data text made safe to print: control characters become ``\\xNN``, long text is cut.

    Why: a pasted escape sequence must never reach the terminal raw.
    """
    safe = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if limit is not None and len(safe) > limit:
        cut = safe[:limit].rsplit(" ", 1)[0] if " " in safe[:limit] else safe[:limit]
        return cut + "…"
    return safe


def quoted(text: str, limit: int | None = None) -> str:
    """`printable` text in single quotes, for messages that echo what the user typed."""
    return _t("list.quote", text=printable(text, limit))


# ---------------------------------------------------------------------------------------- search


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
    words = _query_words(query)
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


_MAX_WORDS = 32
"""More words than this in a query cannot all match a code; capping keeps a huge paste cheap."""


def _query_words(query: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(query).split()))[: _MAX_WORDS + 1]


_CODE_PATTERN = re.compile(r"[2-5][0-9x]{0,2}|[2-5]x{2}")
_ENHANCED_PATTERN = re.compile(
    r"(?P<cls>[245x])\.(?:(?P<subject>[0-9]{1,3}|x)(?:\.(?P<detail>[0-9]{0,3}))?)?"
)


@dataclass(frozen=True)
class _CodeWord:
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


class Repository:
    """Every code we know, of both families, with the verbs the browser and the CLI need."""

    def __init__(
        self,
        codes: Iterable[Code],
        warnings: Sequence[str] = (),
        translations: Translations | None = None,
    ) -> None:
        self.warnings = tuple(warnings)
        """One-line problems that did not stop the load (the user's own code file)."""
        self.translations: Translations = translations or {}
        """Language → code → field → text: the prose of the data in other languages."""
        self.language = i18n.DEFAULT
        """The language the codes are shown in; `use_language` changes it."""
        self._english = sorted(codes, key=sort_key)
        self._recent: dict[tuple[tuple[str, ...], ReplyClass | None, str | None], list[int]] = {}
        """Matching indexes of recent searches: backspace finds its answer here, and a query
        that only adds to a recent one searches within that one's matches."""
        searchable = [
            _searchable(
                code,
                [table[code.code] for table in self.translations.values() if code.code in table],
            )
            for code in self._english
        ]
        self._titles = [title for title, _ in searchable]
        self._texts = [text for _, text in searchable]
        self._index(self._english)

    def _index(self, ordered: list[Code]) -> None:
        """The lookups over `ordered`, the codes as shown in the current language."""
        self._ordered = ordered
        self._codes: dict[str, Code] = {code.code: code for code in ordered}
        self.__dict__.pop("all", None)
        self._enhanced_for: dict[str, list[EnhancedCode]] = {}
        for code in ordered:
            if isinstance(code, EnhancedCode):
                for reply in code.reply_codes:
                    self._enhanced_for.setdefault(reply, []).append(code)

    def use_language(self, lang: str) -> None:
        """Show codes and messages in `lang`: translated prose where the data has it, English
        (marked as such) where it does not. The search index covers every language already."""
        i18n.use(lang)
        if lang == self.language:
            return
        self.language = lang
        table = self.translations.get(lang, {})
        if lang == i18n.DEFAULT:
            self._index(self._english)
        else:
            self._index([localize(code, table.get(code.code, {})) for code in self._english])

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._codes

    @cached_property
    def all(self) -> CodeView:
        return CodeView(tuple(self._codes.values()))

    def count(self, family: Family) -> int:
        return sum(1 for code in self._ordered if code.family == family)

    def get(self, text: str) -> Code:
        """The code, or `UnknownCode` with up to three close codes to suggest.

        An enhanced code with a class (5.1.1) is the registry's detail (X.1.1) with that class.
        """
        wanted = text.strip()
        found = self._codes.get(wanted)
        if found is not None:
            return found
        match = ENHANCED_CODE.fullmatch(wanted)
        if match is not None:
            wanted = f"{match['cls'].upper()}.{match['subject'].upper()}.{match['detail'].upper()}"
            found = self._codes.get(wanted)
            if found is not None:
                return found
            cls = match["cls"]
            if cls.isdigit():
                registry = self._codes.get(f"X.{match['subject']}.{match['detail']}".upper())
                if isinstance(registry, EnhancedCode):
                    return registry.with_class(int(cls))
        raise UnknownCode(text, self.suggest(wanted))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Codes to offer after a miss: the prefix's codes for "45", the nearest for "599"."""
        text = text.strip()[:12]
        basic = [code.code for code in self._ordered if isinstance(code, ReplyCode)]
        if text.isdigit() and len(text) < 3:
            return [code for code in basic if code.startswith(text)][:limit]
        if text.isdigit() and len(text) == 3:
            return sorted(basic, key=lambda code: (abs(int(code) - int(text)), code))[:limit]
        match = ENHANCED_CODE.fullmatch(text)
        if match is not None:
            subject = f".{match['subject']}."
            same = [code.code for code in self._ordered if subject in code.code]
            if same:
                import difflib  # only on a miss: it is not needed to start

                close = difflib.get_close_matches(text, same, n=limit, cutoff=0.0)
                return close or same[:limit]
        import difflib

        return difflib.get_close_matches(text, list(self._codes), n=limit, cutoff=0.6)

    def in_class(self, reply_class: ReplyClass | int) -> CodeView:
        wanted = ReplyClass(reply_class)
        return CodeView(
            tuple(
                code
                for code in self._codes.values()
                if isinstance(code, ReplyCode) and code.reply_class is wanted
            ),
            reply_class=wanted,
            family=Family.BASIC,
        )

    def in_family(self, family: Family | None) -> CodeView:
        if family is None:
            return self.all
        return CodeView(
            tuple(code for code in self._ordered if code.family == family), family=family
        )

    def search(
        self, query: str, reply_class: ReplyClass | int | None = None, family: Family | None = None
    ) -> CodeView:
        """Codes matching every word of `query`, best first: exact code, code prefix, name, text.

        Any text is accepted: it is only ever compared as a plain string. An enhanced query with a
        class ("5.7") shows the registry's codes with that class (5.7.1 rather than X.7.1).
        """
        wanted = ReplyClass(reply_class) if reply_class is not None else None
        if wanted is not None:
            family = Family.BASIC
        words = _query_words(query)
        if not words:
            pool = self.in_class(wanted) if wanted else self.in_family(family)
            return CodeView(pool.codes, query, wanted, family, (RANK_NAME,) * len(pool))
        if len(words) > _MAX_WORDS:
            return CodeView((), query, wanted, family)
        ranks = self._rank_all(words, wanted, family)
        order = sorted(ranks, key=lambda index: (ranks[index], sort_key(self._ordered[index])))
        codes = [self._ordered[index] for index in order]
        status_class = next(
            (word.status_class for word in map(_code_word, words) if word and word.status_class),
            None,
        )
        if status_class is not None:
            codes = [
                code.with_class(status_class)
                if isinstance(code, EnhancedCode) and code.status_class is None
                else code
                for code in codes
            ]
        ranked = [ranks[index] for index in order]
        if len(words) == 1:
            ranked = [
                RANK_EXACT if code.code.lower() == words[0] else rank
                for code, rank in zip(codes, ranked, strict=True)
            ]
            exact = [i for i, rank in enumerate(ranked) if rank == RANK_EXACT]
            for i in exact[:1]:
                codes.insert(0, codes.pop(i))
                ranked.insert(0, ranked.pop(i))
        return CodeView(tuple(codes), query, wanted, family, tuple(ranked))

    def _rank_all(
        self, words: tuple[str, ...], wanted: ReplyClass | None, family: Family | None
    ) -> dict[int, int]:
        """Index → rank of every matching code.

        Each word narrows the candidates with one comprehension over plain strings, so the cost
        per keystroke stays a few milliseconds even with ten thousand codes.
        """
        codes = self._ordered
        code_words = [(word, _code_word(word)) for word in words]
        text_words = [word for word, code_word in code_words if code_word is None]
        key = (words, wanted, family)
        candidates = self._recent.get(key)
        if candidates is None:
            candidates = self._narrowed_from_recent(words, wanted, family)
            for _, code_word in code_words:
                if code_word is not None:
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
        self, words: tuple[str, ...], wanted: ReplyClass | None, family: Family | None
    ) -> list[int]:
        """The smallest recent match list that must hold every match of `words`.

        If every earlier word is narrowed by a new word (see `_narrows`), whatever matches the new
        words matched the earlier ones: typing on narrows what was found.
        """
        best: list[int] | None = None
        for (old_words, old_wanted, old_family), found in self._recent.items():
            if old_wanted is not wanted or old_family != family:
                continue
            if best is not None and len(found) >= len(best):
                continue
            if all(any(_narrows(old, new) for new in words) for old in old_words):
                best = found
        if best is not None:
            return best
        return [
            i
            for i, code in enumerate(self._ordered)
            if (family is None or code.family == family)
            and (wanted is None or (isinstance(code, ReplyCode) and code.reply_class is wanted))
        ]

    def _remember(
        self, key: tuple[tuple[str, ...], ReplyClass | None, str | None], found: list[int]
    ) -> None:
        self._recent[key] = found
        if len(self._recent) > _RECENT_SEARCHES:
            del self._recent[next(iter(self._recent))]

    def related(self, code: Code) -> list[Code]:
        """The codes to offer from `code`: counterpart, related, then the other family's links."""
        if isinstance(code, ReplyCode):
            wanted: list[str] = [code.counterpart] if code.counterpart else []
            wanted += code.related
            linked = [self._codes[item] for item in dict.fromkeys(wanted) if item in self._codes]
            return linked + list(self.enhanced_for(code))
        status = code.status_class.value if code.status_class else None
        items: list[Code] = []
        for item in code.related:
            other = self._codes.get(item)
            if isinstance(other, EnhancedCode) and status and other.status_class is None:
                other = other.with_class(status) if other.kind is not EnhancedKind.CLASS else other
            if other is not None:
                items.append(other)
        items += [self._codes[reply] for reply in code.class_replies if reply in self._codes]
        return items

    def enhanced_for(self, code: ReplyCode) -> list[EnhancedCode]:
        """Enhanced codes the registry associates with a basic code, in the basic code's class."""
        cls = code.reply_class.value
        found = []
        for entry in self._enhanced_for.get(code.code, []):
            if (
                entry.status_class is None
                and entry.kind is EnhancedKind.DETAIL
                and cls in (2, 4, 5)
            ):
                found.append(entry.with_class(cls))
            elif entry.status_class is None or entry.status_class.value == cls:
                found.append(entry)
        return found

    def counterpart(self, code: Code) -> Code | None:
        """The transient/permanent form of the same condition: 552 for 452, 5.2.2 for 4.2.2."""
        if isinstance(code, ReplyCode):
            return self._codes.get(code.counterpart) if code.counterpart else None
        if (
            code.status_class is None
            or code.status_class.value == 2
            or code.kind is EnhancedKind.CLASS
        ):
            return None
        other = 5 if code.status_class.value == 4 else 4
        try:
            return self.get(f"{other}.{code.parts[1]}.{code.parts[2]}")
        except UnknownCode:
            return None

    def compare(
        self, first: str | Code, second: str | Code, *, as_asked: bool = False
    ) -> Comparison:
        """The comparison of two different codes, lower code first whatever the order asked,
        or `as_asked` (the browser's swapped view: every sentence then names `first` first)."""
        a = first if not isinstance(first, str) else self.get(first)
        b = second if not isinstance(second, str) else self.get(second)
        if a.code == b.code:
            raise ValueError(_t("compare.error_same", code=a.code))
        return build_comparison(a, b, as_asked=as_asked)


# ------------------------------------------------------------------------------------- loading


def default_data_dir() -> Path:
    """Where the data is: inside the installed package, else the checkout's ``data/``.

    The wheel puts the data at ``smtp_tui/data``. Looking beside this file finds it in every
    installed layout, and looking above it finds a checkout's; `importlib.resources` is asked only
    when both fail (a zipped package), because importing it costs start-up time on every run.
    """
    package = Path(__file__).resolve().parents[1]
    beside = package / "data"
    if beside.is_dir():
        return beside
    checkout = package.parent / "data"
    if checkout.is_dir():
        return checkout
    from importlib import resources

    shipped = resources.files("smtp_tui") / "data"
    if shipped.is_dir():
        return Path(str(shipped))
    return checkout


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """An explicit path wins, then ``$SMTP_TUI_DATA``, then the shipped data."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env)
    return default_data_dir()


CACHE_ENV = "SMTP_TUI_CACHE"
"""Set to ``0`` to neither read nor write the parsed-data cache."""


_DEFAULT = Path()
"""Marks "the user's code file from the config folder", as opposed to none (None) or a given one."""


def load(
    path: str | os.PathLike[str] | None = None, user_codes: Path | None = _DEFAULT
) -> Repository:
    """Read and validate every data file; `DataError` (one line) on the first problem found.

    The user's own code file (``codes.toml`` in the config folder) is validated the same way, but a
    problem there only becomes a warning on the repository: the shipped codes still load.

    Parsing and validating the TOML is most of what start-up spends on our own work, so the result
    is kept in the user's cache folder, keyed by every data and code file's size and time; any
    change, or any trouble reading the cache, means a fresh parse.
    """
    root = data_dir(path)
    basic = root / "basic"
    if not basic.is_dir():
        raise DataError(_t("data.no_basic_folder", path=_shown(root)))
    files = sorted(basic.glob("*.toml"))
    if not files:
        raise DataError(_t("data.no_files", path=_shown(basic)))
    enhanced = sorted((root / "enhanced").glob("*.toml"))
    translated = sorted((root / "translations").glob("*/*.toml"))
    if user_codes is _DEFAULT:
        from smtp_tui.core.settings import user_codes_file

        user_codes = user_codes_file()
    extra = [user_codes] if user_codes is not None and user_codes.is_file() else []
    # A codes.toml that is a folder (or a device...) is said once, not passed over in silence;
    # added outside the cache, which is the same as for no code file at all.
    unread = []
    if user_codes is not None and not extra and user_codes.exists():
        unread.append(_t("data.not_a_file", path=_shown(user_codes)))
    cache = _cache_path(root, user_codes, [*files, *enhanced, *translated, *extra])
    cached = _read_cache(cache)
    if cached is not None:
        cached.use_language(i18n.current())
        cached.warnings = (*cached.warnings, *unread)
        return cached
    codes: dict[str, Code] = {}
    parsers = [(f, _parse_entry) for f in files] + [(f, _parse_enhanced) for f in enhanced]
    for file, parse in parsers:
        _add(codes, _load_file(file, parse))
    _check_links(codes)
    translations = _load_translations(root / "translations", codes)
    warnings = []
    for file in extra:
        try:
            mine = dict(codes)
            _add(mine, _load_file(file, _parse_any), shipped=codes)
            _check_links(mine)
            codes = mine
        except DataError as error:
            warnings.append(_t("data.not_loaded", message=error))
    repository = Repository(codes.values(), warnings, translations)
    _write_cache(cache, repository)
    repository.use_language(i18n.current())
    repository.warnings = (*repository.warnings, *unread)
    return repository


def _load_translations(folder: Path, codes: dict[str, Code]) -> Translations:
    """Each ``translations/<language>/*.toml``: prose of shipped codes, checked like the data."""
    found: Translations = {}
    if not folder.is_dir():
        return found
    for language in sorted(path for path in folder.iterdir() if path.is_dir()):
        lang = language.name
        if lang not in i18n.LANGUAGES or lang == i18n.DEFAULT:
            choices = ", ".join(i18n.LANGUAGES[1:])
            raise DataError(_t("data.translation_language", path=_shown(language), choices=choices))
        table = found.setdefault(lang, {})
        for file in sorted(language.glob("*.toml")):
            for code, fields, place in _load_file(file, _parse_translation):
                shipped = codes.get(code)
                if shipped is None:
                    raise place.error(code, "code", _t("data.translation_unknown"))
                allowed = PROSE_FIELDS[shipped.family]
                for name in fields:
                    if name not in allowed:
                        fields_text = ", ".join(allowed)
                        raise place.error(
                            code, name, _t("data.translation_field", fields=fields_text)
                        )
                if code in table:
                    raise place.error(code, "code", _t("data.translation_duplicate"))
                table[code] = fields
    return found


def _parse_translation(
    entry: object, place: _EntryPlace
) -> tuple[str, dict[str, str], _EntryPlace]:
    if not isinstance(entry, dict):
        raise place.error(None, "code", _t("data.need_table"))
    code = entry.get("code")
    if not isinstance(code, str) or not code:
        raise place.error(None, "code", _t("data.missing"))
    fields = {name: _text(entry, name, place, code, required=True) for name in entry}
    del fields["code"]
    return code, fields, place


def _add(codes: dict[str, Code], new: list[Code], shipped: dict[str, Code] | None = None) -> None:
    for code in new:
        if code.code in codes:
            where = _t("data.shipped") if shipped and code.code in shipped else None
            where = where or _place(codes[code.code])
            raise DataError(
                _t(
                    "data.field",
                    where=_place(code),
                    who=_t("data.entry", code=code.code),
                    field="code",
                    problem=_t("data.duplicate", where=where),
                )
            )
        codes[code.code] = code


def _place(code: Code) -> str:
    """``file:line`` of a loaded entry, as every other data error names it."""
    shown = _shown(Path(code.source))
    return f"{shown}:{code.line}" if code.line else shown


def _parse_any(entry: object, place: _EntryPlace) -> Code:
    """The user's file holds both families: the shape of the code says which."""
    code = entry.get("code") if isinstance(entry, dict) else None
    if isinstance(code, str) and ENHANCED_CODE.fullmatch(code):
        return _parse_enhanced(entry, place)
    return _parse_entry(entry, place)


MAX_CACHES = 4
"""Parsed-data caches kept for different data folders (``--data``, ``$SMTP_TUI_DATA``); the
oldest beyond this go. Other versions of the same data go at once: nothing else needs them."""
_CACHE_FILE = re.compile(r"data-(?P<source>[0-9a-f]{8})-[0-9a-f]{8}\.pickle")
_OLD_CACHE_FILE = re.compile(r"data-[0-9a-f]{8}-[0-9]{1,3}\.pickle")
"""The earlier naming (a hash, then a count of files): always stale now."""
_CACHE_TEMPORARY = re.compile(r"data-[0-9a-f]{8}-[0-9a-f]{8}\.[0-9]+\.tmp")
_ABANDONED = 3600
"""Seconds after which a temporary cache file is no live writer's, only a killed one's leftover."""


def _cache_path(root: Path, user_codes: Path | None, files: list[Path]) -> Path | None:
    """``data-<source>-<version>.pickle``: the source names the data folder (and the user's code
    file), the version every file's size and time, so a new version can replace its stale ones."""
    if os.environ.get(CACHE_ENV) == "0":
        return None
    here = Path(__file__).resolve().parent
    signature = []
    for file in (here / "repository.py", here / "model.py", here / "comparison.py", *files):
        try:
            stat = file.stat()
        except OSError:
            return None
        signature.append(f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
    source = zlib.crc32(f"{root.resolve()}\n{user_codes}".encode("utf-8", "surrogateescape"))
    version = zlib.crc32("\n".join(signature).encode("utf-8", "surrogateescape"))
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smtp-tui" / f"data-{source:08x}-{version:08x}.pickle"


def _read_cache(cache: Path | None) -> Repository | None:
    if cache is None:
        return None
    try:
        with cache.open("rb") as stream:
            language, found = pickle.load(stream)
    except Exception:  # a missing, stale or damaged cache only means parsing again
        return None
    if not isinstance(found, Repository):
        return None
    if found.warnings and language != i18n.current():
        return None  # the warnings are worded in the language of the run that wrote them
    return found


def _write_cache(cache: Path | None, repository: Repository) -> None:
    if cache is None:
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            payload = (i18n.current(), repository)
            pickle.dump(payload, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)  # atomic: a reader never sees half a file
    except OSError:
        return  # an unwritable cache folder costs speed, never correctness
    _remove_stale_caches(cache)


def _remove_stale_caches(current: Path) -> None:
    """Keep the cache folder to what is in use (it once grew to 28 MB in an afternoon).

    Only files of our own naming are touched. Another process may be reading, replacing or
    removing the same files: a reader keeps an open file, a writer's rename is atomic, and a file
    already gone is no error, so the worst a race costs is one parse.
    """
    match = _CACHE_FILE.fullmatch(current.name)
    if match is None:
        return
    now = time.time()
    others: list[tuple[float, str]] = []
    try:
        entries = list(os.scandir(current.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name == current.name:
            continue
        with contextlib.suppress(OSError):
            if _OLD_CACHE_FILE.fullmatch(name):
                os.unlink(entry.path)
            elif found := _CACHE_FILE.fullmatch(name):
                if found["source"] == match["source"]:
                    os.unlink(entry.path)  # another version of this data: stale
                else:
                    others.append((entry.stat().st_mtime, entry.path))
            elif _CACHE_TEMPORARY.fullmatch(name) and now - entry.stat().st_mtime > _ABANDONED:
                os.unlink(entry.path)
    others.sort(reverse=True)
    for _, path in others[MAX_CACHES - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _shown(path: Path) -> str:
    """A path as short as can be read: relative to the working folder where it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_toml(file: Path) -> tuple[dict[str, Any], str]:
    """A data file's document and its text; `DataError` (one line) when it cannot be read."""
    path = _shown(file)
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise DataError(_t("data.cannot_read", path=path, reason=error.strerror)) from None
    import tomllib  # only here: a run that finds the parsed-data cache never pays for it

    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as error:
        raise DataError(_t("data.not_utf8", path=path, byte=error.start)) from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(_t("data.toml_syntax", path=path, detail=error)) from None


def _load_file(file: Path, parse: Callable[[object, _EntryPlace], _Parsed]) -> list[_Parsed]:
    path = _shown(file)
    document, text = read_toml(file)
    unknown = sorted(set(document) - {"code"})
    if unknown:
        raise DataError(_t("data.top_level", path=path, key=repr(unknown[0])))
    entries = document.get("code", [])
    if not isinstance(entries, list):
        raise DataError(_t("data.not_tables", path=path))
    lines = _entry_lines(text)
    return [
        parse(entry, _EntryPlace(file, number, lines))
        for number, entry in enumerate(entries, start=1)
    ]


def _entry_lines(text: str) -> list[int]:
    """The line number of each ``[[code]]`` header, so messages can point into the file."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().replace(" ", "") == "[[code]]"
    ]


@dataclass(frozen=True)
class _EntryPlace:
    """Where an entry stands, to name it in error messages."""

    file: Path
    number: int
    lines: list[int]

    @property
    def line(self) -> int:
        """The line of the entry's ``[[code]]`` header; 0 when it cannot be found."""
        return self.lines[self.number - 1] if self.number <= len(self.lines) else 0

    def error(self, code: object, field_name: str, problem: str) -> DataError:
        line = self.line
        where = f"{_shown(self.file)}:{line}" if line else _shown(self.file)
        if isinstance(code, str) and code:
            who = _t("data.entry", code=printable(code, limit=20))
        else:
            who = _t("data.entry_number", number=self.number)
        return DataError(
            _t("data.field", where=where, who=who, field=printable(field_name), problem=problem)
        )


def _parse_entry(entry: object, place: _EntryPlace) -> ReplyCode:
    if not isinstance(entry, dict):
        raise place.error(None, "code", _t("data.need_table"))
    code = entry.get("code")
    if not isinstance(code, str) or not BASIC_CODE.fullmatch(code):
        shown = printable(repr(code), limit=20)
        raise place.error(None, "code", _t("data.basic_shape", got=shown))
    for derived in _DERIVED_FIELDS:
        if derived in entry:
            truth = ReplyClass(int(code[0])).label if derived == "class" else f"x{code[1]}z"
            said = printable(str(entry[derived]), limit=20)
            raise place.error(code, derived, _t("data.derived", truth=truth, said=repr(said)))
    unknown = sorted(set(entry) - _KNOWN_FIELDS)
    if unknown:
        raise place.error(code, unknown[0], _t("data.unknown_field"))
    # Any: these only fill the str fields, which mypy cannot tell from a dict's keys.
    text: dict[str, Any] = {
        name: _text(entry, name, place, code, required=True) for name in _REQUIRED_TEXT
    }
    optional: dict[str, Any] = {
        name: _text(entry, name, place, code, required=False) for name in _OPTIONAL_TEXT
    }
    standard = _standard(entry, place, code, optional["origin"])
    commands = _names(entry, "commands", COMMANDS, place, code)
    action_by = _names(entry, "action_by", ACTORS, place, code)
    references = _references(entry, place, code)
    checked = _references(entry, place, code, "checked", required=False)
    defined_in = _references(entry, place, code, "defined_in", required=False)
    for reference in defined_in:
        if reference not in references:
            item = quoted(str(reference), 30)
            raise place.error(code, "defined_in", _t("data.defined_not_cited", item=item))
    related = _codes(entry, "related", BASIC_CODE, Family.BASIC, place, code)
    counterpart = entry.get("counterpart")
    if counterpart is not None and (
        not isinstance(counterpart, str) or not BASIC_CODE.fullmatch(counterpart)
    ):
        raise place.error(code, "counterpart", _t("data.counterpart_shape"))
    if counterpart == code:
        raise place.error(code, "counterpart", _t("data.own_counterpart"))
    read_as = entry.get("read_as", "")
    if read_as and not _reads_as_enhanced(code, read_as):
        raise place.error(code, "read_as", _t("data.read_as_shape", cls=code[0]))
    return ReplyCode(
        code=code,
        standard=standard,
        commands=commands,
        references=references,
        related=tuple(related),
        action_by=action_by,
        counterpart=counterpart,
        defined_in=defined_in,
        read_as=read_as,
        checked=checked,
        source=str(place.file),
        line=place.line,
        **text,
        **optional,
    )


def _reads_as_enhanced(code: str, read_as: object) -> bool:
    """An enhanced code with a detail, of the reply's own class: 5.1.0 for 510, 4.7.12 for 422."""
    if not isinstance(read_as, str):
        return False
    match = ENHANCED_CODE.fullmatch(read_as)
    return bool(match and match["cls"] == code[0] and match["detail"].isdigit())


_ENHANCED_TEXT = ("name", "description", "when", "fix_sender", "fix_admin")
_ENHANCED_FIELDS = frozenset(
    (
        "code",
        "standard",
        "origin",
        "references",
        "reply_codes",
        "registry_replies",
        "related",
        "checked",
        "retry_line",
        *_ENHANCED_TEXT,
    )
)


def _parse_enhanced(entry: object, place: _EntryPlace) -> EnhancedCode:
    if not isinstance(entry, dict):
        raise place.error(None, "code", _t("data.need_table"))
    code = entry.get("code")
    match = ENHANCED_CODE.fullmatch(code) if isinstance(code, str) else None
    if not isinstance(code, str) or match is None or code != code.upper():
        shown = printable(repr(code), limit=20)
        raise place.error(None, "code", _t("data.enhanced_shape", got=shown))
    cls, subject, detail = code.split(".")
    registry_form = (cls == "X" and subject != "X") or (cls != "X" and subject == "X" == detail)
    if subject.isdigit() and int(subject) > 7:
        raise place.error(code, "code", _t("data.subject_range"))
    unknown = sorted(set(entry) - _ENHANCED_FIELDS)
    if unknown:
        raise place.error(code, unknown[0], _t("data.unknown_field"))
    text: dict[str, Any] = {
        name: _text(entry, name, place, code, required=True) for name in _ENHANCED_TEXT
    }
    origin = _text(entry, "origin", place, code, required=False)
    retry_line = _text(entry, "retry_line", place, code, required=False)
    standard = _standard(entry, place, code, origin)
    if standard and not registry_form:
        raise place.error(code, "code", _t("data.registry_shape"))
    references = _references(entry, place, code)
    checked = _references(entry, place, code, "checked", required=False)
    reply_codes = _codes(entry, "reply_codes", BASIC_CODE, Family.BASIC, place, code)
    registry_replies = _registry_replies(entry, place, code, reply_codes)
    related = _codes(entry, "related", ENHANCED_CODE, Family.ENHANCED, place, code)
    return EnhancedCode(
        code=code,
        standard=standard,
        origin=origin,
        retry_line=retry_line,
        references=references,
        reply_codes=reply_codes,
        related=related,
        checked=checked,
        registry_replies=registry_replies,
        source=str(place.file),
        line=place.line,
        **text,
    )


REGISTRY_RANGE = re.compile(r"Any|[245]XX")
"""The registry's wording where it names a range of reply codes instead of listing them."""


def _registry_replies(
    entry: dict[str, Any], place: _EntryPlace, code: str, reply_codes: tuple[str, ...]
) -> tuple[str, ...]:
    """The registry's ranges (``Any``, ``5XX``); ``Any`` already covers every code and range."""
    if "registry_replies" not in entry:
        return ()
    ranges = _strings(entry, "registry_replies", place, code, allow_empty=False)
    for item in ranges:
        if not REGISTRY_RANGE.fullmatch(item):
            problem = _t("data.not_one_of", item=quoted(item, 20), choices="Any, 2XX, 4XX, 5XX")
            raise place.error(code, "registry_replies", problem)
    if "Any" in ranges and (reply_codes or len(ranges) > 1):
        raise place.error(code, "registry_replies", _t("data.range_and_codes"))
    return ranges


def _standard(entry: dict[str, Any], place: _EntryPlace, code: str, origin: str) -> bool:
    standard = entry.get("standard")
    if not isinstance(standard, bool):
        raise place.error(code, "standard", _t("data.true_false"))
    if not standard and not origin:
        raise place.error(code, "origin", _t("data.origin_needed"))
    return standard


def _codes(
    entry: dict[str, Any],
    name: str,
    pattern: re.Pattern[str],
    family: Family,
    place: _EntryPlace,
    code: str,
) -> tuple[str, ...]:
    """A list field of codes: each well formed, none the entry's own code."""
    items = _strings(entry, name, place, code, allow_empty=True)
    for item in items:
        if not pattern.fullmatch(item):
            kind = _t(family.key)
            raise place.error(code, name, _t("data.not_kind", item=quoted(item, 20), kind=kind))
        if item == code:
            raise place.error(code, name, _t("data.self_related"))
    return items


def _references(
    entry: dict[str, Any],
    place: _EntryPlace,
    code: str,
    name: str = "references",
    required: bool = True,
) -> tuple[Reference, ...]:
    """A list of RFC references; `checked` (what a second reader checked) may be absent."""
    if not required and name not in entry:
        return ()
    references = []
    for item in _strings(entry, name, place, code, allow_empty=not required):
        reference = Reference.parse(item)
        if reference is None:
            raise place.error(code, name, _t("data.reference_shape", item=quoted(item, 30)))
        references.append(reference)
    return tuple(references)


def _text(entry: dict[str, Any], name: str, place: _EntryPlace, code: str, required: bool) -> str:
    value = entry.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problem = _t("data.missing") if value is None else _t("data.empty_text")
        raise place.error(code, name, problem)
    if _CONTROL.search(value.replace("\n", "").replace("\t", "")):
        raise place.error(code, name, _t("data.control"))
    return " ".join(value.split())


def _strings(
    entry: dict[str, Any], name: str, place: _EntryPlace, code: str, allow_empty: bool
) -> tuple[str, ...]:
    value = entry.get(name)
    if value is None:
        raise place.error(code, name, _t("data.missing"))
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise place.error(code, name, _t("data.string_list"))
    if not value and not allow_empty:
        raise place.error(code, name, _t("data.empty_list"))
    return tuple(value)


def _names(
    entry: dict[str, Any], name: str, allowed: tuple[str, ...], place: _EntryPlace, code: str
) -> tuple[str, ...]:
    values = _strings(entry, name, place, code, allow_empty=False)
    for value in values:
        if value not in allowed:
            choices = ", ".join(allowed)
            raise place.error(
                code, name, _t("data.not_one_of", item=quoted(value, 20), choices=choices)
            )
    return values


def _check_links(codes: dict[str, Code]) -> None:
    for code in codes.values():
        links = list(code.related)
        if isinstance(code, ReplyCode) and code.counterpart:
            links.append(code.counterpart)
        if isinstance(code, ReplyCode) and code.read_as:
            registry = "X." + code.read_as.split(".", 1)[1]
            if registry not in codes:
                raise DataError(
                    _t(
                        "data.field",
                        where=_shown(Path(code.source)),
                        who=_t("data.entry", code=code.code),
                        field="read_as",
                        problem=_t("data.unknown_link", code=registry),
                    )
                )
        for item in links:
            if item not in codes:
                field_name = (
                    "counterpart"
                    if isinstance(code, ReplyCode) and item == code.counterpart
                    else "related"
                )
                raise DataError(
                    _t(
                        "data.field",
                        where=_place(code),
                        who=_t("data.entry", code=code.code),
                        field=field_name,
                        problem=_t("data.unknown_link", code=item),
                    )
                )
