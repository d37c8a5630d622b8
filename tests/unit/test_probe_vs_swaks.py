"""`probe` and real swaks, against the same scripted server, must read every reply alike.

swaks (Debian's) talks to the server and prints its transcript; `explain` reads that transcript;
`probe` talks to the same server itself. Both stop before DATA (swaks with `--quit-after RCPT`,
the probe by design), so the two sessions hold the same commands, and each reply the server gave
must come out of both with the same stage, reply code and enhanced code.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from smtp_tui.core.probe import probe
from smtp_tui.core.probe_report import Credentials, StartTls
from smtp_tui.core.transcript import sessions
from tests.transcript_server import scripted_server

pytestmark = pytest.mark.skipif(
    shutil.which("swaks") is None, reason="swaks is not installed (.ci/run installs it)"
)

SENDER = "vera@example.org"

CASES = {
    # scenario: (recipient, sign in?)
    "delivered": ("walt@example.net", False),
    "rcpt-unknown": ("walt@example.net", False),
    "one-unknown": ("nobody@example.net", False),
    "data-rejected": ("walt@example.net", False),
}
"""AUTH is left out: the probe sends no password without TLS that verifies, and the scripted
server has none, so the two sessions could not hold the same commands."""

SHARED_STAGES = {"greeting", "ehlo", "auth", "mail", "rcpt", "quit"}
"""The probe also sends RSET after each recipient, which swaks does not: compared where both
spoke."""


def swaks_replies(port: int, recipient: str, sign_in: bool) -> list[tuple[str, str, str | None]]:
    args = ["swaks", "--server", "127.0.0.1", "--port", str(port), "--quit-after", "RCPT"]
    args += ["--to", recipient, "--from", SENDER, "--tls-optional"]
    if sign_in:
        args += ["--auth", "LOGIN", "--auth-user", "vera", "--auth-password", "secret"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    transcript = (done.stdout + done.stderr).splitlines()
    (session,) = sessions(transcript)
    return [
        (str(step.stage), step.reply_code, step.enhanced_code)
        for step in session.steps
        if str(step.stage) in SHARED_STAGES and step.reply_code
    ]


def probe_replies(port: int, recipient: str, sign_in: bool) -> list[tuple[str, str, str | None]]:
    report = probe(
        "127.0.0.1",
        port=port,
        mail_from=SENDER,
        rcpts=[recipient],
        starttls=StartTls.NEVER,
        credentials=Credentials("vera", "secret") if sign_in else None,
        timeout=10,
    )
    replies = []
    for step in report.steps:
        stage = "ehlo" if str(step.stage) == "ehlo-tls" else str(step.stage)
        if stage in SHARED_STAGES and step.reply_code:
            replies.append((stage, step.reply_code, step.enhanced_code))
    return replies


@pytest.mark.parametrize("scenario", sorted(CASES))
def test_explain_on_swaks_and_probe_agree_on_every_reply(scenario: str) -> None:
    recipient, sign_in = CASES[scenario]
    with scripted_server(scenario) as port:
        by_swaks = swaks_replies(port, recipient, sign_in)
    with scripted_server(scenario) as port:
        by_probe = probe_replies(port, recipient, sign_in)
    assert by_swaks == by_probe
    stages = [stage for stage, _, _ in by_probe]
    assert stages[:2] == ["greeting", "ehlo"] and "quit" in stages
    if scenario in ("rcpt-unknown", "one-unknown"):
        assert ("rcpt", "550", "5.1.1") in by_probe
