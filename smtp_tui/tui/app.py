"""The Textual application: one main screen over the shared code repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

if TYPE_CHECKING:
    from textual.command import Provider

from ..repository import Repository
from .main_screen import MainScreen


def _code_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens: `textual.command` costs
    about 45 ms of start-up that the first screen does not need."""
    from .palette import CodeCommands

    return CodeCommands


class SmtpTuiApp(App[None]):
    """smtp-tui's browser; `codes` opens it on a code, or on the comparison of two."""

    TITLE = "smtp-tui"
    SUB_TITLE = "SMTP reply codes"
    # Absolute, so subclasses defined elsewhere (tests, benchmarks) still find it.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {lambda: _code_commands()}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, repository: Repository, codes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.repository = repository
        self.start_codes = codes

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.repository, self.start_codes))
