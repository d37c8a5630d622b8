"""What a probe is asked to do, from ``smtp-tui probe``'s arguments or the browser's probe screen.

One set of arguments and one set of rules for both front ends: the screen reads what the user
types (``mx.example.org --port 2525 --rcpt a@b.example``) with the same parser as the command
line, so a probe that one refuses the other refuses too, in the same words.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from smtp_tui.core.i18n import text as _t
from smtp_tui.core.probe import probe
from smtp_tui.core.probe_report import DEFAULT_PORT, Credentials, Report, StartTls, Step
from smtp_tui.core.repository import Repository
from smtp_tui.core.text import quoted

TARGET = re.compile(r"[^\s\x00-\x1f\x7f]{1,253}")
"""A host name, an address or a mail domain: one word of at most 253 characters (RFC 1035
§2.3.4); the DNS or the connection says the rest."""


class ProbeRequestError(ValueError):
    """A probe no server can be asked: one line, in the interface language."""


@dataclass(frozen=True)
class ProbeRequest:
    target: str
    port: int = DEFAULT_PORT
    mail_from: str = ""
    rcpts: tuple[str, ...] = ()
    starttls: StartTls = StartTls.AUTO
    credentials: Credentials | None = None
    helo: str = "localhost"
    timeout: float = 10.0


def port_number(text: str) -> int:
    """A TCP port: caught here, since the socket layer says OverflowError for 70000."""
    number = int(text) if text.strip().isdigit() else -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(_t("error.port_range", got=quoted(text, 20)))
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The probe's arguments, for ``smtp-tui probe`` and for the screen's parser."""
    parser.add_argument("target", help=_t("probe.target"))
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=_t("probe.port"))
    parser.add_argument(
        "--from", dest="mail_from", metavar="ADDR", default="", help=_t("probe.from")
    )
    parser.add_argument("--rcpt", metavar="ADDR", action="append", help=_t("probe.rcpt"))
    parser.add_argument(
        "--starttls", choices=("auto", "always", "never"), default="auto", help=_t("probe.starttls")
    )
    parser.add_argument("--auth-user", metavar="USER", help=_t("probe.auth_user"))
    parser.add_argument("--auth-pass-env", metavar="VAR", help=_t("probe.auth_pass_env"))
    parser.add_argument("--helo", metavar="NAME", help=_t("probe.helo"))
    parser.add_argument(
        "--timeout", metavar="S", type=float, default=10.0, help=_t("probe.timeout")
    )


def request_of(args: argparse.Namespace) -> ProbeRequest:
    """The probe the arguments ask for; `ProbeRequestError` for what no probe can do."""
    credentials = None
    if args.auth_user is not None or args.auth_pass_env is not None:
        if not args.auth_user or not args.auth_pass_env:
            raise ProbeRequestError(_t("probe.error_auth_pair"))
        password = os.environ.get(args.auth_pass_env)
        if password is None:
            raise ProbeRequestError(_t("probe.error_no_password", name=args.auth_pass_env))
        credentials = Credentials(args.auth_user, password)
    target = args.target.strip()
    if not TARGET.fullmatch(target):
        raise ProbeRequestError(_t("probe.error_target", target=quoted(args.target, 60)))
    if not 0 < args.timeout <= 3600:  # also NaN and inf, which float() takes
        raise ProbeRequestError(_t("probe.error_timeout"))
    return ProbeRequest(
        target,
        args.port,
        args.mail_from,
        tuple(args.rcpt or ()),
        StartTls(args.starttls),
        credentials,
        args.helo or socket.gethostname() or "localhost",
        args.timeout,
    )


class _Words(argparse.ArgumentParser):
    """argparse that says what is wrong in one line instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise ProbeRequestError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise ProbeRequestError(message or "")


def parse_request(line: str) -> ProbeRequest:
    """A probe typed as its command line's arguments, read by the command line's own parser."""
    try:
        words = shlex.split(line)
    except ValueError as error:  # an unclosed quote
        raise ProbeRequestError(str(error)) from None
    parser = _Words(prog="probe", add_help=False)
    add_arguments(parser)
    return request_of(parser.parse_args(words))


def run_request(
    request: ProbeRequest,
    repository: Repository | None,
    on_step: Callable[[Step], None] | None = None,
    cancel: threading.Event | None = None,
) -> Report:
    return probe(
        request.target,
        port=request.port,
        mail_from=request.mail_from,
        rcpts=request.rcpts,
        starttls=request.starttls,
        credentials=request.credentials,
        helo=request.helo,
        timeout=request.timeout,
        repository=repository,
        on_step=on_step,
        cancel=cancel,
    )
