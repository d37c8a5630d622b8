"""A mail log's summary as a document: the totals, then what failed most.

Every row of a top list is a `CodeRow` whose code is the one that explains it (the code itself,
or the code an example delivery of that reason, provider or domain got), so the browser opens it
with one key and the CLI prints the command that does the same.
"""

from __future__ import annotations

import contextlib
import shlex

from smtp_tui.core.display import (
    CodeRow,
    CodeRows,
    Document,
    DocumentKind,
    Mark,
    Paragraph,
    Run,
    Section,
    SectionKey,
    Text,
    section,
    strong,
)
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.maillog import Delivery, Outcome, Summary, explaining
from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.core.text import printable

OUTCOME_WORDS = {
    Outcome.DELIVERED: "log.delivered",
    Outcome.DEFERRED: "log.deferred",
    Outcome.BOUNCED: "log.bounced",
    Outcome.REJECTED: "log.rejected",
    Outcome.EXPIRED: "log.expired",
}
OUTCOME_TONES = {Outcome.DELIVERED: 2, Outcome.DEFERRED: 4}
"""Colours as reply classes: what did not arrive is red."""
TOP_LISTS = {
    "reasons": "log.top_reasons",
    "codes": "log.top_codes",
    "providers": "log.top_providers",
    "domains": "log.top_domains",
}


def _tone(code: str) -> int:
    return int(code[0]) if code[:1] in ("2", "3", "4", "5") else 0


def _row(
    kind: str,
    key: str,
    count: int,
    example: Delivery,
    repository: Repository | None,
    commands: bool,
) -> CodeRow:
    code = key if kind == "codes" else (example.enhanced_code or example.reply_code or "")
    name = printable(key, limit=60)
    if kind == "codes":
        name = ""
        if repository is not None:
            with contextlib.suppress(UnknownCode):
                name = repository.get(code).name
    note = f"×{count:,}"
    if commands:
        note += f" · {printable(shlex.join(explaining(key, kind, example)))}"
    return CodeRow(code, name, _tone(code), note)


def log_title(source: str) -> str:
    return _t("log.title", source=_t("log.standard_input") if source == "-" else printable(source))


def log_document(
    summary: Summary,
    source: str,
    top: int = 5,
    repository: Repository | None = None,
    commands: bool = True,
) -> Document:
    """`commands`: each row names the CLI command that explains it (for the terminal; the
    browser opens the row's code instead)."""
    stats = summary.stats
    subtitle: tuple[Text, ...] = ()
    if stats.first_time and stats.last_time:
        first, last = (
            f"{stats.first_time:%Y-%m-%d %H:%M:%S}",
            f"{stats.last_time:%Y-%m-%d %H:%M:%S}",
        )
        subtitle = ((Run(_t("log.period", first=first, last=last), Mark.MUTED),),)
    totals: list[Paragraph] = [
        Paragraph(
            (
                Run(f"{summary.total(outcome):>9,}", Mark.CODE, OUTCOME_TONES.get(outcome, 5)),
                Run(f"  {_t(OUTCOME_WORDS[outcome])}"),
            )
        )
        for outcome in Outcome
    ]
    if stats.deferrals:
        waiting = f"{summary.totals[Outcome.DEFERRED]:,}"
        note = _t("log.deferred_note", deferrals=f"{stats.deferrals:,}", waiting=waiting)
        totals.append(Paragraph((Run(note, Mark.MUTED),)))
    sections: list[Section] = [section(SectionKey.TOTALS, _t("log.totals"), totals)]
    for kind, heading in TOP_LISTS.items():
        rows = tuple(
            _row(kind, key, count, example, repository, commands)
            for key, count, example in getattr(summary, kind).top(top)
        )
        if rows:
            sections.append(section(SectionKey.TOP, _t(heading), [CodeRows(rows)]))
    notes = []
    if stats.junk:
        notes.append(_t("log.junk", count=f"{stats.junk:,}"))
    if stats.outside:
        notes.append(_t("log.outside", count=f"{stats.outside:,}"))
    if stats.forgotten:
        notes.append(_t("log.forgotten", count=f"{stats.forgotten:,}"))
    if not summary.totals and not stats.deferrals:
        notes.append(_t("log.nothing", lines=f"{stats.lines:,}"))
    if notes:
        blocks = [Paragraph((Run(note, Mark.MUTED),)) for note in notes]
        sections.append(section(SectionKey.FINDINGS, None, blocks))
    return Document(DocumentKind.LOG, strong(log_title(source)), subtitle, tuple(sections))
