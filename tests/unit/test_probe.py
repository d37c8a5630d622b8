"""`smtp-tui probe` against real servers on 127.0.0.1, scripted per scenario.

Every server records the commands it received and the test asserts it never got DATA, VRFY or
EXPN. No test asks the DNS or connects anywhere but 127.0.0.1: resolvers are fakes.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from smtp_tui.cli import commands as cli
from smtp_tui.core.probe import probe
from smtp_tui.core.probe_dns import NoSuchDomain
from smtp_tui.core.probe_report import (
    MASK,
    Credentials,
    Failure,
    Outcome,
    Report,
    Stage,
    StartTls,
    report_to_dict,
)
from smtp_tui.core.reasons import Bounce, Reason

EHLO = b"250-test.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 ENHANCEDSTATUSCODES\r\n"
EHLO_TLS = (
    b"250-test.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
    b"250 ENHANCEDSTATUSCODES\r\n"
)
FORBIDDEN = ("DATA", "VRFY", "EXPN", "BDAT")


@dataclass
class Server:
    """A scripted SMTP server in a thread: `replies` by verb, or a `script` of its own."""

    replies: dict[str, bytes] = field(default_factory=dict)
    greeting: bytes = b"220 test.example ESMTP\r\n"
    script: Callable[[socket.socket, Server], None] | None = None
    tls: ssl.SSLContext | None = None
    received: list[str] = field(default_factory=list)
    port: int = 0
    answers: list[bytes] = field(default_factory=list)
    """Replies to lines that are not commands (AUTH LOGIN's base64), in order."""

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping = True
        self.thread.join(5)
        self.listener.close()

    def _accept(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn, contextlib.suppress(OSError, ssl.SSLError):
                (self.script or converse)(conn, self)

    def read_line(self, conn: socket.socket | ssl.SSLSocket) -> str | None:
        data = b""
        conn.settimeout(5)
        while not data.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                return None
            data += chunk
        line = data.decode().rstrip("\r\n")
        self.received.append(line)
        return line


def converse(conn: socket.socket, server: Server) -> None:
    """A plain server: the greeting, then each command's reply from `server.replies`."""
    sock: socket.socket | ssl.SSLSocket = conn
    sock.sendall(server.greeting)
    defaults = {
        "EHLO": EHLO_TLS if server.tls else EHLO,
        "MAIL": b"250 2.1.0 Ok\r\n",
        "RCPT": b"250 2.1.5 Ok\r\n",
        "RSET": b"250 2.0.0 Ok\r\n",
        "QUIT": b"221 2.0.0 Bye\r\n",
        "STARTTLS": b"220 2.0.0 Ready to start TLS\r\n",
        "AUTH": b"235 2.7.0 Authentication successful\r\n",
    }
    while True:
        line = server.read_line(sock)
        if line is None:
            return
        verb = line.split(" ")[0].upper()
        reply = server.replies.get(verb, defaults.get(verb, b"502 5.5.1 Not implemented\r\n"))
        if verb not in defaults and server.answers:
            reply = server.answers.pop(0)
        sock.sendall(reply)
        if verb == "QUIT" or reply.startswith(b"421"):
            return
        if verb == "STARTTLS" and server.tls is not None and reply.startswith(b"220"):
            sock = server.tls.wrap_socket(sock, server_side=True)


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(**kwargs: object) -> Server:
        server = Server(**kwargs)  # type: ignore[arg-type]
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        # The server's own check: a probe never sends a message, nor asks about addresses.
        assert not [line for line in server.received if line.upper().startswith(FORBIDDEN)]


def no_dns(name: str, rdtype: str) -> list[str]:
    raise AssertionError(f"a test asked the DNS for {name} {rdtype}")


def run(server: Server, **kwargs: object) -> Report:
    options: dict[str, object] = {"timeout": 2.0, "resolver": no_dns, "helo": "probe.test"}
    options.update(kwargs)
    return probe("127.0.0.1", port=server.port, **options)  # type: ignore[arg-type]


def stages(report: Report) -> list[str]:
    return [step.stage.value for step in report.steps]


# --- certificates ----------------------------------------------------------------------------

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")


def _openssl(*args: str, cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A certificate for localhost/127.0.0.1 (self-signed, trusted by the tests that say so) and
    an expired one signed by a CA of ours (OpenSSL 3.0's req cannot back-date: its ca can)."""
    if OPENSSL is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("certs")
    san = "subjectAltName=DNS:localhost,IP:127.0.0.1"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "good.key", "-out",
        "good.pem", "-days", "2", "-subj", "/CN=localhost", "-addext", san, cwd=folder,
    )  # fmt: skip
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Probe Test CA", cwd=folder,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "old.key", "-out", "old.csr",
        "-subj", "/CN=localhost", "-addext", san, cwd=folder,
    )  # fmt: skip
    (folder / "index.txt").write_text("")
    (folder / "serial").write_text("01\n")
    (folder / "ca.cnf").write_text(
        f"[ca]\ndefault_ca = own\n[own]\ndir = {folder}\ndatabase = {folder}/index.txt\n"
        f"new_certs_dir = {folder}\nserial = {folder}/serial\ndefault_md = sha256\n"
        "policy = anything\ncopy_extensions = copy\n[anything]\ncommonName = supplied\n"
    )
    _openssl(
        "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in",
        "old.csr", "-out", "old.pem", "-startdate", "20200101000000Z", "-enddate",
        "20200201000000Z", cwd=folder,
    )  # fmt: skip
    return {
        name: folder / name for name in ("good.pem", "good.key", "ca.pem", "old.pem", "old.key")
    }


def server_context(certificates: dict[str, Path], name: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates[f"{name}.pem"], certificates[f"{name}.key"])
    return context


def trusting(certificates: dict[str, Path], name: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificates[name]))


# --- scenarios -------------------------------------------------------------------------------


def test_a_normal_session_with_aiosmtpd(tmp_path: Path) -> None:
    """aiosmtpd, unchanged but for refusing DATA/VRFY/EXPN loudly: the full session runs."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    received: list[str] = []

    class Watched(SMTP):
        async def smtp_DATA(self, arg: str) -> None:
            received.append("DATA")
            await self.push("554 5.5.1 no DATA in tests")

        async def smtp_VRFY(self, arg: str) -> None:
            received.append("VRFY")
            await self.push("554 5.5.1 no VRFY in tests")

    class Own(Controller):
        def factory(self) -> SMTP:
            return Watched(self.handler, hostname="aiosmtpd.test")

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, options):
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 Recipient ok"

    with socket.create_server(("127.0.0.1", 0)) as free:
        port = free.getsockname()[1]
    controller = Own(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = probe(
            "127.0.0.1",
            port=port,
            mail_from="me@sender.example",
            rcpts=["a@b.example", "c@b.example"],
            timeout=3,
            resolver=no_dns,
        )
    finally:
        controller.stop()
    assert received == []
    assert report.outcome is Outcome.ACCEPTED
    assert stages(report) == [
        "connect", "greeting", "ehlo", "mail", "rcpt", "rset", "mail", "rcpt", "rset", "quit",
    ]  # fmt: skip
    rcpt = report.steps[4]
    assert rcpt.command == "RCPT TO:<a@b.example>"
    assert (rcpt.reply_code, rcpt.enhanced_code) == ("250", "2.1.5")
    assert report.steps[1].reply_code == "220" and report.steps[1].lines[0].startswith("220 ")
    assert {cap.keyword for cap in report.capabilities} >= {"SIZE", "8BITMIME", "HELP"}
    size = next(cap for cap in report.capabilities if cap.keyword == "SIZE")
    assert size.rfc == "RFC 1870" and "MB" in size.meaning


def test_greeting_554_is_a_rejection_at_the_greeting(serve, repo) -> None:
    server = serve(greeting=b"554 5.7.1 No SMTP service here for 192.0.2.1\r\n")
    report = run(server, rcpts=["a@b.example"], repository=repo)
    assert report.outcome is Outcome.REJECTED and report.failed_stage is Stage.GREETING
    assert report.steps[-1].name  # the code's name from the repository
    assert server.received == []


def test_421_in_mid_session_is_deferred(serve) -> None:
    server = serve(replies={"MAIL": b"421 4.3.2 Service shutting down, closing channel\r\n"})
    report = run(server, rcpts=["a@b.example"])
    assert report.outcome is Outcome.DEFERRED and report.failed_stage is Stage.MAIL
    assert report.verdict is not None and report.verdict.bounce is Bounce.SOFT
    assert stages(report)[-1] == "quit"  # tried politely; the server had gone


def test_no_starttls_offered(serve) -> None:
    server = serve()
    assert run(server).tls is None and run(server).outcome is Outcome.ACCEPTED
    report = run(server, starttls=StartTls.ALWAYS)
    assert report.outcome is Outcome.REJECTED and report.failed_stage is Stage.STARTTLS
    assert "STARTTLS" not in server.received


def test_starttls_offered_but_the_handshake_fails(serve) -> None:
    def broken(conn: socket.socket, server: Server) -> None:
        conn.sendall(server.greeting)
        server.read_line(conn)
        conn.sendall(EHLO_TLS)
        server.read_line(conn)
        conn.sendall(b"220 Go ahead\r\nthis is not a TLS record at all\r\n")
        time.sleep(0.3)

    report = run(serve(script=broken))
    assert report.outcome is Outcome.ERROR and report.failed_stage is Stage.TLS
    assert report.steps[-1].failure is Failure.TLS_FAILED
    assert "TLS handshake" in report.summary


@needs_openssl
def test_a_trusted_certificate_verifies(serve, certificates) -> None:
    server = serve(tls=server_context(certificates, "good"))
    report = run(server, rcpts=["a@b.example"], trust=trusting(certificates, "good.pem"))
    assert report.outcome is Outcome.ACCEPTED
    assert report.tls is not None and report.tls.verified and report.tls.version.startswith("TLS")
    assert "localhost" in report.tls.names and "127.0.0.1" in report.tls.names
    assert stages(report)[:6] == ["connect", "greeting", "ehlo", "starttls", "tls", "ehlo-tls"]


@needs_openssl
def test_a_self_signed_certificate_is_reported_not_fatal(serve, certificates) -> None:
    server = serve(tls=server_context(certificates, "good"))
    report = run(server, rcpts=["a@b.example"])  # the system's trust: it cannot know ours
    assert report.outcome is Outcome.ACCEPTED
    assert report.tls is not None and not report.tls.verified
    assert "self-signed" in report.tls.verify_error
    first_tls = report.steps[4]
    assert first_tls.stage is Stage.TLS and "connecting again" in first_tls.note
    assert stages(report)[5:8] == ["connect", "greeting", "ehlo"]
    assert report.tls.subject == "commonName=localhost"  # read even though it did not verify


@needs_openssl
def test_an_expired_certificate_is_reported(serve, certificates) -> None:
    server = serve(tls=server_context(certificates, "old"))
    report = run(server, trust=trusting(certificates, "ca.pem"))
    assert report.tls is not None and not report.tls.verified
    assert "expired" in report.tls.verify_error
    assert "2020" in report.tls.not_after


def test_530_until_starttls(serve) -> None:
    server = serve(replies={"MAIL": b"530 5.7.0 Must issue a STARTTLS command first\r\n"})
    report = run(server, rcpts=["a@b.example"], starttls=StartTls.NEVER)
    assert report.outcome is Outcome.REJECTED and report.failed_stage is Stage.MAIL
    assert report.verdict is not None and report.verdict.reason is Reason.SECURITYERROR


@needs_openssl
def test_auth_535_and_the_password_is_never_shown(serve, certificates) -> None:
    server = serve(
        tls=server_context(certificates, "good"),
        # A server that echoes what it was sent: the password is masked there too.
        replies={"AUTH": b"535 5.7.8 Authentication credentials invalid: s3cret-Pa55\r\n"},
    )
    report = run(
        server,
        rcpts=["a@b.example"],
        credentials=Credentials("alice", "s3cret-Pa55"),
        trust=trusting(certificates, "good.pem"),
    )
    assert report.outcome is Outcome.REJECTED and report.failed_stage is Stage.AUTH
    assert report.verdict is not None and report.verdict.reason is Reason.SECURITYERROR
    auth = next(step for step in report.steps if step.stage is Stage.AUTH)
    assert auth.command == f"AUTH PLAIN {MASK}"
    shown = json.dumps(report_to_dict(report))
    assert "s3cret" not in shown and "czNjcmV0" not in shown  # nor its base64
    assert auth.lines == (f"535 5.7.8 Authentication credentials invalid: {MASK}",)
    assert any(line.startswith("AUTH PLAIN ") for line in server.received)


@needs_openssl
def test_auth_login_masks_the_password_and_not_the_user(serve, certificates) -> None:
    ehlo = EHLO_TLS.replace(b"250 ENHANCED", b"250-AUTH LOGIN\r\n250 ENHANCED")
    server = serve(
        tls=server_context(certificates, "good"),
        replies={"EHLO": ehlo, "AUTH": b"334 VXNlcm5hbWU6\r\n"},
        answers=[b"334 UGFzc3dvcmQ6\r\n", b"235 2.7.0 Authentication successful\r\n"],
    )
    report = run(
        server,
        credentials=Credentials("alice", "pw-1234"),
        trust=trusting(certificates, "good.pem"),
    )
    assert report.outcome is Outcome.ACCEPTED
    sent = [step.command for step in report.steps if step.stage is Stage.AUTH]
    assert sent == ["AUTH LOGIN", "YWxpY2U=", MASK]
    assert "cHctMTIzNA==" in server.received  # the password did go, to the server only


def test_auth_is_not_sent_in_clear(serve) -> None:
    server = serve()
    report = run(server, credentials=Credentials("alice", "pw"))
    assert report.failed_stage is Stage.AUTH and report.outcome is Outcome.ERROR
    assert report.verdict is not None and report.verdict.reason is Reason.SECURITYERROR
    assert not [line for line in server.received if line.startswith("AUTH")]
    assert server.received[-1] == "QUIT"


@pytest.mark.parametrize(
    ("reply", "outcome", "reason", "bounce"),
    [
        (b"550 5.1.1 <a@b.example>: Recipient address rejected: User unknown\r\n",
         Outcome.REJECTED, Reason.USERUNKNOWN, Bounce.HARD),
        (b"450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted, try again\r\n",
         Outcome.DEFERRED, Reason.SYSTEMERROR, Bounce.SOFT),  # X.2.0 names no reason
        (b"452 4.5.3 Too many recipients\r\n", Outcome.DEFERRED, Reason.EXCEEDLIMIT, Bounce.SOFT),
    ],
)  # fmt: skip
def test_rcpt_refusals(serve, repo, reply, outcome, reason, bounce) -> None:
    server = serve(replies={"RCPT": reply})
    report = run(server, rcpts=["a@b.example"], repository=repo)
    assert report.outcome is outcome and report.failed_stage is Stage.RCPT
    assert report.verdict is not None
    assert (report.verdict.reason, report.verdict.bounce) == (reason, bounce)
    rcpt = next(step for step in report.steps if step.stage is Stage.RCPT)
    assert rcpt.enhanced_code == reply[4:9].decode() and rcpt.name and rcpt.advice


def test_every_recipient_is_asked_and_the_first_refused_decides(serve) -> None:
    server = serve(replies={"RCPT": b"550 5.1.1 User unknown\r\n"})
    report = run(server, rcpts=["a@b.example", "c@b.example"])
    assert [line for line in server.received if line.startswith("RCPT")] == [
        "RCPT TO:<a@b.example>", "RCPT TO:<c@b.example>",
    ]  # fmt: skip
    assert "<a@b.example>" in report.summary and report.outcome is Outcome.REJECTED


def test_a_tarpit_that_never_answers_ends_within_the_timeout(serve) -> None:
    def tarpit(conn: socket.socket, server: Server) -> None:
        time.sleep(1.5)

    started = time.monotonic()
    report = run(serve(script=tarpit), timeout=0.4)
    assert time.monotonic() - started < 1.2
    assert report.outcome is Outcome.ERROR and report.failed_stage is Stage.GREETING
    assert report.steps[-1].failure is Failure.SILENT


def test_the_whole_probe_keeps_its_bound(serve) -> None:
    def slow(conn: socket.socket, server: Server) -> None:
        conn.sendall(server.greeting)
        server.read_line(conn)
        time.sleep(0.3)
        conn.sendall(EHLO)
        time.sleep(1.5)

    started = time.monotonic()
    report = run(serve(script=slow), timeout=1.0, bound=0.5, rcpts=["a@b.example"])
    assert time.monotonic() - started < 1.0
    assert report.steps[-1].failure is Failure.OUT_OF_TIME


def test_a_server_that_closes_the_connection(serve) -> None:
    def closes(conn: socket.socket, server: Server) -> None:
        conn.sendall(server.greeting)
        server.read_line(conn)

    report = run(serve(script=closes))
    assert report.outcome is Outcome.ERROR and report.failed_stage is Stage.EHLO
    assert report.steps[-1].failure is Failure.CLOSED


def test_a_10_mb_line_without_an_end(serve) -> None:
    def flood(conn: socket.socket, server: Server) -> None:
        conn.settimeout(5)
        chunk = b"220-" + b"x" * (1 << 20)
        for _ in range(10):
            conn.sendall(chunk)

    started = time.monotonic()
    report = run(serve(script=flood))
    assert time.monotonic() - started < 3
    assert report.steps[-1].failure is Failure.LINE_TOO_LONG


def test_multi_line_replies_split_across_packets(serve) -> None:
    def trickle(conn: socket.socket, server: Server) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in (b"220-first ", b"line\r\n220", b" second\r\n"):
            conn.sendall(piece)
            time.sleep(0.05)
        server.read_line(conn)
        for index in range(0, len(EHLO), 7):
            conn.sendall(EHLO[index : index + 7])
            time.sleep(0.01)
        server.read_line(conn)
        conn.sendall(b"221 Bye\r\n")

    report = run(serve(script=trickle))
    assert report.outcome is Outcome.ACCEPTED
    assert report.steps[1].lines == ("220-first line", "220 second")
    assert [cap.keyword for cap in report.capabilities] == [
        "PIPELINING", "SIZE", "ENHANCEDSTATUSCODES",
    ]  # fmt: skip


def test_an_answer_that_is_not_smtp(serve) -> None:
    def ssh(conn: socket.socket, server: Server) -> None:
        conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
        time.sleep(0.2)

    report = run(serve(script=ssh))
    assert report.outcome is Outcome.ERROR and report.steps[-1].failure is Failure.NOT_SMTP
    assert "SSH-2.0" in report.summary


def test_connection_refused_is_unreachable() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    report = probe("127.0.0.1", port=port, timeout=1, resolver=no_dns)
    assert report.outcome is Outcome.UNREACHABLE and report.failed_stage is Stage.CONNECT
    assert report.steps[-1].failure is Failure.REFUSED


@pytest.mark.parametrize(
    ("line", "keyword", "words", "rfc"),
    [
        ("SIZE 35882577", "SIZE", "35.9 MB", "RFC 1870"),
        ("SIZE 0", "SIZE", "no fixed limit", "RFC 1870"),
        ("auth login PLAIN", "AUTH", "only over TLS", "RFC 4954"),
        ("REQUIRETLS", "REQUIRETLS", "every hop", "RFC 8689"),
        ("ENHANCEDSTATUSCODES", "ENHANCEDSTATUSCODES", "X.Y.Z", "RFC 2034"),
        ("X-EXPS GSSAPI NTLM", "X-EXPS", "vendor", ""),
        ("FROBNICATE", "FROBNICATE", "not a keyword we know", ""),
    ],
)
def test_capabilities_are_explained_with_their_rfc(line, keyword, words, rfc) -> None:
    from smtp_tui.core.capabilities import capability

    explained = capability(line)
    assert (explained.keyword, explained.rfc) == (keyword, rfc)
    assert words in explained.meaning


# --- MX --------------------------------------------------------------------------------------


def test_mx_hosts_are_tried_in_preference_order(serve) -> None:
    server = serve()
    with socket.create_server(("127.0.0.1", 0)) as closed:
        dead = closed.getsockname()[1]
    del dead
    records = {
        ("mail.example", "MX"): ["20 second.mail.example.", "10 first.mail.example."],
        ("first.mail.example", "A"): ["127.0.0.2"],
        ("second.mail.example", "A"): ["127.0.0.1"],
    }

    def fake(name: str, rdtype: str) -> list[str]:
        return records.get((name, rdtype), [])

    # 127.0.0.2 is loopback on Linux but nothing listens there on this port.
    report = probe("mail.example", port=server.port, timeout=1, resolver=fake)
    assert [mx.host for mx in report.mx] == ["first.mail.example", "second.mail.example"]
    assert report.host == "second.mail.example" and report.address == "127.0.0.1"
    assert report.steps[0].failure is Failure.REFUSED
    assert report.outcome is Outcome.ACCEPTED


def test_a_busy_mx_sends_the_probe_to_the_next(serve) -> None:
    busy = serve(greeting=b"421 4.7.0 Too many connections, try later\r\n")
    good = serve()
    records = {
        ("mail.example", "MX"): ["10 busy.mail.example.", "20 good.mail.example."],
        ("busy.mail.example", "A"): ["127.0.0.1"],
        ("good.mail.example", "A"): ["127.0.0.1"],
    }
    ports = iter([busy.port, good.port])
    real = socket.create_connection

    def by_order(address: tuple[str, int], timeout: float) -> socket.socket:
        return real((address[0], next(ports)), timeout=timeout)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "create_connection", by_order)
        report = probe(
            "mail.example", timeout=1, resolver=lambda name, kind: records.get((name, kind), [])
        )
    assert report.host == "good.mail.example" and report.outcome is Outcome.ACCEPTED
    assert stages(report)[:3] == ["connect", "greeting", "connect"]


def test_no_mx_falls_back_to_the_address_and_null_mx_is_reported(serve) -> None:
    server = serve()

    def no_mx(name: str, rdtype: str) -> list[str]:
        return ["127.0.0.1"] if rdtype == "A" else []

    report = probe("plain.example", port=server.port, timeout=1, resolver=no_mx)
    assert report.mx == [] and report.host == "plain.example"
    assert report.outcome is Outcome.ACCEPTED

    def null(name: str, rdtype: str) -> list[str]:
        return ["0 ."] if rdtype == "MX" else ["127.0.0.1"]

    report = probe("nomail.example", port=server.port, resolver=null)
    assert report.outcome is Outcome.UNREACHABLE and "null MX" in report.summary

    def missing(name: str, rdtype: str) -> list[str]:
        raise NoSuchDomain(name)

    report = probe("typo.example", port=server.port, resolver=missing)
    assert report.outcome is Outcome.UNREACHABLE and "does not exist" in report.summary


# --- CLI -------------------------------------------------------------------------------------


def test_cli_prints_each_step_and_exits_by_the_verdict(serve, capsys, monkeypatch) -> None:
    server = serve(replies={"RCPT": b"550 5.1.1 User unknown\r\n"})
    status = cli.main(["probe", "127.0.0.1", "--port", str(server.port), "--rcpt", "a@b.example"])
    out = capsys.readouterr().out
    assert status == 1
    assert "C: RCPT TO:<a@b.example>" in out and "S: 550 5.1.1 User unknown" in out
    assert "reason: userunknown" in out and "verdict: rejected" in out

    monkeypatch.setenv("PROBE_PW", "hunter2")
    status = cli.main(
        ["probe", "127.0.0.1", "--port", str(server.port), "--json", "--auth-user", "u",
         "--auth-pass-env", "PROBE_PW", "--timeout", "2"]
    )  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert status == 2 and data["verdict"] == "error" and data["failed_stage"] == "auth"
    assert data["steps"][0]["stage"] == "connect" and data["steps"][0]["provider"] is None
    assert {"target", "host", "address", "port", "mx", "tls", "steps", "bounce", "fault"} <= set(
        data
    )
    assert "hunter2" not in json.dumps(data)


def test_cli_usage_errors(capsys) -> None:
    assert cli.main(["probe", "127.0.0.1", "--auth-user", "u"]) == 2
    assert cli.main(["probe", "127.0.0.1", "--auth-user", "u", "--auth-pass-env", "NOPE_X"]) == 2
    assert cli.main(["probe", "127.0.0.1", "--port", "0"]) == 2
    assert cli.main(["probe", ""]) == 2
    for timeout in ("0", "nan", "inf", "-1"):
        assert cli.main(["probe", "127.0.0.1", "--timeout", timeout]) == 2
    assert cli.main(["probe", "a b"]) == 2
    assert cli.main(["probe", "x" * 300]) == 2
    err = capsys.readouterr().err
    assert "NOPE_X" in err and "Traceback" not in err


def test_a_connect_timeout_says_the_port_is_probably_blocked(monkeypatch) -> None:
    """The timeout itself is faked: a real one would need an address that drops packets."""

    def silent(address: tuple[str, int], timeout: float) -> socket.socket:
        assert address[0] == "127.0.0.1"
        raise TimeoutError

    monkeypatch.setattr(socket, "create_connection", silent)
    report = probe("127.0.0.1", timeout=0.5, resolver=no_dns)
    assert (
        report.outcome is Outcome.UNREACHABLE
        and report.steps[-1].failure is Failure.CONNECT_TIMEOUT
    )
    assert "outbound port 25 is probably blocked by your network or provider" in report.summary
