"""Explain end to end: findings joined to the repository, the CLI command and the browser screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from textual import events
from textual.widgets import OptionList, TextArea

from smtp_tui.core.diagnosis import diagnose, diagnosis_to_dict
from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.explain import ExplainScreen
from smtp_tui.tui.screens.main import MainScreen

ROOT = Path(__file__).resolve().parents[2]
MULTILINE = (
    "550-5.7.26 This mail has been blocked because the sender is\n"
    "550-5.7.26 unauthenticated. Gmail requires all senders to authenticate\n"
    "550 5.7.26 with either SPF or DKIM. 192.0.2.25 - gsmtp\n"
)


def explain(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smtp_tui", "explain", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
    )


def test_a_multi_line_reply_is_one_item(repo: Repository) -> None:
    diagnosis = diagnose(MULTILINE, repo)
    assert diagnosis.scan.outcome == "permanent"
    assert len(diagnosis.items) == 1
    item = diagnosis.items[0]
    assert (item.line, item.end, item.codes) == (1, 3, ("550", "5.7.26"))
    assert item.meaning.startswith("Multiple authentication checks failed")
    assert diagnosis.reason == "Decided by 550 5.7.26 on lines 1-3 (an SMTP reply)."
    # Google's own advice for its 5.7.26 comes first (issue 11: the provider's meaning first).
    assert diagnosis.entry is not None and diagnosis.entry.provider == "google"
    assert diagnosis.advice == diagnosis.entry.fix_sender


def test_classes_that_disagree_are_flagged(repo: Repository) -> None:
    item = diagnose("554 4.0.0 odd server", repo).items[0]
    assert item.mismatch
    assert "classes disagree" in item.meaning


def test_unknown_codes_are_said_to_be_unknown(repo: Repository) -> None:
    (item,) = diagnose("559 5.5.9 strange reply", repo).items
    assert item.unknown == ("559", "5.5.9") and item.main is None
    assert item.meaning == "not in our data: 559, 5.5.9"


def test_json_has_outcome_and_findings_with_code_family_line(repo: Repository) -> None:
    data = diagnosis_to_dict(diagnose(MULTILINE, repo))
    assert data["outcome"] == "permanent"
    assert data["deciding"] is not None and data["deciding"]["line"] == 3
    assert {(f["code"], f["family"]) for f in data["findings"]} == {
        ("550", "basic"),
        ("5.7.26", "enhanced"),
    }
    assert all(f["line"] in (1, 2, 3) and f["known"] for f in data["findings"])


def test_cli_explain_text_stdin_and_file(tmp_path: Path) -> None:
    from_args = explain("550", "5.1.1", "<a@b.example>:", "Recipient", "address", "rejected")
    assert from_args.returncode == 0
    assert from_args.stdout.startswith("Permanent failure")
    assert "Bad destination mailbox address" in from_args.stdout
    from_stdin = explain("-", stdin=MULTILINE)
    assert from_stdin.returncode == 0 and "550 5.7.26" in from_stdin.stdout
    bounce = tmp_path / "bounce.eml"
    bounce.write_bytes(b"Subject: x\r\n\r\n421 4.7.0 Try again later\r\n")
    from_file = explain("--file", str(bounce), "--json")
    assert json.loads(from_file.stdout)["outcome"] == "temporary"


def test_cli_explain_without_codes_exits_1_and_never_prints_escapes() -> None:
    result = explain(stdin="hello \x1b[31m world \x07 [bold] 192.0.2.1 2024-05-01\n")
    assert result.returncode == 1
    assert result.stdout.strip() == "No SMTP codes found."
    noisy = explain(stdin="550 \x1b[2J5.1.1 \x1b]0;pwned\x07 gone\n")
    assert "\x1b" not in noisy.stdout and "\x07" not in noisy.stdout


def test_cli_explain_missing_file_is_one_line() -> None:
    result = explain("--file", "/nonexistent/bounce.eml")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot read" in result.stderr


async def test_explain_screen_paste_read_and_open(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        screen.query_one(TextArea).text = MULTILINE
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.diagnosis is not None and screen.diagnosis.scan.outcome == "permanent"
        verdict = str(screen.query_one("#verdict").content)
        assert verdict.startswith("Permanent failure")
        findings = screen.query_one("#findings", OptionList)
        assert findings.option_count == 1
        await pilot.press("tab", "enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.current is not None and main.current.code == "5.7.26"


async def test_explain_screen_escape_goes_back(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        await pilot.press(*"[bold]", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_explain_pressed_while_quitting_is_harmless(repo: Repository) -> None:
    """q then e in one burst: the explain screen arrives while the app closes, and must not fail."""
    app = SmtpTuiApp(repo, codes=("211", "452"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app._driver is not None
        for key in "qex":  # one burst, as a fast typist or a paste delivers them
            app._driver.send_message(events.Key(key, key))
        await pilot.pause()
    assert app.return_code == 0


async def test_explain_screen_shows_how_often_and_where_a_grouped_finding_stands(
    repo: Repository,
) -> None:
    """A run of identical replies is one finding: the screen says ×count and the line range,
    as the CLI does."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        screen.query_one(TextArea).text = "220 mx ready\n" + "452 4.2.2 mailbox full\n" * 5
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        findings = screen.query_one("#findings", OptionList)
        prompts = [str(findings.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts[0].startswith("line 1    220\n")
        assert prompts[1].startswith("lines 2–6 452 4.2.2 ×5\n")
