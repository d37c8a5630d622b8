"""Lines are broken by terminal cells and by the line-breaking rules of Chinese and Japanese.

Read back from ``line_starts`` and ``wrap`` directly, and from the CLI as a user runs it.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core import line_breaking
from smtp_tui.core.cells import cell_len, char_width, ljust
from smtp_tui.core.line_breaking import NO_LINE_END, NO_LINE_START, line_starts, shorten, wrap

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------- line breaks

JAPANESE = (
    "211の場合、要求された操作は完了し、クライアントは新しい要求を始められる。452の場合、"
    "今回はコマンドが受け付けられなかったが、状態は一時的なもので、同じコマンドが後で成功する"
    "可能性がある。「メールボックス」がいっぱいのときは4.2.2、アドレスがないときは5.1.1を返す"
    "（RFC 3463）。サーバーは、メッセージのサイズ（SIZE）をチェックし、ユーザーに知らせる。"
)


def lines_of(text: str, width: int) -> list[str]:
    starts = line_starts(text, width)
    return [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)], strict=True)]


@pytest.mark.parametrize("width", range(8, 41))
def test_japanese_breaks_only_where_its_rules_allow(width: int) -> None:
    lines = lines_of(JAPANESE, width)
    assert "".join(lines) == JAPANESE
    for line, after in itertools.pairwise(lines):
        assert cell_len(line.rstrip()) <= width
        assert after[0] not in NO_LINE_START, (line, after)
        assert line[-1] not in NO_LINE_END, (line, after)
        assert not (re.search(r"[0-9.]$", line) and re.match(r"[0-9.]", after)), (line, after)
        assert not (re.search(r"[A-Za-z]$", line) and re.match(r"[A-Za-z]", after)), (line, after)
        # No half-empty lines: a line ends only when the next piece would not fit on it.
        assert cell_len(line) + cell_len(after[:1]) > width - 8, (line, after)
    assert "4.2.2" in "".join(line for line in lines if "4.2.2" in line)


def test_text_without_cjk_breaks_as_rich_does() -> None:
    from rich._wrap import divide_line

    text = "A success reply (RFC 5321 §4.2.1) that reports the state of the server — 452 4.2.2"
    for width in range(6, 60):
        assert line_starts(text, width) == divide_line(text, width), width


def test_wrap_indents_and_pads_by_cells() -> None:
    lines = wrap(JAPANESE, 40, "  送信者: ", "    ")
    assert lines[0].startswith("  送信者: ") and all(line.startswith("    ") for line in lines[1:])
    assert max(map(cell_len, lines)) <= 40
    assert "".join(line.strip() for line in lines).replace("送信者: ", "") == JAPANESE
    styled = wrap("\x1b[2mhello there world\x1b[0m", 11)
    assert styled == ["\x1b[2mhello there", "world\x1b[0m"]  # styles take no cells
    assert wrap(" \n ", 40, "  ") == []
    assert ljust("1行目", 10) == "1行目     " and cell_len(ljust("1行目", 10)) == 10
    assert shorten("メールボックスがいっぱい", 9) == "メール…"  # never before ッ


# ------------------------------------------------------------------------------------------ CLI


def run_cli(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "smtp_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("lang", ["ja", "zh-Hans", "hi", "th", "ko"])
def test_cli_compare_wraps_within_80_cells(lang: str) -> None:
    lines = run_cli("compare", "211", "452", "--lang", lang).splitlines()
    assert max(map(cell_len, lines)) <= 80
    for line, after in itertools.pairwise(lines):
        assert not after.strip() or after.strip()[0] not in NO_LINE_START, (line, after)
    if lang == "ja":
        assert any("は一時的否定完了の" in line for line in lines)


def test_cli_explain_aligns_its_columns_by_cells() -> None:
    """A finding is a labelled fact: its meaning hangs under the label, wrapped by cells."""
    reply = "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"
    lines = run_cli("explain", "--lang", "ja", reply).split("\n検出結果\n")[1].splitlines()
    assert lines[0].startswith("  1行目：550 5.1.1")
    where = next(n for n, line in enumerate(lines) if "> 550" in line)
    meaning, context = lines[1:where], lines[where]
    assert meaning and all(line.startswith("    ") and line[4] != " " for line in meaning)
    assert context.startswith("  > 550")
    assert max(map(cell_len, lines)) <= 80


def test_ascii_fast_path_breaks_as_the_cluster_path_does() -> None:
    """Printable ASCII skips the per-character clusters; it must break at the same places, and
    hand a word wider than the line (which is folded) to the general path."""
    chance = random.Random(14)

    def general(character: str) -> int:  # not the terminal's function: forces the cluster path
        return char_width(character)

    for _ in range(3000):
        text = "".join(chance.choice("ab  .-x5") for _ in range(chance.randint(1, 40)))
        first, width = chance.randint(1, 12), chance.randint(1, 12)
        quick = line_breaking._ascii_line_starts(text, first, width)
        expected = line_breaking._line_starts(text, first, width, True, general)
        if quick is not None:
            assert quick == expected, (text, first, width)
        assert line_breaking._line_starts(text, first, width, True, char_width) == expected
        assert line_breaking._line_starts(text, first, width, False, char_width) == (
            line_breaking._line_starts(text, first, width, False, general)
        )
    prose = "Requested action not taken: insufficient system storage (RFC 5321, 4.2.3)."
    assert line_breaking._ascii_line_starts(prose, 30, 40) == [28, 67]  # "insufficient", "4.2.3)."
    assert line_breaking._ascii_line_starts("a " + "x" * 50, 30, 40) is None


@pytest.mark.parametrize("words", ["see {} now", "voir {} — détails"])  # ASCII path, cluster path
def test_terminal_text_keeps_a_long_web_address_whole(words: str) -> None:
    """Folded, an address is no longer one link to click or copy; the browser's panes, which
    crop what runs past their edge, still fold it."""
    address = "<https://learn.microsoft.com/" + "x" * 80 + ">"
    lines = wrap(words.format(address), 40, "  ", "    ")
    assert lines[1] == "    " + address
    assert all(cell_len(line) <= 40 for line in lines if address not in line)
    assert max(map(cell_len, lines_of(words.format(address), 40))) <= 40
    assert "".join(wrap("x" * 100, 40)) == "x" * 100 and len(wrap("x" * 100, 40)) == 3
