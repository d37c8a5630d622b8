"""The help screen, built from the live bindings and each pane's help text, so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from smtp_tui.core.i18n import text as _t
from smtp_tui.tui.widgets.code_list import CodeList
from smtp_tui.tui.widgets.guards import DismissOnce
from smtp_tui.tui.widgets.key_bar import binding_label, binding_tip, command
from smtp_tui.tui.widgets.panes import ComparePane, DetailPane


def keys_table(app: App[object], bindings: Sequence[BindingType]) -> str:
    """One row per command of `screen`, from the same bindings that drive it and the footer."""
    # A list, not a table: table columns are cut to a few cells at 80 columns, worst of all
    # in Japanese or Chinese, where every character takes two.
    rows = []
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
        rows.append(f"- `{keys}` **{binding_label(binding)}**: {binding_tip(binding)}")
    for keys, what in (
        ("`1`…`9`", "related"),
        ("`tab` / `down`", "to_list"),
        ("`enter`", "read"),
        ("`ctrl+p`", "palette"),
        ("`ctrl+q`", "quit"),
    ):
        rows.append(f"- {keys} **{_t(f'help.{what}')}**: {_t(f'help.{what}.tip')}")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None], DismissOnce[None]):
    """Keys first, then what each part of the screen does."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%;
            max-width: 100;
            height: 90%;
            border: thick $accent;
            border-title-color: $smtp-heading;
            border-title-background: $surface;
            background: $surface;
            padding: 0 1;
            /* Room kept for the scrollbar: at a few columns, showing it squeezed the text
               until it was not needed, and hiding it let the text grow back, sixty times a
               second (tests/test_tui_robustness.py counts the layouts of an idle screen). */
            scrollbar-gutter: stable;
        }
    }
    """

    BINDINGS = [command("escape,q,question_mark,f1", "dismiss", "close-help")]

    def __init__(self, bindings: Sequence[BindingType]) -> None:
        super().__init__()
        self._bindings_shown = bindings

    def compose(self) -> ComposeResult:
        from smtp_tui.tui.screens.main import SearchBox

        parts = [_t("help.intro"), keys_table(self.app, self._bindings_shown)]
        from smtp_tui.tui.screens.explain import ExplainScreen

        widgets = (SearchBox, CodeList, DetailPane, ComparePane, ExplainScreen)
        mark = _t("code.nonstandard_mark")
        parts += [_t(widget.HELP_KEY, mark=mark) for widget in widgets]
        parts.append(_t("help.language"))
        with VerticalScroll():
            yield Markdown("\n".join(parts))
