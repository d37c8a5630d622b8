"""One snapshot per main state at 80x24 and 120x40; behaviour is asserted in test_tui.py.

Latin scripts only: SVGs size text by code points, so other scripts are tested by the cells a
terminal shows (test_non_latin_screens.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from smtp_tui.core.loading import load
from smtp_tui.tui.app import SmtpTuiApp

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_launch(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(SmtpTuiApp(load()), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_452(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(SmtpTuiApp(load()), terminal_size=size, press=[*"452"])


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_compare_211_452(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(SmtpTuiApp(load(), codes=("211", "452")), terminal_size=size)


def test_no_match(snap_compare: Any) -> None:
    assert snap_compare(SmtpTuiApp(load()), terminal_size=(80, 24), press=[*"[bold]xyz"])
