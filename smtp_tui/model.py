"""The domain objects of smtp-tui: reply codes, their classes and categories, comparisons.

Plain frozen dataclasses with no Textual or Rich import, so the CLI, the browser and the tests share
them and the CLI starts fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

BASIC_CODE = re.compile(r"[2-5][0-5][0-9]")
"""A three-digit reply code as RFC 5321 §4.2 allows it (first digit 2-5, second 0-5)."""

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
    "client": "the client software, by itself",
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

    @property
    def is_failure(self) -> bool:
        return self.value >= 4


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

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Comparison:
    """What the repository says about two codes side by side; `first` is the lower code."""

    first: ReplyCode
    second: ReplyCode
    summary: str
    key_differences: tuple[str, ...]
    for_servers: tuple[str, ...]
    """When to use which, for the implementer choosing which reply to send."""
    for_senders: tuple[str, ...]
    """When to use which, for the sender reacting to the reply."""

    @property
    def counterparts(self) -> bool:
        return self.first.counterpart == self.second.code or (
            self.second.counterpart == self.first.code
        )

    @property
    def title(self) -> str:
        return f"{self.first.code} vs {self.second.code}"
