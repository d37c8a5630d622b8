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
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn, TextIO

from . import i18n
from .comparison import cite, rfc_links
from .diagnosis import Diagnosis, diagnose, diagnosis_to_dict
from .export import code_to_dict, comparison_to_dict, prose_text, standing
from .i18n import UnknownLanguage
from .i18n import text as _t
from .model import Code, Comparison, ReplyCode, english_note
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
from .settings import Problem, Settings, load_settings

PROG = "smtp-tui"
SUBCOMMANDS = ("show", "compare", "list", "search", "explain", "serve")
EXIT_USAGE = 2


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
    w.para(f"{code.classification} · {standing(code)}", indent="  ", first="")
    note = english_note(code)
    if note:
        w.para(w.style.dim(note), indent="  ", first="")


def _fact(w: Writer, label: str, value: str) -> None:
    w.para(f"{label}: {value}", indent="    ", first="  ")


def _code_body(code: Code, w: Writer, full: bool = True) -> None:
    w.section(_t("heading.description"))
    w.para(prose_text(code, "description"))
    w.section(_t("heading.when"))
    w.para(prose_text(code, "when"))
    w.section(_t("heading.fix"))
    w.para(prose_text(code, "fix_sender"), indent="    ", first=f"  {_t('label.sender')}: ")
    w.para(prose_text(code, "fix_admin"), indent="    ", first=f"  {_t('label.admin')}: ")
    if not full:
        return
    if isinstance(code, ReplyCode):
        w.section(_t("heading.server"))
        w.para(prose_text(code, "server_guidance"))
    w.section(_t("heading.facts"))
    _fact(w, _t("label.retry"), code.retry)
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
            w.para(f"{other.name}{mark}", indent=" " * len(first), first=first)


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


def render_view(view: CodeView, w: Writer) -> None:
    if not view:
        w.line(_t("view.none", query=quoted(view.query.strip(), limit=60)))
        return
    for code in view:
        mark = "" if code.standard else w.style.dim(f"  {_t('code.nonstandard_mark')}")
        name = textwrap.shorten(code.name, width=w.width - 14, placeholder="…")
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
    serve = sub.add_parser("serve", parents=[language], help=_t("cli.help.serve"))
    serve.add_argument("--host", default="127.0.0.1", help=_t("cli.help.host"))
    serve.add_argument("--port", type=int, default=8000, help=_t("cli.help.port"))
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
            shown = quoted(args.file, 60)
            raise UsageError(_t("error.cannot_read", path=shown, reason=error.strerror)) from None
    if args.text and args.text != ["-"]:
        return " ".join(args.text)
    if sys.stdin is None:
        return b""
    if sys.stdin.isatty():
        print(_t("explain.reading_stdin"), file=sys.stderr)
    return sys.stdin.buffer.read()


def render_diagnosis(diagnosis: Diagnosis, w: Writer) -> None:
    outcome = diagnosis.scan.outcome
    tone = {"delivered": 2, "temporary": 4, "permanent": 5}.get(outcome, 0)
    w.line(w.style.for_class(diagnosis.headline, tone))
    if diagnosis.reason:
        w.para(diagnosis.reason, indent="  ")
    if diagnosis.advice:
        w.para(diagnosis.advice, indent="    ", first=f"  {_t('label.what_to_do')}: ")
    if not diagnosis.items:
        return
    w.section(_t("heading.findings"))
    for item in diagnosis.items:
        tone = item.main.tone if item.main else 0
        flag = "! " if item.mismatch else ""
        first = f"  {_t('label.line', line=item.line):<10} "
        w.line(first + w.style.for_class(f"{flag}{item.label}", tone))
        w.para(item.meaning, indent=" " * len(first))
        context = printable(item.context, limit=2 * (w.width - len(first)) - 4)
        w.para(f"> {context}", indent=" " * (len(first) + 2), first=" " * len(first))
    w.line(w.style.dim(i18n.plural("explain.found", len(diagnosis.scan.findings))))


def _load(data: str | None = None) -> Repository:
    """The repository; problems with the user's own code file are warnings on stderr."""
    repo = load(data)
    for warning in repo.warnings:
        print(f"{PROG}: {_t('error.warning', text=printable(warning))}", file=sys.stderr)
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


def launch_browser(
    codes: Sequence[str], settings: Settings | None = None, problem: Problem | None = None
) -> int:
    """Open the Textual browser; imported here so the sub-commands never pay for Textual.

    The settings read to choose the language go to the app, whose notification shows any problem
    with them (on stderr it would vanish behind the full-screen app).
    """
    if len(codes) > 2:
        raise UsageError(_t("error.at_most_two"))
    for word in codes:
        if word.isalpha():
            close = difflib.get_close_matches(word.lower(), SUBCOMMANDS, n=1)
            if close:
                hint = _t("error.did_you_mean_command", name=close[0])
            else:
                hint = _t("error.commands_are", names=", ".join(SUBCOMMANDS))
            raise UsageError(_t("error.unknown_command", word=quoted(word, 30), hint=hint))
    repo = load()
    for code in codes:
        repo.get(code)
    if len(codes) == 2:
        try:
            repo.compare(codes[0], codes[1])
        except ValueError as error:
            raise UsageError(str(error)) from None
    from .tui.app import SmtpTuiApp

    loaded = (settings, problem) if settings is not None else None
    app = SmtpTuiApp(repo, codes=tuple(code.strip() for code in codes), settings=loaded)
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
        argv, explicit = take_language(argv)
        settings, problem = load_settings()
        i18n.use(i18n.choose(explicit, settings.language))
        browser = _browser_args(argv)
        if browser is not None:
            return launch_browser(browser, settings, problem)
        args = build_parser().parse_args(argv)
        if args.command is None:
            return launch_browser([], settings, problem)
        if problem is not None:
            print(f"{PROG}: {_t('error.warning', text=printable(str(problem)))}", file=sys.stderr)
        if args.command == "serve":
            from .serve import serve

            load()  # a broken data file is one line here, not a traceback in every tab
            serve(args.host, args.port, explicit)
            return 0
        return run_command(args, sys.stdout)
    except (UsageError, UnknownCode, DataError, UnknownLanguage) as error:
        text = error.message if isinstance(error, UnknownCode | UnknownLanguage) else str(error)
        print(f"{PROG}: {printable(text)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
