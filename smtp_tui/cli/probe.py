"""``smtp-tui probe`` on the command line: each step printed as it arrives, then the verdict.

Thin on purpose: what a step means is decided in `probe`; this only lays it out, so a browser
screen can show the same steps from the same `Step` objects.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from collections.abc import Callable

from smtp_tui.cli import render
from smtp_tui.cli.argv import UsageError
from smtp_tui.cli.output import load_repository
from smtp_tui.cli.terminal import PROG, Style, Writer, color_wanted, deliver
from smtp_tui.core.display.probe import step_section, verdict_sections
from smtp_tui.core.probe_report import Outcome, Report, Step, report_to_dict
from smtp_tui.core.probe_request import ProbeRequestError, request_of, run_request
from smtp_tui.core.repository import Repository

EXIT_STATUS = {
    Outcome.ACCEPTED: 0,
    Outcome.REJECTED: 1,
    Outcome.DEFERRED: 1,
    Outcome.UNREACHABLE: 2,
    Outcome.ERROR: 2,
}
"""0 when mail would be taken, 1 when the server refuses it, 2 when it could not be asked."""


def render_step(
    step: Step, style: Style, width: int = 100, repository: Repository | None = None
) -> str:
    """One step as lines of text: what went out, what came back, and what it means."""
    out = io.StringIO()
    render.section(step_section(step, repository), Writer(out, style, width))
    return out.getvalue()


def render_verdict(report: Report, style: Style, width: int = 100) -> str:
    out = io.StringIO()
    w = Writer(out, style, width)
    for part in verdict_sections(report):
        render.section(part, w)
    return out.getvalue()


def run_probe(args: argparse.Namespace) -> int:
    """The ``probe`` sub-command: usage errors raise `UsageError`; the rest is the report."""
    try:
        request = request_of(args)
    except ProbeRequestError as error:
        raise UsageError(str(error)) from None
    repo = load_repository(args.data)
    style = Style(color_wanted(args.color, sys.stdout))
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 100))
    live: Callable[[Step], None] | None = None
    if not args.json:

        def live(step: Step) -> None:
            deliver(render_step(step, style, width, repo))

    report = run_request(request, repo, live)
    if args.json:
        deliver(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n")
    else:
        deliver(render_verdict(report, style, width))
    return EXIT_STATUS[report.outcome]


__all__ = ["PROG", "render_step", "render_verdict", "run_probe"]
