"""Reads Postfix, Exim and Sendmail logs: one outcome per message and recipient, streamed.

A mail log interleaves thousands of messages, and the lines about one recipient are spread over
hours (deferred, deferred, sent). So lines are grouped by queue id and recipient while the
message is open, and each recipient is handed out as soon as its fate is known (sent, bounced,
expired, rejected); the message is forgotten when the MTA says it is done. Open messages are
capped, so a log of any size is read in bounded memory.

The totals count as pflogsumm does, the tool Postfix administrators already trust: delivered and
bounced are recipients, deferred is messages deferred at least once, rejected is each refusal by
the SMTP server or the cleanup filter.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import BinaryIO

from smtp_tui.core.reasons import Bounce, Fault, Reason
from smtp_tui.core.reasons.replies import classify


class Outcome(StrEnum):
    """What became of one recipient of one message."""

    DELIVERED = "delivered"
    DEFERRED = "deferred"
    """Still waiting at the end of the log (or when it had to be forgotten)."""
    BOUNCED = "bounced"
    REJECTED = "rejected"
    """Refused by our own SMTP server or filter, before it was queued."""
    EXPIRED = "expired"
    """Deferred until the queue lifetime ran out, then returned to the sender."""


@dataclass(frozen=True)
class Delivery:
    """One recipient of one message, and what became of it."""

    queue_id: str
    recipient: str
    """The address, or "" when the refusal came before any RCPT (a rejected HELO)."""
    outcome: Outcome
    reply_code: str | None
    enhanced_code: str | None
    remote_host: str | None
    """The server that answered (a relay), or for a rejection the client that was refused."""
    text: str
    """The remote's words (or the MTA's own) that decided the outcome."""
    reason: Reason | None
    bounce: Bounce | None
    fault: Fault | None
    provider: str | None
    lines: tuple[int, ...]
    """Line numbers (from 1) of the log lines about this recipient of this message."""
    mta: str

    @property
    def domain(self) -> str:
        return self.recipient.rpartition("@")[2].lower() if "@" in self.recipient else ""


def delivery_to_dict(delivery: Delivery) -> dict[str, object]:
    return {
        "queue_id": delivery.queue_id,
        "recipient": delivery.recipient,
        "outcome": delivery.outcome.value,
        "reply_code": delivery.reply_code,
        "enhanced_code": delivery.enhanced_code,
        "remote_host": delivery.remote_host,
        "text": delivery.text,
        "reason": delivery.reason.value if delivery.reason else None,
        "bounce": delivery.bounce.value if delivery.bounce else None,
        "fault": delivery.fault.value if delivery.fault else None,
        "provider": delivery.provider,
        "mta": delivery.mta,
        "lines": list(delivery.lines),
    }


# --- Reading lines -----------------------------------------------------------------------------

MAX_LINE = 64 * 1024
"""Longer lines are junk: no MTA writes them, and an endless one must not fill the memory."""

_MONTHS = {
    m: n
    for n, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_SYSLOG = re.compile(
    r"(?P<mon>[A-Z][a-z]{2}) {1,2}(?P<day>\d{1,2}) (?P<time>\d\d:\d\d:\d\d)(?:\.\d+)? "
    r"(?:<\w+\.\w+> )?\S+ (?P<rest>.*)"  # <mail.notice>: syslog-ng's facility.priority
)
_ISO = re.compile(
    r"(?P<date>\d{4}-\d\d-\d\d)[T ](?P<time>\d\d:\d\d:\d\d)(?:[.,]\d+)?"
    r"(?:Z|[+-]\d\d:?\d\d)?(?P<host> \S+(?= \S+?(?:\[\d+\])?: ))? (?P<rest>.*)"
)
_PROGRAM = re.compile(r"(?P<prog>[\w.\-/]+?)(?:\[\d+\])?: (?:\[ID \d+ [^\]]+\] )?(?P<msg>.*)")

_POSTFIX_AGENTS = frozenset(
    ("smtp", "lmtp", "local", "virtual", "pipe", "error", "discard", "relay")
)
_POSTFIX_ID = re.compile(r"(?P<qid>[0-9A-Za-z]+): (?P<body>.*)")
_TO = re.compile(r"to=<(?P<rcpt>[^>]*)>")
_FIELD = re.compile(r"\b(?P<key>relay|dsn|status)=(?P<value>[^,\s]+)")
_PAREN = re.compile(r"status=\w+ \((?P<text>.*)\)\s*$")
_SAID = re.compile(r"said: (?P<text>.*?)(?: \(in reply to [^)]*\))?$")
_REPLY = re.compile(r"^(?P<code>[2-5]\d\d)(?:[ -](?P<enhanced>[245]\.\d{1,3}\.\d{1,3}))?\b")
_ENHANCED = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_POSTFIX_REJECT = re.compile(
    r"(?:(?P<qid>\w+): )?(?:milter-)?reject: (?P<stage>\S+) from (?P<client>[^\s\[]*)\[?[^\]]*\]?"
    r"(?::\d+)?: (?P<text>.*?)(?:; from=<[^>]*>(?:,? to=<(?P<rcpt>[^>]*)>)?.*)?$"
)
_CLEANUP_REJECT = re.compile(
    r"(?P<qid>\w+): (?:milter-)?reject: (?:header|body|END-OF-MESSAGE)\b.*?"
    r"(?:: (?P<text>[245]\d\d .*|[245]\.\d+\.\d+ .*))?$"
)
_EXIM_SAID = re.compile(r": (?P<text>[2-5]\d\d[ -].*)$")

_EXIM_ID = r"[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}"
_EXIM = re.compile(rf"(?:\[\d+\] )?(?:(?P<qid>{_EXIM_ID}) )?(?P<body>.*)")
_EXIM_ADDRESS = re.compile(r"(?P<mark>\*\*|==|=>|->|\*>) (?P<rcpt>\S+)(?: <(?P<orig>[^>]+)>)?")
_EXIM_HOST = re.compile(r"\bH=(?P<host>\S+)")
_EXIM_REJECT = re.compile(
    r"H=(?P<client>\S*).*? rejected (?P<stage>RCPT|MAIL|after DATA|EHLO|HELO)\b"
    r"(?: <?(?P<rcpt>[^\s>:]*)>?)?:? ?(?P<text>.*)"
)

_SENDMAIL_ID = re.compile(r"(?P<qid>[0-9A-Za-z]{12,16}): (?P<body>.*)")
_SENDMAIL_STAT = re.compile(r"\bstat=(?P<stat>.*)$")
_SENDMAIL_REJECT = re.compile(r"\breject=(?P<text>.*)$")
_SENDMAIL_RELAY = re.compile(r"\brelay=(?P<relay>[^,\s]+)")
_SENDMAIL_ARG = re.compile(r"\barg1=<?(?P<rcpt>[^,>\s]*)")


@dataclass
class ReadStats:
    """What the reader saw besides deliveries: for the summary's footnotes and the totals."""

    lines: int = 0
    junk: int = 0
    """Lines skipped as binary or over-long."""
    outside: int = 0
    """Lines outside --since/--until."""
    deferred_messages: int = 0
    deferrals: int = 0
    forwarded: int = 0
    forgotten: int = 0
    """Messages dropped while still open because the cap on open messages was reached."""
    first_time: datetime | None = None
    last_time: datetime | None = None
    bytes: int = 0


@dataclass
class _Recipient:
    lines: list[int]
    last: Delivery | None = None


@dataclass
class _Message:
    mta: str
    qid: str
    recipients: dict[str, _Recipient] = field(default_factory=dict)
    deferred: bool = False


_MAX_LINES = 40
"""Line numbers kept per recipient: a message deferred for five days has hundreds."""


def lines_of(stream: BinaryIO, stats: ReadStats) -> Iterator[bytes]:
    """Lines of a binary stream, each at most MAX_LINE bytes; longer ones are counted as junk."""
    while True:
        line = stream.readline(MAX_LINE)
        if not line:
            return
        stats.bytes += len(line)
        if len(line) == MAX_LINE and not line.endswith(b"\n"):
            while True:  # the rest of the over-long line
                more = stream.readline(MAX_LINE)
                stats.bytes += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield b"\x00"  # counted as junk by the reader, and keeps the line numbers right
            continue
        yield line


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MATTERS = re.compile(r"stat|reject|removed|Completed|[=\-*]> |\*\* |== |non-delivery")
"""Words of the only lines that can change an outcome: most of a log (connect, client=,
message-id, from=) is passed over after this one search, without splitting it into fields."""


class MailLog:
    """A streaming reader of one mail log; `read` yields each recipient's outcome once known."""

    def __init__(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        year: int | None = None,
        max_open: int = 200_000,
    ) -> None:
        self.since = since
        self.until = until
        self.year = year if year is not None else datetime.now().year
        """Syslog lines carry no year: they are taken to be from this one."""
        self.max_open = max_open
        self.stats = ReadStats()
        self._open: OrderedDict[tuple[str, str], _Message] = OrderedDict()
        self._pending: list[Delivery] = []

    # -- the loop

    def read(self, lines: Iterable[bytes | str]) -> Iterator[Delivery]:
        stats = self.stats
        filtering = self.since is not None or self.until is not None
        passed_over = ""  # the last line passed over, for the log's last time
        for number, raw in enumerate(lines, 1):
            stats.lines = number
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            text = text.rstrip("\r\n")
            if _CONTROL.search(text) or text.count("\ufffd") * 4 > len(text) > 0:
                stats.junk += 1
                continue
            if not filtering and stats.first_time is not None and not _MATTERS.search(text):
                passed_over = text
                continue
            passed_over = ""
            when, program, message = self._split(text)
            if when is not None:
                if filtering and (
                    (self.since is not None and when < self.since)
                    or (self.until is not None and when > self.until)
                ):
                    stats.outside += 1
                    continue
                if stats.first_time is None:
                    stats.first_time = when
                stats.last_time = when
            if message is None:
                continue
            self._line(program, message, number)
            if self._pending:
                yield from self._pending
                self._pending.clear()
        if passed_over:
            when = self._split(passed_over)[0]
            stats.last_time = when or stats.last_time
        for message_state in list(self._open.values()):
            self._close(message_state)
        self._open.clear()
        yield from self._pending
        self._pending.clear()

    def _split(self, text: str) -> tuple[datetime | None, str, str | None]:
        """The time, the program and what it said; the program is "" for Exim's own log."""
        match = _SYSLOG.match(text)
        if match:
            month = _MONTHS.get(match["mon"])
            when = None
            if month is not None:
                hour, minute, second = match["time"].split(":")
                try:
                    when = datetime(
                        self.year, month, int(match["day"]), int(hour), int(minute), int(second)
                    )
                except ValueError:
                    when = None
            rest = match["rest"]
        else:
            match = _ISO.match(text)
            if not match:
                return None, "", None
            try:
                when = datetime.fromisoformat(f"{match['date']}T{match['time']}")
            except ValueError:
                when = None
            rest = match["rest"]
            if not match["host"]:  # Exim's own main log: no host, no program
                return when, "", rest
        program = _PROGRAM.match(rest)
        if not program:
            return when, "", rest
        return when, program["prog"], program["msg"]

    def _line(self, program: str, message: str, number: int) -> None:
        name = program.rpartition("/")[2]
        if "/" in program or program.startswith("postfix"):
            self._postfix(name, message, number)
        elif program in ("", "exim", "exim4") or program.startswith("exim"):
            self._exim(message, number)
        elif name == "sendmail" or name.startswith("sm-"):  # sm-mta, sm-acceptingconnections
            self._sendmail(message, number)

    # -- Postfix

    def _postfix(self, agent: str, message: str, number: int) -> None:
        if "reject: " in message and agent in ("smtpd", "postscreen", "cleanup"):
            self._postfix_reject(agent, message, number)
            return
        match = _POSTFIX_ID.match(message)
        if not match:
            return
        qid, body = match["qid"], match["body"]
        if "status=" not in body:
            if body == "removed":
                state = self._open.pop(("postfix", qid), None)
                if state is not None:
                    self._close(state)
            elif body.startswith("sender non-delivery notification"):
                self._note_message("postfix", qid, number)
            return
        if agent == "qmgr" and "status=expired" in body:
            self._expire("postfix", qid, number, body)
            return
        if agent not in _POSTFIX_AGENTS and agent != "qmgr":
            return
        rcpt = _TO.search(body)
        if not rcpt:
            return
        fields = {m["key"]: m["value"] for m in _FIELD.finditer(body)}
        status = fields.get("status")
        words = _PAREN.search(body)
        text = words["text"] if words else ""
        said = _SAID.search(text)
        remote = said["text"] if said else text
        relay = fields.get("relay", "")
        host = relay.partition("[")[0] if "[" in relay else None
        if status == "sent":
            if "forwarded as " in text:
                self.stats.forwarded += 1
                self._drop_recipient("postfix", qid, rcpt["rcpt"])
                return
            outcome = Outcome.DELIVERED
        elif status == "bounced":
            outcome = Outcome.BOUNCED
        elif status == "deferred":
            outcome = Outcome.DEFERRED
        elif status == "expired":
            outcome = Outcome.EXPIRED
        else:
            return
        self._record("postfix", qid, rcpt["rcpt"], outcome, remote, fields.get("dsn"), host, number)

    def _postfix_reject(self, agent: str, message: str, number: int) -> None:
        if agent == "cleanup":
            match = _CLEANUP_REJECT.match(message)
            if not match:
                return
            text = match["text"] or message.partition("reject: ")[2]
            rcpt = _TO.search(message)
            self._rejected(
                "postfix", match["qid"], rcpt["rcpt"] if rcpt else "", text, None, number
            )
            return
        match = _POSTFIX_REJECT.match(message)
        if not match:
            return
        qid = match["qid"] or "NOQUEUE"
        self._rejected(
            "postfix", qid, match["rcpt"] or "", match["text"], match["client"] or None, number
        )

    # -- Exim

    def _exim(self, message: str, number: int) -> None:
        match = _EXIM.match(message)
        if not match:
            return
        qid, body = match["qid"], match["body"]
        # A delivery line may quote a remote's "rejected" too: only a line that is no delivery
        # is our own server's refusal.
        if " rejected " in body and "H=" in body and not _EXIM_ADDRESS.match(body):
            reject = _EXIM_REJECT.search(body)
            if reject:
                self._rejected(
                    "exim",
                    qid or "NOQUEUE",
                    reject["rcpt"] or "",
                    reject["text"],
                    reject["client"] or None,
                    number,
                )
            return
        if not qid:
            return
        if body == "Completed":
            state = self._open.pop(("exim", qid), None)
            if state is not None:
                self._close(state)
            return
        address = _EXIM_ADDRESS.match(body)
        if not address:
            return
        mark = address["mark"]
        rcpt = address["orig"] or address["rcpt"]
        host = _EXIM_HOST.search(body)
        remote_host = host["host"] if host else None
        if mark in ("=>", "->", "*>"):
            self._record("exim", qid, rcpt, Outcome.DELIVERED, "", None, remote_host, number)
            return
        # "** addr R=… T=…: SMTP error from remote mail server after RCPT TO:<…>: 550 …"
        words = body.split(": ", 1)[1] if ": " in body else body
        said = _EXIM_SAID.search(words)
        text = said["text"] if said else words
        enhanced = _ENHANCED.search(text)
        outcome = Outcome.BOUNCED if mark == "**" else Outcome.DEFERRED
        self._record(
            "exim",
            qid,
            rcpt,
            outcome,
            text,
            enhanced.group(1) if enhanced else None,
            remote_host,
            number,
        )

    # -- Sendmail

    def _sendmail(self, message: str, number: int) -> None:
        match = _SENDMAIL_ID.match(message)
        # check_relay refuses the connection before any queue id is given
        qid, body = (match["qid"], match["body"]) if match else ("NOQUEUE", message)
        reject = _SENDMAIL_REJECT.search(body)
        if reject:
            arg = _SENDMAIL_ARG.search(body)
            relay = _SENDMAIL_RELAY.search(body)
            self._rejected(
                "sendmail",
                qid,
                arg["rcpt"] if arg else "",
                reject["text"],
                relay["relay"].rstrip(".") if relay else None,
                number,
            )
            return
        stat = _SENDMAIL_STAT.search(body) if match else None
        rcpt = _TO.search(body) or re.match(r"to=(?P<rcpt>[^,\s]+)", body)
        if not stat or not rcpt:
            return
        fields = {m["key"]: m["value"] for m in _FIELD.finditer(body)}
        dsn = fields.get("dsn")
        relay = _SENDMAIL_RELAY.search(body)
        host = relay["relay"].rstrip(".") if relay else None
        words = stat["stat"]
        if words.startswith("Sent"):
            outcome = Outcome.DELIVERED
        elif words.startswith("Deferred") or (dsn or "").startswith("4"):
            outcome = Outcome.DEFERRED
        else:
            outcome = Outcome.BOUNCED
        text = words.partition(": ")[2] if words.startswith("Deferred") else words
        if outcome is Outcome.DELIVERED:
            text = ""
        self._record("sendmail", qid, rcpt["rcpt"], outcome, text, dsn, host, number)
        if outcome is not Outcome.DEFERRED:  # sendmail logs no end of message
            state = self._open.get(("sendmail", qid))
            if state is not None and not state.recipients:
                self._open.pop(("sendmail", qid))
                self._close(state)

    # -- the state of open messages

    def _message(self, mta: str, qid: str) -> _Message:
        key = (mta, qid)
        state = self._open.get(key)
        if state is None:
            state = self._open[key] = _Message(mta, qid)
            if len(self._open) > self.max_open:
                _, oldest = self._open.popitem(last=False)
                self.stats.forgotten += 1
                self._close(oldest)
        return state

    def _note_message(self, mta: str, qid: str, number: int) -> None:
        state = self._open.get((mta, qid))
        if state is not None:
            for recipient in state.recipients.values():
                if len(recipient.lines) < _MAX_LINES:
                    recipient.lines.append(number)

    def _drop_recipient(self, mta: str, qid: str, rcpt: str) -> None:
        state = self._open.get((mta, qid))
        if state is not None:
            state.recipients.pop(rcpt, None)

    def _record(
        self,
        mta: str,
        qid: str,
        rcpt: str,
        outcome: Outcome,
        text: str,
        enhanced: str | None,
        host: str | None,
        number: int,
    ) -> None:
        state = self._message(mta, qid)
        recipient = state.recipients.get(rcpt)
        if recipient is None:
            recipient = state.recipients[rcpt] = _Recipient([])
        if len(recipient.lines) < _MAX_LINES:
            recipient.lines.append(number)
        delivery = _delivery(qid, rcpt, outcome, text, enhanced, host, recipient.lines, mta)
        if outcome is Outcome.DEFERRED:
            self.stats.deferrals += 1
            state.deferred = True
            recipient.last = delivery
            return
        del state.recipients[rcpt]
        self._pending.append(delivery)

    def _rejected(
        self, mta: str, qid: str, rcpt: str, text: str, host: str | None, number: int
    ) -> None:
        enhanced = _ENHANCED.search(text)
        self._pending.append(
            _delivery(
                qid,
                rcpt,
                Outcome.REJECTED,
                text,
                enhanced.group(1) if enhanced else None,
                host,
                [number],
                mta,
            )
        )

    def _expire(self, mta: str, qid: str, number: int, body: str) -> None:
        state = self._open.pop((mta, qid), None)
        if state is None:
            return
        for rcpt, recipient in state.recipients.items():
            last = recipient.last
            lines = [*recipient.lines, number][-_MAX_LINES:]
            text = last.text if last else "message expired"
            self._pending.append(
                _delivery(
                    qid,
                    rcpt,
                    Outcome.EXPIRED,
                    text,
                    last.enhanced_code if last else None,
                    last.remote_host if last else None,
                    lines,
                    mta,
                )
            )
        state.recipients.clear()
        self._close(state)

    def _close(self, state: _Message) -> None:
        """The message is done (or forgotten): whoever is still waiting stays deferred."""
        if state.deferred:
            self.stats.deferred_messages += 1
        for recipient in state.recipients.values():
            if recipient.last is not None:
                self._pending.append(recipient.last)
        state.recipients.clear()


def _delivery(
    qid: str,
    rcpt: str,
    outcome: Outcome,
    text: str,
    enhanced: str | None,
    host: str | None,
    lines: list[int],
    mta: str,
) -> Delivery:
    reply = _REPLY.match(text.strip())
    reply_code = reply["code"] if reply else None
    if enhanced is None and reply and reply["enhanced"]:
        enhanced = reply["enhanced"]
    if outcome is Outcome.DELIVERED:
        reason, bounce, fault = None, None, None
    else:
        verdict = classify(text, reply_code, enhanced)
        reason, bounce, fault = verdict.reason, verdict.bounce, verdict.fault
    return Delivery(
        queue_id=qid,
        recipient=rcpt,
        outcome=outcome,
        reply_code=reply_code,
        enhanced_code=enhanced,
        remote_host=host,
        text=text,
        reason=reason,
        bounce=bounce,
        fault=fault,
        provider=None,
        lines=tuple(lines),
        mta=mta,
    )


# --- The summary -------------------------------------------------------------------------------

MAX_KEYS = 20_000
"""Distinct keys a top list tracks: a log with a million domains must not hold them all."""


class _Top:
    """Counts of a top list, bounded: once full, new keys are counted as one "other"."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.example: dict[str, Delivery] = {}
        self.other = 0

    def add(self, key: str | None, delivery: Delivery) -> None:
        if not key:
            return
        if key not in self.counts and len(self.counts) >= MAX_KEYS:
            self.other += 1
            return
        self.counts[key] += 1
        self.example.setdefault(key, delivery)

    def top(self, n: int) -> list[tuple[str, int, Delivery]]:
        return [(key, count, self.example[key]) for key, count in self.counts.most_common(n)]


@dataclass
class Summary:
    """What a log adds up to: the totals and what failed most, by reason, code, provider, domain."""

    stats: ReadStats
    totals: Counter[Outcome] = field(default_factory=Counter)
    reasons: _Top = field(default_factory=_Top)
    codes: _Top = field(default_factory=_Top)
    providers: _Top = field(default_factory=_Top)
    domains: _Top = field(default_factory=_Top)

    def add(self, delivery: Delivery) -> None:
        self.totals[delivery.outcome] += 1
        if delivery.outcome is Outcome.DELIVERED:
            return
        self.reasons.add(delivery.reason.value if delivery.reason else None, delivery)
        self.codes.add(delivery.enhanced_code or delivery.reply_code, delivery)
        self.providers.add(delivery.provider, delivery)
        self.domains.add(delivery.domain, delivery)

    def total(self, outcome: Outcome) -> int:
        """As pflogsumm counts: deferred is messages deferred at least once, the rest recipients."""
        if outcome is Outcome.DEFERRED:
            return self.stats.deferred_messages
        return self.totals[outcome]


def explaining(key: str, kind: str, example: Delivery) -> list[str]:
    """The command that explains a row of a top list, as argv."""
    code = example.enhanced_code or example.reply_code
    if kind == "codes" or (kind != "reasons" and code):
        return ["smtp-tui", "show", key if kind == "codes" else str(code)]
    words = example.text.strip() or key
    if len(words) > 60:  # enough words to decide the reason, short enough to copy
        words = words[:60].rpartition(" ")[0] or words[:60]
    return ["smtp-tui", "explain", words]


def summary_to_dict(summary: Summary, n: int = 10) -> dict[str, object]:
    stats = summary.stats
    tops: dict[str, object] = {}
    for kind in ("reasons", "codes", "providers", "domains"):
        top: _Top = getattr(summary, kind)
        tops[f"top_{kind}"] = [
            {"key": key, "count": count, "explain": explaining(key, kind, example)}
            for key, count, example in top.top(n)
        ]
    return {
        "totals": {outcome.value: summary.total(outcome) for outcome in Outcome},
        "deferred_recipients_at_end": summary.totals[Outcome.DEFERRED],
        "deferrals": stats.deferrals,
        "forwarded": stats.forwarded,
        **tops,
        "lines": stats.lines,
        "junk_lines": stats.junk,
        "lines_outside_period": stats.outside,
        "forgotten_messages": stats.forgotten,
        "first_time": stats.first_time.isoformat() if stats.first_time else None,
        "last_time": stats.last_time.isoformat() if stats.last_time else None,
    }
