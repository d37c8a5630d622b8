"""Our folder in the user's cache, and small files kept there, for every cache of ours.

The parsed data, the words, the provider index, the prepared answers and the terminal's cell
widths are all kept here. Imports nothing but `os` and `marshal`: a prepared answer reads its
file through it before anything else is imported.
"""

from __future__ import annotations

import marshal
import os

CACHE_ENV = "SMTP_TUI_CACHE"
"""Set to ``0`` to neither read nor write any cache of ours."""


def cache_home() -> str | None:
    """``$XDG_CACHE_HOME/smtp-tui`` (``~/.cache/smtp-tui``), or None when caching is off."""
    if os.environ.get(CACHE_ENV) == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "smtp-tui")


def read_marshalled(name: str, key: object) -> object | None:
    """What `write_marshalled` kept under `name`, if it was kept for `key` (None otherwise)."""
    home = cache_home()
    if home is None:
        return None
    try:
        with open(os.path.join(home, name), "rb") as stream:
            stored_key, value = marshal.load(stream)
    except Exception:  # a missing, stale or damaged file only means working it out again
        return None
    return value if stored_key == key else None


def write_marshalled(name: str, key: object, value: object) -> None:
    """Keep `value` (plain data) for `key`; a file another process reads is replaced whole."""
    home = cache_home()
    if home is None:
        return
    path = os.path.join(home, name)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(home, exist_ok=True)
        with open(temporary, "wb") as stream:
            marshal.dump((key, value), stream)  # type: ignore[arg-type]  # ValueError if not
        os.replace(temporary, path)
    except (OSError, ValueError):  # unwritable, or not plain data: it costs speed, not answers
        import contextlib  # only here: a prepared answer imports this module

        with contextlib.suppress(OSError):
            os.remove(temporary)
