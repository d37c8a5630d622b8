"""The words of the command line read before any parser exists: ``--lang`` (every word printed
depends on it), whether the browser is meant, and the plain lookups (``show 452``), answered
without argparse, whose import and parser cost more than the lookup itself.

The prepared answers (`smtp_tui.cli.prepared`) read the lookup with `quick_args` too, before
anything else is imported: so this module imports nothing at its top, not even `typing`.
"""

from __future__ import annotations

TYPE_CHECKING = False
"""`typing.TYPE_CHECKING` without importing `typing` (see `smtp_tui.console`)."""

if TYPE_CHECKING:
    # What `quick_args` returns is a plain attribute bag equal to argparse's (a test compares
    # them); typed as argparse's, since the commands read both alike.
    from argparse import Namespace
    from collections.abc import Sequence
else:
    from types import SimpleNamespace as Namespace

SUBCOMMANDS = ("show", "compare", "list", "search", "explain", "serve", "probe", "log")


class UsageError(Exception):
    """A bad argument: printed as one line, exit status 2."""


def opens_browser(argv: Sequence[str]) -> bool:
    """Whether `argv` opens the browser (codes, or no word at all) rather than a sub-command."""
    words = iter(argv)
    for word in words:
        if word == "--data":
            next(words, None)
        elif word == "--":
            break
        elif not word.startswith("-"):
            return word not in SUBCOMMANDS
    return True


_LOOKUP_ARGUMENTS = {
    "show": ("code",),
    "compare": ("first", "second"),
    "list": (),
    "search": ("query",),
}
"""The positional arguments of the lookups `quick_args` answers, as `build_parser` names them."""


def quick_args(argv: Sequence[str]) -> Namespace | None:
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
    elif command == "show":
        values.update(enhanced=None)
    return Namespace(
        lang=None,
        version=None,
        data_first=None,
        command=command,
        json=json_wanted,
        data=None,
        color="auto",
        **values,
    )


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
                from smtp_tui.core import i18n

                words = i18n.text("error.lang_missing", choices=", ".join(i18n.LANGUAGES))
                raise UsageError(words)
        elif item.startswith("--lang="):
            lang = item.partition("=")[2]
        else:
            rest.append(item)
    return rest, lang
