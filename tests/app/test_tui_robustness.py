"""Ordinary keys never crash the browser: races and missing guards, some inside Textual 8.2.8.

Keys typed in one burst (a paste, key repeat, a fast typist) reach the app before it has
settled; `burst` sends them the way a terminal does, without waiting between them.
"""

from __future__ import annotations

import asyncio
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest
from textual import events
from textual.binding import Binding
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.help import HelpScreen
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.panes import LinkList


def burst(app: SmtpTuiApp, *keys: str) -> None:
    """Queue `keys` at once, as a terminal delivers a paste, instead of one per idle app."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)


def showing(app: SmtpTuiApp) -> str | None:
    """The code on the main screen's detail pane (None when it shows none)."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen.current.code if screen.current else None


async def answers_a_typed_code(app: SmtpTuiApp, pilot: Pilot[None], code: str) -> None:
    """Back to the main screen, `/` and `code`: the pane must show it."""
    for _ in range(4):
        if isinstance(app.screen, MainScreen):
            break
        await pilot.press("escape")
        await pilot.pause(0.2)
    await pilot.press("escape", "slash", "home", "ctrl+k", *code)
    await pilot.pause()
    assert showing(app) == code


@pytest.mark.parametrize("size", [(38, 5), (38, 3), (10, 10), (1, 1)])
@pytest.mark.parametrize("key", ["pagedown", "pageup"])
async def test_paging_a_list_with_no_room_does_nothing(
    repo: Repository, size: tuple[int, int], key: str
) -> None:
    """Item 5: 452, enter, tab, then shrink the window and page the related codes."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"452", "enter", "tab")
        await pilot.pause()
        assert isinstance(app.focused, LinkList)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.return_code is None
        assert showing(app) == "452"


@pytest.mark.parametrize("key", ["pagedown", "pageup"])
async def test_paging_the_palette_right_after_opening(repo: Repository, key: str) -> None:
    """Item 6: the palette's list has no height until its first results are shown."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        burst(app, "ctrl+p", key)
        await pilot.pause(0.3)
        assert app.return_code is None
        burst(app, "escape")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize("enters", [2, 3, 5])
async def test_a_burst_of_enter_in_the_palette_opens_the_code_once(
    repo: Repository, enters: int
) -> None:
    """Item 7: each enter asked the palette to close; the second closed the main screen."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"452")
        await pilot.pause(0.3)  # the results are in
        burst(app, *["enter"] * enters)
        await pilot.pause(0.3)
        assert app.return_code is None
        assert [type(screen) for screen in app.screen_stack][1:] == [MainScreen]
        assert showing(app) == "452"


async def test_enters_queued_in_the_palette_run_its_command_once(repo: Repository) -> None:
    """Two enters that reach the palette's input before the palette handles the first: each
    ran the chosen command (two help screens for one "Keys")."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"keys")
        await pilot.pause(0.3)
        assert "Keys" in str(app.screen.query_one(CommandList).highlighted_option.prompt)
        field = app.screen.query_one(Input)
        for _ in range(2):
            field.post_message(Input.Submitted(field, field.value))
        await pilot.pause(0.3)
        assert [type(screen) for screen in app.screen_stack][1:] == [MainScreen, HelpScreen]


@pytest.mark.parametrize("seed", range(4))
async def test_the_palette_typed_in_one_burst(repo: Repository, seed: int) -> None:
    """Item 7 as reported: `ctrl+p 4 5 2 enter enter` as one paste. Where the keys land depends
    on how far the palette has opened; whatever happens, nothing breaks and the browser answers."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.05 * seed)
        burst(app, "ctrl+p", *"452", "enter", "enter", "enter")
        await pilot.pause(0.5)
        assert app.return_code is None
        assert MainScreen in [type(screen) for screen in app.screen_stack]
        await answers_a_typed_code(app, pilot, "221")


async def test_a_burst_of_escape_closes_only_the_screens_on_top(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab")
        burst(app, "f1", "escape", "e", "escape", "escape", "ctrl+p", "escape", "escape")
        # Each screen opens and closes in its own time; a loaded machine takes longer to get
        # through the burst, so wait for the stack to come back (a few seconds at most).
        for _ in range(30):
            await pilot.pause(0.1)
            if isinstance(app.screen, MainScreen) and len(app.screen_stack) == 2:
                break
        assert app.return_code is None
        assert isinstance(app.screen, MainScreen)


async def test_a_burst_of_enter_on_a_finding_opens_it_once(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "e")
        await pilot.pause()
        await pilot.press(*"550 5.1.1 x")
        await pilot.pause(0.5)
        findings = app.screen.query_one("#findings", OptionList)
        findings.focus()
        burst(app, "enter", "enter", "enter")
        await pilot.pause(0.5)
        assert app.return_code is None
        assert isinstance(app.screen, MainScreen)
        assert showing(app) in {"550", "5.1.1"}


CRASHING_BROWSER = """
import sys
from smtp_tui import console
from smtp_tui.tui.screens.main import MainScreen

def crash(self):
    raise RuntimeError("a bug in a handler")

MainScreen.on_mount = crash
sys.exit(console.main([]))
"""


def test_the_browser_exits_non_zero_after_an_unhandled_exception(tmp_path: Path) -> None:
    """Textual prints the traceback and returns from `run()` normally; the exit status must still
    tell a script or a terminal multiplexer that it crashed. Run in a real terminal (a pty)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the browser, on the pty
        os.environ.update(SMTP_TUI_CONFIG_DIR=str(tmp_path), TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, "-c", CRASHING_BROWSER])
    output = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if b"\x1b[6n" in chunk:  # Textual asks where the cursor is; answer as a terminal does
                os.write(fd, b"\x1b[1;1R")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert b"a bug in a handler" in output
    assert os.waitstatus_to_exitcode(status) == 1


def contract_keys() -> list[str]:
    """Every key bound on every screen of the browser, plus the keys every widget answers."""
    from smtp_tui.tui.screens.explain import ExplainScreen
    from smtp_tui.tui.screens.main import SearchBox

    keys = {"ctrl+p", "enter", "escape", "tab", "shift+tab", "backspace", "delete"}
    keys |= {"up", "down", "left", "right", "pageup", "pagedown", "home", "end", "space"}
    for owner in (MainScreen, SearchBox, ExplainScreen, HelpScreen, SmtpTuiApp):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            keys |= set(binding.key.split(","))
    return sorted(keys)


PASTES = [
    "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
    "452 4.2.2 Mailbox full\n421 4.7.0 [192.0.2.1] try again later [/b] [red]x",
    "\x1b[31mred\x07 \x00 ‮ 5.7.26 日本語",
    "250 OK\n" * 200,
]
"""What `e` then a paste brings: replies, markup-like brackets, escapes and controls, bulk."""

SIZES = [(1, 1), (2, 3), (10, 5), (20, 10), (38, 24), (40, 12), (80, 24), (120, 40), (300, 100)]


async def mash(app: SmtpTuiApp, pilot: Pilot[None], seed: int, steps: int) -> int:
    """`steps` random turns of a user: a few keys at once (typed fast, or a key held down), a
    paste, or a resize; the app settles between turns. Returns how many keys were sent."""
    import random

    rng = random.Random(seed)
    keys = contract_keys()
    sent = 0
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.08:
            await pilot.resize_terminal(*rng.choice(SIZES))
        elif roll < 0.13:
            driver = app._driver
            assert driver is not None
            driver.send_message(events.Paste(rng.choice(PASTES)))
        elif roll < 0.23:
            word = rng.choice(["452", "5.1.1", "mailbox full", "4xx", "zz", "[/"])
            burst(app, *word)
            sent += len(word)
        else:
            chosen = rng.choices(keys, k=rng.randint(1, 8))
            burst(app, *chosen)
            sent += len(chosen)
        await pilot.pause()
        assert app.return_code is None, f"crashed (seed {seed})"
    await pilot.pause(0.3)
    return sent


class StayingApp(SmtpTuiApp):
    """The browser with quitting counted instead of done (q, ctrl+q, the palette's Quit), so
    random keys can include them and the run goes on."""

    quits = 0

    async def action_quit(self) -> None:
        self.quits += 1


async def mash_then_ask(repo: Repository, seed: int, steps: int) -> None:
    app = StayingApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await mash(app, pilot, seed, steps) >= 3 * steps
        await pilot.resize_terminal(80, 24)
        screen = app.screen_stack[1]
        assert isinstance(screen, MainScreen)
        # f may have left only one family in the list: ask for a code of a family it shows.
        await answers_a_typed_code(app, pilot, "5.1.1" if screen.family == "enhanced" else "452")


@pytest.mark.parametrize("seed", range(3))
async def test_random_contract_keys_and_resizes(repo: Repository, seed: int) -> None:
    """Item 8: hundreds of random keys of the whole contract, bursts, pastes, resizes from 1x1 to
    300x100; nothing breaks and the browser still answers `/` and a typed code. About 2 s of
    CPU per seed (bounded for `make test`); the slow variant runs longer and wider."""
    await mash_then_ask(repo, seed, steps=60)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 102))
async def test_random_contract_keys_and_resizes_at_length(repo: Repository, seed: int) -> None:
    """Two seeds of 200 turns (about 900 keys each), about 16 s each: `make test` runs them
    on a worker of their own; `pytest -m "not slow"` leaves them out of a quick run."""
    await mash_then_ask(repo, seed, steps=200)


IDLE_SIZES = [(1, 1), (10, 5), (20, 10), (38, 24), (80, 24)]


@pytest.mark.parametrize(
    "setup",
    [("f1",), ("tab", "e"), ("2", "1", "1", "down", "c", "escape", "4", "5", "2", "down", "c")],
    ids=["help", "explain", "compare"],
)
async def test_an_idle_screen_stops_laying_itself_out(
    repo: Repository, monkeypatch: pytest.MonkeyPatch, setup: tuple[str, ...]
) -> None:
    """At any size, a screen left alone settles: a scrollbar that appears, squeezes the text
    until it is not needed and goes, sixty times a second, kept a core busy (the help at 10x5).
    Counted, not timed: layouts in a quarter second of doing nothing."""
    from textual.screen import Screen

    layouts = 0
    lay_out = Screen._refresh_layout

    def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
        nonlocal layouts
        layouts += 1
        lay_out(self, *args, **kwargs)  # type: ignore[arg-type]

    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*setup)
        await pilot.pause()
        for size in IDLE_SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            layouts = 0
            monkeypatch.setattr(Screen, "_refresh_layout", counted)
            await asyncio.sleep(0.25)
            monkeypatch.setattr(Screen, "_refresh_layout", lay_out)
            assert layouts <= 3, f"{size}: {layouts} layouts while idle"


async def test_keys_after_down_in_one_burst_reach_the_list(repo: Repository) -> None:
    """`452`, down, `c` typed faster than the app reads them: Textual hands every key to the
    widget focused when it reads it, before the search box has acted on `down`, so the `c` was
    typed into the search ("452c", nothing found) instead of picking 452 in the list."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        burst(app, "4", "5", "2", "down", "c")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.search_box.value == "452"
        assert screen.focused is screen.code_list
        assert screen.picked == frozenset({"452"})


async def typed_slowly(repo: Repository, start: tuple[str, ...]) -> str:
    """What `/` and `mailbox` leave in the search, typed a key at a time."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*start[0], *start[1:], "slash", *"mailbox")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        return screen.search_box.value


@pytest.mark.parametrize(
    "start", [("452", "down"), ("452", "down", "enter")], ids=["from-list", "from-pane"]
)
async def test_keys_after_slash_in_one_burst_reach_the_search(
    repo: Repository, start: tuple[str, ...]
) -> None:
    """`/` and a word typed faster than the app reads them, from the list or the pane: the
    keys after `/` were handed to the widget that had the focus, and lost there."""
    expected = await typed_slowly(repo, start)
    assert "mailbox" in expected
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*start[0], *start[1:])
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.focused is not screen.search_box
        burst(app, "slash", *"mailbox")
        await pilot.pause(0.3)
        assert screen.focused is screen.search_box
        assert screen.search_box.value == expected
        await pilot.press("slash")  # in the search box, `/` is typed like any character
        assert screen.search_box.value == expected + "/"
