"""Prepared answers: ``smtp-tui show CODE`` and ``smtp-tui list`` answered from a file of ready
documents.

A lookup spent four fifths of its time importing before it did anything: `typing`,
`dataclasses`, `pathlib`, the data layer, the catalogue of words. None of that is needed to print
a document that was already built. So the first lookup of a kind of setup builds every code's
document, in the plain form the terminal renderer draws (`smtp_tui.core.display.as_plain`), and
its JSON, and keeps them in one `marshal` file in the cache folder; later lookups read the one
they need and draw it with the same renderer, importing only `terminal`, `render` and the line
breaker.

The file holds answers for one context: the environment variables that can choose the language,
the data, the settings and the folders (`CONTEXT_PREFIXES`, `CONTEXT_NAMES`), the Python that
wrote it, and the size and time of every file that went into it (our modules, the words, the
data and its folders, ``settings.toml`` and ``codes.toml``, present or not). Anything different,
any trouble reading it, or any other shape of command line, and `answer` returns None: the full
command line runs, and writes a fresh file for the next lookup. What it prints is the same,
byte for byte (a test compares every code in several languages).

The width, the colour and right-to-left reordering are decided when drawing, as for any lookup.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
"""`typing.TYPE_CHECKING` without importing `typing` (see `smtp_tui.console`)."""

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from smtp_tui.core.repository import Repository

FORMAT = 2
"""Bumped when the file's layout changes; part of the context, so an old file is never read."""
FILE_NAME = "answers.marshal"
CONTEXT_PREFIXES = ("SMTP_TUI_", "LC_", "XDG_")
CONTEXT_NAMES = ("HOME", "LANG", "LANGUAGE")
"""The environment that decides what a lookup says (a test checks that every variable we read is
among them, or is one of `DRAWING_NAMES`); the rest of the environment (PWD, SHLVL…) changes
from shell to shell and says nothing about the answer."""
DRAWING_NAMES = ("COLUMNS", "NO_COLOR", "TERM", "TERM_PROGRAM", "VTE_VERSION")
"""Read while drawing, on every lookup, prepared or not: not part of the context."""
CLASSES = "245"
"""The classes an enhanced code is asked for with (``5.1.1`` for the registry's ``X.1.1``)."""


def context() -> tuple[object, ...]:
    """What must be the same for a prepared answer to be the one the full command line gives."""
    names = sorted(
        (name, value)
        for name, value in os.environ.items()
        if name.startswith(CONTEXT_PREFIXES) or name in CONTEXT_NAMES
    )
    return (FORMAT, sys.version, sys.executable, os.path.dirname(__file__), tuple(names))


def answers_file() -> str | None:
    """Beside the parsed-data cache (`smtp_tui.core.cache`), and off when that is off."""
    from smtp_tui.core.cache_home import cache_home

    home = cache_home()
    return None if home is None else os.path.join(home, FILE_NAME)


def _looked_up(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """The code (None for the whole list) and whether JSON is wanted, for a plain ``show CODE``
    or ``list`` as the full command line reads it (`argv.quick_args`, which imports nothing)."""
    from smtp_tui.cli.argv import quick_args

    args = quick_args(argv)
    if args is None or args.command not in ("show", "list"):
        return None
    return (args.code if args.command == "show" else None), bool(args.json)


def _stamp(path: str) -> tuple[int, int]:
    try:
        found = os.stat(path)
    except OSError:
        return (-1, -1)
    return (found.st_size, found.st_mtime_ns)


def _read() -> dict[str, object] | None:
    """The prepared answers, if they were prepared for this very context; else None."""
    path = answers_file()
    if path is None:
        return None
    try:
        with open(path, "rb") as stream:
            sheet = marshal.loads(stream.read())
    except Exception:  # missing, damaged or from another Python: only a slower lookup
        return None
    if not isinstance(sheet, dict) or sheet.get("context") != context():
        return None
    files = sheet.get("files")
    if not isinstance(files, tuple):
        return None
    for path, size, mtime in files:
        if _stamp(path) != (size, mtime):
            return None
    return sheet


def fresh() -> bool:
    return _read() is not None


def answer(argv: Sequence[str]) -> int | None:
    """The exit status after printing a prepared answer, or None to run the full command line
    (another command, a code not prepared as typed, a stale or missing file, no stdout)."""
    wanted = _looked_up(argv)
    if wanted is None or sys.stdout is None:
        return None
    sheet = _read()
    if sheet is None:
        return None
    code, as_json = wanted
    if code is None:
        packed = sheet.get("list")
    else:
        codes = sheet["codes"]
        assert isinstance(codes, dict)
        packed = codes.get(code.strip()) or codes.get(code.strip().upper())
    if not isinstance(packed, bytes):
        return None  # unknown, or a spelling only the full command line resolves: it explains
    plain, json_text = marshal.loads(packed)
    from smtp_tui.cli.terminal import OutputError, complain, deliver

    try:
        deliver(json_text if as_json else _drawn(plain, sheet.get("rtl"), code is None))
    except OutputError as error:
        complain(str(error))
        return error.status
    return 0


def _drawn(plain: object, rtl_setting: object, listed: bool) -> str:
    """`plain` drawn as the full command line draws a document or a list
    (`commands.run_command`)."""
    from smtp_tui.cli import render
    from smtp_tui.cli.terminal import Pending, lookup_writer

    out = Pending(sys.stdout)
    writer = lookup_writer(out, "auto", rtl_setting if isinstance(rtl_setting, str) else None)
    if listed:
        render.plain_list(plain, writer)  # type: ignore[arg-type]
    else:
        render.plain_document(plain, writer)  # type: ignore[arg-type]
    return out.getvalue()


def prepare(repository: Repository, rtl_setting: str | None, data_folder: str) -> None:
    """Write the answers for this context (the repository as the full command line loaded it).

    Called after a full lookup has printed its answer, so the user never waits for this; a cache
    folder that cannot be written costs speed, never correctness, and is found out before any
    answer is built. The files are stamped before the answers are built, so a file changed
    meanwhile makes them stale rather than wrong.
    """
    path = answers_file()
    if path is None:
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        stream = open(temporary, "wb")  # noqa: SIM115 (closed below, on every path)
    except OSError:
        return
    try:
        with stream:
            stream.write(marshal.dumps(_sheet(repository, rtl_setting, data_folder)))
        os.replace(temporary, path)  # atomic: a reader never sees half a file
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _sheet(repository: Repository, rtl_setting: str | None, data_folder: str) -> dict[str, object]:
    from smtp_tui.cli.commands import listed_json, provider_uses, shown_document, shown_json
    from smtp_tui.cli.render import plain_code_list
    from smtp_tui.core.display import as_plain
    from smtp_tui.core.display.code import code_document  # noqa: F401 (imported before stamping)
    from smtp_tui.core.model import EnhancedCode
    from smtp_tui.core.provider_uses import provider_index  # noqa: F401 (the same)
    from smtp_tui.core.settings import SETTINGS_FILE, USER_CODES_FILE, config_dir

    config = config_dir()
    watched = [*_our_files(), *_tree(data_folder)]
    watched += [str(config / SETTINGS_FILE), str(config / USER_CODES_FILE)]
    stamps = tuple((file, *_stamp(file)) for file in watched)
    codes: dict[str, bytes] = {}
    names = [code.code for code in repository]
    names += [
        f"{cls}{code.code[1:]}"
        for code in repository
        if isinstance(code, EnhancedCode) and code.code.startswith("X.")
        for cls in CLASSES
    ]
    for name in names:
        code = repository.get(name)
        uses = provider_uses(code)
        document = as_plain(shown_document(repository, code, uses))
        codes[name] = marshal.dumps((document, shown_json(code, uses)))
    everything = repository.in_family(None)
    listed = marshal.dumps((plain_code_list(everything), listed_json(everything)))
    return {
        "context": context(),
        "files": stamps,
        "rtl": rtl_setting,
        "codes": codes,
        "list": listed,
    }


def _our_files() -> Iterable[str]:
    """The modules that went into the answers (all imported by now) and the words' files."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and os.path.abspath(file).startswith(package + os.sep):
            yield os.path.abspath(file)
    from smtp_tui.core.i18n import LOCALES

    yield from _tree(str(LOCALES))


def _tree(folder: str) -> Iterable[str]:
    """Every file and folder under `folder`: a folder's time changes when a file is added."""
    yield os.path.abspath(folder)
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in (*folders, *sorted(files)):
            yield os.path.abspath(os.path.join(root, name))
