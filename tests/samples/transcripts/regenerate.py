"""Regenerate the real transcripts here: swaks, smtplib and nodemailer against the scripted server.

Run from the repository root: ``.venv/bin/python tests/samples/transcripts/regenerate.py``; it needs
swaks and, for the nodemailer ones, node with nodemailer installed (NODE_PATH). Only 127.0.0.1.
"""

# ruff: noqa: E501 (the expected sessions read best one to a line, as in the samples)

import contextlib
import io
import smtplib
import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, "tests")
from transcript_server import scripted_server

out = "tests/samples/transcripts/"
EXPECT = {
    "starttls-required": "not-sent auth | greeting ehlo auth quit | 220 250 530 221",
    "auth-failed": "not-sent auth | greeting ehlo auth auth auth quit | 220 250 334 334 535 221",
    "rcpt-unknown": "not-sent rcpt | greeting ehlo mail rcpt quit | 220 250 250 550 221",
    "data-rejected": "not-sent end-of-data | greeting ehlo mail rcpt data end-of-data quit | 220 250 250 250 354 554 221",
    "delivered": "delivered - | greeting ehlo mail rcpt data end-of-data quit | 220 250 250 250 354 250 221",
    "one-unknown": "delivered - | greeting ehlo mail rcpt rcpt data end-of-data quit | 220 250 250 250 550 354 250 221",
    "quit-after-rcpt": "not-sent - | greeting ehlo mail rcpt quit | 220 250 250 250 221",
}


def swaks(sc, extra=(), name=None, scenario=None):
    with scripted_server(scenario or sc) as port:
        args = [
            "swaks",
            "--server",
            "127.0.0.1",
            "--port",
            str(port),
            "--to",
            "walt@example.net",
            "--from",
            "vera@example.org",
            "--helo",
            "client.example.org",
            *extra,
        ]
        if sc in ("starttls-required", "auth-failed"):
            args += ["--auth", "LOGIN", "--auth-user", "vera", "--auth-password", "secret"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=30)
    Path(out + f"swaks-{name or sc}.txt").write_text(
        f"# source: swaks (Debian) run against tests/transcript_server.py, scenario {scenario or sc}\n# expect: {EXPECT[name or sc]}\n"
        + r.stdout
        + r.stderr
    )


for sc in ("starttls-required", "auth-failed", "rcpt-unknown", "data-rejected", "delivered"):
    swaks(sc)
swaks("one-unknown", ["--to", "walt@example.net,nobody@example.net"])
swaks("delivered", ["--quit-after", "RCPT"], name="quit-after-rcpt", scenario="delivered")
SMTPLIB = {
    "delivered": "delivered - | greeting ehlo mail rcpt data end-of-data quit | 220 250 250 250 354 250 221",
    "rcpt-unknown": "not-sent rcpt | greeting ehlo mail rcpt other quit | 220 250 250 550 250 221",
    "data-rejected": "not-sent end-of-data | greeting ehlo mail rcpt data end-of-data other quit | 220 250 250 250 354 554 250 221",
    "auth-failed": "not-sent auth | greeting ehlo auth auth auth quit | 220 250 535 334 535 221",
}
for sc, expect in SMTPLIB.items():
    with scripted_server(sc) as port:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            s = smtplib.SMTP(local_hostname="client.example.org")
            s.set_debuglevel(1)
            try:
                s.connect("127.0.0.1", port)
                s.ehlo("client.example.org")
                if sc == "auth-failed":
                    s.login("vera", "secret")
                s.sendmail(
                    "vera@example.org", ["walt@example.net"], "Subject: hello\r\n\r\nHello.\r\n"
                )
            except smtplib.SMTPException as e:
                print(f"{type(e).__name__}: {e}", file=sys.stderr)
            finally:
                with contextlib.suppress(Exception):
                    s.quit()
        Path(out + f"smtplib-{sc}.txt").write_text(
            f"# source: Python smtplib set_debuglevel(1) against tests/transcript_server.py, scenario {sc}\n# expect: {expect}\n"
            + err.getvalue()
        )
with socket.socket() as p:
    p.bind(("127.0.0.1", 0))
    port = p.getsockname()[1]
r = subprocess.run(
    [
        "swaks",
        "--server",
        "127.0.0.1",
        "--port",
        str(port),
        "--to",
        "walt@example.net",
        "--from",
        "vera@example.org",
    ],
    capture_output=True,
    text=True,
    timeout=30,
)
Path(out + "swaks-connection-refused.txt").write_text(
    "# source: swaks (Debian) run against a closed port on 127.0.0.1\n# expect: not-sent connect | connect | -\n"
    + r.stdout
    + r.stderr
)
NODE = {
    "delivered": "delivered - | greeting ehlo mail rcpt data end-of-data | 220 250 250 250 354 250",
    "rcpt-unknown": "not-sent rcpt | greeting ehlo mail rcpt | 220 250 250 550",
    "data-rejected": "not-sent end-of-data | greeting ehlo mail rcpt data end-of-data | 220 250 250 250 354 554",
    "auth-failed": "not-sent auth | greeting ehlo auth | 220 250 535",
}
for sc, expect in NODE.items():
    with scripted_server(sc) as port:
        r = subprocess.run(
            [
                "node",
                "tests/samples/transcripts/nodemailer-send.js",
                str(port),
                "auth" if sc == "auth-failed" else "",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    Path(out + f"nodemailer-{sc}.txt").write_text(
        f"# source: nodemailer 10.6.1 (npm), logger and debug on, run against tests/transcript_server.py, scenario {sc}\n# expect: {expect}\n"
        + r.stdout
        + r.stderr
    )
