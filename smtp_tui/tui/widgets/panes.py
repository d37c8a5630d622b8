"""The panes on the right: one code in detail, or the comparison of two.

Both only render what the screen hands them; all text from the data goes in as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smtp_tui.core.display import Block, CodeRows, Document, Parts, Points, Section, Text
from smtp_tui.core.display.code import code_document
from smtp_tui.core.display.comparison import comparison_document
from smtp_tui.core.model import Code, Comparison
from smtp_tui.tui.styles import CLASS_STYLES, HEADING, MUTED
from smtp_tui.tui.widgets import document as content
from smtp_tui.tui.widgets.lit_list import LitOptionList

LABEL = content.LABEL

RELATED_KEYS = 9
"""Related codes open with the keys 1-9."""


def _is_rows(part: Section) -> bool:
    """A section of codes to open: the pane shows it as a list to move through, not as text."""
    return any(isinstance(item, CodeRows) for item in part.blocks)


def point(marker: str, text: Text) -> Horizontal:
    """A numbered or bulleted point whose wrapped lines hang under its text, not its marker."""
    return Horizontal(
        Static(Content.styled(marker, LABEL), classes="marker", markup=False),
        Static(content.runs(text), classes="text", markup=False),
        classes="point",
    )


def block_widgets(item: Block) -> list[Widget]:
    """A block as widgets: points with hanging indents, anything else as its text."""
    if isinstance(item, Points):
        widgets: list[Widget] = []
        if item.label:
            widgets.append(Static(Content.styled(item.label, LABEL), markup=False))
        for number, text in enumerate(item.items, start=1):
            widgets.append(point(content.marker(item, number), text))
        return widgets
    return [Static(content.block(item), markup=False)]


def link_options(sections: Sequence[Section]) -> list[Option]:
    """The document's codes to open, under their headings; the first nine also take 1-9."""
    options: list[Option] = []
    number = 0
    for part in sections:
        if part.heading:
            options.append(Option(Content.styled(part.heading, HEADING), disabled=True))
        for item in part.blocks:
            if not isinstance(item, CodeRows):
                continue
            for row in item.rows:
                number += 1
                key = f" {number} " if number <= RELATED_KEYS else "   "
                prompt = Content.assemble(
                    (key, "reverse" if number <= RELATED_KEYS else ""),
                    " ",
                    (f"{row.code:<7}", CLASS_STYLES.get(row.tone, "bold")),
                    " ",
                    row.name,
                    (f"  {row.note}" if row.note else "", f"italic {HEADING}"),
                )
                options.append(Option(prompt, id=row.code))
    return options


class LinkList(LitOptionList):
    """The detail pane's related codes: `enter` or a click opens one."""

    DEFAULT_CSS = """
    LinkList {
        height: auto;
        border: none;
        padding: 0;
        margin-top: 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &:focus { border: none; background-tint: $foreground 4%; }
    }
    """

    @dataclass
    class Chosen(Message):
        """A related code to open, by its code."""

        code: str

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))


class DetailPane(VerticalScroll, can_focus=True):
    """One code in full; focusable so `enter` from the list lets the user scroll it."""

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        background: $surface;
        & > Static { width: 1fr; }
        &:focus { background-tint: $foreground 4%; }
    }
    """

    HELP_KEY = "help.detail"
    """The catalogue's help section on this pane; the help screen shows it."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body", markup=False)
        yield LinkList(id="links", markup=False)

    def show_code(self, code: Code, related: Sequence[Code], counterpart: Code | None) -> None:
        document = code_document(code, related, counterpart)
        text = [content.section(part) for part in document.sections if not _is_rows(part)]
        self.query_one("#detail-body", Static).update(
            content.lines(content.header(document), *text)
        )
        links = self.query_one(LinkList)
        options = link_options([part for part in document.sections if _is_rows(part)])
        links.set_options(options)
        links.display = bool(options)
        if options:
            links.highlighted = 1  # the first row is a heading
        self.scroll_home(animate=False)

    def show_message(self, text: str) -> None:
        """An empty state; the text may hold the user's query, so it is never markup."""
        self.query_one("#detail-body", Static).update(Content.styled(text, f"italic {MUTED}"))
        self.query_one(LinkList).display = False


class ComparePane(VerticalScroll, can_focus=True):
    """Two codes compared: summary, both codes side by side (stacked when narrow), differences."""

    DEFAULT_CSS = """
    ComparePane {
        padding: 0 1;
        background: $surface;
        &:focus { background-tint: $foreground 4%; }
        #compare-codes { height: auto; layout: horizontal; }
        #compare-rest { height: auto; }
        .point { height: auto; }
        .point > .marker { width: auto; }
        .point > .text { width: 1fr; }
        #compare-codes > Static { width: 1fr; height: auto; padding: 0 1 0 0; }
        #compare-second { padding: 0 0 0 1; border-left: vkey $panel-lighten-2; }
        &.-stacked #compare-codes { layout: vertical; }
        &.-stacked #compare-second { border-left: none; padding: 0; margin-top: 1; }
    }
    """

    HELP_KEY = "help.compare"

    def compose(self) -> ComposeResult:
        yield Static(id="compare-summary", markup=False)
        with Horizontal(id="compare-codes"):
            yield Static(id="compare-first", markup=False)
            yield Static(id="compare-second", markup=False)
        yield Vertical(id="compare-rest")

    def show_comparison(self, comparison: Comparison) -> None:
        """`comparison` in its own order: a swapped view is a comparison built the other way."""
        document = comparison_document(comparison)
        before: list[Content] = [content.runs(document.title)]
        rest: list[Widget] = []
        columns: tuple[Document, ...] = ()
        for part in document.sections:
            parts = [item for item in part.blocks if isinstance(item, Parts)]
            if parts and not columns and not rest:
                columns = parts[0].documents
            elif columns:
                if part.heading:
                    rest.append(Static(content.heading(part.heading), markup=False))
                for item in part.blocks:
                    rest += block_widgets(item)
            else:
                before.append(content.section(part))
        self.query_one("#compare-summary", Static).update(content.lines(*before, Content("")))
        for widget_id, inner in zip(("#compare-first", "#compare-second"), columns, strict=False):
            self.query_one(widget_id, Static).update(
                content.lines(
                    content.header(inner), *(content.section(part) for part in inner.sections)
                )
            )
        container = self.query_one("#compare-rest", Vertical)
        container.remove_children()
        container.mount_all(rest)
        self.scroll_home(animate=False)
