"""The repository and the CLI never load Textual, Rich or tomlkit: that keeps the CLI fast."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

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
        ("smtp_tui.core.loading", "smtp_tui.core.loading.load().compare('211', '452')"),
        ("smtp_tui.cli.commands", "smtp_tui.cli.commands.main(['show', '452', '--json'])"),
        ("smtp_tui.console", "smtp_tui.console.main(['show', '452', '--json'])"),
        ("smtp_tui.core.export", ""),
        ("smtp_tui.cli.probe", ""),
        ("smtp_tui.cli.args", "smtp_tui.cli.args.build_parser()"),
        ("smtp_tui.cli.output", ""),
        ("smtp_tui.cli.render", ""),
        ("smtp_tui.cli.explain_input", ""),
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
from smtp_tui.console import main
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
    # A plain lookup is answered without argparse (`cli.argv.quick_args`); `--class` needs it.
    plain = all(word == "--json" or not word.startswith("-") for word in argv)
    never = (*NOT_FOR_LOOKUPS, "argparse", "gettext") if plain else NOT_FOR_LOOKUPS
    if argv[0] in ("list", "search"):  # a line per code: the display model is show's, compare's
        never = (*never, "smtp_tui.core.display")
    unwanted = [
        name
        for name in loaded
        if any(name == heavy or name.startswith(f"{heavy}.") for heavy in never)
    ]
    assert unwanted == []


LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("smtp_tui/cli/output.py", "import smtp_tui.tui.app", "independent"),
        ("smtp_tui/web/serve.py", "from smtp_tui.cli import commands", "independent"),
        ("smtp_tui/core/cells.py", "import rich.text", "core imports no front end"),
    ],
)
def test_the_import_contracts_catch_a_forbidden_import(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    """`make test` runs `lint-imports`; here it must fail on a copy of the package with one
    forbidden import added, so a contract that matches nothing cannot pass unnoticed."""
    shutil.copytree(ROOT / "smtp_tui", tmp_path / "smtp_tui", ignore=shutil.ignore_patterns("data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(tmp_path)}
    command = [str(LINT_IMPORTS), "--no-cache"]
    kept = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stdout
    path = tmp_path / module
    path.write_text(f"{path.read_text()}\n{line}\n")
    result = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True)
    assert result.returncode == 1
    assert broken in result.stdout.split("Broken contracts")[1]
