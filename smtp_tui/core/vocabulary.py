"""The words of the domain as types: families of codes, kinds of enhanced code, where a found code
stands and how a delivery went.

Each is a `StrEnum`, so JSON, TOML and the command line keep the same strings as before, and each
member names its catalogue key here, once, instead of a key assembled from a string at run time.
"""

from __future__ import annotations

from enum import StrEnum


class Family(StrEnum):
    """The two families of code: a three-digit reply code (RFC 5321 §4.2) or an enhanced status
    code (RFC 3463 §2)."""

    BASIC = "basic"
    ENHANCED = "enhanced"

    @property
    def key(self) -> str:
        """The catalogue key of the family's name in a sentence ("reply code")."""
        return _FAMILY_KEYS[self]

    @property
    def count_key(self) -> str:
        """The catalogue key (a plural) of a count of the family's codes ("3 reply codes")."""
        return VIEW_KEYS[self]


_FAMILY_KEYS = {Family.BASIC: "data.kind.basic", Family.ENHANCED: "data.kind.enhanced"}
VIEW_KEYS: dict[Family | None, str] = {
    None: "view.all",
    Family.BASIC: "view.basic",
    Family.ENHANCED: "view.enhanced",
}
"""A count of the codes in a view of one family, or of both (None)."""


class EnhancedKind(StrEnum):
    """How much an enhanced code names (RFC 3463 §2): a whole class (``5.X.X``), a subject
    (``X.1.X``) or one detail (``X.1.1``, ``5.1.1``)."""

    CLASS = "class"
    SUBJECT = "subject"
    DETAIL = "detail"

    @property
    def key(self) -> str:
        return _KIND_KEYS[self]


_KIND_KEYS = {
    EnhancedKind.CLASS: "compare.enhanced.kind.class",
    EnhancedKind.SUBJECT: "compare.enhanced.kind.subject",
    EnhancedKind.DETAIL: "compare.enhanced.kind.detail",
}


class Role(StrEnum):
    """Where a code found in a text stands, which says how much it weighs in the verdict."""

    REPLY = "reply"
    """An SMTP reply."""
    STATUS = "status"
    """A DSN ``Status:`` field (RFC 3464 §2.3.4)."""
    DIAGNOSTIC = "diagnostic"
    """A DSN ``Diagnostic-Code:`` field (RFC 3464 §2.3.6)."""
    TEXT = "text"
    """Named in prose."""

    @property
    def key(self) -> str:
        return _ROLE_KEYS[self]


_ROLE_KEYS = {
    Role.REPLY: "explain.role.reply",
    Role.STATUS: "explain.role.status",
    Role.DIAGNOSTIC: "explain.role.diagnostic",
    Role.TEXT: "explain.role.text",
}


class Outcome(StrEnum):
    """How delivery went, as a pasted reply, transcript or bounce tells it."""

    DELIVERED = "delivered"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    UNKNOWN = "unknown"
    """No code decides: none found, or only 3xx."""

    @property
    def key(self) -> str:
        """The catalogue key of the headline that says so."""
        return _OUTCOME_KEYS[self]

    @property
    def tone(self) -> int:
        """The class digit whose colour shows it (0: none), as codes are coloured."""
        return _OUTCOME_TONES[self]


_OUTCOME_KEYS = {
    Outcome.DELIVERED: "explain.delivered",
    Outcome.TEMPORARY: "explain.temporary",
    Outcome.PERMANENT: "explain.permanent",
    Outcome.UNKNOWN: "explain.no_outcome",
}
_OUTCOME_TONES = {
    Outcome.DELIVERED: 2,
    Outcome.TEMPORARY: 4,
    Outcome.PERMANENT: 5,
    Outcome.UNKNOWN: 0,
}

WORDS: tuple[type[StrEnum], ...] = (Family, EnhancedKind, Role, Outcome)
"""Every vocabulary here whose members have a catalogue key, for the test that checks them."""
