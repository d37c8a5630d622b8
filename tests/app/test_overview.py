"""The first screen: an overview built without Textual, shown until the user picks a code."""

from __future__ import annotations

import subprocess
import sys

from smtp_tui.core import i18n
from smtp_tui.core.model import ReplyCode
from smtp_tui.core.overview import COMMON_CODES, overview
from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen


def test_the_classes_are_counted_from_the_repository(repo: Repository) -> None:
    about = overview(repo)
    replies = [code for code in repo.all if isinstance(code, ReplyCode)]
    assert [line.label for line in about.reply_classes] == ["2xx", "3xx", "4xx", "5xx"]
    for line in about.reply_classes:
        count = sum(1 for code in replies if code.code[0] == line.label[0])
        assert line.counted == f"{count} reply codes", line
    assert [line.label for line in about.status_classes] == ["2.X.X", "4.X.X", "5.X.X"]
    registry = sum(1 for code in repo.all if code.code.startswith("X."))
    assert f"{registry} enhanced codes" in about.registry


def test_the_common_codes_are_the_repository_s_own(repo: Repository) -> None:
    about = overview(repo)
    assert tuple(code.code for code in about.common) == COMMON_CODES
    assert about.common[COMMON_CODES.index("5.1.1")] == repo.get("5.1.1")


def test_the_overview_speaks_the_interface_language(repo: Repository) -> None:
    english = overview(repo)
    i18n.use("de")
    repo.show_in("de")
    i18n.use("de")
    try:
        german = overview(repo)
    finally:
        i18n.use(i18n.DEFAULT)
        repo.show_in(i18n.DEFAULT)
        i18n.use(i18n.DEFAULT)
    assert german.title != english.title and "Blick" in german.title
    assert german.reply_classes[2].counted == english.reply_classes[2].counted.replace(
        "reply codes", "Antwortcodes"
    )


def test_the_overview_loads_no_textual() -> None:
    check = (
        "import sys; from smtp_tui.core.loading import load;"
        "from smtp_tui.core.overview import overview; overview(load());"
        "print(any(n.startswith(('textual', 'rich')) for n in sys.modules))"
    )
    command = [sys.executable, "-c", check]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def pane_text(app: SmtpTuiApp) -> str:
    return str(app.screen.query_one("#detail-body").content) + str(
        app.screen.query_one("#detail-more").content
    )


async def test_the_browser_opens_on_the_overview(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = pane_text(app)
        assert shown.startswith("SMTP reply codes at a glance")
        for needle in ("RFC 5321 §4.2", "4xx Transient Negative Completion", "5.X.X"):
            assert needle in shown
        # The three keys, by the keys the screen binds and their own labels.
        assert " /  Search" in shown and " e  Explain" in shown and " ?  Help" in shown
        links = app.screen.query_one("#links")
        rows = [str(links.get_option_at_index(i).prompt) for i in range(links.option_count)]
        assert rows[0] == "Codes you will meet most" and rows[1].startswith("250 ")
        assert any(row.startswith("5.1.1 ") for row in rows)


async def test_a_common_code_opens_from_the_overview(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        links = app.screen.query_one("#links")
        links.focus()
        links.highlighted = 1 + COMMON_CODES.index("452")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.current is not None and screen.current.code == "452"


async def test_a_code_on_the_command_line_is_shown_first(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#detail-body").content).startswith("452  ")
        assert not app.screen.query_one("#detail-more").display


async def test_escape_walks_back_to_the_overview(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"452")
        await pilot.pause()
        assert str(app.screen.query_one("#detail-body").content).startswith("452  ")
        await pilot.press("escape")  # clears the search
        await pilot.pause()
        await pilot.press("escape")  # and then back to the overview
        await pilot.pause()
        assert pane_text(app).startswith("SMTP reply codes at a glance")


async def test_a_search_typed_fast_that_finds_nothing_says_so(repo: Repository) -> None:
    from tests.app.test_tui_robustness import burst

    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, *"[bold]xyz")  # `[` lists 501, then nothing matches
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.current is None
        assert str(screen.query_one("#detail-body").content).startswith("No code matches")


async def test_the_overview_stays_through_a_language_switch(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.set_language("de")
        await pilot.pause()
        assert pane_text(app).startswith("SMTP-Antwortcodes auf einen Blick")
        assert "Antwortcodes" in pane_text(app)
