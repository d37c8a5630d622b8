"""The explain screen: paste a reply, transcript or bounce; read every code in it and the outcome.

Scanning runs in a thread a moment after the last change, so a pasted megabyte never freezes typing.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from smtp_tui.core.cells import ljust
from smtp_tui.core.diagnosis import Diagnosis, Item, diagnose
from smtp_tui.core.display.diagnosis import diagnosis_document, item_meaning
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.repository import Repository
from smtp_tui.core.text import printable
from smtp_tui.tui.styles import CLASS_STYLES, MUTED, WARNING
from smtp_tui.tui.terminal_cells import displayed
from smtp_tui.tui.widgets.document import document, runs
from smtp_tui.tui.widgets.guards import DismissOnce
from smtp_tui.tui.widgets.key_bar import KeyBar, command
from smtp_tui.tui.widgets.lit_list import LitOptionList

DELAY = 0.25
"""Seconds of quiet after a change before scanning: one scan per paste, not one per keystroke."""


def where_of(item: Item) -> str:
    """The line or lines of a finding, padded to a column as the CLI pads them."""
    if item.end == item.line:
        where = _t("label.line", line=item.line)
    else:
        where = _t("label.lines", first=item.line, last=item.end)
    padded = ljust(where, 10)
    return padded if padded.endswith(" ") else padded + " "


class ExplainScreen(DismissOnce[str | None]):
    """Dismissed with the code to open (enter on a finding), or None (escape)."""

    BINDINGS = [
        command("escape", "close", "close-explain"),
        command("ctrl+l", "clear", "clear-explain"),
        command("f1", "help", "help"),
    ]

    DEFAULT_CSS = """
    ExplainScreen {
        #explain-body { height: 1fr; }
        #paste { width: 1fr; border: tall $border-blurred; &:focus { border: tall $border; } }
        #explain-side { width: 1fr; }
        #verdict-box { height: auto; max-height: 60%; background: $panel; }
        #verdict { height: auto; padding: 0 1; }
        #findings { height: 1fr; border: none; &:focus { border: none; } }
    }
    """

    HELP_KEY = "help.explain"

    def __init__(self, repository: Repository, text: str = "") -> None:
        super().__init__()
        self.repository = repository
        self._initial = text
        self._timer: Timer | None = None
        self.diagnosis: Diagnosis | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="explain-body"):
            yield TextArea(
                self._initial,
                id="paste",
                soft_wrap=True,
                placeholder=displayed(_t("explain.placeholder")),
            )
            with Vertical(id="explain-side"):
                with VerticalScroll(id="verdict-box", can_focus=False):
                    # A report on many recipients scrolls here, leaving room for the findings.
                    yield Static(id="verdict", markup=False)
                yield LitOptionList(id="findings", markup=False)
        yield KeyBar()

    @property
    def pasted(self) -> str:
        """The text in the paste area now."""
        areas = self.query(TextArea)
        return areas.first().text if areas else self._initial

    def on_mount(self) -> None:
        self.sub_title = _t("explain.subtitle")
        areas = self.query(TextArea)
        if not areas:
            return  # pushed while the app closes (q then e in one burst): nothing was composed
        areas.first().focus()
        self._scan_now()

    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DELAY, self._scan_now)

    def _scan_now(self) -> None:
        self._scan(self.query_one(TextArea).text)

    @work(thread=True, exclusive=True)
    def _scan(self, text: str) -> None:
        diagnosis = diagnose(text, self.repository)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_diagnosis, diagnosis)

    def show_diagnosis(self, diagnosis: Diagnosis) -> None:
        self.diagnosis = diagnosis
        # The verdict, provider, reason, hard/soft, whose move, why, recipients and sessions:
        # the document the CLI prints, less the findings this screen lists itself.
        verdict = document(diagnosis_document(diagnosis, findings=False))
        self.query_one("#verdict", Static).update(verdict)
        findings = self.query_one("#findings", OptionList)
        name = diagnosis.provider.name if diagnosis.provider is not None else None
        options = []
        for index, item in enumerate(diagnosis.items):
            tone = item.main.tone if item.main else 0
            prompt = Content.assemble(
                (where_of(item), MUTED),
                ("! " if item.mismatch else "", f"bold {WARNING}"),
                (item.label, CLASS_STYLES[tone]),
                (f" ×{item.count}" if item.count > 1 else "", MUTED),
                "\n",
                runs(item_meaning(item, name)),
                "\n",
                (printable(item.context, limit=160), f"italic {MUTED}"),
            )
            options.append(Option(prompt, id=str(index), disabled=item.main is None))
        findings.set_options(options)
        if options:
            findings.highlighted = 0

    @on(OptionList.OptionSelected, "#findings")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.diagnosis is None or event.option.id is None:
            return
        item = self.diagnosis.items[int(event.option.id)]
        if item.main is not None:
            self.dismiss(item.main.code)

    def action_help(self) -> None:
        """The help screen, from this screen's keys and then the browser's."""
        from smtp_tui.tui.screens.help import HelpScreen
        from smtp_tui.tui.screens.main import MainScreen

        self.app.push_screen(HelpScreen([*self.BINDINGS, *MainScreen.BINDINGS]))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        self.query_one(TextArea).clear()
        self.query_one(TextArea).focus()
