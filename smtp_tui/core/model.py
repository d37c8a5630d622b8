"""The domain objects of smtp-tui: reply codes, their classes and categories, comparisons.

Plain frozen dataclasses with no Textual or Rich import, so the CLI, the browser and the tests share
them and the CLI starts fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import ClassVar

from smtp_tui.core.i18n import active, text
from smtp_tui.core.vocabulary import EnhancedKind, Family

BASIC_CODE = re.compile(r"[2-5][0-5][0-9]")
"""A three-digit reply code as RFC 5321 §4.2 allows it (first digit 2-5, second 0-5)."""

ENHANCED_CODE = re.compile(
    r"(?P<cls>[245X])\.(?P<subject>[0-9]{1,3}|X)\.(?P<detail>[0-9]{1,3}|X)",
    re.IGNORECASE,
)
"""An enhanced status code (RFC 3463 §2): ``5.1.1``, or the registry's ``X.1.1`` and ``X.1.X``."""

_CODE_SEPARATORS = re.compile(r"[\s,;/&+]+")
"""What may stand between codes a user types together: ``4.2.2 5.2.2``, ``452,552``, ``452/552``."""


@dataclass(frozen=True, slots=True)
class CodeName:
    """A code as a user or the data writes it, recognised: its family and its written form,
    ``X`` in upper case (``x.1.1`` is ``X.1.1``). Whether the data holds it is the repository's
    question; this one is only whether it has the shape of a code."""

    family: Family
    code: str

    @property
    def parts(self) -> tuple[str, ...]:
        """``("5", "1", "1")`` for an enhanced code; ``("550",)`` for a reply code."""
        return tuple(self.code.split("."))

    @property
    def sendable(self) -> bool:
        """Whether a server can send it as written: every part a number (``550``, ``5.1.1``),
        not the registry's ``X.1.1`` or ``5.X.X``."""
        return "X" not in self.code


def parse_code(text: str) -> CodeName | None:
    """The code `text` names, blanks around it ignored, or None when it is not shaped as one.

    The one parser of a code typed or read whole: the repository, the CLI, the palette and the
    provider files all recognise codes by it. (Finding codes inside free text is the scanner's
    job: `smtp_tui.core.scanner.finder` says why it has its own patterns.)
    """
    word = text.strip()
    if BASIC_CODE.fullmatch(word):
        return CodeName(Family.BASIC, word)
    match = ENHANCED_CODE.fullmatch(word)
    if match is None:
        return None
    return CodeName(
        Family.ENHANCED,
        f"{match['cls'].upper()}.{match['subject'].upper()}.{match['detail'].upper()}",
    )


def codes_in(text: str) -> list[CodeName]:
    """The codes among the words of `text`, in order, each once: ``4.2.2 5.2.2`` or ``452, 552``.

    Words that are not codes are skipped, so ``compare 452 with 552`` gives both codes.
    """
    found: dict[str, CodeName] = {}
    for word in _CODE_SEPARATORS.split(text):
        name = parse_code(word)
        if name is not None:
            found.setdefault(name.code, name)
    return list(found.values())


REFERENCE = re.compile(r"RFC (?P<rfc>[1-9][0-9]{2,4})(?: §(?P<section>[0-9]+(?:\.[0-9]+)*))?")
"""A citation as the data writes it: ``RFC 5321 §4.2.3`` or ``RFC 5321``."""

COMMANDS: tuple[str, ...] = (
    "CONNECT",
    "EHLO",
    "HELO",
    "MAIL",
    "RCPT",
    "DATA",
    "DATA-END",
    "BDAT",
    "RSET",
    "VRFY",
    "EXPN",
    "HELP",
    "NOOP",
    "QUIT",
    "AUTH",
    "STARTTLS",
    "ETRN",
    "ATRN",
    "ANY",
)
"""The command names the data may use in ``commands``."""

ACTORS: tuple[str, ...] = (
    "none",
    "client",
    "sender",
    "sending-admin",
    "receiving-admin",
    "recipient",
)
"""Who has to act on a reply, as the data names them."""


def command_words(command: str) -> str:
    """How a command is shown: its own name, or words for the pseudo-commands (CONNECT, ANY)."""
    key = f"command.{command}"
    return text(key) if active().lookup(key) is not None else command


def actor_words(actor: str) -> str:
    return text(f"actor.{actor}")


def subject_name(subject: int) -> str:
    """The name of an RFC 3463 subject (X.2.X is "Mailbox status")."""
    return text(f"subject.{subject}") if subject in SUBJECTS else text("subject.unknown")


class _Worded:
    """An enum whose member names, meanings and retry rules live in the catalogue, under
    ``<_words>.<digit>.title`` and so on, so every language has them.

    The keys are built from the digit, the one place they are: the digits are the RFCs' own
    numbering, and the test of the catalogue asks every member for every one of its `PARTS`.
    """

    _words: ClassVar[str]
    PARTS: ClassVar[tuple[str, ...]]
    value: int

    def __init_subclass__(
        cls, words: str = "", parts: tuple[str, ...] = ("title", "meaning"), **kwargs: object
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls._words = words
        cls.PARTS = parts

    def key(self, part: str) -> str:
        """The catalogue key of one of its `PARTS`: ``class.4.retry``."""
        return f"{self._words}.{self.value}.{part}"

    def _word(self, part: str) -> str:
        return text(self.key(part))

    @property
    def title(self) -> str:
        return self._word("title")

    @property
    def meaning(self) -> str:
        return self._word("meaning")


class ReplyClass(_Worded, Enum, words="class", parts=("title", "meaning", "retry")):
    """The first digit of a reply code (RFC 5321 §4.2.1)."""

    POSITIVE_COMPLETION = 2
    POSITIVE_INTERMEDIATE = 3
    TRANSIENT_NEGATIVE = 4
    PERMANENT_NEGATIVE = 5

    @property
    def label(self) -> str:
        """The short form used in lists: ``4xx``."""
        return f"{self.value}xx"

    @property
    def retry(self) -> str:
        return self._word("retry")


class Category(_Worded, Enum, words="category"):
    """The second digit of a reply code (RFC 5321 §4.2.1)."""

    SYNTAX = 0
    INFORMATION = 1
    CONNECTIONS = 2
    UNSPECIFIED_3 = 3
    UNSPECIFIED_4 = 4
    MAIL_SYSTEM = 5

    @property
    def label(self) -> str:
        """The short form RFC 5321 uses: ``x5z``."""
        return f"x{self.value}z"


@dataclass(frozen=True, slots=True)
class Reference:
    """A citation of an RFC, optionally of one section."""

    rfc: int
    section: str | None = None

    @classmethod
    def parse(cls, text: str) -> Reference | None:
        """``None`` when the text is not a well-formed citation, so the loader can say where."""
        match = REFERENCE.fullmatch(text)
        if match is None:
            return None
        return cls(int(match["rfc"]), match["section"])

    def __str__(self) -> str:
        return f"RFC {self.rfc}" + (f" §{self.section}" if self.section else "")


class CodeEntry:
    """What a reply code and an enhanced code share: an entry of the data, in prose that may be
    translated, citing RFCs, with a family, a colour and a place in the list.

    A plain class, not a dataclass, so that each code type keeps its own order of fields.
    """

    family: ClassVar[Family]
    prose_fields: ClassVar[tuple[str, ...]]
    """The fields written in words, which a translation may give in its language."""

    code: str
    name: str
    standard: bool
    description: str
    when: str
    fix_sender: str
    fix_admin: str
    references: tuple[Reference, ...]
    related: tuple[str, ...]
    origin: str
    retry_line: str
    checked: tuple[Reference, ...]
    source: str
    line: int
    untranslated: tuple[str, ...]

    @property
    def rfcs(self) -> tuple[int, ...]:
        """The RFCs cited, without repeats, in the order first cited."""
        return tuple(dict.fromkeys(ref.rfc for ref in self.references))

    @property
    def tone(self) -> int:
        """The class digit, for colour: the same for 4xx and 4.X.X everywhere (0: no class)."""
        raise NotImplementedError

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Its place in the list: basic codes by number, then enhanced codes by subject and
        detail, each subject first."""
        raise NotImplementedError

    @property
    def english_note(self) -> str:
        """The one line shown above a code none of whose prose exists in the interface
        language."""
        written = {name for name in self.prose_fields if getattr(self, name)}
        if self.untranslated and set(self.untranslated) >= written:
            return text("code.english_only")
        return ""

    def in_english(self, name: str) -> bool:
        """Whether to mark field `name` as English: the code is partly translated, this field
        not. A code with no translation at all gets `english_note` once instead of a mark on
        every field."""
        return name in self.untranslated and not self.english_note

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class ReplyCode(CodeEntry):
    """One three-digit SMTP reply code and everything we know about it."""

    code: str
    """Three digits, the first 2-5 and the second 0-5."""
    name: str
    standard: bool
    """True when a standards-track RFC defines the code."""
    description: str
    when: str
    """When one sees the code in practice."""
    fix_sender: str
    fix_admin: str
    server_guidance: str
    """When a server should send it: guidance for implementers."""
    commands: tuple[str, ...]
    """Keys of `COMMANDS`: the commands that can draw the reply."""
    references: tuple[Reference, ...]
    related: tuple[str, ...]
    action_by: tuple[str, ...]
    """Keys of `ACTORS`."""
    counterpart: str | None = None
    """The transient or permanent form of the same condition (452 for 552)."""
    origin: str = ""
    """Where a non-standard code comes from."""
    notes: str = ""
    retry_line: str = ""
    """What retrying means for this code, where its class's rule does not fit (ETRN carries no
    message, so "the client keeps the message" is wrong for 458)."""
    defined_in: tuple[Reference, ...] = ()
    """The references among `references` that define the code; the others only mention it."""
    read_as: str = ""
    """The enhanced code a non-standard number stands for: 510 is 5.1.0 without its dots, and the
    registry pairs 422 with X.7.12. Its digits then name that code's subject, not a category."""
    checked: tuple[Reference, ...] = ()
    """The RFC sections a second reader checked the entry's facts against."""
    source: str = field(default="", compare=False)
    """The data file the entry was read from, for messages about it."""
    line: int = field(default=0, compare=False)
    """The line of its ``[[code]]`` header in `source` (0: unknown), for messages about it."""
    untranslated: tuple[str, ...] = field(default=(), compare=False)
    """Prose fields shown in English because the interface language has no translation of them."""

    family: ClassVar[Family] = Family.BASIC
    prose_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "when",
        "fix_sender",
        "fix_admin",
        "server_guidance",
        "notes",
        "origin",
        "retry_line",
    )

    @property
    def reply_class(self) -> ReplyClass:
        return ReplyClass(int(self.code[0]))

    @property
    def category(self) -> Category:
        return Category(int(self.code[1]))

    @property
    def command_names(self) -> tuple[str, ...]:
        return tuple(command_words(command) for command in self.commands)

    @property
    def actor_names(self) -> tuple[str, ...]:
        return tuple(actor_words(actor) for actor in self.action_by)

    @property
    def retry(self) -> str:
        return self.retry_line or self.reply_class.retry

    @property
    def tone(self) -> int:
        return self.reply_class.value

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        return (0, int(self.code) if self.code.isdigit() else 0, 0, 0, 0)

    @property
    def category_words(self) -> str:
        """What the second digit says: a category (x5z Mail system), or for a number read as an
        enhanced code, that code's subject, so 510 does not claim to be an x1z Information reply."""
        if not self.read_as:
            return f"{self.category.label} {self.category.title}"
        _, subject, detail = self.read_as.split(".")
        dotless = self.code[1:] == subject + detail
        return text(
            "category.read_as" if dotless else "category.paired_as",
            code=self.read_as,
            subject=f"X.{subject}.X {subject_name(int(subject))}",
        )

    @property
    def classification(self) -> str:
        cls = self.reply_class
        return f"{cls.label} {cls.title} · {self.category_words}"


class StatusClass(_Worded, Enum, words="status", parts=("title", "meaning", "retry")):
    """The first part of an enhanced status code (RFC 3463 §2)."""

    SUCCESS = 2
    PERSISTENT_TRANSIENT_FAILURE = 4
    PERMANENT_FAILURE = 5

    @property
    def label(self) -> str:
        return f"{self.value}.X.X"

    @property
    def retry(self) -> str:
        return self._word("retry")


SUBJECTS: tuple[int, ...] = tuple(range(8))
"""The eight subjects of RFC 3463 §2, which the second part of an enhanced code names."""


@dataclass(frozen=True)
class EnhancedCode(CodeEntry):
    """One enhanced status code: a registry entry (``X.1.1``) or one with its class (``5.1.1``)."""

    code: str
    """``X.1.1``, ``X.1.X`` or ``5.X.X`` as the registry writes it, or ``5.1.1`` with a class."""
    name: str
    standard: bool
    """True when the IANA "SMTP Enhanced Status Codes" registry holds it."""
    description: str
    when: str
    fix_sender: str
    fix_admin: str
    references: tuple[Reference, ...]
    reply_codes: tuple[str, ...]
    """Basic reply codes the registry associates with it."""
    related: tuple[str, ...]
    origin: str = ""
    retry_line: str = ""
    """What retrying means for this code, where the class's rule does not fit (X.1.5 is only ever
    a success, X.5.4 only a permanent failure: RFC 3463)."""
    checked: tuple[Reference, ...] = ()
    """The RFC sections a second reader checked the entry's facts against."""
    registry_replies: tuple[str, ...] = ()
    """The ranges the registry gives besides or instead of codes: ``Any`` (X.0.0), ``5XX``
    (X.7.17), ``4XX`` and ``5XX`` next to 450 and 550 (X.7.15)."""
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    untranslated: tuple[str, ...] = field(default=(), compare=False)

    family: ClassVar[Family] = Family.ENHANCED
    prose_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "when",
        "fix_sender",
        "fix_admin",
        "origin",
        "retry_line",
    )

    @property
    def parts(self) -> tuple[str, str, str]:
        first, second, third = self.code.split(".")
        return first, second, third

    @property
    def kind(self) -> EnhancedKind:
        """A class (5.X.X), a subject (X.1.X) or a detail (X.1.1 or 5.1.1)."""
        _, subject, detail = self.parts
        if subject == "X":
            return EnhancedKind.CLASS
        return EnhancedKind.SUBJECT if detail == "X" else EnhancedKind.DETAIL

    @property
    def status_class(self) -> StatusClass | None:
        """The class, when the code names one (5.1.1, 5.X.X); None for X.1.1."""
        first = self.parts[0]
        return StatusClass(int(first)) if first.isdigit() else None

    @property
    def subject(self) -> int | None:
        second = self.parts[1]
        return int(second) if second.isdigit() else None

    @property
    def registry_code(self) -> str:
        """The form the registry lists it under: ``X.1.1`` for ``5.1.1``."""
        _, second, third = self.parts
        if self.kind is EnhancedKind.CLASS:
            return self.code
        return f"X.{second}.{third}"

    @property
    def tone(self) -> int:
        return self.status_class.value if self.status_class else 0

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        _, subject, detail = self.parts
        return (
            1,
            int(subject) if subject.isdigit() else -1,
            int(detail) if detail.isdigit() else -1,
            self.status_class.value if self.status_class else 0,
            0,
        )

    @property
    def classification(self) -> str:
        parts = []
        if self.status_class is not None:
            parts.append(f"{self.status_class.label} {self.status_class.title}")
        if self.subject is not None:
            parts.append(f"X.{self.subject}.X {subject_name(self.subject)}")
        if self.status_class is None:
            parts.append(text("status.any_class"))
        return " · ".join(parts)

    @property
    def retry(self) -> str:
        if self.retry_line:
            return self.retry_line
        if self.status_class is None:
            return text("status.any.retry")
        return self.status_class.retry

    @property
    def class_replies(self) -> tuple[str, ...]:
        """The registry's reply codes that fit its class (4.2.2 cannot go with 552)."""
        if self.status_class is None:
            return self.reply_codes
        return tuple(code for code in self.reply_codes if code[0] == str(self.status_class.value))

    @property
    def class_ranges(self) -> tuple[str, ...]:
        """The registry's ranges in words, those that cover its class (5XX does not cover
        4.7.17)."""
        phrases = []
        for wording in self.registry_replies:
            if wording == "Any":
                phrases.append(text("status.replies_any"))
            elif self.status_class is None or str(self.status_class.value) == wording[0]:
                phrases.append(text("status.replies_range", digit=wording[0], range=wording))
        return tuple(phrases)

    @property
    def replies_text(self) -> str:
        """The reply codes it goes with, in words, saying so when its class has none listed."""
        separator = text("list.separator")
        covered = (*self.class_replies, *self.class_ranges)
        if covered:
            return separator.join(covered)
        listed = (*self.reply_codes, *self.registry_replies)
        if listed:
            return text("status.replies_none_of_class", codes=separator.join(listed))
        return text("status.replies_none")

    def with_class(self, status_class: int) -> EnhancedCode:
        """This detail or subject with a class filled in: X.2.2 as 4.2.2 or 5.2.2."""
        _, second, third = self.parts
        return replace(self, code=f"{status_class}.{second}.{third}")


Code = ReplyCode | EnhancedCode
"""A code of either family; the repository, the CLI and the browser handle both."""


@dataclass(frozen=True)
class Comparison:
    """What the repository says about two codes side by side; `first` is the lower code unless
    the comparison was asked for in the other order (`Repository.compare(as_asked=True)`)."""

    first: Code
    second: Code
    summary: str
    key_differences: tuple[str, ...]
    for_servers: tuple[str, ...]
    """When to use which, for the implementer choosing which reply to send."""
    for_senders: tuple[str, ...]
    """When to use which, for the sender reacting to the reply."""

    counterparts: bool = False
    """The transient and permanent forms of one condition (452/552, 4.2.2/5.2.2)."""

    @property
    def title(self) -> str:
        return text("label.vs", first=self.first.code, second=self.second.code)


PROSE_FIELDS: dict[Family, tuple[str, ...]] = {
    Family.BASIC: ReplyCode.prose_fields,
    Family.ENHANCED: EnhancedCode.prose_fields,
}
"""The fields of each family written in words, which a translation may give in its language."""


def english_note(code: Code) -> str:
    """`CodeEntry.english_note`, for callers that hold a code of either family."""
    return code.english_note


def in_english(code: Code, name: str) -> bool:
    """`CodeEntry.in_english`, for callers that hold a code of either family."""
    return code.in_english(name)
