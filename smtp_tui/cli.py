"""The command line: ``smtp-tui show|compare|list|search``, and the browser when given only codes.

Imports no Textual on these paths so a lookup answers in a fraction of the browser's start-up time.
Every failure the user can cause ends in one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import NoReturn, TextIO

from .comparison import cite
from .diagnosis import Diagnosis, diagnose, diagnosis_to_dict
from .export import code_to_dict, comparison_to_dict
from .model import ACTORS, Code, Comparison, ReplyCode
from .repository import (
    FAMILIES,
    CodeView,
    DataError,
    Repository,
    UnknownCode,
    load,
    printable,
    quoted,
)

PROG = "smtp-tui"
SUBCOMMANDS = ("show", "compare", "list", "search", "explain", "serve")
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad argument: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse prints usage plus an error; we want the one-line error and a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ----------------------------------------------------------------------------------- rendering


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
    """Wraps prose to the terminal's width without ever breaking a word."""

    def __init__(self, out: TextIO, style: Style, width: int) -> None:
        self.out = out
        self.style = style
        self.width = max(40, min(width, 100))

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def para(self, text: str, indent: str = "  ", first: str | None = None) -> None:
        wrapped = textwrap.fill(
            text,
            width=self.width,
            initial_indent=first if first is not None else indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        self.line(wrapped)

    def section(self, title: str) -> None:
        self.line()
        self.line(self.style.heading(title))


def _header(code: Code, w: Writer) -> None:
    w.line(f"{w.style.for_class(code.code, code.tone)}  {w.style.bold(code.name)}")
    standing = "standard" if code.standard else f"non-standard: {code.origin}"
    w.para(f"{code.classification} · {standing}", indent="  ", first="")


def _code_body(code: Code, w: Writer, full: bool = True) -> None:
    w.section("Description")
    w.para(code.description)
    w.section("When you see it")
    w.para(code.when)
    w.section("How to fix")
    w.para(code.fix_sender, indent="    ", first="  Sender: ")
    w.para(code.fix_admin, indent="    ", first="  Administrator: ")
    if not full:
        return
    if isinstance(code, ReplyCode):
        w.section("When a server sends it")
        w.para(code.server_guidance)
    w.section("Facts")
    w.para(f"Retry: {code.retry}.", indent="    ", first="  ")
    if isinstance(code, ReplyCode):
        who = ", ".join(ACTORS[actor] for actor in code.action_by)
        w.para(f"Who acts: {who}.", indent="    ", first="  ")
        w.para(f"Commands: {', '.join(code.command_names)}.", indent="    ", first="  ")
    else:
        w.para(f"Reply codes it goes with: {code.replies_text}.", indent="    ", first="  ")
    w.para(f"References: {cite(code.references)}.", indent="    ", first="  ")
    if isinstance(code, ReplyCode) and code.notes:
        w.section("Watch out")
        w.para(code.notes)


def render_code(code: Code, repo: Repository, w: Writer) -> None:
    _header(code, w)
    _code_body(code, w)
    related = repo.related(code)
    same = [other for other in related if other.family == code.family]
    other_family = [other for other in related if other.family != code.family]
    counterpart = repo.counterpart(code)
    for title, items in (
        ("Related", same),
        (
            f"Enhanced status codes sent with {code.code}"
            if isinstance(code, ReplyCode)
            else f"Reply codes sent with {code.code}",
            other_family,
        ),
    ):
        if not items:
            continue
        w.section(title)
        for other in items:
            mark = " (counterpart)" if counterpart and other.code == counterpart.code else ""
            first = f"  {other.code:<8}"
            w.para(f"{other.name}{mark}", indent=" " * len(first), first=first)


def render_comparison(comparison: Comparison, w: Writer) -> None:
    w.line(w.style.bold(f"{comparison.first.code} vs {comparison.second.code}"))
    w.section("Summary")
    w.para(comparison.summary)
    for code in (comparison.first, comparison.second):
        w.line()
        w.line(w.style.dim("─" * w.width))
        _header(code, w)
        _code_body(code, w, full=False)
    w.line()
    w.line(w.style.dim("─" * w.width))
    w.line(w.style.heading("Key differences"))
    for number, text in enumerate(comparison.key_differences, start=1):
        w.para(text, indent="      ", first=f"  {number:>2}. ")
    w.section("When to use which")
    w.line("  For a server choosing which reply to send:")
    for text in comparison.for_servers:
        w.para(text, indent="      ", first="    - ")
    w.line("  For the sender reacting to it:")
    for text in comparison.for_senders:
        w.para(text, indent="      ", first="    - ")


def render_view(view: CodeView, w: Writer) -> None:
    if not view:
        w.line(f"no code matches {quoted(view.query.strip(), limit=60)}")
        return
    for code in view:
        mark = "" if code.standard else w.style.dim("  [non-standard]")
        name = textwrap.shorten(code.name, width=w.width - 14, placeholder="…")
        w.line(f"{w.style.for_class(f'{code.code:<8}', code.tone)}{name}{mark}")
    w.line(w.style.dim(f"({view.describe()})"))


# -------------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON (schema in the README)")
    common.add_argument("--data", metavar="DIR", help="read the code data from DIR")
    common.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour the output"
    )
    parser = _Parser(
        prog=PROG,
        description="A browser for SMTP reply codes. With no command, or with one or two codes, "
        "it opens the terminal browser (on that code, or on the comparison of the two).",
        epilog="examples: smtp-tui 452 · smtp-tui 211 452 · smtp-tui show 550 · "
        "smtp-tui compare 452 552 · smtp-tui search mailbox full",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    show = sub.add_parser("show", parents=[common], help="explain one code")
    show.add_argument("code")
    compare = sub.add_parser("compare", parents=[common], help="compare two codes")
    compare.add_argument("first")
    compare.add_argument("second")
    listing = sub.add_parser("list", parents=[common], help="list the codes")
    listing.add_argument("--class", dest="reply_class", type=int, choices=(2, 3, 4, 5))
    listing.add_argument("--family", choices=FAMILIES, help="only reply codes or enhanced codes")
    search = sub.add_parser("search", parents=[common], help="search codes by number or words")
    search.add_argument("query", nargs="+")
    search.add_argument("--class", dest="reply_class", type=int, choices=(2, 3, 4, 5))
    search.add_argument("--family", choices=FAMILIES, help="only reply codes or enhanced codes")
    explain = sub.add_parser(
        "explain",
        parents=[common],
        help="explain every code in a reply, transcript or bounce",
        description="Finds every reply code and enhanced status code in a text and explains each, "
        "and the outcome. Exit status 0 when codes were found, 1 when none.",
    )
    explain.add_argument("text", nargs="*", help="the text; '-' or nothing reads standard input")
    explain.add_argument("--file", metavar="PATH", help="read the text from a file (a .eml bounce)")
    serve = sub.add_parser("serve", help="serve the browser in a web page (textual-serve)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    return parser


def _dump(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _explain_input(args: argparse.Namespace) -> bytes | str:
    """The text to explain: --file, the arguments, or standard input."""
    if args.file:
        try:
            with open(args.file, "rb") as stream:
                return stream.read()
        except OSError as error:
            raise UsageError(f"cannot read {quoted(args.file, 60)}: {error.strerror}") from None
    if args.text and args.text != ["-"]:
        return " ".join(args.text)
    if sys.stdin is None:
        return b""
    if sys.stdin.isatty():
        print("reading the text from standard input; end it with ctrl+d", file=sys.stderr)
    return sys.stdin.buffer.read()


def render_diagnosis(diagnosis: Diagnosis, w: Writer) -> None:
    outcome = diagnosis.scan.outcome
    tone = {"delivered": 2, "temporary": 4, "permanent": 5}.get(outcome, 0)
    w.line(w.style.for_class(diagnosis.headline, tone))
    if diagnosis.reason:
        w.para(diagnosis.reason, indent="  ")
    if diagnosis.advice:
        w.para(diagnosis.advice, indent="    ", first="  What to do: ")
    if not diagnosis.items:
        return
    w.section("Findings")
    for item in diagnosis.items:
        tone = item.main.tone if item.main else 0
        flag = "! " if item.mismatch else ""
        first = f"  line {item.line:<5} "
        w.line(first + w.style.for_class(f"{flag}{item.label}", tone))
        w.para(item.meaning, indent=" " * len(first))
        context = printable(item.context, limit=2 * (w.width - len(first)) - 4)
        w.para(f"> {context}", indent=" " * (len(first) + 2), first=" " * len(first))
    count = len(diagnosis.scan.findings)
    w.line(w.style.dim(f"({count} code{'s' if count != 1 else ''} found)"))


def _load(data: str | None = None) -> Repository:
    """The repository; problems with the user's own code file are warnings on stderr."""
    repo = load(data)
    for warning in repo.warnings:
        print(f"{PROG}: warning: {printable(warning)}", file=sys.stderr)
    return repo


def run_command(args: argparse.Namespace, out: TextIO) -> int:
    repo = _load(args.data)
    if args.json:
        writer = None
    else:
        style = Style(color_wanted(args.color, out))
        writer = Writer(out, style, shutil.get_terminal_size((100, 24)).columns)
    if args.command == "explain":
        diagnosis = diagnose(_explain_input(args), repo)
        if writer is None:
            _dump(diagnosis_to_dict(diagnosis), out)
        else:
            render_diagnosis(diagnosis, writer)
        return 0 if diagnosis.scan.findings else 1
    if args.command == "show":
        code = repo.get(args.code)
        if writer is None:
            _dump(code_to_dict(code), out)
        else:
            render_code(code, repo, writer)
    elif args.command == "compare":
        try:
            comparison = repo.compare(args.first, args.second)
        except ValueError as error:
            raise UsageError(str(error)) from None
        if writer is None:
            _dump(comparison_to_dict(comparison), out)
        else:
            render_comparison(comparison, writer)
    else:
        if args.command == "list":
            if args.reply_class:
                view = repo.in_class(args.reply_class)
            else:
                view = repo.in_family(args.family)
        else:
            view = repo.search(" ".join(args.query), args.reply_class, args.family)
        if writer is None:
            _dump(
                {
                    "query": view.query or None,
                    "class": view.reply_class.label if view.reply_class else None,
                    "family": view.family,
                    "count": len(view),
                    "codes": [code_to_dict(code) for code in view],
                },
                out,
            )
        else:
            render_view(view, writer)
        if args.command == "search" and not view:
            return 1
    return 0


def _browser_args(argv: Sequence[str]) -> list[str] | None:
    """The codes to open the browser on, or None when argv asks for a sub-command or --help."""
    if argv and (argv[0] in SUBCOMMANDS or argv[0].startswith("-")):
        return None
    return list(argv)


def launch_browser(codes: Sequence[str]) -> int:
    """Open the Textual browser; imported here so the sub-commands never pay for Textual."""
    if len(codes) > 2:
        raise UsageError("give at most two codes: one to open, two to compare")
    for word in codes:
        if word.isalpha():
            close = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"commands: {', '.join(SUBCOMMANDS)}"
            raise UsageError(
                f"unknown command {quoted(word, 30)}; {hint} (or give one or two codes to browse)"
            )
    repo = load()
    for code in codes:
        repo.get(code)
    if len(codes) == 2:
        try:
            repo.compare(codes[0], codes[1])
        except ValueError as error:
            raise UsageError(str(error)) from None
    from .tui.app import SmtpTuiApp

    SmtpTuiApp(repo, codes=tuple(code.strip() for code in codes)).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        browser = _browser_args(argv)
        if browser is not None:
            return launch_browser(browser)
        args = build_parser().parse_args(argv)
        if args.command is None:
            return launch_browser([])
        if args.command == "serve":
            from .serve import serve

            load()  # a broken data file is one line here, not a traceback in every tab
            serve(args.host, args.port)
            return 0
        return run_command(args, sys.stdout)
    except (UsageError, UnknownCode, DataError) as error:
        text = error.message if isinstance(error, UnknownCode) else str(error)
        print(f"{PROG}: {printable(text)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
