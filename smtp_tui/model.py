"""The domain objects of smtp-tui: reply codes, their classes and categories, comparisons.

Plain frozen dataclasses with no Textual or Rich import, so the CLI, the browser and the tests share
them and the CLI starts fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

BASIC_CODE = re.compile(r"[2-5][0-5][0-9]")
"""A three-digit reply code as RFC 5321 §4.2 allows it (first digit 2-5, second 0-5)."""

ENHANCED_CODE = re.compile(
    r"(?P<cls>[245X])\.(?P<subject>[0-9]{1,3}|X)\.(?P<detail>[0-9]{1,3}|X)",
    re.IGNORECASE,
)
"""An enhanced status code (RFC 3463 §2): ``5.1.1``, or the registry's ``X.1.1`` and ``X.1.X``."""

REFERENCE = re.compile(r"RFC (?P<rfc>[1-9][0-9]{2,4})(?: §(?P<section>[0-9]+(?:\.[0-9]+)*))?")
"""A citation as the data writes it: ``RFC 5321 §4.2.3`` or ``RFC 5321``."""

COMMANDS: dict[str, str] = {
    "CONNECT": "the greeting, when the connection opens",
    "EHLO": "EHLO",
    "HELO": "HELO",
    "MAIL": "MAIL FROM",
    "RCPT": "RCPT TO",
    "DATA": "DATA",
    "DATA-END": "the end of the message data",
    "BDAT": "BDAT",
    "RSET": "RSET",
    "VRFY": "VRFY",
    "EXPN": "EXPN",
    "HELP": "HELP",
    "NOOP": "NOOP",
    "QUIT": "QUIT",
    "AUTH": "AUTH",
    "STARTTLS": "STARTTLS",
    "ETRN": "ETRN",
    "ATRN": "ATRN",
    "ANY": "any command",
}
"""The command names the data may use in ``commands``, with the words used to show them."""

ACTORS: dict[str, str] = {
    "none": "nobody",
    "client": "the client software (automatically)",
    "sender": "the sender",
    "sending-admin": "the sending server's administrator",
    "receiving-admin": "the receiving server's administrator",
    "recipient": "the recipient",
}
"""Who has to act on a reply, as the data names them, with the words used to show them."""


class ReplyClass(Enum):
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
    def title(self) -> str:
        return _CLASS_TITLES[self.value]

    @property
    def meaning(self) -> str:
        return _CLASS_MEANINGS[self.value]

    @property
    def retry(self) -> str:
        return _CLASS_RETRY[self.value]


_CLASS_TITLES = {
    2: "Positive Completion",
    3: "Positive Intermediate",
    4: "Transient Negative Completion",
    5: "Permanent Negative Completion",
}
_CLASS_MEANINGS = {
    2: "the requested action was completed and the client may start a new request",
    3: "the command was accepted and the server is waiting for more information before it acts",
    4: "the command was not accepted this time, but the condition is temporary and the same "
    "command may succeed later",
    5: "the command was not accepted and repeating it unchanged will fail again",
}
_CLASS_RETRY = {
    2: "nothing to retry: the command succeeded",
    3: "nothing to retry: the client goes on with the next step of the exchange",
    4: "yes: the client keeps the message and retries later, without changing anything",
    5: "no: the same command will fail again until something is changed",
}


class Category(Enum):
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

    @property
    def title(self) -> str:
        return _CATEGORY_TITLES[self.value]

    @property
    def meaning(self) -> str:
        return _CATEGORY_MEANINGS[self.value]


_CATEGORY_TITLES = {
    0: "Syntax",
    1: "Information",
    2: "Connections",
    3: "Unspecified",
    4: "Unspecified",
    5: "Mail system",
}
_CATEGORY_MEANINGS = {
    0: "about the syntax of a command or about a command that is not implemented",
    1: "a reply to a request for information, such as status or help",
    2: "about the transmission channel itself",
    3: "left unspecified by RFC 5321; extensions such as AUTH (RFC 4954) use it",
    4: "left unspecified by RFC 5321",
    5: "about the state of the receiving mail system for the requested action",
}


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ReplyCode:
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
    source: str = field(default="", compare=False)
    """The data file the entry was read from, for messages about it."""

    family = "basic"

    @property
    def reply_class(self) -> ReplyClass:
        return ReplyClass(int(self.code[0]))

    @property
    def category(self) -> Category:
        return Category(int(self.code[1]))

    @property
    def rfcs(self) -> tuple[int, ...]:
        """The RFCs cited, without repeats, in the order first cited."""
        return tuple(dict.fromkeys(ref.rfc for ref in self.references))

    @property
    def command_names(self) -> tuple[str, ...]:
        return tuple(COMMANDS[command] for command in self.commands)

    @property
    def retry(self) -> str:
        return self.reply_class.retry

    @property
    def tone(self) -> int:
        """The class digit, for colour: the same for 4xx and 4.X.X everywhere."""
        return self.reply_class.value

    @property
    def classification(self) -> str:
        cls, category = self.reply_class, self.category
        return f"{cls.label} {cls.title} · {category.label} {category.title}"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StatusClass(Enum):
    """The first part of an enhanced status code (RFC 3463 §2)."""

    SUCCESS = 2
    PERSISTENT_TRANSIENT_FAILURE = 4
    PERMANENT_FAILURE = 5

    @property
    def label(self) -> str:
        return f"{self.value}.X.X"

    @property
    def title(self) -> str:
        return _STATUS_TITLES[self.value]

    @property
    def meaning(self) -> str:
        return _STATUS_MEANINGS[self.value]


_STATUS_TITLES = {2: "Success", 4: "Persistent Transient Failure", 5: "Permanent Failure"}
_STATUS_MEANINGS = {
    2: "the action succeeded",
    4: "the message could not be delivered this time, but the condition may clear: the sending "
    "server keeps the message and tries again",
    5: "the condition will not clear by retrying the same message: the sending server gives up "
    "and the message bounces",
}

SUBJECTS = {
    0: "Other or undefined status",
    1: "Addressing status",
    2: "Mailbox status",
    3: "Mail system status",
    4: "Network and routing status",
    5: "Mail delivery protocol status",
    6: "Message content or media status",
    7: "Security or policy status",
}
"""The eight subjects of RFC 3463 §2, which the second part of an enhanced code names."""


@dataclass(frozen=True)
class EnhancedCode:
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
    source: str = field(default="", compare=False)

    family = "enhanced"

    @property
    def parts(self) -> tuple[str, str, str]:
        first, second, third = self.code.split(".")
        return first, second, third

    @property
    def kind(self) -> str:
        """``class`` (5.X.X), ``subject`` (X.1.X) or ``detail`` (X.1.1 or 5.1.1)."""
        _, subject, detail = self.parts
        if subject == "X":
            return "class"
        return "subject" if detail == "X" else "detail"

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
        if self.kind == "class":
            return self.code
        return f"X.{second}.{third}"

    @property
    def rfcs(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(ref.rfc for ref in self.references))

    @property
    def tone(self) -> int:
        """The class digit for colour, 0 for a registry code written with X."""
        return self.status_class.value if self.status_class else 0

    @property
    def classification(self) -> str:
        parts = []
        if self.status_class is not None:
            parts.append(f"{self.status_class.label} {self.status_class.title}")
        if self.subject is not None:
            parts.append(f"X.{self.subject}.X {SUBJECTS.get(self.subject, 'Unknown subject')}")
        if self.status_class is None:
            parts.append("sent as 2.·, 4.· or 5.·")
        return " · ".join(parts)

    @property
    def retry(self) -> str:
        if self.status_class is None:
            return "it depends on the class it is sent with: 4.X.X is retried, 5.X.X is not"
        return {
            2: "nothing to retry: it reports success",
            4: "yes: the sending server keeps the message and retries",
            5: "no: the message bounces; something must change before sending again",
        }[self.status_class.value]

    @property
    def class_replies(self) -> tuple[str, ...]:
        """The registry's reply codes that fit its class (4.2.2 cannot go with 552)."""
        if self.status_class is None:
            return self.reply_codes
        return tuple(code for code in self.reply_codes if code[0] == str(self.status_class.value))

    @property
    def replies_text(self) -> str:
        """The reply codes it goes with, in words, saying so when its class has none listed."""
        if self.class_replies:
            return ", ".join(self.class_replies)
        if self.reply_codes:
            return f"none of its class listed (the registry lists {', '.join(self.reply_codes)})"
        return "none listed in the registry"

    def with_class(self, status_class: int) -> EnhancedCode:
        """This detail or subject with a class filled in: X.2.2 as 4.2.2 or 5.2.2."""
        _, second, third = self.parts
        return replace(self, code=f"{status_class}.{second}.{third}")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


Code = ReplyCode | EnhancedCode
"""A code of either family; the repository, the CLI and the browser handle both."""


@dataclass(frozen=True)
class Comparison:
    """What the repository says about two codes side by side; `first` is the lower code."""

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
        return f"{self.first.code} vs {self.second.code}"
