"""One code's pane over the screen it was opened from (a probe step, a row of a log summary):
escape goes back to that screen as it was, with a probe still running."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header

from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.tui.widgets.guards import DismissOnce
from smtp_tui.tui.widgets.key_bar import KeyBar, command
from smtp_tui.tui.widgets.panes import DetailPane, LinkList


class CodeScreen(DismissOnce[None]):
    BINDINGS = [command("escape", "close", "close-explain")]

    def __init__(self, repository: Repository, code: str) -> None:
        super().__init__()
        self.repository = repository
        self.code = code

    def compose(self) -> ComposeResult:
        yield Header()
        yield DetailPane(self.repository, id="code-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show(self.code)
        self.query_one(DetailPane).focus()

    def show(self, code: str) -> None:
        """Show `code`; one the data does not know leaves the pane as it was (callers open only
        codes they found in the repository)."""
        try:
            found = self.repository.get(code)
        except UnknownCode:
            return
        self.code = found.code
        self.sub_title = found.code
        self.query_one(DetailPane).code = found

    @on(LinkList.Chosen)
    def _related(self, event: LinkList.Chosen) -> None:
        self.show(event.code)
        self.query_one(DetailPane).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def known_code(repository: Repository, codes: tuple[str, ...]) -> str | None:
    """The first of `codes` the data knows (an enhanced code first, then its reply code)."""
    for code in codes:
        try:
            return repository.get(code).code
        except UnknownCode:
            continue
    return None
