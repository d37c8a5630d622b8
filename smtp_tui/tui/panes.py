"""The panes on the right: one code in detail, or the comparison of two.

Both only render what the screen hands them; all text from the data goes in as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..comparison import cite
from ..model import ACTORS, Code, Comparison, ReplyCode
from .code_list import CLASS_STYLES

HEADING = "bold $accent"
LABEL = "bold"

RELATED_KEYS = 9
"""Related codes open with the keys 1-9."""


def _lines(*parts: Content) -> Content:
    return Content("\n").join(parts)


def heading(text: str) -> Content:
    return Content.assemble("\n", (text, HEADING))


def labelled(label: str, text: str) -> Content:
    return Content.assemble((f"{label}: ", LABEL), text)


def code_title(code: Code) -> Content:
    standing = "standard" if code.standard else f"non-standard: {code.origin}"
    return _lines(
        Content.assemble((code.code, CLASS_STYLES[code.tone]), "  ", (code.name, "bold")),
        Content.assemble(
            (code.classification, CLASS_STYLES[code.tone]),
            (" · ", "dim"),
            (standing, "dim" if code.standard else "italic $warning"),
        ),
    )


def code_sections(code: Code) -> Content:
    """Description, When you see it, How to fix: the three sections every reference shows."""
    return _lines(
        heading("Description"),
        Content(code.description),
        heading("When you see it"),
        Content(code.when),
        heading("How to fix"),
        labelled("Sender", code.fix_sender),
        labelled("Administrator", code.fix_admin),
    )


def code_facts(code: Code) -> Content:
    parts = []
    if isinstance(code, ReplyCode):
        parts += [heading("When a server sends it"), Content(code.server_guidance)]
    parts += [heading("Facts"), labelled("Retry", code.retry)]
    if isinstance(code, ReplyCode):
        parts += [
            labelled("Who acts", ", ".join(ACTORS[actor] for actor in code.action_by)),
            labelled("Commands", ", ".join(code.command_names)),
        ]
    else:
        parts.append(labelled("Reply codes", code.replies_text))
    parts.append(labelled("References", cite(code.references)))
    if isinstance(code, ReplyCode) and code.notes:
        parts += [heading("Watch out"), Content(code.notes)]
    return _lines(*parts)


def link_options(code: Code, related: Sequence[Code], counterpart: Code | None) -> list[Option]:
    """Related codes, then the other family's, as rows to open; the first nine also take 1-9."""
    options: list[Option] = []
    family = None
    for number, other in enumerate(related, start=1):
        if other.family != family:
            family = other.family
            if family == code.family:
                title = "Related"
            elif family == "enhanced":
                title = f"Enhanced status codes sent with {code.code}"
            else:
                title = f"Reply codes sent with {code.code}"
            options.append(Option(Content.styled(title, HEADING), disabled=True))
        key = f" {number} " if number <= RELATED_KEYS else "   "
        mark = "  counterpart" if counterpart is not None and other.code == counterpart.code else ""
        prompt = Content.assemble(
            (key, "reverse" if number <= RELATED_KEYS else ""),
            " ",
            (f"{other.code:<7}", CLASS_STYLES[other.tone]),
            " ",
            other.name,
            (mark, "italic $accent"),
        )
        options.append(Option(prompt, id=other.code))
    return options


class LinkList(OptionList):
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

    HELP = """
## The detail pane
Everything about the highlighted code. Scroll with `up`/`down`/`pgup`/`pgdn`; the keys `1`-`9` open
a related code; `tab` moves into the list of related codes, where `enter` opens any of them;
`escape` goes back to the list.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body", markup=False)
        yield LinkList(id="links", markup=False)

    def show_code(self, code: Code, related: Sequence[Code], counterpart: Code | None) -> None:
        self.query_one("#detail-body", Static).update(
            _lines(code_title(code), code_sections(code), code_facts(code))
        )
        links = self.query_one(LinkList)
        options = link_options(code, related, counterpart)
        links.set_options(options)
        links.display = bool(options)
        if options:
            links.highlighted = 1  # the first row is a heading
        self.scroll_home(animate=False)

    def show_message(self, text: str) -> None:
        """An empty state; the text may hold the user's query, so it is never markup."""
        self.query_one("#detail-body", Static).update(Content.styled(text, "italic $text-muted"))
        self.query_one(LinkList).display = False


class ComparePane(VerticalScroll, can_focus=True):
    """Two codes compared: summary, both codes side by side (stacked when narrow), differences."""

    DEFAULT_CSS = """
    ComparePane {
        padding: 0 1;
        background: $surface;
        &:focus { background-tint: $foreground 4%; }
        #compare-codes { height: auto; layout: horizontal; }
        #compare-codes > Static { width: 1fr; height: auto; padding: 0 1 0 0; }
        #compare-second { padding: 0 0 0 1; border-left: vkey $panel-lighten-2; }
        &.-stacked #compare-codes { layout: vertical; }
        &.-stacked #compare-second { border-left: none; padding: 0; margin-top: 1; }
    }
    """

    HELP = """
## The comparison
Summary, both codes, numbered key differences and when to use which. `x` swaps the sides; `escape`
leaves the comparison and shows the highlighted code again.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="compare-summary", markup=False)
        with Horizontal(id="compare-codes"):
            yield Static(id="compare-first", markup=False)
            yield Static(id="compare-second", markup=False)
        yield Static(id="compare-rest", markup=False)

    def show_comparison(self, comparison: Comparison, swapped: bool = False) -> None:
        left, right = comparison.first, comparison.second
        if swapped:
            left, right = right, left
        title = Content.assemble(
            (left.code, CLASS_STYLES[left.tone]),
            (" vs ", "bold"),
            (right.code, CLASS_STYLES[right.tone]),
        )
        self.query_one("#compare-summary", Static).update(
            _lines(title, heading("Summary"), Content(comparison.summary), Content(""))
        )
        for widget_id, code in (("#compare-first", left), ("#compare-second", right)):
            self.query_one(widget_id, Static).update(_lines(code_title(code), code_sections(code)))
        rest = [heading("Key differences")]
        for number, text in enumerate(comparison.key_differences, start=1):
            rest.append(Content.assemble((f"{number:>2}. ", LABEL), text))
        rest += [
            heading("When to use which"),
            Content.styled("For a server choosing a reply:", LABEL),
        ]
        rest += [Content.assemble(" • ", text) for text in comparison.for_servers]
        rest.append(Content.styled("For the sender reacting to it:", LABEL))
        rest += [Content.assemble(" • ", text) for text in comparison.for_senders]
        self.query_one("#compare-rest", Static).update(_lines(*rest))
        self.scroll_home(animate=False)
