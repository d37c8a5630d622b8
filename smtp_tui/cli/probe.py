"""``smtp-tui probe`` on the command line: each step printed as it arrives, then the verdict.

Thin on purpose: what a step means is decided in `probe`; this only lays it out, so a browser
screen can show the same steps from the same `Step` objects.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import sys
from collections.abc import Callable

from smtp_tui.cli.argv import UsageError
from smtp_tui.cli.output import PROG, Style, color_wanted, deliver, load_repository
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.line_breaking import wrap
from smtp_tui.core.probe import (
    Credentials,
    Outcome,
    Report,
    Stage,
    StartTls,
    Step,
    probe,
    report_to_dict,
)
from smtp_tui.core.text import printable, quoted

_TARGET = re.compile(r"[^\s\x00-\x1f\x7f]{1,253}")
"""A host name, an address or a mail domain: one word of at most 253 characters (RFC 1035
§2.3.4); the DNS or the connection says the rest."""

EXIT_STATUS = {
    Outcome.ACCEPTED: 0,
    Outcome.REJECTED: 1,
    Outcome.DEFERRED: 1,
    Outcome.UNREACHABLE: 2,
    Outcome.ERROR: 2,
}
"""0 when mail would be taken, 1 when the server refuses it, 2 when it could not be asked."""


def _tone(code: str | None) -> int:
    return int(code[0]) if code and code[0] in "2345" else 0


def render_step(step: Step, style: Style, width: int = 100) -> str:
    """One step as lines of text: what went out, what came back, and what it means."""
    out: list[str] = []

    def para(text: str, indent: str = " " * 10) -> None:
        out.extend(wrap(printable(text), width, indent, indent))

    rows = [f"C: {printable(step.command)}"] if step.command is not None else []
    tone = _tone(step.reply_code)
    rows += [style.for_class(f"S: {printable(line)}", tone) for line in step.lines]
    note = step.note
    head = style.bold(f"{step.stage.value:<9}")
    if not rows and note:
        # A step that sent and heard nothing (connect, tls) is its note, beside its stage.
        lines = wrap(printable(note), width, " " * 10, " " * 10)
        rows, note = [line[10:] for line in lines], ""
    for number, row in enumerate(rows or [""]):
        out.append(f"{head if number == 0 else ' ' * 9} {row}".rstrip())
    if step.reply_code:
        codes = step.reply_code + (f" {step.enhanced_code}" if step.enhanced_code else "")
        meaning = f"{codes}: {step.name}" if step.name else codes
        para(f"{meaning} ({step.elapsed_ms} ms)")
    if step.reason is not None:
        para(f"reason: {step.reason.reason.value} ({step.reason.why})")
    if step.advice:
        para(f"what to do: {step.advice}")
    for cap in step.capabilities:
        params = f" {cap.params}" if cap.params else ""
        rfc = f" [{cap.rfc}]" if cap.rfc else ""
        line = printable(f"{cap.keyword}{params}: {cap.meaning}{rfc}")
        out.extend(wrap(line, width, " " * 10 + "· ", " " * 12))
    if note:
        para(note)
    return "\n".join(out) + "\n"


def render_verdict(report: Report, style: Style, width: int = 100) -> str:
    tone = {Outcome.ACCEPTED: 2, Outcome.DEFERRED: 4, Outcome.REJECTED: 5}.get(report.outcome, 5)
    out = ["", style.for_class(f"verdict: {report.outcome.value}", tone)]
    out += wrap(printable(report.summary), width, "  ", "  ")
    if report.mx:
        hosts = ", ".join(f"{mx.preference} {mx.host or '.'}" for mx in report.mx)
        out += wrap(f"MX: {hosts}", width, "  ", "  ")
    if report.host:
        answered = any(step.stage is Stage.GREETING and step.reply_code for step in report.steps)
        where = f"{printable(report.host)} [{report.address}]:{report.port}"
        out.append(f"  {'answered' if answered else 'tried'}: {where}")
    if report.failed_stage is not None:
        out.append(f"  failed stage: {report.failed_stage.value}")
    why = report.verdict
    if why is not None:
        bounce = why.bounce.value if why.bounce else "-"
        fault = why.fault.value if why.fault else "-"
        out.append(f"  reason: {why.reason.value}, bounce: {bounce}, fault: {fault}")
    tls = report.tls
    if tls is not None:
        out.append(f"  TLS: {tls.version}, {tls.cipher}")
        out += wrap(
            printable(f"certificate: {tls.subject}; issuer: {tls.issuer}"), width, "  ", "    "
        )
        out.append(f"  valid: {tls.not_before} to {tls.not_after}")
        verified = "verifies" if tls.verified else f"does NOT verify ({tls.verify_error})"
        out.append(f"  names: {printable(', '.join(tls.names)) or '-'}; {verified}")
    return "\n".join(out) + "\n"


def run_probe(args: argparse.Namespace) -> int:
    """The ``probe`` sub-command: usage errors raise `UsageError`; the rest is the report."""
    credentials = None
    if args.auth_user is not None or args.auth_pass_env is not None:
        if not args.auth_user or not args.auth_pass_env:
            raise UsageError(_t("probe.error_auth_pair"))
        password = os.environ.get(args.auth_pass_env)
        if password is None:
            raise UsageError(_t("probe.error_no_password", name=args.auth_pass_env))
        credentials = Credentials(args.auth_user, password)
    target = args.target.strip()
    if not _TARGET.fullmatch(target):
        raise UsageError(_t("probe.error_target", target=quoted(args.target, 60)))
    if not 0 < args.timeout <= 3600:  # also NaN and inf, which float() takes
        raise UsageError(_t("probe.error_timeout"))
    repo = load_repository(args.data)
    style = Style(color_wanted(args.color, sys.stdout))
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 100))
    live: Callable[[Step], None] | None = None
    if not args.json:

        def live(step: Step) -> None:
            deliver(render_step(step, style, width))

    report = probe(
        target,
        port=args.port,
        mail_from=args.mail_from,
        rcpts=args.rcpt or (),
        starttls=StartTls(args.starttls),
        credentials=credentials,
        helo=args.helo or socket.gethostname() or "localhost",
        timeout=args.timeout,
        repository=repo,
        on_step=live,
    )
    if args.json:
        deliver(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n")
    else:
        deliver(render_verdict(report, style, width))
    return EXIT_STATUS[report.outcome]


__all__ = ["PROG", "render_step", "render_verdict", "run_probe"]
