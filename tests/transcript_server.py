"""A scripted SMTP server on 127.0.0.1 that fails at a chosen stage, for real client transcripts.

Real tools (swaks, smtplib) talk to it, so the transcripts under test are what those tools print,
not what we imagine they print.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, Session

SCENARIOS = (
    "starttls-required",
    "auth-failed",
    "rcpt-unknown",
    "data-rejected",
    "delivered",
    "one-unknown",
)
"""The stage each scenario fails at: AUTH before STARTTLS (530), AUTH (535), RCPT (550 5.1.1),
the end of the data (554), none, or only for recipients named ``nobody@…`` (550 5.1.1)."""


class ScriptedHandler:
    """Refuses the recipient or the message when the scenario says so."""

    def __init__(self, scenario: str) -> None:
        self.scenario = scenario

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.scenario == "rcpt-unknown" or (
            self.scenario == "one-unknown" and address.startswith("nobody@")
        ):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.scenario == "data-rejected":
            return "554 5.7.1 Message rejected: spam score too high"
        return "250 2.0.0 Ok: queued as 4F2A1"


def _refuse(*_: Any) -> AuthResult:
    return AuthResult(success=False, handled=False)


@contextmanager
def scripted_server(scenario: str) -> Iterator[int]:
    """Serve `scenario` on 127.0.0.1; yields the port."""
    options: dict[str, Any] = {}
    if scenario == "starttls-required":
        # Never used for a handshake: the client is refused before it asks for TLS.
        options["tls_context"] = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        options["require_starttls"] = True
        # AUTH is offered before TLS so that the client asks for it and is told to STARTTLS first.
        options["authenticator"] = _refuse
        options["auth_require_tls"] = False
    if scenario == "auth-failed":
        options["authenticator"] = _refuse
        options["auth_require_tls"] = False
    with socket.socket() as probe:  # aiosmtpd's Controller cannot take port 0 itself.
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(ScriptedHandler(scenario), hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
