"""The probe and log screens, and the documents they share with ``smtp-tui probe`` and ``log``.

Servers are real and on 127.0.0.1: aiosmtpd (tests/transcript_server.py) and the scripted servers
of tests/unit/test_probe.py, which record what they received; a probe never sends DATA.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from smtp_tui.cli import commands as cli
from smtp_tui.cli import log as cli_log
from smtp_tui.cli import render, terminal
from smtp_tui.cli.args import build_parser
from smtp_tui.core.display import CodeRows, Fact, SectionKey, text_of
from smtp_tui.core.display.log import log_document
from smtp_tui.core.display.markdown import markdown
from smtp_tui.core.display.probe import probe_document
from smtp_tui.core.maillog import MailLog, Summary, lines_of
from smtp_tui.core.probe import probe
from smtp_tui.core.probe_report import Failure, Outcome, Stage
from smtp_tui.core.probe_request import ProbeRequestError, parse_request
from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.code import CodeScreen
from smtp_tui.tui.screens.log import LogScreen
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.screens.probe import ProbeScreen
from smtp_tui.tui.widgets import document
from tests.transcript_server import scripted_server
from tests.unit.test_probe import FORBIDDEN, Server, no_dns

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "maillogs" / "real-postfix-3.7.log"


HUNG_UP = threading.Event()
"""Set by the tarpit when the probe closes the connection."""


@pytest.fixture
def tarpit() -> Iterator[Server]:
    """A server that accepts the connection and then never says a word."""
    HUNG_UP.clear()

    def silent(conn: socket.socket, server: Server) -> None:
        conn.settimeout(30)
        with contextlib.suppress(OSError):
            while conn.recv(1024):
                pass
            HUNG_UP.set()

    server = Server(script=silent)
    server.start()
    yield server
    server.stop()
    assert not [line for line in server.received if line.upper().startswith(FORBIDDEN)]


async def until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.05)


def options_text(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


# --- documents ---------------------------------------------------------------------------------


def test_a_probe_session_is_one_document_for_every_front_end(repo: Repository) -> None:
    with scripted_server("rcpt-unknown") as port:
        report = probe(
            "127.0.0.1", port=port, rcpts=["a@b.example"], timeout=5, resolver=no_dns,
            repository=repo,
        )  # fmt: skip
    doc = probe_document(report, repo)
    steps = [part for part in doc.sections if part.key is SectionKey.STEPS]
    assert [part.heading for part in steps] == [step.stage.value for step in report.steps]
    assert doc.keys()[len(steps) :] == (SectionKey.VERDICT, SectionKey.CAPABILITIES)
    rcpt = next(part for part in steps if part.heading == "rcpt")
    rows = next(block for block in rcpt.blocks if isinstance(block, CodeRows)).rows
    assert [row.code for row in rows] == ["550", "5.1.1"]
    assert rows[1].name == repo.get("5.1.1").name
    facts = {block.label: text_of(block.text) for block in rcpt.blocks if isinstance(block, Fact)}
    assert facts["reason"].startswith("userunknown")
    verdict = doc.section(SectionKey.VERDICT)
    assert verdict is not None and text_of(verdict.blocks[0].text) == "rejected"  # type: ignore[union-attr]
    # The three renderers take it as it is.
    out = io.StringIO()
    render.document(doc, terminal.Writer(out, terminal.Style(False), 100))
    assert "C: RCPT TO:<a@b.example>" in out.getvalue()
    assert "## rcpt" in markdown(doc)
    assert "5.1.1" in document.document(doc).plain


def test_a_log_summary_rows_open_codes_and_name_commands_only_for_the_terminal(
    repo: Repository,
) -> None:
    log = MailLog(year=2026)
    summary = Summary(log.stats)
    with SAMPLE.open("rb") as stream:
        for delivery in log.read(lines_of(stream, log.stats)):
            summary.add(delivery)
    doc = log_document(summary, str(SAMPLE), 5, repo, commands=False)
    assert doc.keys()[0] is SectionKey.TOTALS
    tops = [part for part in doc.sections if part.key is SectionKey.TOP]
    assert [part.heading for part in tops][:2] == [
        "Top reasons for failures",
        "Top codes of failures",
    ]
    codes = tops[1].blocks[0]
    assert isinstance(codes, CodeRows)
    assert codes.rows[0].code == "5.1.1" and codes.rows[0].note == "×7"
    assert codes.rows[0].name == repo.get("5.1.1").name
    assert "smtp-tui show" not in document.document(doc).plain  # the path may hold "smtp-tui"
    with_commands = log_document(summary, str(SAMPLE), 5, repo)
    assert "smtp-tui show 5.1.1" in document.document(with_commands).plain


# --- what a probe is asked -----------------------------------------------------------------------


def test_the_screen_reads_a_probe_with_the_command_lines_rules() -> None:
    request = parse_request("mx.example.org --port 2525 --rcpt a@b.example --rcpt c@d.example")
    assert (request.target, request.port) == ("mx.example.org", 2525)
    assert request.rcpts == ("a@b.example", "c@d.example")
    for bad in (
        "mx --port 99999",
        "mx --bogus",
        "mx --timeout 0",
        "'mx",
        "a b",
        "mx --auth-user u",
    ):
        with pytest.raises(ProbeRequestError):
            parse_request(bad)


def test_a_stopped_probe_ends_at_once_even_while_the_server_is_silent(tarpit: Server) -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    report = probe("127.0.0.1", port=tarpit.port, timeout=20, resolver=no_dns, cancel=cancel)
    assert time.monotonic() - started < 2
    assert report.outcome is Outcome.ERROR and report.failed_stage is Stage.CONNECT
    assert Failure.STOPPED.value and "stopped" in report.summary


# --- the probe screen ----------------------------------------------------------------------------


async def open_probe(pilot: Pilot[None]) -> ProbeScreen:
    await pilot.press("down", "p")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ProbeScreen)
    return screen


async def test_the_probe_screen_shows_each_step_the_verdict_and_opens_a_reply(
    repo: Repository,
) -> None:
    app = SmtpTuiApp(repo)
    with scripted_server("rcpt-unknown") as port:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_probe(pilot)
            assert screen.query_one(Input).has_focus
            target = f"127.0.0.1 --port {port} --rcpt a@b.example --helo probe.test"
            await pilot.press(*target, "enter")
            await until(pilot, lambda: screen.report is not None)
            stages = [step.stage.value for step in screen.steps]
            assert stages == ["connect", "greeting", "ehlo", "mail", "rcpt", "rset", "quit"]
            steps = screen.step_list
            shown = options_text(steps)
            assert any(text.startswith("rcpt\nC: RCPT TO:<a@b.example>") for text in shown)
            assert "verdict: rejected" in str(screen.query_one("#probe-status").content)
            assert steps.has_focus
            steps.highlighted = steps.get_option_index("step-4")  # rcpt
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CodeScreen) and app.screen.code == "5.1.1"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen  # the session is still there to read
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)


async def test_the_probe_screen_answers_keys_while_a_server_says_nothing(
    repo: Repository, tarpit: Server
) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_probe(pilot)
        await pilot.press(*f"127.0.0.1 --port {tarpit.port} --timeout 30", "enter")
        await until(pilot, lambda: [step.stage for step in screen.steps] == [Stage.CONNECT])
        # The greeting never comes; the screen still takes keys at once.
        started = time.monotonic()
        await pilot.press("shift+tab", "x")
        assert screen.query_one(Input).value == "x"
        assert time.monotonic() - started < 2
        assert screen.report is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert HUNG_UP.wait(2)  # the probe stopped and hung up, not after its 30 s timeout


async def test_a_bad_probe_is_one_line_on_the_screen(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_probe(pilot)
        await pilot.press(*"mx.example --port 99999", "enter")
        await pilot.pause()
        status = str(screen.query_one("#probe-status").content)
        assert "99999" in status and "\n" not in status
        assert screen.report is None and not screen.steps


async def test_the_palette_offers_the_probe_and_the_log(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        commands["Probe a mail server…"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ProbeScreen)
        await pilot.press("escape")
        await pilot.pause()
        commands["Open a mail log…"].callback()
        await pilot.pause()
        assert isinstance(app.screen, LogScreen) and app.screen.query_one(Input).has_focus


# --- the log screen ------------------------------------------------------------------------------


async def test_the_log_screen_sums_up_a_log_and_opens_a_rows_code(repo: Repository) -> None:
    app = SmtpTuiApp(repo, log=str(SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogScreen)
        await until(pilot, lambda: screen.summary is not None)
        rows = screen.query_one("#log-rows", OptionList)
        shown = options_text(rows)
        assert "Totals" in shown and any("6  bounced" in row for row in shown)
        assert any(row.startswith("5.1.1   Bad destination mailbox address") for row in shown)
        assert rows.has_focus
        assert screen.targets[rows.highlighted or 0] == "5.1.1"  # the first row that opens
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen) and app.screen.code == "5.1.1"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_log_that_cannot_be_read_is_one_line(repo: Repository, tmp_path: Path) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        app.screen.action_open_log()  # type: ignore[attr-defined]
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogScreen)
        await pilot.press(*str(tmp_path / "missing.log"), "enter")
        await until(pilot, lambda: "No such file" in str(screen.query_one("#log-status").content))
        assert screen.summary is None and screen.query_one(Input).has_focus


class _Terminal(io.StringIO):
    buffer = io.BytesIO()

    def isatty(self) -> bool:
        return True


def test_log_in_a_terminal_opens_the_browser_and_piped_it_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[object] = []

    def browser(*args: object, **kwargs: object) -> int:
        opened.append(kwargs.get("log"))
        return 0

    monkeypatch.setattr(cli, "launch_browser", browser)
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("sys.stdout", _Terminal())
    assert cli.main(["log", str(SAMPLE)]) == 0
    assert [log[0] for log in opened if isinstance(log, tuple)] == [str(SAMPLE)]
    assert cli.main(["log", str(SAMPLE), "--json"]) == 0  # --json prints, as before
    assert cli.main(["log", "/nonexistent/mail.log"]) == 2  # the one-line error, no screen
    assert len(opened) == 1
    monkeypatch.undo()
    assert (
        cli_log.browsable(build_parser().parse_args(["log", str(SAMPLE)]), io.StringIO()) is False
    )


def test_the_screens_keys_have_words_in_the_catalogue() -> None:
    from textual.binding import Binding

    from smtp_tui.core import i18n

    english = i18n.catalogue(i18n.DEFAULT)
    for screen in (ProbeScreen, LogScreen, CodeScreen, MainScreen):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding) and binding.id
            if not binding.id.startswith("related-"):
                assert english.lookup(f"binding.{binding.id}"), binding.id


async def test_a_long_log_shows_its_progress_while_it_is_read(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtp_tui.tui.screens import log as log_screen

    path = tmp_path / "mail.log"
    path.write_bytes(SAMPLE.read_bytes() * 400)  # 40k lines
    monkeypatch.setattr(log_screen, "PROGRESS_EVERY", 0)
    seen: list[str] = []
    shown = LogScreen._status
    monkeypatch.setattr(
        LogScreen,
        "_status",
        lambda self, content: (seen.append(content.plain), shown(self, content)),
    )
    app = SmtpTuiApp(repo, log=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogScreen)
        await until(pilot, lambda: screen.summary is not None, seconds=60)
    assert any(line.startswith("reading the log:") and "%)" in line for line in seen)
    assert seen[-1].startswith("Mail log summary:")


def test_a_stoppable_probe_still_names_a_refused_connection() -> None:
    """The probe the screen runs connects its own way (to look at the stop signal while it waits):
    a port nobody listens on is still "refused", not an error of ours."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    report = probe("127.0.0.1", port=port, timeout=2, resolver=no_dns, cancel=threading.Event())
    assert [step.failure for step in report.steps] == [Failure.REFUSED]
    assert report.outcome is Outcome.UNREACHABLE
