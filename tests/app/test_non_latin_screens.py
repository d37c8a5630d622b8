"""Non-Latin screens, tested by the cells a terminal shows: the real app in tmux, read back.

SVG snapshots size text by code points (CJK squashed, Arabic shaped by the browser that views
them), so they guard pictures no user sees; they stay for Latin scripts (test_snapshots.py).
Here the browser runs in tmux at a fixed size and we assert layout facts on ``capture-pane``:
the key bar shows whole labels (then an ellipsis), each divider stands in one column on every
row, and the summary's text arrives whole, no character lost at a line's end.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.geometry import Region

from smtp_tui.core import i18n
from smtp_tui.core.cells import cell_len
from smtp_tui.core.line_breaking import NO_LINE_START
from smtp_tui.core.repository import Repository
from smtp_tui.core.rtl import shape, visual_order
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.widgets.panes import ComparePane

SCROLLBAR = "▁▂▃▄▅▆▇█▔ "
LIST_EDGE = "▕"
"""The code list's right border (Textual's `tall` border)."""
CODES_DIVIDER = "▏"
"""The line between the two codes of a comparison (`vkey` border)."""


class Terminal:
    """The browser in a private tmux server, at a fixed size."""

    def __init__(
        self, tmp_path: Path, lang: str, width: int, height: int, rtl: str = "logical"
    ) -> None:
        if shutil.which("tmux") is None:
            pytest.skip("tmux is not installed")
        # A socket of our own, named short: a socket path under tmp_path can pass the 107
        # characters Unix allows.
        socket = f"smtp-tui-test-{os.getpid()}-{time.monotonic_ns()}"
        self.tmux = ["tmux", "-u", "-L", socket, "-f", os.devnull]
        # Textual takes COLUMNS and LINES over the terminal's size, and pytest-xdist's workers
        # have them (80x24): the app must see the size of tmux's window.
        env = {
            name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")
        }
        env |= {
            "LC_ALL": "C.UTF-8",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "SMTP_TUI_RTL": rtl,
        }
        command = [sys.executable, "-m", "smtp_tui", "211", "452", "--lang", lang]
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run([*self.tmux, "new-session", "-d", *size, *command], check=True, env=env)

    def screen(self, showing: str) -> list[str]:
        """The rows once `showing` is on screen and two reads 0.2 s apart agree."""
        deadline = time.monotonic() + 30
        previous: list[str] = []
        while time.monotonic() < deadline:
            rows = self._capture()
            if rows == previous and any(showing in row for row in rows):
                return rows
            previous = rows
            time.sleep(0.2)
        raise AssertionError("the screen never settled:\n" + "\n".join(previous))

    def resize(self, width: int, height: int) -> None:
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run([*self.tmux, "resize-window", *size], check=True)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)

    def _capture(self) -> list[str]:
        result = subprocess.run(
            [*self.tmux, "capture-pane", "-p"], capture_output=True, text=True, check=False
        )
        return result.stdout.splitlines()


def columns_of(rows: list[str], mark: str) -> set[int]:
    """The cells at which `mark` stands, over all rows (each row measured as the terminal did)."""
    return {cell_len(row[:at]) for row in rows for at, char in enumerate(row) if char == mark}


def summary_rows(rows: list[str], heading: str) -> list[str]:
    """The summary as the pane shows it: the rows under its heading, up to the blank row."""
    start = next(n for n, row in enumerate(rows) if row.rstrip().endswith(heading)) + 1
    shown = []
    for row in rows[start:]:
        text = row.split(LIST_EDGE)[-1].rstrip(SCROLLBAR).strip()
        if not text:
            break
        shown.append(text)
    return shown


def check_key_bar(rows: list[str], width: int) -> None:
    bar = rows[-1].rstrip()
    palette = i18n.active().text("ui.palette")
    assert bar.endswith(" …") or bar.endswith(palette), bar  # whole labels, never cut short
    assert cell_len(bar) <= width
    search = f"/ {i18n.active().text('binding.search')}"
    assert search in bar and not any(search in row for row in rows[:-1])


@pytest.mark.parametrize("lang", ["hi", "ja", "zh-Hans", "ko", "th", "ar"])
def test_compare_in_a_terminal_keeps_its_layout(
    tmp_path: Path, repo: Repository, lang: str
) -> None:
    repo.show_in(lang)
    i18n.use(lang)
    summary = repo.compare("211", "452").summary
    heading = i18n.active().text("heading.summary")
    terminal = Terminal(tmp_path, lang, 120, 40)
    try:
        wide = terminal.screen(showing=CODES_DIVIDER)
        terminal.resize(80, 24)
        time.sleep(0.3)
        narrow = terminal.screen(showing=heading)
    finally:
        terminal.close()

    check_key_bar(wide, 120)
    check_key_bar(narrow, 80)
    body = wide[1:-1]
    assert columns_of(body, LIST_EDGE) == {41}
    assert sum(LIST_EDGE in row for row in body) == len(body)
    assert len(columns_of(body, CODES_DIVIDER)) == 1
    assert sum(CODES_DIVIDER in row for row in body) > 20
    if lang == "ar":
        return  # in logical order tmux shows Arabic reversed: read in the visual test below
    for rows in (wide, narrow):
        shown = summary_rows(rows, heading)
        assert "".join("".join(shown).split()) == "".join(summary.split())  # nothing clipped
        if lang not in ("ja", "zh-Hans"):
            assert " ".join(shown).split() == summary.split()  # no word cut at a line's end


def rendered_lines(app: SmtpTuiApp) -> list[list[str]]:
    """Each of the comparison pane's texts, as the lines it renders."""
    pane = app.screen.query_one(ComparePane)
    texts = []
    for static in pane.query("Static"):
        strips = static.render_lines(Region(0, 0, static.size.width, static.size.height))
        texts.append([strip.text.rstrip() for strip in strips])
    return texts


@pytest.mark.parametrize("lang", ["ja", "zh-Hans"])
async def test_cjk_lines_break_where_their_rules_allow(repo: Repository, lang: str) -> None:
    repo.show_in(lang)
    i18n.use(lang)
    app = SmtpTuiApp(repo, codes=("211", "452"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        texts = rendered_lines(app)
        width = app.screen.query_one("#compare-summary").size.width
    assert sum(len(lines) for lines in texts) > 40
    for lines in texts:
        for line, after in itertools.pairwise(lines):
            if not after:
                continue
            assert after.lstrip()[0] not in NO_LINE_START, (line, after)
            assert not (line[-1:].isdigit() and after[0].isdigit()), (line, after)
    summary = texts[0][3:]  # the title, a blank line, the heading, then one paragraph
    assert len(summary) > 3
    for line, after in itertools.pairwise(summary):
        if after:  # no half-empty lines: a line ends only where the next piece would not fit
            assert cell_len(line) + cell_len(after[:2]) > width - 2, (line, after)


ARABIC_LETTERS = re.compile("[\u0621-\u064a]")
"""Arabic letters as stored: a terminal without bidi shows them unjoined and reversed."""


def test_arabic_reads_right_to_left_in_a_terminal_without_bidi(
    tmp_path: Path, repo: Repository
) -> None:
    """tmux does no bidi and no shaping: in visual mode every Arabic word is drawn joined, its
    letters already in the order the eye reads them, and Arabic paragraphs sit on the right."""
    repo.show_in("ar")
    i18n.use("ar")
    heading = i18n.active().text("heading.summary")
    drawn_heading = visual_order(shape(heading))[0]
    terminal = Terminal(tmp_path, "ar", 120, 40, rtl="visual")
    try:
        rows = terminal.screen(showing=drawn_heading)
    finally:
        terminal.close()
    screen = "\n".join(rows)
    assert not ARABIC_LETTERS.search(screen), "Arabic left in logical order"
    # The heading stands at the right edge of the pane, where a right-to-left reader starts.
    row = next(row for row in rows if drawn_heading in row)
    assert row.rstrip(SCROLLBAR).endswith(drawn_heading)
    # Each Arabic word of the summary is on screen, joined and reversed for the eye.
    summary = repo.compare("211", "452").summary
    words = [word for word in re.findall(r"[\u0621-\u064a\u064b-\u0652]+", summary)]
    assert len(words) > 10
    for word in words:
        assert shape(word)[::-1] in screen, word
    bar = rows[-1]
    assert visual_order(shape("/ " + i18n.active().text("binding.search")))[0] in bar
