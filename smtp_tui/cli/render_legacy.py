"""The terminal text of a code, a comparison, a list of codes and a diagnosis, written through
`Writer` (kept whole while the display model of issue 10 takes their place)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtp_tui.cli.output import Writer
from smtp_tui.core import i18n
from smtp_tui.core.cells import cell_len, ljust
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.line_breaking import shorten
from smtp_tui.core.search import CodeView
from smtp_tui.core.text import printable, quoted

if TYPE_CHECKING:
    from smtp_tui.core.diagnosis import Diagnosis


def render_view(view: CodeView, w: Writer) -> None:
    if not view:
        w.line(_t("view.none", query=quoted(view.query.strip(), limit=60)))
        return
    for code in view:
        mark = "" if code.standard else w.style.dim(f"  {_t('code.nonstandard_mark')}")
        name = shorten(code.name, width=w.width - 14)
        w.line(f"{w.style.for_class(f'{code.code:<8}', code.tone)}{name}{mark}")
    w.line(w.style.dim(f"({view.describe()})"))


def render_diagnosis(diagnosis: Diagnosis, w: Writer) -> None:
    w.line(w.style.for_class(diagnosis.headline, diagnosis.scan.outcome.tone))
    if diagnosis.reason:
        w.para(diagnosis.reason, indent="  ")
    if diagnosis.advice:
        w.para(diagnosis.advice, indent="    ", first=f"  {i18n.label(_t('label.what_to_do'))}")
    render_sessions(diagnosis, w)
    if not diagnosis.items:
        return
    w.section(_t("heading.findings"))
    for item in diagnosis.items:
        tone = item.main.tone if item.main else 0
        flag = "! " if item.mismatch else ""
        if item.end == item.line:
            where = _t("label.line", line=item.line)
        else:
            where = _t("label.lines", first=item.line, last=item.end)
        first = f"  {ljust(where, 10)} "
        margin = cell_len(first)
        times = f" ×{item.count}" if item.count > 1 else ""
        w.line(first + w.style.for_class(f"{flag}{item.label}", tone) + times)
        w.para(item.meaning, indent=" " * margin)
        context = printable(item.context, limit=2 * (w.width - margin) - 4)
        w.para(f"> {context}", indent=" " * (margin + 2), first=" " * margin)
    if diagnosis.left_out:
        w.para(diagnosis.left_out, indent="  ")
    w.line(w.style.dim(i18n.plural("explain.found", diagnosis.scan.total)))


def render_sessions(diagnosis: Diagnosis, w: Writer) -> None:
    """Each session of a transcript: its verdict, then one line per step (stage, command, reply)."""
    from smtp_tui.core.diagnosis import session_verdict  # only explain pays for the scanner

    for number, session in enumerate(diagnosis.sessions, start=1):
        w.section(_t("transcript.session", number=number))
        w.para(session_verdict(session), indent="    ", first="  ")
        for step in session.steps:
            replies = step.text.splitlines() or [_t("transcript.no_reply")]
            reply = replies[0] + (" …" if len(replies) > 1 else "")
            command = printable(step.command or "", limit=40)
            first = f"  {ljust(_t('label.line', line=step.line), 10)} {ljust(step.stage, 12)} "
            said = f"{command} → {reply}" if command else reply
            # One line a step: a reply a tool joined onto one line would fill the screen.
            w.line(first + printable(said, limit=max(20, w.width - cell_len(first))))
