"""One display model: what a view shows, built once in the core and drawn thinly by each front end.

A code, a comparison, a diagnosis, a transcript, a log summary or a probe session becomes a
`Document`: a title, a few subtitle lines, then ordered `Section`s of blocks (paragraphs, labelled
facts, numbered or bulleted points, links, rows of codes, nested documents). The terminal text
(`smtp_tui.cli.render`), Markdown (`smtp_tui.core.display.markdown`) and Textual `Content`
(`smtp_tui.tui.widgets.document`) renderers only decide how each block looks, never what is in it,
so the three cannot drift apart: a test renders every kind through all three and compares the
sections they show.

Words are already in the chosen language when they reach a document; every string is plain text
(never markup), and a renderer escapes or styles it as its medium needs.

The records are named tuples rather than dataclasses: every lookup and the browser's start-up
import them, and eleven frozen dataclasses took 4 ms to make (their methods are compiled from
source) where named tuples take a fraction of it; they are as immutable, and are never compared
with a record of another kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any, NamedTuple


class Mark(StrEnum):
    """How a run of text stands out; each renderer maps a mark onto what its medium can show."""

    PLAIN = "plain"
    STRONG = "strong"
    MUTED = "muted"
    NOTE = "note"
    """An aside in italics, e.g. "(in English)" or a code's standing when it is non-standard."""
    WARNING = "warning"
    CODE = "code"
    """A code, coloured by its class (`Run.tone`) where colour is available."""
    LINK = "link"
    """`Run.url` opens it: an OSC 8 link in the browser, a Markdown link, the bare URL in text."""


class Run(NamedTuple):
    """A stretch of text with one look."""

    text: str
    mark: Mark = Mark.PLAIN
    tone: int = 0
    """The class digit (2, 3, 4, 5; 0 for none) of a `Mark.CODE` run, for its colour."""
    url: str | None = None


Text = tuple[Run, ...]
"""A line or paragraph: runs of text read in order."""


def plain(text: str) -> Text:
    return (Run(text),)


def strong(text: str) -> Text:
    return (Run(text, Mark.STRONG),)


def text_of(runs: Text) -> str:
    """The words without their looks, for tests and for media without styling."""
    return "".join(run.text for run in runs)


class Paragraph(NamedTuple):
    """Prose, wrapped to the width available."""

    text: Text


class Fact(NamedTuple):
    """A labelled value ("Retry: …"): the label in bold, the value's lines hanging under it."""

    label: str
    text: Text


class Points(NamedTuple):
    """A list under an optional label: numbered for ranked items (key differences), else bullets."""

    items: tuple[Text, ...]
    numbered: bool = False
    label: str | None = None


class Link(NamedTuple):
    name: str
    url: str


class Links(NamedTuple):
    """Pages to read further (the RFCs cited): the name, then where to find it."""

    links: tuple[Link, ...]


class CodeRow(NamedTuple):
    """A code one step away (a related code, a log's failing code): the browser opens it."""

    code: str
    name: str
    tone: int = 0
    note: str | None = None
    """A short aside after the name, e.g. "counterpart"."""


class CodeRows(NamedTuple):
    rows: tuple[CodeRow, ...]


class Parts(NamedTuple):
    """Documents shown together: side by side where there is room (the two codes of a comparison),
    one after the other elsewhere."""

    documents: tuple[Document, ...]


Block = Paragraph | Fact | Points | Links | CodeRows | Parts


class SectionKey(StrEnum):
    """What a section is, whatever its heading says in the chosen language: renderers and tests
    recognise sections by key, never by their words."""

    SUMMARY = "summary"
    DESCRIPTION = "description"
    WHEN = "when"
    FIX = "fix"
    SERVER = "server"
    FACTS = "facts"
    PROVIDERS = "providers"
    WATCH_OUT = "watch_out"
    CODES = "codes"
    KEY_DIFFERENCES = "key_differences"
    WHEN_TO_USE = "when_to_use"
    LEARN_MORE = "learn_more"
    RELATED = "related"
    OTHER_FAMILY = "other_family"
    VERDICT = "verdict"
    RECIPIENTS = "recipients"
    SESSIONS = "sessions"
    FINDINGS = "findings"
    TOTALS = "totals"
    TOP = "top"
    STEPS = "steps"
    TLS = "tls"
    CAPABILITIES = "capabilities"


class Section(NamedTuple):
    key: SectionKey
    heading: str | None
    """In the chosen language; None for a section that continues the one before without a title."""
    blocks: tuple[Block, ...]


class DocumentKind(StrEnum):
    CODE = "code"
    COMPARISON = "comparison"
    DIAGNOSIS = "diagnosis"
    LOG = "log"
    PROBE = "probe"
    OVERVIEW = "overview"


class Document(NamedTuple):
    kind: DocumentKind
    title: Text
    subtitle: tuple[Text, ...] = ()
    """Short lines under the title: a code's class and standing, a note on its language."""
    sections: tuple[Section, ...] = ()

    def section(self, key: SectionKey) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def keys(self) -> tuple[SectionKey, ...]:
        """The sections in order: what the three renderers must agree on."""
        return tuple(section.key for section in self.sections)


def section(key: SectionKey, heading: str | None, blocks: Iterable[Block | None]) -> Section:
    """A section from blocks, leaving out those a builder decided not to show (None)."""
    return Section(key, heading, tuple(block for block in blocks if block is not None))


def walk(document: Document) -> Iterator[tuple[Document, Section]]:
    """Every section of a document and of the documents nested in it, in reading order."""
    for part in document.sections:
        yield document, part
        for block in part.blocks:
            if isinstance(block, Parts):
                for inner in block.documents:
                    yield from walk(inner)


PlainRun = tuple[str, str, int, str | None]
"""A `Run` as (text, mark, tone, url)."""
PlainText = tuple[PlainRun, ...]
PlainBlock = tuple[Any, ...]
"""A block as its kind's name, then its fields: ("paragraph", text), ("fact", label as shown,
text), ("points", items, numbered, label), ("links", ((name, url), ...)), ("rows", ((code, name,
tone, note), ...)), ("parts", (document, ...))."""
PlainSection = tuple[str, str | None, tuple[PlainBlock, ...]]
PlainDocument = tuple[str, PlainText, tuple[PlainText, ...], tuple[PlainSection, ...]]
"""A `Document` as (kind, title, subtitle, sections)."""


def as_plain(document: Document) -> PlainDocument:
    """The document as nested tuples of strings, numbers and None, which `marshal` stores and
    reads back in a fraction of a millisecond with no class to import: the form the terminal
    renderer draws, so that prepared answers (`smtp_tui.cli.prepared`) and a freshly built
    document come out of one renderer. Fact labels are worded here, in the active language."""
    return (
        document.kind.value,
        _plain_text(document.title),
        tuple(_plain_text(line) for line in document.subtitle),
        tuple(plain_section(part) for part in document.sections),
    )


def plain_section(part: Section) -> PlainSection:
    return (part.key.value, part.heading, tuple(_plain_block(item) for item in part.blocks))


def _plain_text(runs: Text) -> PlainText:
    return tuple((run.text, run.mark.value, run.tone, run.url) for run in runs)


def _plain_block(item: Block) -> PlainBlock:
    from smtp_tui.core import i18n

    if isinstance(item, Paragraph):
        return ("paragraph", _plain_text(item.text))
    if isinstance(item, Fact):
        return ("fact", i18n.label(item.label), _plain_text(item.text))
    if isinstance(item, Points):
        return ("points", tuple(map(_plain_text, item.items)), item.numbered, item.label)
    if isinstance(item, Links):
        return ("links", tuple((link.name, link.url) for link in item.links))
    if isinstance(item, CodeRows):
        return ("rows", tuple((row.code, row.name, row.tone, row.note) for row in item.rows))
    if isinstance(item, Parts):
        return ("parts", tuple(as_plain(inner) for inner in item.documents))
    raise TypeError(f"no plain form for {type(item).__name__}")  # a new block kind: add it here
