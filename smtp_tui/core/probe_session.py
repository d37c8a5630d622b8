"""One SMTP session with one address, step by step: commands sent, replies read and explained,
STARTTLS and what its certificate says (`smtp_tui.core.probe` runs the sessions).
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import NoReturn

from smtp_tui.core.capabilities import Capability, capability
from smtp_tui.core.probe_connection import (
    Connection,
    Stop,
    check_stop,
    elapsed_since,
    open_socket,
    seconds_text,
)
from smtp_tui.core.probe_report import (
    ENHANCED_CODE,
    FAILURES,
    MASK,
    Failure,
    Report,
    Stage,
    Step,
    TlsInfo,
    words_of,
)
from smtp_tui.core.reasons import Bounce
from smtp_tui.core.reasons.replies import classify
from smtp_tui.core.repository import Repository, UnknownCode


class Session:
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
        self.conn: Connection | None = None
        self.secrets: tuple[str, ...] = ()

    def add(self, step: Step) -> Step:
        check_stop(self.cancel)
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
            sock = open_socket(address, port, wait, self.cancel)
        except ConnectionRefusedError:
            failure = Failure.REFUSED
        except TimeoutError:
            failure = Failure.CONNECT_TIMEOUT
        except OSError as error:
            failure, detail = Failure.NETWORK, error.strerror or str(error)
        elapsed = elapsed_since(started)
        if failure is not None:
            note = FAILURES[failure].format(
                where=where, seconds=seconds_text(wait), port=port, detail=detail
            )
            self.add(Step(Stage.CONNECT, None, elapsed_ms=elapsed, note=note, failure=failure))
            return False
        self.conn = Connection(sock, self.timeout, self.deadline, self.bound, self.cancel)
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
        except Stop as stop:
            self.add(
                Step(
                    stage,
                    shown or line,
                    elapsed_ms=elapsed_since(started),
                    note=stop.sentence,
                    failure=stop.failure,
                )
            )
            raise
        return self.add(self.annotate(stage, shown or line, code, lines, elapsed_since(started)))

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
        match = ENHANCED_CODE.match(first)
        if match and match.group(1)[0] == code[0]:
            enhanced = match.group(1)
        name, advice = self._meaning(code, enhanced)
        reason = None
        if code[0] in "45":
            words = " ".join(words_of(line) for line in lines)
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
            self.add(Step(Stage.TLS, None, elapsed_ms=elapsed_since(started), note=note))
            raise Unverified(verify_error)
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
        stop = Stop(Failure.TLS_FAILED, Stage.TLS, where=where, detail=detail)
        self.add(
            Step(
                Stage.TLS,
                None,
                elapsed_ms=elapsed_since(started),
                note=stop.sentence,
                failure=stop.failure,
            )
        )
        raise stop

    def _tls_done(self, tls: ssl.SSLSocket, started: float, verify_error: str) -> TlsInfo:
        assert self.conn is not None
        self.conn.sock = tls
        info = tls_info(tls, verify_error)
        note = f"{info.version}, {info.cipher}; certificate for {', '.join(info.names) or '?'}"
        note += "; verifies" if info.verified else f"; does NOT verify: {verify_error}"
        self.add(Step(Stage.TLS, None, elapsed_ms=elapsed_since(started), note=note))
        return info


class Unverified(Exception):
    def __init__(self, verify_error: str) -> None:
        super().__init__(verify_error)
        self.verify_error = verify_error


def tls_info(tls: ssl.SSLSocket, verify_error: str) -> TlsInfo:
    cert = tls.getpeercert() or decoded_certificate(tls.getpeercert(binary_form=True))
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


def decoded_certificate(der: bytes | None) -> dict[str, object]:
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
