"""SMTP sessions as tools print them: each reply paired with the command it answers, and a verdict.

People paste what their tools printed (swaks, `openssl s_client`, telnet, smtplib's debug output,
nodemailer, MailKit, PHPMailer). The last code in such a text is usually the ``221`` that closes
the connection, so judging by it would call every failed session delivered. A session is sent only
when the server said 2xx to the end of the data (RFC 5321 §4.1.1.4, RFC 3030 §2 for the last
BDAT chunk); otherwise the first stage that failed, and was not retried with success, is to blame.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from smtp_tui.core.reasons import Reason, Verdict, verdict
from smtp_tui.core.reasons.replies import classify


class Stage(StrEnum):
    """Where in the session a step stands (RFC 5321 §3, RFC 3207, RFC 4954, RFC 3030)."""

    CONNECT = "connect"
    GREETING = "greeting"
    EHLO = "ehlo"
    STARTTLS = "starttls"
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    DATA = "data"
    END_OF_DATA = "end-of-data"
    QUIT = "quit"
    OTHER = "other"
    """RSET, NOOP, VRFY and the like: they neither send nor fail a message."""


_VERB_STAGES = {
    "HELO": Stage.EHLO,
    "EHLO": Stage.EHLO,
    "LHLO": Stage.EHLO,
    "STARTTLS": Stage.STARTTLS,
    "AUTH": Stage.AUTH,
    "MAIL": Stage.MAIL,
    "RCPT": Stage.RCPT,
    "DATA": Stage.DATA,
    "BDAT": Stage.DATA,
    "QUIT": Stage.QUIT,
    "RSET": Stage.OTHER,
    "NOOP": Stage.OTHER,
    "VRFY": Stage.OTHER,
    "EXPN": Stage.OTHER,
    "HELP": Stage.OTHER,
    "ETRN": Stage.OTHER,
    "XCLIENT": Stage.OTHER,
    "XFORWARD": Stage.OTHER,
}
_VERB = re.compile(r"([A-Za-z]{4,8})(?:$|[ :])")


@dataclass(frozen=True)
class Step:
    """One command and the reply that answers it (either may be missing)."""

    stage: Stage
    command: str | None
    """As written; None for the greeting and for a connection that failed."""
    reply_code: str | None
    enhanced_code: str | None
    text: str
    """The reply, its lines joined; or the tool's error when no reply came."""
    line: int
    """Where the reply starts (or the command, or the error, when there is no reply)."""

    @property
    def failed(self) -> bool:
        if self.reply_code is None:
            return bool(self.text)
        return self.reply_code[0] in "45"


@dataclass(frozen=True)
class Session:
    """One connection, from greeting to close, and what became of its message."""

    steps: tuple[Step, ...]
    delivered: bool
    failure: Step | None
    """The step that failed, or None (delivered, or the session stopped before the end)."""
    verdict: Verdict | None
    """The reason, bounce and fault of the failure; Reason.DELIVERED when delivered."""

    @property
    def failed_stage(self) -> Stage | None:
        return self.failure.stage if self.failure is not None else None


# --- Lines: who said what ----------------------------------------------------------------------

_SERVER = "server"
_CLIENT = "client"
_CONNECT = "connect"
_ERROR = "error"
_REPORTED = "reported"
"""A reply the tool only quotes in its own error, after the commands it sent."""

_PREFIX = re.compile(
    r"[ \t]*(?:(?:\[[^\]]{0,40}\]|\d{4}-\d\d-\d\d[T ][0-9:.,]+(?:Z|[+-]\d\d:?\d\d)?"
    r"|\d\d:\d\d:\d\d(?:[.,:]\d+)?)[ \t]+)*"
    r"(?:(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR)[ \t]+)?"
    r"(?:\[(?P<id>[^\]\s]{1,40})\][ \t]+)?"
)
"""Timestamps, a log level and nodemailer's connection id (``[2024-…] DEBUG [xYz12] ``)."""

_MARKED = re.compile(
    r"(?P<server><\*\*|<~|<-|<<<|[Ss]:|Server:|SERVER -> CLIENT:|<(?=[ \t]))"
    r"|(?P<client>~>|->|>>>|[Cc]:|Client:|CLIENT -> SERVER:|>(?=[ \t.]|$))"
)
"""swaks (``<-``, ``<~`` over TLS, ``<**`` an unexpected reply; `` ->``, `` ~>``), ``<<<``/``>>>``,
nodemailer and MailKit (``S:``/``C:``), PHPMailer (``SERVER -> CLIENT:``) and curl or hand-written
telnet sessions (``< ``/``> ``)."""
_PHPMAILER_ERROR = re.compile(r"SMTP ERROR: .*? command failed: (?P<reply>[2-5][0-9][0-9].*)")
"""PHPMailer's summary of a refused command, the only reply it shows at ``SMTPDebug = 1``."""
_SMTPLIB = re.compile(r"(send|reply):[ \t]*(b?(['\"]).*\3)[ \t]*$")
"""Python smtplib's ``set_debuglevel(1)``: ``send: b'ehlo x\\r\\n'`` and ``reply: b'250 …'``."""
_CONNECTING = re.compile(
    r"=== Trying |Trying \S+\.\.\.|CONNECTED\(|connect: \(|Connection: opening to "
    r"|Connected to |Connection established to ",
)
"""A new connection: swaks, telnet, openssl, smtplib, PHPMailer, MailKit/telnet, nodemailer."""
_FAILED_CONNECT = re.compile(
    r"\*\*\* |SMTP connect\(\) failed|Connection failed|connect: Connection refused"
    r"|connect to \S+ failed|Connection refused|Connection timed out|Name or service not known",
    re.IGNORECASE,
)
REPLY_LINES = 100
"""The most lines kept of one reply: an EHLO reply has about a dozen."""
# The two patterns below read a reply line of a transcript (code, dash or blank, text), not a
# code on its own, so they are not the model's `parse_code`: a line is matched from its start
# and split into parts, and what follows the code decides whether the reply goes on. The
# enhanced code here is only a sendable one (class 2, 4 or 5, RFC 3463 §2), never the
# registry's X.1.1.
_REPLY = re.compile(r"([2-5][0-9][0-9])(?:(-)|[ \t]|$)(.*)")
_ENHANCED = re.compile(r"[ \t]*([245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.])")


@dataclass(frozen=True)
class _Line:
    kind: str
    text: str
    number: int
    marked: bool
    connection: str | None = None


def _smtplib_lines(kind: str, literal: str, number: int) -> Iterable[_Line]:
    """The lines inside one ``send:``/``reply:`` literal (the message body is one ``send``)."""
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return
    parts = re.split(r"\r\n|\n", value)
    if parts and parts[-1] == "":
        parts.pop()
    for part in parts:
        yield _Line(_SERVER if kind == "reply" else _CLIENT, part, number, True)


def _classify_lines(lines: Iterable[str]) -> Iterable[_Line]:
    for number, raw in enumerate(lines, start=1):
        prefix = _PREFIX.match(raw)
        assert prefix is not None  # Every part of it is optional.
        rest = raw[prefix.end() :]
        connection = prefix.group("id")
        marked = _MARKED.match(rest)
        if marked is not None:
            kind = _SERVER if marked.group("server") else _CLIENT
            text = rest[marked.end() :]
            text = text[1:] if text[:1] == " " else text
            if kind == _SERVER:
                text = text.lstrip()
            yield _Line(kind, text.rstrip("\r"), number, True, connection)
            continue
        phpmailer = _PHPMAILER_ERROR.match(rest)
        if phpmailer is not None:
            yield _Line(_REPORTED, phpmailer.group("reply").rstrip(), number, True, connection)
            continue
        smtplib = _SMTPLIB.match(rest)
        if smtplib is not None:
            yield from _smtplib_lines(smtplib.group(1), smtplib.group(2), number)
            continue
        if _CONNECTING.match(rest):
            yield _Line(_CONNECT, rest.strip(), number, True, connection)
        elif _FAILED_CONNECT.match(rest):
            words = " ".join(rest.lstrip("* \t").split())
            yield _Line(_ERROR, words, number, True, connection)
        elif _REPLY.match(rest):
            yield _Line(_SERVER, rest.rstrip(), number, False, connection)
        else:
            # A bare line: a command typed into telnet or openssl, message content, or noise;
            # the parser decides from where the session stands.
            yield _Line(_CLIENT, rest.rstrip(), number, False, connection)


# --- Sessions ----------------------------------------------------------------------------------


@dataclass
class _Pending:
    stage: Stage
    command: str | None
    line: int
    reply_lines: list[str] = field(default_factory=list)
    reply_code: str | None = None
    enhanced_code: str | None = None
    reply_line: int = 0
    error: str = ""

    def freeze(self) -> Step:
        if self.reply_code is not None:
            return Step(
                self.stage,
                self.command,
                self.reply_code,
                self.enhanced_code,
                "\n".join(self.reply_lines),
                self.reply_line,
            )
        return Step(self.stage, self.command, None, None, self.error, self.line)


def _stage_of(command: str) -> Stage | None:
    """The stage a client line opens, or None when it is not an SMTP command."""
    if command.strip() == ".":
        return Stage.END_OF_DATA
    verb = _VERB.match(command.strip())
    if verb is None:
        return None
    stage = _VERB_STAGES.get(verb.group(1).upper())
    last_chunk = re.search(r"\bLAST\s*$", command, re.IGNORECASE)
    if stage is Stage.DATA and verb.group(1).upper() == "BDAT" and last_chunk:
        return Stage.END_OF_DATA
    if (
        stage is Stage.DATA
        and command.strip().upper() != "DATA"
        and verb.group(1).upper() != "BDAT"
    ):
        return None  # "Data: …" in a message body is not the DATA command.
    return stage


class _Parser:
    """Walks the lines once, keeping the commands still waiting for a reply in order
    (pipelining, RFC 2920: replies come back in the order of the commands)."""

    def __init__(self) -> None:
        self.sessions: list[list[_Pending]] = []
        self.steps: list[_Pending] = []
        self.waiting: list[_Pending] = []
        self.reply: list[str] = []
        self.reply_line = 0
        self.content: list[str] | None = None
        """The message lines sent after a 354, until the lone dot; None outside the data."""
        self.auth_continues = False
        self.quit = False
        self.connecting = False
        """A tool said it was connecting: only then is an error a connection that failed."""
        self.connection: str | None = None

    def new_session(self) -> None:
        self.close_reply()
        if any(step.command is not None or step.stage is Stage.CONNECT for step in self.steps):
            # Only sessions with a command or a failed connection are kept: a log of a million
            # lone replies must not become a million sessions in memory.
            self.sessions.append(self.steps)
        self.steps = []
        self.waiting = []
        self.content = None
        self.auth_continues = False
        self.quit = False

    def feed(self, line: _Line) -> None:
        if line.connection is not None and line.connection != self.connection:
            if self.connection is not None:
                self.new_session()
            self.connection = line.connection
        if line.kind == _SERVER:
            self.server(line)
        elif line.kind == _CLIENT:
            self.close_reply()
            self.client(line)
        elif line.kind == _REPORTED:
            self.close_reply()
            if self.waiting:
                # Only the failure was logged: it answers the last command sent, and the
                # commands before it passed unseen.
                del self.waiting[:-1]
                self.server(line)
        elif line.kind == _CONNECT:
            self.close_reply()
            if self.steps:
                self.new_session()
            self.connecting = True
        else:
            self.close_reply()
            self.error(line)

    def server(self, line: _Line) -> None:
        match = _REPLY.match(line.text)
        if match is None:
            if self.reply:
                self.reply.append(line.text)  # A reply line wrapped by the tool.
            return
        if not self.reply:
            self.reply_line = line.number
        if len(self.reply) < REPLY_LINES:
            self.reply.append(line.text)
        else:
            self.reply[-1] = line.text  # Keep the last line: it ends the reply.
        if match.group(2) is None:
            self.close_reply()

    def close_reply(self) -> None:
        if not self.reply:
            return
        lines, self.reply = self.reply, []
        code = lines[-1][:3]
        enhanced = None
        for text in lines:
            found = _ENHANCED.match(text, 4)
            if found is not None:
                enhanced = found.group(1)
                break
        if not self.waiting and self.content is not None:
            # The tool did not log the message itself (nodemailer): the reply ends the data.
            summary = self.content[0] if len(self.content) == 1 else "."
            self.command(Stage.END_OF_DATA, summary, self.reply_line)
            self.content = None
        if self.waiting:
            step = self.waiting.pop(0)
        else:
            if code == "220" and self.steps:
                self.new_session()
            if len(self.steps) > 1 and self.steps[-1].command is None:
                step = self.steps[-1]  # Replies nobody asked for, in a row: the last one counts.
            else:
                stage = Stage.GREETING if not self.steps else self.steps[-1].stage
                step = _Pending(stage, None, self.reply_line)
                self.steps.append(step)
        step.reply_lines = lines
        step.reply_code = code
        step.enhanced_code = enhanced
        step.reply_line = self.reply_line
        if code == "354" and step.stage is Stage.DATA:
            self.content = []
        if step.stage is Stage.AUTH:
            self.auth_continues = code == "334"

    def command(self, stage: Stage, text: str, number: int) -> None:
        step = _Pending(stage, text, number)
        self.steps.append(step)
        self.waiting.append(step)

    def client(self, line: _Line) -> None:
        text = line.text
        if self.content is not None:
            if text.strip() == ".":
                self.content = None
                self.command(Stage.END_OF_DATA, text.strip(), line.number)
            elif line.marked:
                self.content.append(text)
            return
        if self.auth_continues:
            # The answer to a 334 challenge: base64, "*" to cancel, or empty (RFC 4954 §4).
            self.auth_continues = False
            self.command(Stage.AUTH, text.strip(), line.number)
            return
        stage = _stage_of(text)
        if stage is None:
            return  # Noise around a bare session, or a chunk of BDAT data.
        if self.quit:
            self.new_session()
        if stage is Stage.QUIT:
            self.quit = True
        self.command(stage, text.strip(), line.number)

    def error(self, line: _Line) -> None:
        """A tool's own error: the command it was waiting on got no reply, or the
        connection failed before any greeting."""
        if self.waiting:
            step = self.waiting.pop(0)
            step.error = line.text
            step.line = line.number
            self.waiting.clear()
        elif self.steps and self.steps[-1].stage is Stage.CONNECT:
            self.steps[-1].error += " " + line.text  # The tool's error goes on (swaks).
        elif not self.steps and self.connecting:
            step = _Pending(Stage.CONNECT, None, line.number, error=line.text)
            self.steps.append(step)

    def finish(self) -> list[list[_Pending]]:
        self.new_session()
        return self.sessions


RETRIED_STAGES = frozenset((Stage.EHLO, Stage.AUTH))
"""Stages a client may try again in the same session: EHLO refused, then HELO accepted; one
AUTH mechanism refused, then another accepted (RFC 5321 §4.1.4, RFC 4954 §4). A refused RCPT
or MAIL is not undone by a later one: it names why this message went nowhere."""


def _judge(steps: tuple[Step, ...]) -> Session:
    """Delivered only after a 2xx to the end of the data; else the first failure that was not
    retried with success. RSET, NOOP or VRFY refused say nothing about the message."""
    delivered = any(
        step.stage is Stage.END_OF_DATA and (step.reply_code or "").startswith("2")
        for step in steps
    )
    if delivered:
        return Session(steps, True, None, verdict(Reason.DELIVERED, "a 2xx after the data"))
    for index, step in enumerate(steps):
        if not step.failed:
            continue
        if step.stage in (Stage.QUIT, Stage.OTHER):
            continue
        passed_later = step.stage in RETRIED_STAGES and any(
            later.stage is step.stage and (later.reply_code or "").startswith("2")
            for later in steps[index + 1 :]
        )
        if passed_later:
            continue
        judged = classify(step.text, step.reply_code, step.enhanced_code)
        return Session(steps, False, step, judged)
    return Session(steps, False, None, None)


def sessions(lines: Iterable[str]) -> tuple[Session, ...]:
    """The SMTP sessions in `lines`, in order; empty when the text holds no session.

    A text is a session only if a command got a reply, or a connection failed: a lone pasted
    reply, even one marked ``S:``, stays a reply.
    """
    parser = _Parser()
    for line in _classify_lines(lines):
        parser.feed(line)
    found = []
    for pending in parser.finish():
        steps = tuple(step.freeze() for step in pending)
        exchanged = any(step.command is not None and step.reply_code for step in steps)
        refused = any(step.stage is Stage.CONNECT for step in steps)
        if exchanged or refused:
            found.append(_judge(steps))
    return tuple(found)
