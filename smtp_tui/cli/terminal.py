"""What the command line writes, and nothing more: ANSI styles, prose wrapped to the terminal's
width, a command's output delivered whole, and one-line complaints on stderr.

Every lookup imports this module, the prepared answers (`smtp_tui.cli.prepared`) included, whose
whole budget is a few milliseconds: so it imports only the line breaker at its top; right-to-left
shaping and the words of an error are imported when a line needs them.

A failed write (a closed pipe, a full disk) becomes an `OutputError` with the exit status to end
with, never a traceback or "Exception ignored" at exit.
"""

from __future__ import annotations

import io
import os
import sys

from smtp_tui.core.line_breaking import wrap

TYPE_CHECKING = False
"""`typing.TYPE_CHECKING` without importing `typing`: it alone would cost a prepared answer
(`smtp_tui.cli.prepared`) a quarter of its time. mypy reads the name the same."""

if TYPE_CHECKING:
    from typing import TextIO


def _t(key: str, /, **values: object) -> str:
    """The interface's words, imported only when an error is worded (the catalogue costs more
    than a whole prepared answer)."""
    from smtp_tui.core.i18n import text

    return text(key, **values)


PROG = "smtp-tui"
EXIT_USAGE = 2
EXIT_CLOSED_PIPE = 141
"""What a shell reports for a program stopped by SIGPIPE (128 + 13), as `cat` or `grep` would be:
scripts that already allow for it in a pipeline (`set -o pipefail`) treat us the same."""


class Style:
    """ANSI styling that is switched off when the output is not a terminal or NO_COLOR is set."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def heading(self, text: str) -> str:
        return self._wrap(text, "1;4")

    def bold(self, text: str) -> str:
        return self._wrap(text, "1")

    def dim(self, text: str) -> str:
        return self._wrap(text, "2")

    def for_class(self, text: str, tone: int) -> str:
        """Coloured by class: 2 green, 3 cyan, 4 yellow, 5 red; 0 (an X.n.n code) plain bold."""
        colour = {2: "32", 3: "36", 4: "33", 5: "31"}.get(tone)
        return self._wrap(text, f"1;{colour}" if colour else "1")


def color_wanted(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


class Writer:
    """Wraps prose to the terminal's width in cells, as the terminal draws it, without breaking
    a word, a number or a code, and breaking Chinese and Japanese where their rules allow."""

    def __init__(self, out: TextIO, style: Style, width: int, visual_rtl: bool = False) -> None:
        self.out = out
        self.style = style
        self.width = max(40, min(width, 100))
        self.visual_rtl = visual_rtl
        """Right-to-left lines shaped and reordered here: the terminal does neither (`rtl`)."""
        if visual_rtl:
            from smtp_tui.core import rtl

            self._rtl = rtl

    def line(self, text: str = "") -> None:
        if self.visual_rtl and self._rtl.has_rtl(text):
            parts = text.split("\n")
            text = "\n".join(self._rtl.visual_terminal_line(part, self.width) for part in parts)
        self.out.write(text + "\n")

    def para(self, text: str, indent: str = "  ", first: str | None = None) -> None:
        lines = wrap(
            self._rtl.shape(text) if self.visual_rtl else text,  # wrap the joined letters, as drawn
            self.width,
            first if first is not None else indent,
            indent,
        )
        if self.visual_rtl and self._rtl.has_rtl(text):
            # Every line of a right-to-left paragraph, Latin ones too, reads from the right.
            direction = self._rtl.is_rtl_paragraph(text)
            lines = [self._rtl.visual_terminal_line(line, self.width, direction) for line in lines]
            self.out.write("".join(f"{line}\n" for line in lines))
            return
        self.line("\n".join(lines))

    def section(self, title: str) -> None:
        self.line()
        self.line(self.style.heading(title))


class OutputError(Exception):
    """The output could not be written; `status` is the exit status to end with."""

    def __init__(self, reason: str, status: int = EXIT_USAGE) -> None:
        super().__init__(_t("error.cannot_write", reason=reason))
        self.status = status


class Pending(io.StringIO):
    """A command's whole output, held until it is complete and then written at once, so a
    failed write never leaves half a document that looks whole; it answers `isatty` for the
    stream it is bound for, which decides colour."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def isatty(self) -> bool:
        return self.stream.isatty()


def deliver(text: str) -> None:
    """Write `text` to standard output and flush it; `OutputError` if that fails.

    After a failure standard output is pointed at /dev/null: what is still buffered would
    otherwise fail again at exit, as "Exception ignored … BrokenPipeError".
    """
    if sys.stdout is None:
        raise OutputError(_t("error.output_closed"))
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OutputError(_t("error.pipe_closed"), EXIT_CLOSED_PIPE) from None
    except (OSError, ValueError) as error:
        silence_stdout()
        reason = getattr(error, "strerror", None) or _t("error.output_closed")
        raise OutputError(reason) from None


def silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def complain(text: str) -> None:
    """One line on stderr, which may itself be closed or full: then there is no one to tell."""
    if sys.stderr is None:
        return
    from smtp_tui.core.text import printable

    try:
        sys.stderr.write(f"{PROG}: {printable(text)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def terminal_columns() -> int:
    """``shutil.get_terminal_size((100, 24)).columns`` without importing shutil (and with it
    bz2, lzma and fnmatch) for one number: ``$COLUMNS``, else the terminal's width, else 100."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 100


def lookup_writer(out: TextIO, color: str, rtl_setting: str | None) -> Writer:
    """How a lookup's text is written to `out` (a buffer bound for standard output): coloured
    as asked, at the terminal's width, and right-to-left lines reordered only for a terminal
    that needs it (a file or a pipe gets the text as stored). The full command line and the
    prepared answers both write through it, so the two cannot differ."""
    visual = sys.stdout is not None and sys.stdout.isatty()
    if visual:
        from smtp_tui.core import rtl

        visual = rtl.choose_mode(rtl_setting) is rtl.RtlMode.VISUAL
    return Writer(out, Style(color_wanted(color, out)), terminal_columns(), visual)
