"""What a probe found (`smtp_tui.core.probe`): its stages, steps, failures and the whole
report, with the JSON of ``smtp-tui probe --json``. Data only: the CLI, the browser's probe screen
and the display model read these without the network code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from smtp_tui.core.capabilities import Capability
from smtp_tui.core.reasons import Verdict

DEFAULT_PORT = 25
MASK = "********"
"""What a password is shown as, wherever a step shows what was sent."""


class Stage(StrEnum):
    """The steps of a probe, in the order they run."""

    DNS = "dns"
    CONNECT = "connect"
    GREETING = "greeting"
    EHLO = "ehlo"
    STARTTLS = "starttls"
    TLS = "tls"
    EHLO_TLS = "ehlo-tls"
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    RSET = "rset"
    QUIT = "quit"


class Outcome(StrEnum):
    """The verdict on the whole probe."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    UNREACHABLE = "unreachable"
    ERROR = "error"


class StartTls(StrEnum):
    AUTO = "auto"
    """When the server offers it."""
    ALWAYS = "always"
    """A server that does not offer it fails the probe."""
    NEVER = "never"


class Failure(StrEnum):
    """What went wrong below SMTP, each with one sentence in `FAILURES`."""

    DNS_FAILED = "dns-failed"
    NO_SUCH_DOMAIN = "no-such-domain"
    NULL_MX = "null-mx"
    NO_ADDRESS = "no-address"
    REFUSED = "refused"
    CONNECT_TIMEOUT = "connect-timeout"
    NETWORK = "network"
    TLS_FAILED = "tls-failed"
    NO_STARTTLS = "no-starttls"
    AUTH_IN_CLEAR = "auth-in-clear"
    SILENT = "silent"
    CLOSED = "closed"
    LINE_TOO_LONG = "line-too-long"
    REPLY_TOO_LONG = "reply-too-long"
    NOT_SMTP = "not-smtp"
    OUT_OF_TIME = "out-of-time"
    STOPPED = "stopped"
    """Stopped by the user (the browser's probe screen closed while it ran)."""


FAILURES: dict[Failure, str] = {
    Failure.DNS_FAILED: "The DNS lookup of {name} failed ({detail}): check the name and this "
    "machine's resolver.",
    Failure.NO_SUCH_DOMAIN: "{name} does not exist in the DNS (NXDOMAIN): check the spelling.",
    Failure.NULL_MX: "{name} publishes a null MX (RFC 7505): it says it accepts no mail at all.",
    Failure.NO_ADDRESS: "{name} has neither MX nor A/AAAA records: there is nowhere to deliver "
    "its mail (RFC 5321 §5.1).",
    Failure.REFUSED: "{where} refused the connection: nothing listens on that port, or a "
    "firewall rejects it.",
    Failure.CONNECT_TIMEOUT: "No answer from {where} within {seconds} s: outbound port {port} "
    "is probably blocked by your network or provider (common on cloud machines and home "
    "connections), or the host is down.",
    Failure.NETWORK: "{where} cannot be reached: {detail}.",
    Failure.TLS_FAILED: "The TLS handshake with {where} failed: {detail}.",
    Failure.NO_STARTTLS: "The server does not offer STARTTLS, and --starttls always asks for it.",
    Failure.AUTH_IN_CLEAR: "AUTH was not sent: without TLS whose certificate verifies, the "
    "password could be read or taken on the way.",
    Failure.SILENT: "The server stopped answering: nothing within {seconds} s after {after}.",
    Failure.CLOSED: "The server closed the connection after {after} without a reply.",
    Failure.LINE_TOO_LONG: "The server sent a line longer than {limit} bytes without ending it: "
    "not an SMTP reply (RFC 5321 §4.5.3.1.5 allows 512).",
    Failure.REPLY_TOO_LONG: "The server's reply went past {limit} bytes: not an SMTP reply.",
    Failure.NOT_SMTP: "The server's answer is not SMTP: {line}.",
    Failure.OUT_OF_TIME: "The probe ran out of its {seconds} s and stopped.",
    Failure.STOPPED: "The probe was stopped before it ended.",
}
"""One sentence per failure: what happened and where to look."""


@dataclass(frozen=True)
class TlsInfo:
    """What the STARTTLS handshake agreed and what the certificate says."""

    version: str
    cipher: str
    subject: str
    names: tuple[str, ...]
    issuer: str
    not_before: str
    not_after: str
    verified: bool
    verify_error: str
    """Why the certificate does not verify for the name; empty when it does."""


@dataclass(frozen=True)
class Step:
    """One step of the session: what was sent, what came back, and what it means."""

    stage: Stage
    command: str | None
    """As sent, with any password masked; None for steps that send nothing."""
    reply_code: str | None = None
    enhanced_code: str | None = None
    lines: tuple[str, ...] = ()
    elapsed_ms: int = 0
    name: str = ""
    """The code's name from the repository (the enhanced code's when the reply has one)."""
    advice: str = ""
    """What to do (the code's advice to the sender); empty for a success."""
    reason: Verdict | None = None
    """Why it failed, from `reasons.replies.classify`; None for a success."""
    note: str = ""
    """Our own sentence: a network failure, or where the step went."""
    failure: Failure | None = None
    capabilities: tuple[Capability, ...] = ()

    @property
    def text(self) -> str:
        """The reply's words without its codes, lines joined."""
        return " ".join(words_of(line) for line in self.lines)


@dataclass(frozen=True)
class MxHost:
    preference: int
    host: str


@dataclass
class Report:
    """The whole probe: where it went, every step, and the verdict."""

    target: str
    port: int
    host: str = ""
    address: str = ""
    mx: list[MxHost] = field(default_factory=list)
    tls: TlsInfo | None = None
    steps: list[Step] = field(default_factory=list)
    capabilities: tuple[Capability, ...] = ()
    outcome: Outcome = Outcome.ERROR
    failed_stage: Stage | None = None
    verdict: Verdict | None = None
    summary: str = ""
    """One sentence: what the outcome means."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


REPLY_LINE = re.compile(r"([2-5]\d\d)([ -]|$)")
ENHANCED_CODE = re.compile(r"([245]\.\d{1,3}\.\d{1,3})(?:\s|$)")


def words_of(line: str) -> str:
    """A reply line without its reply code and enhanced code."""
    rest = line[4:] if REPLY_LINE.match(line) else line
    match = ENHANCED_CODE.match(rest)
    return rest[match.end() :].strip() if match else rest.strip()


def report_to_dict(report: Report) -> dict[str, object]:
    """The JSON of ``smtp-tui probe --json``."""
    tls = report.tls
    why = report.verdict
    return {
        "target": report.target,
        "host": report.host or None,
        "address": report.address or None,
        "port": report.port,
        "mx": [{"preference": mx.preference, "host": mx.host} for mx in report.mx],
        "tls": None
        if tls is None
        else {
            "version": tls.version,
            "cipher": tls.cipher,
            "subject": tls.subject,
            "names": list(tls.names),
            "issuer": tls.issuer,
            "not_before": tls.not_before,
            "not_after": tls.not_after,
            "verified": tls.verified,
            "verify_error": tls.verify_error or None,
        },
        "capabilities": [
            {"keyword": cap.keyword, "params": cap.params, "meaning": cap.meaning, "rfc": cap.rfc}
            for cap in report.capabilities
        ],
        "steps": [
            {
                "stage": step.stage.value,
                "command": step.command,
                "reply_code": step.reply_code,
                "enhanced_code": step.enhanced_code,
                "lines": list(step.lines),
                "elapsed_ms": step.elapsed_ms,
                "name": step.name or None,
                "reason": step.reason.reason.value if step.reason else None,
                "provider": None,
                "note": step.note or None,
                "failure": step.failure.value if step.failure else None,
            }
            for step in report.steps
        ],
        "verdict": report.outcome.value,
        "failed_stage": report.failed_stage.value if report.failed_stage else None,
        "reason": why.reason.value if why else None,
        "bounce": why.bounce.value if why and why.bounce else None,
        "fault": why.fault.value if why and why.fault else None,
        "summary": report.summary,
    }
