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
        ("smtp_tui.core.repository", "smtp_tui.core.repository.load().compare('211', '452')"),
        ("smtp_tui.cli.commands", "smtp_tui.cli.commands.main(['show', '452', '--json'])"),
        ("smtp_tui.core.export", ""),
        ("smtp_tui.cli.probe", ""),
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


LOADED = """
import sys
from smtp_tui.cli.commands import main
status = main({argv!r})
print("loaded:", ",".join(sorted(sys.modules)), file=sys.stderr)
"""

NOT_FOR_LOOKUPS = (
    "smtp_tui.core.scanner",
    "smtp_tui.core.diagnosis",
    "smtp_tui.core.providers",
    "email",
    "textual",
    "rich",
    "tomllib",
)
"""What a lookup never needs: the scanner and the diagnosis (and with them the `email` header
parser) are `explain`'s, and so is the providers' parser (a search by provider name reads their
small cached index); Textual and Rich are the browser's, tomllib a run without a warm cache's."""


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "452"],
        ["show", "5.1.1", "--json"],
        ["compare", "450", "550"],
        ["list", "--class", "4"],
        ["search", "mailbox"],
        ["search", "microsoft"],
        ["search", "no such words anywhere", "--json"],
    ],
    ids=" ".join,
)
def test_lookups_load_only_what_they_need(argv: list[str]) -> None:
    """Run twice: the first run parses the data and writes the caches the second one reads."""
    script = LOADED.format(argv=argv)
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("loaded: ")
    loaded = line.removeprefix("loaded: ").split(",")
    assert "smtp_tui.core.repository" in loaded  # the probe sees what the command imported
    unwanted = [
        name
        for name in loaded
        if any(name == heavy or name.startswith(f"{heavy}.") for heavy in NOT_FOR_LOOKUPS)
    ]
    assert unwanted == []
