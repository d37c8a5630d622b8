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
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial

from smtp_tui.core.probe_connection import Stop, Stopped, seconds_text
from smtp_tui.core.probe_dns import Resolver, candidates, dns_resolver
from smtp_tui.core.probe_report import (
    DEFAULT_PORT,
    FAILURES,
    MASK,
    Credentials,
    Failure,
    Outcome,
    Report,
    Stage,
    StartTls,
    Step,
)
from smtp_tui.core.probe_session import Session, Unverified
from smtp_tui.core.reasons import Reason, Verdict, verdict
from smtp_tui.core.repository import Repository

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
    session = Session(
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
    except Stopped:
        stage = report.steps[-1].stage if report.steps else Stage.CONNECT
        return _finish(report, Outcome.ERROR, stage, None, FAILURES[Failure.STOPPED])


def _sessions(
    session: Session,
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
        last_note = FAILURES[Failure.OUT_OF_TIME].format(seconds=seconds_text(bound))
    return _finish(report, Outcome.UNREACHABLE, Stage.CONNECT, _NETWORK, last_note)


def _attempt(
    session: Session, address: str, port: int, talk: Callable[[str | None], Report]
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
        except Unverified as unverified:
            verify_error = unverified.verify_error
        except Stop as stop:
            return _stopped(session.report, stop)
        finally:
            session.close()
    return None


def _stopped(report: Report, stop: Stop) -> Report:
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
    session: Session,
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
        raise Stop(Failure.NO_STARTTLS, Stage.STARTTLS)
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


def _auth(session: Session, credentials: Credentials) -> Step | None:
    """AUTH PLAIN, else LOGIN (RFC 4954, RFC 4616), only over TLS that verified."""
    report = session.report
    if report.tls is None or not report.tls.verified:
        _quit(session)
        raise Stop(Failure.AUTH_IN_CLEAR, Stage.AUTH)
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


def _quit(session: Session) -> None:
    """QUIT, politely; a server that is already gone changes nothing about the verdict."""
    with contextlib.suppress(Stop):
        session.command(Stage.QUIT, "QUIT")
