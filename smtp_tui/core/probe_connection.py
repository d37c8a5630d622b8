"""A probe's connection: a socket opened and read line by line under a cap on lines and replies,
a deadline per read, and a stop signal looked at while it waits (`smtp_tui.core.probe`).
"""

from __future__ import annotations

import errno
import os
import select
import socket
import threading
import time

from smtp_tui.core.probe_report import FAILURES, REPLY_LINE, Failure, Stage

MAX_LINE = 64 * 1024
"""The longest reply line taken: RFC 5321 §4.5.3.1.5 allows 512 octets; 128 times that is
still an SMTP server, a line past it is not."""
MAX_REPLY = 1024 * 1024
"""The most a multi-line reply may hold (a long EHLO list is a few hundred bytes)."""
POLL = 0.1
"""Seconds between looks at a probe's stop signal while it waits on the network."""


class Stop(Exception):
    """Ends the session with a failure (caught in `probe`, never seen outside)."""

    def __init__(self, failure: Failure, stage: Stage, **values: object) -> None:
        super().__init__(failure)
        self.failure = failure
        self.stage = stage
        self.values = values

    @property
    def sentence(self) -> str:
        return FAILURES[self.failure].format(**self.values)


class Stopped(Exception):
    """The user stopped the probe: caught in `probe`, which reports it."""


def check_stop(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Stopped


def open_socket(
    address: str, port: int, wait: float, cancel: threading.Event | None
) -> socket.socket:
    """`socket.create_connection`, looking at `cancel` while the connection is being made, so a
    probe of an address that drops packets can be stopped at once rather than after `wait`."""
    if cancel is None:
        return socket.create_connection((address, port), timeout=wait)
    end = time.monotonic() + wait
    family, kind, proto, _, where = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setblocking(False)
        error = sock.connect_ex(where)
        while error in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY):
            check_stop(cancel)
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if select.select([], [sock], [], min(POLL, left))[1]:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if error:
            raise OSError(error, os.strerror(error))  # ConnectionRefusedError for ECONNREFUSED
        sock.setblocking(True)
        return sock
    except BaseException:
        sock.close()
        raise


class Connection:
    """A socket read line by line, with a cap on lines and replies and a deadline per read."""

    def __init__(
        self,
        sock: socket.socket,
        timeout: float,
        deadline: float,
        bound: float,
        cancel: threading.Event | None = None,
    ) -> None:
        self.sock: socket.socket = sock
        self.timeout = timeout
        self.deadline = deadline
        self.bound = bound
        self.cancel = cancel
        self.buffer = bytearray()

    def send(self, data: bytes, stage: Stage) -> None:
        self.sock.settimeout(self._wait(stage))
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise Stop(
                Failure.SILENT, stage, seconds=self.timeout, after=done_before(stage)
            ) from None
        except OSError:
            raise Stop(Failure.CLOSED, stage, after=done_before(stage)) from None

    def _wait(self, stage: Stage) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Stop(Failure.OUT_OF_TIME, stage, seconds=seconds_text(self.bound))
        return min(self.timeout, left)

    def _line(self, stage: Stage, step_end: float) -> str:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                raw = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                if len(raw) > MAX_LINE:
                    raise Stop(Failure.LINE_TOO_LONG, stage, limit=MAX_LINE)
                return raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if len(self.buffer) > MAX_LINE:
                raise Stop(Failure.LINE_TOO_LONG, stage, limit=MAX_LINE)
            check_stop(self.cancel)
            left = min(step_end, self.deadline) - time.monotonic()
            if left <= 0:
                raise self._silent(stage, step_end)
            self.sock.settimeout(left if self.cancel is None else min(left, POLL))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                if self.cancel is not None:
                    continue  # a look at the stop signal; the step's own time is checked above
                raise self._silent(stage, step_end) from None
            except OSError:
                chunk = b""
            if not chunk:
                raise Stop(Failure.CLOSED, stage, after=done_before(stage))
            self.buffer += chunk

    def _silent(self, stage: Stage, step_end: float) -> Stop:
        if step_end > self.deadline:
            return Stop(Failure.OUT_OF_TIME, stage, seconds=seconds_text(self.bound))
        return Stop(Failure.SILENT, stage, seconds=self.timeout, after=done_before(stage))

    def reply(self, stage: Stage) -> tuple[str, list[str]]:
        """A whole reply: its code and its lines (RFC 5321 §4.2.1: ``250-`` until ``250 ``)."""
        step_end = time.monotonic() + self.timeout
        lines: list[str] = []
        size = 0
        while True:
            line = self._line(stage, step_end)
            size += len(line) + 2
            if size > MAX_REPLY:
                raise Stop(Failure.REPLY_TOO_LONG, stage, limit=MAX_REPLY)
            match = REPLY_LINE.match(line)
            if match is None or (lines and match.group(1) != lines[0][:3]):
                shown = line[:80] + ("…" if len(line) > 80 else "")
                raise Stop(Failure.NOT_SMTP, stage, line=repr(shown))
            lines.append(line)
            if match.group(2) != "-":
                return match.group(1), lines


def done_before(stage: Stage) -> str:
    return {
        Stage.GREETING: "the connection opened",
        Stage.TLS: "the TLS handshake",
    }.get(stage, stage.upper().replace("-TLS", ""))


def elapsed_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def seconds_text(seconds: float) -> str:
    return f"{seconds:g}"
