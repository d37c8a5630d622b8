"""The command line's data and buffered output: the repository in the language chosen at start,
with the user's warnings said on stderr, a command's output held until it is whole, and JSON.

How the text itself is written (styles, wrapping, delivery, complaints) is `smtp_tui.cli.terminal`,
which the prepared answers import without any of this.
"""

from __future__ import annotations

import sys
from typing import TextIO

from smtp_tui.cli.terminal import PROG
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.loading import load
from smtp_tui.core.repository import Repository
from smtp_tui.core.text import printable


def open_repository(data: str | None = None) -> Repository:
    """The codes in the language chosen at start, with the user's own code file: the front end
    decides both, the data layer never reads the user's settings by itself."""
    from smtp_tui.core import i18n
    from smtp_tui.core.settings import user_codes_file

    return load(data, language=i18n.current(), user_codes=user_codes_file())


def load_repository(data: str | None = None) -> Repository:
    """The repository; problems with the user's own code file are warnings on stderr."""
    repo = open_repository(data)
    for warning in repo.warnings:
        print(f"{PROG}: {_t('error.warning', text=printable(str(warning)))}", file=sys.stderr)
    return repo


def dump_json(data: object, out: TextIO) -> None:
    import json

    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")
