"""The CLI as a user runs it: in a subprocess, reading stdout, stderr and the exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "100", **(env or {})}
    environment.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "smtp_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=ROOT,
    )


def test_show_prints_every_section() -> None:
    result = run("show", "452")
    assert result.returncode == 0, result.stderr
    for heading in ("Description", "When you see it", "How to fix", "When a server sends it"):
        assert f"\n{heading}\n" in result.stdout
    assert "RFC 5321 §4.5.3.1.10" in result.stdout
    assert "\nLearn more\n  RFC 5321  https://www.rfc-editor.org/rfc/rfc5321\n" in result.stdout
    assert "552" in result.stdout.split("Related", 1)[1]


def test_no_colour_when_piped_and_colour_when_asked() -> None:
    assert "\x1b[" not in run("show", "452").stdout
    assert "\x1b[" in run("show", "452", "--color", "always").stdout


def test_lines_wrap_to_the_width_without_breaking_words() -> None:
    result = run("show", "550", env={"COLUMNS": "60"})
    lines = result.stdout.splitlines()
    # A web address is the one thing let past the edge: folded, it would not be one link.
    addresses = [line for line in lines if line.strip().startswith("<https://")]
    assert addresses and all(" " not in line.strip() for line in addresses)
    assert max(len(line) for line in lines if line not in addresses) <= 60
    # The JSON holds the same prose: joined again, the wrapped words must be it, word for word.
    prose = json.loads(run("show", "550", "--json").stdout)["description"]
    flowed = " ".join(result.stdout.split("Description", 1)[1].split("When you see it")[0].split())
    assert flowed == prose


def test_compare_shows_what_the_web_reference_shows_and_more() -> None:
    result = run("compare", "211", "452")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("211 vs 452")
    assert out.count("Description") == 2 and out.count("How to fix") == 2
    assert out.count("When you see it") == 2
    assert "Key differences" in out and "   1. Class" in out
    assert "When to use which" in out
    # The reference page's last section, after the advice: each RFC either code cites.
    learn = out[out.index("Learn more") :]
    assert out.index("When to use which") < out.index("Learn more")
    assert "RFC 5321  https://www.rfc-editor.org/rfc/rfc5321" in learn


def test_compare_explains_counterparts() -> None:
    out = run("compare", "552", "452").stdout
    assert out.startswith("452 vs 552")
    assert "same condition" in out and "counterparts" in out


def test_list_has_every_code_and_filters_by_class() -> None:
    everything = json.loads(run("list", "--json").stdout)
    assert everything["count"] >= 50
    fours = json.loads(run("list", "--class", "4", "--json").stdout)
    assert fours["class"] == "4xx"
    assert {code["class"] for code in fours["codes"]} == {"4xx"}
    text = run("list").stdout
    for code in ("211", "452", "521", "556", "253", "453"):
        assert f"\n{code}  " in "\n" + text


def test_json_schema_of_a_code() -> None:
    data = json.loads(run("show", "452", "--json").stdout)
    for key in ("family", "code", "name", "class", "description", "when", "fix", "rfc", "standard"):
        assert key in data
    assert data["family"] == "basic" and data["class"] == "4xx" and data["counterpart"] == "552"
    assert set(data["fix"]) == {"sender", "admin"}


def test_json_schema_of_a_comparison() -> None:
    data = json.loads(run("compare", "452", "552", "--json").stdout)
    assert data["counterparts"] is True
    assert [code["code"] for code in data["codes"]] == ["452", "552"]
    assert isinstance(data["key_differences"], list) and len(data["key_differences"]) >= 6
    assert set(data["when_to_use"]) == {"server", "sender"}
    assert data["summary"].startswith("452 (")


def test_search_ranks_and_reports_misses() -> None:
    found = json.loads(run("search", "45", "--json").stdout)
    assert [code["code"] for code in found["codes"]][:3] == ["450", "451", "452"]
    miss = run("search", "[bold]zzz")
    assert miss.returncode == 1
    assert "no code matches '[bold]zzz'" in miss.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("show", "999"), "unknown code 999; did you mean"),
        (("show", "45"), "did you mean 450, 451, 452?"),
        (("show", "\x1b[31mred"), "not a code: '\\x1b[31mred'"),
        (("compare", "452", "452"), "cannot compare 452 with itself"),
        (("compare", "452"), "the following arguments are required: second"),
        (("list", "--class", "7"), "invalid choice"),
        (("frobnicate",), "unknown command 'frobnicate'; commands: show, compare, list, search"),
        (("shwo", "452"), "unknown command 'shwo'; did you mean 'show'?"),
        (("1", "2", "3"), "give at most two codes"),
        (("--nope",), "unrecognized arguments"),
    ],
)
def test_errors_are_one_line_with_status_2(args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr


def test_a_broken_data_file_is_one_line_naming_file_entry_and_field(tmp_path: Path) -> None:
    basic = tmp_path / "basic"
    basic.mkdir()
    (basic / "x.toml").write_text('[[code]]\ncode = "452"\nname = ""\n', encoding="utf-8")
    result = run("show", "452", "--data", str(tmp_path))
    assert result.returncode == 2
    message = "x.toml:1: entry 452: field 'name': must be non-empty text"
    assert result.stderr.strip().endswith(message)
    assert result.stderr.count("\n") == 1


def test_version_of_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "compare" in result.stdout and "smtp-tui 211 452" in result.stdout


def test_enhanced_codes_on_the_command_line() -> None:
    data = json.loads(run("show", "5.7.26", "--json").stdout)
    assert data["family"] == "enhanced" and data["class"] == "5.X.X"
    assert data["registry_code"] == "X.7.26" and "550" in data["reply_codes"]
    listed = json.loads(run("list", "--family", "enhanced", "--json").stdout)
    assert listed["family"] == "enhanced"
    assert {code["family"] for code in listed["codes"]} == {"enhanced"}
    basic = json.loads(run("show", "452", "--json").stdout)
    assert basic["family"] == "basic"
    out = run("compare", "5.2.2", "4.2.2").stdout
    assert out.startswith("4.2.2 vs 5.2.2")
    assert "transient" in out and "bounces" in out
    found = json.loads(run("search", "5.7", "--json").stdout)
    assert all(code["code"].startswith("5.7.") for code in found["codes"])


def run_with(
    args: tuple[str, ...], timeout: float = 10, **streams: object
) -> subprocess.CompletedProcess[bytes]:
    """`smtp-tui` with the standard streams given (a pipe, /dev/null, a closed pipe...)."""
    environment = {**os.environ, "COLUMNS": "100"}
    environment.pop("TEXTUAL_DRIVER", None)
    options: dict[str, object] = {
        "stdin": None,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
    }
    options.update(streams)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "smtp_tui", *args],
        env=environment,
        timeout=timeout,
        cwd=ROOT,
        **options,
    )


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode()
    assert text.count("\n") == 1, text
    assert "Traceback" not in text and "Exception ignored" not in text, text
    return text


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        ((), subprocess.DEVNULL),  # cron, `smtp-tui </dev/null`
        (("452",), subprocess.PIPE),  # `echo 452 | smtp-tui`
        (("452", "--data", "data"), subprocess.DEVNULL),
    ],
)
def test_the_browser_without_a_terminal_says_so_at_once(args: tuple[str, ...], stdin: int) -> None:
    started = time.monotonic()
    if stdin == subprocess.PIPE:
        result = run_with(args, input=b"452\n")
    else:
        result = run_with(args, stdin=stdin)
    assert time.monotonic() - started < 5  # a regression spins forever: the timeout fails it
    assert result.returncode == 2
    assert "needs a terminal" in one_error_line(result)
    assert "smtp-tui explain -" in result.stderr.decode()
    assert result.stdout == b""


def test_the_browser_without_a_terminal_on_stdout_says_so(tmp_path: Path) -> None:
    """stdin a terminal (a pty), stdout a pipe: `smtp-tui | less` must not start the app."""
    import pty

    leader, follower = pty.openpty()
    try:
        result = run_with((), stdin=follower, stdout=subprocess.PIPE)
    finally:
        os.close(leader)
        os.close(follower)
    assert result.returncode == 2
    assert "needs a terminal" in one_error_line(result)


@pytest.mark.parametrize(
    "args", [("list",), ("show", "452", "--json"), ("--version",), ("--help",), ("452", "-h")]
)
def test_output_to_a_full_disk_is_one_line_and_status_2(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        result = run_with(args, stdout=full)
    assert result.returncode == 2
    assert "cannot write the output: No space left on device" in one_error_line(result)


def test_output_to_a_closed_stdout_is_one_line_and_status_2() -> None:
    """`smtp-tui list >&-`: Python starts with sys.stdout None."""
    result = run_with(("list",), stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert "cannot write the output: standard output is closed" in one_error_line(result)


@pytest.mark.parametrize("args", [("list",), ("show", "452", "--json"), ("list", "--json")])
def test_output_to_a_closed_pipe_is_one_line_and_status_141(args: tuple[str, ...]) -> None:
    """The reader left before we wrote (`| head -1` that already has its line)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = run_with(args, stdout=writer)
    finally:
        os.close(writer)
    assert result.returncode == 141
    assert "the reader closed the pipe" in one_error_line(result)


def test_json_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    """A write is all of the document: the JSON a reader gets always parses."""
    out = tmp_path / "out.json"
    with out.open("wb") as stream:
        result = run_with(("list", "--json"), stdout=stream)
    assert result.returncode == 0
    assert json.loads(out.read_text())["count"] >= 50


def broken_data(tmp_path: Path) -> Path:
    (tmp_path / "basic").mkdir()
    (tmp_path / "basic" / "x.toml").write_text('[[code]]\ncode = "452"\nname = ""\n', "utf-8")
    return tmp_path


@pytest.mark.parametrize("order", ["after", "before", "equals"])
def test_the_browser_takes_data_like_every_command(tmp_path: Path, order: str) -> None:
    """Run on a terminal (a pty), so the browser would start: the broken data stops it first."""
    import pty

    data = str(broken_data(tmp_path))
    args = {
        "after": ("452", "--data", data),
        "before": ("--data", data, "452"),
        "equals": (f"--data={data}",),
    }[order]
    leader, follower = pty.openpty()
    try:
        result = run_with(args, stdin=follower, stdout=follower)
    finally:
        os.close(leader)
        os.close(follower)
    assert result.returncode == 2
    assert one_error_line(result).endswith("field 'name': must be non-empty text\n")


@pytest.mark.parametrize(
    "args",
    [
        ("serve", "--port", "1", "--data", "{data}"),
        ("--data", "{data}", "serve", "--port", "1"),
        ("--data", "{data}", "show", "452"),
    ],
)
def test_serve_takes_data_like_every_command(tmp_path: Path, args: tuple[str, ...]) -> None:
    data = str(broken_data(tmp_path))
    result = run(*(arg.format(data=data) for arg in args))
    assert result.returncode == 2
    assert result.stderr.endswith("field 'name': must be non-empty text\n")


@pytest.mark.parametrize("args", [("452", "-h"), ("211", "452", "--help"), ("-h",)])
def test_help_after_codes_is_help(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: smtp-tui")
    assert "--data DIR" in result.stdout and "--version" in result.stdout


def test_version_comes_from_the_package_metadata() -> None:
    from importlib import metadata

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"smtp-tui {metadata.version('smtp-tui')}\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "452"],
        ["show", "5.1.1", "--json"],
        ["show", "--json", "452"],
        ["show", ""],
        ["show", "list"],
        ["compare", "450", "550"],
        ["compare", "--json", "4.2.2", "5.2.2", "--json"],
        ["list"],
        ["list", "--json"],
        ["search", "mailbox"],
        ["search", "mail", "box", "--json"],
        ["search", "550 5.1.1", "a=b"],
    ],
)
def test_quick_lookup_arguments_are_argparse_s(argv: list[str]) -> None:
    """The plain lookups skip building the parser; they must get exactly argparse's namespace
    (a new option with a default on one of them has to be added to `quick_args` too)."""
    from smtp_tui.cli.args import build_parser
    from smtp_tui.cli.argv import quick_args

    quick = quick_args(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["452"],
        ["--json", "show", "452"],
        ["show"],
        ["show", "452", "550"],
        ["show", "452", "-h"],
        ["show", "452", "--color", "never"],
        ["show", "452", "--js"],
        ["show", "-1"],
        ["show", "--", "452"],
        ["compare", "450"],
        ["list", "extra"],
        ["list", "--class", "4"],
        ["search"],
        ["search", "--json"],
        ["explain", "550"],
        ["serve"],
    ],
)
def test_other_arguments_go_to_argparse(argv: list[str]) -> None:
    """Help, errors, abbreviations and every other option stay argparse's alone."""
    from smtp_tui.cli.argv import quick_args

    assert quick_args(argv) is None


def test_the_browser_and_serve_run_through_the_launchers_the_entry_point_gives(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI imports no other front end: the entry point hands it the browser and the web
    server; the codes reach the browser checked, and a wrong one never starts it."""
    from smtp_tui.cli.commands import FrontEnds, main

    calls: list[tuple[object, ...]] = []

    def browse(repo, codes, settings, notes, log=None) -> int:
        calls.append(("browse", codes, repo.get(codes[0]).code if codes else None))
        return 7

    def serve(host, port, language, data) -> int:
        calls.append(("serve", host, port, language, data))
        return 0

    front_ends = FrontEnds(browse=browse, serve=serve)
    monkeypatch.setenv("TEXTUAL_DRIVER", "headless")  # a driver chosen: no terminal needed
    assert main(["211", " 452"], front_ends) == 7
    assert main([], front_ends) == 7
    assert main(["serve", "--port", "8123"], front_ends) == 0
    assert main(["999"], front_ends) == 2
    assert calls == [
        ("browse", ("211", "452"), "211"),
        ("browse", (), None),
        ("serve", "127.0.0.1", 8123, None, None),
    ]
    assert capsys.readouterr().err.count("\n") == 1  # the unknown code, in one line


def test_what_the_entry_point_imports_is_frozen_and_the_collector_runs_after() -> None:
    """The collector is held off while the CLI is imported, and what the import made is frozen
    (never scanned again, nor at exit): a sixth of a lookup's CPU time. It must run again for
    the command itself, or `explain` on a large input would keep every cycle it makes."""
    script = (
        "import gc, sys\n"
        "from smtp_tui.console import main\n"
        "main(['show', '452', '--json'])\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 10_000, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.stderr.splitlines()[-1] == "True True"


def test_show_says_what_providers_mean_as_the_browser_does(tmp_path: Path) -> None:
    shown = run("show", "5.4.1")
    assert shown.returncode == 0, shown.stderr
    providers = shown.stdout.split("\nWhat providers mean by it\n", 1)[1].split("\n\n")[0]
    assert "Microsoft 365" in providers and "userunknown" in providers
    assert "What providers mean by it" not in run("show", "354").stdout
    as_json = json.loads(run("show", "5.4.1", "--json").stdout)["providers"]
    microsoft = [use for use in as_json if use["provider"] == "microsoft"]
    assert microsoft and microsoft[0]["code"] == "550 5.4.1" and microsoft[0]["bounce"] == "hard"
    assert json.loads(run("show", "354", "--json").stdout)["providers"] == []
    # A broken provider file costs that section and a warning, never the answer.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "providers" / "microsoft.toml").write_text("[[entry]\n")
    broken = run("show", "5.4.1", "--data", str(data))
    assert broken.returncode == 0
    assert "Description" in broken.stdout and "What providers mean" not in broken.stdout
    assert broken.stderr.count("\n") == 1 and "microsoft.toml" in broken.stderr


def test_show_takes_a_reply_as_a_log_writes_it() -> None:
    """Pasted from a bounce or a log, a reply comes as its code and enhanced code together."""
    both = run("show", "550", "5.1.1")
    assert both.returncode == 0, both.stderr
    first, second = both.stdout.split("─" * 100)
    assert first.startswith("550  ") and second.lstrip("\n").startswith("5.1.1  ")
    assert "\nWhat providers mean by it\n" in second
    assert run("show", "550 5.1.1").stdout == both.stdout == run("show", "550-5.1.1").stdout
    codes = json.loads(run("show", "550", "5.1.1", "--json").stdout)["codes"]
    assert [code["code"] for code in codes] == ["550", "5.1.1"] and "providers" in codes[1]
    for words in (("550", "552"), ("5.1.1", "550"), ("550", "mailbox")):
        wrong = run("show", *words)
        assert wrong.returncode == 2 and wrong.stdout == ""
        assert wrong.stderr.count("\n") == 1 and "(550 5.1.1)" in wrong.stderr
