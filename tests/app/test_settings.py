"""Settings that survive, damaged files kept aside, and the user's own codes."""

from __future__ import annotations

import math
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from smtp_tui.core.loading import load
from smtp_tui.core.settings import (
    MAX_BACKUPS,
    SETTINGS_FILE,
    Settings,
    load_settings,
    save_settings,
    user_codes_file,
)
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import SAVE_DELAY

ODD = 'a [bold] "quote" \\ back é 🙂 \x1b[31m'

MY_CODE = """
[[code]]
code = "5.7.900"
name = "Blocked by the Example Corp relay policy"
standard = false
origin = "Example Corp's outbound gateway"
description = "Our gateway refuses mail to domains on the embargo list."
when = "After RCPT TO for an embargoed domain."
fix_sender = "Ask the mail team for an exception."
fix_admin = "Check the embargo list on the gateway."
references = ["RFC 3463 §3.8"]
reply_codes = ["550"]
related = ["X.7.1"]
"""


def test_settings_round_trip_any_text(tmp_path: Path) -> None:
    assert save_settings(Settings(theme="nord", last_search=ODD), tmp_path) is None
    settings, warning = load_settings(tmp_path)
    assert warning is None
    assert settings == Settings(theme="nord", last_search=ODD)
    assert [p.name for p in tmp_path.iterdir()] == [SETTINGS_FILE]  # no temporary file left


def test_unknown_keys_survive_a_save(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('future = "kept"\nlast_search = "x"\n', "utf-8")
    settings, _ = load_settings(tmp_path)
    save_settings(settings.with_search("y"), tmp_path)
    text = (tmp_path / SETTINGS_FILE).read_text("utf-8")
    assert 'future = "kept"' in text and 'last_search = "y"' in text


THEIRS = """# my own notes, kept by hand
speed = nan  # not a number
ceiling = -inf
when = 1979-05-27T07:32:00Z
day = 1979-05-27
"dashed-name" = [1, 2, {a = 1}]
'quoted key' = 'literal \\ text'
shelf = [
  1, # one
  2,
]
theme = "nord"

[table]
x = 1

[[books]]
title = "RFC 5321"
"""


def test_keys_the_app_does_not_own_stay_exactly_as_written(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text(THEIRS, "utf-8")
    settings, warning = load_settings(tmp_path)
    assert warning is None
    assert save_settings(settings.with_language("de").with_search("452"), tmp_path) is None
    text = (tmp_path / SETTINGS_FILE).read_text("utf-8")
    document = tomllib.loads(text)  # valid TOML: the next launch keeps everything
    assert math.isnan(document["speed"]) and document["ceiling"] == -math.inf
    assert document["books"] == [{"title": "RFC 5321"}] and document["dashed-name"][2] == {"a": 1}
    ours = {line for line in text.splitlines() if line.startswith(("language =", "last_search ="))}
    assert ours == {'language = "de"', 'last_search = "452"'}
    assert "\n".join(line for line in text.splitlines() if line not in ours) + "\n" == THEIRS
    again, warning = load_settings(tmp_path)
    assert warning is None
    assert (again.theme, again.language, again.last_search) == ("nord", "de", "452")


def test_a_save_changes_only_its_keys(tmp_path: Path) -> None:
    """Two browsers open at once: each keeps its own last change of each key."""
    first, _ = load_settings(tmp_path)
    second, _ = load_settings(tmp_path)
    assert save_settings(first.with_language("de"), tmp_path, keys=["language"]) is None
    assert save_settings(second.with_search("mailbox"), tmp_path, keys=["last_search"]) is None
    assert save_settings(second.with_theme("nord"), tmp_path, keys=["theme"]) is None
    settings, _ = load_settings(tmp_path)
    assert (settings.language, settings.last_search, settings.theme) == ("de", "mailbox", "nord")
    assert Settings(theme="nord").changed_from(Settings()) == ("theme",)


SAVE_IN_A_LOOP = """
import sys
from pathlib import Path
from smtp_tui.core.settings import Settings, save_settings
folder, key = Path(sys.argv[1]), sys.argv[2]
for number in range(60):
    problem = save_settings(Settings(**{key: f"{key}-{number}"}), folder, keys=[key])
    assert problem is None, problem
"""


def test_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    keys = ("theme", "language", "last_search")
    children = [
        subprocess.Popen([sys.executable, "-c", SAVE_IN_A_LOOP, str(tmp_path), key]) for key in keys
    ]
    assert [child.wait(60) for child in children] == [0, 0, 0]
    settings, warning = load_settings(tmp_path)
    assert warning is None
    assert [getattr(settings, key) for key in keys] == [f"{key}-59" for key in keys]
    assert [path.name for path in tmp_path.iterdir()] == [SETTINGS_FILE]


def test_a_damaged_file_is_kept_aside_with_one_warning(tmp_path: Path) -> None:
    garbage = b"\x00\xff this is [[[ not toml"
    (tmp_path / SETTINGS_FILE).write_bytes(garbage)
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    assert warning is not None and "\n" not in str(warning)
    assert "kept as settings.toml.bak" in str(warning)
    assert (tmp_path / "settings.toml.bak").read_bytes() == garbage
    assert not (tmp_path / SETTINGS_FILE).exists()


def test_every_damaged_file_is_kept_never_over_an_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / SETTINGS_FILE
    names = ["settings.toml.bak", *(f"settings.toml.bak.{n}" for n in range(1, MAX_BACKUPS))]
    for number, name in enumerate(names):
        path.write_bytes(f"damaged {number} [[[".encode())
        _, warning = load_settings(tmp_path)
        assert f"kept as {name}," in str(warning)
    assert [(tmp_path / name).read_bytes() for name in names] == [
        f"damaged {number} [[[".encode() for number in range(MAX_BACKUPS)
    ]
    path.write_bytes(b"one too many [[[")  # every backup name taken: it stays where it is
    settings, warning = load_settings(tmp_path)
    assert settings == Settings() and "is damaged" in str(warning)
    problem = save_settings(settings.with_search("x"), tmp_path)
    assert str(problem).startswith("cannot save settings")
    assert path.read_bytes() == b"one too many [[[" and (tmp_path / names[0]).exists()
    assert len(list(tmp_path.iterdir())) == MAX_BACKUPS + 1


def test_a_file_damaged_while_the_app_runs_is_kept_at_the_next_save(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('theme = "nord"\n', "utf-8")
    settings, _ = load_settings(tmp_path)
    (tmp_path / "settings.toml.bak").write_bytes(b"an earlier backup")
    (tmp_path / SETTINGS_FILE).write_text('theme = "nord\n', "utf-8")  # an editor's typo
    problem = save_settings(settings.with_search("x"), tmp_path, keys=["last_search"])
    assert "kept as settings.toml.bak.1" in str(problem)
    assert (tmp_path / "settings.toml.bak").read_bytes() == b"an earlier backup"
    assert load_settings(tmp_path)[0].last_search == "x"


def test_a_file_tomlkit_cannot_keep_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomlkit
    from tomlkit.exceptions import ParseError

    def refuse(text: str) -> None:
        raise ParseError(1, 1, "cannot keep this")

    (tmp_path / SETTINGS_FILE).write_text('theme = "nord"\n', "utf-8")
    monkeypatch.setattr(tomlkit, "parse", refuse)
    problem = save_settings(Settings(last_search="x"), tmp_path)
    assert str(problem).startswith("cannot save settings")
    assert [path.name for path in tmp_path.iterdir()] == [SETTINGS_FILE]


def test_wrong_types_count_as_damage(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("theme = 3\n", "utf-8")
    settings, warning = load_settings(tmp_path)
    assert settings.theme is None and warning is not None and "'theme' must be text" in str(warning)


def test_an_unwritable_folder_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    warning = save_settings(Settings(last_search="x"), blocker)
    assert warning is not None and str(warning).startswith("cannot save settings")


async def test_the_browser_remembers_search_and_theme(_private_config: Path) -> None:
    app = SmtpTuiApp(load())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"mailbox")
        await pilot.pause(SAVE_DELAY + 0.3)
        app.theme = "nord"
        await pilot.pause()
    saved, _ = load_settings(_private_config)
    assert saved.last_search == "mailbox" and saved.theme == "nord"
    again = SmtpTuiApp(load())
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        assert again.screen.query_one(Input).value == "mailbox"
        await pilot.press(*"452")  # the remembered search is selected: typing replaces it
        await pilot.pause()
        assert again.screen.query_one(Input).value == "452"


async def until_saved(pilot: Pilot[None], app: SmtpTuiApp) -> None:
    """Wait for the pause in typing to hand the search to the settings (slow on a busy machine)."""
    await pilot.pause(SAVE_DELAY)
    typed = app.screen.query_one(Input).value
    for _ in range(100):
        if app.settings is not None and app.settings.last_search == typed:
            return
        await pilot.pause(0.1)
    raise AssertionError("the search was never saved")


async def test_the_browser_writes_only_what_it_changed(_private_config: Path) -> None:
    """Another browser chose a language meanwhile: this one's search must not erase it."""
    app = SmtpTuiApp(load())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        save_settings(Settings(language="de"), _private_config, keys=["language"])
        await pilot.press(*"mailbox")
        await until_saved(pilot, app)
    saved, _ = load_settings(_private_config)
    assert (saved.language, saved.last_search) == ("de", "mailbox")


async def test_cannot_save_is_said_once_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("SMTP_TUI_CONFIG_DIR", str(blocker / "config"))
    app = SmtpTuiApp(load())
    shown: list[str] = []
    notify = app.notify

    def record(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(message)  # counted when raised: a notification on screen times out
        notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", record)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for word in ("mail", "box"):
            await pilot.press(*word)
            await until_saved(pilot, app)
        app.theme = "nord"
        await pilot.pause()
        assert len([text for text in shown if "cannot save settings" in text]) == 1
        assert app.settings is not None and app.settings.last_search == "mailbox"


async def test_a_garbage_settings_file_does_not_stop_the_browser(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / SETTINGS_FILE).write_bytes(b"\xde\xad garbage ]]]")
    app = SmtpTuiApp(load())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.is_running
        assert any("kept as settings.toml.bak" in n.message for n in app._notifications)
    assert (_private_config / "settings.toml.bak").exists()


def test_the_users_codes_are_validated_and_linked(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / "codes.toml").write_text(MY_CODE, "utf-8")
    repo = load(user_codes=user_codes_file())
    assert not repo.warnings
    mine = repo.get("5.7.900")
    assert mine.name.startswith("Blocked by the Example Corp")
    assert "5.7.900" in [code.code for code in repo.related(repo.get("550"))]


def test_a_broken_user_file_is_a_warning_naming_file_and_line(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / "codes.toml").write_text(MY_CODE.replace('name = "Blocked', 'nam = "B'))
    repo = load(user_codes=user_codes_file())
    (warning,) = repo.warnings
    assert "codes.toml:2: entry 5.7.900: field 'nam': unknown field" in str(warning)
    assert str(warning).endswith("(your codes were not loaded)")
    assert "550" in repo  # the shipped codes still load


def test_a_user_code_may_not_replace_a_shipped_one(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / "codes.toml").write_text(MY_CODE.replace('"5.7.900"', '"5.7.708"'))
    (warning,) = load(user_codes=user_codes_file()).warnings
    assert "duplicate code, also in the shipped data" in str(warning)
