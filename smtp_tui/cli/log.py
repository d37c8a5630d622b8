"""``smtp-tui log FILE|-``: a mail log summed up on the terminal or as JSON, streamed.

Kept apart from cli.py so the log command is one branch there; the reading is maillog's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, BinaryIO, TextIO

from smtp_tui.core.i18n import text as _t
from smtp_tui.core.text import quoted

if TYPE_CHECKING:  # imported when a log is read, so that building the parser stays cheap
    from smtp_tui.core.maillog import Delivery, MailLog, Summary
    from smtp_tui.core.repository import Repository

PROGRESS_FROM = 50_000_000
"""Inputs smaller than this are summed up too fast for a progress line to help."""


def timestamp(text: str, end: bool = False) -> datetime:
    """A --since/--until time: ``2024-03-01``, ``2024-03-01 10:00`` or ``2024-03-01T10:00:05``.

    A bare date as --until means the whole of that day.
    """
    spoken = text.strip().replace(" ", "T", 1)
    try:
        when = datetime.fromisoformat(spoken)
    except ValueError:
        raise argparse.ArgumentTypeError(_t("log.bad_time", got=quoted(text, 40))) from None
    when = when.replace(tzinfo=None)
    if end and "T" not in spoken:
        when += timedelta(days=1, microseconds=-1)
    return when


def rows(text: str) -> int:
    """--top N: a count of rows, 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(_t("log.bad_top", got=quoted(text, 20)))
    return int(text)


def until_timestamp(text: str) -> datetime:
    return timestamp(text, end=True)


def add_log_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    parents: Sequence[argparse.ArgumentParser],
) -> None:
    log = sub.add_parser(
        "log", parents=list(parents), help=_t("log.help"), description=_t("log.help_more")
    )
    log.add_argument("file", metavar="FILE|-", help=_t("log.help_file"))
    log.add_argument("--since", metavar="TIME", type=timestamp, help=_t("log.help_since"))
    log.add_argument("--until", metavar="TIME", type=until_timestamp, help=_t("log.help_until"))
    log.add_argument("--top", metavar="N", type=rows, default=5, help=_t("log.help_top"))


class _Progress:
    """A progress line on stderr, redrawn at most every half second."""

    def __init__(self, stream: TextIO, size: int | None) -> None:
        self.stream = stream
        self.size = size
        self.shown = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < 0.5:
            return
        self.shown = now
        megabytes = done / 1e6
        if self.size:
            line = _t("log.progress", done=f"{megabytes:,.0f}", percent=100 * done // self.size)
        else:
            line = _t("log.progress_unknown", done=f"{megabytes:,.0f}")
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def end(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _open_input(path: str) -> tuple[BinaryIO, int | None]:
    from smtp_tui.cli.argv import UsageError

    if path == "-":
        if sys.stdin is None:
            raise UsageError(_t("log.no_input"))
        if sys.stdin.isatty() and sys.stderr is not None:
            print(_t("explain.reading_stdin"), file=sys.stderr)
        return sys.stdin.buffer, None
    shown = quoted(path, 60)
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed by run_log)
        if os.path.isdir(path):
            stream.close()
            raise IsADirectoryError(21, os.strerror(21))
        size = os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise UsageError(_t("error.cannot_read", path=shown, reason=error.strerror)) from None
    return stream, size or None


class _Chunked(io.StringIO):
    """Output handed to cli's `deliver` a chunk at a time: bounded memory for a huge --json,
    and a full disk or a closed pipe is one line, as for every other command."""

    CHUNK = 1 << 16

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def isatty(self) -> bool:
        return self.stream.isatty()

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.tell() >= self.CHUNK:
            self.send()
        return written

    def send(self) -> None:
        from smtp_tui.cli.terminal import deliver

        deliver(self.getvalue())
        self.seek(0)
        self.truncate()


def browsable(args: argparse.Namespace, stdout: TextIO) -> bool:
    """A log named on a terminal opens as the browser's log screen; piped output, --json and
    standard input (which the browser needs for its keys) are printed as before. A file that
    cannot be read is still the one-line error, before any screen opens."""
    if args.json or args.file == "-" or not (stdout.isatty() and sys.stdin and sys.stdin.isatty()):
        return False
    stream, _ = _open_input(args.file)
    stream.close()
    return True


def run_log(args: argparse.Namespace, stdout: TextIO) -> int:
    """Reads the log once, streaming: JSON messages are written as they are found."""
    from smtp_tui.cli.output import load_repository
    from smtp_tui.cli.terminal import Style, Writer, color_wanted

    out = _Chunked(stdout)
    from smtp_tui.core.maillog import MailLog, Summary, delivery_to_dict, lines_of, summary_to_dict

    stream, size = _open_input(args.file)
    log = MailLog(since=args.since, until=args.until)
    summary = Summary(log.stats)
    progress = None
    err = sys.stderr
    if err is not None and err.isatty() and (size is None or size >= PROGRESS_FROM):
        progress = _Progress(err, size)
    try:
        deliveries = _tracked(log.read(lines_of(stream, log.stats)), log, progress)
        if args.json:
            out.write('{\n  "messages": [')
            first = True
            for delivery in deliveries:
                summary.add(delivery)
                out.write(("\n    " if first else ",\n    ") + _compact(delivery_to_dict(delivery)))
                first = False
            out.write("\n  ],\n")
            rest = json.dumps(summary_to_dict(summary, args.top), indent=2, ensure_ascii=False)
            out.write(rest[1:].lstrip("\n") + "\n")  # the same object, after "messages"
        else:
            for delivery in deliveries:
                summary.add(delivery)
            style = Style(color_wanted(args.color, out))
            width = shutil.get_terminal_size((100, 24)).columns
            repository = load_repository(args.data)
            render_summary(summary, Writer(out, style, width), args.file, args.top, repository)
        out.send()
    finally:
        if progress is not None:
            progress.end()
        if stream is not sys.stdin.buffer:
            stream.close()
    return 0 if summary.totals else 1  # as explain: 1 when nothing about mail was found


def _compact(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _tracked(
    deliveries: Iterator[Delivery], log: MailLog, progress: _Progress | None
) -> Iterator[Delivery]:
    if progress is None:
        yield from deliveries
        return
    for delivery in deliveries:
        progress.update(log.stats.bytes)
        yield delivery


def render_summary(
    summary: Summary, w: object, source: str, top: int = 5, repository: Repository | None = None
) -> None:
    """Totals, then what failed most, each row with the command that explains it."""
    from smtp_tui.cli import render
    from smtp_tui.cli.terminal import Writer
    from smtp_tui.core.display.log import log_document

    assert isinstance(w, Writer)
    render.document(log_document(summary, source, top, repository), w)
