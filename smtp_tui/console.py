"""The entry point: ``smtp-tui`` and ``python -m smtp_tui``. It chooses the front end that runs:
the command line, which hands the browser and ``serve`` to the launchers given here, so that no
front end imports another (an import contract in pyproject.toml checks it).

Ctrl+C at any moment, even while the program loads, ends with status 130 and no traceback: the
CLI takes a good part of a second to import (argparse, the data layer, the catalogues), and a
Ctrl+C in that time used to print a traceback, because the CLI's `main` only catches it once
running. This module imports nothing at its top, so the window before its handler is as small as
it can be.
"""

from __future__ import annotations

TYPE_CHECKING = False
"""`typing.TYPE_CHECKING` without importing `typing`: it alone would cost a prepared answer
(`smtp_tui.cli.prepared`) a quarter of its time. mypy reads the name the same."""

if TYPE_CHECKING:
    from collections.abc import Sequence

    from smtp_tui.cli.commands import LoadedSettings, LogRequest
    from smtp_tui.core.repository import Repository


def run() -> int:
    """The ``smtp-tui`` console script."""
    try:
        return main()
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    """The command line on `argv` (default: the process's), with every front end within reach."""
    if argv is None:
        # A lookup answered already (`smtp_tui.cli.prepared`) needs none of what follows.
        import sys

        from smtp_tui.cli.prepared import answer

        status = answer(sys.argv[1:])
        if status is not None:
            return status
    import gc

    # Importing the CLI makes tens of thousands of objects (modules, classes, functions) that
    # live as long as the process. The collector scanned them again and again while they were
    # made, and once more at exit; frozen, it never looks at them again. A sixth of a lookup's
    # CPU time (benchmarks/bench_cli.py); later objects, the browser's included, are collected
    # as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from smtp_tui.cli.commands import FrontEnds
        from smtp_tui.cli.commands import main as command_line
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return command_line(argv, FrontEnds(browse=browse, serve=serve), prepare_answers=True)


def browse(
    repo: Repository,
    codes: tuple[str, ...],
    settings: LoadedSettings | None,
    notes: Sequence[str],
    log: LogRequest | None = None,
) -> int:
    """The Textual browser, imported only now so that the sub-commands never pay for Textual."""
    from smtp_tui.tui.app import SmtpTuiApp

    path, since, until = log if log is not None else (None, None, None)
    app = SmtpTuiApp(
        repo, codes=codes, settings=settings, notes=notes, log=path, since=since, until=until
    )
    app.run()
    # After an unhandled exception Textual prints the traceback and returns normally, with 1 here.
    return app.return_code or 0


def serve(host: str, port: int, language: str | None, data: str | None) -> int:
    """The browser in web pages (textual-serve); a port in use and the like are usage errors."""
    from smtp_tui.cli.argv import UsageError
    from smtp_tui.web.serve import ServeError
    from smtp_tui.web.serve import serve as serve_pages

    try:
        return serve_pages(host, port, language, data)
    except ServeError as error:
        raise UsageError(str(error)) from None
