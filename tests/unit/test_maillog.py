"""The mail log reader and `smtp-tui log`: outcomes per recipient, and pflogsumm's totals."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from smtp_tui.cli.commands import main
from smtp_tui.core.maillog import MailLog, Outcome, Summary, lines_of
from smtp_tui.core.reasons import Reason

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "maillogs"
POSTFIX_SAMPLES = sorted(SAMPLES.glob("*postfix*.log"))


def read(text: str, **options: object) -> tuple[list, Summary]:
    log = MailLog(year=2024, **options)  # type: ignore[arg-type]
    summary = Summary(log.stats)
    found = list(log.read(lines_of(io.BytesIO(text.encode()), log.stats)))
    for delivery in found:
        summary.add(delivery)
    return found, summary


TWO_MESSAGES = (
    "Mar  1 10:00:02 mx postfix/smtp[3]: 4ABC123DEF: to=<u@example.com>, "
    "relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced "
    "(host mx.example.com[192.0.2.1] said: 550 5.1.1 <u@example.com>: Recipient address "
    "rejected: User unknown (in reply to RCPT TO command))\n"
    "Mar  1 10:00:03 mx postfix/smtp[3]: 5BCD234EF0: to=<v@example.net>, "
    "relay=mx.example.net[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=4.7.28, status=deferred "
    "(host mx.example.net[198.51.100.1] said: 421 4.7.28 Our system has detected an unusual rate "
    "of mail (in reply to end of DATA command))\n"
)


def test_two_messages_keep_their_own_outcomes() -> None:
    """The issue's case: one bounced, one deferred, never one outcome for the whole input."""
    found, summary = read(TWO_MESSAGES)
    by_id = {d.queue_id: d for d in found}
    bounced, deferred = by_id["4ABC123DEF"], by_id["5BCD234EF0"]
    assert bounced.outcome is Outcome.BOUNCED
    assert (bounced.reply_code, bounced.enhanced_code) == ("550", "5.1.1")
    assert bounced.remote_host == "mx.example.com"
    assert bounced.reason is Reason.USERUNKNOWN
    assert bounced.text.startswith("550 5.1.1 <u@example.com>")
    assert deferred.outcome is Outcome.DEFERRED  # still waiting at the end of the log
    assert (deferred.reply_code, deferred.enhanced_code) == ("421", "4.7.28")
    assert deferred.provider is None
    assert summary.total(Outcome.DEFERRED) == 1
    assert summary.total(Outcome.BOUNCED) == 1


def test_a_deferral_then_delivery_is_delivered_with_both_lines() -> None:
    log = (
        TWO_MESSAGES.splitlines()[1]
        + "\n"
        + TWO_MESSAGES.splitlines()[1]
        .replace("dsn=4.7.28, status=deferred", "dsn=2.0.0, status=sent")
        .replace("said: 421 4.7.28", "said: 250 2.0.0")
    )
    found, summary = read(log + "\nMar  1 10:00:04 mx postfix/qmgr[2]: 5BCD234EF0: removed\n")
    assert [(d.outcome, d.lines) for d in found] == [(Outcome.DELIVERED, (1, 2))]
    assert summary.total(Outcome.DEFERRED) == 1  # as pflogsumm: deferred at least once
    assert summary.totals[Outcome.DEFERRED] == 0


def test_expired_after_deferrals() -> None:
    text = (
        "2024-03-01T11:00:00+00:00 mx postfix/smtp[3]: 8BBB9: to=<w@slow.example>, relay=none, "
        "delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to "
        "slow.example[192.0.2.9]:25: Connection timed out)\n"
        "2024-03-06T11:00:00+00:00 mx postfix/qmgr[2]: 8BBB9: from=<s@example.org>, "
        "status=expired, returned to sender\n"
    )
    found, _ = read(text)
    assert [(d.outcome, d.enhanced_code, d.lines) for d in found] == [
        (Outcome.EXPIRED, "4.4.1", (1, 2))
    ]
    assert found[0].reason is Reason.NETWORKERROR


def test_exim_and_sendmail() -> None:
    text = (
        "2013-06-15 16:37:00 1QexIu-0006dj-PX ** bad@example.com R=dnslookup T=remote_smtp "
        "H=mx.example.com [192.0.2.3]: SMTP error from remote mail server after RCPT "
        "TO:<bad@example.com>: 550 5.1.1 No such user\n"
        "2013-06-15 16:37:01 1QexIu-0006dj-PX == later@example.com R=dnslookup T=remote_smtp "
        "defer (-44): SMTP error from remote mail server after RCPT TO:<later@example.com>: "
        "451 4.7.1 Greylisted, try again\n"
        "2013-06-15 16:37:01 1QexIu-0006dj-PX => good@example.com R=dnslookup T=remote_smtp "
        'H=mx.example.com [192.0.2.3] C="250 OK"\n'
        "2013-06-15 16:37:01 1QexIu-0006dj-PX ** spam@example.net R=dnslookup T=remote_smtp "
        "H=mx.example.net [192.0.2.5]: SMTP error from remote mail server after end of data: "
        "550 5.7.1 Message rejected as spam\n"
        "2013-06-15 16:37:01 1QexIu-0006dj-PX Completed\n"
        "Jun  1 10:00:00 host sm-mta[1234]: p51A0xyz012345: to=<user@example.com>, "
        "delay=00:00:01, mailer=esmtp, pri=120, relay=mx.example.com. [192.0.2.4], dsn=5.1.1, "
        "stat=User unknown\n"
    )
    found, _ = read(text)
    got = {(d.mta, d.recipient): (d.outcome, d.reply_code, d.enhanced_code) for d in found}
    assert got == {
        ("exim", "bad@example.com"): (Outcome.BOUNCED, "550", "5.1.1"),
        ("exim", "later@example.com"): (Outcome.DEFERRED, "451", "4.7.1"),
        ("exim", "good@example.com"): (Outcome.DELIVERED, None, None),
        ("exim", "spam@example.net"): (Outcome.BOUNCED, "550", "5.7.1"),  # not our rejection
        ("sendmail", "user@example.com"): (Outcome.BOUNCED, None, "5.1.1"),
    }


def test_since_and_until_use_the_logs_own_times() -> None:
    found, summary = read(TWO_MESSAGES, since=datetime(2024, 3, 1, 10, 0, 3))
    assert [d.queue_id for d in found] == ["5BCD234EF0"]
    assert summary.stats.outside == 1


def test_open_messages_are_capped_and_memory_stays_bounded() -> None:
    lines = "".join(
        f"Mar  1 10:00:00 mx postfix/smtp[3]: Q{n:08X}: to=<u{n}@example.com>, relay=none, "
        "delay=1, dsn=4.4.1, status=deferred (connect to x: Connection timed out)\n"
        for n in range(50)
    )
    log = MailLog(year=2024, max_open=10)
    found = list(log.read(lines_of(io.BytesIO(lines.encode()), log.stats)))
    assert len(log._open) == 0 and log.stats.forgotten == 40
    assert len(found) == 50  # the forgotten ones are handed out as deferred, not lost


def test_binary_and_over_long_lines_are_skipped_and_counted() -> None:
    data = b"\x00\x01\x02garbage\n" + b"x" * 200_000 + b"\n" + TWO_MESSAGES.encode()
    log = MailLog(year=2024)
    found = list(log.read(lines_of(io.BytesIO(data), log.stats)))
    assert log.stats.junk == 2
    assert [d.lines for d in found] == [(3,), (4,)]  # line numbers still count the junk


def test_log_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mail.log"
    path.write_text(TWO_MESSAGES)
    assert main(["log", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["totals"]) == {"delivered", "deferred", "bounced", "rejected", "expired"}
    assert {m["outcome"] for m in data["messages"]} == {"bounced", "deferred"}
    assert set(data["messages"][0]) >= {
        "queue_id", "recipient", "outcome", "reply_code", "enhanced_code", "remote_host",
        "reason", "provider", "lines",
    }  # fmt: skip
    assert data["top_codes"][0]["explain"][:2] == ["smtp-tui", "show"]


def test_log_command_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mail.log"
    path.write_text(TWO_MESSAGES)
    assert main(["log", str(path), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"1\s+bounced", out)
    assert "smtp-tui show 5.1.1" in out


@pytest.mark.parametrize("argv", [["log", "/nonexistent/mail.log"], ["log", "-", "--since", "x"]])
def test_log_command_bad_input_is_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


# --- pflogsumm -----------------------------------------------------------------------------------

NOT_PFLOGSUMMS = re.compile(r" postfix-\w+/|/smtpd\[\d+\]: \w+: milter-reject: ")
"""Lines pflogsumm does not count, by design: other Postfix instances (it reads one syslog name,
"postfix"), and milter rejections logged by smtpd. We count them; the comparison leaves them out."""


def pflogsumm_totals(path: Path) -> dict[str, int]:
    report = subprocess.run(
        ["pflogsumm", str(path)], capture_output=True, text=True, check=True
    ).stdout
    grand = report.partition("Grand Totals")[2]
    return {
        word: int(re.search(rf"^\s*(\d+)\s+{word}\b", grand, re.M).group(1))  # type: ignore[union-attr]
        for word in ("delivered", "deferred", "bounced", "rejected")
    }


@pytest.mark.skipif(shutil.which("pflogsumm") is None, reason="pflogsumm is not installed")
@pytest.mark.parametrize("sample", POSTFIX_SAMPLES, ids=lambda p: p.name)
def test_totals_match_pflogsumm(sample: Path, tmp_path: Path) -> None:
    kept = [
        line
        for line in sample.read_text("utf-8").splitlines(keepends=True)
        if not NOT_PFLOGSUMMS.search(line)
    ]
    path = tmp_path / sample.name
    path.write_text("".join(kept))
    expected = pflogsumm_totals(path)
    _, summary = read("".join(kept))
    ours = {word: summary.total(Outcome(word)) for word in expected}
    assert ours == expected
    assert sum(expected.values()) > 0  # a sample that pflogsumm counts nothing in proves nothing


def test_fail2ban_samples_are_read_line_by_line() -> None:
    """Real reject lines of three MTAs, with fail2ban's comment lines between them."""
    expected = {
        "fail2ban-postfix.log": 26,
        "fail2ban-exim.log": 5,
        "fail2ban-exim-spam.log": 3,
        "fail2ban-sendmail-reject.log": 20,  # one line with a <mail.notice> prefix
    }
    for name, rejected in expected.items():
        _, summary = read((SAMPLES / name).read_text("utf-8"))
        assert summary.totals == {Outcome.REJECTED: rejected}, name
        assert summary.stats.junk == 0


def test_real_postfix_log_outcomes() -> None:
    found, summary = read((SAMPLES / "real-postfix-3.7.log").read_text("utf-8"))
    outcomes = {(d.recipient, d.outcome) for d in found}
    assert ("someone@nonexistent.invalid", Outcome.EXPIRED) in outcomes
    assert ("nosuchuser@mx.example.test", Outcome.BOUNCED) in outcomes
    assert ("ghost@mx.example.test", Outcome.REJECTED) in outcomes
    assert summary.stats.deferrals == 14


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_line_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from smtp_tui.cli import log as maillog_cli

    path = tmp_path / "mail.log"
    path.write_text(TWO_MESSAGES)
    monkeypatch.setattr(maillog_cli, "PROGRESS_FROM", 10)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["log", str(path)]) == 0
    assert "\r" in terminal.getvalue() and "MB" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")  # cleared before the summary
    assert "\r" not in capsys.readouterr().out


def test_until_a_bare_date_means_the_whole_day() -> None:
    from smtp_tui.cli.log import timestamp, until_timestamp

    assert until_timestamp("2024-03-01") == datetime(2024, 3, 1, 23, 59, 59, 999999)
    assert timestamp("2024-03-01 10:00") == datetime(2024, 3, 1, 10, 0)


def test_top_must_be_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", "-", "--top", "-3"]) == 2
    assert "-3" in capsys.readouterr().err


def test_nothing_about_mail_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "syslog"
    path.write_text("Mar  1 10:00:00 host cron[1]: (root) CMD (true)\n")
    assert main(["log", str(path)]) == 1
    assert "lines read: 1" in capsys.readouterr().out


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    import sys

    path = tmp_path / "mail.log"
    path.write_text(TWO_MESSAGES)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "smtp_tui", "log", str(path), "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_the_log_reader_and_command_load_no_textual(tmp_path: Path) -> None:
    import sys

    path = tmp_path / "mail.log"
    path.write_text(TWO_MESSAGES)
    code = (
        "import sys, smtp_tui.core.maillog, smtp_tui.cli.commands\n"
        f"smtp_tui.cli.commands.main(['log', {str(path)!r}, '--json'])\n"
        "heavy = [n for n in sys.modules if n.split('.')[0] in ('textual', 'rich')]\n"
        "print('heavy:', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "heavy: []"
