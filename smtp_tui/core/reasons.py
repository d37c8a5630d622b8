"""Why a message bounced, whether sending again can work, and whose move it is.

The number alone does not decide it: providers reuse registry codes for their own meanings, and
many replies carry no enhanced code at all. So a verdict is read from the failure's own words
first (ordered rules, most specific first), then from its enhanced status code, then from the
reply code, and says which of these decided (`Verdict.why`), so a user can check the reasoning.

The reasons are Sisimai's vocabulary, the most widely used open bounce analyser, so results can
be compared with it. "Hard" only where sending again can never work: `userunknown`,
`hostunknown`, `hasmoved`, and `notaccept` with a 5xx; everything else, blocks and policy
included, is soft: the sender can fix it, or it passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from smtp_tui.core.vocabulary import Family, Outcome, Role

if TYPE_CHECKING:
    from smtp_tui.core.providers import ProviderEntry
    from smtp_tui.core.scanner import Finding, Scan


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


# --- Rules on the failure's own words ----------------------------------------------------------

_RULES_TEXT: tuple[tuple[Reason, tuple[str, ...]], ...] = (
    # Most specific first: a virus or a spam verdict names a rejection too, so they come before
    # the generic "rejected"/"blocked" words.
    (
        Reason.VIRUSDETECTED,
        (r"\bvirus", r"\bmalware", r"\binfected\b", r"\btrojan\b", r"\bworm\b detected"),
    ),
    # A reply that names the failed check (SPF, DKIM, DMARC) names its cause; "spam" beside it
    # is only the motive for the check.
    (
        Reason.AUTHFAILURE,
        (
            r"\bspf\b",
            r"\bdkim\b",
            r"\bdmarc\b",
            r"sender policy framework",
            r"not authorized to send (?:mail )?on behalf",
            r"authentication (?:check )?failed",
            r"(?:fails?|failed) (?:the )?(?:sender )?authentication",
            r"unauthenticated (?:email|mail|sender)",
        ),
    ),
    (
        Reason.SPAMDETECTED,
        (
            r"\bspam\b(?!\s*(?:house|haus))",
            r"\bspamming\b",
            r"unsolicited (?:bulk )?(?:mail|e-?mail|message)",
            r"\bjunk mail\b",
            r"content (?:was )?(?:rejected|blocked) as (?:spam|bulk)",
            r"\bspam ?score\b",
            r"looks like (?:spam|bulk)",
            r"classified as (?:spam|junk|bulk)",
            r"\bUCE\b",
            r"\bUBE\b",  # unsolicited bulk e-mail
        ),
    ),
    (
        Reason.REQUIREPTR,
        (
            r"reverse (?:dns|lookup|mapping|hostname)",
            r"\bptr\b(?: record)?",
            r"no (?:rdns|reverse)",
            r"cannot (?:find|resolve) your hostname",
            r"client host .{0,80}? (?:has )?no (?:reverse|ptr)",
            r"ip address .{0,40}? (?:does not|doesn't) (?:resolve|have a (?:reverse|ptr))",
            r"\bhelo\b.{0,40}?(?:does not|doesn't) resolve",
        ),
    ),
    (
        Reason.SECURITYERROR,
        (
            r"authentication (?:is )?required",
            r"must (?:issue|use) (?:a )?starttls",
            r"\bstarttls\b.{0,40}?(?:required|first)",
            r"encryption (?:is )?required",
            r"\btls\b.{0,30}?required",
            r"(?:bad|invalid|incorrect) (?:username|user name|password|credentials)",
            r"authentication (?:unsuccessful|credentials invalid)",
            r"\bsmtp auth\b",
            r"\bcertificate\b",
            r"\bauth\b.{0,20}?(?:failed|failure|disabled)",
            r"without (?:smtp )?auth(?:entication)?\b",
            r"turn on (?:smtp )?auth",
        ),
    ),
    (
        Reason.NORELAYING,
        (
            r"relay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited)",
            r"(?:not|no) (?:allowed|permitted|authorized) to relay",
            r"unable to relay",
            r"we do not relay",
            r"relay not permitted",
            r"not (?:a )?(?:local|valid) (?:domain|host).{0,40}?relay",
            r"open relay",
        ),
    ),
    (
        Reason.TOOMANYCONN,
        (
            r"too many (?:concurrent |simultaneous )?(?:connections|sessions)",
            r"connection (?:limit|rate limit) (?:exceeded|reached)",
            r"too many hosts",
            r"\bip frequency limit",
        ),
    ),
    (
        Reason.SPEEDING,
        (
            r"rate limit",
            r"(?:too many|excessive) (?:messages|mails|emails|recipients) (?:from|in|per)",
            r"sending (?:rate|limit|quota) (?:exceeded|reached)",
            r"(?:throttl|slow(?:ing)? down|try again later.{0,20}?too fast)",
            r"too fast",
            r"receiving mail at a rate",
            r"unusual rate",
            r"too many (?:messages|mails|e-?mails|recipients) (?:this|per|an?|in the last|within) "
            r"(?:second|minute|hour|day)",
        ),
    ),
    # A limit set for one recipient is an administrative limit, not the system's own size limit.
    (
        Reason.EXCEEDLIMIT,
        (
            r"(?:too (?:large|big)|size limit) for (?:this|the) (?:recipient|mailbox|user)",
            r"recipient'?s? (?:message )?size limit",
        ),
    ),
    (
        Reason.MESGTOOBIG,
        (
            r"(?:message|mail|email) (?:is )?too (?:big|large|long)",
            r"(?:message|mail) size (?:exceeds|exceeded|is over|too large)",
            r"exceeds? (?:the )?(?:maximum )?(?:message )?size",
            r"size limit",
            r"maximum (?:message )?size",
            r"message length exceeds",
            r"\bsize\b.{0,30}?(?:exceed|too (?:big|large))",
        ),
    ),
    (
        Reason.MAILBOXFULL,
        (
            r"(?:mail ?box|mail ?folder|inbox|account)(?: is)? (?:full|over ?quota|out of (?:space|storage))",
            r"over ?quota",
            r"quota (?:exceeded|full|exceed)",
            r"exceed(?:ed|s)? (?:the |their |his |her |its )?(?:storage|disk|mailbox|mail|user) ?(?:quota|limit|allocation|size)",
            r"insufficient (?:storage|disk space|space) (?:for|in) (?:the )?(?:user|mailbox|recipient)",
            r"(?:mailbox|user) (?:has )?(?:exceeded|reached) .{0,30}?(?:size|limit|quota|storage)",
            r"not enough (?:space|storage) (?:in|on) (?:the )?(?:mailbox|account)",
            r"no space left",
            r"mailbox .{0,20}?(?:size|storage) limit",
        ),
    ),
    (
        Reason.SUSPEND,
        (
            r"(?:account|mailbox|user|address)(?: has been| is| was)? (?:disabled|suspended|inactive|deactivated|frozen|locked)",
            r"(?:disabled|suspended|inactive|deactivated|frozen|locked) (?:account|mailbox|user)",
            r"temporarily (?:disabled|suspended|unavailable)(?: due to)?",
        ),
    ),
    (
        Reason.HASMOVED,
        (
            r"(?:user|recipient|address|mailbox) has moved",
            r"\bhas moved\b",
            r"no longer (?:at|with) this (?:address|domain)",
            r"forwarding address",
        ),
    ),
    # Before hostunknown: a domain that exists but takes no mail.
    (
        Reason.NOTACCEPT,
        (
            r"does not accept (?:any )?(?:e-?)?mail",
            r"not accepting (?:any )?(?:e-?)?mail",
            r"accepts no mail",
            r"no mail (?:is )?accepted",
            r"mail (?:is )?not accepted (?:here|for this domain)",
            # A domain that publishes no mail exchanger takes no mail (RFC 7505 is its explicit
            # form); with no A record either, it is an unknown host (below).
            r"no mx records? (?:found|for|exists?)",
        ),
    ),
    (
        Reason.HOSTUNKNOWN,
        (
            r"host (?:or domain name )?not found",
            r"\bhost [\w.-]+ not found(?!, try again)",  # "try again": a transient lookup failure
            r"domain (?:is )?(?:not reachable|unreachable)",
            r"domain (?:may|might) not exist",
            r"(?:domain|host)(?: name)? (?:not found|does not exist|doesn't exist|unknown|cannot be found)",
            r"unknown (?:host|domain|mail domain)",
            r"no such (?:host|domain)",
            r"name or service not known",
            r"\bnxdomain\b",
            r"name server .{0,20}?(?:not found|error)",
            r"dns (?:error|failure).{0,60}?(?:domain|host|mx)",
            r"no mx or a records?",
            r"(?:mx|a) record .{0,20}?not (?:found|exist)",
            r"unrouteable (?:mail )?domain",
            r"unroutable (?:mail )?domain",
            r"\bnull mx\b",
            r"domain (?:is )?(?:not|no longer) (?:in use|registered|accepting)",
        ),
    ),
    (
        Reason.USERUNKNOWN,
        (
            r"user (?:unknown|not found|doesn't exist|does not exist|not exist)",
            r"unknown (?:user|recipient|local[- ]part|address|mailbox|alias)",
            r"no such (?:user|recipient|mailbox|address|account|local user|person)",
            r"(?:recipient|address|mailbox|account|user ?name)(?: address)? (?:not found|unknown|does not exist|doesn't exist|is not valid|invalid|not valid)",
            r"(?:invalid|bad|unknown|non-?existent) (?:recipient|mailbox|address|user|account)",
            r"(?:mailbox|user|recipient) (?:is )?(?:unavailable|not available)",
            r"recipient (?:address )?rejected:.{0,40}?(?:unknown|not found|not exist|invalid|undeliverable)",
            r"not (?:a )?(?:valid|known) (?:recipient|user|mailbox|address)",
            r"(?:address|mailbox|user) (?:no longer|not) (?:exists?|in use|valid)",
            r"no mailbox (?:here|by that name)",
            r"mailbox not found",
            r"recipientnotfound",
            r"(?:isn't|is not|not) (?:a )?(?:valid|known) (?:mail|e-?mail)? ?(?:address|account)",
            r"does(?:n't| not) have (?:an? )?(?:[\w.-]+ )?(?:account|mailbox)",
            r"not listed in (?:the |our )?(?:[\w&-]+ ){0,4}(?:directory|address book)",
            r"account (?:that )?you tried to reach does not exist",
            r"addressee unknown",
            r"user not local",
            r"unknown or illegal alias",
            r"no such (?:file or directory|alias)",
        ),
    ),
    (
        Reason.EXPIRED,
        (
            r"(?:message|mail|delivery)(?: has)? (?:expired|timed? ?out)",
            r"retry (?:time(?:out)?|period) (?:exceeded|expired|has expired)",
            r"(?:delivery|queue) time (?:limit )?(?:exceeded|expired)",
            r"could not be delivered (?:for|within) .{0,20}?(?:days|hours)",
            r"(?:was|has been) (?:in the )?queue(?:d)? (?:for )?too long",
            r"too long in (?:the )?queue",
            r"giving up",
            r"gave up",
            r"message timeout",
            r"time ?limit exceeded",
            r"(?:delivery )?failed (?:after )?\d+ (?:delivery )?attempts",
            r"maximum (?:queue|delivery) time",
            r"expired",
        ),
    ),
    (
        Reason.NETWORKERROR,
        (
            r"connection (?:refused|timed? ?out|reset|closed|lost|dropped)",
            r"could not connect",
            r"(?:unable|failed) to connect",
            r"no route to host",
            r"network (?:is )?unreachable",
            r"(?:host|server) (?:is )?(?:unreachable|not reachable)",
            r"(?:lost|dropped) connection",
            r"timed? ?out (?:while|during|after|waiting)",
            r"read timeout",
            r"dns (?:lookup|query) (?:failed|failure|timed out)",
            r"temporary (?:dns|lookup) failure",
            r"name service error",
            r"(?:malformed|unexpected) name server reply",
            r"routing loop",
            r"mail loop",
            r"too many hops",
            r"loops? back to myself",
        ),
    ),
    (
        Reason.SYSTEMFULL,
        (
            r"(?:disk|file ?system|spool|queue)(?: is)? full",
            r"insufficient (?:system )?(?:storage|disk space|resources)",
            r"out of (?:disk|memory|space)",
            r"system (?:storage|resources?) (?:exhausted|low|full)",
        ),
    ),
    (
        Reason.BLOCKED,
        (
            r"block ?list(?:ed)?",
            r"black ?list(?:ed)?",
            r"deny ?list(?:ed)?",
            r"\bdnsbl\b",
            r"\brbl\b",
            r"spamhaus",
            r"spamcop",
            r"barracuda ?central",
            r"(?:your|sender|client|sending)? ?ip (?:address )?.{0,40}?(?:blocked|block|listed|banned|rejected|denied)",
            r"(?:blocked|listed|banned) .{0,30}?\bip\b",
            r"(?:connection|access|service) (?:denied|refused|rejected) .{0,60}?\b(?:ip|host|client)\b",
            r"poor reputation",
            r"\bblocked\b",
            r"\bbanned\b",
            r"client host rejected",
            r"access denied",
        ),
    ),
    (
        Reason.BADREPUTATION,
        (
            r"\breputation\b",
            r"low sender score",
        ),
    ),
    (
        Reason.POLICYVIOLATION,
        (
            r"\bpolicy\b",
            r"prohibited (?:content|attachment|file)",
            r"(?:attachment|file type|extension) (?:is )?(?:not allowed|prohibited|blocked|rejected)",
            r"not (?:permitted|allowed) by (?:the )?(?:local )?(?:policy|rules)",
        ),
    ),
    (
        Reason.CONTENTERROR,
        (
            r"(?:message|mail) (?:content|body|header)s? (?:rejected|invalid|malformed)",
            r"malformed (?:message|mime|header)",
            r"invalid (?:mime|message|header)",
            r"\bbare lf\b",
            r"8[- ]?bit (?:data|characters?) not (?:allowed|accepted)",
        ),
    ),
    (
        Reason.NOTCOMPLIANTRFC,
        (
            r"not (?:rfc|standards?)[- ]?(?:compliant|conform)",
            r"\brfc ?\d{3,4}\b.{0,30}?(?:violation|not compliant|non[- ]compliant)",
            r"(?:duplicate|multiple) (?:from|date|message-id|subject) headers?",
            r"missing (?:from|date|message-id) header",
        ),
    ),
    (
        Reason.SYNTAXERROR,
        (
            r"syntax error",
            r"command (?:not recognized|unrecognized|not implemented)",
            r"unrecognized command",
            r"bad sequence of commands",
            r"line too long",
        ),
    ),
    (
        Reason.FILTERED,
        (
            r"(?:rejected|refused|denied|blocked) by (?:the )?(?:recipient|user|mailbox owner)",
            r"recipient (?:does not|doesn't) (?:wish|want) to receive",
            r"(?:sender|you are|your address) (?:is )?not (?:allowed|permitted|authorized) to (?:send|deliver|mail) to",
            r"only (?:accepts?|receives?) (?:mail|messages) from",
            r"filtered",
            r"mail (?:was )?refused by (?:the )?(?:user|recipient)",
            r"delivery not authorized",
            r"restricted (?:recipient|mailbox|address)",
        ),
    ),
    (
        Reason.REJECTED,
        (
            r"sender (?:address )?(?:rejected|refused|denied|invalid|unknown|blocked|not allowed)",
            r"(?:invalid|unknown|bad|unverified|unresolvable) sender",
            r"(?:domain|address) of sender .{0,40}?(?:does not|doesn't) (?:exist|resolve)",
            r"sender (?:domain|address) (?:must|does not|doesn't) (?:exist|resolve)",
            r"\bmail from\b.{0,40}?(?:rejected|refused|denied|invalid)",
            r"return[- ]path .{0,30}?(?:invalid|rejected)",
            r"envelope sender",
            r"not (?:allowed|authorized|permitted) to send",
            r"not a member of (?:this|the) (?:mailing )?list",
        ),
    ),
    (
        Reason.SYSTEMERROR,
        (
            r"(?:system|server|internal|local|configuration) (?:error|failure|problem)",
            r"temporar(?:y|ily) (?:local )?(?:problem|failure|error|unavailable)",
            r"service (?:is )?(?:currently |temporarily )?(?:not available|unavailable)",
            r"(?:ldap|directory) server",
            r"try again later",
            r"mail(?:box)? (?:server|system) (?:is )?(?:not available|unavailable|down)",
            r"too many errors",
            r"local error",
            r"internal server error",
        ),
    ),
    (
        Reason.MAILERERROR,
        (
            r"mailer (?:error|failure)",
            r"(?:command|program|pipe) (?:failed|died|exited)",
            r"exit (?:code|status) \d+",
            r"\bprocmail\b",
            r"unknown mailer error",
        ),
    ),
)


_COMPILED = tuple(
    (reason, re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE))
    for reason, patterns in _RULES_TEXT
)


def reason_from_text(text: str, skip: frozenset[Reason] = frozenset()) -> tuple[Reason, str] | None:
    """The first rule whose words the text holds (except the `skip` rules), with those words."""
    for reason, pattern in _COMPILED:
        if reason in skip:
            continue
        match = pattern.search(text)
        if match:
            return reason, match.group(0)
    return None


# --- Rules on the codes ----------------------------------------------------------------------

_ENHANCED_REASONS: dict[str, Reason] = {
    "1.1": Reason.USERUNKNOWN,
    "1.2": Reason.HOSTUNKNOWN,
    "1.3": Reason.SYNTAXERROR,
    "1.4": Reason.USERUNKNOWN,
    "1.6": Reason.HASMOVED,
    "1.7": Reason.REJECTED,
    "1.8": Reason.REJECTED,
    "1.10": Reason.HOSTUNKNOWN,
    "2.1": Reason.SUSPEND,
    "2.2": Reason.MAILBOXFULL,
    "2.3": Reason.MESGTOOBIG,
    "2.4": Reason.SYSTEMERROR,
    "3.0": Reason.SYSTEMERROR,
    "3.1": Reason.SYSTEMFULL,
    "3.2": Reason.NOTACCEPT,
    "3.3": Reason.SYSTEMERROR,
    "3.4": Reason.MESGTOOBIG,
    "3.5": Reason.SYSTEMERROR,
    "4.0": Reason.NETWORKERROR,
    "4.1": Reason.NETWORKERROR,
    "4.2": Reason.NETWORKERROR,
    "4.3": Reason.SYSTEMERROR,
    "4.4": Reason.HOSTUNKNOWN,
    "4.5": Reason.SYSTEMFULL,
    "4.6": Reason.NETWORKERROR,
    "4.7": Reason.EXPIRED,
    "5.0": Reason.SYNTAXERROR,
    "5.1": Reason.SYNTAXERROR,
    "5.2": Reason.SYNTAXERROR,
    "5.3": Reason.EXCEEDLIMIT,
    "5.4": Reason.SYNTAXERROR,
    "5.6": Reason.CONTENTERROR,
    "6.0": Reason.CONTENTERROR,
    "6.1": Reason.CONTENTERROR,
    "6.2": Reason.CONTENTERROR,
    "6.3": Reason.CONTENTERROR,
    "6.4": Reason.CONTENTERROR,
    "6.5": Reason.CONTENTERROR,
    "6.6": Reason.CONTENTERROR,
    "6.8": Reason.CONTENTERROR,
    "6.9": Reason.CONTENTERROR,
    "7.0": Reason.SECURITYERROR,
    "7.1": Reason.REJECTED,
    "7.2": Reason.REJECTED,
    "7.3": Reason.SECURITYERROR,
    "7.4": Reason.SECURITYERROR,
    "7.5": Reason.SECURITYERROR,
    "7.6": Reason.SECURITYERROR,
    "7.7": Reason.SECURITYERROR,
    "7.8": Reason.SECURITYERROR,
    "7.9": Reason.SECURITYERROR,
    "7.10": Reason.SECURITYERROR,
    "7.11": Reason.SECURITYERROR,
    "7.12": Reason.SECURITYERROR,
    "7.13": Reason.SUSPEND,
    "7.14": Reason.SECURITYERROR,
    "7.15": Reason.SECURITYERROR,
    "7.16": Reason.SECURITYERROR,
    "7.17": Reason.FILTERED,
    "7.18": Reason.FILTERED,
    "7.19": Reason.FILTERED,
    "7.20": Reason.AUTHFAILURE,
    "7.21": Reason.AUTHFAILURE,
    "7.22": Reason.AUTHFAILURE,
    "7.23": Reason.AUTHFAILURE,
    "7.24": Reason.AUTHFAILURE,
    "7.25": Reason.REQUIREPTR,
    "7.26": Reason.AUTHFAILURE,
    "7.27": Reason.NOTACCEPT,
    "7.28": Reason.SPAMDETECTED,
    "7.29": Reason.AUTHFAILURE,
    "7.30": Reason.SECURITYERROR,
}
"""What each enhanced subject.detail means as a reason, after RFC 3463 and the registry."""

_REPLY_REASONS: dict[str, Reason] = {
    "421": Reason.SYSTEMERROR,
    "450": Reason.SYSTEMERROR,
    "451": Reason.SYSTEMERROR,
    "452": Reason.SYSTEMFULL,
    "454": Reason.SECURITYERROR,
    "500": Reason.SYNTAXERROR,
    "501": Reason.SYNTAXERROR,
    "502": Reason.SYNTAXERROR,
    "503": Reason.SYNTAXERROR,
    "504": Reason.SYNTAXERROR,
    "521": Reason.NOTACCEPT,
    "523": Reason.MESGTOOBIG,
    "530": Reason.SECURITYERROR,
    "534": Reason.SECURITYERROR,
    "535": Reason.SECURITYERROR,
    "538": Reason.SECURITYERROR,
    "550": Reason.REJECTED,
    "551": Reason.USERUNKNOWN,
    "552": Reason.MAILBOXFULL,
    "553": Reason.USERUNKNOWN,
    "554": Reason.REJECTED,
    "556": Reason.NOTACCEPT,
}
"""What a bare reply code suggests when nothing else speaks (the weakest evidence)."""


def reason_from_codes(reply_code: str | None, enhanced: str | None) -> tuple[Reason, str] | None:
    """The reason the codes name: the enhanced code's subject.detail, else the reply code."""
    if enhanced:
        _, _, rest = enhanced.partition(".")
        reason = _ENHANCED_REASONS.get(rest)
        if reason is not None:
            return reason, enhanced
    if reply_code and reply_code in _REPLY_REASONS:
        return _REPLY_REASONS[reply_code], reply_code
    return None


def classify(text: str, reply_code: str | None = None, enhanced: str | None = None) -> Verdict:
    """The verdict on one failure: its words first, then its enhanced code, then its reply code.

    ``X.0.0`` says nothing, so a bare 5.0.0 falls back to the words or the reply code.
    """
    from_text = reason_from_text(text) if text else None
    if from_text is not None:
        reason, words = from_text
        return verdict(reason, f'the reply says "{words}"', reply_code)
    from_codes = reason_from_codes(reply_code, enhanced)
    if from_codes is not None:
        reason, code = from_codes
        return verdict(reason, f"the code {code}", reply_code)
    return verdict(Reason.UNDEFINED, "nothing in the reply names a reason", reply_code)


# --- A whole report ----------------------------------------------------------------------------

_FEEDBACK = re.compile(
    r"^\s*(?:feedback-type\s*:|content-type\s*:\s*message/feedback-report)", re.I | re.M
)
_AUTO_REPLY = re.compile(
    r"^\s*(?:auto-submitted\s*:\s*auto-replied|x-autoreply\s*:|subject\s*:.{0,40}?"
    r"(?:out of (?:the )?office|auto(?:matic)?[- ]?reply|autoreply|vacation|abwesenheit))",
    re.I | re.M,
)
_REPORT_SUBJECT = re.compile(
    r"^(?:subject\s*:.{0,60}?(?:deliver|undeliver|undelivered|returned|failure|failed|bounce|"
    r"non[- ]?remis|notification|nicht zustellbar|error)|from\s*:.{0,60}?"
    r"(?:mailer-daemon|postmaster|mail delivery))",
    re.I | re.M,
)
_DIAGNOSTIC = re.compile(r"\s*diagnostic-code\s*:", re.I)
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9-]*\s*:")
_ORIGINAL = re.compile(
    r"^\s*(?:-+ ?(?:original message|this is a copy|message headers? follow|original headers"
    r"|below this line is a copy of the message)|original message follows"
    r"|content-type\s*:\s*(?:message/rfc822|text/rfc822-headers))",
    re.I,
)


def failure_words(lines: Sequence[str], line: int | None, others: Set[int] = frozenset()) -> str:
    """The words of the failure: the deciding line and the lines that continue it.

    `others` are the lines of other failures: one of them starts words of its own.
    """
    if line is None:
        return ""
    index = line - 1
    words = [lines[index]]
    for number, following in enumerate(lines[index + 1 : index + 6], start=line + 1):
        if (
            number in others
            or not following.strip()
            or (_FIELD.match(following.strip()) and not following[:1].isspace())
        ):
            break
        words.append(following.strip())
    return " ".join(words)


def header_block(lines: Sequence[str]) -> str:
    """The header lines the text opens with (none when it does not open with a header)."""
    block: list[str] = []
    for line in lines:
        if not line.strip() or not (_FIELD.match(line) or (line[:1].isspace() and block)):
            break
        block.append(line)
    return "\n".join(block)


def report_body(lines: Sequence[str]) -> str:
    """The report's own words: past the header block, before the returned original message."""
    body: list[str] = []
    in_headers = bool(lines) and bool(_FIELD.match(lines[0]))
    for line in lines:
        if in_headers:
            if not line.strip():
                in_headers = False
            continue
        if _ORIGINAL.match(line):
            break
        body.append(line)
    return "\n".join(body)


def classify_scan(scan: Scan) -> Verdict | None:
    """The verdict on a scanned reply, transcript or report; None when nothing failed or was said.

    Complaints (ARF) and auto-replies (RFC 3834) are reports, not failures; a report that
    delivered says so; a delivery-status report that gave up on a temporary failure expired.
    """
    text = "\n".join(scan.lines)
    if _FEEDBACK.search(text):
        return verdict(Reason.FEEDBACK, "a complaint report (Feedback-Type)")
    deciding = scan.deciding
    # Only the report's own header block: a returned original may hold any Subject. Some
    # mailers mark their bounces auto-replied too, so a report that calls itself one is not.
    headers = header_block(scan.lines)
    auto_reply = _AUTO_REPLY.search(headers) and not _REPORT_SUBJECT.search(headers)
    if scan.outcome is Outcome.DELIVERED:
        if auto_reply:
            return verdict(Reason.VACATION, "an automatic reply (RFC 3834)")
        return verdict(Reason.DELIVERED, "a 2xx reply or a delivered status")
    if deciding is None:
        if auto_reply:
            return verdict(Reason.VACATION, "an automatic reply (RFC 3834)")
        body = report_body(scan.lines)
        found = reason_from_text(body)
        if found is not None:
            # A report that returns the message without any code has failed for good, unless
            # it says it is still trying: read it as a permanent (5) failure.
            final = None if _STILL_TRYING.search(body) else "5"
            return verdict(found[0], f'the report says "{found[1]}"', final)
        hint = _hint(body)
        if hint is not None:
            final = None if _STILL_TRYING.search(body) else "5"
            return verdict(hint[0], f'the report only advises "{hint[1]}"', final)
        return None
    reply = deciding.code if deciding.family is Family.BASIC else deciding.pair
    enhanced = deciding.code if deciding.family is Family.ENHANCED else deciding.pair
    if reply is None and enhanced:
        # A DSN's Status field carries no reply code; its Diagnostic-Code often does.
        reply = next(
            (
                finding.code
                for finding in scan.findings
                if finding.role is Role.DIAGNOSTIC
                and finding.family is Family.BASIC
                and finding.pair == enhanced
            ),
            None,
        )
    status = reply or enhanced  # its class decides whether the failure can be final
    # A report's Diagnostic-Code fields, with or without a code in them: the remote's words.
    # Then the first failure of its class: a report on several recipients speaks, as a whole,
    # for the first one it names. Then the deciding line itself.
    parts = [
        failure_words(scan.lines, number)
        for number, line in enumerate(scan.lines, start=1)
        if _DIAGNOSTIC.match(line)
    ]
    first = _first_failure(scan, deciding)
    if first is not None and first.line != deciding.line:
        parts.append(failure_words(scan.lines, first.line))
    parts.append(failure_words(scan.lines, deciding.line))
    body = report_body(scan.lines)
    # Gave up on a temporary failure: a DSN's Action: failed with a 4.x.x status, or the words.
    gave_up = scan.outcome is Outcome.PERMANENT and (enhanced or "").startswith("4.")
    expiry = next((hit for part in parts if (hit := _EXPIRY.search(part))), None)
    entry = _provider_entry(reply, enhanced, parts, body, with_pattern=True)
    if entry is not None:
        return _from_provider(entry, status)
    for part in parts:
        cause = reason_from_text(part, skip=_HOW_IT_ENDED)
        if cause is not None:
            reason, words = cause
            return _refined(reason, f'the reply says "{words}"', status, gave_up or expiry, body)
    if gave_up or expiry is not None:
        return _expired(reply, enhanced, status, expiry)
    entry = _provider_entry(reply, enhanced, parts, body, with_pattern=False)
    if entry is not None:
        return _from_provider(entry, status)
    from_codes = reason_from_codes(reply, enhanced)
    # A bare reply code, or an X.0.0 status, says less than the report's own words.
    if from_codes is not None and enhanced and not enhanced.endswith(".0.0"):
        return verdict(from_codes[0], f"the code {from_codes[1]}", status)
    found = reason_from_text(body)
    if found is not None:
        return _refined(found[0], f'the report says "{found[1]}"', status, False, body)
    if from_codes is not None:
        return verdict(from_codes[0], f"the code {from_codes[1]}", status)
    hint = _hint(body)
    if hint is not None:
        return verdict(hint[0], f'the report only advises "{hint[1]}"', status)
    return verdict(Reason.UNDEFINED, "nothing in the report names a reason", status)


_HINTS: tuple[tuple[Reason, re.Pattern[str]], ...] = (
    (
        Reason.USERUNKNOWN,
        re.compile(
            r"check (?:if|that|whether) (?:the )?(?:recipient'?s? )?(?:e-?mail )?address"
            r" (?:is|was) (?:correct|right|valid)",
            re.I,
        ),
    ),
)
"""Advice that hints at a reason: weaker than any rule, asked only when nothing else speaks."""


def _hint(text: str) -> tuple[Reason, str] | None:
    for reason, pattern in _HINTS:
        match = pattern.search(text)
        if match:
            return reason, match.group(0)
    return None


_STILL_TRYING = re.compile(
    r"will (?:be )?retr(?:y|ied)|(?:will|still) (?:keep )?trying|warning message only"
    r"|has been delayed|delivery (?:is )?delayed",
    re.I,
)
"""A delay notice: the message is still queued, so its failure is not final."""

_HOW_IT_ENDED = frozenset((Reason.EXPIRED,))
"""Expiry says how a delivery ended, not why: a cause named beside it is the reason."""

_EXPIRY = next(pattern for reason, pattern in _COMPILED if reason is Reason.EXPIRED)

_NO_ANSWER = re.compile(
    r"connection (?:refused|timed? ?out|reset|closed|lost|dropped)|could not connect"
    r"|(?:unable|failed) to connect|no route to host|(?:network|host|server) (?:is )?"
    r"(?:unreachable|not reachable)|timed? ?out|did not respond|no answer",
    re.I,
)
"""Network failures that retrying until the queue gives up turns into an expired delivery."""

_AT_DATA = re.compile(
    r"(?:after|in reply to) (?:the )?end of data|in reply to (?:the )?data command"
    r"|\bsmtp command\W{0,20}data\b",
    re.I,
)
"""The report says the refusal came after DATA, when the recipient had been accepted."""

_NETWORK_CODES = frozenset((Reason.NETWORKERROR, Reason.HOSTUNKNOWN, Reason.EXPIRED))


def _first_failure(scan: Scan, deciding: Finding) -> Finding | None:
    """The first reply or Diagnostic-Code of the deciding code's class (2, 4 or 5)."""
    for finding in scan.findings:
        if finding.role in (Role.REPLY, Role.DIAGNOSTIC) and finding.code[:1] == deciding.code[:1]:
            return finding
    return None


def _refined(reason: Reason, why: str, status: str | None, gave_up: object, body: str) -> Verdict:
    """A cause named in words, read against how the delivery ended and when it was refused."""
    if reason is Reason.NETWORKERROR and gave_up and _NO_ANSWER.search(why):
        # Not reached until the queue gave up: the delivery expired (RFC 3463 X.4.7).
        return verdict(Reason.EXPIRED, f"{why}, until the queue gave up", status)
    if reason is Reason.HOSTUNKNOWN and (status or "").startswith("4"):
        # A name lookup the server itself treats as temporary: DNS trouble, not a missing host.
        return verdict(Reason.NETWORKERROR, f"{why}, with a temporary status {status}", status)
    if reason is Reason.USERUNKNOWN and _AT_DATA.search(body):
        # The recipient was accepted at RCPT; refusing it after DATA is a filter's decision.
        return verdict(Reason.FILTERED, f"{why}, after DATA", status)
    return verdict(reason, why, status)


def _expired(
    reply: str | None, enhanced: str | None, status: str | None, expiry: re.Match[str] | None
) -> Verdict:
    """Gave up after retrying: expired, unless a specific status names a cause past the network."""
    from_codes = reason_from_codes(None, enhanced) if enhanced else None
    if (
        from_codes is not None
        and not (enhanced or "").endswith(".0.0")
        and from_codes[0] not in _NETWORK_CODES
    ):
        return verdict(from_codes[0], f"gave up on the code {from_codes[1]}", status)
    if expiry is not None:
        return verdict(Reason.EXPIRED, f'the reply says "{expiry.group(0)}"', status)
    return verdict(Reason.EXPIRED, f"gave up on the temporary failure {enhanced}", status)


def _provider_entry(
    reply: str | None, enhanced: str | None, parts: Sequence[str], body: str, *, with_pattern: bool
) -> ProviderEntry | None:
    """The entry of the provider that sent the report, when one fits its codes (and words)."""
    from smtp_tui.core.errors import DataError
    from smtp_tui.core.providers import load_providers

    try:
        book = load_providers()
    except DataError:  # bad provider data is reported where the front end loads it
        return None
    provider = book.detect(body + "\n" + "\n".join(parts))
    if provider is None:
        return None
    entry = book.match(reply, enhanced, "\n".join(parts), provider)
    if entry is None or (entry.pattern is not None) != with_pattern:
        return None
    return entry


def _from_provider(entry: ProviderEntry, status: str | None) -> Verdict:
    what = f"{entry.meaning} ({entry.provider}, {entry.place})"
    return verdict(entry.reason, f"the provider's entry: {what}", status)


# --- Each recipient of a report ----------------------------------------------------------------

_FINAL_RECIPIENT = re.compile(r"\s*final-recipient\s*:", re.I)
_BOUNDARY = re.compile(r"\s*--\S")


def recipient_verdicts(scan: Scan) -> list[Verdict]:
    """One verdict per recipient a report names apart, in its order; empty when it names one.

    A delivery-status report (RFC 3464 §2.3) gives each recipient its own block of fields, from
    its ``Final-Recipient`` on; a report in prose gives each failed recipient its own reply line.
    Each is read like a report of its own.
    """
    from smtp_tui.core.scanner import scan as scan_text

    starts = [index for index, line in enumerate(scan.lines) if _FINAL_RECIPIENT.match(line)]
    blocks: list[str] = []
    if len(starts) > 1:
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(scan.lines)
            block: list[str] = []
            for line in scan.lines[start:end]:
                if _BOUNDARY.match(line):
                    break
                block.append(line)
            blocks.append("\n".join(block))
    elif scan.deciding is not None:
        klass = scan.deciding.code[:1]
        failures = {
            finding.line
            for finding in scan.findings
            if finding.role is Role.REPLY and finding.code[:1] == klass
        }
        seen: set[str] = set()
        for number in sorted(failures):
            words = failure_words(scan.lines, number, failures)
            if words.strip() not in seen:  # a report that repeats itself in two languages
                seen.add(words.strip())
                blocks.append(words)
    if len(blocks) < 2:
        return []
    verdicts: list[Verdict] = []
    for text in blocks:
        found = classify_scan(scan_text(text))
        verdicts.append(
            found or verdict(Reason.UNDEFINED, "nothing for this recipient names a reason")
        )
    return verdicts
