"""The help screen, built from the live bindings and each pane's HELP, so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from .code_list import CodeList
from .panes import ComparePane, DetailPane

INTRO = """\
# smtp-tui keys

Search on the left, read on the right. Pick two codes with `c` to compare them.
"""


def keys_table(app: App[object], bindings: Sequence[BindingType]) -> str:
    """One row per command of `screen`, from the same bindings that drive it and the footer."""
    rows = ["| Key | Command | What it does |", "|---|---|---|"]
    seen: set[str] = set()
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.action in seen:
            continue
        seen.add(binding.action)
        if binding.action.startswith("open_related"):
            continue
        keys = " / ".join(
            app.get_key_display(Binding(key, binding.action)) for key in binding.key.split(",")
        )
        rows.append(f"| `{keys}` | {binding.description} | {binding.tooltip or ''} |")
    rows.append("| `1`…`9` | Related | Open a related code from the detail pane |")
    rows.append("| `tab` / `down` | To the list | From the search box into the list |")
    rows.append("| `enter` | Read | From the list into the pane on the right |")
    rows.append("| `ctrl+p` | Palette | Jump to a code, or compare two (`211 452`) |")
    rows.append("| `ctrl+q` | Quit | Quit, even while typing |")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    """Keys first, then what each part of the screen does."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%;
            max-width: 100;
            height: 90%;
            border: thick $accent;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="close-help")]

    def __init__(self, bindings: Sequence[BindingType]) -> None:
        super().__init__()
        self._bindings_shown = bindings

    def compose(self) -> ComposeResult:
        from .main_screen import SearchBox

        parts = [INTRO, keys_table(self.app, self._bindings_shown)]
        from .explain_screen import ExplainScreen

        widgets = (SearchBox, CodeList, DetailPane, ComparePane, ExplainScreen)
        parts += [widget.HELP for widget in widgets]
        with VerticalScroll():
            yield Markdown("\n".join(parts))
