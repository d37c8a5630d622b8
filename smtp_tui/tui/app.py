"""The Textual application: one main screen over the shared code repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

if TYPE_CHECKING:
    from textual.command import Provider

from ..repository import Repository, printable
from ..settings import Settings, load_settings, save_settings
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
        self.settings: Settings | None = None

    def on_mount(self) -> None:
        settings, warning = load_settings()
        self.settings = settings
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        search = "" if self.start_codes else settings.last_search
        self.push_screen(MainScreen(self.repository, self.start_codes, search=search))
        for problem in [*self.repository.warnings, *filter(None, [warning])]:
            self.notify(printable(problem), severity="warning", timeout=10, markup=False)

    def watch_theme(self, theme: str) -> None:
        settings = getattr(self, "settings", None)
        if settings is not None and theme != settings.theme:
            self.remember(settings.with_theme(theme))

    def remember(self, settings: Settings) -> None:
        """Keep `settings` and write them; a failed write is a warning, never an error."""
        self.settings = settings
        problem = save_settings(settings)
        if problem is not None:
            self.notify(printable(problem), severity="warning", markup=False)
