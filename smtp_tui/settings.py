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
    last_search: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def with_search(self, text: str) -> Settings:
        return replace(self, last_search=text[:MAX_SEARCH])

    def with_theme(self, theme: str) -> Settings:
        return replace(self, theme=theme)


def load_settings(folder: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a one-line warning when the file was damaged (it is then kept as .bak)."""
    path = (folder or config_dir()) / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as error:
        return Settings(), f"cannot read {path}: {error.strerror}; using defaults"
    try:
        document = tomllib.loads(raw.decode("utf-8"))
        theme = document.pop("theme", None)
        search = document.pop("last_search", "")
        if theme is not None and not isinstance(theme, str):
            raise ValueError("'theme' must be text")
        if not isinstance(search, str):
            raise ValueError("'last_search' must be text")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as error:
        backup = path.with_name(path.name + ".bak")
        try:
            os.replace(path, backup)
        except OSError:
            return Settings(), f"{path} is damaged ({error}); using defaults"
        return Settings(), f"{path} was damaged ({error}); kept as {backup.name}, using defaults"
    return Settings(theme=theme, last_search=search[:MAX_SEARCH], extra=document), None


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
        return f"cannot save settings to {path}: {error.strerror}"
    return None
