"""The wheel carries its data: built, installed in a clean venv, and used from another folder."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("smtp_tui-*.whl")
    return found


def test_wheel_contains_the_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "smtp_tui/data/basic/4xx.toml" in names
    assert "smtp_tui/tui/app.tcss" in names
    assert "smtp_tui/core/locales/ja.toml" in names
    assert "smtp_tui/data/translations/tr/4xx.toml" in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_wheel_lists_codes(
    wheel: Path, tmp_path: Path, private_env: dict[str, str], private_home: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # --no-deps: the CLI needs no Textual, and leaving it out keeps the test quick; platformdirs
    # (a small pure-Python package) is the one dependency the CLI imports.
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel), "platformdirs"],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [str(env_dir / "bin" / "smtp-tui"), "list", "--class", "5"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", **private_env},
    )
    assert result.returncode == 0, result.stderr
    assert "550     Requested action not taken" in result.stdout
    turkish = subprocess.run(
        [str(env_dir / "bin" / "smtp-tui"), "compare", "211", "452", "--lang", "tr"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", **private_env},
    )
    assert turkish.returncode == 0, turkish.stderr
    assert "\nTemel Farklar\n" in turkish.stdout and "depolama" in turkish.stdout
    # The bare environment still carries the test's own home: the cache went there, not to ~.
    assert list((private_home / ".cache" / "smtp-tui").glob("data-*.pickle"))
