"""Tests never touch the developer's home: every test has its own config, cache and data folders,
and the processes it starts inherit them."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core import cache, settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_folder_the_app_uses_is_the_tests_own(private_home: Path) -> None:
    from platformdirs import user_cache_path, user_config_path, user_data_path

    real_home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert not private_home.is_relative_to(real_home)
    assert Path.home() == private_home and Path("~").expanduser() == private_home
    for folder in (
        user_config_path("smtp-tui", appauthor=False),
        user_cache_path("smtp-tui", appauthor=False),
        user_data_path("smtp-tui", appauthor=False),
        settings.config_dir(),
        cache.cache_path(Path("."), None, []),
    ):
        assert folder is not None and folder.is_relative_to(private_home.parent), folder


def test_the_cli_writes_its_cache_inside_the_test(private_home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "smtp_tui", "show", "452"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    assert list((private_home / ".cache" / "smtp-tui").glob("data-*.pickle"))


def test_the_suite_leaves_the_home_alone(tmp_path: Path) -> None:
    """A few typical tests run in a child pytest whose 'real' home is a folder we can watch."""
    home = tmp_path / "watched-home"
    home.mkdir()
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("XDG_", "SMTP_TUI_", "PYTEST_"))
    }
    environment["HOME"] = str(home)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/app/test_settings.py",
            "tests/unit/test_loading.py::test_the_cache_gives_the_same_codes_and_follows_changes",
            "tests/unit/test_cli.py::test_show_prints_every_section",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=environment,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert sorted(str(path.relative_to(home)) for path in home.rglob("*")) == []


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/ana"),
        ("", "/home/ana/"),
        ("/srv/conf", "/home/ana"),
        ("relative/conf", "/home/ana"),
        (None, "/"),
        (None, "relative-home"),
        ("/srv/conf", None),
    ],
)
def test_the_config_folder_is_the_one_platformdirs_names(
    xdg: str | None, home: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """settings.config_dir works out the plain Linux case itself (importing platformdirs cost
    4 ms of the browser's start-up); it must name the same folder platformdirs would."""
    from platformdirs import user_config_path

    monkeypatch.delenv(settings.CONFIG_ENV, raising=False)
    for name, value in (("XDG_CONFIG_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = user_config_path("smtp-tui", appauthor=False)
    except RuntimeError:  # platformdirs gives up without an absolute home: so may we
        expected = None
    if expected is not None:
        assert settings.config_dir() == expected
    if (sys.platform.startswith("linux") and (xdg or "").startswith("/")) or (
        home or ""
    ).startswith("/"):
        assert settings._xdg_config_dir() is not None  # answered without platformdirs
