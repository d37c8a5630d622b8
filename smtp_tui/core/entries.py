"""One data file read, and each entry in it checked field by field into a code.

Every problem is a `DataError` of one line naming the file, the line, the entry and the field, so
a mistake in a data file (ours, a translation, the user's own codes) is found without a debugger.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from smtp_tui.core.errors import DataError, Words
from smtp_tui.core.model import (
    ACTORS,
    BASIC_CODE,
    COMMANDS,
    ENHANCED_CODE,
    EnhancedCode,
    Reference,
    ReplyClass,
    ReplyCode,
)
from smtp_tui.core.text import CONTROL, printable, quoted_later
from smtp_tui.core.vocabulary import Family

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

_Parsed = TypeVar("_Parsed")


def shown_path(path: Path) -> str:
    """A path as short as can be read: relative to the working folder where it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_toml(file: Path) -> tuple[dict[str, Any], str]:
    """A data file's document and its text; `DataError` (one line) when it cannot be read."""
    path = shown_path(file)
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise DataError("data.cannot_read", path=path, reason=error.strerror) from None
    import tomllib  # only here: a run that finds the parsed-data cache never pays for it

    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as error:
        raise DataError("data.not_utf8", path=path, byte=error.start) from None
    except tomllib.TOMLDecodeError as error:
        raise DataError("data.toml_syntax", path=path, detail=error) from None


def load_file(file: Path, parse: Callable[[object, EntryPlace], _Parsed]) -> list[_Parsed]:
    path = shown_path(file)
    document, text = read_toml(file)
    unknown = sorted(set(document) - {"code"})
    if unknown:
        raise DataError("data.top_level", path=path, key=repr(unknown[0]))
    entries = document.get("code", [])
    if not isinstance(entries, list):
        raise DataError("data.not_tables", path=path)
    lines = _entry_lines(text)
    return [
        parse(entry, EntryPlace(file, number, lines))
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
class EntryPlace:
    """Where an entry stands, to name it in error messages."""

    file: Path
    number: int
    lines: list[int]

    @property
    def line(self) -> int:
        """The line of the entry's ``[[code]]`` header; 0 when it cannot be found."""
        return self.lines[self.number - 1] if self.number <= len(self.lines) else 0

    def error(self, code: object, field_name: str, problem: Words) -> DataError:
        line = self.line
        where = f"{shown_path(self.file)}:{line}" if line else shown_path(self.file)
        if isinstance(code, str) and code:
            who = Words("data.entry", code=printable(code, limit=20))
        else:
            who = Words("data.entry_number", number=self.number)
        return DataError(
            "data.field", where=where, who=who, field=printable(field_name), problem=problem
        )


def parse_basic(entry: object, place: EntryPlace) -> ReplyCode:
    if not isinstance(entry, dict):
        raise place.error(None, "code", Words("data.need_table"))
    code = entry.get("code")
    if not isinstance(code, str) or not BASIC_CODE.fullmatch(code):
        shown = printable(repr(code), limit=20)
        raise place.error(None, "code", Words("data.basic_shape", got=shown))
    for derived in _DERIVED_FIELDS:
        if derived in entry:
            truth = ReplyClass(int(code[0])).label if derived == "class" else f"x{code[1]}z"
            said = printable(str(entry[derived]), limit=20)
            raise place.error(code, derived, Words("data.derived", truth=truth, said=repr(said)))
    unknown = sorted(set(entry) - _KNOWN_FIELDS)
    if unknown:
        raise place.error(code, unknown[0], Words("data.unknown_field"))
    # Any: these only fill the str fields, which mypy cannot tell from a dict's keys.
    text: dict[str, Any] = {
        name: text_field(entry, name, place, code, required=True) for name in _REQUIRED_TEXT
    }
    optional: dict[str, Any] = {
        name: text_field(entry, name, place, code, required=False) for name in _OPTIONAL_TEXT
    }
    standard = _standard(entry, place, code, optional["origin"])
    commands = _names(entry, "commands", COMMANDS, place, code)
    action_by = _names(entry, "action_by", ACTORS, place, code)
    references = _references(entry, place, code)
    checked = _references(entry, place, code, "checked", required=False)
    defined_in = _references(entry, place, code, "defined_in", required=False)
    for reference in defined_in:
        if reference not in references:
            item = quoted_later(str(reference), 30)
            raise place.error(code, "defined_in", Words("data.defined_not_cited", item=item))
    related = _codes(entry, "related", BASIC_CODE, Family.BASIC, place, code)
    counterpart = entry.get("counterpart")
    if counterpart is not None and (
        not isinstance(counterpart, str) or not BASIC_CODE.fullmatch(counterpart)
    ):
        raise place.error(code, "counterpart", Words("data.counterpart_shape"))
    if counterpart == code:
        raise place.error(code, "counterpart", Words("data.own_counterpart"))
    read_as = entry.get("read_as", "")
    if read_as and not _reads_as_enhanced(code, read_as):
        raise place.error(code, "read_as", Words("data.read_as_shape", cls=code[0]))
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


def parse_enhanced(entry: object, place: EntryPlace) -> EnhancedCode:
    if not isinstance(entry, dict):
        raise place.error(None, "code", Words("data.need_table"))
    code = entry.get("code")
    match = ENHANCED_CODE.fullmatch(code) if isinstance(code, str) else None
    if not isinstance(code, str) or match is None or code != code.upper():
        shown = printable(repr(code), limit=20)
        raise place.error(None, "code", Words("data.enhanced_shape", got=shown))
    cls, subject, detail = code.split(".")
    registry_form = (cls == "X" and subject != "X") or (cls != "X" and subject == "X" == detail)
    if subject.isdigit() and int(subject) > 7:
        raise place.error(code, "code", Words("data.subject_range"))
    unknown = sorted(set(entry) - _ENHANCED_FIELDS)
    if unknown:
        raise place.error(code, unknown[0], Words("data.unknown_field"))
    text: dict[str, Any] = {
        name: text_field(entry, name, place, code, required=True) for name in _ENHANCED_TEXT
    }
    origin = text_field(entry, "origin", place, code, required=False)
    retry_line = text_field(entry, "retry_line", place, code, required=False)
    standard = _standard(entry, place, code, origin)
    if standard and not registry_form:
        raise place.error(code, "code", Words("data.registry_shape"))
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
    entry: dict[str, Any], place: EntryPlace, code: str, reply_codes: tuple[str, ...]
) -> tuple[str, ...]:
    """The registry's ranges (``Any``, ``5XX``); ``Any`` already covers every code and range."""
    if "registry_replies" not in entry:
        return ()
    ranges = string_list(entry, "registry_replies", place, code, allow_empty=False)
    for item in ranges:
        if not REGISTRY_RANGE.fullmatch(item):
            problem = Words(
                "data.not_one_of", item=quoted_later(item, 20), choices="Any, 2XX, 4XX, 5XX"
            )
            raise place.error(code, "registry_replies", problem)
    if "Any" in ranges and (reply_codes or len(ranges) > 1):
        raise place.error(code, "registry_replies", Words("data.range_and_codes"))
    return ranges


def _standard(entry: dict[str, Any], place: EntryPlace, code: str, origin: str) -> bool:
    standard = entry.get("standard")
    if not isinstance(standard, bool):
        raise place.error(code, "standard", Words("data.true_false"))
    if not standard and not origin:
        raise place.error(code, "origin", Words("data.origin_needed"))
    return standard


def _codes(
    entry: dict[str, Any],
    name: str,
    pattern: re.Pattern[str],
    family: Family,
    place: EntryPlace,
    code: str,
) -> tuple[str, ...]:
    """A list field of codes: each well formed, none the entry's own code."""
    items = string_list(entry, name, place, code, allow_empty=True)
    for item in items:
        if not pattern.fullmatch(item):
            kind = Words(family.key)
            raise place.error(
                code, name, Words("data.not_kind", item=quoted_later(item, 20), kind=kind)
            )
        if item == code:
            raise place.error(code, name, Words("data.self_related"))
    return items


def _references(
    entry: dict[str, Any],
    place: EntryPlace,
    code: str,
    name: str = "references",
    required: bool = True,
) -> tuple[Reference, ...]:
    """A list of RFC references; `checked` (what a second reader checked) may be absent."""
    if not required and name not in entry:
        return ()
    references = []
    for item in string_list(entry, name, place, code, allow_empty=not required):
        reference = _REFERENCES.get(item) or Reference.parse(item)
        if reference is None:
            raise place.error(
                code, name, Words("data.reference_shape", item=quoted_later(item, 30))
            )
        references.append(_REFERENCES.setdefault(item, reference))
    return tuple(references)


_REFERENCES: dict[str, Reference] = {}
"""Each citation made once: the catalogue cites about 150 sections 1,164 times, and one shared
object each (kept shared in the parsed-data cache) is 0.2 MiB less of the browser's memory."""


def text_field(
    entry: dict[str, Any], name: str, place: EntryPlace, code: str, required: bool
) -> str:
    value = entry.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problem = Words("data.missing") if value is None else Words("data.empty_text")
        raise place.error(code, name, problem)
    if CONTROL.search(value.replace("\n", "").replace("\t", "")):
        raise place.error(code, name, Words("data.control"))
    return " ".join(value.split())


def string_list(
    entry: dict[str, Any], name: str, place: EntryPlace, code: str, allow_empty: bool
) -> tuple[str, ...]:
    value = entry.get(name)
    if value is None:
        raise place.error(code, name, Words("data.missing"))
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise place.error(code, name, Words("data.string_list"))
    if not value and not allow_empty:
        raise place.error(code, name, Words("data.empty_list"))
    # Codes, commands and citations, repeated across entries: one string each (and in the cache).
    return tuple(map(sys.intern, value))


def _names(
    entry: dict[str, Any], name: str, allowed: tuple[str, ...], place: EntryPlace, code: str
) -> tuple[str, ...]:
    values = string_list(entry, name, place, code, allow_empty=False)
    for value in values:
        if value not in allowed:
            choices = ", ".join(allowed)
            raise place.error(
                code, name, Words("data.not_one_of", item=quoted_later(value, 20), choices=choices)
            )
    return values
