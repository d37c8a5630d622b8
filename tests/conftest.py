"""Shared fixtures: the shipped repository, loaded once; deterministic Textual runs."""

from __future__ import annotations

import pytest

from smtp_tui.repository import Repository, load


@pytest.fixture(scope="session")
def repo() -> Repository:
    return load()


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)
