"""explain.scan: exact findings on invented samples, robustness on any input, corpus recall."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtp_tui.core.scanner import Finding, Scan, scan
from smtp_tui.core.vocabulary import Family, Role

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bounces"

Row = tuple[str, str, int, str, str | None]
"""A finding as the tables below write it: (code, family, line, role, pair)."""


def rows(result: Scan) -> list[Row]:
    return [(f.code, f.family[0], f.line, f.role, f.pair) for f in result.findings]


def assert_consistent(result: Scan) -> None:
    """What holds for every scan, whatever the input."""
    assert result.lines
    for line in result.lines:
        assert "\n" not in line and "\r" not in line
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", line)
    listed: set[tuple[int, str]] = set()
    by_line: dict[int, list[Finding]] = {}
    for finding in result.findings:
        by_line.setdefault(finding.line, []).append(finding)
    previous = 0
    for finding in result.findings:
        assert 1 <= finding.line <= len(result.lines)
        assert finding.line >= previous, "findings come in order of appearance"
        previous = finding.line
        assert (finding.line, finding.code) not in listed, "a code is listed once per line"
        listed.add((finding.line, finding.code))
        assert finding.code in result.lines[finding.line - 1]
        assert finding.code in finding.context and len(finding.context) <= 200
        if finding.family is Family.BASIC:
            assert re.fullmatch(r"[2-5][0-5][0-9]", finding.code)
        else:
            assert finding.family is Family.ENHANCED
            assert re.fullmatch(r"[245]\.[0-7]\.[0-9]{1,3}", finding.code)
        assert finding.role in ("reply", "status", "diagnostic", "text")
        if finding.pair is not None:
            nearby = [
                other
                for line in (finding.line - 1, finding.line, finding.line + 1)
                for other in by_line.get(line, [])
            ]
            assert any(
                other.code == finding.pair and other.family != finding.family for other in nearby
            ), "a pair names a finding of the other family on the same reply"
    assert result.outcome in ("delivered", "temporary", "permanent", "unknown")
    if result.outcome == "unknown":
        assert result.deciding is None
    if result.deciding is not None:
        assert result.deciding in result.findings
    for finding in result.mismatched:
        assert finding in result.findings
        assert finding.family is Family.BASIC
        assert finding.pair is not None and finding.pair[0] != finding.code[0]


# --- Invented samples, one per mail system and encoding: exact findings -------------------------

POSTFIX: list[Row] = [
    ("550", "b", 29, "reply", "5.1.1"),
    ("5.1.1", "e", 29, "reply", "550"),
    ("552", "b", 33, "reply", "5.2.2"),  # said: 552 / 5.2.2 wrapped onto the next line
    ("5.2.2", "e", 34, "reply", "552"),
    ("5.1.1", "e", 49, "status", None),
    ("550", "b", 51, "diagnostic", "5.1.1"),
    ("5.1.1", "e", 51, "diagnostic", "550"),
    ("5.2.2", "e", 57, "status", None),
    ("552", "b", 59, "diagnostic", "5.2.2"),
    ("5.2.2", "e", 59, "diagnostic", "552"),
]
EXIM: list[Row] = [
    ("550", "b", 24, "reply", "5.1.1"),
    ("5.1.1", "e", 24, "reply", "550"),
    ("550", "b", 25, "reply", "5.1.1"),
    ("5.1.1", "e", 25, "reply", "550"),
    ("554", "b", 28, "reply", "5.7.1"),
    ("5.7.1", "e", 28, "reply", "554"),
]
SENDMAIL: list[Row] = [
    ("554", "b", 24, "reply", "5.7.1"),
    ("5.7.1", "e", 24, "reply", "554"),
    ("554", "b", 29, "reply", "5.7.1"),
    ("5.7.1", "e", 29, "reply", "554"),
    ("554", "b", 30, "reply", "5.0.0"),
    ("5.0.0", "e", 30, "reply", "554"),
    ("5.7.1", "e", 41, "status", None),
    ("554", "b", 43, "diagnostic", "5.7.1"),
    ("5.7.1", "e", 43, "diagnostic", "554"),
]
QMAIL: list[Row] = [
    ("5.1.1", "e", 13, "text", None),  # (#5.1.1)
    ("550", "b", 17, "reply", "5.2.1"),
    ("5.2.1", "e", 17, "reply", "550"),
]
OFFICE365: list[Row] = [
    ("550", "b", 31, "reply", "5.1.10"),
    ("5.1.10", "e", 31, "reply", "550"),
    ("5.1.10", "e", 34, "text", None),  # see DSN code 5.1.10
    ("550", "b", 43, "reply", "5.1.10"),
    ("5.1.10", "e", 43, "reply", "550"),
    ("550", "b", 51, "reply", "5.1.10"),
    ("5.1.10", "e", 51, "reply", "550"),
    ("550", "b", 68, "reply", "5.1.10"),  # in the base64 HTML part, beside width:550px
    ("5.1.10", "e", 68, "reply", "550"),
    ("5.1.10", "e", 82, "status", None),
    ("550", "b", 83, "diagnostic", "5.1.10"),
    ("5.1.10", "e", 83, "diagnostic", "550"),
]
GMAIL: list[Row] = [
    ("550", "b", 22, "reply", "5.1.1"),
    ("5.1.1", "e", 22, "reply", "550"),
    ("550", "b", 23, "reply", "5.1.1"),
    ("5.1.1", "e", 23, "reply", "550"),
    ("550", "b", 24, "reply", "5.1.1"),
    ("5.1.1", "e", 24, "reply", "550"),
]
YAHOO: list[Row] = [
    ("554", "b", 14, "reply", None),  # ... disabled (554.30) - the 554.30 is no code
    ("421", "b", 18, "reply", "4.7.0"),  # ... - 4.16.55.1; is no code either
    ("4.7.0", "e", 18, "reply", "421"),
]
DSN_BASE64: list[Row] = [
    ("452", "b", 25, "reply", "4.2.2"),
    ("4.2.2", "e", 25, "reply", "452"),
    ("4.2.2", "e", 37, "status", None),
    ("452", "b", 39, "diagnostic", "4.2.2"),
    ("4.2.2", "e", 39, "diagnostic", "452"),
]
DSN_QUOTED_PRINTABLE: list[Row] = [
    ("554", "b", 18, "reply", "5.7.1"),  # =35=35=34 5.7.=<soft break>1 in the source
    ("5.7.1", "e", 18, "reply", "554"),
    ("5.7.1", "e", 27, "status", None),
    ("554", "b", 28, "diagnostic", "5.7.1"),
    ("5.7.1", "e", 28, "diagnostic", "554"),
]
CR_ONLY: list[Row] = [
    ("550", "b", 9, "reply", "5.1.1"),
    ("5.1.1", "e", 9, "reply", "550"),
    ("220", "b", 12, "reply", None),
]
ISO_2022_JP: list[Row] = [
    ("550", "b", 13, "reply", "5.1.1"),
    ("5.1.1", "e", 13, "reply", "550"),
]
TRANSCRIPT: list[Row] = [
    ("220", "b", 1, "reply", None),
    ("250", "b", 3, "reply", None),
    ("250", "b", 4, "reply", None),
    ("250", "b", 5, "reply", None),
    ("250", "b", 6, "reply", None),  # 250-8BITMIME
    ("250", "b", 7, "reply", None),
    ("250", "b", 9, "reply", "2.1.0"),
    ("2.1.0", "e", 9, "reply", "250"),
    ("451", "b", 11, "reply", "4.7.1"),  # ... try again in 300 seconds: no 300
    ("4.7.1", "e", 11, "reply", "451"),
    ("221", "b", 13, "reply", "2.0.0"),
    ("2.0.0", "e", 13, "reply", "221"),
    ("250", "b", 17, "reply", "2.1.0"),
    ("2.1.0", "e", 17, "reply", "250"),
    ("250", "b", 19, "reply", "2.1.5"),
    ("2.1.5", "e", 19, "reply", "250"),
    ("354", "b", 21, "reply", None),
    ("554", "b", 23, "reply", "5.7.1"),
    ("5.7.1", "e", 23, "reply", "554"),
    ("221", "b", 25, "reply", "2.0.0"),
    ("2.0.0", "e", 25, "reply", "221"),
]
MULTILINE: list[Row] = [
    row
    for line in range(1, 10)
    for row in [("550", "b", line, "reply", "5.7.26"), ("5.7.26", "e", line, "reply", "550")]
]

SAMPLE_CASES = [
    # (file, findings, outcome, deciding (code, line))
    ("postfix.eml", POSTFIX, "permanent", ("5.1.1", 49)),
    ("exim.eml", EXIM, "permanent", ("554", 28)),
    ("sendmail.eml", SENDMAIL, "permanent", ("5.7.1", 41)),
    ("qmail.eml", QMAIL, "permanent", ("550", 17)),
    ("office365.eml", OFFICE365, "permanent", ("5.1.10", 82)),
    ("gmail.eml", GMAIL, "permanent", ("550", 24)),
    # A later 421 closes the session; it does not undo the 554 refusal before it.
    ("yahoo.eml", YAHOO, "permanent", ("554", 14)),
    ("dsn-base64.eml", DSN_BASE64, "temporary", ("4.2.2", 37)),
    ("dsn-quoted-printable.eml", DSN_QUOTED_PRINTABLE, "permanent", ("5.7.1", 27)),
    ("cr-only.eml", CR_ONLY, "permanent", ("550", 9)),
    ("iso-2022-jp.eml", ISO_2022_JP, "permanent", ("550", 13)),
    # The greylisting 451 came first; the 554 after the data is the last word.
    ("transcript.txt", TRANSCRIPT, "permanent", ("554", 23)),
    ("multiline.txt", MULTILINE, "permanent", ("550", 9)),
    ("traps.txt", [], "unknown", None),
]


@pytest.mark.parametrize(
    ("name", "expected", "outcome", "deciding"),
    SAMPLE_CASES,
    ids=[case[0] for case in SAMPLE_CASES],
)
def test_sample(
    name: str, expected: list[Row], outcome: str, deciding: tuple[str, int] | None
) -> None:
    result = scan((SAMPLES / name).read_bytes())
    assert rows(result) == expected
    assert result.outcome == outcome
    found = (result.deciding.code, result.deciding.line) if result.deciding else None
    assert found == deciding
    assert result.mismatched == ()
    assert_consistent(result)


def test_every_sample_is_tested() -> None:
    tested = {case[0] for case in SAMPLE_CASES}
    assert tested == {path.name for path in SAMPLES.iterdir() if path.suffix in (".eml", ".txt")}


def test_samples_need_decoding() -> None:
    """The encoded samples hide their codes until decoded: the sample tests prove the decoding."""
    quoted = (SAMPLES / "dsn-quoted-printable.eml").read_bytes()
    assert b"said: =35=35=34 5.7.=\n1 Message" in quoted
    assert b"4.2.2" not in (SAMPLES / "dsn-base64.eml").read_bytes()
    cr_only = (SAMPLES / "cr-only.eml").read_bytes()
    assert b"\r" in cr_only and b"\n" not in cr_only
    assert (SAMPLES / "office365.eml").read_bytes().count(b"\r\n") > 50
    assert b"\x1b$B" in (SAMPLES / "iso-2022-jp.eml").read_bytes()


def test_decoded_lines_read_as_text() -> None:
    japanese = scan((SAMPLES / "iso-2022-jp.eml").read_bytes())
    assert "Subject: 配信エラーのお知らせ" in japanese.lines
    assert (
        japanese.findings[0].context
        == "理由: 550 5.1.1 宛先のユーザーは存在しません (User unknown)"
    )
    crlf = scan((SAMPLES / "office365.eml").read_bytes())
    assert "Status: 5.1.10" in crlf.lines


# --- Single texts: the rules one at a time ------------------------------------------------------


def test_single_reply() -> None:
    result = scan("550 5.1.1 <a@b.example>: Recipient address rejected")
    assert rows(result) == [("550", "b", 1, "reply", "5.1.1"), ("5.1.1", "e", 1, "reply", "550")]
    assert result.outcome == "permanent"
    assert result.deciding == result.findings[0]
    assert result.findings[0].context == "550 5.1.1 <a@b.example>: Recipient address rejected"


def test_mismatched_classes_are_flagged_and_the_basic_code_decides() -> None:
    result = scan("554 4.0.0 Temporary lookup failure")
    assert result.mismatched == (result.findings[0],)
    assert result.outcome == "permanent"
    assert result.deciding == result.findings[0]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("552 bytes exceed the limit", ["552"]),  # at the start of a line, that is a reply
        ("Message size: 552 bytes", []),  # after a label, it is a size
        ("<<< 250 OK", ["250"]),
        ("< 250 OK", ["250"]),
        ("S: 354 Start mail input; end with <CRLF>.<CRLF>", ["354"]),
        ("host said: 421 Service not available", ["421"]),
        ("Diagnostic-Code: smtp; 550 Host unknown", ["550"]),
        ("(reason: 550 5.1.1 User unknown)", ["550", "5.1.1"]),
        ("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'", ["550", "5.1.1"]),
        ("#550 5.2.3 RESOLVER.RST.RecipSizeLimit", ["550", "5.2.3"]),
        ("> 550 5.1.1 quoted in a reply", ["550", "5.1.1"]),
        ("[2024-05-01 12:34:56] S: 451 4.3.0 Try again later", ["451", "4.3.0"]),
        ("Status: 5.0.0 (permanent failure)", ["5.0.0"]),
        ("dsn=4.2.2, status=deferred", ["4.2.2"]),
        ("Sorry, no mailbox here by that name. (#5.1.1)", ["5.1.1"]),
        ("ERROR_CODE :550, ERROR_CODE :5.1.1", ["550", "5.1.1"]),
        ("550 - Requested action not taken: no such user here", ["550"]),
        ("S: 250-8BITMIME", ["250"]),
        ("said: 550\n    5.1.1 <a@example.org>... User unknown", ["550", "5.1.1"]),
        ("Status: 550 User unknown", ["550"]),
        ("5.2.2 <a@example.org>... Mailbox full", ["5.2.2"]),
    ],
)
def test_where_a_code_stands(text: str, codes: list[str]) -> None:
    assert [finding.code for finding in scan(text).findings] == codes


@pytest.mark.parametrize(
    "text",
    [
        "Connected to [192.0.2.25] and 10.5.1.1 on port 587",
        "Date: Mon, 5 May 2014 15:52:17 +0900 (2024-05-01 12:34:56)",
        "Running Postfix 3.5.1 and client v5.1.0, Perl version 5.6.0, Postfix 2.5.1",
        "This mailbox is disabled (554.30).",
        "Messages temporarily deferred - 4.16.55.1; see the error codes",
        "Message-ID: <550.5.1.1@example.org>",
        "Call +1 555 234 5678 or (555) 250-1234, ZIP 62704",
        "Queue id 4F2A550B3C, hash 0x550a1f, id 550abc",
        "The attachment is 552 KB; the message was 250 lines long",
        "[2001:db8::250]:25, 203.0.113.5:2525, mx:465",
        "Total: $250.00, 12.5% off, pages 250-254, seats 250 and 251",
        "Version: 5.1.1",
        "HTTP error 503; http status 413; handle status 501 and return",
        "## [2.3.3] - 2021-09-12",
        "5.4.1 (2021-01-20)",
        "2.1.0, which fixes it",
        "[[[[[[]]]]]] <<<>>> ((((",
    ],
)
def test_traps_are_not_codes(text: str) -> None:
    assert scan(text).findings == ()


def test_outcomes() -> None:
    assert scan("").outcome == "unknown"
    assert scan("nothing to see here").outcome == "unknown"
    assert scan("354 go ahead").outcome == "unknown"
    assert scan("250 2.0.0 Ok: queued as 4F2A").outcome == "delivered"
    assert scan("250 OK\n451 4.7.1 Greylisted").outcome == "temporary"
    # The last failure decides: refused for good after a transient failure...
    assert scan("451 4.7.1 Greylisted\n550 5.7.1 Rejected").outcome == "permanent"
    # ... and transient after a permanent one, unless it only closes the session.
    assert scan("550 5.1.1 Unknown user\n452 4.3.1 Out of memory").outcome == "temporary"
    closing = scan("550 5.1.1 Unknown user\n421 4.4.2 Timeout, closing")
    assert (closing.outcome, closing.deciding and closing.deciding.code) == ("permanent", "550")
    # Replies outrank codes named in prose.
    prose = scan("550 5.1.1 Unknown user\nSee DSN code 4.4.7 for details")
    assert prose.outcome == "permanent"


def test_a_delivery_status_report_decides_by_its_recipients() -> None:
    report = "\n".join(
        [
            "Reporting-MTA: dns; mx.example.org",
            "",
            "Final-Recipient: rfc822; a@example.net",
            "Action: delivered",
            "Status: 2.0.0",
            "",
            "Final-Recipient: rfc822; b@example.net",
            "Action: delayed",
            "Status: 4.4.1",
            "Diagnostic-Code: smtp; 421 4.4.1 No answer",
            "",
            "Final-Recipient: rfc822; c@example.net",
            "Action: delivered",
            "Status: 2.0.0",
        ]
    )
    result = scan(report)
    assert result.outcome == "temporary"  # the worst recipient, wherever it stands
    assert result.deciding is not None
    assert (result.deciding.code, result.deciding.line, result.deciding.role) == (
        "4.4.1",
        9,
        "status",
    )
    # Action outranks the class of the Status: a transient status the MTA gave up on.
    assert scan("Action: failed\nStatus: 4.4.7").outcome == "permanent"


def test_control_characters_and_long_lines() -> None:
    line = "\x1b[31mhost said:\x07 550 5.1.1 " + "x" * 5000
    result = scan(line)
    assert [f.code for f in result.findings] == ["550", "5.1.1"]
    assert result.findings[0].context.startswith("[31mhost said: 550 5.1.1 x")
    assert len(result.findings[0].context) == 200
    far = scan("y" * 3000 + " said: 550 5.1.1 User unknown " + "z" * 3000)
    assert all(f.code in f.context and len(f.context) <= 200 for f in far.findings)


def test_str_and_bytes_agree() -> None:
    text = (SAMPLES / "transcript.txt").read_text(encoding="ascii")
    assert scan(text) == scan(text.encode("ascii"))


def test_invalid_utf8_binary_and_empty_input() -> None:
    broken = scan(b"\xff\xfe\xfd said: 550 5.1.1 \xc3(")
    assert [f.code for f in broken.findings] == ["550", "5.1.1"]
    assert "\ufffd" in broken.lines[0]
    assert_consistent(scan(bytes(range(256)) * 100))
    assert_consistent(scan(b""))
    assert_consistent(scan("\ud800 lone surrogates \udfff"))


def _nested(depth: int) -> bytes:
    head = (
        b"From: a@example.org\nSubject: x\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b0"\n\n'
    )
    opening = b"".join(
        b'--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' % (level, level + 1)
        for level in range(depth)
    )
    body = b"--b%d\nContent-Type: text/plain\n\nhost said: 550 5.1.1 User unknown\n" % depth
    closing = b"".join(b"--b%d--\n" % level for level in range(depth, -1, -1))
    return head + opening + body + closing


@pytest.mark.parametrize("depth", [3, 60, 2000])
def test_deeply_nested_mime(depth: int) -> None:
    result = scan(_nested(depth))
    assert [f.code for f in result.findings] == ["550", "5.1.1"]
    assert_consistent(result)


def test_five_megabytes_of_mixed_text() -> None:
    chunk = "\n".join(
        [
            (SAMPLES / "traps.txt").read_text(encoding="ascii"),
            (SAMPLES / "multiline.txt").read_text(encoding="ascii"),
            "Received: from mx.example.net ([192.0.2.7]) by relay (Postfix 2.5.1) id 4F2A;",
            "\tMon, 5 May 2014 15:52:17 +0900",
            "Prose about 250 things, version 5.1.0 and (554.30) " * 3,
            "",
        ]
    )
    copies = 5_000_000 // len(chunk) + 1
    result = scan(chunk * copies)
    assert len(result.findings) == copies * len(scan(chunk).findings)
    assert result.outcome == "permanent"
    assert_consistent(result)


def test_explain_imports_only_the_standard_library() -> None:
    check = (
        "import sys; before = set(sys.modules); import smtp_tui.core.scanner; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(new - set(sys.stdlib_module_names) - {'smtp_tui'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- Any input: never raises, always consistent -------------------------------------------------

CODES = ("550", "5.1.1", "250", "2.0.0", "421", "4.4.2", "554", "4.16.55.1", "10.5.1.1")
TRAPS = ("(554.30)", "v5.1.0", "=35=35=30", "\x1b$B", "\x00", "\ufffd", "日本", "User unknown")
MARKS = (" ", "-", "\n", "\r\n", "\r", "\t", "    ", "#", "[", "]", "<", ">", "'", "=", "...")
LEADS = ("said: ", "<<< ", "S: ", "Status: ", "Diagnostic-Code: smtp; ", "Action: failed", "dsn=")
HEADERS = ("From: a@b\n", "Subject: x\n", "Received: ", "X-Mailer: ", "--q\n", "--q--\n")
MIME = ('Content-Type: multipart/mixed; boundary="q"\n', "Content-Transfer-Encoding: base64\n")
FRAGMENTS = [*CODES, *TRAPS, *MARKS, *LEADS, *HEADERS, *MIME]
"""Pieces that, strung together at random, make text that looks like mail and takes every path."""
smtpish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), smtpish))
def test_any_text(text: str) -> None:
    result = scan(text)
    assert_consistent(result)
    assert result == scan(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(), smtpish.map(lambda text: text.encode("utf-8"))))
def test_any_bytes(data: bytes) -> None:
    assert_consistent(scan(data))


# --- The shared corpus of real bounces ------------------------------------------------------------


def test_recall_on_the_shared_corpus() -> None:
    """At least 90% of the codes the corpus lists are found (the benchmark prints the detail)."""
    expected_file = CORPUS / "expected.json"
    if not expected_file.is_file():
        pytest.skip(f"no shared corpus at {CORPUS}")
    records = json.loads(expected_file.read_text(encoding="utf-8"))
    expected = found = 0
    for record in records:
        result = scan((CORPUS / record["file"]).read_bytes())
        assert_consistent(result)
        codes = {finding.code for finding in result.findings}
        wanted = set(record["reply_codes"]) | set(record["enhanced_codes"])
        expected += len(wanted)
        found += len(wanted & codes)
    assert expected > 0
    assert found / expected >= 0.9


def test_finding_is_plain_data() -> None:
    finding = Finding("550", Family.BASIC, 1, "550 x", Role.REPLY, None)
    with pytest.raises(AttributeError):
        finding.code = "551"  # type: ignore[misc]
