"""A probe session as a document: one section per step as it happens, then the verdict, TLS and
the server's capabilities.

The CLI prints each step's section the moment the probe hands it over, and the browser's probe
screen shows the same sections, so both front ends say the same about every reply.
"""

from __future__ import annotations

from smtp_tui.core.display import (
    CodeRow,
    CodeRows,
    Document,
    DocumentKind,
    Fact,
    Mark,
    Paragraph,
    Points,
    Run,
    Section,
    SectionKey,
    Text,
    plain,
    section,
    strong,
)
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.probe_report import Outcome, Report, Stage, Step
from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.core.text import printable

OUTCOME_TONES = {Outcome.ACCEPTED: 2, Outcome.DEFERRED: 4}
"""The verdict's colour, as a reply class: refusals and failures are red (5)."""


def tone_of(code: str | None) -> int:
    return int(code[0]) if code and code[0] in "2345" else 0


def step_codes(step: Step) -> tuple[str, ...]:
    """The codes of a step's reply, enhanced first: the one the browser opens is the first."""
    return tuple(code for code in (step.enhanced_code, step.reply_code) if code)


def _name(code: str, step: Step, repository: Repository | None) -> str:
    if repository is not None:
        try:
            return repository.get(code).name
        except UnknownCode:
            return ""
    return step.name if code == step_codes(step)[0] else ""


def step_section(step: Step, repository: Repository | None = None) -> Section:
    """One step under its stage: what went out, what came back, what it means and what to do."""
    tone = tone_of(step.reply_code)
    blocks: list[Paragraph | Fact | CodeRows | Points | None] = []
    if step.command is not None:
        blocks.append(Paragraph((Run("C: ", Mark.MUTED), Run(printable(step.command)))))
    blocks += [Paragraph((Run(f"S: {printable(line)}", Mark.CODE, tone),)) for line in step.lines]
    if step.reply_code:
        elapsed = _t("screens.elapsed", ms=f"{step.elapsed_ms:,}")
        rows = [
            CodeRow(code, _name(code, step, repository), tone_of(code))
            for code in reversed(step_codes(step))
        ]
        rows[-1] = CodeRow(rows[-1].code, rows[-1].name, rows[-1].tone, elapsed)
        blocks.append(CodeRows(tuple(rows)))
    if step.reason is not None:
        reason = step.reason
        blocks.append(Fact(_t("screens.reason"), plain(f"{reason.reason.value} ({reason.why})")))
    if step.advice:
        blocks.append(Fact(_t("screens.advice"), plain(step.advice)))
    if step.note:
        look = Mark.WARNING if step.failure is not None else Mark.PLAIN
        blocks.append(Paragraph((Run(printable(step.note), look),)))
    return section(SectionKey.STEPS, step.stage.value, blocks)


def verdict_sections(report: Report) -> tuple[Section, ...]:
    """The verdict, then what TLS agreed and what the server offers, when the session got there."""
    verdict: list[Fact | Paragraph] = [
        Fact(
            _t("screens.verdict"),
            (Run(report.outcome.value, Mark.CODE, OUTCOME_TONES.get(report.outcome, 5)),),
        ),
        Paragraph(plain(printable(report.summary))),
    ]
    if report.mx:
        hosts = ", ".join(f"{mx.preference} {mx.host or '.'}" for mx in report.mx)
        verdict.append(Fact("MX", plain(printable(hosts))))
    if report.host:
        greeted = any(step.stage is Stage.GREETING and step.reply_code for step in report.steps)
        where = f"{printable(report.host)} [{report.address}]:{report.port}"
        verdict.append(Fact(_t("screens.answered" if greeted else "screens.tried"), plain(where)))
    if report.failed_stage is not None:
        verdict.append(Fact(_t("screens.failed_stage"), strong(report.failed_stage.value)))
    why = report.verdict
    if why is not None:
        bounce = why.bounce.value if why.bounce else "-"
        fault = why.fault.value if why.fault else "-"
        words = _t("screens.reason_value", reason=why.reason.value, bounce=bounce, fault=fault)
        verdict.append(Fact(_t("screens.reason"), plain(words)))
    sections = [section(SectionKey.VERDICT, _t("screens.verdict_heading"), verdict)]
    tls = report.tls
    if tls is not None:
        verified: Text = (
            plain(_t("screens.verifies"))
            if tls.verified
            else (Run(_t("screens.not_verified", error=printable(tls.verify_error)), Mark.WARNING),)
        )
        facts = [
            Fact(_t("screens.tls_version"), plain(printable(f"{tls.version}, {tls.cipher}"))),
            Fact(_t("screens.certificate"), plain(printable(tls.subject) or "-")),
            Fact(_t("screens.issuer"), plain(printable(tls.issuer) or "-")),
            Fact(
                _t("screens.valid"),
                plain(_t("screens.valid_value", first=tls.not_before, last=tls.not_after)),
            ),
            Fact(_t("screens.names"), plain(printable(", ".join(tls.names)) or "-")),
            Fact(_t("screens.verified"), verified),
        ]
        sections.append(section(SectionKey.TLS, "TLS", facts))
    if report.capabilities:
        items = tuple(
            (
                Run(printable(cap.keyword), Mark.STRONG),
                Run(printable(f" {cap.params}") if cap.params else ""),
                Run(f": {cap.meaning}"),
                Run(f" ({cap.rfc})" if cap.rfc else "", Mark.MUTED),
            )
            for cap in report.capabilities
        )
        sections.append(
            section(SectionKey.CAPABILITIES, _t("screens.capabilities"), [Points(items)])
        )
    return tuple(sections)


def probe_title(target: str, port: int) -> Text:
    return strong(_t("screens.probe_title", target=printable(target), port=port))


def probe_document(report: Report, repository: Repository | None = None) -> Document:
    """The whole session: every step, then the verdict."""
    steps = tuple(step_section(step, repository) for step in report.steps)
    return Document(
        DocumentKind.PROBE,
        probe_title(report.target, report.port),
        sections=(*steps, *verdict_sections(report)),
    )
