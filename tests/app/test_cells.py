"""Text is measured as terminals draw it, in our own measure and in Rich's once patched.

The widths are checked against the C library's ``wcwidth`` (which terminals follow) and against
where tmux puts the cursor after printing each line of every catalogue.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import locale
import os
import shutil
import subprocess
import sys
import time
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from smtp_tui.core import i18n
from smtp_tui.core.cells import cell_len, char_width

ROOT = Path(__file__).resolve().parents[2]
HINDI_HELP = "सहायता"


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def catalogue_lines(lang: str) -> list[str]:
    """Every line of text in `lang`'s catalogue, as the screens show them (one line each)."""
    with open(i18n.LOCALES / f"{lang}.toml", "rb") as stream:
        data = tomllib.load(stream)
    lines = {line for text in _strings(data) for line in text.splitlines() if line.strip()}
    return sorted(line for line in lines if line.isprintable())


def shipped_characters() -> set[str]:
    """Every character of every catalogue and data file we ship."""
    files = [*i18n.LOCALES.glob("*.toml"), *(ROOT / "data").rglob("*.toml")]
    return {char for path in files for char in path.read_text(encoding="utf-8") if char >= " "}


def _libc_wcwidth() -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    if name is None:
        pytest.skip("no C library to compare with")
    try:
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    except locale.Error:
        pytest.skip("no C.UTF-8 locale")
    wcwidth = ctypes.CDLL(name).wcwidth
    wcwidth.argtypes = [ctypes.c_wchar]
    wcwidth.restype = ctypes.c_int
    return wcwidth


# -------------------------------------------------------------------------------------- widths


def test_widths_are_the_c_librarys_for_every_character_we_ship() -> None:
    wcwidth = _libc_wcwidth()
    characters = shipped_characters()
    assert {"ा", "ि", "ी", "ो", "ไ", "日", "ー", "한", "ع"} <= characters
    wrong = {char: (char_width(char), wcwidth(char)) for char in characters}
    assert {char: pair for char, pair in wrong.items() if pair[0] != pair[1]} == {}


def test_spacing_marks_of_every_script_take_the_cells_the_c_library_gives() -> None:
    """Not only Hindi's: every spacing mark (Mc) in Unicode, e.g. Bengali, Tamil, Myanmar."""
    wcwidth = _libc_wcwidth()
    marks = [chr(c) for c in range(0x300, 0x20000) if unicodedata.category(chr(c)) == "Mc"]
    assert len(marks) > 400
    assert [m for m in marks if char_width(m) != wcwidth(m)] == []


def test_hindi_help_is_six_cells_in_our_measure_and_in_rich_once_installed() -> None:
    from rich.cells import cell_len as rich_cell_len

    from smtp_tui.tui.terminal_cells import install

    install()
    assert cell_len(HINDI_HELP) == 6
    assert rich_cell_len(HINDI_HELP) == 6
    assert rich_cell_len("ไทย") == 3  # Thai vowels above and below stay zero cells
    assert rich_cell_len("日本語") == 6


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_rich_measures_every_catalogue_as_we_do(lang: str) -> None:
    from rich.cells import cell_len as rich_cell_len

    from smtp_tui.tui.terminal_cells import install

    install()
    lines = catalogue_lines(lang)
    assert {line: rich_cell_len(line) for line in lines} == {line: cell_len(line) for line in lines}


PROBE = r"""
import json, os, re, sys, termios, tty
samples = json.load(open(sys.argv[1], encoding="utf-8"))
tty.setraw(0)
columns = []
for sample in samples:
    # Print the sample at the start of a cleared line, then ask the terminal where the cursor is.
    os.write(1, ("\r\x1b[2K" + sample + "\x1b[6n").encode())
    reply = b""
    while not reply.endswith(b"R"):
        reply += os.read(0, 64)
    columns.append(int(re.search(rb"\[\d+;(\d+)R", reply).group(1)) - 1)
with open(sys.argv[2] + ".part", "w") as out:
    json.dump(columns, out)
os.rename(sys.argv[2] + ".part", sys.argv[2])
"""


def tmux_columns(samples: list[str], tmp_path: Path) -> list[int]:
    """The cells tmux advances the cursor by for each sample: what a terminal really draws."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    (tmp_path / "samples.json").write_text(json.dumps(samples), encoding="utf-8")
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    result = tmp_path / "columns.json"
    socket = f"smtp-tui-test-{os.getpid()}-{time.monotonic_ns()}"  # tmp_path may be too long
    command = [sys.executable, str(tmp_path / "probe.py"), str(tmp_path / "samples.json")]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    tmux = ["tmux", "-u", "-L", socket, "-f", os.devnull]
    try:
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", "1000", "-y", "5", *command, str(result)],
            check=True,
            env=env,
        )
        deadline = time.monotonic() + 20
        while not result.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        columns: list[int] = json.loads(result.read_text())
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    return columns


def test_tmux_draws_every_catalogue_in_the_cells_we_measure(tmp_path: Path) -> None:
    from rich.cells import cell_len as rich_cell_len

    from smtp_tui.tui.terminal_cells import install

    install()
    samples = [HINDI_HELP]
    for lang in i18n.LANGUAGES:
        samples += [line for line in catalogue_lines(lang) if cell_len(line) < 900]
    drawn = dict(zip(samples, tmux_columns(samples, tmp_path), strict=True))
    assert drawn[HINDI_HELP] == 6
    assert {s: cell_len(s) for s in samples} == drawn
    assert {s: rich_cell_len(s) for s in samples} == drawn


def test_the_cell_table_is_kept_between_runs_and_worked_out_afresh_when_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Working the table out reads 0.3 MiB of Unicode's tables into memory (issue 14)."""
    from rich._unicode_data import load

    from smtp_tui.tui import terminal_cells

    rich_widths = [entry for entry in load().widths if entry[2] != 0 or entry[0] < 0x300]
    worked = terminal_cells._with_spacing_marks(rich_widths)
    calls: list[int] = []
    work = terminal_cells._with_spacing_marks

    def counted(widths: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        calls.append(len(widths))
        return work(widths)

    monkeypatch.setattr(terminal_cells, "_with_spacing_marks", counted)
    assert terminal_cells._cell_widths(rich_widths) == worked  # worked out, and kept
    assert terminal_cells._cell_widths(rich_widths) == worked  # read back
    assert len(calls) == 1
    monkeypatch.setattr(terminal_cells, "_WIDTHS_VERSION", terminal_cells._WIDTHS_VERSION + 1)
    assert terminal_cells._cell_widths(rich_widths) == worked  # stale: worked out again
    assert len(calls) == 2


def test_a_kept_cell_table_of_another_shape_is_worked_out_again() -> None:
    """Rich searches the table by bisection: a damaged one would break every measure."""
    from smtp_tui.core.cache_home import write_marshalled
    from smtp_tui.tui import terminal_cells

    widths = [(0, 0x2FF, 1), (0x300, 0x36F, 0), (0x900, 0x903, 0)]
    worked = terminal_cells._cell_widths(widths)
    key = (
        terminal_cells._WIDTHS_VERSION,
        unicodedata.unidata_version,
        sys.version,
        hash(tuple(widths)),
    )
    for damaged in ([(1, 2)], [("a", "b", "c")], [[1, 2, 3]], ["x"]):
        write_marshalled(terminal_cells.WIDTHS_FILE, key, damaged)
        assert terminal_cells._cell_widths(widths) == worked
