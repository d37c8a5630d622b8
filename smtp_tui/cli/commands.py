"""The command line: ``smtp-tui show|compare|list|search``, and the browser when given only codes.

Imports no Textual on these paths so a lookup answers in a fraction of the browser's start-up time;
nor the scanner, the diagnosis or anything else only one command needs: each sub-command imports
those in its own branch (a test checks what `show`, `compare`, `list` and `search` load).
Every failure the user can cause ends in one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TextIO

from smtp_tui.core import i18n, rtl
from smtp_tui.core.cells import cell_len, ljust
from smtp_tui.core.comparison import cite, rfc_links
from smtp_tui.core.export import code_to_dict, comparison_to_dict, prose_text, retry_text, standing
from smtp_tui.core.i18n import UnknownLanguage
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.line_breaking import shorten, wrap
from smtp_tui.core.model import Code, Comparison, ReplyCode, english_note
from smtp_tui.core.repository import (
    FAMILIES,
    CodeView,
    DataError,
    Repository,
    UnknownCode,
    load,
    printable,
    quoted,
)
from smtp_tui.core.settings import Problem, Settings, load_settings

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from smtp_tui.core.diagnosis import Diagnosis

PROG = "smtp-tui"
SUBCOMMANDS = ("show", "compare", "list", "search", "explain", "serve", "probe", "log")
EXIT_USAGE = 2
EXIT_CLOSED_PIPE = 141
"""What a shell reports for a program stopped by SIGPIPE (128 + 13), as `cat` or `grep` would be:
scripts that already allow for it in a pipeline (`set -o pipefail`) treat us the same."""


class UsageError(Exception):
    """A bad argument: printed as one line, exit status 2."""


_ARGPARSE_MESSAGES = {
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "argument %(argument_name)s: %(message)s": "argument",
    "expected one argument": "expected_one",
    "expected at least one argument": "expected_at_least_one",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "ignored explicit argument %r": "ignored_explicit",
}
"""argparse's messages a user can meet, and their keys under ``cli.argparse``."""


def _argparse_words(message: str) -> str:
    """argparse's gettext hook: its messages a user can meet come from our catalogue.

    argparse looks its module-level ``_`` up on every message (it is gettext, for the
    ``argparse`` domain, which Python ships no translations of); messages we do not know stay
    as argparse wrote them.
    """
    key = _ARGPARSE_MESSAGES.get(message)
    return _t(f"cli.argparse.{key}") if key else message


argparse._ = _argparse_words  # type: ignore[attr-defined]


class _Formatter(argparse.HelpFormatter):
    """argparse's help with our catalogue's "usage: " (argparse's own words are English only)."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _t("cli.usage") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse prints usage plus an error; we want the one-line error and a pointer to --help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 (argparse's own)
        add_help = kwargs.pop("add_help", True)
        parents = kwargs.pop("parents", [])
        kwargs.update(add_help=False, formatter_class=_Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = _t("cli.positionals")
        self._optionals.title = _t("cli.options")
        if add_help:
            self.add_argument("-h", "--help", action="help", help=_t("cli.help.help"))
        # Parents after the titles are worded, so their options join ours under one heading
        # (argparse matches groups by title), as ArgumentParser.__init__ would do it.
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str) -> NoReturn:
        raise UsageError(_t("error.see_help", message=message, prog=self.prog))

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """Help goes out like any output: argparse's own swallows a failed write, so `--help`
        on a full disk said nothing and exited 0."""
        if message and (file is None or file is sys.stdout):
            _deliver(message)
        else:
            super()._print_message(message, file)


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
    """Wraps prose to the terminal's width in cells, as the terminal draws it, without breaking
    a word, a number or a code, and breaking Chinese and Japanese where their rules allow."""

    def __init__(self, out: TextIO, style: Style, width: int, visual_rtl: bool = False) -> None:
        self.out = out
        self.style = style
        self.width = max(40, min(width, 100))
        self.visual_rtl = visual_rtl
        """Right-to-left lines shaped and reordered here: the terminal does neither (`rtl`)."""

    def line(self, text: str = "") -> None:
        if self.visual_rtl and rtl.has_rtl(text):
            parts = text.split("\n")
            text = "\n".join(rtl.visual_terminal_line(part, self.width) for part in parts)
        self.out.write(text + "\n")

    def para(self, text: str, indent: str = "  ", first: str | None = None) -> None:
        lines = wrap(
            rtl.shape(text) if self.visual_rtl else text,  # wrap the joined letters, as drawn
            self.width,
            first if first is not None else indent,
            indent,
        )
        if self.visual_rtl and rtl.has_rtl(text):
            # Every line of a right-to-left paragraph, Latin ones too, reads from the right.
            direction = rtl.is_rtl_paragraph(text)
            lines = [rtl.visual_terminal_line(line, self.width, direction) for line in lines]
            self.out.write("".join(f"{line}\n" for line in lines))
            return
        self.line("\n".join(lines))

    def section(self, title: str) -> None:
        self.line()
        self.line(self.style.heading(title))


def _header(code: Code, w: Writer) -> None:
    w.line(f"{w.style.for_class(code.code, code.tone)}  {w.style.bold(code.name)}")
    w.para(f"{code.classification} · {standing(code)}", indent="  ", first="")
    note = english_note(code)
    if note:
        w.para(w.style.dim(note), indent="  ", first="")


def _fact(w: Writer, label: str, value: str) -> None:
    w.para(i18n.label(label) + value, indent="    ", first="  ")


def _code_body(code: Code, w: Writer, full: bool = True) -> None:
    w.section(_t("heading.description"))
    w.para(prose_text(code, "description"))
    w.section(_t("heading.when"))
    w.para(prose_text(code, "when"))
    w.section(_t("heading.fix"))
    w.para(
        prose_text(code, "fix_sender"), indent="    ", first=f"  {i18n.label(_t('label.sender'))}"
    )
    w.para(prose_text(code, "fix_admin"), indent="    ", first=f"  {i18n.label(_t('label.admin'))}")
    if not full:
        return
    if isinstance(code, ReplyCode):
        w.section(_t("heading.server"))
        w.para(prose_text(code, "server_guidance"))
    w.section(_t("heading.facts"))
    _fact(w, _t("label.retry"), retry_text(code))
    if isinstance(code, ReplyCode):
        _fact(w, _t("label.who_acts"), i18n.join(code.actor_names))
        _fact(w, _t("label.commands"), i18n.join(code.command_names))
    else:
        _fact(w, _t("label.replies_long"), code.replies_text)
    _fact(w, _t("label.references"), cite(code.references))
    if isinstance(code, ReplyCode) and code.notes:
        w.section(_t("heading.watch_out"))
        w.para(prose_text(code, "notes"))
    w.section(_t("heading.learn_more"))
    for name, url in rfc_links(code.references):
        w.line(f"  {name}  {url}")


def render_code(code: Code, repo: Repository, w: Writer) -> None:
    _header(code, w)
    _code_body(code, w)
    related = repo.related(code)
    same = [other for other in related if other.family == code.family]
    other_family = [other for other in related if other.family != code.family]
    counterpart = repo.counterpart(code)
    other_title = "heading.enhanced_with" if isinstance(code, ReplyCode) else "heading.replies_with"
    for title, items in (
        (_t("heading.related"), same),
        (_t(other_title, code=code.code), other_family),
    ):
        if not items:
            continue
        w.section(title)
        for other in items:
            is_counterpart = counterpart and other.code == counterpart.code
            mark = f" ({_t('code.counterpart')})" if is_counterpart else ""
            first = f"  {other.code:<8}"
            w.para(f"{other.name}{mark}", indent=" " * cell_len(first), first=first)


def render_comparison(comparison: Comparison, w: Writer) -> None:
    w.line(w.style.bold(comparison.title))
    w.section(_t("heading.summary"))
    w.para(comparison.summary)
    for code in (comparison.first, comparison.second):
        w.line()
        w.line(w.style.dim("─" * w.width))
        _header(code, w)
        _code_body(code, w, full=False)
    w.line()
    w.line(w.style.dim("─" * w.width))
    w.line(w.style.heading(_t("heading.key_differences")))
    for number, text in enumerate(comparison.key_differences, start=1):
        w.para(text, indent="      ", first=f"  {number:>2}. ")
    w.section(_t("heading.when_to_use"))
    w.line(f"  {_t('label.for_servers')}")
    for text in comparison.for_servers:
        w.para(text, indent="      ", first="    - ")
    w.line(f"  {_t('label.for_senders')}")
    for text in comparison.for_senders:
        w.para(text, indent="      ", first="    - ")
    w.section(_t("heading.learn_more"))
    for name, url in rfc_links([*comparison.first.references, *comparison.second.references]):
        w.line(f"  {name}  {url}")


def render_view(view: CodeView, w: Writer) -> None:
    if not view:
        w.line(_t("view.none", query=quoted(view.query.strip(), limit=60)))
        return
    for code in view:
        mark = "" if code.standard else w.style.dim(f"  {_t('code.nonstandard_mark')}")
        name = shorten(code.name, width=w.width - 14)
        w.line(f"{w.style.for_class(f'{code.code:<8}', code.tone)}{name}{mark}")
    w.line(w.style.dim(f"({view.describe()})"))


# -------------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The parser, worded in the active language (so ``--lang`` is read before it is built)."""
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help=_t("cli.help.json"))
    common.add_argument("--data", metavar="DIR", help=_t("cli.help.data"))
    common.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help=_t("cli.help.color")
    )
    language = _Parser(add_help=False)
    language.add_argument(
        "--lang", metavar="LANG", help=_t("cli.help.lang", choices=", ".join(i18n.LANGUAGES))
    )
    parser = _Parser(
        prog=PROG, description=_t("cli.description"), epilog=_t("cli.epilog"), parents=[language]
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, default=None, help=_t("cli.help.version")
    )
    # Its own dest: a sub-command's --data default (None) would overwrite it on the namespace.
    parser.add_argument("--data", metavar="DIR", dest="data_first", help=_t("cli.help.data"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    both = [common, language]
    show = sub.add_parser("show", parents=both, help=_t("cli.help.show"))
    show.add_argument("code")
    compare = sub.add_parser("compare", parents=both, help=_t("cli.help.compare"))
    compare.add_argument("first")
    compare.add_argument("second")
    listing = sub.add_parser("list", parents=both, help=_t("cli.help.list"))
    search = sub.add_parser("search", parents=both, help=_t("cli.help.search"))
    search.add_argument("query", nargs="+")
    for command in (listing, search):
        command.add_argument(
            "--class",
            dest="reply_class",
            type=int,
            choices=(2, 3, 4, 5),
            help=_t("cli.help.class"),
        )
        command.add_argument("--family", choices=FAMILIES, help=_t("cli.help.family"))
    explain = sub.add_parser(
        "explain",
        parents=both,
        help=_t("cli.help.explain"),
        description=_t("cli.help.explain_more"),
    )
    explain.add_argument("text", nargs="*", help=_t("cli.help.text"))
    explain.add_argument("--file", metavar="PATH", help=_t("cli.help.file"))
    explain.add_argument(
        "--max-bytes",
        metavar="SIZE",
        type=size,
        default=DEFAULT_MAX_BYTES,
        help=_t("cli.help.max_bytes"),
    )
    serve = sub.add_parser("serve", parents=[language], help=_t("cli.help.serve"))
    serve.add_argument("--host", default="127.0.0.1", help=_t("cli.help.host"))
    serve.add_argument("--port", type=_port, default=8000, help=_t("cli.help.port"))
    serve.add_argument("--data", metavar="DIR", help=_t("cli.help.data"))
    _probe_parser(sub.add_parser("probe", parents=both, help=_t("probe.help")))
    from smtp_tui.cli.log import add_log_parser

    add_log_parser(sub, both)
    return parser


_LOOKUP_ARGUMENTS = {
    "show": ("code",),
    "compare": ("first", "second"),
    "list": (),
    "search": ("query",),
}
"""The positional arguments of the lookups `_quick_args` answers, as `build_parser` names them."""


def _quick_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """What ``build_parser().parse_args(argv)`` returns for a plain lookup (``show 452``,
    ``compare 450 550``, ``list``, ``search WORDS``, each with or without ``--json``), or None.

    Building the parser, worded in the active language, took longer than the lookup it parses
    for. Anything else — another option, ``-h``, a word starting with ``-``, a wrong number of
    words — returns None and goes to argparse, whose messages and help stay the only ones.
    A test checks this against argparse's own result.
    """
    if not argv or argv[0] not in _LOOKUP_ARGUMENTS:
        return None
    command, json_wanted, words = argv[0], False, []
    for word in argv[1:]:
        if word == "--json":
            json_wanted = True
        elif word.startswith("-"):
            return None
        else:
            words.append(word)
    names = _LOOKUP_ARGUMENTS[command]
    if command == "search":
        if not words:
            return None
        values: dict[str, object] = {"query": words}
    elif len(words) == len(names):
        values = dict(zip(names, words, strict=True))
    else:
        return None
    if command in ("list", "search"):
        values.update(reply_class=None, family=None)
    return argparse.Namespace(
        lang=None,
        version=None,
        data_first=None,
        command=command,
        json=json_wanted,
        data=None,
        color="auto",
        **values,
    )


def _probe_parser(probe: argparse.ArgumentParser) -> None:
    """``smtp-tui probe``: a live SMTP session, explained (smtp_tui/core/probe.py)."""
    probe.add_argument("target", help=_t("probe.target"))
    probe.add_argument("--port", type=_port, default=25, help=_t("probe.port"))
    probe.add_argument(
        "--from", dest="mail_from", metavar="ADDR", default="", help=_t("probe.from")
    )
    probe.add_argument("--rcpt", metavar="ADDR", action="append", help=_t("probe.rcpt"))
    probe.add_argument(
        "--starttls", choices=("auto", "always", "never"), default="auto", help=_t("probe.starttls")
    )
    probe.add_argument("--auth-user", metavar="USER", help=_t("probe.auth_user"))
    probe.add_argument("--auth-pass-env", metavar="VAR", help=_t("probe.auth_pass_env"))
    probe.add_argument("--helo", metavar="NAME", help=_t("probe.helo"))
    probe.add_argument("--timeout", metavar="S", type=float, default=10.0, help=_t("probe.timeout"))


class _VersionAction(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked (the lookup
    costs start-up time every other run would pay for nothing)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from importlib import metadata

        try:
            version = metadata.version(PROG)
        except metadata.PackageNotFoundError:  # run from a checkout that was never installed
            from smtp_tui import __version__ as version
        _deliver(f"{PROG} {version}\n")
        parser.exit(0)


def _port(text: str) -> int:
    """A TCP port: caught here, since the socket layer says OverflowError for 70000."""
    number = int(text) if text.strip().isdigit() else -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(_t("error.port_range", got=quoted(text, 20)))
    return number


def _dump(data: object, out: TextIO) -> None:
    import json

    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


DEFAULT_MAX_BYTES = 20_000_000
"""How much of a file or of standard input `explain` reads: a bounce is rarely over a few
megabytes, and /dev/zero or an endless pipe must not take the machine's memory. 20 MB keeps even
text of four-byte characters (emoji), which Python holds at four times its size, under 200 MB;
logs have `smtp-tui log`, which streams."""
READ_CHUNK = 1 << 20
"""Input is read a megabyte at a time, so that Ctrl+C is heard between reads even of /dev/zero."""
_SIZE_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}


def size(text: str) -> int:
    """A size in bytes from ``SIZE`` as a user writes it: ``500000``, ``64K``, ``10M``, ``1GB``,
    ``16MiB``. (Named for argparse, whose error says "invalid size value".)"""
    spoken = text.strip().lower().removesuffix("b")
    digits = spoken.rstrip("kmgi")
    unit = _SIZE_UNITS.get(spoken[len(digits) :])
    if unit is None or not digits.isdigit() or int(digits) == 0:
        raise ValueError(text)
    return int(digits) * unit


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


def _explain_input(args: argparse.Namespace) -> bytearray | str:
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


def render_diagnosis(diagnosis: Diagnosis, w: Writer) -> None:
    outcome = diagnosis.scan.outcome
    tone = {"delivered": 2, "temporary": 4, "permanent": 5}.get(outcome, 0)
    w.line(w.style.for_class(diagnosis.headline, tone))
    if diagnosis.reason:
        w.para(diagnosis.reason, indent="  ")
    if diagnosis.advice:
        w.para(diagnosis.advice, indent="    ", first=f"  {i18n.label(_t('label.what_to_do'))}")
    render_sessions(diagnosis, w)
    if not diagnosis.items:
        return
    w.section(_t("heading.findings"))
    for item in diagnosis.items:
        tone = item.main.tone if item.main else 0
        flag = "! " if item.mismatch else ""
        if item.end == item.line:
            where = _t("label.line", line=item.line)
        else:
            where = _t("label.lines", first=item.line, last=item.end)
        first = f"  {ljust(where, 10)} "
        margin = cell_len(first)
        times = f" ×{item.count}" if item.count > 1 else ""
        w.line(first + w.style.for_class(f"{flag}{item.label}", tone) + times)
        w.para(item.meaning, indent=" " * margin)
        context = printable(item.context, limit=2 * (w.width - margin) - 4)
        w.para(f"> {context}", indent=" " * (margin + 2), first=" " * margin)
    if diagnosis.left_out:
        w.para(diagnosis.left_out, indent="  ")
    w.line(w.style.dim(i18n.plural("explain.found", diagnosis.scan.total)))


def render_sessions(diagnosis: Diagnosis, w: Writer) -> None:
    """Each session of a transcript: its verdict, then one line per step (stage, command, reply)."""
    from smtp_tui.core.diagnosis import session_verdict  # only explain pays for the scanner

    for number, session in enumerate(diagnosis.sessions, start=1):
        w.section(_t("transcript.session", number=number))
        w.para(session_verdict(session), indent="    ", first="  ")
        for step in session.steps:
            replies = step.text.splitlines() or [_t("transcript.no_reply")]
            reply = replies[0] + (" …" if len(replies) > 1 else "")
            command = printable(step.command or "", limit=40)
            first = f"  {ljust(_t('label.line', line=step.line), 10)} {ljust(step.stage, 12)} "
            said = f"{command} → {reply}" if command else reply
            # One line a step: a reply a tool joined onto one line would fill the screen.
            w.line(first + printable(said, limit=max(20, w.width - cell_len(first))))


def _load(data: str | None = None) -> Repository:
    """The repository; problems with the user's own code file are warnings on stderr."""
    repo = load(data)
    for warning in repo.warnings:
        print(f"{PROG}: {_t('error.warning', text=printable(warning))}", file=sys.stderr)
    return repo


def _terminal_columns() -> int:
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


def run_command(args: argparse.Namespace, out: TextIO) -> int:
    repo = _load(args.data)
    if args.json:
        writer = None
    else:
        style = Style(color_wanted(args.color, out))
        # Reordered only for a terminal: a file or a pipe gets the text as stored.
        visual = sys.stdout is not None and sys.stdout.isatty()
        visual = visual and rtl.choose_mode(getattr(args, "rtl", None)) is rtl.RtlMode.VISUAL
        writer = Writer(out, style, _terminal_columns(), visual)
    if args.command == "explain":
        from smtp_tui.core.diagnosis import diagnose, diagnosis_to_dict

        diagnosis = diagnose(_explain_input(args), repo)
        if writer is None:
            _dump(diagnosis_to_dict(diagnosis), out)
        else:
            render_diagnosis(diagnosis, writer)
        return 0 if diagnosis.scan.findings or diagnosis.sessions else 1
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
            # A provider's name ("microsoft") narrows to the codes it uses, as in the browser.
            from smtp_tui.core.provider_uses import search as search_with_providers

            query = " ".join(args.query)
            view = search_with_providers(repo, query, args.reply_class, args.family, args.data)
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


def _browser_args(argv: Sequence[str]) -> tuple[list[str], str | None] | None:
    """The codes and data folder to open the browser on, or None when argv names a sub-command.

    `smtp-tui 452 --data DIR` and `smtp-tui 452 -h` mean the browser's options, not two more
    codes; the top-level parser cannot say so, since it takes the first word for a command.
    """
    words = iter(argv)
    for word in words:
        if word == "--data":
            next(words, None)
        elif word == "--":
            break
        elif not word.startswith("-"):
            if word in SUBCOMMANDS:
                return None
            break
    options = list(argv[: argv.index("--")] if "--" in argv else argv)
    for asked in ("--version", "-h", "--help"):
        if asked in options:
            build_parser().parse_args([asked])  # prints, then SystemExit(0)
    browser = _Parser(prog=PROG, add_help=False)
    browser.add_argument("--data", metavar="DIR")
    browser.add_argument("codes", nargs="*")
    args = browser.parse_intermixed_args(argv)
    return list(args.codes), args.data


def _need_terminal() -> None:
    """The browser reads keys from standard input and draws on the terminal: without one (cron,
    `ssh host smtp-tui` without -t, `echo 452 | smtp-tui`) it spun forever, deaf to `q`.

    A Textual driver chosen in the environment needs no terminal: textual-serve runs each tab's
    app on pipes with ``TEXTUAL_DRIVER`` set to its web driver.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return
    for stream in (sys.stdin, sys.stdout):
        try:
            if stream is not None and stream.isatty():
                continue
        except ValueError:  # closed
            pass
        raise UsageError(_t("error.needs_terminal", prog=PROG))


class OutputError(Exception):
    """The output could not be written; `status` is the exit status to end with."""

    def __init__(self, reason: str, status: int = EXIT_USAGE) -> None:
        super().__init__(_t("error.cannot_write", reason=reason))
        self.status = status


class _Pending(io.StringIO):
    """A command's whole output, held until it is complete and then written at once, so a
    failed write never leaves half a document that looks whole; it answers `isatty` for the
    stream it is bound for, which decides colour."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def isatty(self) -> bool:
        return self.stream.isatty()


def _deliver(text: str) -> None:
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
        _silence_stdout()
        raise OutputError(_t("error.pipe_closed"), EXIT_CLOSED_PIPE) from None
    except (OSError, ValueError) as error:
        _silence_stdout()
        reason = getattr(error, "strerror", None) or _t("error.output_closed")
        raise OutputError(reason) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _complain(text: str) -> None:
    """One line on stderr, which may itself be closed or full: then there is no one to tell."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(f"{PROG}: {printable(text)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def launch_browser(
    codes: Sequence[str],
    settings: Settings | None = None,
    problem: Problem | None = None,
    data: str | None = None,
    notes: Sequence[str] = (),
) -> int:
    """Open the Textual browser; imported here so the sub-commands never pay for Textual.

    The settings read to choose the language go to the app, whose notification shows any problem
    with them, and the `note` on the language (on stderr both would vanish behind the app).
    """
    if len(codes) > 2:
        raise UsageError(_t("error.at_most_two"))
    for word in codes:
        if word.isalpha():
            import difflib

            close = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1)
            if close:
                hint = _t("error.did_you_mean_command", name=close[0])
            else:
                hint = _t("error.commands_are", names=", ".join(SUBCOMMANDS))
            raise UsageError(_t("error.unknown_command", word=quoted(word, 30), hint=hint))
    repo = load(data)
    for code in codes:
        repo.get(code)
    if len(codes) == 2:
        try:
            repo.compare(codes[0], codes[1])
        except ValueError as error:
            raise UsageError(str(error)) from None
    _need_terminal()  # after the arguments are checked: a wrong code is the first thing to say
    from smtp_tui.tui.app import SmtpTuiApp

    loaded = (settings, problem) if settings is not None else None
    app = SmtpTuiApp(
        repo, codes=tuple(code.strip() for code in codes), settings=loaded, notes=notes
    )
    app.run()
    # After an unhandled exception Textual prints the traceback and returns normally, with 1 here.
    return app.return_code or 0


def take_language(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """``--lang X`` or ``--lang=X`` anywhere before ``--``, taken out of `argv`.

    Read before anything else because every word printed after it, argparse's help included,
    depends on it; and `smtp-tui 452 --lang tr` must still mean "browse 452 in Turkish".
    """
    rest: list[str] = []
    lang = None
    items = iter(argv)
    for item in items:
        if item == "--":
            rest += [item, *items]
            break
        if item == "--lang":
            lang = next(items, None)
            if lang is None:
                raise UsageError(_t("error.lang_missing", choices=", ".join(i18n.LANGUAGES)))
        elif item.startswith("--lang="):
            lang = item.partition("=")[2]
        else:
            rest.append(item)
    return rest, lang


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        settings, problem = load_settings()
        i18n.use(i18n.choose(None, settings.language))  # the words of an error about --lang
        argv, explicit = take_language(argv)
        i18n.use(i18n.choose(explicit, settings.language))
        notes = [
            note
            for note in (
                i18n.fallback_note(explicit, settings.language),
                i18n.environment_problem(),
            )
            if note
        ]
        browser = _browser_args(argv)
        if browser is not None:
            return launch_browser(browser[0], settings, problem, data=browser[1], notes=notes)
        args = _quick_args(argv)
        if args is None:
            args = build_parser().parse_args(argv)
        args.rtl = settings.rtl
        args.data = getattr(args, "data", None) or args.data_first
        if args.command is None:
            return launch_browser([], settings, problem, data=args.data, notes=notes)
        if problem is not None:
            notes.append(str(problem))
        for text in notes:
            _complain(_t("error.warning", text=text))
        if args.command == "serve":
            from smtp_tui.web.serve import ServeError, serve

            load(args.data)  # a broken data file is one line here, not a traceback in every tab
            try:
                return serve(args.host, args.port, explicit, args.data)
            except ServeError as error:
                raise UsageError(str(error)) from None
        if args.command == "probe":
            from smtp_tui.cli.probe import (
                run_probe,  # printed live, step by step: not held
            )

            return run_probe(args)
        if sys.stdout is None:
            raise OutputError(_t("error.output_closed"))
        if args.command == "log":  # streamed: a log's messages do not wait in memory
            from smtp_tui.cli.log import run_log

            return run_log(args, sys.stdout)
        pending = _Pending(sys.stdout)
        status = run_command(args, pending)
        _deliver(pending.getvalue())
        return status
    except (UsageError, UnknownCode, DataError, UnknownLanguage) as error:
        text = error.message if isinstance(error, UnknownCode | UnknownLanguage) else str(error)
        _complain(text)
        return EXIT_USAGE
    except OutputError as error:
        _complain(str(error))
        return error.status
    except BrokenPipeError:
        # Only a stray write can get here (the output itself goes through _deliver).
        _silence_stdout()
        _complain(_t("error.cannot_write", reason=_t("error.pipe_closed")))
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:
        return 130
