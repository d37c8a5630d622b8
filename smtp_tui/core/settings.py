"""Settings that survive between runs, and where the user's own code file lives.

Plain Python (no Textual), so the CLI can find the user's codes too. Writes are atomic and a damaged
file is kept aside, never lost: a settings problem costs the user a warning, not the app.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from smtp_tui.core.errors import SmtpTuiError, Words

if TYPE_CHECKING:
    import tomlkit

CONFIG_ENV = "SMTP_TUI_CONFIG_DIR"
"""Overrides the config folder (tests, or a portable setup)."""
SETTINGS_FILE = "settings.toml"
USER_CODES_FILE = "codes.toml"
"""The user's own codes (an organisation's policy codes, a provider's odd replies)."""
MAX_SEARCH = 200
"""The longest search remembered: a huge paste is not worth keeping."""
SETTINGS_KEYS = ("theme", "language", "last_search", "rtl")
"""The keys the app owns; every other key in the file is the user's (or a newer version's)."""


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    xdg = _xdg_config_dir()
    if xdg is not None:
        return xdg
    from platformdirs import user_config_path

    return user_config_path("smtp-tui", appauthor=False)


def _xdg_config_dir() -> Path | None:
    """platformdirs' answer on Linux, for the plain case, without importing it: importing it
    (and the tempfile, shutil and random it loads) was a tenth of a lookup's own time and 4 ms
    of the browser's start-up. ``$XDG_CONFIG_HOME`` when absolute, else ``$HOME/.config``;
    anything else (another system, no absolute home) is left to platformdirs, and a test
    checks both agree."""
    if not sys.platform.startswith("linux"):
        return None
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home.rstrip("/") or "/", ".config")
    return Path(base) / "smtp-tui"


def user_codes_file() -> Path:
    return config_dir() / USER_CODES_FILE


@dataclass(frozen=True)
class Settings:
    """What the browser remembers; unknown keys in the file are kept, so newer versions' survive."""

    theme: str | None = None
    language: str | None = None
    """Chosen in the browser's palette; ``--lang`` and ``SMTP_TUI_LANG`` still come first."""
    last_search: str = ""
    rtl: str | None = None
    """How right-to-left text is drawn: "visual" (we reorder it) or "logical" (the terminal)."""
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def with_search(self, text: str) -> Settings:
        return replace(self, last_search=text[:MAX_SEARCH])

    def with_theme(self, theme: str) -> Settings:
        return replace(self, theme=theme)

    def with_language(self, language: str) -> Settings:
        return replace(self, language=language)

    def with_rtl(self, mode: str) -> Settings:
        return replace(self, rtl=mode)

    def changed_from(self, earlier: Settings) -> tuple[str, ...]:
        """The keys that differ from `earlier`: the only ones a save should write."""
        return tuple(key for key in SETTINGS_KEYS if getattr(self, key) != getattr(earlier, key))


class Problem(Words):
    """A warning about the settings file, put into words only when shown, in the language of
    that moment: the file is read before the language it may choose is known."""


MAX_BACKUPS = 5
"""Damaged settings files kept aside: ``settings.toml.bak``, then ``.bak.1`` … ``.bak.4``."""


def load_settings(folder: Path | None = None) -> tuple[Settings, Problem | None]:
    """The settings, and a one-line warning when the file was damaged (it is then kept aside)."""
    path = (folder or config_dir()) / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as error:
        return Settings(), Problem("settings.cannot_read", path=path, reason=error.strerror)
    import tomllib  # only here: a command run without a settings file never pays for it

    try:
        document = tomllib.loads(raw.decode("utf-8"))
        theme = document.pop("theme", None)
        language = document.pop("language", None)
        search = document.pop("last_search", "")
        rtl = document.pop("rtl", None)
        for key, value in (
            ("theme", theme),
            ("language", language),
            ("last_search", search),
            ("rtl", rtl),
        ):
            if value is not None and not isinstance(value, str):
                raise _NotText(key)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, _NotText) as error:
        return Settings(), _damaged(path, error)
    settings = Settings(
        theme=theme,
        language=language,
        last_search=search[:MAX_SEARCH],
        rtl=rtl,
        extra=document,
    )
    return settings, None


class _NotText(SmtpTuiError):
    """A setting that must be text is not; worded as part of the "damaged" warning."""

    def __init__(self, key: str) -> None:
        super().__init__("settings.must_be_text", key=key)


def _damaged(path: Path, detail: object) -> Problem:
    """Keep a damaged file aside under the first free backup name, and say so."""
    backup = _keep_aside(path)
    if backup is None:
        return Problem("settings.damaged", path=path, detail=detail)
    return Problem("settings.damaged_kept", path=path, detail=detail, backup=backup.name)


def _keep_aside(path: Path) -> Path | None:
    """Move `path` to a backup name nothing holds yet, never over an earlier backup (a second
    damaged file once replaced the first); None when every backup name is taken or moving fails.

    A hard link claims the name atomically, so two processes cannot pick the same one.
    """
    names = [f"{path.name}.bak", *(f"{path.name}.bak.{n}" for n in range(1, MAX_BACKUPS))]
    for name in names:
        backup = path.with_name(name)
        try:
            os.link(path, backup)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: claim the name less strictly
            if os.path.lexists(backup):
                continue
            try:
                os.replace(path, backup)
            except OSError:
                return None
            return backup
        try:
            os.unlink(path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(backup)
            return None
        return backup
    return None


def save_settings(
    settings: Settings, folder: Path | None = None, keys: Iterable[str] = SETTINGS_KEYS
) -> Problem | None:
    """Write the `keys` of `settings` into the settings file as it is now, and nothing else.

    The file is read again and only those keys change, so two browsers open at once each keep
    their own last change of each key, and every key the app does not own stays exactly as the
    user wrote it (comments, dates, tables, nan). The write is atomic (a temporary file, then a
    rename); if the file changed while we worked, we merge again. A damaged file is kept aside.
    Returns a one-line warning if the settings could not be saved.
    """
    path = (folder or config_dir()) / SETTINGS_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _cannot_save(path, error.strerror)
    with _merge_lock(path.parent):
        return _merge(path, settings, tuple(keys))


def _merge(path: Path, settings: Settings, keys: tuple[str, ...]) -> Problem | None:
    import tomllib

    import tomlkit  # only here: the CLI's fast paths never write settings
    from tomlkit.exceptions import TOMLKitError

    problem: Problem | None = None
    for attempt in range(_MERGE_ATTEMPTS):
        try:
            before = _identity(path)
            text = path.read_bytes().decode("utf-8") if before is not None else ""
            tomllib.loads(text)
            document = tomlkit.parse(text) if text else _new_document()
        except OSError as error:
            return _cannot_save(path, error.strerror)
        except TOMLKitError as error:  # valid TOML that tomlkit cannot keep: leave it be
            return _cannot_save(path, str(error))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problem = _damaged(path, error)
            if problem.key != "settings.damaged_kept":
                return _cannot_save(path, str(error))  # no free backup name: it stays as it is
            continue
        for key in keys:
            value = getattr(settings, key)
            if value is None:
                document.pop(key, None)
            else:
                document[key] = value
        data = document.as_string().encode("utf-8", "replace")
        try:
            tomllib.loads(data.decode("utf-8"))
        except tomllib.TOMLDecodeError as error:  # never write what the next launch cannot read
            return _cannot_save(path, str(error))
        last = attempt == _MERGE_ATTEMPTS - 1
        try:
            if _replace_if_unchanged(path, data, before, check=not last):
                return problem
        except OSError as error:
            return _cannot_save(path, error.strerror)
    return problem


@contextlib.contextmanager
def _merge_lock(folder: Path) -> Iterator[None]:
    """Our processes merge one at a time (a lock on the config folder, where the OS has them).

    Waits a second at most: a stuck holder must not freeze the browser, and the check in
    `_replace_if_unchanged` still guards the merge without the lock.
    """
    try:
        import fcntl

        handle = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        for _ in range(100):
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                time.sleep(0.01)
        yield
    finally:
        os.close(handle)  # releases the lock


_MERGE_ATTEMPTS = 5
"""Merges tried while other processes keep changing the file; the last one writes regardless."""


def _new_document() -> tomlkit.TOMLDocument:
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment(HEADER))
    return document


HEADER = "smtp-tui settings, written by the app; edit freely while it is not running."


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from the next; None when there is no file."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def _replace_if_unchanged(
    path: Path, data: bytes, before: tuple[int, int, int, int] | None, check: bool = True
) -> bool:
    """Write `data` to `path` atomically, unless (with `check`) another process changed it
    since it was `before`."""
    import tempfile  # only here: it imports shutil and random, which reading settings never needs

    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if before is not None:
            with contextlib.suppress(OSError):
                os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        if check and _identity(path) != before:
            temporary.unlink()
            return False
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return True


def _cannot_save(path: Path, reason: str | None) -> Problem:
    return Problem("settings.cannot_save", path=path, reason=reason)
