"""Shared fixtures: the shipped repository, loaded once; deterministic Textual runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from smtp_tui import i18n
from smtp_tui.repository import Repository, load


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the CLI they start) keep the parsed-data cache out of the user's home."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with no settings and no user codes, as a first run does."""
    folder = tmp_path / "config"
    monkeypatch.setenv("SMTP_TUI_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def repo() -> Repository:
    return load()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch, repo: Repository) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale, and leaves it in English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", i18n.LANG_ENV):
        monkeypatch.delenv(variable, raising=False)
    repo.use_language(i18n.DEFAULT)
    yield
    repo.use_language(i18n.DEFAULT)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)
