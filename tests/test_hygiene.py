"""The repository and the CLI never load Textual, Rich or tomlkit: that keeps the CLI fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
{call}
heavy = sorted(n for n in sys.modules if n.split(".")[0] in ("textual", "rich", "tomlkit"))
print("heavy modules:", ",".join(heavy) or "none")
"""


@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("smtp_tui.repository", "smtp_tui.repository.load().compare('211', '452')"),
        ("smtp_tui.cli", "smtp_tui.cli.main(['show', '452', '--json'])"),
        ("smtp_tui.export", ""),
        ("smtp_tui.probe_render", ""),
    ],
)
def test_no_textual_or_rich(module: str, call: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module, call=call)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "heavy modules: none"
