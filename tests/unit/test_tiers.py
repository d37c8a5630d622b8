"""The two tiers of tests stay apart: `tests/unit` runs the core and the command line without
Textual; `tests/app` drives the browser. A unit test that starts needing Textual belongs in app."""

from __future__ import annotations

import ast
from pathlib import Path

UNIT = Path(__file__).resolve().parent
BROWSER = ("textual", "rich", "smtp_tui.tui", "smtp_tui.web")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_unit_tests_import_no_browser() -> None:
    found = {
        path.name: sorted(name for name in imported(path) if name.startswith(BROWSER))
        for path in sorted(UNIT.glob("test_*.py"))
    }
    assert len(found) >= 15
    assert {name: mods for name, mods in found.items() if mods} == {}
