"""The typed vocabulary and the model's code parser: plain Python, no Textual."""

from __future__ import annotations

import json

import pytest

from smtp_tui.core.model import CodeEntry, CodeName, EnhancedCode, ReplyCode, codes_in, parse_code
from smtp_tui.core.repository import Repository
from smtp_tui.core.vocabulary import EnhancedKind, Family, Outcome, Role


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("550", CodeName(Family.BASIC, "550")),
        (" 452\n", CodeName(Family.BASIC, "452")),
        ("5.1.1", CodeName(Family.ENHANCED, "5.1.1")),
        ("x.1.1", CodeName(Family.ENHANCED, "X.1.1")),
        ("5.x.x", CodeName(Family.ENHANCED, "5.X.X")),
        ("5.1.10", CodeName(Family.ENHANCED, "5.1.10")),
        ("650", None),
        ("1.1.1", None),
        ("5.1.1.1", None),
        ("55", None),
        ("", None),
        ("[/b]", None),
    ],
)
def test_parse_code_recognises_either_family(text: str, expected: CodeName | None) -> None:
    assert parse_code(text) == expected


def test_codes_in_finds_the_codes_among_words_each_once() -> None:
    assert [name.code for name in codes_in("compare 4.2.2 with 5.2.2")] == ["4.2.2", "5.2.2"]
    assert [name.code for name in codes_in("452,552/452")] == ["452", "552"]
    assert codes_in("version 10.5.1.1 on port 5870") == []


def test_both_code_types_share_one_base(repo: Repository) -> None:
    basic, enhanced = repo.get("552"), repo.get("5.2.2")
    assert isinstance(basic, ReplyCode) and isinstance(enhanced, EnhancedCode)
    assert isinstance(basic, CodeEntry) and isinstance(enhanced, CodeEntry)
    assert (basic.family, enhanced.family) == (Family.BASIC, Family.ENHANCED)
    assert basic.sort_key < enhanced.sort_key
    assert str(basic) == f"552 {basic.name}" and enhanced.rfcs
    assert enhanced.kind is EnhancedKind.DETAIL and repo.get("5.X.X").kind is EnhancedKind.CLASS


def test_words_stay_the_same_strings_in_json() -> None:
    words = {"family": Family.ENHANCED, "role": Role.DIAGNOSTIC, "outcome": Outcome.PERMANENT}
    assert json.loads(json.dumps(words)) == {
        "family": "enhanced",
        "role": "diagnostic",
        "outcome": "permanent",
    }
