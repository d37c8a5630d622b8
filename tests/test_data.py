"""Invariants over the shipped data: every entry complete, consistent and cited."""

from __future__ import annotations

import io
import re

import pytest

from smtp_tui.cli import Style, Writer, render_code
from smtp_tui.export import code_markdown, code_to_dict
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


# ------------------------------------------------------------------ issue 15: facts per RFC text


def test_432_retry_line_asks_for_one_plain_login_first(repo: Repository) -> None:
    """RFC 4954 §6: one PLAIN login first, so "retry without changing anything" is wrong."""
    retry = repo.get("432").retry
    assert "PLAIN" in retry and "RFC 4954 §6" in retry
    assert "without changing anything" not in retry


@pytest.mark.parametrize("code", ["453", "458", "459"])
def test_etrn_and_atrn_retry_lines_speak_of_no_kept_message(repo: Repository, code: str) -> None:
    """ETRN and ATRN carry no message: the class rule's "keeps the message" does not fit."""
    entry = repo.get(code)
    assert "no message" in entry.retry and "keeps the message" not in entry.retry
    assert entry.retry != entry.reply_class.retry


def test_458_is_acted_on_by_people_not_by_the_client_retrying(repo: Repository) -> None:
    """RFC 1985 §5.2: a 4xx to ETRN usually means the client is not allowed: people act."""
    assert "client" not in repo.get("458").action_by


def test_success_only_and_permanent_only_enhanced_codes_have_their_own_retry(
    repo: Repository,
) -> None:
    """RFC 3463 §3.2 (X.1.5 success only) and §3.6 (X.5.4 permanent only)."""
    for code in ("X.1.5", "2.1.5"):
        retry = repo.get(code).retry
        assert "success" in retry and "4.X.X is retried" not in retry
    for code in ("X.5.4", "5.5.4"):
        retry = repo.get(code).retry
        assert retry.startswith("no") and "permanent" in retry
    assert "4.X.X is retried" in repo.get("X.5.1").retry  # the class rule where it fits


def test_a_code_s_own_retry_line_reaches_every_view(repo: Repository) -> None:
    """The CLI, the JSON, the Markdown copy and the comparison all show the code's own line."""
    code = repo.get("458")
    assert code_to_dict(code)["retry"] == code.retry
    assert code.retry in code_markdown(code)
    out = io.StringIO()
    render_code(code, repo, Writer(out, Style(enabled=False), width=200))
    assert code.retry in " ".join(out.getvalue().split())  # wrapped across lines
    compared = repo.compare("458", "452")
    assert any("ETRN carries no message" in line for line in compared.key_differences)
