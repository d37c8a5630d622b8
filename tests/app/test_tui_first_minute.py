"""What a new user meets in the first minute: the way out, help, swapping, and the way back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from smtp_tui.core import i18n
from smtp_tui.core.repository import Repository
from smtp_tui.core.settings import load_settings
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.explain import ExplainScreen
from smtp_tui.tui.screens.main import SAVE_DELAY, MainScreen
from smtp_tui.tui.widgets.key_bar import KeyBar


def bar_text(app: SmtpTuiApp) -> str:
    return str(app.screen.query_one(KeyBar).content)


async def states(app: SmtpTuiApp, pilot: object) -> dict[str, str]:
    """The key bar in each state a new user passes through."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    seen = {"typing": bar_text(app)}
    await pilot.press("down")
    await pilot.pause()
    seen["list"] = bar_text(app)
    await pilot.press("enter")
    await pilot.pause()
    seen["pane"] = bar_text(app)
    await pilot.press("escape", "c", "down", "c")
    await pilot.pause()
    assert isinstance(app.screen, MainScreen) and app.screen.comparison is not None
    seen["comparison"] = bar_text(app)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExplainScreen)
    seen["explain"] = bar_text(app)
    return seen


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (38, 24), (20, 10)])
async def test_the_key_bar_always_shows_how_to_quit(
    repo: Repository, size: tuple[int, int]
) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for state, text in (await states(app, pilot)).items():
            assert "^q Quit" in text, f"{state} at {size}: {text!r}"
            assert cell_len(text) <= size[0] and "…" not in text, f"{state}: cut"


async def test_at_80_columns_the_important_keys_come_first(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = await states(app, pilot)
    assert " f1 Help " in seen["typing"] and " ^p palette " in seen["typing"]
    for state in ("list", "pane", "comparison"):
        assert " ? Help " in seen[state] and " / Search " in seen[state], state
    assert " x Swap " in seen["comparison"]
    assert " esc Back " in seen["explain"]


async def test_a_stray_q_is_not_remembered_as_the_search(
    repo: Repository, _private_config: Path
) -> None:
    """A new user types q to quit: it lands in the search box (that is typing), but it is not
    brought back at the next launch; a real search is."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"452")
        await pilot.pause(SAVE_DELAY + 0.3)
        assert load_settings(_private_config)[0].last_search == "452"
        await pilot.press("escape", "q")
        await pilot.pause(SAVE_DELAY + 0.3)
        assert app.screen.query_one(Input).value == "q"
    # escape cleared the search: that is saved when the q comes later than the pause before a
    # save (a loaded machine), and not otherwise; the stray q itself never is.
    assert load_settings(_private_config)[0].last_search in ("452", "")


def readme_keys(where: str) -> list[str]:
    """The keys the README's key table says work `where` (the start of its "Where" column)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    table = readme.split("### Keys", 1)[1].split("\n\n", 2)[1]
    keys = []
    for row in table.splitlines()[2:]:
        key_column, where_column = row.split(" | ")[:2]
        if where_column.startswith(where):
            keys += re.findall(r"`([^`]+)`", key_column)
    return keys


def test_the_readme_says_anywhere_only_of_keys_that_work_while_typing() -> None:
    """A printable key types into the search box and the paste area, so it cannot be "anywhere"
    (the README said so of `?`, `/` and `y`)."""
    anywhere = readme_keys("anywhere")
    assert "f1" in anywhere and "ctrl+q" in anywhere
    assert [key for key in anywhere if len(key) == 1] == []


@pytest.mark.parametrize("screen", ["search", "explain"])
async def test_f1_opens_help_while_typing(repo: Repository, screen: str) -> None:
    from smtp_tui.tui.screens.help import HelpScreen

    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        if screen == "explain":
            await pilot.press("tab", "e")
        await pilot.press(*"45?")
        await pilot.pause()
        assert " f1 Help " in bar_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        if screen == "explain":
            assert app.screen.query_one(TextArea).text == "45?"
        else:
            assert app.screen.query_one(Input).value == "45?"


def compare_text(app: SmtpTuiApp) -> str:
    from smtp_tui.tui.widgets.panes import ComparePane

    pane = app.screen.query_one(ComparePane)
    return "\n".join(str(static.content) for static in pane.query("Static"))


async def test_x_swaps_the_whole_comparison_and_what_y_copies(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 19: x swapped the columns, but the summary, the differences and the copy kept the
    first order."""
    copied: list[str] = []
    monkeypatch.setattr(SmtpTuiApp, "copy_to_clipboard", lambda self, text: copied.append(text))
    asked = repo.compare("452", "211", as_asked=True)
    assert asked.first.code == "452" and asked.summary != repo.compare("211", "452").summary
    app = SmtpTuiApp(repo, codes=("211", "452"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("x", "y")
        await pilot.pause()
        text = compare_text(app)
        assert text.startswith("452 vs 211")
        assert asked.summary in text
        assert asked.key_differences[0] in text
        assert text.index("452  ") < text.index("211  ")  # the columns: 452 on the left
        summary = i18n.text("heading.summary")
        assert copied[-1].startswith(f"# 452 vs 211\n\n## {summary}\n\n{asked.summary}\n")
        assert asked.key_differences[0] in copied[-1]
        await pilot.press("x", "y")
        await pilot.pause()
        assert compare_text(app).startswith("211 vs 452")
        assert copied[-1].startswith("# 211 vs 452\n")


def test_a_comparison_as_asked_keeps_the_order_of_either_family(repo: Repository) -> None:
    for first, second in (("452", "211"), ("5.2.2", "4.2.2")):
        asked = repo.compare(first, second, as_asked=True)
        assert (asked.first.code, asked.second.code) == (first, second)
        assert asked.title == f"{first} vs {second}"
        assert asked.key_differences[0].index(first) < asked.key_differences[0].index(second)
        assert repo.compare(first, second).first.code == second  # lower first by default


BOUNCE = "RCPT TO:<nobody@example.com>\n550 5.1.1 <nobody@example.com>: Recipient address rejected"


async def open_a_finding(app: SmtpTuiApp, pilot: Pilot[None]) -> None:
    """`e`, paste the bounce, and open its first finding."""
    await pilot.press("tab", "e")
    await pilot.pause()
    assert isinstance(app.screen, ExplainScreen)
    app.screen.query_one(TextArea).insert(BOUNCE)
    await pilot.pause(0.6)  # the scan runs a moment after the last change
    await pilot.press("tab", "enter")
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)
    assert app.screen.current is not None and app.screen.current.code in {"550", "5.1.1"}


@pytest.mark.parametrize("key", ["backspace", "e"])
async def test_after_opening_a_finding_the_pasted_text_comes_back(
    repo: Repository, key: str
) -> None:
    """Item 20: back (or e) after a finding shows the explain screen with the text still in it."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_a_finding(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        assert app.screen.query_one(TextArea).text == BOUNCE
        assert app.screen.query_one("#findings", OptionList).option_count >= 1


async def test_back_and_forward_through_a_finding(repo: Repository) -> None:
    """The explain screen is a place in the history: back to it, then open another finding,
    then back again; escape from it returns to the code, and forward goes to the code again."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_a_finding(app, pilot)
        opened = app.screen.current
        await pilot.press("backspace")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.current == opened
        await pilot.press("alt+right")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.current == opened
