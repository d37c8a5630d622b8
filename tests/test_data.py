"""Invariants over the shipped data: every entry complete, consistent and cited."""

from __future__ import annotations

import re

import pytest

from smtp_tui.model import COMMANDS, SUBJECTS, EnhancedCode, ReplyClass, ReplyCode
from smtp_tui.repository import Repository


def basic(repo: Repository) -> list[ReplyCode]:
    return [code for code in repo if isinstance(code, ReplyCode)]


def enhanced(repo: Repository) -> list[EnhancedCode]:
    return [code for code in repo if isinstance(code, EnhancedCode)]


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
    non_standard = [code for code in basic(repo) if not code.standard]
    assert len(non_standard) >= 10
    for code in non_standard:
        assert len(code.origin) > 10, code.code


def test_class_and_category_come_from_the_digits(repo: Repository) -> None:
    for code in basic(repo):
        assert code.reply_class is ReplyClass(int(code.code[0]))
        assert code.category.value == int(code.code[1])


def test_every_link_points_at_a_code_that_exists(repo: Repository) -> None:
    for code in repo:
        links = (
            code.related if isinstance(code, EnhancedCode) else (*code.related, code.counterpart)
        )
        for other in filter(None, links):
            assert other in repo, f"{code.code} -> {other}"


def test_counterparts_are_mutual_and_of_opposite_failure_classes(repo: Repository) -> None:
    for code in basic(repo):
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
    for code in basic(repo):
        assert code.commands and set(code.commands) <= set(COMMANDS)


def test_prose_has_no_doubled_words(repo: Repository) -> None:
    doubled = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
    for code in basic(repo):
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


def test_every_registered_enhanced_code_is_there(repo: Repository) -> None:
    """The IANA registry's detail codes, subject by subject (RFC 3463 and its extensions)."""
    highest = {0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30}
    for subject, last in highest.items():
        for detail in range(last + 1):
            code = repo.get(f"X.{subject}.{detail}")
            assert code.standard and code.references, code.code
        assert f"X.{subject}.X" in repo
    for cls in (2, 4, 5):
        assert f"{cls}.X.X" in repo
    assert len(SUBJECTS) == 8


def test_registry_ranges_are_given_as_the_registry_words_them(repo: Repository) -> None:
    """X.0.0 goes with "Any" reply code, X.7.17 to X.7.19 with "5XX", X.7.15 and X.7.16 with
    4XX and 5XX besides their codes (RFC 5248's registry): not with "none listed"."""
    wording = {
        "X.0.0": ("Any",),
        "X.7.17": ("5XX",),
        "X.7.18": ("5XX",),
        "X.7.19": ("5XX",),
        "X.7.15": ("4XX", "5XX"),
        "X.7.16": ("4XX", "5XX"),
    }
    for name, ranges in wording.items():
        code = repo.get(name)
        assert isinstance(code, EnhancedCode)
        assert code.registry_replies == ranges, name
        assert f"“{ranges[-1]}”" in code.replies_text and "none" not in code.replies_text, name
    assert all(
        not code.registry_replies for code in enhanced(repo) if code.registry_code not in wording
    )
    replies = {
        name: code.replies_text
        for name in ("5.7.17", "4.7.17", "4.0.0", "4.7.16", "5.7.16")
        if isinstance(code := repo.get(name), EnhancedCode)
    }
    assert "any 5xx reply" in replies["5.7.17"]
    assert "none of its class" in replies["4.7.17"]  # 5XX does not cover class 4
    assert "any reply code" in replies["4.0.0"]
    assert "any 4xx reply" in replies["4.7.16"] and "552" not in replies["4.7.16"]
    assert replies["5.7.16"].startswith("552") and "any 5xx reply" in replies["5.7.16"]
    compared = " ".join(repo.compare("X.0.0", "X.7.17").key_differences)
    assert "X.0.0 with any reply code" in compared and "X.7.17 with any 5xx" in compared


def test_an_unreachable_imap_server_is_4_4_1_not_x_6_6(repo: Repository) -> None:
    """RFC 4468 §6 answers BURL with 451 4.4.1 when the IMAP server cannot be reached; X.6.6 (554
    5.6.6) is for a URL that does not resolve."""
    code = repo.get("X.6.6")
    assert isinstance(code, EnhancedCode)
    prose = " ".join((code.description, code.when, code.fix_sender, code.fix_admin))
    for sentence in re.split(r"(?<=\.) ", prose):
        if "reach" in sentence:
            assert "4.4.1" in sentence, sentence
    assert "451 4.4.1" in code.when and "X.4.1" in code.related
    assert "RFC 4468 §6" in {str(reference) for reference in code.references}
    assert "down" not in code.fix_sender  # retrying a down server is 4.4.1's advice


def test_every_enhanced_entry_was_checked_by_a_second_reader(repo: Repository) -> None:
    """Issue 15 item 19: each shipped enhanced entry records the RFC sections it was checked
    against (user codes from codes.toml need not)."""
    unchecked = [code.code for code in enhanced(repo) if not code.checked]
    assert unchecked == []
    assert len(enhanced(repo)) >= 100


def test_the_second_reading_corrections_hold(repo: Repository) -> None:
    """Facts the second reading corrected: RFC 4954 §4 asks for 5.5.4 on an unknown AUTH
    mechanism; RFC 3886 and RFC 4954 defined X.1.9 and X.5.6 before the registry existed
    (RFC 5248 §2.4 took them in)."""
    codes = {name: repo.get(name) for name in ("X.7.4", "X.1.9", "X.5.6")}
    assert "5.5.4" in codes["X.7.4"].when and "RFC 4954 §4" in codes["X.7.4"].when
    for name in ("X.1.9", "X.5.6"):
        assert "registered" not in codes[name].description, name
        assert "RFC 5248 §2.4" in {str(ref) for ref in codes[name].references}, name
    assert "RFC 3886 §3.3.4" in {str(ref) for ref in codes["X.1.9"].references}


def test_smtputf8_codes_follow_rfc_6531(repo: Repository) -> None:
    """RFC 6531 §3.5 answers an untransferable UTF-8 header message with 554, though its registry
    entry (§4.2) lists 550; X.6.10 came from RFC 5336 and RFC 6531 deprecated it."""
    header, duplicate = repo.get("X.6.9"), repo.get("X.6.10")
    assert "554" in header.when and "RFC 6531 §3.5" in header.when
    assert "RFC 5336" in duplicate.description and "RFC 6531 created" not in duplicate.description


def test_enhanced_non_standard_codes_name_their_origin(repo: Repository) -> None:
    others = [code for code in enhanced(repo) if not code.standard]
    assert len(others) >= 6
    assert all(len(code.origin) > 10 for code in others)


def test_a_class_with_a_detail_changes_the_meaning(repo: Repository) -> None:
    transient, permanent = repo.get("4.2.2"), repo.get("5.2.2")
    assert isinstance(transient, EnhancedCode) and isinstance(permanent, EnhancedCode)
    assert transient.name == permanent.name
    assert transient.retry.startswith("yes") and permanent.retry.startswith("no")
    assert "Persistent Transient Failure" in transient.classification
    assert "Permanent Failure" in permanent.classification
