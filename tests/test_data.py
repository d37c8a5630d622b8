"""Invariants over the shipped data: every entry complete, consistent and cited."""

from __future__ import annotations

import re

import pytest

from smtp_tui.model import COMMANDS, ReplyClass
from smtp_tui.repository import Repository

REQUIRED = {
    "RFC 5321": "211 214 220 221 250 251 252 354 421 450 451 452 455 500 501 502 503 504 550 551 "
    "552 553 554 555",
    "RFC 7504": "521 556",
    "RFC 4954": "235 334 432 454 530 534 535 538",
    "RFC 1985": "253 458 459",
    "RFC 2645": "453",
}


@pytest.mark.parametrize("rfc", sorted(REQUIRED))
def test_every_standard_code_is_there_and_cites_its_rfc(repo: Repository, rfc: str) -> None:
    number = int(rfc.split()[1])
    for code in REQUIRED[rfc].split():
        entry = repo.get(code)
        assert entry.standard, code
        assert number in entry.rfcs, f"{code} does not cite {rfc}"


def test_at_least_ten_non_standard_codes_each_with_an_origin(repo: Repository) -> None:
    non_standard = [code for code in repo if not code.standard]
    assert len(non_standard) >= 10
    for code in non_standard:
        assert len(code.origin) > 10, code.code


def test_class_and_category_come_from_the_digits(repo: Repository) -> None:
    for code in repo:
        assert code.reply_class is ReplyClass(int(code.code[0]))
        assert code.category.value == int(code.code[1])


def test_every_link_points_at_a_code_that_exists(repo: Repository) -> None:
    for code in repo:
        for other in (*code.related, *filter(None, [code.counterpart])):
            assert other in repo, f"{code.code} -> {other}"


def test_counterparts_are_mutual_and_of_opposite_failure_classes(repo: Repository) -> None:
    for code in repo:
        if code.counterpart is None:
            continue
        other = repo.get(code.counterpart)
        assert other.counterpart == code.code, f"{code.code} <-> {other.code}"
        assert {code.reply_class.value, other.reply_class.value} == {4, 5}


def test_the_famous_counterparts(repo: Repository) -> None:
    assert repo.get("452").counterpart == "552"
    assert repo.get("450").counterpart == "550"


def test_references_are_well_formed(repo: Repository) -> None:
    for code in repo:
        for reference in code.references:
            assert re.fullmatch(r"RFC [1-9][0-9]{2,4}( §[0-9]+(\.[0-9]+)*)?", str(reference))


def test_commands_are_known(repo: Repository) -> None:
    for code in repo:
        assert code.commands and set(code.commands) <= set(COMMANDS)


def test_prose_has_no_doubled_words(repo: Repository) -> None:
    doubled = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
    for code in repo:
        for text in (code.description, code.when, code.fix_sender, code.fix_admin):
            match = doubled.search(text)
            assert match is None, f"{code.code}: {match and match.group()!r}"


def test_too_many_recipients_is_452_not_552(repo: Repository) -> None:
    """Where popular references are wrong, we must be right (RFC 5321 §4.5.3.1.10)."""
    assert "4.5.3.1.10" in {ref.section for ref in repo.get("452").references}
    assert "4.5.3.1.10" in {ref.section for ref in repo.get("552").references}
    assert "too many recipients" in repo.get("552").notes.lower()


def test_550_covers_policy_refusals(repo: Repository) -> None:
    code = repo.get("550")
    assert "policy" in (code.description + code.when).lower()
