"""The log screen: a mail log summed up as `smtp-tui log` sums it up, each top row one key from its
code's pane.

The log is read in a thread, as a stream, with its progress posted now and then; a new path or
escape stops the reading through its cancel event.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from smtp_tui.core.display import CodeRows, Document
from smtp_tui.core.display.log import log_document, log_title
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.maillog import MailLog, Summary, lines_of
from smtp_tui.core.repository import Repository
from smtp_tui.core.text import printable, quoted
from smtp_tui.tui.screens.code import CodeScreen, known_code
from smtp_tui.tui.styles import HEADING, MUTED, WARNING
from smtp_tui.tui.terminal_cells import displayed
from smtp_tui.tui.widgets import document
from smtp_tui.tui.widgets.guards import DismissOnce
from smtp_tui.tui.widgets.key_bar import KeyBar, command
from smtp_tui.tui.widgets.lit_list import LitOptionList

TOP = 10
"""Rows per top list: the screen scrolls, so it shows more than the terminal's five."""
PROGRESS_EVERY = 0.2
"""Seconds between progress messages while a log is read."""


def summary_rows(doc: Document) -> tuple[list[Option | None], list[str | None]]:
    """The summary as rows of a list, and for each row the code it opens (None for headings,
    totals and notes)."""
    options: list[Option | None] = []
    targets: list[str | None] = []

    def add(prompt: Content, target: str | None = None) -> None:
        options.append(Option(prompt, id=f"row-{len(targets)}"))
        targets.append(target)

    for part in doc.sections:
        if part.heading:
            if options:
                options.append(None)  # a rule before each heading
            add(Content.styled(part.heading, HEADING))
        for item in part.blocks:
            if isinstance(item, CodeRows):
                for row in item.rows:
                    add(document.block(CodeRows((row,))), row.code or None)
            else:
                add(document.block(item))
    return options, targets


class LogScreen(DismissOnce[None]):
    BINDINGS = [
        command("escape", "close", "screens.close-log"),
        command("f1", "help", "help"),
    ]

    DEFAULT_CSS = """
    LogScreen {
        #log-path { border: tall $border-blurred; &:focus { border: tall $border; } }
        #log-status { height: auto; padding: 0 1; background: $panel; }
        #log-rows { height: 1fr; border: none; &:focus { border: none; } }
    }
    """

    @dataclass
    class Progress(Message):
        run: int
        done: int
        size: int | None

    @dataclass
    class Read(Message):
        run: int
        summary: Summary | None
        error: str = ""

    def __init__(
        self,
        repository: Repository,
        path: str = "",
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        """`since`/`until`: ``smtp-tui log``'s --since/--until, for every log read here."""
        super().__init__()
        self.repository = repository
        self._initial = path
        self.since = since
        self.until = until
        self.run_number = 0
        self.cancel = threading.Event()
        self.path = ""
        self.summary: Summary | None = None
        self.targets: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self._initial, id="log-path", placeholder=displayed(_t("screens.log_placeholder"))
        )
        yield Static(id="log-status", markup=False)
        yield LitOptionList(id="log-rows", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = _t("screens.log_subtitle")
        self._status(Content.styled(_t("screens.log_hint"), f"italic {MUTED}"))
        if self._initial:
            self.open_log(self._initial)
            self.query_one("#log-rows").focus()
        else:
            self.query_one(Input).focus()

    def _status(self, content: Content) -> None:
        self.query_one("#log-status", Static).update(content)

    @on(Input.Submitted, "#log-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.open_log(event.value.strip())
            self.query_one("#log-rows").focus()

    def open_log(self, path: str) -> None:
        """Stop any reading under way, and read `path`."""
        self.cancel.set()
        self.cancel = threading.Event()
        self.run_number += 1
        self.path = path
        self.summary = None
        self.targets = []
        self.query_one("#log-rows", OptionList).clear_options()
        self._status(Content.styled(_t("screens.reading", path=printable(path)), MUTED))
        self._read(os.path.expanduser(path), self.run_number, self.cancel)

    @work(thread=True, group="log")
    def _read(self, path: str, run: int, cancel: threading.Event) -> None:
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(21, os.strerror(21))
            stream = open(path, "rb")  # noqa: SIM115 (closed below, in this thread)
        except OSError as error:
            reason = error.strerror or str(error)
            message = _t("error.cannot_read", path=quoted(path, 60), reason=reason)
            self.post_message(self.Read(run, None, message))
            return
        with stream:
            size = os.fstat(stream.fileno()).st_size or None
            log = MailLog(since=self.since, until=self.until)
            summary = Summary(log.stats)
            shown = time.monotonic()
            for delivery in log.read(lines_of(stream, log.stats)):
                if cancel.is_set():
                    return
                summary.add(delivery)
                if time.monotonic() - shown >= PROGRESS_EVERY:
                    shown = time.monotonic()
                    self.post_message(self.Progress(run, log.stats.bytes, size))
        if not cancel.is_set():
            self.post_message(self.Read(run, summary))

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        if event.run != self.run_number:
            return
        done = f"{event.done / 1e6:,.0f}"
        if event.size:
            line = _t("log.progress", done=done, percent=100 * event.done // event.size)
        else:
            line = _t("log.progress_unknown", done=done)
        self._status(Content.styled(line, MUTED))

    @on(Read)
    def _read_done(self, event: Read) -> None:
        if event.run != self.run_number:
            return
        if event.summary is None:
            self._status(Content.styled(printable(event.error), f"bold {WARNING}"))
            self.query_one(Input).focus()
            return
        self.summary = event.summary
        doc = log_document(event.summary, self.path, TOP, self.repository, commands=False)
        self._status(document.header(doc))
        rows = self.query_one("#log-rows", OptionList)
        options, self.targets = summary_rows(doc)
        rows.set_options(options)
        first = next((n for n, target in enumerate(self.targets) if target), 0)
        if options:
            rows.highlighted = first
        self.sub_title = log_title(self.path)

    @on(OptionList.OptionSelected, "#log-rows")
    def _open(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "row--1").removeprefix("row-"))
        target = self.targets[index] if 0 <= index < len(self.targets) else None
        code = known_code(self.repository, (target,)) if target else None
        if code is not None:
            self.app.push_screen(CodeScreen(self.repository, code))

    def action_help(self) -> None:
        from smtp_tui.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_close(self) -> None:
        self.cancel.set()
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.cancel.set()
