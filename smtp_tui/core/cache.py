"""The parsed-data cache: a loaded repository kept as a pickle in the user's cache folder.

Parsing and validating the TOML is most of what start-up spends on our own work. The cache is
keyed by every data file's size and time and by the code that reads them, so any change means a
fresh parse; any trouble with the cache only costs that parse.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import time
import zlib
from pathlib import Path

from smtp_tui.core.cache_home import CACHE_ENV, cache_home
from smtp_tui.core.repository import Repository

__all__ = ["CACHE_ENV", "cache_path", "read_cache", "write_cache"]

MAX_CACHES = 4
"""Parsed-data caches kept for different data folders (``--data``, ``$SMTP_TUI_DATA``); the
oldest beyond this go. Other versions of the same data go at once: nothing else needs them."""
_CACHE_FILE = re.compile(r"data-(?P<source>[0-9a-f]{8})-[0-9a-f]{8}\.pickle")
_OLD_CACHE_FILE = re.compile(r"data-[0-9a-f]{8}-[0-9]{1,3}\.pickle")
"""The earlier naming (a hash, then a count of files): always stale now."""
_CACHE_TEMPORARY = re.compile(r"data-[0-9a-f]{8}-[0-9a-f]{8}\.[0-9]+\.tmp")
_ABANDONED = 3600
"""Seconds after which a temporary cache file is no live writer's, only a killed one's leftover."""


CODE_MODULES = (
    "cache",
    "cache_home",
    "comparison",
    "entries",
    "errors",
    "i18n",
    "loading",
    "model",
    "repository",
    "search",
    "text",
    "vocabulary",
)
"""The core modules that parse the data or whose classes are pickled: a change to any of them
makes the cache stale. A test checks that loading imports no other module of ours.

A fixed list rather than whatever is imported: the CLI and the browser import different modules,
and each would otherwise write its own cache and delete the other's."""


def _code_files() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / f"{name}.py" for name in CODE_MODULES]


def cache_path(root: Path, user_codes: Path | None, files: list[Path]) -> Path | None:
    """``data-<source>-<version>.pickle``: the source names the data folder (and the user's code
    file), the version every file's size and time, so a new version can replace its stale ones."""
    home = cache_home()
    if home is None:
        return None
    signature = []
    for file in (*_code_files(), *files):
        try:
            stat = file.stat()
        except OSError:
            return None
        signature.append(f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
    source = zlib.crc32(f"{root.resolve()}\n{user_codes}".encode("utf-8", "surrogateescape"))
    version = zlib.crc32("\n".join(signature).encode("utf-8", "surrogateescape"))
    return Path(home) / f"data-{source:08x}-{version:08x}.pickle"


def read_cache(cache: Path | None) -> Repository | None:
    if cache is None:
        return None
    try:
        with cache.open("rb") as stream:
            found = pickle.load(stream)
    except Exception:  # a missing, stale or damaged cache only means parsing again
        return None
    return found if isinstance(found, Repository) else None


def write_cache(cache: Path | None, repository: Repository) -> None:
    if cache is None:
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(repository, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)  # atomic: a reader never sees half a file
    except OSError:
        return  # an unwritable cache folder costs speed, never correctness
    _remove_stale_caches(cache)


def _remove_stale_caches(current: Path) -> None:
    """Keep the cache folder to what is in use (it once grew to 28 MB in an afternoon).

    Only files of our own naming are touched. Another process may be reading, replacing or
    removing the same files: a reader keeps an open file, a writer's rename is atomic, and a file
    already gone is no error, so the worst a race costs is one parse.
    """
    match = _CACHE_FILE.fullmatch(current.name)
    if match is None:
        return
    now = time.time()
    others: list[tuple[float, str]] = []
    try:
        entries = list(os.scandir(current.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name == current.name:
            continue
        with contextlib.suppress(OSError):
            if _OLD_CACHE_FILE.fullmatch(name):
                os.unlink(entry.path)
            elif found := _CACHE_FILE.fullmatch(name):
                if found["source"] == match["source"]:
                    os.unlink(entry.path)  # another version of this data: stale
                else:
                    others.append((entry.stat().st_mtime, entry.path))
            elif _CACHE_TEMPORARY.fullmatch(name) and now - entry.stat().st_mtime > _ABANDONED:
                os.unlink(entry.path)
    others.sort(reverse=True)
    for _, path in others[MAX_CACHES - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(path)
