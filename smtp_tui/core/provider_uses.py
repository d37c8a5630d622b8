"""Which providers use a code, and which codes a provider uses: the browser's and search's view.

Built from `smtp_tui.core.providers` (``data/providers/*.toml``), but kept apart from it: parsing
those files costs about 0.3 s and loads ``tomllib``, which a lookup (`show`, `search`) must not
pay. So the few facts the browser lists are kept in a small index in the user's cache folder,
keyed by the provider files' sizes and times like the repository's parsed-data cache; a warm run
reads only that file and never imports the provider parser.
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from smtp_tui.core.cache_home import cache_home
from smtp_tui.core.errors import DataError
from smtp_tui.core.loading import data_dir
from smtp_tui.core.model import Code, ReplyClass, ReplyCode
from smtp_tui.core.repository import Repository
from smtp_tui.core.search import RANK_NAME, CodeView, sort_key
from smtp_tui.core.text import fold
from smtp_tui.core.vocabulary import Family

FOLDER = "providers"
_INDEX_VERSION = 2
"""Raised when the index's shape changes, so an old cache file is read as stale."""

_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_A_NAME = frozenset(
    {"mail", "email", "security", "hosted", "and", "others", "the", "net", "com", "united"}
    | {"internet", "workspace", "free", "web", "live"}
)
"""Words of providers' names too common to narrow the list to one provider by: ``free`` is
Free's name but also a word users search for; ``free.fr`` still names it."""
_HOST_LABEL = 5
"""Shortest host label taken as a provider's name (``gmail`` from gmail.com, not ``me``)."""


@dataclass(frozen=True, slots=True)
class ProviderUse:
    """What one provider means by a code: one entry of its file, as the browser lists it."""

    provider: str
    """The provider's slug (``microsoft``)."""
    provider_name: str
    """As shown: ``Microsoft 365 / Outlook.com``."""
    code: str
    """The code as the provider's entry names it: ``550 5.4.1``, ``5.7.606-649`` or ``550``."""
    meaning: str
    """The provider's short name for it."""
    reason: str
    """A reason of the vocabulary (`smtp_tui.core.reasons.Reason`): ``userunknown``."""
    bounce: str
    """``hard`` or ``soft``."""
    source: str
    """The provider's own page for the fact."""
    line: int
    """The entry's place in its file: the file's order within a provider."""
    reply: str | None = field(default=None, compare=False)
    enhanced: str | None = field(default=None, compare=False)
    detail_to: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ProviderIndex:
    """Every provider's uses, and the words that name each provider in a search."""

    names: dict[str, str]
    """Slug → display name, ordered by display name."""
    aliases: dict[str, frozenset[str]]
    """Folded word → the slugs it names (``gmail`` → google, ``outlook`` → microsoft)."""
    uses: tuple[ProviderUse, ...]
    _memo: dict[str, tuple[ProviderUse, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Uses per code asked: the browser asks on every highlight."""

    def providers_named(self, word: str) -> frozenset[str]:
        return self.aliases.get(fold(word), frozenset())

    def uses_of(self, code: str) -> tuple[ProviderUse, ...]:
        """Uses of `code` (``550``, ``5.4.1``, ``X.4.1`` for any class), by provider name, then
        the entries naming exactly this code before those adding more, then the file's order."""
        wanted = code.strip().upper()
        found = self._memo.get(wanted)
        if found is None:
            found = self._memo[wanted] = _uses_of(self, wanted)
        return found

    def search_word(self, slug: str) -> str:
        """The word a search names the provider by: its slug, or a host when the slug is too
        common a word (``free.fr``)."""
        if self.aliases.get(slug) == frozenset({slug}):
            return slug
        return min(
            (word for word, slugs in self.aliases.items() if slugs == frozenset({slug})),
            key=lambda word: (not word.startswith(slug), len(word), word),
            default=slug,
        )

    def uses_by(self, slug: str) -> tuple[ProviderUse, ...]:
        return tuple(use for use in self.uses if use.provider == slug)


def _covers(use: ProviderUse, cls: str, subject: str, detail: str) -> bool:
    if use.enhanced is None:
        return False
    own_cls, own_subject, own_detail = use.enhanced.split(".")
    if cls != "X" and own_cls != cls:
        return False
    if own_subject != subject or not detail.isdigit():
        return False
    if use.detail_to is None:
        return own_detail == detail
    return int(own_detail) <= int(detail) <= use.detail_to


def _uses_of(index: ProviderIndex, code: str) -> tuple[ProviderUse, ...]:
    parts = code.split(".")
    found: list[tuple[bool, ProviderUse]] = []
    for use in index.uses:
        if len(parts) == 1:
            if use.reply == code:
                found.append((use.enhanced is not None, use))
        elif len(parts) == 3 and _covers(use, *parts):
            found.append((use.reply is not None, use))
    order = {slug: number for number, slug in enumerate(index.names)}
    found.sort(key=lambda pair: (order[pair[1].provider], pair[0], pair[1].line))
    # One line per entry: Apple's ["550 5.7.1", "554 5.7.1"] is one meaning, sent with either.
    merged: dict[tuple[str, int, bool], ProviderUse] = {}
    for _, use in found:
        key = (use.provider, use.line, use.enhanced is None)
        first = merged.get(key)
        merged[key] = use if first is None else replace(first, code=f"{first.code}, {use.code}")
    return tuple(merged.values())


def build_index(path: str | os.PathLike[str] | None = None) -> ProviderIndex:
    """Parse the provider files (`DataError` on a problem) into the index."""
    from smtp_tui.core.providers import load_providers

    book = load_providers(path)
    providers = sorted(book, key=lambda provider: fold(provider.name))
    aliases: dict[str, set[str]] = {}
    uses: list[ProviderUse] = []
    for provider in providers:
        words = {provider.slug, *_NAME_WORD.findall(fold(provider.name))}
        labels = {host.split(".")[-2] for host in provider.hosts}
        words |= {label for label in labels if len(label) >= _HOST_LABEL}
        words = (words - _NOT_A_NAME) | set(provider.hosts)
        for word in words:
            aliases.setdefault(word, set()).add(provider.slug)
        for entry in provider.entries:
            for spec in entry.codes:
                uses.append(
                    ProviderUse(
                        provider=provider.slug,
                        provider_name=provider.name,
                        # Codes and pages repeat across entries: one string each, in the
                        # browser's memory and in the cache file (pickle shares an object).
                        code=sys.intern(spec.text),
                        meaning=entry.meaning,
                        reason=entry.reason.value,
                        bounce=entry.bounce.value,
                        source=sys.intern(entry.source),
                        line=entry.line,
                        reply=_shared(spec.reply),
                        enhanced=_shared(spec.enhanced),
                        detail_to=spec.detail_to,
                    )
                )
    for provider in providers:
        # "AOL Mail (hosted by Yahoo)": "yahoo" names Yahoo, not both.
        if provider.slug in aliases:
            aliases[provider.slug] = {provider.slug}
    return ProviderIndex(
        names={provider.slug: provider.name for provider in providers},
        aliases={word: frozenset(slugs) for word, slugs in sorted(aliases.items())},
        uses=_one_per_code(uses),
    )


def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def _one_per_code(uses: Iterable[ProviderUse]) -> tuple[ProviderUse, ...]:
    """An entry naming ``550 5.1.10`` and ``5.1.10`` is one use of 5.1.10, not two."""
    kept: dict[tuple[str, int, str | None, str | None], ProviderUse] = {}
    for use in uses:
        key = (use.provider, use.line, use.enhanced, use.reply)
        if use.enhanced is not None:
            bare = (use.provider, use.line, use.enhanced, None)
            if use.reply is None and any(k[:3] == bare[:3] and k[3] is not None for k in kept):
                continue
            kept.pop(bare, None)
        kept[key] = use
    return tuple(kept.values())


# ------------------------------------------------------------------------------------ caching


def _signature(folder: Path) -> tuple[str, ...] | None:
    here = Path(__file__).resolve().parent
    parts = [str(_INDEX_VERSION)]
    for file in (here / "provider_uses.py", here / "providers.py", *sorted(folder.glob("*.toml"))):
        try:
            stat = file.stat()
        except OSError:
            return None
        parts.append(f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
    return tuple(parts)


def _cache_file(folder: Path) -> Path | None:
    home = cache_home()
    if home is None:
        return None
    source = zlib.crc32(str(folder.resolve()).encode("utf-8", "surrogateescape"))
    return Path(home) / f"providers-{source:08x}.pickle"


_LOADED: dict[tuple[str, ...], ProviderIndex] = {}
_BROKEN: dict[tuple[str, ...], DataError] = {}
"""The problem of provider files that did not load: asked again, they fail at once, not after
another parse (the browser asks on every highlight)."""


def provider_index(path: str | os.PathLike[str] | None = None) -> ProviderIndex:
    """The index of the data folder's providers, from the cache when it is current.

    A data folder without providers gives an empty index; `DataError` on a broken provider file.
    """
    folder = data_dir(path) / FOLDER
    if not folder.is_dir():
        return ProviderIndex({}, {}, ())
    signature = _signature(folder)
    if signature is not None and signature in _LOADED:
        return _LOADED[signature]
    if signature is not None and signature in _BROKEN:
        raise _BROKEN[signature]
    cache = _cache_file(folder) if signature is not None else None
    index = _read(cache, signature) if cache is not None else None
    if index is None:
        try:
            index = build_index(path)
        except DataError as error:
            if signature is not None:
                _BROKEN[signature] = error
            raise
        if cache is not None:
            _write(cache, signature, index)
    if signature is not None:
        _LOADED[signature] = index
    return index


def _read(cache: Path, signature: tuple[str, ...] | None) -> ProviderIndex | None:
    try:
        with cache.open("rb") as stream:
            stored, index = pickle.load(stream)
    except Exception:  # a missing, stale or damaged cache only means parsing again
        return None
    return index if stored == signature and isinstance(index, ProviderIndex) else None


def _write(cache: Path, signature: tuple[str, ...] | None, index: ProviderIndex) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump((signature, index), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
    except OSError:
        return  # an unwritable cache folder costs speed, never correctness


# ------------------------------------------------------------------------------------- search


def codes_used_by(repository: Repository, index: ProviderIndex, slugs: Iterable[str]) -> list[Code]:
    """The repository's codes the providers use, each once, in the list's order; an enhanced
    code with a class (5.4.1) where the registry holds it without one (X.4.1)."""
    found: dict[str, Code] = {}
    for slug in slugs:
        for use in index.uses_by(slug):
            names = [use.reply] if use.reply else []
            if use.enhanced is not None:
                head, _, low = use.enhanced.rpartition(".")
                high = use.detail_to if use.detail_to is not None else int(low)
                names += [f"{head}.{detail}" for detail in range(int(low), high + 1)]
            for name in names:
                # Only names the repository holds: a miss makes `get` look for suggestions.
                held = name in repository or f"X.{name.partition('.')[2]}" in repository
                if held:
                    code = repository.get(name)
                    found.setdefault(code.code, code)
    return sorted(found.values(), key=sort_key)


def search(
    repository: Repository,
    query: str,
    reply_class: int | None = None,
    family: Family | None = None,
    path: str | os.PathLike[str] | None = None,
    index: ProviderIndex | None = None,
) -> CodeView:
    """`Repository.search`, where a provider's name in the query (``microsoft``, ``gmail``)
    narrows the list to the codes that provider uses; the other words then match the code's own
    text or what that provider means by it. Without a provider's name, the repository's search.

    `index` as the browser keeps it for the session; by default read from `path`'s data folder.
    """
    words = query.split()
    if not words:
        return repository.search(query, reply_class, family)
    if index is None:
        try:
            index = provider_index(path)
        except DataError:  # broken provider data must never break a plain search
            return repository.search(query, reply_class, family)
    slugs: set[str] = set()
    rest: list[str] = []
    for word in words:
        named = index.providers_named(word)
        slugs |= named
        if not named:
            rest.append(word)
    if not slugs:
        return repository.search(query, reply_class, family)
    wanted = ReplyClass(reply_class) if reply_class is not None else None
    if wanted is not None:
        family = Family.BASIC
    pool = repository.search(" ".join(rest), reply_class, family) if rest else None
    own = {code.code for code in pool} if pool is not None else None
    chosen = []
    for code in codes_used_by(repository, index, sorted(slugs)):
        if wanted is not None and not (isinstance(code, ReplyCode) and code.reply_class is wanted):
            continue
        if family is not None and code.family != family:
            continue
        if own is not None and code.code not in own:
            meanings = fold(
                " ".join(use.meaning for use in index.uses_of(code.code) if use.provider in slugs)
            )
            if not all(fold(word) in meanings for word in rest):
                continue
        chosen.append(code)
    return CodeView(tuple(chosen), query, wanted, family, (RANK_NAME,) * len(chosen))


def provider_names(index: ProviderIndex) -> Sequence[tuple[str, str]]:
    """(slug, display name) of every provider, by display name: the palette's entries."""
    return list(index.names.items())
