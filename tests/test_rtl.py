"""Right-to-left text: shaped and reordered per line for terminals that do neither."""

from __future__ import annotations

import pytest

from smtp_tui.rtl import RtlMode, choose_mode, shape, shape_with_map, visual_line, visual_order

SENTENCE = "الرمز 452 يعني: مساحة غير كافية (RFC 5321 §4.2.3)."


def test_a_visual_line_reads_right_to_left_with_latin_runs_intact() -> None:
    line = visual_line(shape(SENTENCE))
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
    assert visual_line(text) == text


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
    assert drawn == visual_line(text)
    assert sorted(indexes) == list(range(len(text)))
    # "452" keeps its digits in reading order, and each comes from where it stood.
    start = drawn.index("452")
    assert [text[i] for i in indexes[start : start + 3]] == ["4", "5", "2"]
