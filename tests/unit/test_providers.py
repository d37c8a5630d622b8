"""Provider knowledge (data/providers): loading, validation, detection and matching."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core.errors import DataError
from smtp_tui.core.loading import default_data_dir
from smtp_tui.core.providers import ProviderBook, load_providers
from smtp_tui.core.reasons import Bounce, Fault, Reason, bounce_of


@pytest.fixture(scope="module")
def book() -> ProviderBook:
    return load_providers()


# --- the shipped data ---------------------------------------------------------------------------


def test_the_shipped_providers_load(book: ProviderBook) -> None:
    counts = {provider.slug: len(provider.entries) for provider in book}
    assert counts["microsoft"] >= 40
    assert counts["google"] >= 25
    assert book.get("microsoft").license == "CC BY 4.0"  # type: ignore[union-attr]


def test_every_shipped_entry_holds_to_the_schema(book: ProviderBook) -> None:
    for entry in book.entries():
        where = entry.place
        assert entry.source.startswith("https://"), where
        assert isinstance(entry.checked, datetime.date), where
        assert 0 < len(entry.meaning) <= 64, where
        assert entry.description and entry.fix_sender and entry.fix_admin and entry.retry, where
        for spec in entry.codes:
            assert entry.bounce is bounce_of(entry.reason, spec.reply_class), where
        assert entry.file.endswith(f"{entry.provider}.toml"), where


def test_the_microsoft_file_attributes_its_licence() -> None:
    header = (default_data_dir() / "providers" / "microsoft.toml").read_text("utf-8")[:600]
    assert "CC BY 4.0" in header and "learn.microsoft.com" in header


# --- bad files ----------------------------------------------------------------------------------

GOOD_HEADER = """\
[provider]
slug = "acme"
name = "Acme Mail"
hosts = ["acme.example"]
markers = []
docs = "https://acme.example/bounces"
"""

GOOD_ENTRY = """\
[[entry]]
codes = ["550 5.1.1"]
meaning = "No such user"
description = "The address does not exist."
fix_sender = "Check the address."
fix_admin = "Check the user."
reason = "userunknown"
bounce = "hard"
fault = "recipient"
retry = "Do not send again."
source = "https://acme.example/bounces#511"
checked = 2026-12-03
"""


def _write(tmp_path: Path, text: str, name: str = "acme.toml") -> Path:
    folder = tmp_path / "providers"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return tmp_path


def _entry(**changes: str | None) -> str:
    """GOOD_ENTRY with fields replaced (a TOML value), added, or removed (None)."""
    lines = GOOD_ENTRY.splitlines()
    for name, value in changes.items():
        lines = [line for line in lines if not line.startswith(f"{name} =")]
        if value is not None:
            lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


BAD_FILES = [
    (GOOD_HEADER + "\n" + _entry(colour='"red"'), 8, "field 'colour': unknown field"),
    (GOOD_HEADER + "\n" + _entry(meaning=None), 8, "field 'meaning': missing"),
    (GOOD_HEADER + "\n" + _entry(codes='["550 5.1"]'), 8, "'550 5.1' is not like"),
    (GOOD_HEADER + "\n" + _entry(codes='["650"]'), 8, "'650' is not like"),
    (GOOD_HEADER + "\n" + _entry(codes='["450 5.1.1"]'), 8, "class must be the reply"),
    (GOOD_HEADER + "\n" + _entry(pattern='"(unclosed"'), 8, "not a valid regular expression"),
    (GOOD_HEADER + "\n" + _entry(reason='"lost"'), 8, "'lost' is not one of"),
    (GOOD_HEADER + "\n" + _entry(fault='"mine"'), 8, "'mine' is not one of"),
    (GOOD_HEADER + "\n" + _entry(bounce='"firm"'), 8, "'firm' is not one of"),
    (GOOD_HEADER + "\n" + _entry(reason='"blocked"'), 8, "says hard, but blocked"),
    (
        GOOD_HEADER + "\n" + _entry(codes='["450 4.1.1"]', reason='"notaccept"'),
        8,
        "says hard, but notaccept",
    ),
    (GOOD_HEADER + "\n" + _entry(checked='"2026-12-03"'), 8, "must be a TOML date"),
    (GOOD_HEADER + "\n" + _entry(checked=None), 8, "field 'checked': missing"),
    (
        GOOD_HEADER + "\n" + _entry(source='"http://acme.example/"'),
        8,
        "must be an https://",
    ),
    (GOOD_HEADER + "\n" + GOOD_ENTRY + "\n" + GOOD_ENTRY, 21, "same codes and pattern"),
    (GOOD_HEADER.replace('"acme"', '"other"') + GOOD_ENTRY, 1, "field 'slug'"),
    (GOOD_HEADER.replace('"acme.example"]', '"not a host"]'), 1, "field 'hosts'"),
    (GOOD_HEADER.replace("https://acme", "ftp://acme"), 1, "field 'docs'"),
    (GOOD_HEADER + 'extra = "x"\n', 1, "field 'extra': unknown field"),
]


@pytest.mark.parametrize(("text", "line", "expected"), BAD_FILES, ids=[c[2] for c in BAD_FILES])
def test_bad_provider_files_are_one_line_errors(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    root = _write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_providers(root)
    message = str(caught.value)
    assert "\n" not in message
    assert f"acme.toml:{line}:" in message
    assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[provider\n", "TOML syntax"),
        ("[[entry]]\ncodes = []\n", "no [provider] table"),
        (GOOD_HEADER + "[rules]\nx = 1\n", "unknown top-level key 'rules'"),
        ("entry = 1\n" + GOOD_HEADER, "'entry' must be an array of tables"),
    ],
)
def test_broken_provider_files_name_the_file(tmp_path: Path, text: str, expected: str) -> None:
    root = _write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_providers(root)
    assert "acme.toml" in str(caught.value) and expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_host_claimed_by_two_providers_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_HEADER + GOOD_ENTRY)
    root = _write(tmp_path, GOOD_HEADER.replace('"acme"', '"acme2"') + GOOD_ENTRY, "acme2.toml")
    with pytest.raises(DataError, match=r"host acme\.example is also claimed"):
        load_providers(root)


def test_a_data_folder_without_providers_has_none(tmp_path: Path) -> None:
    assert len(load_providers(tmp_path)) == 0


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    root = _write(tmp_path, GOOD_HEADER + GOOD_ENTRY)
    assert load_providers(root).get("acme").name == "Acme Mail"  # type: ignore[union-attr]
    _write(tmp_path, GOOD_HEADER.replace("Acme Mail", "Acme Post") + GOOD_ENTRY)
    assert load_providers(root).get("acme").name == "Acme Post"  # type: ignore[union-attr]


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (
            "host gmail-smtp-in.l.google.com[142.250.102.27] said: 550 5.1.1 user unknown",
            "google",
        ),
        ("Remote-MTA: dns; contoso-com.mail.protection.outlook.com", "microsoft"),
        (
            "550 5.7.1 blocked (S3150). [DB3EUR04FT007.eop-eur04.prod.protection.outlook.com]",
            "microsoft",
        ),
        ("421 4.7.28 ... review our Bulk Email Senders Guidelines. a1si2 - gsmtp", "google"),
        ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found", "microsoft"),
        ("Final-Recipient: rfc822; someone@hotmail.com", "microsoft"),
        # The remote that replied decides, though another provider's host comes first.
        (
            "Reporting-MTA: dns; mail-wr1-f41.google.com\n"
            "Remote-MTA: dns; contoso-com.mail.protection.outlook.com",
            "microsoft",
        ),
        # A suffix counts only at a dot boundary.
        ("host mx.notgoogle.com[192.0.2.1] said: 550 no", None),
        ("550 5.1.1 <user@example.net>: Recipient address rejected", None),
    ],
)
def test_detection(book: ProviderBook, text: str, slug: str | None) -> None:
    found = book.detect(text)
    assert (found.slug if found else None) == slug


# --- matching -----------------------------------------------------------------------------------


def test_matching_prefers_pattern_entries(book: ProviderBook) -> None:
    relay = book.match("550", "5.4.1", "550 5.4.1 Relay Access Denied", "microsoft")
    plain = book.match("550", "5.4.1", "550 5.4.1 something else", "microsoft")
    assert relay is not None and relay.reason is Reason.NORELAYING and relay.pattern is not None
    assert plain is not None and plain.reason is Reason.USERUNKNOWN and plain.pattern is None


def test_a_pattern_entry_wins_wherever_it_stands_in_the_file(tmp_path: Path) -> None:
    later = _entry(pattern='"mailbox full"', reason='"mailboxfull"', bounce='"soft"')
    root = _write(tmp_path, GOOD_HEADER + GOOD_ENTRY + "\n" + later)
    book = load_providers(root)
    found = book.match("550", "5.1.1", "550 5.1.1 Mailbox FULL", "acme")
    assert found is not None and found.reason is Reason.MAILBOXFULL
    found = book.match("550", "5.1.1", "550 5.1.1 gone", "acme")
    assert found is not None and found.reason is Reason.USERUNKNOWN


def test_nothing_matches_without_a_provider(book: ProviderBook) -> None:
    assert book.match("550", "5.1.10", "550 5.1.10 no provider named here") is None
    text = "550 5.1.10 RESOLVER.ADR.RecipientNotFound"
    assert book.match("550", "5.1.10", text, "nosuchprovider") is None
    assert book.match("550", "5.1.10", text, book.get("google")) is None
    assert book.match("550", "5.1.10", text) is not None


def test_ranges_cover_their_codes(book: ProviderBook) -> None:
    text = "550 5.7.620 Access denied, banned sending IP [192.0.2.1]"
    found = book.match("550", "5.7.620", text, "microsoft")
    assert found is not None and found.reason is Reason.BLOCKED
    assert book.match("550", "5.7.650", text, "microsoft") is None


def test_for_code_lists_what_providers_mean(book: ProviderBook) -> None:
    meanings = {(entry.provider, entry.reason) for entry in book.for_code("5.4.1")}
    assert ("microsoft", Reason.USERUNKNOWN) in meanings
    assert {entry.provider for entry in book.for_code("550 5.1.1")} >= {"google", "microsoft"}
    assert book.for_code("5.7.606")[0].meaning == "Sending IP banned by Microsoft"
    assert book.for_code("not a code") == []


ISSUE_TABLE = [
    (
        "host contoso-com.mail.protection.outlook.com[52.101.1.1] said: "
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "550",
        "5.1.10",
        "Recipient not found",
        Reason.USERUNKNOWN,
        Bounce.HARD,
        Fault.RECIPIENT,
    ),
    (
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
        "[BN1NAM02FT022.eop-nam02.prod.protection.outlook.com]",
        "550",
        "5.4.1",
        "Recipient rejected by directory-based edge blocking",
        Reason.USERUNKNOWN,
        Bounce.HARD,
        Fault.RECIPIENT,
    ),
    (
        "Remote-MTA: dns; AM6PR01MB1234.eurprd01.prod.outlook.com\n"
        "Diagnostic-Code: smtp; 554 5.2.2 Submission quota exceeded",
        "554",
        "5.2.2",
        "Your sending quota is exceeded",
        Reason.SPEEDING,
        Bounce.SOFT,
        Fault.SENDER,
    ),
    (
        "550 5.7.12 Sender was not authenticated by organization [CY4PR01MB1234.prod.outlook.com]",
        "550",
        "5.7.12",
        "Recipient accepts only internal senders",
        Reason.REJECTED,
        Bounce.SOFT,
        Fault.SENDER,
    ),
    (
        "host hotmail-com.olc.protection.outlook.com[52.101.2.2] said: "
        "550 5.5.0 Requested action not taken: mailbox unavailable",
        "550",
        "5.5.0",
        "Recipient not found (Outlook.com)",
        Reason.USERUNKNOWN,
        Bounce.HARD,
        Fault.RECIPIENT,
    ),
    (
        "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass "
        "for this message; the message does not pass SPF. a1si2 - gsmtp",
        "421",
        "4.7.27",
        "SPF did not pass",
        Reason.AUTHFAILURE,
        Bounce.SOFT,
        Fault.SENDER,
    ),
]


@pytest.mark.parametrize(
    ("text", "reply", "enhanced", "meaning", "reason", "bounce", "fault"), ISSUE_TABLE
)
def test_the_replies_of_issue_11_match_the_providers_meaning(
    book: ProviderBook,
    text: str,
    reply: str,
    enhanced: str,
    meaning: str,
    reason: Reason,
    bounce: Bounce,
    fault: Fault,
) -> None:
    found = book.match(reply, enhanced, text)
    assert found is not None
    assert (found.meaning, found.reason, found.bounce, found.fault) == (
        meaning,
        reason,
        bounce,
        fault,
    )


# --- load cost ----------------------------------------------------------------------------------

IMPORTS = """
import sys
import smtp_tui.cli.commands
smtp_tui.cli.commands.main({args})
print("providers loaded:", "smtp_tui.core.providers" in sys.modules)
"""


@pytest.mark.parametrize("args", [["show", "452"], ["show", "5.4.1", "--json"], ["list"]])
def test_show_and_list_never_import_the_providers(args: list[str]) -> None:
    """`show` lists what providers mean by a code, from the small index cached by the first
    run that needed it; no later lookup parses a provider file."""
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", IMPORTS.format(args=args)],
            capture_output=True,
            text=True,
            check=True,
        )
    assert result.stdout.strip().splitlines()[-1] == "providers loaded: False"
