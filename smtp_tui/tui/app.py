"""The Textual application: one main screen over the shared code repository."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.content import Content
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.command import CommandListItem, Provider
    from textual.widget import AwaitMount

from smtp_tui.core import i18n, rtl
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.repository import Repository
from smtp_tui.core.settings import SETTINGS_KEYS, Problem, Settings, load_settings, save_settings
from smtp_tui.core.text import printable
from smtp_tui.tui.keys import install as name_keys_without_unicode_table
from smtp_tui.tui.legible import text_colours, unreadable_themes
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.styles import MUTED
from smtp_tui.tui.stylesheet import preload as preload_css
from smtp_tui.tui.terminal_cells import install as measure_as_terminals_do
from smtp_tui.tui.terminal_cells import rtl_visual, set_rtl_visual
from smtp_tui.tui.widgets.key_bar import command

# Textual and our modules (tens of thousands of objects, and the catalogue when it was loaded
# first, as the command line does) live as long as the process: frozen, the collector never scans
# them again, where a full collection during start-up used to (gc callbacks: 29 ms of collection
# to the first frame, the bare app's 10). Once, at import: `App.run` would be the place, but
# Textual's snapshot tests call it for every app of a test process, whose cycles would then never
# be collected. The command line does the same for its own imports (`console.main`).
gc.freeze()

RTL_WORDS = {
    rtl.RtlMode.VISUAL: ("rtl.visual", "rtl.visual.help"),
    rtl.RtlMode.LOGICAL: ("rtl.logical", "rtl.logical.help"),
}
"""The palette's words for each way of laying out right-to-left text."""


def _code_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens: `textual.command` costs
    about 45 ms of start-up that the first screen does not need."""
    from smtp_tui.tui.screens.palette import CodeCommands

    return CodeCommands


def _provider_commands() -> type[Provider]:
    from smtp_tui.tui.screens.palette import ProviderCommands

    return ProviderCommands


def _language_commands() -> type[Provider]:
    from smtp_tui.tui.screens.palette import LanguageCommands

    return LanguageCommands


class SmtpTuiApp(App[None]):
    """smtp-tui's browser; `codes` opens it on a code, or on the comparison of two."""

    TITLE = "smtp-tui"
    # Absolute, so subclasses defined elsewhere (tests, benchmarks) still find it.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {
        lambda: _code_commands(),
        lambda: _language_commands(),
        lambda: _provider_commands(),
    }
    # Shown on every screen, even while typing: the one way out that always works.
    BINDINGS = [command("ctrl+q", "quit", "quit", priority=True)]

    def __init__(
        self,
        repository: Repository,
        codes: tuple[str, ...] = (),
        settings: tuple[Settings, Problem | None] | None = None,
        notes: Iterable[str] = (),
        log: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        """`settings` as the CLI already read them (to choose the language), or None to read;
        `notes`, warnings from before the app started (an unknown ``SMTP_TUI_LANG``); `log`, a
        mail log to open on (``smtp-tui log FILE`` in a terminal), read from `since` to `until`."""
        measure_as_terminals_do()
        name_keys_without_unicode_table()
        super().__init__()
        # Before the first screen is styled: each source is then parsed once.
        preload_css(self.stylesheet, (MainScreen, *MainScreen.WIDGETS))
        self.notes = tuple(notes)
        self.repository = repository
        self.start_codes = codes
        self.start_log = (log, since, until) if log is not None else None
        self._loaded = settings
        self.settings: Settings | None = None
        self._settings_warned: set[str] = set()
        """Kinds of settings warning already shown this session."""
        # The ANSI themes take their colours from the terminal's palette, so no contrast can be
        # promised there; every theme we offer has its text colours checked (see `legible`).
        for name in unreadable_themes(list(self.available_themes)):
            self.unregister_theme(name)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Textual's title, with the sub-title in our muted colour: its `dim` fell to 2:1."""
        if not sub_title:
            return Content(title)
        return Content.assemble(Content(title), (" — ", MUTED), (sub_title, MUTED))

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus our text colours, made readable for this theme."""
        variables = super().get_css_variables()
        variables.update(text_colours(variables))
        self.theme_variables = variables
        return variables

    async def on_event(self, event: events.Event) -> None:
        """Keys still queued once the last screen is gone (typed as the app quits) are dropped:
        Textual's `App.on_event` and `App._check_bindings` ask for `self.screen` and raise
        ScreenStackError, a traceback on the way out (Textual 8.2.8, app.py `on_event`)."""
        if isinstance(event, events.Key) and not self.screen_stack:
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        settings, problem = self._loaded if self._loaded is not None else load_settings()
        self.settings = settings
        set_rtl_visual(rtl.choose_mode(settings.rtl) is rtl.RtlMode.VISUAL)
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        if self.repository.language != i18n.current():
            self.repository.show_in(i18n.current())
        self.sub_title = _t("ui.subtitle")
        search = "" if self.start_codes else settings.last_search
        self.push_screen(MainScreen(self.repository, self.start_codes, search=search))
        if self.start_log is not None:
            from smtp_tui.tui.screens.log import LogScreen

            path, since, until = self.start_log
            self.push_screen(LogScreen(self.repository, path, since, until))
        problems = [*self.repository.warnings, *self.notes, *([problem] if problem else [])]
        for text in problems:
            self.notify(printable(str(text)), severity="warning", timeout=10, markup=False)

    def watch_theme(self, theme: str) -> None:
        settings = getattr(self, "settings", None)
        if settings is not None and theme != settings.theme:
            self.remember(settings.with_theme(theme))

    def remember(self, settings: Settings) -> None:
        """Keep `settings` and write the keys that changed (another browser may have changed
        others); a failed write is a warning, once a session, never an error."""
        earlier, self.settings = self.settings, settings
        keys = settings.changed_from(earlier) if earlier is not None else SETTINGS_KEYS
        if not keys:
            return
        problem = save_settings(settings, keys=keys)
        if problem is not None and problem.key not in self._settings_warned:
            self._settings_warned.add(problem.key)  # a read-only folder fails at every pause
            self.notify(printable(str(problem)), severity="warning", markup=False)

    # ----------------------------------------------------------------------------- language

    def set_language(self, lang: str) -> None:
        """Show everything in `lang` from now on, and remember the choice for the next run."""
        i18n.use(lang)
        self.repository.show_in(lang)
        self.sub_title = _t("ui.subtitle")
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.refresh_language()
        if self.settings is not None:
            self.remember(self.settings.with_language(lang))
        self.notify(_t("ui.language_set", name=i18n.active().name), timeout=3)

    def set_rtl_mode(self, mode: rtl.RtlMode) -> None:
        """Lay out right-to-left text this way from now on, and remember it."""
        set_rtl_visual(mode is rtl.RtlMode.VISUAL)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.refresh_language()  # re-renders every text, now laid out the new way
        self.refresh(layout=True)
        if self.settings is not None:
            self.remember(self.settings.with_rtl(mode.value))
        self.notify(_t(RTL_WORDS[mode][0]), timeout=3)

    def action_choose_language(self) -> None:
        items = [
            (
                _t("palette.language.item", name=own),
                partial(self.set_language, lang),
                _t("palette.language.item_help", name=own, english=english),
            )
            for lang, own, english in i18n.names()
        ]
        self.search_commands(items, placeholder=_t("palette.language.placeholder"))

    # ------------------------------------------------------------------------ command palette

    def action_command_palette(self) -> None:
        """Our `Palette` (Textual's, guarded), with our placeholder in the interface language."""
        from smtp_tui.tui.screens.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            placeholder = _t("palette.placeholder")
            self.push_screen(Palette(id="--command-palette", placeholder=placeholder))

    def action_change_theme(self) -> None:
        from textual.theme import ThemeProvider

        from smtp_tui.tui.screens.palette import Palette

        placeholder = _t("palette.theme.placeholder")
        self.push_screen(Palette(providers=[ThemeProvider], placeholder=placeholder))

    def search_commands(
        self, commands: Sequence[CommandListItem], placeholder: str | None = None
    ) -> AwaitMount:
        """Textual's, in our palette (see `Palette`: it closes once)."""
        from textual.command import SimpleProvider

        from smtp_tui.tui.screens.palette import Palette

        provider = SimpleProvider(self.screen, list(commands))
        placeholder = placeholder or _t("palette.placeholder")
        # A provider instance where the type says a class: as App.search_commands itself does.
        palette = Palette(providers=[provider], placeholder=placeholder)  # type: ignore[list-item]
        return self.push_screen(palette)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's system commands, worded by our catalogue, plus the language picker; the
        keys panel gives way to our help screen, which knows every key."""
        yield SystemCommand(
            _t("palette.language"), _t("palette.language.help"), self.action_choose_language
        )
        yield SystemCommand(_t("palette.theme"), _t("palette.theme.help"), self.action_change_theme)
        # The way not in use now: Arabic readers switch when their terminal lays it out too.
        other = rtl.RtlMode.LOGICAL if rtl_visual() else rtl.RtlMode.VISUAL
        yield SystemCommand(
            _t(RTL_WORDS[other][0]),
            _t(RTL_WORDS[other][1]),
            partial(self.set_rtl_mode, other),
        )
        if isinstance(screen, MainScreen):
            yield SystemCommand(_t("palette.keys"), _t("palette.keys.help"), screen.action_help)
            yield SystemCommand(
                _t("screens.palette_probe"), _t("screens.palette_probe_help"), screen.action_probe
            )
            yield SystemCommand(
                _t("screens.palette_log"), _t("screens.palette_log_help"), screen.action_open_log
            )
        yield SystemCommand(_t("palette.quit"), _t("palette.quit.help"), self.action_quit)
