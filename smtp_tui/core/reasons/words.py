"""Rules on a failure's own words: ordered, most specific first, each naming a reason.

Most of this module is the table itself; a rule is a few phrases as regular expressions, matched
without regard to case.
"""

from __future__ import annotations

import re

from smtp_tui.core.reasons import Reason

_RULES: tuple[tuple[Reason, tuple[str, ...]], ...] = (
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


WORD_RULES = tuple(
    (reason, re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE))
    for reason, patterns in _RULES
)


def reason_from_text(text: str, skip: frozenset[Reason] = frozenset()) -> tuple[Reason, str] | None:
    """The first rule whose words the text holds (except the `skip` rules), with those words."""
    for reason, pattern in WORD_RULES:
        if reason in skip:
            continue
        match = pattern.search(text)
        if match:
            return reason, match.group(0)
    return None
