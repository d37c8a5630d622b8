"""The text `explain` is given: a file, the arguments or standard input, read in chunks up to a
bound, so that /dev/zero or an endless pipe neither fills the memory nor deafens Ctrl+C."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, BinaryIO

from smtp_tui.cli.argv import UsageError
from smtp_tui.cli.terminal import PROG
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.text import quoted

if TYPE_CHECKING:
    import argparse

READ_CHUNK = 1 << 20
"""Input is read a megabyte at a time, so that Ctrl+C is heard between reads even of /dev/zero."""


def _shown_size(count: int) -> str:
    """A byte count as people say it: ``50 MB``, ``64 kB``, ``1.5 MB``, ``900 B``."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.4g} {unit}"
    return f"{count} B"


def _read_bounded(stream: BinaryIO, limit: int, source: str) -> bytearray:
    """At most `limit` bytes of `stream`, read in chunks; says on stderr when it stopped early.

    One ``read()`` of /dev/zero or of an endless pipe never returns and holds all it has read:
    chunks keep the memory bounded and let a Ctrl+C through between them.
    """
    data = bytearray()  # Returned as it is: a copy would hold the input twice.
    while len(data) < limit:
        chunk = stream.read(min(READ_CHUNK, limit - len(data)))
        if not chunk:
            return data
        data += chunk
    if stream.read(1):
        note = _t("explain.truncated", size=_shown_size(limit), source=source)
        print(f"{PROG}: {note}", file=sys.stderr)
    return data


def explain_input(args: argparse.Namespace) -> bytearray | str:
    """The text to explain: --file, the arguments, or standard input, at most --max-bytes of it."""
    if args.file:
        shown = quoted(args.file, 60)
        try:
            with open(args.file, "rb") as stream:
                return _read_bounded(stream, args.max_bytes, shown)
        except OSError as error:
            raise UsageError(_t("error.cannot_read", path=shown, reason=error.strerror)) from None
    if args.text and args.text != ["-"]:
        return " ".join(args.text)
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        print(_t("explain.reading_stdin"), file=sys.stderr)
    return _read_bounded(sys.stdin.buffer, args.max_bytes, _t("explain.standard_input"))
