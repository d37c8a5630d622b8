"""A code as a document: what `show`, the detail pane and the copy key all show, defined once.

The words come from the data and the catalogue in the active language; a prose field shown in
English inside a translated code carries its "(in English)" mark as a `Mark.NOTE` run, so every
renderer shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from smtp_tui.core import i18n
from smtp_tui.core.comparison import cite, rfc_links
from smtp_tui.core.display import (
    CodeRow,
    CodeRows,
    Document,
    DocumentKind,
    Fact,
    Link,
    Links,
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
from smtp_tui.core.model import Code, Reference, ReplyCode, english_note, in_english

if TYPE_CHECKING:
    from smtp_tui.core.provider_uses import ProviderUse

_BOUNCE_WORDS = {"hard": "provider_browse.hard", "soft": "provider_browse.soft"}

ALSO_WITH_SHOWN = 8
"""For a basic code, how many of a provider's enhanced codes the "together with" line names."""


def standing(code: Code) -> str:
    """ "standard", or "non-standard: <origin>", in the interface language."""
    return _t("code.standard") if code.standard else _t("code.nonstandard", origin=code.origin)


def prose(code: Code, name: str) -> Text:
    """A prose field, marked when it is shown in English inside a translated code."""
    value: str = getattr(code, name)
    if in_english(code, name):
        # The space outside the mark: Markdown's emphasis may not open on a space.
        return (Run(value), Run(" "), Run(_t("code.field_in_english"), Mark.NOTE))
    return plain(value)


def retry(code: Code) -> Text:
    """The Retry line: the code's own where its class's rule does not fit, marked if in English."""
    return prose(code, "retry_line") if code.retry_line else plain(code.retry)


def title(code: Code) -> Text:
    return (Run(code.code, Mark.CODE, code.tone), Run("  "), Run(code.name, Mark.STRONG))


def subtitle(code: Code) -> tuple[Text, ...]:
    """The class (coloured as the code) and standing, then the note that the whole code is in
    English, if it is."""
    lines: list[Text] = [
        (
            Run(code.classification, Mark.CODE, code.tone),
            Run(" · ", Mark.MUTED),
            Run(standing(code), Mark.MUTED if code.standard else Mark.WARNING),
        )
    ]
    note = english_note(code)
    if note:
        lines.append((Run(note, Mark.NOTE),))
    return tuple(lines)


def learn_more(references: Sequence[Reference]) -> Section:
    """Each RFC cited, once, with its page at the RFC Editor."""
    links = tuple(Link(name, url) for name, url in rfc_links(references))
    return section(SectionKey.LEARN_MORE, _t("heading.learn_more"), [Links(links)])


def _essentials(code: Code) -> list[Section]:
    """Description, When you see it, How to fix: what every view of a code shows."""
    return [
        section(
            SectionKey.DESCRIPTION,
            _t("heading.description"),
            [Paragraph(prose(code, "description"))],
        ),
        section(SectionKey.WHEN, _t("heading.when"), [Paragraph(prose(code, "when"))]),
        section(
            SectionKey.FIX,
            _t("heading.fix"),
            [
                Fact(_t("label.sender"), prose(code, "fix_sender")),
                Fact(_t("label.admin"), prose(code, "fix_admin")),
            ],
        ),
    ]


def _facts(code: Code) -> Section:
    facts = [Fact(_t("label.retry"), retry(code))]
    if isinstance(code, ReplyCode):
        facts += [
            Fact(_t("label.who_acts"), plain(i18n.join(code.actor_names))),
            Fact(_t("label.commands"), plain(i18n.join(code.command_names))),
        ]
    else:
        facts.append(Fact(_t("label.reply_codes"), plain(code.replies_text)))
    facts.append(Fact(_t("label.references"), plain(cite(code.references))))
    return section(SectionKey.FACTS, _t("heading.facts"), facts)


def _rows(codes: Sequence[Code], counterpart: Code | None) -> CodeRows:
    return CodeRows(
        tuple(
            CodeRow(
                other.code,
                other.name,
                other.tone,
                _t("code.counterpart")
                if counterpart is not None and other.code == counterpart.code
                else None,
            )
            for other in codes
        )
    )


def code_document(
    code: Code,
    related: Sequence[Code] = (),
    counterpart: Code | None = None,
    providers: Sequence[ProviderUse] = (),
    *,
    short: bool = False,
) -> Document:
    """`code` in full; `short` keeps the title and the essentials, for a comparison's column.

    `related` are the codes to offer from it, its own family's first (`Repository.related`);
    `counterpart` among them is marked; `providers` (none by default) list what mail providers
    mean by the code.
    """
    sections = _essentials(code)
    if not short:
        if isinstance(code, ReplyCode):
            sections.append(
                section(
                    SectionKey.SERVER,
                    _t("heading.server"),
                    [Paragraph(prose(code, "server_guidance"))],
                )
            )
        sections.append(_facts(code))
        if providers:
            sections.append(provider_section(code, providers))
        if isinstance(code, ReplyCode) and code.notes:
            sections.append(
                section(
                    SectionKey.WATCH_OUT, _t("heading.watch_out"), [Paragraph(prose(code, "notes"))]
                )
            )
        sections.append(learn_more(code.references))
        same = [other for other in related if other.family == code.family]
        other_family = [other for other in related if other.family != code.family]
        if same:
            sections.append(
                section(SectionKey.RELATED, _t("heading.related"), [_rows(same, counterpart)])
            )
        if other_family:
            heading = (
                "heading.enhanced_with" if isinstance(code, ReplyCode) else "heading.replies_with"
            )
            sections.append(
                section(
                    SectionKey.OTHER_FAMILY,
                    _t(heading, code=code.code),
                    [_rows(other_family, counterpart)],
                )
            )
    return Document(DocumentKind.CODE, title(code), subtitle(code), tuple(sections))


def provider_section(code: Code, uses: Sequence[ProviderUse]) -> Section:
    """What providers mean by `code`, grouped by provider (`core.provider_uses` sorts them).

    For a basic code (550) the entries naming it alone are listed in full and those that add an
    enhanced code (550 5.7.1) only as codes: they are listed in full on that code's own page.
    """
    basic = isinstance(code, ReplyCode)
    blocks: list[Points] = []
    for _, group in groupby(uses, key=lambda use: use.provider):
        mine = list(group)
        listed = [use for use in mine if not (basic and use.enhanced is not None)]
        items: list[Text] = []
        for use in listed:
            # The source as its host, linked: the full address is often two lines long.
            host = urlsplit(use.source).hostname or use.source
            bounce = _t(_BOUNCE_WORDS[use.bounce]) if use.bounce in _BOUNCE_WORDS else use.bounce
            items.append(
                (
                    Run(use.code, Mark.STRONG),
                    Run(f"  {use.meaning}  "),
                    Run(f"{use.reason} · {bounce} · ", Mark.MUTED),
                    Run(host, Mark.LINK, url=use.source),
                )
            )
        more = list(dict.fromkeys(use.code.split()[-1] for use in mine if use not in listed))
        if more:
            shown = ", ".join(more[:ALSO_WITH_SHOWN]) + (
                " …" if len(more) > ALSO_WITH_SHOWN else ""
            )
            items.append((Run(_t("provider_browse.also_with", codes=shown), Mark.MUTED),))
        blocks.append(Points(tuple(items), label=mine[0].provider_name))
    return section(SectionKey.PROVIDERS, _t("display.providers"), blocks)
