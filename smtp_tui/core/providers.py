"""What mail providers mean by their replies: `data/providers/*.toml`, loaded, validated and asked.

Providers reuse the registry's numbers for their own meanings (Microsoft's 5.4.1 is "no such
recipient here", not a routing failure), so a reply is read against the provider that sent it.
The data is human-edited and checked like the code data: one line naming file:line, entry and
field on the first problem, never a traceback.

Only the commands that read replies need this module: `show` and `list` never import it (a test
checks), and nothing is parsed until `load_providers` is called.

Detection (`ProviderBook.detect`) reads the text in three steps, the first that names a provider
wins:

1. the remote that replied: a ``host X said`` line, a ``Remote-MTA`` field, or the host a reply
   names in brackets (``[BN1NAM02FT022.eop-nam02.prod.protection.outlook.com]``);
2. a provider's markers: literal words only its replies carry (``gsmtp``, ``RESOLVER.ADR.``);
3. any other host name or domain in the text (a ``Reporting-MTA``, a recipient's domain), in the
   order they appear.

A host belongs to a provider when one of its ``hosts`` is the host or a suffix of it at a dot
boundary (``mx.google.com`` under ``google.com``), case-insensitively.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smtp_tui.core import model
from smtp_tui.core.entries import EntryPlace, read_toml, shown_path, string_list, text_field
from smtp_tui.core.errors import DataError, Words
from smtp_tui.core.loading import data_dir
from smtp_tui.core.reasons import Bounce, Fault, Reason, bounce_of
from smtp_tui.core.text import printable, quoted_later
from smtp_tui.core.vocabulary import Family

FOLDER = "providers"
"""The providers' folder inside the data folder (``data/providers``)."""

_PROVIDER_FIELDS = frozenset(("slug", "name", "hosts", "markers", "docs", "license"))
_ENTRY_TEXT = ("meaning", "description", "fix_sender", "fix_admin", "retry", "source")
_ENTRY_FIELDS = frozenset(
    ("codes", "pattern", "reason", "bounce", "fault", "checked", *_ENTRY_TEXT)
)
_SLUG = re.compile(r"[a-z][a-z0-9]*")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")
_ENHANCED_RANGE = re.compile(
    r"(?P<cls>[245])\.(?P<subject>[0-9]{1,3})\.(?P<low>[0-9]{1,3})-(?P<high>[0-9]{1,3})"
)


@dataclass(frozen=True)
class CodeSpec:
    """One item of an entry's ``codes``: a reply code, an enhanced code (or a range), or both."""

    reply: str | None
    enhanced: str | None
    """``5.1.10``; None when the item names only a reply code."""
    detail_to: int | None = None
    """The last detail of a range (``5.7.606-649``): Microsoft documents some codes as ranges."""

    @property
    def text(self) -> str:
        enhanced = self.enhanced or ""
        if self.detail_to is not None:
            enhanced = f"{enhanced}-{self.detail_to}"
        return " ".join(part for part in (self.reply, enhanced) if part)

    @property
    def reply_class(self) -> str:
        return (self.reply or self.enhanced or "")[:1]

    def covers_enhanced(self, enhanced: str) -> bool:
        if self.enhanced is None:
            return False
        if self.detail_to is None:
            return self.enhanced == enhanced
        head, _, low = self.enhanced.rpartition(".")
        wanted_head, _, detail = enhanced.rpartition(".")
        return head == wanted_head and int(low) <= int(detail) <= self.detail_to

    def matches(self, reply: str | None, enhanced: str | None) -> int:
        """How many of the item's parts the reply matches; 0 when one of them differs."""
        if self.reply is not None and self.reply != reply:
            return 0
        if self.enhanced is not None and (enhanced is None or not self.covers_enhanced(enhanced)):
            return 0
        return (self.reply is not None) + (self.enhanced is not None)


@dataclass(frozen=True)
class ProviderEntry:
    """What one provider means by a code (and, when given, the words its reply carries)."""

    provider: str
    """The provider's slug (``microsoft``)."""
    codes: tuple[CodeSpec, ...]
    pattern: re.Pattern[str] | None
    """Matched case-insensitively anywhere in the reply text; entries with one are preferred."""
    meaning: str
    """The provider's meaning, as a short name."""
    description: str
    fix_sender: str
    fix_admin: str
    reason: Reason
    bounce: Bounce
    fault: Fault
    retry: str
    source: str
    """The provider's own page for this fact."""
    checked: datetime.date
    file: str
    line: int

    @property
    def place(self) -> str:
        """``file:line`` of the entry, for messages and for ``why``."""
        return f"{self.file}:{self.line}"

    @property
    def code_text(self) -> str:
        return ", ".join(spec.text for spec in self.codes)

    def fit(self, reply: str | None, enhanced: str | None) -> int:
        return max(spec.matches(reply, enhanced) for spec in self.codes)


@dataclass(frozen=True)
class Provider:
    """A mail provider: how to recognise its replies, and what it means by them."""

    slug: str
    name: str
    hosts: tuple[str, ...]
    """Host or domain suffixes (``protection.outlook.com``), lowercase."""
    markers: tuple[str, ...]
    """Literal, case-sensitive words only this provider's replies carry."""
    docs: str
    license: str
    entries: tuple[ProviderEntry, ...]
    file: str


_SAID = re.compile(
    r"(?:\bhost\s+(?P<said>[^\s\[\]()<>,;]+)|\bremote-mta\s*:\s*(?:dns\s*;\s*)?(?P<mta>[^\s\[\]();]+))",
    re.I,
)
_BRACKETED = re.compile(r"\[(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,})\]")
_ANY_HOST = re.compile(r"(?<![A-Za-z0-9.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class ProviderBook:
    """Every provider's entries, with the questions the explainer and the browser ask of them."""

    def __init__(self, providers: list[Provider]) -> None:
        self.providers: tuple[Provider, ...] = tuple(sorted(providers, key=lambda p: p.slug))
        self._by_slug = {provider.slug: provider for provider in self.providers}
        self._by_host = {host: provider for provider in self.providers for host in provider.hosts}

    def __len__(self) -> int:
        return len(self.providers)

    def __iter__(self) -> Iterator[Provider]:
        return iter(self.providers)

    def get(self, slug: str) -> Provider | None:
        return self._by_slug.get(slug)

    def entries(self) -> Iterator[ProviderEntry]:
        for provider in self.providers:
            yield from provider.entries

    def owner_of(self, host: str) -> Provider | None:
        """The provider one of whose hosts is `host` or a suffix of it at a dot boundary."""
        labels = host.strip(".").lower().split(".")
        for start in range(len(labels) - 1):
            found = self._by_host.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def detect(self, text: str) -> Provider | None:
        """The provider that sent a reply or report, by the rules in this module's docstring."""
        for match in _SAID.finditer(text):
            found = self.owner_of(match.group("said") or match.group("mta") or "")
            if found is not None:
                return found
        for match in _BRACKETED.finditer(text):
            found = self.owner_of(match.group("host"))
            if found is not None:
                return found
        for provider in self.providers:
            if any(marker in text for marker in provider.markers):
                return provider
        for match in _ANY_HOST.finditer(text):
            found = self.owner_of(match.group())
            if found is not None:
                return found
        return None

    def match(
        self,
        reply_code: str | None,
        enhanced: str | None,
        text: str,
        provider: Provider | str | None = None,
    ) -> ProviderEntry | None:
        """The provider's entry for a reply: pattern entries first, then code-only ones.

        Within each, an entry naming both codes beats one naming only one of them; then the
        file's order. The provider is detected from `text` when not given.
        """
        if isinstance(provider, str):
            chosen = self.get(provider)  # a slug no file defines matches nothing
        else:
            chosen = provider if provider is not None else self.detect(text)
        if chosen is None:
            return None
        best: tuple[int, int, int] | None = None
        found: ProviderEntry | None = None
        for order, entry in enumerate(chosen.entries):
            fit = entry.fit(reply_code, enhanced)
            if not fit:
                continue
            if entry.pattern is not None and not entry.pattern.search(text):
                continue
            rank = (entry.pattern is not None, fit, -order)
            if best is None or rank > best:
                best, found = rank, entry
        return found

    def for_code(self, code: str) -> list[ProviderEntry]:
        """What providers mean by a code (``5.4.1``, ``550`` or ``550 5.4.1``), by provider."""
        spec = parse_code(code.strip())
        if spec is None:
            return []
        return [
            entry for entry in self.entries() if any(_names(item, spec) for item in entry.codes)
        ]


def _names(item: CodeSpec, asked: CodeSpec) -> bool:
    if asked.reply is not None and item.reply != asked.reply:
        return False
    return asked.enhanced is None or item.covers_enhanced(asked.enhanced)


def parse_code(text: str) -> CodeSpec | None:
    """``550``, ``5.1.10``, ``550 5.1.10`` or ``5.7.606-649`` as a `CodeSpec`; None if malformed."""
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        return None
    first = model.parse_code(parts[0])
    reply = parts[0] if first is not None and first.family is Family.BASIC else None
    rest = parts[1:] if reply is not None else parts
    if len(rest) > 1 or (reply is None and not rest):
        return None
    if not rest:
        return CodeSpec(reply, None)
    single = model.parse_code(rest[0])
    if single is not None and single.family is Family.ENHANCED and single.sendable:
        return CodeSpec(reply, rest[0])
    ranged = _ENHANCED_RANGE.fullmatch(rest[0])
    if ranged is None or int(ranged["low"]) >= int(ranged["high"]):
        return None
    start = f"{ranged['cls']}.{ranged['subject']}.{ranged['low']}"
    return CodeSpec(reply, start, int(ranged["high"]))


# ------------------------------------------------------------------------------------- loading


@functools.cache
def _load_cached(folder: Path, signature: tuple[tuple[str, int, int], ...]) -> ProviderBook:
    del signature  # only part of the cache key: a changed file parses again
    book = ProviderBook([_load_file(file) for file in sorted(folder.glob("*.toml"))])
    _check_hosts(book)
    return book


def load_providers(path: str | os.PathLike[str] | None = None) -> ProviderBook:
    """Every ``providers/*.toml`` of the data folder; `DataError` (one line) on the first problem.

    A data folder without a ``providers`` folder has no provider knowledge: an empty book.
    Kept per process, keyed by the files' sizes and times, so asking twice parses once.
    """
    folder = data_dir(path) / FOLDER
    if not folder.is_dir():
        return ProviderBook([])
    signature = []
    for file in sorted(folder.glob("*.toml")):
        try:
            stat = file.stat()
        except OSError as error:
            raise DataError(
                "data.cannot_read", path=shown_path(file), reason=error.strerror
            ) from None
        signature.append((str(file), stat.st_size, stat.st_mtime_ns))
    return _load_cached(folder.resolve(), tuple(signature))


def _load_file(file: Path) -> Provider:
    path = shown_path(file)
    document, source = read_toml(file)
    unknown = sorted(set(document) - {"provider", "entry"})
    if unknown:
        raise DataError("providers.top_level", path=path, key=repr(unknown[0]))
    header = document.get("provider")
    if not isinstance(header, dict):
        raise DataError("providers.no_provider", path=path)
    lines = source.splitlines()
    provider_line = _header_lines(lines, "[provider]")
    place = EntryPlace(file, 1, provider_line[:1])
    who = "[provider]"
    unknown = sorted(set(header) - _PROVIDER_FIELDS)
    if unknown:
        raise place.error(who, unknown[0], Words("data.unknown_field"))
    slug = text_field(header, "slug", place, who, required=True)
    if slug != file.stem or not _SLUG.fullmatch(slug):
        raise place.error(who, "slug", Words("providers.slug", stem=printable(file.stem)))
    name = text_field(header, "name", place, who, required=True)
    hosts = string_list(header, "hosts", place, who, allow_empty=False)
    for host in hosts:
        if not _HOST.fullmatch(host):
            raise place.error(who, "hosts", Words("providers.host", item=quoted_later(host, 40)))
    markers = string_list(header, "markers", place, who, allow_empty=True)
    for marker in markers:
        if not marker.strip():
            raise place.error(who, "markers", Words("data.empty_text"))
    docs = _https(header, "docs", place, who)
    licence = text_field(header, "license", place, who, required=False)
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        raise DataError("providers.not_tables", path=path)
    entry_lines = _header_lines(lines, "[[entry]]")
    parsed: list[ProviderEntry] = []
    seen: dict[tuple[tuple[str, ...], str], ProviderEntry] = {}
    for number, entry in enumerate(entries, start=1):
        found = _parse_entry(entry, EntryPlace(file, number, entry_lines), slug)
        key = (
            tuple(sorted(spec.text for spec in found.codes)),
            found.pattern.pattern if found.pattern else "",
        )
        if key in seen:
            raise EntryPlace(file, number, entry_lines).error(
                found.code_text, "codes", Words("providers.duplicate", where=seen[key].place)
            )
        seen[key] = found
        parsed.append(found)
    return Provider(
        slug, name, tuple(h.lower() for h in hosts), markers, docs, licence, tuple(parsed), path
    )


def _header_lines(lines: list[str], header: str) -> list[int]:
    return [
        number
        for number, line in enumerate(lines, start=1)
        if line.strip().replace(" ", "") == header
    ]


def _https(table: dict[str, Any], name: str, place: EntryPlace, who: str) -> str:
    value = text_field(table, name, place, who, required=True)
    if not re.fullmatch(r"https://[^\s/]+\.[^\s/]+(?:/\S*)?", value):
        raise place.error(who, name, Words("providers.not_https", got=quoted_later(value, 40)))
    return value


def _one_of(
    entry: dict[str, Any],
    name: str,
    choices: type[Reason] | type[Bounce] | type[Fault],
    place: EntryPlace,
    who: str,
) -> str:
    value = text_field(entry, name, place, who, required=True)
    allowed = [member.value for member in choices]
    if value not in allowed:
        shown = ", ".join(allowed)
        raise place.error(
            who, name, Words("data.not_one_of", item=quoted_later(value, 20), choices=shown)
        )
    return value


def _parse_entry(entry: object, place: EntryPlace, slug: str) -> ProviderEntry:
    if not isinstance(entry, dict):
        raise place.error(None, "codes", Words("providers.need_table"))
    raw_codes = entry.get("codes")
    who: str | None = None
    if isinstance(raw_codes, list) and raw_codes and all(isinstance(c, str) for c in raw_codes):
        who = ", ".join(raw_codes)
    unknown = sorted(set(entry) - _ENTRY_FIELDS)
    if unknown:
        raise place.error(who, unknown[0], Words("data.unknown_field"))
    codes = string_list(entry, "codes", place, who or "", allow_empty=False)
    specs = []
    for item in codes:
        spec = parse_code(item.strip())
        if spec is None:
            raise place.error(
                who, "codes", Words("providers.code_shape", item=quoted_later(item, 20))
            )
        if spec.reply and spec.enhanced and spec.reply[0] != spec.enhanced[0]:
            raise place.error(
                who, "codes", Words("providers.class_mismatch", item=quoted_later(item, 20))
            )
        specs.append(spec)
    label = who or ""
    pattern = None
    if "pattern" in entry:
        text_field(entry, "pattern", place, label, required=True)  # a non-empty string
        try:
            pattern = re.compile(entry["pattern"], re.IGNORECASE)
        except re.error as error:
            detail = printable(f"{error.msg} at position {error.pos}", limit=80)
            raise place.error(
                label, "pattern", Words("providers.bad_pattern", detail=detail)
            ) from None
    text = {name: text_field(entry, name, place, label, required=True) for name in _ENTRY_TEXT}
    reason = Reason(_one_of(entry, "reason", Reason, place, label))
    bounce = Bounce(_one_of(entry, "bounce", Bounce, place, label))
    fault = Fault(_one_of(entry, "fault", Fault, place, label))
    for spec in specs:
        expected = bounce_of(reason, spec.reply_class)
        if expected is not None and expected is not bounce:
            problem = Words(
                "providers.bounce_rule",
                said=bounce.value,
                reason=reason.value,
                code=spec.text,
                expected=expected.value,
            )
            raise place.error(label, "bounce", problem)
    if not text["source"].startswith("https://") or not re.fullmatch(
        r"https://\S+", text["source"]
    ):
        raise place.error(
            label, "source", Words("providers.not_https", got=quoted_later(text["source"], 40))
        )
    checked = entry.get("checked")
    if not isinstance(checked, datetime.date) or isinstance(checked, datetime.datetime):
        got = "" if checked is None else printable(repr(checked), limit=30)
        problem = Words("data.missing") if checked is None else Words("providers.not_date", got=got)
        raise place.error(label, "checked", problem)
    return ProviderEntry(
        provider=slug,
        codes=tuple(specs),
        pattern=pattern,
        reason=reason,
        bounce=bounce,
        fault=fault,
        checked=checked,
        file=shown_path(place.file),
        line=place.line,
        **text,
    )


def _check_hosts(book: ProviderBook) -> None:
    """A host claimed by two providers would make detection depend on file order."""
    owners: dict[str, Provider] = {}
    for provider in book.providers:
        for host in provider.hosts:
            other = owners.setdefault(host, provider)
            if other is not provider:
                raise DataError(
                    "providers.host_twice", path=provider.file, host=host, other=other.file
                )
