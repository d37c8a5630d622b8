"""The command line's parser: argparse worded in the user's language, its messages from our
catalogue, and the options of every sub-command.

Every argument error is one `UsageError` line, exit status 2, never argparse's usage dump. The
plain lookups never come here (`argv.quick_args`): building this parser costs more than they do.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from smtp_tui.cli.argv import UsageError
from smtp_tui.cli.terminal import PROG, deliver
from smtp_tui.core import i18n
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.search import FAMILIES
from smtp_tui.core.text import quoted

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

_ARGPARSE_MESSAGES = {
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.expected_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "ignored explicit argument %r": "cli.argparse.ignored_explicit",
}
"""argparse's messages a user can meet, and their catalogue keys."""


def _argparse_words(message: str) -> str:
    """argparse's gettext hook: its messages a user can meet come from our catalogue.

    argparse looks its module-level ``_`` up on every message (it is gettext, for the
    ``argparse`` domain, which Python ships no translations of); messages we do not know stay
    as argparse wrote them.
    """
    key = _ARGPARSE_MESSAGES.get(message)
    return _t(key) if key else message


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
            deliver(message)
        else:
            super()._print_message(message, file)


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
    show.add_argument("enhanced", nargs="?", help=_t("cli_show.enhanced_help"))
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


def _probe_parser(probe: argparse.ArgumentParser) -> None:
    """``smtp-tui probe``: a live SMTP session, explained (smtp_tui/core/probe.py)."""
    from smtp_tui.core.probe_request import add_arguments

    add_arguments(probe)  # the browser's probe screen reads what is typed with the same rules


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
        deliver(f"{PROG} {version}\n")
        parser.exit(0)


def _port(text: str) -> int:
    """A TCP port: caught here, since the socket layer says OverflowError for 70000."""
    number = int(text) if text.strip().isdigit() else -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(_t("error.port_range", got=quoted(text, 20)))
    return number


DEFAULT_MAX_BYTES = 20_000_000
"""How much of a file or of standard input `explain` reads: a bounce is rarely over a few
megabytes, and /dev/zero or an endless pipe must not take the machine's memory. 20 MB keeps even
text of four-byte characters (emoji), which Python holds at four times its size, under 200 MB;
logs have `smtp-tui log`, which streams."""
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


def browser_args(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """The codes and data folder to open the browser on (`argv.opens_browser` said it is meant).

    `smtp-tui 452 --data DIR` and `smtp-tui 452 -h` mean the browser's options, not two more
    codes; the top-level parser cannot say so, since it takes the first word for a command.
    """
    options = list(argv[: argv.index("--")] if "--" in argv else argv)
    for asked in ("--version", "-h", "--help"):
        if asked in options:
            build_parser().parse_args([asked])  # prints, then SystemExit(0)
    browser = _Parser(prog=PROG, add_help=False)
    browser.add_argument("--data", metavar="DIR")
    browser.add_argument("codes", nargs="*")
    args = browser.parse_intermixed_args(argv)
    return list(args.codes), args.data
