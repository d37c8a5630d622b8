"""Explain reads a reply against the provider that sent it (issue 11): the provider's meaning first,
a reason, hard/soft and whose move for every failure, advice that never contradicts the outcome,
each recipient of a report, and the JSON of schema 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core.diagnosis import SCHEMA_VERSION, Diagnosis, diagnose, diagnosis_to_dict
from smtp_tui.core.display import SectionKey, text_of
from smtp_tui.core.display.diagnosis import diagnosis_document
from smtp_tui.core.display.markdown import markdown
from smtp_tui.core.repository import Repository

SEVEN = [
    pytest.param(
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "microsoft",
        "Recipient not found",
        "userunknown",
        "hard",
        "recipient",
        id="microsoft-5.1.10",
    ),
    pytest.param(
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"
        " [BN1NAM02FT022.eop-nam02.prod.protection.outlook.com]",
        "microsoft",
        "Recipient rejected by directory-based edge blocking",
        "userunknown",
        "hard",
        "recipient",
        id="microsoft-5.4.1",
    ),
    pytest.param(
        "554 5.2.2 Submission quota exceeded [DM6PR11MB1234.namprd11.prod.outlook.com]",
        "microsoft",
        "Your sending quota is exceeded",
        "speeding",
        "soft",
        "sender",
        id="microsoft-5.2.2",
    ),
    pytest.param(
        "550 5.7.12 Sender was not authenticated by organization"
        " [AM0PR01MB1234.eurprd01.prod.outlook.com]",
        "microsoft",
        "Recipient accepts only internal senders",
        "rejected",
        "soft",
        "sender",
        id="microsoft-5.7.12",
    ),
    pytest.param(
        "550 5.5.0 Requested action not taken: mailbox unavailable (outlook.com)",
        "microsoft",
        "Recipient not found (Outlook.com)",
        "userunknown",
        "hard",
        "recipient",
        id="outlook-5.5.0",
    ),
    pytest.param(
        "554 5.7.9 Message not accepted for policy reasons."
        " See https://help.yahoo.com/kb/postmaster/SLN7253.html",
        "yahoo",
        "Rejected for policy reasons",
        "policyviolation",
        "soft",
        "sender",
        id="yahoo-5.7.9",
    ),
    pytest.param(
        "421 4.7.27 Your email has been rate limited because the domain in your SPF"
        " does not pass SPF. gsmtp",
        "google",
        "SPF did not pass",
        "authfailure",
        "soft",
        "sender",
        id="gmail-4.7.27",
    ),
]

WAIT_WORDS = ("keeps trying", "tries again", "keeps the message", "will retry")
"""Words that promise a retry: a permanent failure is never retried (RFC 5321 §4.2.1)."""


@pytest.mark.parametrize(("reply", "provider", "meaning", "reason", "bounce", "fault"), SEVEN)
def test_the_seven_replies_show_the_providers_meaning_reason_bounce_and_fault(
    repo: Repository, reply: str, provider: str, meaning: str, reason: str, bounce: str, fault: str
) -> None:
    diagnosis = diagnose(reply, repo)
    data = diagnosis_to_dict(diagnosis)
    assert (data["provider"], data["reason"], data["bounce"], data["fault"]) == (
        provider,
        reason,
        bounce,
        fault,
    )
    assert data["why"]
    deciding = next(f for f in data["findings"] if f["line"] == 1 and f["family"] == "enhanced")
    assert (deciding["provider"], deciding["provider_meaning"]) == (provider, meaning)
    document = diagnosis_document(diagnosis)
    shown = markdown(document)
    # The provider's meaning comes before the registry's.
    assert shown.index(meaning) < shown.index("Registry's meaning")
    for words in (reason, "Whose move", "Why"):
        assert words in shown
    assert ("hard: sending again can never work" in shown) == (bounce == "hard")
    if data["outcome"] == "permanent":
        advice = (diagnosis.advice or "").lower()
        assert not any(words in advice for words in WAIT_WORDS), advice


def test_a_number_used_otherwise_than_the_registry_is_said_plainly(repo: Repository) -> None:
    reply = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    diagnosis = diagnose(reply, repo)
    assert diagnosis.deciding is not None and diagnosis.deciding.differs
    verdict = diagnosis_document(diagnosis).section(SectionKey.VERDICT)
    assert verdict is not None
    said = [text_of(block.text) for block in verdict.blocks if hasattr(block, "text")]
    assert any("uses 550 5.1.10 differently from the registry" in words for words in said)
    assert "null MX" not in diagnosis.advice  # the registry's meaning does not advise here
    # Google's 5.1.1 is the registry's 5.1.1: nothing to say.
    same = diagnose(
        "550 5.1.1 The email account that you tried to reach does not exist. gsmtp", repo
    )
    assert same.deciding is not None and same.deciding.provider_entry is not None
    assert not same.deciding.differs


def test_microsofts_5_4_1_advice_never_says_wait(repo: Repository) -> None:
    """Issue 11: the outcome was "permanent" while the advice said "your server keeps trying"."""
    reply = "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"
    diagnosis = diagnose(reply + " [x.prod.protection.outlook.com]", repo)
    assert diagnosis.scan.outcome == "permanent" and diagnosis.advice
    assert diagnosis.advice != repo.get("5.4.1").fix_sender
    # Without a provider the registry's number alone speaks, but the words still decide.
    alone = diagnose("550 5.4.1 Recipient address rejected: Access denied", repo)
    assert alone.provider is None and alone.verdict is not None
    assert "keeps trying" not in alone.advice and "tries again" not in alone.advice


@pytest.mark.parametrize(
    ("reply", "hint"),
    [
        ("550 5.1.1 <a@example.org>: Recipient address rejected: User unknown", "address"),
        ("552 5.2.2 <a@example.org>: mailbox full", "mailbox"),
        ("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen", "your"),
        ("451 4.3.0 Temporary lookup failure", "temporary"),
    ],
)
def test_advice_follows_the_verdict(repo: Repository, reply: str, hint: str) -> None:
    diagnosis = diagnose(reply, repo)
    assert diagnosis.verdict is not None and hint in diagnosis.advice.lower()
    if diagnosis.scan.outcome == "permanent":
        assert "keeps the message" not in diagnosis.advice


# --- Each recipient of a report ----------------------------------------------------------------

TWO_RECIPIENTS = """\
From: MAILER-DAEMON@mx.example.net
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Two of your recipients could not be reached.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.com
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown

Final-Recipient: rfc822; full@example.com
Action: failed
Status: 5.2.2
Remote-MTA: dns; mx.example.com
Diagnostic-Code: smtp; 552 5.2.2 <full@example.com>: Mailbox full

Final-Recipient: rfc822; slow@example.com
Action: delayed
Status: 4.4.1
Remote-MTA: dns; mx2.example.com
Diagnostic-Code: smtp; 421 4.4.1 Connection timed out
--b1--
"""


def _diagnose_bytes(text: str, repo: Repository) -> Diagnosis:
    return diagnose(text.encode(), repo)


def test_a_report_on_several_recipients_lists_each(repo: Repository) -> None:
    diagnosis = _diagnose_bytes(TWO_RECIPIENTS, repo)
    data = diagnosis_to_dict(diagnosis)
    assert data["report_kind"] == "dsn"
    rows = [
        (r["address"], r["action"], r["status"], r["reply_code"], r["remote_mta"], r["reason"])
        for r in data["recipients"]
    ]
    assert rows == [
        ("gone@example.com", "failed", "5.1.1", "550", "mx.example.com", "userunknown"),
        ("full@example.com", "failed", "5.2.2", "552", "mx.example.com", "mailboxfull"),
        ("slow@example.com", "delayed", "4.4.1", "421", "mx2.example.com", "networkerror"),
    ]
    assert [r["bounce"] for r in data["recipients"]] == ["hard", "soft", None]
    shown = markdown(diagnosis_document(diagnosis))
    assert "gone@example.com" in shown and "failed · 5.1.1 · 550 · mx.example.com" in shown
    assert "none: not a bounce" in shown


def test_delayed_is_temporary_not_a_bounce(repo: Repository) -> None:
    delayed = TWO_RECIPIENTS.replace("Action: failed", "Action: delayed").replace(
        "Status: 5.", "Status: 4."
    )
    data = diagnosis_to_dict(_diagnose_bytes(delayed, repo))
    assert data["outcome"] == "temporary"
    assert {r["action"] for r in data["recipients"]} == {"delayed"}
    assert {r["bounce"] for r in data["recipients"]} == {None}


PROSE = """\
From: Mail Delivery System <mailer-daemon@mx.example.net>
To: sender@example.org
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.
A message that you sent could not be delivered to one or more of its recipients:

  full@example.com
    host mx.example.com [192.0.2.7]
    SMTP error from remote mail server after RCPT TO:<full@example.com>:
    552 5.2.2 Mailbox full

  gone@example.com
    host mx.example.com [192.0.2.7]
    SMTP error from remote mail server after RCPT TO:<gone@example.com>:
    550 5.1.1 No such user here
"""


def test_a_bounce_in_prose_lists_each_failed_recipient(repo: Repository) -> None:
    data = diagnosis_to_dict(_diagnose_bytes(PROSE, repo))
    assert data["report_kind"] == "bounce"
    rows = [
        (r["address"], r["status"], r["reply_code"], r["reason"], r["bounce"])
        for r in data["recipients"]
    ]
    assert rows == [
        ("full@example.com", "5.2.2", "552", "mailboxfull", "soft"),
        ("gone@example.com", "5.1.1", "550", "userunknown", "hard"),
    ]


ARF = """\
From: feedback@mail.example.net
To: abuse@example.org
Subject: Complaint about a message from 192.0.2.1
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="f1"

--f1
Content-Type: text/plain

This is an email abuse report for an email message received from IP 192.0.2.1.

--f1
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Source-IP: 192.0.2.1

--f1--
"""

VACATION = """\
From: bob@example.com
To: alice@example.org
Subject: Out of office: lunch on Tuesday
Auto-Submitted: auto-replied

I am away until Monday and will read your message when I am back.
"""


def test_a_complaint_report_gives_its_feedback_type(repo: Repository) -> None:
    diagnosis = _diagnose_bytes(ARF, repo)
    data = diagnosis_to_dict(diagnosis)
    assert (data["report_kind"], data["reason"], data["feedback"]) == (
        "feedback",
        "feedback",
        "abuse",
    )
    assert data["bounce"] is None
    assert "abuse" in diagnosis.headline and "not a failure" in diagnosis.headline
    assert "Feedback type" in markdown(diagnosis_document(diagnosis))


def test_an_auto_reply_is_vacation_not_a_failure(repo: Repository) -> None:
    diagnosis = _diagnose_bytes(VACATION, repo)
    data = diagnosis_to_dict(diagnosis)
    assert (data["report_kind"], data["reason"], data["bounce"]) == ("auto-reply", "vacation", None)
    assert data["advice"] is None and "not a failure" in diagnosis.headline


# --- The JSON, schema 2 ------------------------------------------------------------------------


def test_json_schema_2_keeps_version_1_and_adds_the_verdict(repo: Repository) -> None:
    data = diagnosis_to_dict(diagnose("550 5.1.1 <a@example.org>: User unknown", repo))
    version_1 = {"outcome", "headline", "deciding", "advice", "findings", "left_out"}
    version_2 = {"schema_version", "reason", "bounce", "fault", "provider", "why"}
    version_2 |= {"report_kind", "recipients", "feedback"}
    assert version_1 | version_2 <= set(data)
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert (data["reason"], data["bounce"], data["fault"]) == ("userunknown", "hard", "recipient")
    assert (data["provider"], data["report_kind"], data["recipients"]) == (None, "reply", [])
    finding = data["findings"][0]
    assert {"provider", "provider_meaning", "reason"} <= set(finding)
    assert finding["reason"] == "userunknown" and finding["provider_meaning"] is None
    json.dumps(data)


def test_nothing_said_has_no_verdict(repo: Repository) -> None:
    data = diagnosis_to_dict(diagnose("hello there", repo))
    assert (data["reason"], data["bounce"], data["fault"], data["why"]) == (None, None, None, None)
    assert data["report_kind"] is None


def test_the_cli_prints_the_document(repo: Repository) -> None:
    from smtp_tui.cli import render
    from smtp_tui.cli.terminal import Style, Writer

    out = io.StringIO()
    reply = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    render.diagnosis(diagnose(reply, repo), Writer(out, Style(False), 100))
    text = out.getvalue()
    assert text.index("Provider's meaning: Recipient not found") < text.index("Registry's meaning")
    assert "Reason: userunknown" in text and "Bounce: hard" in text
    assert "Whose move: the recipient" in text and "Why: " in text
    assert "null MX" not in text.split("Registry's meaning")[0]


# --- The browser's explain screen --------------------------------------------------------------


async def test_the_explain_screen_shows_provider_reason_bounce_fault_and_why(
    repo: Repository,
) -> None:
    from textual.widgets import OptionList, Static, TextArea

    from smtp_tui.tui.app import SmtpTuiApp
    from smtp_tui.tui.screens.explain import ExplainScreen
    from smtp_tui.tui.screens.main import MainScreen

    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        screen.query_one(TextArea).text = (
            "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"
            " [BN1NAM02FT022.eop-nam02.prod.protection.outlook.com]"
        )
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdict = str(screen.query_one("#verdict", Static).content)
        assert verdict.startswith("Permanent failure")
        for words in (
            "Provider: Microsoft 365 / Outlook.com",
            "Provider's meaning: Recipient rejected by directory-based edge blocking",
            "differently from the registry",
            "Reason: userunknown",
            "Bounce: hard",
            "Whose move: the recipient",
            "Why: the provider's entry",
        ):
            assert words in verdict, words
        assert "keeps trying" not in verdict
        findings = screen.query_one("#findings", OptionList)
        assert findings.option_count == 1
        prompt = str(findings.get_option_at_index(0).prompt)
        assert "Recipient rejected by directory-based edge blocking" in prompt
        assert prompt.index("edge blocking") < prompt.index("No answer from host")
        await pilot.press("tab", "enter")  # the list of findings still opens a code
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.current is not None and app.screen.current.code == "5.4.1"


TRANSCRIPT = """\
S: 220 mx.example.com ESMTP
C: EHLO client.example.org
S: 250 mx.example.com
C: MAIL FROM:<a@example.org>
S: 250 2.1.0 ok
C: RCPT TO:<b@example.com>
S: 550 5.1.1 <b@example.com>: user unknown [/bold] [192.0.2.1]
"""


@pytest.mark.parametrize("text", [TRANSCRIPT, TWO_RECIPIENTS, ARF, SEVEN[1].values[0]])
def test_the_three_renderers_show_the_same_diagnosis(repo: Repository, text: str) -> None:
    """Terminal text, Markdown and Textual Content draw one document: the same headings, and
    every fact's words, shown literally (SMTP text full of brackets is never markup)."""
    from smtp_tui.cli import render, terminal
    from smtp_tui.core.display import Fact, Paragraph, Points, walk
    from smtp_tui.tui.widgets.document import document as content

    doc = diagnosis_document(_diagnose_bytes(text, repo))
    out = io.StringIO()
    render.document(doc, terminal.Writer(out, terminal.Style(False), 400))
    shown = {
        "text": out.getvalue(),
        "markdown": markdown(doc).replace("*", ""),  # its emphasis marks
        "content": str(content(doc).plain),
    }
    headings = [part.heading for _, part in walk(doc) if part.heading]
    blocks = [block for _, part in walk(doc) for block in part.blocks]
    facts = [text_of(block.text) for block in blocks if isinstance(block, Fact | Paragraph)]
    facts += [block.label for block in blocks if isinstance(block, Fact)]
    facts += [
        text_of(item) for block in blocks if isinstance(block, Points) for item in block.items
    ]
    assert facts
    for medium, words in shown.items():
        flowing = " ".join(words.split())  # the terminal wraps lines at its width
        for heading in headings:
            assert heading in words, (medium, heading)
        for fact in facts:
            assert " ".join(fact.split()) in flowing, (medium, fact)
    if text is TRANSCRIPT:
        assert "[/bold] [192.0.2.1]" in shown["content"]
        assert doc.keys()[:2] == (SectionKey.VERDICT, SectionKey.SESSIONS)


def test_the_cli_exits_0_for_a_complaint_or_an_auto_reply(tmp_path: Path) -> None:
    """A report recognised without any code is found, not "nothing found" (exit status 1)."""
    for name, text in (("arf.eml", ARF), ("away.eml", VACATION), ("none.txt", "hello there")):
        (tmp_path / name).write_text(text)
    results = [
        subprocess.run(
            [sys.executable, "-m", "smtp_tui", "explain", "--json", "--file", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        for name in ("arf.eml", "away.eml", "none.txt")
    ]
    assert [result.returncode for result in results] == [0, 0, 1]
    assert json.loads(results[0].stdout)["feedback"] == "abuse"
