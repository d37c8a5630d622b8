"""A comparison as a document: what `compare`, the compare pane and the copy key all show."""

from __future__ import annotations

from smtp_tui.core.display import (
    Document,
    DocumentKind,
    Mark,
    Paragraph,
    Parts,
    Points,
    Run,
    SectionKey,
    Text,
    plain,
    section,
)
from smtp_tui.core.display.code import code_document, learn_more
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Comparison


def title(comparison: Comparison) -> Text:
    """ "A vs B" in bold, each code coloured by its class wherever the language put it."""
    words = comparison.title
    runs: list[Run] = []
    start = 0
    for code in (comparison.first, comparison.second):
        where = words.find(code.code, start)
        if where < 0:
            continue
        if where > start:
            runs.append(Run(words[start:where], Mark.STRONG))
        runs.append(Run(code.code, Mark.CODE, code.tone))
        start = where + len(code.code)
    if start < len(words):
        runs.append(Run(words[start:], Mark.STRONG))
    return tuple(runs)


def comparison_document(comparison: Comparison) -> Document:
    """The summary, both codes in short, the differences, when to use which, and the RFCs."""
    first, second = comparison.first, comparison.second
    sections = (
        section(SectionKey.SUMMARY, _t("heading.summary"), [Paragraph(plain(comparison.summary))]),
        section(
            SectionKey.CODES,
            None,
            [Parts((code_document(first, short=True), code_document(second, short=True)))],
        ),
        section(
            SectionKey.KEY_DIFFERENCES,
            _t("heading.key_differences"),
            [Points(tuple(plain(text) for text in comparison.key_differences), numbered=True)],
        ),
        section(
            SectionKey.WHEN_TO_USE,
            _t("heading.when_to_use"),
            [
                Points(
                    tuple(plain(text) for text in comparison.for_servers),
                    label=_t("label.for_servers"),
                ),
                Points(
                    tuple(plain(text) for text in comparison.for_senders),
                    label=_t("label.for_senders"),
                ),
            ],
        ),
        learn_more([*first.references, *second.references]),
    )
    return Document(DocumentKind.COMPARISON, title(comparison), (), sections)
