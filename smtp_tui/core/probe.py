"""A live, safe SMTP session that explains every reply: ``smtp-tui probe``.

Written on `socket` and `ssl` rather than smtplib: a probe needs a timeout per step, the raw lines
of multi-line replies, a cap on how much a server may send, and to know exactly what went out.
It never sends DATA, VRFY or EXPN: it asks whether mail would be taken, and takes no mail.

Every failure of the network is a `Failure` with one sentence, never an exception: a probe is
run to find out what is wrong, so what is wrong is its result. Plain Python, no Textual: the CLI
prints each step as it comes (`on_step`), and a browser screen can do the same in a worker.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import ipaddress
import os
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from typing import NoReturn, Protocol

from smtp_tui.core.capabilities import Capability, capability
from smtp_tui.core.reasons import Bounce, Reason, Verdict, classify, verdict
from smtp_tui.core.repository import Repository, UnknownCode

MAX_LINE = 64 * 1024
"""The longest reply line taken: RFC 5321 §4.5.3.1.5 allows 512 octets; 128 times that is
still an SMTP server, a line past it is not."""
MAX_REPLY = 1024 * 1024
"""The most a multi-line reply may hold (a long EHLO list is a few hundred bytes)."""
MASK = "********"
DEFAULT_PORT = 25
POLL = 0.1
"""Seconds between looks at a probe's stop signal while it waits on the network."""


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
    """Why it failed, from `reasons.classify`; None for a success."""
    note: str = ""
    """Our own sentence: a network failure, or where the step went."""
    failure: Failure | None = None
    capabilities: tuple[Capability, ...] = ()

    @property
    def text(self) -> str:
        """The reply's words without its codes, lines joined."""
        return " ".join(_words_of(line) for line in self.lines)


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


class LookupFailed(Exception):
    """A DNS lookup that failed (not one that found nothing)."""


class NoSuchDomain(Exception):
    pass


class Resolver(Protocol):
    """A DNS lookup: the records' texts (``10 mx.example.`` for MX); [] when there are none."""

    def __call__(self, name: str, rdtype: str) -> list[str]: ...


def dns_resolver(timeout: float) -> Resolver:
    """dnspython, imported only here: the rest of smtp-tui never pays for it."""
    import dns.exception
    import dns.resolver

    def lookup(name: str, rdtype: str) -> list[str]:
        try:
            answer = dns.resolver.resolve(name, rdtype, lifetime=timeout, search=False)
        except dns.resolver.NXDOMAIN:
            raise NoSuchDomain(name) from None
        except dns.resolver.NoAnswer:
            return []
        except dns.exception.Timeout:
            raise LookupFailed("no DNS answer in time") from None
        except dns.exception.DNSException as error:
            raise LookupFailed(str(error) or type(error).__name__) from None
        return [record.to_text() for record in answer]

    return lookup


# --- Replies ---------------------------------------------------------------------------------

_REPLY_LINE = re.compile(r"([2-5]\d\d)([ -]|$)")
_ENHANCED = re.compile(r"([245]\.\d{1,3}\.\d{1,3})(?:\s|$)")


def _words_of(line: str) -> str:
    """A reply line without its reply code and enhanced code."""
    rest = line[4:] if _REPLY_LINE.match(line) else line
    match = _ENHANCED.match(rest)
    return rest[match.end() :].strip() if match else rest.strip()


class _Stop(Exception):
    """Ends the session with a failure (caught in `probe`, never seen outside)."""

    def __init__(self, failure: Failure, stage: Stage, **values: object) -> None:
        super().__init__(failure)
        self.failure = failure
        self.stage = stage
        self.values = values

    @property
    def sentence(self) -> str:
        return FAILURES[self.failure].format(**self.values)


class _Stopped(Exception):
    """The user stopped the probe: caught in `probe`, which reports it."""


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise _Stopped


def _open(address: str, port: int, wait: float, cancel: threading.Event | None) -> socket.socket:
    """`socket.create_connection`, looking at `cancel` while the connection is being made, so a
    probe of an address that drops packets can be stopped at once rather than after `wait`."""
    if cancel is None:
        return socket.create_connection((address, port), timeout=wait)
    end = time.monotonic() + wait
    family, kind, proto, _, where = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setblocking(False)
        error = sock.connect_ex(where)
        while error in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY):
            _check(cancel)
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if select.select([], [sock], [], min(POLL, left))[1]:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if error:
            raise OSError(error, os.strerror(error))  # ConnectionRefusedError for ECONNREFUSED
        sock.setblocking(True)
        return sock
    except BaseException:
        sock.close()
        raise


class _Connection:
    """A socket read line by line, with a cap on lines and replies and a deadline per read."""

    def __init__(
        self,
        sock: socket.socket,
        timeout: float,
        deadline: float,
        bound: float,
        cancel: threading.Event | None = None,
    ) -> None:
        self.sock: socket.socket = sock
        self.timeout = timeout
        self.deadline = deadline
        self.bound = bound
        self.cancel = cancel
        self.buffer = bytearray()

    def send(self, data: bytes, stage: Stage) -> None:
        self.sock.settimeout(self._wait(stage))
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise _Stop(Failure.SILENT, stage, seconds=self.timeout, after=_after(stage)) from None
        except OSError:
            raise _Stop(Failure.CLOSED, stage, after=_after(stage)) from None

    def _wait(self, stage: Stage) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Stop(Failure.OUT_OF_TIME, stage, seconds=_num(self.bound))
        return min(self.timeout, left)

    def _line(self, stage: Stage, step_end: float) -> str:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                raw = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                if len(raw) > MAX_LINE:
                    raise _Stop(Failure.LINE_TOO_LONG, stage, limit=MAX_LINE)
                return raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if len(self.buffer) > MAX_LINE:
                raise _Stop(Failure.LINE_TOO_LONG, stage, limit=MAX_LINE)
            _check(self.cancel)
            left = min(step_end, self.deadline) - time.monotonic()
            if left <= 0:
                raise self._silent(stage, step_end)
            self.sock.settimeout(left if self.cancel is None else min(left, POLL))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                if self.cancel is not None:
                    continue  # a look at the stop signal; the step's own time is checked above
                raise self._silent(stage, step_end) from None
            except OSError:
                chunk = b""
            if not chunk:
                raise _Stop(Failure.CLOSED, stage, after=_after(stage))
            self.buffer += chunk

    def _silent(self, stage: Stage, step_end: float) -> _Stop:
        if step_end > self.deadline:
            return _Stop(Failure.OUT_OF_TIME, stage, seconds=_num(self.bound))
        return _Stop(Failure.SILENT, stage, seconds=self.timeout, after=_after(stage))

    def reply(self, stage: Stage) -> tuple[str, list[str]]:
        """A whole reply: its code and its lines (RFC 5321 §4.2.1: ``250-`` until ``250 ``)."""
        step_end = time.monotonic() + self.timeout
        lines: list[str] = []
        size = 0
        while True:
            line = self._line(stage, step_end)
            size += len(line) + 2
            if size > MAX_REPLY:
                raise _Stop(Failure.REPLY_TOO_LONG, stage, limit=MAX_REPLY)
            match = _REPLY_LINE.match(line)
            if match is None or (lines and match.group(1) != lines[0][:3]):
                shown = line[:80] + ("…" if len(line) > 80 else "")
                raise _Stop(Failure.NOT_SMTP, stage, line=repr(shown))
            lines.append(line)
            if match.group(2) != "-":
                return match.group(1), lines


def _after(stage: Stage) -> str:
    return {
        Stage.GREETING: "the connection opened",
        Stage.TLS: "the TLS handshake",
    }.get(stage, stage.upper().replace("-TLS", ""))


# --- The session -----------------------------------------------------------------------------


class _Session:
    """One connection to one address, step by step."""

    def __init__(
        self,
        report: Report,
        *,
        timeout: float,
        deadline: float,
        bound: float,
        repository: Repository | None,
        on_step: Callable[[Step], None] | None,
        trust: ssl.SSLContext | None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.report = report
        self.timeout = timeout
        self.deadline = deadline
        self.bound = bound
        self.repository = repository
        self.on_step = on_step
        self.trust = trust
        self.cancel = cancel
        self.conn: _Connection | None = None
        self.secrets: tuple[str, ...] = ()

    def add(self, step: Step) -> Step:
        _check(self.cancel)
        self.report.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)
        return step

    def connect(self, host: str, address: str, port: int) -> bool:
        """Open the connection; a failure is a step with its sentence, and False."""
        started = time.monotonic()
        where = f"{host} [{address}]:{port}" if host != address else f"[{address}]:{port}"
        wait = min(self.timeout, max(0.0, self.deadline - started))
        failure: Failure | None = None
        detail = ""
        try:
            sock = _open(address, port, wait, self.cancel)
        except ConnectionRefusedError:
            failure = Failure.REFUSED
        except TimeoutError:
            failure = Failure.CONNECT_TIMEOUT
        except OSError as error:
            failure, detail = Failure.NETWORK, error.strerror or str(error)
        elapsed = _ms(started)
        if failure is not None:
            note = FAILURES[failure].format(
                where=where, seconds=_num(wait), port=port, detail=detail
            )
            self.add(Step(Stage.CONNECT, None, elapsed_ms=elapsed, note=note, failure=failure))
            return False
        self.conn = _Connection(sock, self.timeout, self.deadline, self.bound, self.cancel)
        self.add(Step(Stage.CONNECT, None, elapsed_ms=elapsed, note=f"connected to {where}"))
        return True

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.sock.close()
            self.conn = None

    def command(self, stage: Stage, line: str | None, shown: str | None = None) -> Step:
        """Send `line` (None: only read, as for the greeting) and read and annotate the reply."""
        assert self.conn is not None
        started = time.monotonic()
        try:
            if line is not None:
                self.conn.send(line.encode("utf-8") + b"\r\n", stage)
            code, lines = self.conn.reply(stage)
            lines = [self.masked(reply) for reply in lines]
        except _Stop as stop:
            self.add(
                Step(
                    stage,
                    shown or line,
                    elapsed_ms=_ms(started),
                    note=stop.sentence,
                    failure=stop.failure,
                )
            )
            raise
        return self.add(self.annotate(stage, shown or line, code, lines, _ms(started)))

    def masked(self, text: str) -> str:
        """A server that echoes the password (or its base64) shows it masked too."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def annotate(
        self, stage: Stage, command: str | None, code: str, lines: list[str], elapsed: int
    ) -> Step:
        enhanced = None
        first = lines[0][4:]
        match = _ENHANCED.match(first)
        if match and match.group(1)[0] == code[0]:
            enhanced = match.group(1)
        name, advice = self._meaning(code, enhanced)
        reason = None
        if code[0] in "45":
            words = " ".join(_words_of(line) for line in lines)
            reason = classify(words, code, enhanced)
            if code[0] == "4" and reason.bounce is Bounce.HARD:
                # A 4xx is transient (RFC 5321 §4.2.1) whatever its enhanced code suggests:
                # greylisting says 450 4.2.0, and X.2.0 alone reads as an unknown mailbox.
                reason = replace(reason, bounce=Bounce.SOFT)
        else:
            advice = ""
        capabilities: tuple[Capability, ...] = ()
        if stage in (Stage.EHLO, Stage.EHLO_TLS) and code == "250":
            capabilities = tuple(capability(line[4:]) for line in lines[1:] if line[4:].strip())
        return Step(
            stage,
            command,
            code,
            enhanced,
            tuple(lines),
            elapsed,
            name,
            advice,
            reason,
            capabilities=capabilities,
        )

    def _meaning(self, code: str, enhanced: str | None) -> tuple[str, str]:
        if self.repository is None:
            return "", ""
        for wanted in (enhanced, code):
            if wanted is None:
                continue
            try:
                found = self.repository.get(wanted)
            except UnknownCode:
                continue
            return found.name, found.fix_sender
        return "", ""

    def starttls(self, server_name: str) -> TlsInfo:
        """Wrap the socket: verifying first; when the certificate fails, once more without
        verifying, so its details can still be shown (a failure to verify is reported)."""
        assert self.conn is not None
        started = time.monotonic()
        context = self.trust or ssl.create_default_context()
        verify_error = ""
        raw = self.conn.sock
        self.conn.sock.settimeout(self.conn._wait(Stage.TLS))
        try:
            tls = context.wrap_socket(raw, server_hostname=server_name)
        except ssl.SSLCertVerificationError as error:
            verify_error = error.verify_message or str(error)
            tls = None
        except (ssl.SSLError, OSError) as error:
            self._tls_failed(started, str(getattr(error, "reason", None) or error))
        if tls is None:
            # The failed handshake spent the connection: the caller reconnects unverified.
            note = (
                f"the certificate does not verify for {server_name}: {verify_error}; "
                "connecting again without verifying, to show the rest of the session"
            )
            self.add(Step(Stage.TLS, None, elapsed_ms=_ms(started), note=note))
            raise _Unverified(verify_error)
        return self._tls_done(tls, started, verify_error)

    def starttls_unverified(self, server_name: str, verify_error: str) -> TlsInfo:
        assert self.conn is not None
        started = time.monotonic()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.conn.sock.settimeout(self.conn._wait(Stage.TLS))
        try:
            tls = context.wrap_socket(self.conn.sock, server_hostname=server_name)
        except (ssl.SSLError, OSError) as error:
            self._tls_failed(started, str(getattr(error, "reason", None) or error))
        return self._tls_done(tls, started, verify_error)

    def _tls_failed(self, started: float, detail: str) -> NoReturn:
        where = self.report.host or self.report.address
        stop = _Stop(Failure.TLS_FAILED, Stage.TLS, where=where, detail=detail)
        self.add(
            Step(Stage.TLS, None, elapsed_ms=_ms(started), note=stop.sentence, failure=stop.failure)
        )
        raise stop

    def _tls_done(self, tls: ssl.SSLSocket, started: float, verify_error: str) -> TlsInfo:
        assert self.conn is not None
        self.conn.sock = tls
        info = _tls_info(tls, verify_error)
        note = f"{info.version}, {info.cipher}; certificate for {', '.join(info.names) or '?'}"
        note += "; verifies" if info.verified else f"; does NOT verify: {verify_error}"
        self.add(Step(Stage.TLS, None, elapsed_ms=_ms(started), note=note))
        return info


class _Unverified(Exception):
    def __init__(self, verify_error: str) -> None:
        super().__init__(verify_error)
        self.verify_error = verify_error


def _tls_info(tls: ssl.SSLSocket, verify_error: str) -> TlsInfo:
    cert = tls.getpeercert() or _decoded(tls.getpeercert(binary_form=True))
    cipher = tls.cipher()

    def name(parts: object) -> str:
        if not isinstance(parts, tuple):
            return ""
        return ", ".join(f"{key}={value}" for rdn in parts for key, value in rdn)

    alt_names = cert.get("subjectAltName", ())
    pairs = alt_names if isinstance(alt_names, tuple) else ()
    names = tuple(str(value) for kind, value in pairs if kind in ("DNS", "IP Address"))
    return TlsInfo(
        version=tls.version() or "",
        cipher=cipher[0] if cipher else "",
        subject=name(cert.get("subject")),
        names=names,
        issuer=name(cert.get("issuer")),
        not_before=str(cert.get("notBefore", "")),
        not_after=str(cert.get("notAfter", "")),
        verified=not verify_error,
        verify_error=verify_error,
    )


def _decoded(der: bytes | None) -> dict[str, object]:
    """An unverified certificate's fields: the ssl module decodes only through a file."""
    if not der:
        return {}
    import os
    import tempfile

    decode = getattr(ssl._ssl, "_test_decode_cert", None)  # type: ignore[attr-defined]
    if decode is None:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as file:
        file.write(ssl.DER_cert_to_PEM_cert(der))
    try:
        result: dict[str, object] = decode(file.name)
        return result
    except (ssl.SSLError, OSError, ValueError):
        return {}
    finally:
        os.unlink(file.name)


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _num(seconds: float) -> str:
    return f"{seconds:g}"


# --- Where to connect ------------------------------------------------------------------------


def _literal(target: str) -> str | None:
    """The address in ``192.0.2.1``, ``[192.0.2.1]``, ``::1`` or ``[IPv6:::1]``, else None."""
    text = target.strip().removeprefix("[").removesuffix("]")
    text = text[5:] if text.lower().startswith("ipv6:") else text
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def candidates(
    target: str, report: Report, lookup: Resolver
) -> tuple[list[tuple[str, str]], Step | None]:
    """The (host, address) pairs to try in order, or the DNS step that says why there are none.

    A mail domain's MX hosts in preference order; without MX, the domain itself as the implicit
    MX (RFC 5321 §5.1); a null MX (RFC 7505) means no mail at all.
    """
    literal = _literal(target)
    if literal is not None:
        return [(literal, literal)], None
    name = target.strip().rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return [(name, "127.0.0.1")], None  # RFC 6761 §6.3: never asked of the DNS
    started = time.monotonic()

    def fail(failure: Failure, **values: object) -> tuple[list[tuple[str, str]], Step]:
        note = FAILURES[failure].format(name=name, **values)
        return [], Step(Stage.DNS, None, elapsed_ms=_ms(started), note=note, failure=failure)

    try:
        records = lookup(name, "MX")
    except NoSuchDomain:
        return fail(Failure.NO_SUCH_DOMAIN)
    except LookupFailed as error:
        return fail(Failure.DNS_FAILED, detail=str(error))
    hosts: list[MxHost] = []
    for record in records:
        preference, _, exchange = record.partition(" ")
        if preference.isdigit():
            hosts.append(MxHost(int(preference), exchange.strip().rstrip(".").lower()))
    hosts.sort(key=lambda mx: mx.preference)
    report.mx = hosts
    if len(hosts) == 1 and hosts[0].host == "":
        return fail(Failure.NULL_MX)
    names = [mx.host for mx in hosts if mx.host] or [name]
    found: list[tuple[str, str]] = []
    problem = ""
    for host in names:
        for rdtype in ("A", "AAAA"):
            try:
                found += [(host, address) for address in lookup(host, rdtype)]
            except (NoSuchDomain, LookupFailed) as error:
                problem = str(error)
    if not found:
        if problem and hosts:
            return fail(Failure.DNS_FAILED, detail=problem)
        return fail(Failure.NO_ADDRESS)
    return found, None


# --- The probe -------------------------------------------------------------------------------

_NETWORK = verdict(Reason.NETWORKERROR, "the network")


def probe(
    target: str,
    *,
    port: int = DEFAULT_PORT,
    mail_from: str = "",
    rcpts: Sequence[str] = (),
    starttls: StartTls = StartTls.AUTO,
    credentials: Credentials | None = None,
    helo: str = "localhost",
    timeout: float = 10.0,
    bound: float | None = None,
    resolver: Resolver | None = None,
    repository: Repository | None = None,
    on_step: Callable[[Step], None] | None = None,
    trust: ssl.SSLContext | None = None,
    cancel: threading.Event | None = None,
) -> Report:
    """Run the session against `target` and return its report; never raises for the network.

    `bound` is the whole probe's time (default: enough for every step to use its `timeout`);
    `trust` the verifying TLS context (tests trust their own certificate authority with it).
    """
    started = time.monotonic()
    if bound is None:
        bound = timeout * (8 + 3 * len(rcpts))
    deadline = started + bound
    report = Report(target=target, port=port)
    lookup = resolver or dns_resolver(timeout)
    addresses, failed = candidates(target, report, lookup)
    session = _Session(
        report,
        timeout=timeout,
        deadline=deadline,
        bound=bound,
        repository=repository,
        on_step=on_step,
        trust=trust,
        cancel=cancel,
    )

    def talk(host: str, verify_error: str | None) -> Report:
        return _converse(session, host, mail_from, rcpts, starttls, credentials, helo, verify_error)

    try:
        return _sessions(session, addresses, failed, deadline, bound, talk)
    except _Stopped:
        stage = report.steps[-1].stage if report.steps else Stage.CONNECT
        return _finish(report, Outcome.ERROR, stage, None, FAILURES[Failure.STOPPED])


def _sessions(
    session: _Session,
    addresses: list[tuple[str, str]],
    failed: Step | None,
    deadline: float,
    bound: float,
    talk: Callable[[str, str | None], Report],
) -> Report:
    """Each address in turn until one gives an answer worth reporting."""
    report, port = session.report, session.report.port
    if failed is not None:
        session.add(failed)
        return _finish(report, Outcome.UNREACHABLE, Stage.DNS, _NETWORK, failed.note)
    last_note = ""
    for index, (host, address) in enumerate(addresses):
        if time.monotonic() >= deadline:
            break
        report.host, report.address = host, address
        result = _attempt(
            session,
            address,
            port,
            partial(talk, host),
        )
        if result is None:
            last_note = report.steps[-1].note
            continue
        busy = result.outcome is Outcome.DEFERRED and result.failed_stage is Stage.GREETING
        if busy and index + 1 < len(addresses):
            last_note = result.summary
            continue  # a busy server is a reason to try the next address (RFC 5321 §5.1)
        return result
    if not last_note:
        last_note = FAILURES[Failure.OUT_OF_TIME].format(seconds=_num(bound))
    return _finish(report, Outcome.UNREACHABLE, Stage.CONNECT, _NETWORK, last_note)


def _attempt(
    session: _Session, address: str, port: int, talk: Callable[[str | None], Report]
) -> Report | None:
    """One address: the session, or None when it cannot be connected to.

    A certificate that does not verify spends the connection (the handshake failed), so the
    session runs once more without verifying, to show the rest and to report the certificate.
    """
    verify_error: str | None = None
    for _ in range(2):
        if not session.connect(session.report.host, address, port):
            return None
        try:
            return talk(verify_error)
        except _Unverified as unverified:
            verify_error = unverified.verify_error
        except _Stop as stop:
            return _stopped(session.report, stop)
        finally:
            session.close()
    return None


def _stopped(report: Report, stop: _Stop) -> Report:
    """A session that could not go on: a refusal when the server lacks what was required, an
    error otherwise; the reason says whether TLS or the network stood in the way."""
    if stop.failure in (Failure.NO_STARTTLS, Failure.AUTH_IN_CLEAR, Failure.TLS_FAILED):
        why = verdict(Reason.SECURITYERROR, stop.failure.value)
        outcome = Outcome.REJECTED if stop.failure is Failure.NO_STARTTLS else Outcome.ERROR
        return _finish(report, outcome, stop.stage, why, stop.sentence)
    return _finish(report, Outcome.ERROR, stop.stage, _NETWORK, stop.sentence)


def _finish(
    report: Report, outcome: Outcome, stage: Stage | None, why: Verdict | None, summary: str
) -> Report:
    report.outcome = outcome
    report.failed_stage = stage
    report.verdict = why
    report.summary = summary
    return report


def _refused(report: Report, step: Step, rcpt: str = "") -> Report:
    """A 4xx or 5xx reply decides the probe: deferred or rejected at its stage."""
    outcome = Outcome.DEFERRED if (step.reply_code or "").startswith("4") else Outcome.REJECTED
    what = "would refuse for now" if outcome is Outcome.DEFERRED else "refuses"
    whom = f" <{rcpt}>" if rcpt else ""
    summary = f"The server {what}{whom} at {step.stage.upper()}: {step.reply_code}"
    summary += f" {step.enhanced_code}" if step.enhanced_code else ""
    if step.name:
        summary += f" ({step.name})"
    return _finish(report, outcome, step.stage, step.reason, summary + ".")


def _ok(step: Step) -> bool:
    return (step.reply_code or "").startswith(("2", "3"))


def _converse(
    session: _Session,
    host: str,
    mail_from: str,
    rcpts: Sequence[str],
    starttls: StartTls,
    credentials: Credentials | None,
    helo: str,
    verify_error: str | None = None,
) -> Report:
    report = session.report
    greeting = session.command(Stage.GREETING, None)
    if not greeting.reply_code or not greeting.reply_code.startswith("2"):
        return _refused(report, greeting)
    ehlo = session.command(Stage.EHLO, f"EHLO {helo}")
    if not _ok(ehlo):
        _quit(session)
        return _refused(report, ehlo)
    report.capabilities = ehlo.capabilities
    offered = {cap.keyword for cap in ehlo.capabilities}
    if starttls is StartTls.ALWAYS and "STARTTLS" not in offered:
        _quit(session)
        raise _Stop(Failure.NO_STARTTLS, Stage.STARTTLS)
    if starttls is not StartTls.NEVER and "STARTTLS" in offered:
        answer = session.command(Stage.STARTTLS, "STARTTLS")
        if not answer.reply_code or answer.reply_code != "220":
            _quit(session)
            return _refused(report, answer)
        if verify_error is None:
            report.tls = session.starttls(host)
        else:
            report.tls = session.starttls_unverified(host, verify_error)
        ehlo = session.command(Stage.EHLO_TLS, f"EHLO {helo}")
        if not _ok(ehlo):
            _quit(session)
            return _refused(report, ehlo)
        report.capabilities = ehlo.capabilities
    if credentials is not None:
        failed = _auth(session, credentials)
        if failed is not None:
            _quit(session)
            return _refused(report, failed)
    refused: tuple[Step, str] | None = None
    """The first recipient refused: the others are still asked about, unless the server goes."""
    for rcpt in rcpts:
        mail = session.command(Stage.MAIL, f"MAIL FROM:<{mail_from}>")
        if not _ok(mail):
            _quit(session)
            return _refused(report, mail)
        answer = session.command(Stage.RCPT, f"RCPT TO:<{rcpt}>")
        if not _ok(answer):
            refused = refused or (answer, rcpt)
            if answer.reply_code == "421":  # closing the channel (RFC 5321 §3.8)
                break
        session.command(Stage.RSET, "RSET")
    _quit(session)
    if refused is not None:
        return _refused(report, refused[0], refused[1])
    if rcpts:
        summary = "The server would take mail for every recipient from this sender."
    else:
        summary = "The server greeted and answered EHLO."
    return _finish(report, Outcome.ACCEPTED, None, None, summary)


def _auth(session: _Session, credentials: Credentials) -> Step | None:
    """AUTH PLAIN, else LOGIN (RFC 4954, RFC 4616), only over TLS that verified."""
    report = session.report
    if report.tls is None or not report.tls.verified:
        _quit(session)
        raise _Stop(Failure.AUTH_IN_CLEAR, Stage.AUTH)
    mechanisms: set[str] = set()
    for cap in report.capabilities:
        if cap.keyword == "AUTH":
            mechanisms = set(cap.params.upper().split())
    user, password = credentials.user, credentials.password
    plain = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
    secret = base64.b64encode(password.encode()).decode()
    session.secrets = tuple(text for text in (plain, secret, password) if len(text) >= 4)
    if "PLAIN" in mechanisms or "LOGIN" not in mechanisms:
        step = session.command(Stage.AUTH, f"AUTH PLAIN {plain}", f"AUTH PLAIN {MASK}")
        return None if _ok(step) else step
    step = session.command(Stage.AUTH, "AUTH LOGIN")
    if step.reply_code == "334":
        name = base64.b64encode(user.encode()).decode()
        step = session.command(Stage.AUTH, name)
    if step.reply_code == "334":
        step = session.command(Stage.AUTH, secret, MASK)
    return None if step.reply_code == "235" else step


def _quit(session: _Session) -> None:
    """QUIT, politely; a server that is already gone changes nothing about the verdict."""
    with contextlib.suppress(_Stop):
        session.command(Stage.QUIT, "QUIT")


# --- JSON ------------------------------------------------------------------------------------


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
