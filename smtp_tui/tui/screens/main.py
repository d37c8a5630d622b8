"""The main screen: search box and code list on the left, detail or comparison on the right.

The screen owns the state (search, current code, pick, comparison, history); widgets only show it.
"""

from __future__ import annotations

from contextlib import suppress

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.reactive import Reactive, reactive, var
from textual.screen import Screen
from textual.timer import Timer
from textual.visual import VisualType
from textual.widgets import Header, Input, Label, Static
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle
from textual.widgets._toast import ToastRack
from textual.widgets._tooltip import Tooltip

from smtp_tui.core import i18n
from smtp_tui.core.display.code import code_document
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Code, Comparison
from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.core.search import CodeView
from smtp_tui.core.text import printable, quoted
from smtp_tui.core.vocabulary import Family
from smtp_tui.tui import drawn
from smtp_tui.tui.history import History, Place
from smtp_tui.tui.terminal_cells import displayed
from smtp_tui.tui.widgets.code_list import CodeList
from smtp_tui.tui.widgets.guards import KeysFollowFocus
from smtp_tui.tui.widgets.key_bar import KeyBar, command
from smtp_tui.tui.widgets.panes import (
    RELATED_KEYS,
    ComparePane,
    DetailPane,
    LinkList,
    PaneColumn,
    PaneRow,
    PaneText,
)
from smtp_tui.tui.widgets.provider_uses import search_with_providers

NARROW = 100
"""Below this many columns the list narrows and a comparison takes the whole width."""
SIDE_BY_SIDE = 110
"""From this many columns on, a comparison shows the two codes side by side."""
SAVE_DELAY = 1.0
"""Seconds after the last keystroke before the search is written to the settings file."""


SHOWING_KEYS: dict[Family | None, str] = {
    None: "ui.showing_all",
    Family.BASIC: "ui.showing_basic",
    Family.ENHANCED: "ui.showing_enhanced",
}
"""What the notification says when the list is switched to a family, or to both (None)."""


class Title(HeaderTitle):
    """The header's title, redrawn without a layout: one line at the header's full width
    whatever it says, and the sub-title changes at each keystroke."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        super().update(content, layout=False)


class TitleBar(Header):
    """Textual's `Header` holding a `Title` (the same icon, title and clock space)."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield Title()
        yield HeaderClockSpace()


def one_line(label: Label, text: str) -> None:
    """Show `text` in `label`, with a layout only when it or the text before may wrap: the
    match count changes at each keystroke, and a layout is the whole screen's."""
    width = label.content_region.width
    longest = max(Content(text).cell_length, Content(str(label.content)).cell_length)
    label.update(text, layout=not width or longest > width)


class SearchBox(KeysFollowFocus, Input):
    """The search field; `down` carries the highlight into the list, like an address bar.

    In `452`, down, `c` typed in one burst, the `c` used to be typed here: `down` moves the focus
    as soon as the box reads it, and keys behind it follow (`KeysFollowFocus`)."""

    BINDINGS = [command("down", "screen.focus_list", "to-list", show=False)]
    HELP_KEY = "help.search"


class MainScreen(Screen[None]):
    """The browser. Each command is one binding: key, id, and through the id its label and
    tooltip in every language."""

    WIDGETS = (
        *(TitleBar, HeaderIcon, Title, HeaderClockSpace),
        *(Vertical, SearchBox, Label, CodeList, PaneRow, PaneColumn),
        *(DetailPane, PaneText, LinkList, ComparePane, Static),
        *(KeyBar, ToastRack, Tooltip),
    )
    """Every class of widget on this screen when it opens: their CSS is parsed once, before the
    screen is first styled (`smtp_tui.tui.stylesheet`)."""

    FOCUS_ACTIONS = ("focus_search", "focus_list")
    """Actions that move the focus: the focused widget acts on their keys at once, so keys
    typed behind them in one burst follow the focus (`guards.KeysFollowFocus`)."""

    BINDINGS = [
        command("slash", "focus_search", "search"),
        command("c", "pick", "pick"),
        command("C", "counterpart", "counterpart"),
        command("f", "cycle_family", "family"),
        command("e", "explain", "explain"),
        command("p", "probe", "screens.probe"),
        command("x", "swap", "swap"),
        command("y", "copy", "copy"),
        command("backspace,alt+left", "back", "back"),
        command("alt+right", "forward", "forward", show=False),
        command("escape", "escape", "escape", show=False),
        command("question_mark,f1", "help", "help"),
        # Hidden: the bar shows ctrl+q, which also works while typing (q types there).
        command("q", "app.quit", "quit", show=False),
        *[
            command(str(n), f"open_related({n})", f"related-{n}", show=False)
            for n in range(1, RELATED_KEYS + 1)
        ],
    ]

    # The screen draws nothing itself: its state is drawn by the widgets its watchers update, so
    # a change need not repaint the whole screen (a frame of its own after each keystroke's).
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    """Textual's, minus the repaint: the `Header` watches it and redraws its own title."""
    search_text: reactive[str] = reactive("", init=False, repaint=False)
    """What the search box holds."""
    current: reactive[Code | None] = reactive(None, init=False, repaint=False)
    """The code the detail pane shows: the highlighted one, or one opened by key or history;
    None at first (the overview) and when nothing matches (the notice)."""
    notice: var[str] = var("", init=False)
    """What the detail pane says when it has no code: why the list is empty."""
    picked: reactive[frozenset[str]] = reactive(frozenset(), init=False, repaint=False)
    """The code waiting for a second pick to be compared (at most one)."""
    comparison: reactive[Comparison | None] = reactive(None, init=False, repaint=False)
    compared: var[Comparison | None] = var(None, init=False)
    """The comparison as the pane shows it: `comparison`, built the other way when swapped."""
    swapped: reactive[bool] = reactive(False, init=False, repaint=False)
    family: reactive[Family | None] = reactive(None, init=False, repaint=False)
    """Which family the list shows: None for both."""

    def __init__(
        self, repository: Repository, codes: tuple[str, ...] = (), search: str = ""
    ) -> None:
        super().__init__()
        self.repository = repository
        self._start = codes
        self._start_search = search
        if codes and codes[0] in repository:
            # Bound before the panes mount, so the detail pane's first picture is this code,
            # not the overview it would show for a moment.
            self.set_reactive(MainScreen.current, repository.get(codes[0]))
        self._save_timer: Timer | None = None
        self.history = History()
        self._pasted = ""
        """What was last in the explain screen: `e` brings it back."""

    def compose(self) -> ComposeResult:
        # Layout classes set before the first styling: setting them later restyles every widget.
        width = self.app.size.width
        self.set_class(width < NARROW, "-narrow")
        # The title and key bars are docked: the screen lays the list and a pane side by side
        # itself, with no container around them to style, lay out and draw (issue 14).
        yield TitleBar()
        with Vertical(id="sidebar"):
            yield SearchBox(placeholder=displayed(_t("ui.search_placeholder")), id="search")
            yield Label("", id="count", markup=False)
            yield CodeList(id="codes")
        yield DetailPane(self.repository, self.BINDINGS, id="detail").data_bind(
            code=MainScreen.current, notice=MainScreen.notice
        )
        stacked = "-stacked" if width < SIDE_BY_SIDE else ""
        yield ComparePane(id="compare", classes=stacked).data_bind(comparison=MainScreen.compared)
        yield KeyBar()

    # ---------------------------------------------------------------------------- start-up

    def on_mount(self) -> None:
        self.call_after_refresh(drawn)  # the collector's pace while starting (`smtp_tui.tui`)
        start = self._start[0] if self._start else None
        if self._start_search:
            # The search of the last run, selected, so typing a new code replaces it rather
            # than appending to it ("452" + "211" must not become "452211").
            self.search_box.value = self._start_search
            self.search_box.select_all()
            self.set_reactive(MainScreen.search_text, self._start_search)
        if start is not None and start not in self.repository:
            # An enhanced code with a class (5.1.1): open on the search that lists it.
            self.search_box.value = start
            self.set_reactive(MainScreen.search_text, start)
        if start is None and not self._start_search:
            # A first screen worth reading: the overview, not whichever code happens to come
            # first; the list still highlights that code, and moving in the list shows codes.
            with self.prevent(CodeList.CodeHighlighted):
                self._show_view(self._search(self.search_text))
        else:
            self._show_view(self._search(self.search_text), keep=start)
        self.search_box.focus()
        if len(self._start) == 2:
            self.call_after_refresh(self.open_comparison, *self._start)
        elif self.current is not None:  # bound from the start, so no change remembers it
            self._remember(Place((self.current.code,)))

    def refresh_language(self) -> None:
        """Re-word everything after a language switch; search, code, comparison and history stay."""
        self.search_box.placeholder = displayed(_t("ui.search_placeholder"))
        current = self.current
        if current is None:
            with self.prevent(CodeList.CodeHighlighted):  # the overview stays
                self._show_view(self._search(self.search_text))
        else:
            self._show_view(self._search(self.search_text), keep=current.code)
        if current is not None:
            with suppress(UnknownCode):  # cannot happen: the codes are the same in every language
                self.set_reactive(MainScreen.current, self.repository.get(current.code))
        # Forced: a new layout of right-to-left text changes no value but every line.
        self.mutate_reactive(MainScreen.current)
        if self.comparison is not None:
            first, second = self.comparison.first.code, self.comparison.second.code
            self.set_reactive(MainScreen.comparison, self.repository.compare(first, second))
            self.set_reactive(MainScreen.compared, self.shown_comparison)
            self.mutate_reactive(MainScreen.compared)
        self.refresh_bindings()

    @property
    def code_list(self) -> CodeList:
        return self.query_one("#codes", CodeList)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def compare_pane(self) -> ComparePane:
        return self.query_one("#compare", ComparePane)

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        """Layout modes as classes; each change restyles the whole screen, so only on a change."""
        narrow, stacked = width < NARROW, width < SIDE_BY_SIDE
        if self.has_class("-narrow") != narrow:
            self.set_class(narrow, "-narrow")
        if self.compare_pane.has_class("-stacked") != stacked:
            self.compare_pane.set_class(stacked, "-stacked")

    # ---------------------------------------------------------------------- state → widgets

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        if self.code_list.highlighted_code is not None:
            self._focus_right()

    def watch_search_text(self, text: str) -> None:
        self._show_view(self._search(text))
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_search)

    def _save_search(self) -> None:
        text = self.search_text.strip()
        if text and (len(text) < 2 or not self.code_list.view):
            # Not a search worth restoring at the next launch: a stray key (the `q` a new user
            # types to quit lands here) or one that found nothing. A cleared box is saved.
            return
        remember = getattr(self.app, "remember", None)
        settings = getattr(self.app, "settings", None)
        if remember is not None and settings is not None:
            remember(settings.with_search(self.search_text))

    def _search(self, text: str) -> CodeView:
        # A provider's name ("microsoft") narrows the list to the codes that provider uses.
        return search_with_providers(self.repository, text, self.family)

    def watch_family(self) -> None:
        keep = self.current.code if self.current else None
        self._show_view(self._search(self.search_text), keep=keep)

    def _show_view(self, view: CodeView, keep: str | None = None) -> None:
        self.code_list.show(view, keep=keep, picked=self.picked)
        count = self.query_one("#count", Label)
        if view:
            one_line(count, view.describe())
            count.remove_class("-empty")
        else:
            shown = quoted(view.query.strip(), limit=40)
            one_line(count, _t("view.none", query=shown))
            count.add_class("-empty")
            self.current = None
            self.notice = _t("ui.no_match", query=shown)
        self.sub_title = view.describe()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Into the list from the overview: the highlighted code is the one to read now."""
        if event.widget is self.code_list and self.current is None and self.comparison is None:
            self.current = self.code_list.highlighted_code

    @on(CodeList.CodeHighlighted)
    def _highlighted(self, event: CodeList.CodeHighlighted) -> None:
        if event.code != self.code_list.highlighted_code:
            # Sent before a keystroke that has since refilled the list (typed fast, `[b`
            # after `[`): the code is no longer highlighted, perhaps no longer listed.
            return
        self.current = event.code

    @on(LinkList.Chosen)
    def _link_chosen(self, event: LinkList.Chosen) -> None:
        self.jump_to(event.code)
        self.detail.focus()

    @on(CodeList.CodeChosen)
    def _chosen(self, event: CodeList.CodeChosen) -> None:
        self.current = event.code
        self._focus_right()

    def watch_current(self, code: Code | None) -> None:
        if code is None:
            return
        if self.comparison is None:
            self._remember(Place((code.code,)))
        self.refresh_bindings()

    def watch_picked(self, picked: frozenset[str]) -> None:
        self.code_list.set_picked(picked)
        self.refresh_bindings()

    def watch_comparison(self, comparison: Comparison | None) -> None:
        self.set_class(comparison is not None, "-comparing")
        if comparison is None:
            self.sub_title = self.code_list.view.describe() if self.code_list.view else ""
            if self.current is not None:
                self._remember(Place((self.current.code,)))
        else:
            self._render_comparison()
        self.refresh_bindings()

    def watch_swapped(self) -> None:
        if self.comparison is not None:
            self._render_comparison()

    @property
    def shown_comparison(self) -> Comparison | None:
        """The comparison as shown and copied: swapped, it is built the other way round, so the
        summary and the differences name the left-hand code first too."""
        comparison = self.comparison
        if comparison is None or not self.swapped:
            return comparison
        return self.repository.compare(comparison.second, comparison.first, as_asked=True)

    def _render_comparison(self) -> None:
        shown = self.shown_comparison
        if shown is None:
            return
        self.compared = shown
        self.sub_title = shown.title
        self._remember(Place((shown.first.code, shown.second.code), self.swapped))

    def _focus_right(self) -> None:
        (self.compare_pane if self.comparison else self.detail).focus()

    # ------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out what cannot run now, so the footer only offers what works."""
        if action == "swap":
            return True if self.comparison is not None else None
        if action in ("pick", "copy"):
            return True if (self.current or self.comparison) else None
        if action == "counterpart":
            has_one = self.current and self.repository.counterpart(self.current)
            return True if has_one else None
        if action == "back":
            return True if self.history.can_go_back else None
        if action == "forward":
            return True if self.history.can_go_forward else None
        return True

    def action_focus_search(self) -> None:
        # At once: keys already on their way to the widget that had the focus are handed on
        # to the search box (`guards.handed_on`), not typed where the focus was.
        self.set_focus(self.search_box)

    def action_focus_list(self) -> None:
        # At once, not after a refresh as `focus()` does: keys already on their way to the
        # search box look at where the focus is (`SearchBox._on_key`).
        self.set_focus(self.code_list)

    def action_pick(self) -> None:
        code = self.current
        if code is None:
            return
        if code.code in self.picked:
            self.picked = frozenset()
            self.notify(_t("ui.unpicked", code=code.code), timeout=2)
            return
        if not self.picked:
            self.picked = frozenset({code.code})
            self.notify(_t("ui.picked", code=code.code), timeout=3)
            return
        (other,) = self.picked
        self.picked = frozenset()
        self.open_comparison(other, code.code)

    def action_counterpart(self) -> None:
        other = self.repository.counterpart(self.current) if self.current else None
        if self.current is not None and other is not None:
            self.open_comparison(self.current.code, other.code)

    def open_comparison(self, first: str, second: str, swapped: bool = False) -> None:
        try:
            comparison = self.repository.compare(first, second)
        except (UnknownCode, ValueError) as error:
            text = error.message if isinstance(error, UnknownCode) else str(error)
            self.notify(printable(text), severity="error", markup=False)
            return
        # The swap is relative to the repository's order (lower code first).
        self.set_reactive(MainScreen.swapped, swapped)
        if self.comparison == comparison:
            self._render_comparison()
        else:
            self.comparison = comparison
        self.compare_pane.focus()

    def action_cycle_family(self) -> None:
        order: list[Family | None] = [None, *Family]
        self.family = order[(order.index(self.family) + 1) % len(order)]
        self.notify(_t(SHOWING_KEYS[self.family]), timeout=2)

    def action_swap(self) -> None:
        if self.comparison is not None:
            self.swapped = not self.swapped

    def action_escape(self) -> None:
        """Walk back one step: comparison, pane, list, search box (clear it), pick, overview."""
        if not self.query("#detail"):
            # A burst of keys can reach the screen while Textual has not composed it yet or is
            # taking it down (seen under load with escape, e, ctrl+p in one burst): nothing to do.
            return
        focused = self.focused
        if self.comparison is not None:
            self.comparison = None
            self.code_list.focus()
        elif focused is self.detail or isinstance(focused, LinkList):
            self.code_list.focus()
        elif focused is self.code_list:
            self.search_box.focus()
        elif self.search_box.value:
            self.search_box.value = ""
            self.search_box.focus()
        elif self.picked:
            self.picked = frozenset()
        elif self.current is not None:
            self.notice = ""
            self.current = None

    def action_copy(self) -> None:
        # Imported on first use: the first screen needs neither (see tests/app/test_startup.py).
        from smtp_tui.core.display.comparison import comparison_document
        from smtp_tui.core.display.markdown import markdown

        shown = self.shown_comparison
        if shown is not None:
            text, what = markdown(comparison_document(shown)), shown.title
        elif self.current is not None:
            code, repo = self.current, self.repository
            document = code_document(code, repo.related(code), repo.counterpart(code))
            text, what = markdown(document), code.code
        else:
            return
        self.app.copy_to_clipboard(text)
        self.notify(i18n.plural("ui.copied", len(text), what=what), timeout=3)

    def action_explain(self) -> None:
        self._open_explain(self._pasted)

    def _open_explain(self, text: str) -> None:
        """The explain screen with `text`; a finding opened from it leaves the screen in the
        history, so back returns to it with the text."""
        from smtp_tui.tui.screens.explain import ExplainScreen

        screen = ExplainScreen(self.repository, text)

        def opened(code: str | None) -> None:
            self._pasted = screen.pasted
            if code is None:
                return
            self._remember(Place((), pasted=self._pasted))
            self.jump_to(code)
            if self.current is not None:  # the same code as before: no change remembered it
                self._remember(Place((self.current.code,)))

        self.app.push_screen(screen, opened)

    def action_help(self) -> None:
        from smtp_tui.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_probe(self) -> None:
        from smtp_tui.tui.screens.probe import ProbeScreen

        self.app.push_screen(ProbeScreen(self.repository))

    def action_open_log(self) -> None:
        from smtp_tui.tui.screens.log import LogScreen

        self.app.push_screen(LogScreen(self.repository))

    def action_open_related(self, number: int) -> None:
        if self.current is None or self.comparison is not None:
            return
        related = self.repository.related(self.current)
        if 1 <= number <= len(related):
            self.jump_to(related[number - 1].code)

    def jump_to(self, code: str) -> None:
        """Show `code`, clearing the search if the list does not hold it; leave any comparison."""
        try:
            target = self.repository.get(code)
        except UnknownCode as error:
            self.notify(printable(error.message), severity="error", markup=False)
            return
        self.comparison = None
        if not self.code_list.select_code(target.code):
            # Not in the list: show everything, or the search that shows it (5.1.1 is X.1.1 with
            # a class, so only a search for it lists it under that name).
            listed = target.code in self.repository
            text = "" if listed else target.code
            with self.prevent(Input.Changed):
                self.search_box.value = text
            self.set_reactive(MainScreen.search_text, text)
            self._show_view(self._search(text), keep=target.code)
        self.current = target

    # ------------------------------------------------------------------------------ history

    def _remember(self, place: Place) -> None:
        if self.history.remember(place):
            self.refresh_bindings()

    def _travel(self, step: int) -> None:
        place = self.history.step(step)
        if place is None:
            return
        with self.history.travelling():
            if place.pasted is not None:
                self._open_explain(place.pasted)
            elif len(place.codes) == 2:
                self.open_comparison(*place.codes, swapped=place.swapped)
            else:
                self.jump_to(place.codes[0])
        self._pasted = ""
        self.refresh_bindings()

    def action_back(self) -> None:
        self._travel(-1)

    def action_forward(self) -> None:
        self._travel(+1)
