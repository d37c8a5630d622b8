"""The panes on the right: one code in detail, or the comparison of two.

Both only render what the screen hands them; all text from the data goes in as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smtp_tui.core import i18n
from smtp_tui.core.comparison import cite, rfc_links
from smtp_tui.core.export import standing
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Code, Comparison, Reference, ReplyCode, english_note, in_english
from smtp_tui.core.provider_uses import ProviderUse
from smtp_tui.tui.styles import CLASS_STYLES, HEADING, MUTED, WARNING
from smtp_tui.tui.widgets.lit_list import LitOptionList
from smtp_tui.tui.widgets.provider_uses import provider_uses_section

LABEL = "bold"

RELATED_KEYS = 9
"""Related codes open with the keys 1-9."""


def _lines(*parts: Content) -> Content:
    return Content("\n").join(parts)


def heading(text: str) -> Content:
    return Content.assemble("\n", (text, HEADING))


def labelled(label: str, text: str) -> Content:
    return Content.assemble((i18n.label(label), LABEL), text)


def styled_pair(text: str, first: Code, second: Code) -> Content:
    """`text` in bold, with the two codes in it coloured by class wherever the language put them."""
    content = Content.styled(text, "bold")
    start = 0
    for code in (first, second):
        where = text.find(code.code, start)
        if where >= 0:
            content = content.stylize(CLASS_STYLES[code.tone], where, where + len(code.code))
            start = where + len(code.code)
    return content


def prose(code: Code, name: str, label: str | None = None) -> Content:
    """A prose field as plain text, marked when it is English inside a translated code."""
    value: str = getattr(code, name)
    body = Content.assemble((i18n.label(label), LABEL), value) if label else Content(value)
    if in_english(code, name):
        body = Content.assemble(body, (f" {_t('code.field_in_english')}", f"italic {MUTED}"))
    return body


def code_title(code: Code) -> Content:
    lines = [
        Content.assemble((code.code, CLASS_STYLES[code.tone]), "  ", (code.name, "bold")),
        Content.assemble(
            (code.classification, CLASS_STYLES[code.tone]),
            (" · ", MUTED),
            (standing(code), MUTED if code.standard else f"italic {WARNING}"),
        ),
    ]
    note = english_note(code)
    if note:
        lines.append(Content.styled(note, f"italic {MUTED}"))
    return _lines(*lines)


def code_sections(code: Code) -> Content:
    """Description, When you see it, How to fix: the three sections every reference shows."""
    return _lines(
        heading(_t("heading.description")),
        prose(code, "description"),
        heading(_t("heading.when")),
        prose(code, "when"),
        heading(_t("heading.fix")),
        prose(code, "fix_sender", _t("label.sender")),
        prose(code, "fix_admin", _t("label.admin")),
    )


def code_facts(code: Code) -> Content:
    parts = []
    if isinstance(code, ReplyCode):
        parts += [heading(_t("heading.server")), prose(code, "server_guidance")]
    retry = (
        prose(code, "retry_line", _t("label.retry"))
        if code.retry_line
        else labelled(_t("label.retry"), code.retry)
    )
    parts += [heading(_t("heading.facts")), retry]
    if isinstance(code, ReplyCode):
        parts += [
            labelled(_t("label.who_acts"), i18n.join(code.actor_names)),
            labelled(_t("label.commands"), i18n.join(code.command_names)),
        ]
    else:
        parts.append(labelled(_t("label.reply_codes"), code.replies_text))
    parts.append(labelled(_t("label.references"), cite(code.references)))
    if isinstance(code, ReplyCode) and code.notes:
        parts += [heading(_t("heading.watch_out")), prose(code, "notes")]
    parts.append(learn_more(code.references))
    return _lines(*parts)


def learn_more(references: Iterable[Reference]) -> Content:
    """The reference pages' last section: each RFC cited, once, with its RFC Editor link."""
    parts = [heading(_t("heading.learn_more"))]
    for name, url in rfc_links(references):
        # A terminal hyperlink (OSC 8): ctrl+click opens the RFC where the terminal allows it.
        parts.append(Content.assemble((name, "bold"), "  ", (url, Style(link=url, underline=True))))
    return _lines(*parts)


def point(marker: str, text: str) -> Horizontal:
    """A numbered or bulleted point whose wrapped lines hang under its text, not its marker."""
    return Horizontal(
        Static(Content.styled(marker, LABEL), classes="marker", markup=False),
        Static(Content(text), classes="text", markup=False),
        classes="point",
    )


def link_options(code: Code, related: Sequence[Code], counterpart: Code | None) -> list[Option]:
    """Related codes, then the other family's, as rows to open; the first nine also take 1-9."""
    options: list[Option] = []
    family = None
    for number, other in enumerate(related, start=1):
        if other.family != family:
            family = other.family
            if family == code.family:
                title = _t("heading.related")
            elif family == "enhanced":
                title = _t("heading.enhanced_with", code=code.code)
            else:
                title = _t("heading.replies_with", code=code.code)
            options.append(Option(Content.styled(title, HEADING), disabled=True))
        key = f" {number} " if number <= RELATED_KEYS else "   "
        is_counterpart = counterpart is not None and other.code == counterpart.code
        mark = f"  {_t('code.counterpart')}" if is_counterpart else ""
        prompt = Content.assemble(
            (key, "reverse" if number <= RELATED_KEYS else ""),
            " ",
            (f"{other.code:<7}", CLASS_STYLES[other.tone]),
            " ",
            other.name,
            (mark, f"italic {HEADING}"),
        )
        options.append(Option(prompt, id=other.code))
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

    def show_code(
        self,
        code: Code,
        related: Sequence[Code],
        counterpart: Code | None,
        providers: Sequence[ProviderUse] = (),
    ) -> None:
        parts = [code_title(code), code_sections(code)]
        uses = provider_uses_section(code.code, providers)  # moves onto the code document later
        parts += [uses] if uses is not None else []
        self.query_one("#detail-body", Static).update(_lines(*parts, code_facts(code)))
        links = self.query_one(LinkList)
        options = link_options(code, related, counterpart)
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
        left, right = comparison.first, comparison.second
        title = styled_pair(_t("label.vs", first=left.code, second=right.code), left, right)
        self.query_one("#compare-summary", Static).update(
            _lines(title, heading(_t("heading.summary")), Content(comparison.summary), Content(""))
        )
        for widget_id, code in (("#compare-first", left), ("#compare-second", right)):
            self.query_one(widget_id, Static).update(_lines(code_title(code), code_sections(code)))

        def text(content: Content) -> Static:
            return Static(content, markup=False)

        rest: list[Widget] = [text(heading(_t("heading.key_differences")))]
        for number, difference in enumerate(comparison.key_differences, start=1):
            rest.append(point(f"{number:>2}. ", difference))
        rest += [
            text(heading(_t("heading.when_to_use"))),
            text(Content.styled(_t("label.for_servers"), LABEL)),
            *(point(" • ", advice) for advice in comparison.for_servers),
            text(Content.styled(_t("label.for_senders"), LABEL)),
            *(point(" • ", advice) for advice in comparison.for_senders),
            text(learn_more([*left.references, *right.references])),
        ]
        container = self.query_one("#compare-rest", Vertical)
        container.remove_children()
        container.mount_all(rest)
        self.scroll_home(animate=False)
