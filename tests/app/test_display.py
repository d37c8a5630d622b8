"""A code's and a comparison's display is defined once: the three renderers show the same thing.

Each kind (a reply code, an enhanced code, a non-standard code, a translated code with a field
left in English, a code with provider meanings, a comparison of each family) is built once and
drawn as terminal text, Markdown and Textual `Content`; every heading and every block's words must
appear in each output, in the document's order. The browser's panes are checked the same way.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from smtp_tui.cli import render
from smtp_tui.cli.terminal import Style, Writer
from smtp_tui.core import i18n
from smtp_tui.core.display import (
    Block,
    CodeRows,
    Document,
    Fact,
    Links,
    Mark,
    Paragraph,
    Parts,
    Points,
    SectionKey,
    text_of,
)
from smtp_tui.core.display.code import code_document
from smtp_tui.core.display.comparison import comparison_document
from smtp_tui.core.display.markdown import markdown
from smtp_tui.core.loading import data_dir, load
from smtp_tui.core.provider_uses import ProviderUse
from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.widgets import document as content
from smtp_tui.tui.widgets.panes import ComparePane, DetailPane, LinkList


def _words(text: str) -> str:
    """Text as a reader sees it, whatever the wrapping and indents of a renderer."""
    return " ".join(text.split())


def _block_words(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [text_of(block.text)]
    if isinstance(block, Fact):
        return [block.label, text_of(block.text)]
    if isinstance(block, Points):
        return [*([block.label] if block.label else []), *(text_of(item) for item in block.items)]
    if isinstance(block, Links):
        return [words for link in block.links for words in (link.name, link.url)]
    if isinstance(block, CodeRows):
        return [
            words
            for row in block.rows
            for words in (row.code, row.name, *([row.note] if row.note else []))
        ]
    assert isinstance(block, Parts)
    return [words for inner in block.documents for words in landmarks(inner)]


def landmarks(document: Document) -> list[str]:
    """Everything a document says, in reading order: title, subtitle, each heading and block."""
    found = [text_of(document.title), *(text_of(line) for line in document.subtitle)]
    for part in document.sections:
        if part.heading:
            found.append(part.heading)
        for block in part.blocks:
            found += _block_words(block)
    return [_words(words) for words in found if words.strip()]


def missing_or_out_of_order(document: Document, shown: str) -> list[str]:
    """The landmarks not found in `shown` after the one before: empty when all are in order."""
    text = _words(shown)
    wrong = []
    at = 0
    for words in landmarks(document):
        where = text.find(words, at)
        if where < 0:
            wrong.append(words)
        else:
            at = where + len(words)
    return wrong


def as_terminal_text(document: Document) -> str:
    out = io.StringIO()
    render.document(document, Writer(out, Style(enabled=False), width=100))
    return out.getvalue()


def as_markdown_words(document: Document) -> str:
    """The Markdown without its emphasis and code marks, which sit between a text's runs."""
    words = markdown(document).replace("*", "").replace("`", "")
    # A link's words, then its address: both are what the reader sees.
    return re.sub(r"\[([^\]\n]*)\]\(((?:https?|mailto):[^)\s]*)\)", r"\1 \2", words)


def as_content(document: Document) -> str:
    return content.document(document).plain


RENDERERS: dict[str, Callable[[Document], str]] = {
    "text": as_terminal_text,
    "markdown": as_markdown_words,
    "content": as_content,
}

GERMAN_NAME = "Zu wenig Speicher"


@pytest.fixture
def partly_german(tmp_path: Path) -> Iterator[Repository]:
    """452 with only its name in German: every other prose field is English in a German view."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    (data / "translations" / "de").mkdir()
    (data / "translations" / "de" / "452.toml").write_text(
        f'[[code]]\ncode = "452"\nname = "{GERMAN_NAME}"\n', "utf-8"
    )
    mine = load(data, user_codes=None)
    mine.show_in("de")
    i18n.use("de")
    try:
        yield mine
    finally:
        mine.show_in(i18n.DEFAULT)
        i18n.use(i18n.DEFAULT)


def _code(repo: Repository, code: str) -> Document:
    found = repo.get(code)
    return code_document(found, repo.related(found), repo.counterpart(found))


KINDS: dict[str, Callable[[Repository], Document]] = {
    "reply": lambda repo: _code(repo, "452"),
    "enhanced": lambda repo: _code(repo, "5.2.2"),
    "nonstandard": lambda repo: _code(repo, "200"),
    "providers": lambda repo: code_document(
        repo.get("550"),
        providers=(
            ProviderUse(
                provider="example",
                provider_name="Example Mail",
                code="550",
                meaning="mailbox unknown [192.0.2.1]",
                reason="userunknown",
                bounce="hard",
                source="https://mail.example/help/550",
                line=1,
            ),
        ),
    ),
    "compare-reply": lambda repo: comparison_document(repo.compare("452", "552")),
    "compare-enhanced": lambda repo: comparison_document(repo.compare("4.2.2", "5.2.2")),
}


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_renderer_shows_every_section_in_order(
    repo: Repository, kind: str, renderer: str
) -> None:
    document = KINDS[kind](repo)
    assert missing_or_out_of_order(document, RENDERERS[renderer](document)) == []


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_translated_code_marks_its_english_fields_everywhere(
    partly_german: Repository, renderer: str
) -> None:
    code = partly_german.get("452")
    assert code.name == GERMAN_NAME and code.untranslated
    document = _code(partly_german, "452")
    shown = RENDERERS[renderer](document)
    assert missing_or_out_of_order(document, shown) == []
    assert i18n.text("heading.description") == i18n.catalogue("de").text("heading.description")
    mark = i18n.catalogue("de").text("code.field_in_english")
    assert shown.count(mark) == len(code.untranslated)
    if renderer == "markdown":  # the NOTE run, in italics
        assert markdown(document).count(f"*{mark}*") == len(code.untranslated)


def test_the_documents_hold_what_each_kind_shows(repo: Repository) -> None:
    """The sections each kind has, so the order test above is not proving it of empty documents."""
    assert KINDS["reply"](repo).keys() == (
        SectionKey.DESCRIPTION,
        SectionKey.WHEN,
        SectionKey.FIX,
        SectionKey.SERVER,
        SectionKey.FACTS,
        SectionKey.WATCH_OUT,
        SectionKey.LEARN_MORE,
        SectionKey.RELATED,
        SectionKey.OTHER_FAMILY,
    )
    enhanced = KINDS["enhanced"](repo)
    assert enhanced.section(SectionKey.SERVER) is None
    assert enhanced.keys()[-2:] == (SectionKey.RELATED, SectionKey.OTHER_FAMILY)
    assert KINDS["reply"](repo).section(SectionKey.PROVIDERS) is None
    assert KINDS["providers"](repo).keys()[5] == SectionKey.PROVIDERS  # after the facts
    nonstandard = KINDS["nonstandard"](repo)
    assert [run.mark for run in nonstandard.subtitle[0]][-1] == Mark.WARNING
    for kind in ("compare-reply", "compare-enhanced"):
        compared = KINDS[kind](repo)
        assert compared.keys() == (
            SectionKey.SUMMARY,
            SectionKey.CODES,
            SectionKey.KEY_DIFFERENCES,
            SectionKey.WHEN_TO_USE,
            SectionKey.LEARN_MORE,
        )
        codes = compared.sections[1].blocks[0]
        assert isinstance(codes, Parts) and len(codes.documents) == 2
        for inner in codes.documents:  # the short form: header and the essentials
            assert inner.keys() == (SectionKey.DESCRIPTION, SectionKey.WHEN, SectionKey.FIX)


def test_the_check_catches_a_renderer_that_drops_a_section(repo: Repository) -> None:
    document = KINDS["reply"](repo)
    shown = markdown(document)
    learn_more = i18n.text("heading.learn_more")
    dropped = shown.replace(f"## {learn_more}\n", "")
    assert learn_more in missing_or_out_of_order(document, dropped)
    description = i18n.text("heading.description")
    moved = shown.replace(f"## {description}\n", "") + f"\n## {description}\n"
    assert missing_or_out_of_order(document, moved)


def _pane_text(pane: DetailPane | ComparePane) -> str:
    return "\n".join(str(static.content) for static in pane.query(Static))


async def test_the_detail_pane_shows_the_code_s_document(repo: Repository) -> None:
    """Its text holds every section but the codes to open, which are the LinkList's rows."""
    document = _code(repo, "452")
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        rows = {SectionKey.RELATED, SectionKey.OTHER_FAMILY}
        text_only = Document(
            document.kind,
            document.title,
            document.subtitle,
            tuple(part for part in document.sections if part.key not in rows),
        )
        assert missing_or_out_of_order(text_only, _pane_text(pane)) == []
        links = pane.query_one(LinkList)
        listed = [str(links.get_option_at_index(i).prompt) for i in range(links.option_count)]
        codes_only = Document(
            document.kind,
            (),
            (),
            tuple(part for part in document.sections if part.key in rows),
        )
        assert missing_or_out_of_order(codes_only, "\n".join(listed)) == []
        assert [option.id for option in links.options if option.id] == [
            row.code
            for part in codes_only.sections
            for block in part.blocks
            if isinstance(block, CodeRows)
            for row in block.rows
        ]


@pytest.mark.parametrize("pair", [("452", "552"), ("4.2.2", "5.2.2")])
async def test_the_compare_pane_shows_the_comparison_s_document(
    repo: Repository, pair: tuple[str, str]
) -> None:
    document = comparison_document(repo.compare(*pair))
    app = SmtpTuiApp(repo, codes=pair)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = _pane_text(app.screen.query_one(ComparePane))
        assert missing_or_out_of_order(document, shown) == []
        assert i18n.text("heading.learn_more") in shown  # the drift issue 10 names
