"""Right-to-left text: shaped and reordered per line for terminals that do neither."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest
from bidi.algorithm import get_display
from textual.geometry import Region

from smtp_tui.core import i18n
from smtp_tui.core.repository import Repository
from smtp_tui.core.rtl import RtlMode, choose_mode, shape, shape_with_map, visual_order
from smtp_tui.core.settings import load_settings
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.terminal_cells import rtl_visual, set_rtl_visual

SENTENCE = "الرمز 452 يعني: مساحة غير كافية (RFC 5321 §4.2.3)."


def test_a_visual_line_reads_right_to_left_with_latin_runs_intact() -> None:
    line = visual_order(shape(SENTENCE))[0]
    # The first word, stored first, is drawn at the right end; the sentence's full stop at the left.
    assert line.startswith(".(RFC 5321 §4.2.3)")
    assert line.endswith(shape("الرمز")[::-1])
    assert " 452 " in line


def test_shaping_joins_the_letters() -> None:
    shaped = shape("مساحة")
    assert shaped != "مساحة"
    assert all("\ufb50" <= char <= "\ufeff" for char in shaped)  # presentation forms


def test_latin_text_is_left_alone() -> None:
    text = "452 Requested action not taken (RFC 5321 §4.2.3)"
    assert shape(text) == text
    assert visual_order(text)[0] == text


@pytest.mark.parametrize(
    ("env", "setting", "expected"),
    [
        ({}, None, RtlMode.VISUAL),
        ({"VTE_VERSION": "7600"}, None, RtlMode.LOGICAL),
        ({"VTE_VERSION": "5202"}, None, RtlMode.VISUAL),  # VTE before 0.58: no bidi
        ({"KONSOLE_VERSION": "230805"}, None, RtlMode.LOGICAL),
        ({"MLTERM": "3.9.3"}, None, RtlMode.LOGICAL),
        ({"VTE_VERSION": "7600"}, "visual", RtlMode.VISUAL),
        ({"SMTP_TUI_RTL": "logical"}, "visual", RtlMode.LOGICAL),
        ({"SMTP_TUI_RTL": "sideways"}, None, RtlMode.VISUAL),
    ],
)
def test_the_mode_comes_from_env_then_setting_then_terminal(
    env: dict[str, str], setting: str | None, expected: RtlMode
) -> None:
    assert choose_mode(setting, env) is expected


def test_lam_alef_joins_and_the_map_follows_it() -> None:
    shaped, where = shape_with_map("سلام")
    assert shaped == "ﺳﻼﻡ"  # seen, the lam-alef ligature, meem
    assert where == [0, 1, 1, 2, 3]  # lam and alef both went to the ligature


def test_visual_order_says_where_each_character_came_from() -> None:
    text = shape("الرمز 452 (RFC 5321).")
    drawn, indexes = visual_order(text)
    assert drawn == get_display(text, base_dir="R")  # python-bidi's own answer
    assert sorted(indexes) == list(range(len(text)))
    # "452" keeps its digits in reading order, and each comes from where it stood.
    start = drawn.index("452")
    assert [text[i] for i in indexes[start : start + 3]] == ["4", "5", "2"]


def run_cli(*args: str, tty: bool, env: dict[str, str]) -> str:
    """`smtp-tui ARGS` with its output on a terminal (a pty) or on a pipe."""
    environment = {**os.environ, "COLUMNS": "80", **env}
    command = [sys.executable, "-m", "smtp_tui", *args]
    if not tty:
        return subprocess.run(
            command, capture_output=True, text=True, env=environment, timeout=60, check=True
        ).stdout
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        command, stdin=secondary, stdout=secondary, stderr=secondary, env=environment
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the pty closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(primary)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_the_cli_reorders_arabic_for_a_terminal_but_not_for_a_pipe() -> None:
    args = ("compare", "211", "452", "--lang", "ar", "--color", "never")
    heading = "ملخص"  # "Summary"
    on_terminal = run_cli(*args, tty=True, env={"SMTP_TUI_RTL": "visual"})
    drawn = visual_order(shape(heading))[0]
    row = next(row for row in on_terminal.splitlines() if drawn in row)
    assert row.endswith(drawn) and row.startswith(" " * 40)  # at the right, where it is read
    assert not re.search("[\u0621-\u064a]", on_terminal)  # every letter joined and ordered
    piped = run_cli(*args, tty=False, env={"SMTP_TUI_RTL": "visual"})
    assert heading in piped.splitlines()  # a file or a pipe gets the text as stored
    logical = run_cli(*args, tty=True, env={"SMTP_TUI_RTL": "logical"})
    assert heading in logical  # a terminal that lays it out itself


async def test_the_palette_switches_the_layout_and_remembers_it(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("VTE_VERSION", "KONSOLE_VERSION", "MLTERM"):
        monkeypatch.delenv(name, raising=False)  # a terminal that does no bidi
    repo.show_in("ar")
    i18n.use("ar")
    heading = i18n.active().text("heading.summary")
    app = SmtpTuiApp(repo, codes=("211", "452"))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert rtl_visual()
            assert visual_order(shape(heading))[0] in summary_lines(app)
            command = next(
                command
                for command in app.get_system_commands(app.screen)
                if command.title == i18n.active().text("rtl.logical")
            )
            command.callback()
            await pilot.pause()
            assert not rtl_visual()
            assert heading in summary_lines(app)
        saved, problem = load_settings()
        assert problem is None and saved.rtl == "logical"
    finally:
        i18n.use("en")
        set_rtl_visual(False)


def summary_lines(app: SmtpTuiApp) -> str:
    static = app.screen.query_one("#compare-summary")
    strips = static.render_lines(Region(0, 0, static.size.width, static.size.height))
    return "\n".join(strip.text for strip in strips)
