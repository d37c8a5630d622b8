"""Right-to-left text: shaped and reordered per line for terminals that do neither."""

from __future__ import annotations

import pytest

from smtp_tui.rtl import RtlMode, choose_mode, shape, visual_line

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
