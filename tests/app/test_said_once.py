"""Settings the user made that we cannot use are said once (stderr, or a notification in the
browser), never passed over in silence: an unknown SMTP_TUI_LANG, a codes.toml that is a folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from smtp_tui.core import i18n
from smtp_tui.core.loading import load
from smtp_tui.core.settings import user_codes_file
from smtp_tui.tui.app import SmtpTuiApp

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smtp_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        cwd=ROOT,
    )


def test_an_unknown_language_in_the_environment_is_said_once_on_stderr() -> None:
    result = run("show", "452", env={i18n.LANG_ENV: "xx"})
    assert result.returncode == 0
    assert result.stdout.startswith("452")  # in English, the fallback
    assert result.stderr == (
        "smtp-tui: warning: SMTP_TUI_LANG='xx' is not one of the languages "
        f"({', '.join(i18n.LANGUAGES)}): ignored\n"
    )


@pytest.mark.parametrize("value", ["tr", "tr_TR.UTF-8", ""])
def test_a_known_or_empty_language_in_the_environment_is_not_a_problem(value: str) -> None:
    assert i18n.environment_problem({i18n.LANG_ENV: value}) is None


def test_a_codes_file_that_is_a_folder_is_said_once(_private_config: Path) -> None:
    (_private_config / "codes.toml").mkdir(parents=True)
    for _ in range(2):  # the second load comes from the cache, and must say it too
        (warning,) = load(user_codes=user_codes_file()).warnings
        assert str(warning).endswith("codes.toml is not a file (your codes were not loaded)")
    result = run("show", "452", env={})
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1
    assert "codes.toml is not a file" in result.stderr


async def test_the_browser_says_both_in_a_notification(_private_config: Path) -> None:
    (_private_config / "codes.toml").mkdir(parents=True)
    note = i18n.environment_problem({i18n.LANG_ENV: "xx"})
    assert note is not None
    app = SmtpTuiApp(load(user_codes=user_codes_file()), notes=[note])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert sum("codes.toml is not a file" in m for m in messages) == 1
    assert sum("SMTP_TUI_LANG='xx'" in m for m in messages) == 1
