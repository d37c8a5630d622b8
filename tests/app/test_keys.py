"""Our answer to "which character does this key type" is Textual's, without the name table."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import textual.keys
import textual.screen
from textual.binding import Binding
from textual.dom import DOMNode

from smtp_tui.tui import keys
from smtp_tui.tui.app import SmtpTuiApp


def _ours(base: type) -> list[type]:
    found = []
    for cls in base.__subclasses__():
        if cls.__module__.startswith("smtp_tui."):
            found.append(cls)
        found += _ours(cls)
    return found


def _keys_of(binding: object) -> list[str]:
    keys = binding.key if isinstance(binding, Binding) else binding[0]  # type: ignore[index]
    return [key.strip() for key in keys.split(",")]


for _module in ("code", "explain", "help", "log", "main", "palette", "probe"):
    importlib.import_module(f"smtp_tui.tui.screens.{_module}")

BOUND = sorted(
    {
        key
        for node in [SmtpTuiApp, *_ours(DOMNode)]
        for binding in node.BINDINGS
        for key in map(
            str.strip, (binding.key if isinstance(binding, Binding) else binding[0]).split(",")
        )
    }
)
"""Every key the browser binds."""


ASKED = sorted(keys.NAMED | set(BOUND) | {"a", "1", "ä", "ctrl+q", "shift+tab", "solidus", "comma"})
"""Textual's named keys, ours, and a few that no one binds (asked of Textual)."""


@pytest.mark.parametrize("key", ASKED)
def test_each_key_types_what_textual_says(key: str) -> None:
    assert keys.key_to_character(key) == textual.keys.key_to_character(key)


def test_textual_s_screens_ask_us() -> None:
    keys.install()
    assert textual.screen.key_to_character is keys.key_to_character  # type: ignore[attr-defined]


def test_the_browser_s_keys_read_no_name_table() -> None:
    """No key the browser binds costs a lookup: the first lookup is what brings the table in."""
    code = """
import sys, unicodedata
calls = []
lookup = unicodedata.lookup
unicodedata.lookup = lambda name: calls.append(name) or lookup(name)
from smtp_tui.tui import keys
for key in [*keys.NAMED, *sys.argv[1:]]:
    keys.key_to_character(key)
print(len(calls))
"""
    done = subprocess.run(
        [sys.executable, "-c", code, *BOUND], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "0"
