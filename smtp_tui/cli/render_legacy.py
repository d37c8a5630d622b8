"""The terminal text of a code, a comparison, a list of codes and a diagnosis, written through
`Writer` (kept whole while the display model of issue 10 takes their place)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtp_tui.cli.output import Writer
from smtp_tui.core import i18n
from smtp_tui.core.cells import cell_len, ljust
from smtp_tui.core.comparison import cite, rfc_links
from smtp_tui.core.export import prose_text, retry_text, standing
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.line_breaking import shorten
from smtp_tui.core.model import Code, Comparison, ReplyCode, english_note
from smtp_tui.core.repository import Repository
from smtp_tui.core.search import CodeView
from smtp_tui.core.text import printable, quoted

if TYPE_CHECKING:
    from smtp_tui.core.diagnosis import Diagnosis


def _header(code: Code, w: Writer) -> None:
    w.line(f"{w.style.for_class(code.code, code.tone)}  {w.style.bold(code.name)}")
    w.para(f"{code.classification} · {standing(code)}", indent="  ", first="")
    note = english_note(code)
    if note:
        w.para(w.style.dim(note), indent="  ", first="")


def _fact(w: Writer, label: str, value: str) -> None:
    w.para(i18n.label(label) + value, indent="    ", first="  ")


def _code_body(code: Code, w: Writer, full: bool = True) -> None:
    w.section(_t("heading.description"))
    w.para(prose_text(code, "description"))
    w.section(_t("heading.when"))
    w.para(prose_text(code, "when"))
    w.section(_t("heading.fix"))
    w.para(
        prose_text(code, "fix_sender"), indent="    ", first=f"  {i18n.label(_t('label.sender'))}"
    )
    w.para(prose_text(code, "fix_admin"), indent="    ", first=f"  {i18n.label(_t('label.admin'))}")
    if not full:
        return
    if isinstance(code, ReplyCode):
        w.section(_t("heading.server"))
        w.para(prose_text(code, "server_guidance"))
    w.section(_t("heading.facts"))
    _fact(w, _t("label.retry"), retry_text(code))
    if isinstance(code, ReplyCode):
        _fact(w, _t("label.who_acts"), i18n.join(code.actor_names))
        _fact(w, _t("label.commands"), i18n.join(code.command_names))
    else:
        _fact(w, _t("label.replies_long"), code.replies_text)
    _fact(w, _t("label.references"), cite(code.references))
    if isinstance(code, ReplyCode) and code.notes:
        w.section(_t("heading.watch_out"))
        w.para(prose_text(code, "notes"))
    w.section(_t("heading.learn_more"))
    for name, url in rfc_links(code.references):
        w.line(f"  {name}  {url}")


def render_code(code: Code, repo: Repository, w: Writer) -> None:
    _header(code, w)
    _code_body(code, w)
    related = repo.related(code)
    same = [other for other in related if other.family == code.family]
    other_family = [other for other in related if other.family != code.family]
    counterpart = repo.counterpart(code)
    other_title = "heading.enhanced_with" if isinstance(code, ReplyCode) else "heading.replies_with"
    for title, items in (
        (_t("heading.related"), same),
        (_t(other_title, code=code.code), other_family),
    ):
        if not items:
            continue
        w.section(title)
        for other in items:
            is_counterpart = counterpart and other.code == counterpart.code
            mark = f" ({_t('code.counterpart')})" if is_counterpart else ""
            first = f"  {other.code:<8}"
            w.para(f"{other.name}{mark}", indent=" " * cell_len(first), first=first)


def render_comparison(comparison: Comparison, w: Writer) -> None:
    w.line(w.style.bold(comparison.title))
    w.section(_t("heading.summary"))
    w.para(comparison.summary)
    for code in (comparison.first, comparison.second):
        w.line()
        w.line(w.style.dim("─" * w.width))
        _header(code, w)
        _code_body(code, w, full=False)
    w.line()
    w.line(w.style.dim("─" * w.width))
    w.line(w.style.heading(_t("heading.key_differences")))
    for number, text in enumerate(comparison.key_differences, start=1):
        w.para(text, indent="      ", first=f"  {number:>2}. ")
    w.section(_t("heading.when_to_use"))
    w.line(f"  {_t('label.for_servers')}")
    for text in comparison.for_servers:
        w.para(text, indent="      ", first="    - ")
    w.line(f"  {_t('label.for_senders')}")
    for text in comparison.for_senders:
        w.para(text, indent="      ", first="    - ")
    w.section(_t("heading.learn_more"))
    for name, url in rfc_links([*comparison.first.references, *comparison.second.references]):
        w.line(f"  {name}  {url}")


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
    outcome = diagnosis.scan.outcome
    tone = {"delivered": 2, "temporary": 4, "permanent": 5}.get(outcome, 0)
    w.line(w.style.for_class(diagnosis.headline, tone))
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
