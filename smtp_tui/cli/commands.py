"""The command line's dispatch: ``smtp-tui show|compare|list|search|explain|probe|log`` run here;
the browser and ``serve`` are handed to the launchers the entry point gives (`FrontEnds`).

Imports no Textual on these paths so a lookup answers in a fraction of the browser's start-up time;
nor the scanner, the diagnosis or anything else only one command needs: each sub-command imports
those in its own branch (a test checks what `show`, `compare`, `list` and `search` load). Nor
another front end: `smtp_tui.console` chooses which one runs (an import contract checks it).
Every failure the user can cause ends in one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from smtp_tui.cli import render
from smtp_tui.cli.argv import SUBCOMMANDS, UsageError, opens_browser, quick_args, take_language
from smtp_tui.cli.output import dump_json, load_repository, open_repository
from smtp_tui.cli.terminal import (
    EXIT_CLOSED_PIPE,
    EXIT_USAGE,
    PROG,
    OutputError,
    Pending,
    complain,
    deliver,
    lookup_writer,
    silence_stdout,
)
from smtp_tui.core import i18n
from smtp_tui.core.errors import SmtpTuiError
from smtp_tui.core.export import code_to_dict
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.repository import Repository
from smtp_tui.core.settings import Problem, Settings, load_settings
from smtp_tui.core.text import quoted

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from datetime import datetime

    from smtp_tui.core.display import Document
    from smtp_tui.core.model import Code
    from smtp_tui.core.provider_uses import ProviderUse
    from smtp_tui.core.search import CodeView

    LoadedSettings = tuple[Settings, Problem | None]
    LogRequest = tuple[str, datetime | None, datetime | None]
    """A mail log to open the browser on (``smtp-tui log FILE`` in a terminal): its path, and
    the period to read (--since, --until)."""
    Browser = Callable[
        [Repository, tuple[str, ...], LoadedSettings | None, Sequence[str], LogRequest | None], int
    ]
    """Runs the browser on a loaded repository, the codes checked, until the user quits."""
    WebServer = Callable[[str, int, str | None, str | None], int]
    """Serves the browser in web pages (host, port, language, data folder) until stopped; a
    problem the user can fix, such as a port in use, is raised as `UsageError`."""


class FrontEnds:
    """The front ends the command line hands over to, given by the entry point, so that the CLI
    imports neither (each front end stands alone and could be shipped without the others).

    A plain class: a dataclass would generate its methods at every start, lookups included.
    """

    __slots__ = ("browse", "serve")

    def __init__(self, browse: Browser, serve: WebServer) -> None:
        self.browse = browse
        self.serve = serve


def _no_browser(
    repo: Repository,
    codes: tuple[str, ...],
    settings: LoadedSettings | None,
    notes: Sequence[str],
    log: LogRequest | None = None,
) -> int:
    raise RuntimeError("smtp_tui.cli.commands.main needs FrontEnds: run smtp_tui.console.main")


def _no_server(host: str, port: int, language: str | None, data: str | None) -> int:
    raise RuntimeError("smtp_tui.cli.commands.main needs FrontEnds: run smtp_tui.console.main")


LOOKUPS_ONLY = FrontEnds(browse=_no_browser, serve=_no_server)
"""The command line alone (tests, scripts): every sub-command but the browser and ``serve``."""


def provider_uses(code: Code, data: str | None = None) -> tuple[ProviderUse, ...]:
    """What providers mean by `code`, from `data`'s provider files; none when they do not load:
    `show` still answers, with the problem said on stderr."""
    from smtp_tui.core.errors import DataError
    from smtp_tui.core.provider_uses import provider_index

    try:
        return provider_index(data).uses_of(code.code)
    except DataError as error:
        complain(_t("error.warning", text=error.message))
        return ()


def shown_document(repo: Repository, code: Code, uses: Sequence[ProviderUse]) -> Document:
    """What `show` draws of `code`, as the browser's pane does (provider meanings included).
    Prepared answers (`smtp_tui.cli.prepared`) are made by it too."""
    from smtp_tui.core.display.code import code_document  # the display model: not for search

    return code_document(code, repo.related(code), repo.counterpart(code), uses)


def shown_json(code: Code, uses: Sequence[ProviderUse]) -> str:
    """What `show --json` prints of `code`, whole."""
    out = io.StringIO()
    dump_json(_shown_dict(code, uses), out)
    return out.getvalue()


def _shown_dict(code: Code, uses: Sequence[ProviderUse]) -> dict[str, object]:
    from smtp_tui.core.export import provider_uses_to_list

    return {**code_to_dict(code), "providers": provider_uses_to_list(uses)}


AS_LOGGED = re.compile(r"\s*(?P<reply>[2-5]\d\d)[\s-]+(?P<enhanced>[2-5xX]\.\d{1,3}\.\d{1,3})\s*")
"""A reply code and its enhanced code as a log or a bounce writes them: ``550 5.1.1``, or
``550-5.1.1`` on a multi-line reply's first lines (RFC 2034 §4)."""


def shown_codes(repo: Repository, word: str, enhanced: str | None = None) -> list[Code]:
    """The code `show` was given, or both codes of a reply as logged (``show 550 5.1.1``, in
    one word or two), the reply code first: pasted from a log, that is how they come."""
    text = word if enhanced is None else f"{word} {enhanced}"
    pair = AS_LOGGED.fullmatch(text)
    if pair is not None:
        return [repo.get(pair["reply"]), repo.get(pair["enhanced"])]
    if enhanced is not None:
        raise UsageError(_t("cli_show.error_pair"))
    return [repo.get(word)]


def listed_json(view: CodeView) -> str:
    """What `list --json` and `search --json` print of `view`, whole."""
    out = io.StringIO()
    dump_json(
        {
            "query": view.query or None,
            "class": view.reply_class.label if view.reply_class else None,
            "family": view.family,
            "count": len(view),
            "codes": [code_to_dict(code) for code in view],
        },
        out,
    )
    return out.getvalue()


def run_command(args: argparse.Namespace, out: TextIO) -> int:
    repo = load_repository(args.data)
    writer = None if args.json else lookup_writer(out, args.color, getattr(args, "rtl", None))
    if args.command == "explain":
        from smtp_tui.cli.explain_input import explain_input
        from smtp_tui.core.diagnosis import diagnose, diagnosis_to_dict

        diagnosis = diagnose(explain_input(args), repo)
        if writer is None:
            dump_json(diagnosis_to_dict(diagnosis), out)
        else:
            render.diagnosis(diagnosis, writer)
        found = diagnosis.scan.findings or diagnosis.sessions
        return 0 if found or diagnosis.report_kind in ("feedback", "auto-reply") else 1
    if args.command == "show":
        shown = [
            (code, provider_uses(code, args.data))
            for code in shown_codes(repo, args.code, args.enhanced)
        ]
        if writer is None and len(shown) == 1:
            out.write(shown_json(*shown[0]))
        elif writer is None:
            dump_json({"codes": [_shown_dict(code, uses) for code, uses in shown]}, out)
        else:
            for number, (code, uses) in enumerate(shown):
                if number:
                    writer.line()
                    writer.line(writer.style.dim("─" * writer.width))
                render.document(shown_document(repo, code, uses), writer)
    elif args.command == "compare":
        try:
            comparison = repo.compare(args.first, args.second)
        except ValueError as error:
            raise UsageError(str(error)) from None
        if writer is None:
            from smtp_tui.core.export import comparison_to_dict

            dump_json(comparison_to_dict(comparison), out)
        else:
            from smtp_tui.core.display.comparison import comparison_document

            render.document(comparison_document(comparison), writer)
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
            out.write(listed_json(view))
        else:
            render.code_list(view, writer)
        if args.command == "search" and not view:
            return 1
    return 0


def _prepare_answers(settings: Settings) -> None:
    """Prepared answers for this setup, unless they are there already or the data has warnings
    (which a prepared answer would not repeat)."""
    from smtp_tui.cli import prepared
    from smtp_tui.core.errors import DataError
    from smtp_tui.core.loading import data_dir
    from smtp_tui.core.provider_uses import provider_index

    if prepared.fresh():
        return
    try:
        provider_index()
    except DataError:
        return  # said on stderr by the lookup itself
    repo = open_repository()
    if not repo.warnings:
        prepared.prepare(repo, settings.rtl, str(data_dir()))


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


def launch_browser(
    codes: Sequence[str],
    browse: Browser,
    settings: Settings | None = None,
    problem: Problem | None = None,
    data: str | None = None,
    notes: Sequence[str] = (),
    log: LogRequest | None = None,
) -> int:
    """Check the codes the browser is to open on, then run it with `browse` (on `log`'s summary
    when given).

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
    repo = open_repository(data)
    for code in codes:
        repo.get(code)
    if len(codes) == 2:
        try:
            repo.compare(codes[0], codes[1])
        except ValueError as error:
            raise UsageError(str(error)) from None
    _need_terminal()  # after the arguments are checked: a wrong code is the first thing to say
    loaded = (settings, problem) if settings is not None else None
    return browse(repo, tuple(code.strip() for code in codes), loaded, notes, log)


def main(
    argv: Sequence[str] | None = None,
    front_ends: FrontEnds = LOOKUPS_ONLY,
    *,
    prepare_answers: bool = False,
) -> int:
    """Run the command line on `argv` (default: the process's); returns the exit status.

    With `prepare_answers` (the installed command), a plain ``show`` that said nothing on stderr
    leaves prepared answers for the next lookups (`smtp_tui.cli.prepared`) if there are none
    for this setup yet."""
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
        if opens_browser(argv):
            from smtp_tui.cli.args import browser_args

            browser = browser_args(argv)
            return launch_browser(
                browser[0], front_ends.browse, settings, problem, data=browser[1], notes=notes
            )
        args = quick_args(argv)
        plain_lookup = args is not None and explicit is None
        if args is None:
            from smtp_tui.cli.args import build_parser

            args = build_parser().parse_args(argv)
        args.rtl = settings.rtl
        args.data = getattr(args, "data", None) or args.data_first
        if args.command is None:
            return launch_browser(
                [], front_ends.browse, settings, problem, data=args.data, notes=notes
            )
        if problem is not None:
            notes.append(str(problem))
        for text in notes:
            complain(_t("error.warning", text=text))
        if args.command == "serve":
            # A broken data file is one line here, not a traceback in every tab.
            open_repository(args.data)
            return front_ends.serve(args.host, args.port, explicit, args.data)
        if args.command == "probe":
            from smtp_tui.cli.probe import (
                run_probe,  # printed live, step by step: not held
            )

            return run_probe(args)
        if sys.stdout is None:
            raise OutputError(_t("error.output_closed"))
        if args.command == "log":  # streamed: a log's messages do not wait in memory
            from smtp_tui.cli.log import browsable, run_log

            if browsable(args, sys.stdout):
                return launch_browser(
                    [],
                    front_ends.browse,
                    settings,
                    problem,
                    data=args.data,
                    notes=notes,
                    log=(args.file, args.since, args.until),
                )
            return run_log(args, sys.stdout)
        pending = Pending(sys.stdout)
        status = run_command(args, pending)
        deliver(pending.getvalue())
        if prepare_answers and plain_lookup and args.command in ("show", "list") and not notes:
            _prepare_answers(settings)
        return status
    except (UsageError, SmtpTuiError) as error:
        complain(error.message if isinstance(error, SmtpTuiError) else str(error))
        return EXIT_USAGE
    except OutputError as error:
        complain(str(error))
        return error.status
    except BrokenPipeError:
        # Only a stray write can get here (the output itself goes through `deliver`).
        silence_stdout()
        complain(_t("error.cannot_write", reason=_t("error.pipe_closed")))
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:
        return 130
