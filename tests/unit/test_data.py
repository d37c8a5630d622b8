"""Invariants over the shipped data: every entry complete, consistent and cited."""

from __future__ import annotations

import io
import re

import pytest

from smtp_tui.cli import render
from smtp_tui.cli.terminal import Style, Writer
from smtp_tui.core.display.code import code_document
from smtp_tui.core.display.markdown import markdown
from smtp_tui.core.export import code_to_dict
from smtp_tui.core.model import COMMANDS, SUBJECTS, EnhancedCode, ReplyClass, ReplyCode
from smtp_tui.core.repository import Repository


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
    """RFC 5321 §4.2.1 and §4.2.3, written out rather than worked out as the model does."""
    facts = {
        "214": ("Positive Completion", "x1z Information"),
        "220": ("Positive Completion", "x2z Connections"),
        "250": ("Positive Completion", "x5z Mail system"),
        "354": ("Positive Intermediate", "x5z Mail system"),
        "421": ("Transient Negative Completion", "x2z Connections"),
        "452": ("Transient Negative Completion", "x5z Mail system"),
        "500": ("Permanent Negative Completion", "x0z Syntax"),
        "550": ("Permanent Negative Completion", "x5z Mail system"),
    }
    for number, (reply_class, category) in facts.items():
        code = repo.get(number)
        assert isinstance(code, ReplyCode)
        assert (code.reply_class.title, code.category_words) == (reply_class, category), number
    assert repo.get("452").reply_class is ReplyClass.TRANSIENT_NEGATIVE
    assert {code.reply_class.label for code in basic(repo)} == {"2xx", "3xx", "4xx", "5xx"}


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
    assert code.retry != code.reply_class.retry  # else the class's line would pass as well
    assert code_to_dict(code)["retry"] == code.retry
    assert code.retry in markdown(code_document(code))
    out = io.StringIO()
    render.document(code_document(code), Writer(out, Style(enabled=False), width=200))
    assert code.retry in " ".join(out.getvalue().split())  # wrapped across lines
    compared = repo.compare("458", "452")
    assert any("ETRN carries no message" in line for line in compared.key_differences)


def test_422_is_named_and_paired_as_the_registry_does(repo: Repository) -> None:
    """RFC 5248 §2.4 and the registry list 422 beside 432 for X.7.12, not as a dotless 4.2.2."""
    code = repo.get("422")
    assert isinstance(code, ReplyCode)
    assert code.name.startswith("A password transition is needed")
    assert code.read_as == "4.7.12" and "432" in code.related
    assert "422" in repo.get("X.7.12").reply_codes
    cited = [str(reference) for reference in code.references]
    assert "RFC 5248 §2.4" in cited and "RFC 4954 §6" in cited
    assert "Mailbox full" not in code.name
    assert "4.7.12" in code.classification and "x2z" not in code.classification


DOTLESS = ("431", "441", "442", "446", "447", "510", "511", "512", "513")


@pytest.mark.parametrize("number", DOTLESS)
def test_a_dotless_code_says_what_its_digits_mean(repo: Repository, number: str) -> None:
    """510 is 5.1.0 without dots: its category line names subject X.1.X, not "x1z Information"."""
    code = repo.get(number)
    assert isinstance(code, ReplyCode)
    enhanced_code = ".".join(number)
    assert code.read_as == enhanced_code and enhanced_code in code.origin
    subject = f"X.{number[1]}.X"
    assert subject in code.classification
    assert f"x{number[1]}z {code.category.title}" not in code.classification
    assert code_to_dict(code)["category_name"] == code.category_words
    compared = repo.compare(number, "250")
    assert not any(f"x{number[1]}z" in line for line in compared.key_differences)
    assert f"x{number[1]}z" not in compared.summary


def _cited(code: ReplyCode | EnhancedCode) -> list[str]:
    return [str(reference) for reference in code.references]


def test_253_cites_where_rfc_1985_says_it(repo: Repository) -> None:
    """The queue run is described in RFC 1985 §3 and the reply in §5.1, not in §4."""
    code = repo.get("253")
    assert isinstance(code, ReplyCode)
    assert "RFC 1985 §3" in _cited(code) and "RFC 1985 §5.1" in _cited(code)
    assert "RFC 1985 §4" not in _cited(code)
    prose = " ".join((code.description, code.fix_admin, code.server_guidance, code.notes))
    assert "§4)" not in prose and "§4," not in prose


def test_421_gets_the_greeting_table_and_the_554_rule_right(repo: Repository) -> None:
    """RFC 7504 §5.1 adds 521 to the greeting's replies; RFC 5321 §3.1 says SHOULD, not MUST."""
    code = repo.get("421")
    assert isinstance(code, ReplyCode)
    assert "only 220 and 554" not in code.notes
    assert "521" in code.notes and "RFC 7504 §5.1" in _cited(code)
    assert "SHOULD" in code.notes and "must wait" not in code.notes


def test_355_says_only_the_server_announces_checkpoint(repo: Repository) -> None:
    code = repo.get("355")
    assert "both announced" not in code.when
    assert "server alone announces" in code.when and "RFC 1845 §2" in _cited(code)


@pytest.mark.parametrize("number", ["450", "451"])
def test_450_and_451_give_their_atrn_meaning(repo: Repository, number: str) -> None:
    """RFC 2645 §7: 450 and 451 also answer ATRN in On-Demand Mail Relay."""
    code = repo.get(number)
    assert isinstance(code, ReplyCode)
    assert "ATRN" in code.commands and "RFC 2645 §7" in _cited(code)
    assert "ATRN" in code.notes


def test_every_reply_code_of_the_registry_has_an_entry(repo: Repository) -> None:
    """430, 524 and 533 are in the registry's pairing table (RFC 5248 §2.4): they get entries,
    each saying which enhanced code the registry pairs it with."""
    listed = {number for code in enhanced(repo) if code.standard for number in code.reply_codes}
    assert {"430", "524", "533"} <= listed
    for number in sorted(listed):
        assert number in repo, number
    for number, paired in (("430", "X.5.1"), ("524", "X.7.11"), ("533", "X.7.1")):
        code = repo.get(number)
        assert isinstance(code, ReplyCode) and not code.standard
        assert code.read_as == f"{number[0]}{paired[1:]}" and "RFC 5248 §2.4" in _cited(code)
        assert number in repo.get(paired).reply_codes


def test_every_standard_code_says_which_references_define_it(repo: Repository) -> None:
    for code in basic(repo):
        if code.standard:
            assert code.defined_in, code.code
            assert set(code.defined_in) <= set(code.references), code.code


def test_the_comparison_says_defined_in_only_of_defining_references(repo: Repository) -> None:
    """432 is defined in RFC 4954 §6; RFC 5321 §4.2.1 and RFC 3463 §3.4 only mention it."""
    differences = repo.compare("432", "535").key_differences
    standards = next(line for line in differences if line.startswith("Standards"))
    assert "432 is defined in RFC 4954 §6 (also cited: RFC 4954 §4; RFC 5321" in standards
    assert "defined in RFC 4954 §6, §4" not in standards
    enhanced_line = repo.compare("X.1.1", "X.1.2").key_differences
    assert not any("defined in" in line for line in enhanced_line)
    assert any("X.1.1 is in the registry" in line for line in enhanced_line)


def test_every_reply_code_was_checked_by_a_second_reader(repo: Repository) -> None:
    """Issue 15 item 19: each entry records the sections a second reader checked it against."""
    for code in basic(repo):
        assert code.checked, code.code
        assert set(code.checked) <= set(code.references), code.code


def test_second_reading_fixes(repo: Repository) -> None:
    """Errors the second reading found: citations that did not hold the claim."""
    assert "§4.1.1.5" not in repo.get("221").notes and "§4.1.1.10" in repo.get("221").notes
    code_500 = repo.get("500")
    assert isinstance(code_500, ReplyCode)
    assert "(§4.2.2, §4.3.2)" not in code_500.description
    assert "§4.5.1" in code_500.server_guidance
    code_501 = repo.get("501")
    assert isinstance(code_501, ReplyCode)
    assert "(RFC 5321 §4.1.1)" in code_501.notes and "future extensions" not in code_501.notes
