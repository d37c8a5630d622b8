"""A diagnosis as a document: the verdict, whose move it is and why, each recipient, each session,
then every finding, the provider's meaning before the registry's.

The CLI prints it whole; the browser's explain screen shows all but the findings, which it lists
in a widget of their own (enter opens a code).
"""

from __future__ import annotations

from smtp_tui.core import i18n
from smtp_tui.core.diagnosis import Diagnosis, Item, session_verdict
from smtp_tui.core.display import (
    Block,
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
)
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.reasons import Bounce, Fault, Verdict
from smtp_tui.core.recipients import Recipient
from smtp_tui.core.text import printable

CONTEXT_SHOWN = 160
"""Characters of a finding's line shown under it: enough to recognise the reply."""
STEP_SHOWN = 100


FAULT_WORDS = {
    Fault.RECIPIENT: "explain_provider.fault.recipient",
    Fault.SENDER: "explain_provider.fault.sender",
    Fault.REMOTE: "explain_provider.fault.remote",
    Fault.NETWORK: "explain_provider.fault.network",
}


def where(item: Item) -> str:
    if item.end == item.line:
        return _t("label.line", line=item.line)
    return _t("label.lines", first=item.line, last=item.end)


def bounce_words(bounce: Bounce | None) -> str:
    if bounce is Bounce.HARD:
        return _t("explain_provider.hard")
    if bounce is Bounce.SOFT:
        return _t("explain_provider.soft")
    return _t("explain_provider.not_bounce")


def verdict_facts(judged: Verdict) -> list[Block]:
    """Reason, hard/soft, whose move and why: the same four wherever a verdict is shown."""
    facts: list[Block] = [
        Fact(_t("explain_provider.reason"), (Run(judged.reason.value, Mark.STRONG),)),
        Fact(_t("explain_provider.bounce"), plain(bounce_words(judged.bounce))),
    ]
    if judged.fault is not None:
        facts.append(Fact(_t("explain_provider.fault"), plain(_t(FAULT_WORDS[judged.fault]))))
    facts.append(Fact(_t("explain_provider.why"), (Run(judged.why, Mark.MUTED),)))
    return facts


def item_meaning(item: Item, provider_name: str | None) -> Text:
    """The provider's meaning first, then the registry's."""
    if item.provider_meaning is None:
        return plain(item.meaning)
    owner = f" ({provider_name})" if provider_name else ""
    return (
        Run(item.provider_meaning, Mark.STRONG),
        Run(owner),
        Run(f"; {i18n.label(_t('explain_provider.registry_meaning'))}", Mark.MUTED),
        Run(item.meaning, Mark.MUTED),
    )


def _verdict_section(diagnosis: Diagnosis) -> Section:
    blocks: list[Block | None] = []
    provider = diagnosis.provider
    item = diagnosis.deciding
    entry = diagnosis.entry
    if provider is not None:
        blocks.append(Fact(_t("explain_provider.provider"), plain(provider.name)))
    if entry is not None and item is not None:
        blocks.append(
            Fact(_t("explain_provider.provider_meaning"), (Run(entry.meaning, Mark.STRONG),))
        )
        blocks.append(Fact(_t("explain_provider.registry_meaning"), plain(item.meaning)))
        if item.differs and item.main is not None:
            said = _t(
                "explain_provider.differs",
                provider=provider.name if provider is not None else entry.provider,
                code=item.label,
                registry=item.main.name,
            )
            blocks.append(Paragraph((Run(said, Mark.WARNING),)))
    judged = diagnosis.verdict
    if judged is not None and diagnosis.feedback_type is not None:
        blocks.append(Fact(_t("explain_provider.feedback_type"), plain(diagnosis.feedback_type)))
    if judged is not None and judged.bounce is not None:
        blocks += verdict_facts(judged)
    elif judged is not None:
        blocks.append(Fact(_t("explain_provider.reason"), (Run(judged.reason, Mark.STRONG),)))
        blocks.append(Fact(_t("explain_provider.why"), (Run(judged.why, Mark.MUTED),)))
    if diagnosis.advice:
        blocks.append(Fact(_t("label.what_to_do"), plain(diagnosis.advice)))
    return section(SectionKey.VERDICT, None, blocks)


def recipient_line(recipient: Recipient) -> Text:
    """Address, then action, status, reply code, remote MTA, reason and hard/soft."""
    judged = recipient.verdict
    parts = [
        recipient.action,
        recipient.status,
        recipient.reply_code,
        recipient.remote_mta,
        judged.reason.value if judged is not None else None,
        (judged.bounce.value if judged.bounce else _t("explain_provider.not_bounce"))
        if judged is not None
        else None,
    ]
    rest = " · ".join(printable(part, limit=80) for part in parts if part)
    return (Run(printable(recipient.address, limit=120), Mark.STRONG), Run(f"  {rest}"))


def _session_sections(diagnosis: Diagnosis) -> list[Section]:
    found = []
    for number, session in enumerate(diagnosis.sessions, start=1):
        steps = []
        for step in session.steps:
            replies = step.text.splitlines() or [_t("transcript.no_reply")]
            reply = replies[0] + (" …" if len(replies) > 1 else "")
            command = printable(step.command or "", limit=40)
            said = f"{command} → {reply}" if command else reply
            # One line a step: a reply a tool joined onto one line would fill the screen.
            steps.append(
                (
                    Run(f"{_t('label.line', line=step.line)}  ", Mark.MUTED),
                    Run(f"{step.stage}  ", Mark.STRONG),
                    Run(printable(said, limit=STEP_SHOWN)),
                )
            )
        blocks: list[Block | None] = [Paragraph(plain(session_verdict(session)))]
        several = len(diagnosis.sessions) > 1  # one session's verdict is the diagnosis's own
        if several and session.verdict is not None and session.verdict.bounce is not None:
            blocks += verdict_facts(session.verdict)
        blocks.append(Points(tuple(steps)) if steps else None)
        found.append(section(SectionKey.SESSIONS, _t("transcript.session", number=number), blocks))
    return found


def _findings_section(diagnosis: Diagnosis) -> Section | None:
    if not diagnosis.items:
        return None
    name = diagnosis.provider.name if diagnosis.provider is not None else None
    blocks: list[Block | None] = []
    for item in diagnosis.items:
        tone = item.main.tone if item.main else 0
        flag = "! " if item.mismatch else ""
        times = f" ×{item.count}" if item.count > 1 else ""
        text = (Run(f"{flag}{item.label}", Mark.CODE, tone), Run(f"{times}  "))
        blocks.append(Fact(where(item), text + item_meaning(item, name)))
        context = printable(item.context, limit=CONTEXT_SHOWN)
        blocks.append(Paragraph((Run(f"> {context}", Mark.NOTE),)))
    if diagnosis.left_out:
        blocks.append(Paragraph((Run(diagnosis.left_out, Mark.MUTED),)))
    found = i18n.plural("explain.found", diagnosis.scan.total)
    blocks.append(Paragraph((Run(found, Mark.MUTED),)))
    return section(SectionKey.FINDINGS, _t("heading.findings"), blocks)


def diagnosis_document(diagnosis: Diagnosis, *, findings: bool = True) -> Document:
    """The whole diagnosis; without the findings for a screen that lists them itself."""
    tone = diagnosis.scan.outcome.tone
    headline = diagnosis.headline
    if not findings and not any(line.strip() for line in diagnosis.scan.lines):
        headline = _t("explain.nothing")  # the screen before anything is pasted
        tone = 0
    subtitle = [plain(diagnosis.reason)] if diagnosis.reason else []
    sections: list[Section | None] = [_verdict_section(diagnosis)]
    if diagnosis.recipients:
        points = tuple(recipient_line(recipient) for recipient in diagnosis.recipients)
        sections.append(
            section(SectionKey.RECIPIENTS, _t("explain_provider.recipients"), [Points(points)])
        )
    sections += _session_sections(diagnosis)
    if findings:
        sections.append(_findings_section(diagnosis))
    elif diagnosis.left_out:
        sections.append(
            section(SectionKey.FINDINGS, None, [Paragraph((Run(diagnosis.left_out, Mark.MUTED),))])
        )
    return Document(
        DocumentKind.DIAGNOSIS,
        (Run(headline, Mark.CODE, tone),),
        tuple(subtitle),
        tuple(part for part in sections if part is not None and part.blocks),
    )
