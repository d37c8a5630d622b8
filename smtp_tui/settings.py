"""Settings that survive between runs, and where the user's own code file lives.

Plain Python (no Textual), so the CLI can find the user's codes too. Writes are atomic and a damaged
file is kept aside, never lost: a settings problem costs the user a warning, not the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .i18n import text as _t

CONFIG_ENV = "SMTP_TUI_CONFIG_DIR"
"""Overrides the config folder (tests, or a portable setup)."""
SETTINGS_FILE = "settings.toml"
USER_CODES_FILE = "codes.toml"
"""The user's own codes (an organisation's policy codes, a provider's odd replies)."""
MAX_SEARCH = 200
"""The longest search remembered: a huge paste is not worth keeping."""


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("smtp-tui", appauthor=False)


def user_codes_file() -> Path:
    return config_dir() / USER_CODES_FILE


@dataclass(frozen=True)
class Settings:
    """What the browser remembers; unknown keys in the file are kept, so newer versions' survive."""

    theme: str | None = None
    language: str | None = None
    """Chosen in the browser's palette; ``--lang`` and ``SMTP_TUI_LANG`` still come first."""
    last_search: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def with_search(self, text: str) -> Settings:
        return replace(self, last_search=text[:MAX_SEARCH])

    def with_theme(self, theme: str) -> Settings:
        return replace(self, theme=theme)

    def with_language(self, language: str) -> Settings:
        return replace(self, language=language)


@dataclass(frozen=True)
class Problem:
    """A warning about the settings file, put into words only when shown, in the language of
    that moment: the file is read before the language it may choose is known."""

    key: str
    values: dict[str, object]

    def __str__(self) -> str:
        return _t(self.key, **self.values)  # a nested Problem is worded here too


def load_settings(folder: Path | None = None) -> tuple[Settings, Problem | None]:
    """The settings, and a one-line warning when the file was damaged (it is then kept as .bak)."""
    path = (folder or config_dir()) / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as error:
        return Settings(), Problem("settings.cannot_read", {"path": path, "reason": error.strerror})
    try:
        document = tomllib.loads(raw.decode("utf-8"))
        theme = document.pop("theme", None)
        language = document.pop("language", None)
        search = document.pop("last_search", "")
        for key, value in (("theme", theme), ("language", language), ("last_search", search)):
            if value is not None and not isinstance(value, str):
                raise _NotText(key)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, _NotText) as error:
        detail: object = error
        if isinstance(error, _NotText):
            detail = Problem("settings.must_be_text", {"key": error.key})
        backup = path.with_name(path.name + ".bak")
        try:
            os.replace(path, backup)
        except OSError:
            return Settings(), Problem("settings.damaged", {"path": path, "detail": detail})
        return Settings(), Problem(
            "settings.damaged_kept", {"path": path, "detail": detail, "backup": backup.name}
        )
    settings = Settings(
        theme=theme, language=language, last_search=search[:MAX_SEARCH], extra=document
    )
    return settings, None


class _NotText(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _toml_value(value: object) -> str | None:
    """A TOML value for the simple types settings hold; JSON's string escapes are TOML's too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return json.dumps(value, ensure_ascii=False)
    return None


def save_settings(settings: Settings, folder: Path | None = None) -> str | None:
    """Write atomically (a temporary file, then a rename); a one-line warning if that fails."""
    path = (folder or config_dir()) / SETTINGS_FILE
    values: dict[str, object] = {**settings.extra, "last_search": settings.last_search}
    if settings.theme is not None:
        values["theme"] = settings.theme
    if settings.language is not None:
        values["language"] = settings.language
    lines = ["# smtp-tui settings, written by the app; edit freely while it is not running."]
    for key, value in sorted(values.items()):
        shown = _toml_value(value)
        if shown is not None and key.replace("_", "").isalnum():
            lines.append(f"{key} = {shown}")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return _t("settings.cannot_save", path=path, reason=error.strerror)
    return None
