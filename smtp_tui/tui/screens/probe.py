"""The probe screen: type a mail server, watch the session step by step, open any reply's code.

The probe runs in a thread and posts each step as a message (`post_message` is thread-safe and
never waits for the interface), so the screen answers keys while a server takes its time;
escape stops the probe through its cancel event and closes the screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from smtp_tui.core.display import Section
from smtp_tui.core.display.probe import probe_title, step_codes, step_section, verdict_sections
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.probe_report import Report, Step
from smtp_tui.core.probe_request import ProbeRequest, ProbeRequestError, parse_request, run_request
from smtp_tui.core.repository import Repository
from smtp_tui.core.text import printable
from smtp_tui.tui.screens.code import CodeScreen, known_code
from smtp_tui.tui.styles import HEADING, MUTED, WARNING
from smtp_tui.tui.terminal_cells import displayed
from smtp_tui.tui.widgets import document
from smtp_tui.tui.widgets.guards import DismissOnce
from smtp_tui.tui.widgets.key_bar import KeyBar, command
from smtp_tui.tui.widgets.lit_list import LitOptionList


def section_prompt(part: Section) -> Content:
    """A section as one row of a list: its heading, then its blocks."""
    rows = [Content.styled(part.heading, HEADING)] if part.heading else []
    return document.lines(*rows, *(document.block(item) for item in part.blocks))


class ProbeScreen(DismissOnce[None]):
    BINDINGS = [
        command("escape", "close", "screens.close-probe"),
        command("f1", "help", "help"),
    ]

    DEFAULT_CSS = """
    ProbeScreen {
        #probe-target { border: tall $border-blurred; &:focus { border: tall $border; } }
        #probe-status { height: auto; padding: 0 1; background: $panel; }
        #probe-steps { height: 1fr; border: none; &:focus { border: none; } }
    }
    """

    @dataclass
    class StepArrived(Message):
        run: int
        step: Step

    @dataclass
    class Finished(Message):
        run: int
        report: Report

    def __init__(self, repository: Repository, target: str = "") -> None:
        super().__init__()
        self.repository = repository
        self._initial = target
        self.run_number = 0
        """Which probe the screen shows: messages from an earlier one are dropped."""
        self.cancel = threading.Event()
        self.steps: list[Step] = []
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self._initial,
            id="probe-target",
            placeholder=displayed(_t("screens.probe_placeholder")),
        )
        yield Static(id="probe-status", markup=False)
        yield LitOptionList(id="probe-steps", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = _t("screens.probe_subtitle")
        self.query_one("#probe-status", Static).update(
            Content.styled(_t("screens.probe_hint"), f"italic {MUTED}")
        )
        self.query_one(Input).focus()
        if self._initial:
            self.start(self._initial)

    @property
    def step_list(self) -> OptionList:
        return self.query_one("#probe-steps", OptionList)

    @on(Input.Submitted, "#probe-target")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.start(event.value):
            self.step_list.focus()

    def start(self, line: str) -> bool:
        """Stop any probe still running, and probe what `line` asks for; False (and why, in the
        status line) when `line` is no probe."""
        status = self.query_one("#probe-status", Static)
        if not line.strip():
            return False
        try:
            request = parse_request(line)
        except ProbeRequestError as error:
            status.update(Content.styled(printable(str(error)), f"bold {WARNING}"))
            return False
        self.cancel.set()
        self.cancel = threading.Event()
        self.run_number += 1
        self.steps = []
        self.report = None
        self.step_list.clear_options()
        title = probe_title(request.target, request.port)
        status.update(Content.assemble(document.runs(title), (f"  {_t('screens.probing')}", MUTED)))
        self._probe(request, self.run_number, self.cancel)
        return True

    @work(thread=True, group="probe")
    def _probe(self, request: ProbeRequest, run: int, cancel: threading.Event) -> None:

        def arrived(step: Step) -> None:
            self.post_message(self.StepArrived(run, step))

        report = run_request(request, self.repository, on_step=arrived, cancel=cancel)
        if not cancel.is_set():
            self.post_message(self.Finished(run, report))

    @on(StepArrived)
    def _step(self, event: StepArrived) -> None:
        if event.run != self.run_number:
            return
        index = len(self.steps)
        self.steps.append(event.step)
        prompt = section_prompt(step_section(event.step, self.repository))
        steps = self.step_list
        follow = steps.highlighted is None or steps.highlighted == steps.option_count - 1
        if index:
            steps.add_option(None)  # a rule between steps
        steps.add_option(Option(prompt, id=f"step-{index}"))
        if follow:  # the newest step in view, unless the user moved up to read an earlier one
            steps.highlighted = steps.option_count - 1

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        if event.run != self.run_number:
            return
        self.report = event.report
        steps = self.step_list
        parts = verdict_sections(event.report)
        for number, part in enumerate(parts):
            steps.add_options([None, Option(section_prompt(part), id=f"verdict-{number}")])
        steps.highlighted = steps.get_option_index("verdict-0")
        status = self.query_one("#probe-status", Static)
        title = probe_title(event.report.target, event.report.port)
        verdict = document.block(parts[0].blocks[0])
        status.update(Content.assemble(document.runs(title), "  ", verdict))

    @on(OptionList.OptionSelected, "#probe-steps")
    def _open(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if not option_id.startswith("step-"):
            return
        step = self.steps[int(option_id.removeprefix("step-"))]
        code = known_code(self.repository, step_codes(step))
        if code is not None:
            self.app.push_screen(CodeScreen(self.repository, code))

    def action_help(self) -> None:
        from smtp_tui.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_close(self) -> None:
        self.cancel.set()
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.cancel.set()  # however the screen goes (the app quitting), the probe stops
