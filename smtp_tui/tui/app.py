"""The Textual application: one main screen over the shared code repository."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from ..repository import Repository
from .main_screen import MainScreen
from .palette import CodeCommands


class SmtpTuiApp(App[None]):
    """smtp-tui's browser; `codes` opens it on a code, or on the comparison of two."""

    TITLE = "smtp-tui"
    SUB_TITLE = "SMTP reply codes"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {CodeCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, repository: Repository, codes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.repository = repository
        self.start_codes = codes

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.repository, self.start_codes))
