"""Transcripts as tools print them: stages, the reply to each command, and an honest verdict.

The samples in tests/samples/transcripts are real: printed by swaks, smtplib and nodemailer against
the scripted server in tests/transcript_server.py, or excerpts from public issue threads and
documentation (each names its source). Each opens with one ``# expect:`` line per session:
``<delivered|not-sent> <failed stage|-> | <stages> | <reply codes, - for none>``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core.diagnosis import diagnose, diagnosis_to_dict
from smtp_tui.core.reasons import Reason
from smtp_tui.core.repository import Repository
from smtp_tui.core.scanner import scan
from smtp_tui.core.transcript import Session, Stage, sessions
from tests.transcript_server import scripted_server

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "samples" / "transcripts"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))

ISSUE_SWAKS = """\
 -> AUTH LOGIN
<** 530 Must issue a STARTTLS command first
 -> QUIT
<-  221 Bye
"""


def _expected(path: Path) -> tuple[list[str], list[str]]:
    """The ``# expect:`` lines of a sample, and its transcript without the header comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("# ")]
    expect = [line.removeprefix("# expect:").strip() for line in header if "expect:" in line]
    return expect, lines[len(header) :]


def _observed(session: Session) -> str:
    verdict = "delivered" if session.delivered else "not-sent"
    failed = session.failed_stage.value if session.failed_stage else "-"
    stages = " ".join(step.stage.value for step in session.steps)
    replies = " ".join(step.reply_code or "-" for step in session.steps)
    return f"{verdict} {failed} | {stages} | {replies}"


def test_there_are_thirty_samples_or_more() -> None:
    assert len(SAMPLE_FILES) >= 30


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_sample_stages_verdict_and_every_reply(path: Path) -> None:
    expect, body = _expected(path)
    assert expect, f"{path.name} has no '# expect:' line"
    found = sessions(body)
    assert [_observed(session) for session in found] == expect


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_no_sample_is_delivered_without_a_2xx_after_the_data(path: Path) -> None:
    for session in sessions(_expected(path)[1]):
        accepted = [
            step
            for step in session.steps
            if step.stage is Stage.END_OF_DATA and (step.reply_code or "").startswith("2")
        ]
        assert session.delivered == bool(accepted)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_the_headline_of_a_sample_is_its_last_deciding_session(
    path: Path, repo: Repository
) -> None:
    """The closing 221 never decides: a session that failed is never called delivered."""
    expect, body = _expected(path)
    diagnosis = diagnose("\n".join(body), repo)
    assert diagnosis.sessions
    decisive = [line for line in expect if not line.startswith("not-sent -")] or expect
    delivered = decisive[-1].startswith("delivered")
    assert diagnosis.headline.startswith("Delivered") == delivered
    assert (diagnosis.scan.outcome == "delivered") == delivered


def test_the_issue_swaks_case_is_not_sent_failed_at_auth(repo: Repository) -> None:
    diagnosis = diagnose(ISSUE_SWAKS, repo)
    assert diagnosis.headline == "Not sent: failed at AUTH: 530 Must issue a STARTTLS command first"
    assert diagnosis.scan.outcome == "permanent"
    assert diagnosis.deciding is not None and diagnosis.deciding.codes == ("530",)
    (session,) = diagnosis.sessions
    assert session.verdict is not None
    assert session.verdict.reason is Reason.SECURITYERROR
    assert session.verdict.fault is not None and session.verdict.fault.value == "sender"


def test_the_swaks_error_line_alone_is_found() -> None:
    assert [f.code for f in scan("<** 530 Must issue a STARTTLS command first").findings] == ["530"]


def test_a_lone_marked_reply_is_a_reply_not_a_session(repo: Repository) -> None:
    text = "S: 550-Requested action not taken: mailbox unavailable\nS: 550 Failure sending mail\n"
    diagnosis = diagnose(text, repo)
    assert diagnosis.sessions == ()
    assert diagnosis.headline.startswith("Permanent failure")


def test_a_session_that_stops_before_data_is_not_sent_without_blame(repo: Repository) -> None:
    text = "S: 220 mx.example.net ESMTP\nC: EHLO client.example.org\nS: 250 mx.example.net\n"
    diagnosis = diagnose(text, repo)
    (session,) = diagnosis.sessions
    assert session.failure is None and session.verdict is None
    assert diagnosis.headline == "Not sent: the session stopped before DATA, with no failure."
    assert diagnosis.scan.outcome == "unknown"
    assert diagnosis.advice == ""


def test_two_sessions_in_one_paste_are_two(repo: Repository) -> None:
    """The shipped sample: greylisted at RCPT, then refused after the data on a new connection."""
    text = (ROOT / "tests" / "samples" / "transcript.txt").read_text(encoding="ascii")
    first, second = diagnose(text, repo).sessions
    assert (first.failed_stage, first.failure and first.failure.reply_code) == (Stage.RCPT, "451")
    assert (second.failed_stage, second.failure and second.failure.reply_code) == (
        Stage.END_OF_DATA,
        "554",
    )


def test_json_of_a_transcript_adds_sessions_and_keeps_every_key(repo: Repository) -> None:
    data = diagnosis_to_dict(diagnose(ISSUE_SWAKS, repo))
    assert {"outcome", "headline", "deciding", "advice", "findings"} <= set(data)
    assert data["report_kind"] == "transcript"
    (session,) = data["sessions"]  # type: ignore[misc]
    assert session["delivered"] is False
    assert session["failed_stage"] == "auth"
    assert (session["reason"], session["bounce"], session["fault"]) == (
        "securityerror",
        "soft",
        "sender",
    )
    assert session["steps"][0] == {
        "stage": "auth",
        "command": "AUTH LOGIN",
        "reply_code": "530",
        "enhanced_code": None,
        "text": "530 Must issue a STARTTLS command first",
        "line": 2,
    }
    json.dumps(data)


def test_json_of_a_single_reply_has_no_transcript_keys(repo: Repository) -> None:
    data = diagnosis_to_dict(diagnose("550 5.1.1 <a@example.org>: User unknown", repo))
    assert data["report_kind"] == "reply" and "sessions" not in data


def test_cli_text_shows_the_verdict_and_the_steps() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "smtp_tui", "explain"],
        input=ISSUE_SWAKS,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Not sent: failed at AUTH: 530 Must issue a STARTTLS command first"
    assert "Session 1" in lines
    assert any(
        "auth" in line and "AUTH LOGIN → 530 Must issue a STARTTLS command first" in line
        for line in lines
    )
    assert any("quit" in line and "QUIT → 221 Bye" in line for line in lines)


def test_a_million_lone_replies_keep_no_sessions() -> None:
    assert sessions(["220 mx.example.net ESMTP"] * 100_000) == ()


# --- Live: real tools against the scripted server on 127.0.0.1 --------------------------------

LIVE = {
    "starttls-required": "not-sent auth | greeting ehlo auth quit | 220 250 530 221",
    "auth-failed": "not-sent auth | greeting ehlo auth auth auth quit | 220 250 334 334 535 221",
    "rcpt-unknown": "not-sent rcpt | greeting ehlo mail rcpt quit | 220 250 250 550 221",
    "data-rejected": (
        "not-sent end-of-data | greeting ehlo mail rcpt data end-of-data quit"
        " | 220 250 250 250 354 554 221"
    ),
    "delivered": (
        "delivered - | greeting ehlo mail rcpt data end-of-data quit | 220 250 250 250 354 250 221"
    ),
}


@pytest.mark.skipif(
    shutil.which("swaks") is None, reason="swaks is not installed (.ci/run installs it)"
)
@pytest.mark.parametrize("scenario", sorted(LIVE))
def test_swaks_against_the_scripted_server(scenario: str) -> None:
    with scripted_server(scenario) as port:
        args = ["swaks", "--server", "127.0.0.1", "--port", str(port)]
        args += ["--to", "walt@example.net", "--from", "vera@example.org"]
        if scenario in ("starttls-required", "auth-failed"):
            args += ["--auth", "LOGIN", "--auth-user", "vera", "--auth-password", "secret"]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    found = sessions((done.stdout + done.stderr).splitlines())
    assert [_observed(session) for session in found] == [LIVE[scenario]]


def test_smtplib_debug_against_the_scripted_server() -> None:
    printed = io.StringIO()
    with scripted_server("rcpt-unknown") as port, contextlib.redirect_stderr(printed):
        client = smtplib.SMTP(local_hostname="client.example.org")
        client.set_debuglevel(1)
        client.connect("127.0.0.1", port)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("vera@example.org", ["walt@example.net"], "Subject: hi\r\n\r\nHi.\r\n")
        client.quit()
    (session,) = sessions(printed.getvalue().splitlines())
    assert _observed(session) == (
        "not-sent rcpt | greeting ehlo mail rcpt other quit | 220 250 250 550 250 221"
    )
    assert session.failure is not None and session.failure.enhanced_code == "5.1.1"
    assert session.verdict is not None and session.verdict.reason is Reason.USERUNKNOWN
