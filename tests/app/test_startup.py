"""What the browser's first screen loads (issue 14): the screens, scanner and parsers behind a
key or a command are imported when first used, not before the first frame. Checked in a fresh
interpreter, since the test run itself has imported everything."""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST_SCREEN = """
import sys
from smtp_tui.core.loading import load
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen

mounted = MainScreen.on_mount

def on_mount(self):
    mounted(self)
    self.call_after_refresh(first_frame, self.app)

def first_frame(app):
    import gc
    print("frozen:", gc.get_freeze_count(), file=sys.stderr)
    print("loaded:", ",".join(sorted(sys.modules)), file=sys.stderr)
    app.exit()

MainScreen.on_mount = on_mount
SmtpTuiApp(load(), codes={codes!r}).run(headless=True, size=(120, 40))
"""

NOT_FOR_THE_FIRST_SCREEN = (
    "smtp_tui.tui.screens.explain",
    "smtp_tui.tui.screens.probe",
    "smtp_tui.tui.screens.log",
    "smtp_tui.tui.screens.help",
    "smtp_tui.tui.screens.palette",
    "smtp_tui.core.scanner",
    "smtp_tui.core.diagnosis",
    "smtp_tui.core.probe",
    "smtp_tui.core.maillog",
    "smtp_tui.core.providers",
    "smtp_tui.core.display.comparison",
    "smtp_tui.core.display.markdown",
    "email",
    "tomllib",
)
"""Each behind a key, a command or a comparison; `email` is the scanner's header parser, the
providers' module their TOML parser (the browser reads their cached index); tomllib, a run
without a warm cache's."""


@pytest.mark.parametrize("codes", [(), ("452",)], ids=["overview", "452"])
def test_the_first_screen_loads_only_what_it_shows(codes: tuple[str, ...]) -> None:
    """Run twice: the first run parses the data and writes the caches the second one reads."""
    script = FIRST_SCREEN.format(codes=codes)
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
    line = next(x for x in result.stderr.splitlines() if x.startswith("loaded: "))
    loaded = line.removeprefix("loaded: ").split(",")
    assert "smtp_tui.tui.widgets.panes" in loaded  # the probe saw the first screen
    unwanted = [
        name
        for name in loaded
        if any(name == lazy or name.startswith(f"{lazy}.") for lazy in NOT_FOR_THE_FIRST_SCREEN)
    ]
    assert unwanted == []


def test_start_up_freezes_what_lives_as_long_as_the_browser() -> None:
    """Textual and our modules are frozen for the collector when the browser is imported, so
    no full collection scans them again (about a tenth of the time to the first screen)."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN.format(codes=("452",))],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("frozen: "))
    assert int(line.removeprefix("frozen: ")) > 10_000


COLLECTOR = """
import asyncio, gc
usual = gc.get_threshold()
from smtp_tui.tui import START_THRESHOLD
print("importing:", gc.get_threshold()[0] == START_THRESHOLD)
from smtp_tui.core.loading import load
from smtp_tui.tui.app import SmtpTuiApp

async def main():
    app = SmtpTuiApp(load(), codes=("452",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print("drawn:", gc.get_threshold() == usual)

asyncio.run(main())
"""


def test_the_collector_runs_slowly_only_until_the_first_screen_is_drawn() -> None:
    """Slow while Textual is imported and the first screen drawn (8-10 ms of start-up), then at
    its usual pace for the rest of the session."""
    result = subprocess.run(
        [sys.executable, "-c", COLLECTOR], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["importing:", "True", "drawn:", "True"]
