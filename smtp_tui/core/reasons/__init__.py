"""Why a message bounced, whether sending again can work, and whose move it is.

The number alone does not decide it: providers reuse registry codes for their own meanings, and
many replies carry no enhanced code at all. So a verdict is read from the failure's own words
first (ordered rules, most specific first), then from its enhanced status code, then from the
reply code, and says which of these decided (`Verdict.why`), so a user can check the reasoning.

The reasons are Sisimai's vocabulary, the most widely used open bounce analyser, so results can
be compared with it. "Hard" only where sending again can never work: `userunknown`,
`hostunknown`, `hasmoved`, and `notaccept` with a 5xx; everything else, blocks and policy
included, is soft: the sender can fix it, or it passes.

This package's own module holds the vocabulary and the verdict; `words` the rules on a failure's
own words, `replies` the verdict on one reply (words, then codes), `reports` a whole bounce
report and each of its recipients.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a message was not delivered (or, for the last three, what kind of report it is)."""

    USERUNKNOWN = "userunknown"
    HOSTUNKNOWN = "hostunknown"
    HASMOVED = "hasmoved"
    MAILBOXFULL = "mailboxfull"
    EXCEEDLIMIT = "exceedlimit"
    MESGTOOBIG = "mesgtoobig"
    SUSPEND = "suspend"
    FILTERED = "filtered"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    SPAMDETECTED = "spamdetected"
    VIRUSDETECTED = "virusdetected"
    CONTENTERROR = "contenterror"
    POLICYVIOLATION = "policyviolation"
    SECURITYERROR = "securityerror"
    AUTHFAILURE = "authfailure"
    REQUIREPTR = "requireptr"
    BADREPUTATION = "badreputation"
    NOTCOMPLIANTRFC = "notcompliantrfc"
    NORELAYING = "norelaying"
    NOTACCEPT = "notaccept"
    TOOMANYCONN = "toomanyconn"
    SPEEDING = "speeding"
    EXPIRED = "expired"
    NETWORKERROR = "networkerror"
    SYSTEMERROR = "systemerror"
    SYSTEMFULL = "systemfull"
    MAILERERROR = "mailererror"
    SYNTAXERROR = "syntaxerror"
    ONHOLD = "onhold"
    UNDEFINED = "undefined"
    DELIVERED = "delivered"
    VACATION = "vacation"
    FEEDBACK = "feedback"


class Bounce(StrEnum):
    """Whether sending the same message again can ever work."""

    HARD = "hard"
    SOFT = "soft"


class Fault(StrEnum):
    """Whose move it is."""

    RECIPIENT = "recipient"
    """The address or the mailbox."""
    SENDER = "sender"
    """Your authentication, reputation, content or configuration."""
    REMOTE = "remote"
    """Their system."""
    NETWORK = "network"


NOT_FAILURES = frozenset((Reason.DELIVERED, Reason.VACATION, Reason.FEEDBACK))

FAULTS: dict[Reason, Fault | None] = {
    Reason.USERUNKNOWN: Fault.RECIPIENT,
    Reason.HOSTUNKNOWN: Fault.RECIPIENT,
    Reason.HASMOVED: Fault.RECIPIENT,
    Reason.MAILBOXFULL: Fault.RECIPIENT,
    Reason.SUSPEND: Fault.RECIPIENT,
    Reason.FILTERED: Fault.RECIPIENT,
    Reason.EXCEEDLIMIT: Fault.SENDER,
    Reason.MESGTOOBIG: Fault.SENDER,
    Reason.REJECTED: Fault.SENDER,
    Reason.BLOCKED: Fault.SENDER,
    Reason.SPAMDETECTED: Fault.SENDER,
    Reason.VIRUSDETECTED: Fault.SENDER,
    Reason.CONTENTERROR: Fault.SENDER,
    Reason.POLICYVIOLATION: Fault.SENDER,
    Reason.SECURITYERROR: Fault.SENDER,
    Reason.AUTHFAILURE: Fault.SENDER,
    Reason.REQUIREPTR: Fault.SENDER,
    Reason.BADREPUTATION: Fault.SENDER,
    Reason.NOTCOMPLIANTRFC: Fault.SENDER,
    Reason.NORELAYING: Fault.SENDER,
    Reason.SYNTAXERROR: Fault.SENDER,
    Reason.SPEEDING: Fault.SENDER,
    Reason.TOOMANYCONN: Fault.SENDER,
    Reason.NOTACCEPT: Fault.REMOTE,
    Reason.SYSTEMERROR: Fault.REMOTE,
    Reason.SYSTEMFULL: Fault.REMOTE,
    Reason.MAILERERROR: Fault.REMOTE,
    Reason.ONHOLD: Fault.REMOTE,
    Reason.EXPIRED: Fault.NETWORK,
    Reason.NETWORKERROR: Fault.NETWORK,
    Reason.UNDEFINED: None,
}
"""Whose move each reason is (reports that are not failures have none)."""


@dataclass(frozen=True)
class Verdict:
    """The reason for a failure, its hard/soft bounce and its fault, and what decided them."""

    reason: Reason
    bounce: Bounce | None
    """None for reports that are not failures (delivered, auto-replies, complaints)."""
    fault: Fault | None
    why: str
    """The rule, code or report field that decided: shown so a user can check the reasoning."""


def bounce_of(reason: Reason, reply_code: str | None) -> Bounce | None:
    """Hard only where sending again can never work."""
    if reason in NOT_FAILURES:
        return None
    if (reply_code or "").startswith("4"):
        return Bounce.SOFT  # a transient reply is retried: never final (RFC 5321 §4.2.1)
    if reason in (Reason.USERUNKNOWN, Reason.HOSTUNKNOWN, Reason.HASMOVED):
        return Bounce.HARD
    if reason is Reason.NOTACCEPT and (reply_code or "").startswith("5"):
        return Bounce.HARD
    return Bounce.SOFT


def verdict(reason: Reason, why: str, reply_code: str | None = None) -> Verdict:
    return Verdict(reason, bounce_of(reason, reply_code), FAULTS.get(reason), why)
