"""Settings that survive, damaged files kept aside, and the user's own codes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from smtp_tui.repository import load
from smtp_tui.settings import SETTINGS_FILE, Settings, load_settings, save_settings
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.main_screen import SAVE_DELAY

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


def test_a_damaged_file_is_kept_aside_with_one_warning(tmp_path: Path) -> None:
    garbage = b"\x00\xff this is [[[ not toml"
    (tmp_path / SETTINGS_FILE).write_bytes(garbage)
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    assert warning is not None and "\n" not in str(warning)
    assert "kept as settings.toml.bak" in str(warning)
    assert (tmp_path / "settings.toml.bak").read_bytes() == garbage
    assert not (tmp_path / SETTINGS_FILE).exists()


def test_wrong_types_count_as_damage(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("theme = 3\n", "utf-8")
    settings, warning = load_settings(tmp_path)
    assert settings.theme is None and warning is not None and "'theme' must be text" in str(warning)


def test_an_unwritable_folder_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    warning = save_settings(Settings(last_search="x"), blocker)
    assert warning is not None and warning.startswith("cannot save settings")


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
    repo = load()
    assert not repo.warnings
    mine = repo.get("5.7.900")
    assert mine.name.startswith("Blocked by the Example Corp")
    assert "5.7.900" in [code.code for code in repo.related(repo.get("550"))]


def test_a_broken_user_file_is_a_warning_naming_file_and_line(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / "codes.toml").write_text(MY_CODE.replace('name = "Blocked', 'nam = "B'))
    repo = load()
    (warning,) = repo.warnings
    assert "codes.toml:2: entry 5.7.900: field 'nam': unknown field" in warning
    assert warning.endswith("(your codes were not loaded)")
    assert "550" in repo  # the shipped codes still load


def test_a_user_code_may_not_replace_a_shipped_one(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / "codes.toml").write_text(MY_CODE.replace('"5.7.900"', '"5.7.708"'))
    (warning,) = load().warnings
    assert "duplicate code, also in the shipped data" in warning
