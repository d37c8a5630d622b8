"""`explain` on input without end: bounded reading, Ctrl+C, and a scan that stays linear.

The memory checks run the CLI in a child of a small Python wrapper, so that the peak RSS
reported by `RUSAGE_CHILDREN` is that of the one command (a pytest worker's own children would
otherwise be counted too). They use small limits to stay fast; the 50 MB default is measured by
hand (see the benchmark).
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from smtp_tui.cli import args as cli_args
from smtp_tui.cli.render import diagnosis as render_diagnosis
from smtp_tui.cli.terminal import Pending, Style, Writer
from smtp_tui.core import diagnosis
from smtp_tui.core.diagnosis import diagnose, diagnosis_to_dict
from smtp_tui.core.repository import Repository
from smtp_tui.core.scanner import Finding, finder, grouping, scan

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

PEAK_OF_CHILD = """
import resource, subprocess, sys
shell = sys.argv[1]
result = subprocess.run(shell, shell=True, capture_output=True, timeout=120)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(f"{result.returncode} {peak}\\n")
sys.stdout.buffer.write(result.stderr)
"""
"""Runs one shell command; prints its exit status and the peak RSS (KiB) of its processes."""


def run_measured(shell: str) -> tuple[int, int, str]:
    """The exit status, peak RSS in bytes and stderr of `shell`, run from the project root."""
    environment = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILD, shell],
        capture_output=True,
        text=True,
        env=environment,
        timeout=180,
        cwd=ROOT,
    )
    head, _, stderr = done.stdout.partition("\n")
    status, peak = head.split()
    return int(status), int(peak) * 1024, stderr


SMTP_TUI = f"{sys.executable} -m smtp_tui"


def test_dev_zero_is_read_up_to_the_limit_and_says_so() -> None:
    status, peak, stderr = run_measured(f"{SMTP_TUI} explain --file /dev/zero --max-bytes 8M")
    assert status == 1  # NULs are no codes
    assert stderr.splitlines() == [
        "smtp-tui: read the first 8 MB of '/dev/zero'; the rest was not read"
        " (--max-bytes sets the limit)"
    ]
    assert peak < 200 * MB


def test_an_endless_pipe_of_one_reply_is_one_finding_in_bounded_memory(tmp_path: Path) -> None:
    out = shlex.quote(str(tmp_path / "out.json"))  # not in the root, where other workers write
    status, peak, stderr = run_measured(
        f"yes '550 5.1.1 x' | {SMTP_TUI} explain --json --max-bytes 12M > {out};"
        f" status=$?; cat {out} >&2; exit $status"
    )
    assert status == 0, stderr
    note, _, output = stderr.partition("\n")
    assert note.startswith("smtp-tui: read the first 12 MB of standard input; the rest was not")
    findings = json.loads(output)["findings"]
    assert [(f["code"], f["line"], f["count"]) for f in findings[:2]] == [
        ("550", 1, 1_000_000),
        ("5.1.1", 1, 1_000_000),
    ]
    assert findings[0]["last_line"] == 1_000_000
    assert peak < 200 * MB


def test_input_under_the_limit_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bounce.txt"
    path.write_text("550 5.1.1 gone\n" * 3)
    done = subprocess.run(
        [sys.executable, "-m", "smtp_tui", "explain", "--file", str(path), "--max-bytes", "45"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert "550 5.1.1 ×3" in done.stdout and "lines 1–3" in done.stdout


@pytest.mark.parametrize(
    ("text", "size"),
    [("500000", 500_000), ("64K", 64_000), ("10M", 10**7), ("1GB", 10**9), ("16MiB", 16 * MB)],
)
def test_sizes_as_people_write_them(text: str, size: int) -> None:
    assert cli_args.size(text) == size


@pytest.mark.parametrize("text", ["", "0", "10Q", "M", "-5M", "1.5M", "ten"])
def test_sizes_that_are_not(text: str) -> None:
    with pytest.raises(ValueError):
        cli_args.size(text)


def test_ctrl_c_while_reading_a_pipe_that_never_pauses() -> None:
    """A single read() of a pipe that always has data never returns to Python, so a Ctrl+C
    used to wait until the pipe ended; read in chunks, it stops the command at once."""
    child = subprocess.Popen(
        [sys.executable, "-m", "smtp_tui", "explain", "--max-bytes", "50M"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdin is not None
    block = b"hello world, no codes here\n" * 40_000  # about 1 MB
    interrupted = threading.Event()

    def feed() -> None:
        assert child.stdin is not None
        try:
            for sent in range(40):  # 40 MB at most, under the 50 MB given; then the pipe idles
                child.stdin.write(block)
                if sent == 8:
                    child.send_signal(signal.SIGINT)
                    interrupted.set()
        except (BrokenPipeError, ValueError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        status = child.wait(timeout=10)
        assert child.stderr is not None
        stderr = child.stderr.read()
    finally:
        child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout, child.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.close()  # type: ignore[union-attr]
        writer.join(timeout=5)
    assert interrupted.is_set()
    assert status == 130
    assert b"Traceback" not in stderr


def test_ctrl_c_while_waiting_for_a_pipe() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "smtp_tui", "explain", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdin is not None
    child.stdin.write(b"550 5.1.1 x\n")
    child.stdin.flush()
    time.sleep(1.0)  # started and waiting for more
    child.send_signal(signal.SIGINT)
    try:
        _, stderr = child.communicate(timeout=10)
    finally:
        child.kill()
    assert child.returncode == 130
    assert b"Traceback" not in stderr


# --- The scan: identical lines grouped, every step linear ---------------------------------------


def test_identical_lines_are_one_finding_with_a_count() -> None:
    result = scan("Hello\n" + "550 5.1.1 <a@example.org> gone\n" * 100_000 + "bye 250 2.0.0 ok")
    assert [(f.code, f.line, f.end, f.count) for f in result.findings] == [
        ("550", 2, 100_001, 100_000),
        ("5.1.1", 2, 100_001, 100_000),
        ("250", 100_002, 100_002, 1),
        ("2.0.0", 100_002, 100_002, 1),
    ]
    assert result.total == 200_002
    assert result.outcome == "permanent" and result.deciding == result.findings[0]
    assert len(result.lines) == 100_002
    assert result.lines[0] == "Hello" and result.lines[-1] == "bye 250 2.0.0 ok"
    assert result.lines[50_000] == "550 5.1.1 <a@example.org> gone"


def test_two_identical_lines_are_grouped_too_and_json_keeps_every_key(repo: Repository) -> None:
    text = "220 mx ready\n452 4.2.2 full\n452 4.2.2 full\n221 bye"
    result = diagnose(text, repo)
    entries = diagnosis_to_dict(result)["findings"]
    assert isinstance(entries, list)
    assert [(e["code"], e["line"], e["count"], e["last_line"]) for e in entries] == [
        ("220", 1, 1, 1),
        ("452", 2, 2, 3),
        ("4.2.2", 2, 2, 3),
        ("221", 4, 1, 4),
    ]
    old_keys = {"code", "family", "line", "role", "pair", "context", "name", "known", "mismatch"}
    assert all(old_keys < set(entry) for entry in entries)
    assert [(item.label, item.line, item.end, item.count) for item in result.items][1] == (
        "452 4.2.2",
        2,
        3,
        2,
    )


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Counts the calls of `owner.name` from now on: the operations a test may compare."""
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_run_of_identical_lines_is_judged_three_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long run is scanned as its first line, one middle line and its last: 4 million
    identical replies are not 4 million judgements, nor 4 million objects."""
    calls = _counting(monkeypatch, finder.Finder, "_basic")
    findings = _counting(monkeypatch, grouping, "Finding")
    scan("550 5.1.1 x\n" * 200_000)
    assert calls[0] == 3
    assert findings[0] <= 12


class _CountingFindings(Sequence[Finding]):
    """Findings that count how often one is looked at."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = findings
        self.reads = 0

    def __len__(self) -> int:
        return len(self.findings)

    def __getitem__(self, index: int) -> Finding:  # type: ignore[override]
        self.reads += 1
        return self.findings[index]

    def __iter__(self) -> Iterator[Finding]:
        for finding in self.findings:
            self.reads += 1
            yield finding


def _reads_to_group(lines: int, repo: Repository) -> int:
    """How many findings `diagnosis._items` reads for `lines` Postfix replies wrapped in two,
    each with its enhanced code on the next line."""
    text = "".join(f"host mx{n} said: 550\n5.1.1 <u{n}@example.org> gone\n" for n in range(lines))
    counting = _CountingFindings(scan(text).findings)
    diagnosis._items(counting, repo)  # type: ignore[arg-type]
    return counting.reads


def test_grouping_findings_into_items_reads_each_finding_a_few_times(repo: Repository) -> None:
    """The pair of a code wrapped onto the next line was looked for to the end of the text,
    for every such code."""
    small, large = _reads_to_group(500, repo), _reads_to_group(1000, repo)
    assert large <= 2.1 * small


def test_a_long_multi_line_item_keeps_a_short_context(repo: Repository) -> None:
    """The context of a multi-line reply was the whole run joined, copied once per line."""
    text = "".join(
        f"550 5.1.1 <user{n}@example.org>: Recipient address rejected\n" for n in range(20_000)
    )
    result = diagnose(text, repo)
    assert len(result.items) == 1
    assert (result.items[0].line, result.items[0].end, result.items[0].count) == (1, 20_000, 1)
    assert len(result.items[0].context) <= diagnosis.CONTEXT_LIMIT
    assert result.items[0].context.startswith("550 5.1.1 <user0@example.org>")


def test_binary_input_keeps_its_ascii_one_byte_a_character() -> None:
    """Random bytes decoded as UTF-8 (or as ISO-2022-JP, when they hold its escape) made a
    string of up to four bytes a character: 50 MB of /dev/urandom peaked at 780 MB."""
    noise = bytes(range(256)) * 64 + b"\x1b$B said: 550 5.1.1 gone\n" + bytes(range(255, -1, -1))
    result = scan(noise)
    assert all(line.isascii() for line in result.lines)
    assert [finding.code for finding in result.findings] == ["550", "5.1.1"]
    assert any("~????" in line for line in result.lines)
    assert not any("\x00" in line for line in result.lines)


def test_scan_lines_still_behave_as_the_tuple_they_were() -> None:
    result = scan("250 ok\n" + "452 4.2.2 full\n" * 5 + "221 bye")
    expected = ("250 ok", *["452 4.2.2 full"] * 5, "221 bye")
    assert result.lines == expected and list(result.lines) == list(expected)
    assert result.lines[1:3] == list(expected[1:3]) and result.lines[-1] == "221 bye"
    assert hash(result.lines) == hash(expected)
    assert hash(result) == hash(scan("250 ok\n" + "452 4.2.2 full\n" * 5 + "221 bye"))


DISTINCT_REPLIES = (
    f'{sys.executable} -c \'import itertools; [print(f"550 5.1.1 <u{{i}}@x.example> no such user")'
    " for i in itertools.count()]' 2>/dev/null"
)
"""An endless stream of reply lines, each different: no run of identical lines to shorten."""
FEW_KEPT = (
    "import sys, smtp_tui.core.scanner.grouping as e; e.KEPT_FINDINGS = 1000; "
    "from smtp_tui.cli.commands import main; sys.exit(main())"
)
"""The CLI with fewer findings kept, so that a small input already has a long middle."""


def test_an_endless_pipe_of_distinct_replies_keeps_its_ends_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Every distinct reply used to be kept as findings, about ten times the input (4 MB took
    219 MB, the 50 MB default 886 MB); the middle is now counted by code instead."""
    out = shlex.quote(str(tmp_path / "out.json"))
    status, peak, stderr = run_measured(
        f"{DISTINCT_REPLIES} | {sys.executable} -c '{FEW_KEPT}' explain --json --max-bytes 4M"
        f" > {out}; status=$?; cat {out} >&2; exit $status"
    )
    assert status == 0, stderr
    output = json.loads(stderr.partition("\n")[2])
    findings, left_out = output["findings"], output["left_out"]
    assert len(findings) <= 2 * 1000 + 2
    assert findings[0]["line"] == 1 and findings[0]["context"].startswith("550 5.1.1 <u0@")
    assert left_out["first_line"] == findings[999]["line"] + 1
    assert left_out["last_line"] + 1 == findings[-1000]["line"]
    lines = findings[-1]["line"]
    assert left_out["codes"] == {"550": left_out["count"] // 2, "5.1.1": left_out["count"] // 2}
    assert len(findings) + left_out["count"] == 2 * lines  # every code counted once
    assert output["outcome"] == "permanent" and output["deciding"]["line"] == lines
    assert peak < 80 * MB


def test_the_note_on_the_middle_and_a_deciding_code_in_it(
    monkeypatch: pytest.MonkeyPatch, repo: Repository
) -> None:
    monkeypatch.setattr(grouping, "KEPT_FINDINGS", 4)
    replies = [f"250 2.1.5 <u{i}@x.example> ok" for i in range(20)]
    replies[10] = "550 5.1.1 <gone@x.example> no such user"
    text = "\n".join(replies)
    result = diagnose(text, repo)
    monkeypatch.setattr(grouping, "KEPT_FINDINGS", 10**6)
    whole = diagnose(text, repo)
    assert (result.scan.outcome, result.reason) == (whole.scan.outcome, whole.reason)
    assert result.deciding is not None and result.deciding.line == 11
    assert [f.line for f in result.scan.findings] == [1, 1, 2, 2, 11, 11, 19, 19, 20, 20]
    assert result.scan.total == whole.scan.total == 40
    assert result.left_out == (
        "30 more codes on lines 3–18 are counted but not listed: 250 ×15, 2.1.5 ×15"
    )
    assert whole.left_out == "" and diagnosis_to_dict(whole)["left_out"] is None
    out = Pending(sys.stdout)
    render_diagnosis(result, Writer(out, Style(False), 100))
    assert "  30 more codes on lines 3–18 are counted" in out.getvalue()


SLOW_CLI_IMPORT = """
import importlib.abc, os, sys, time


class SlowCli(importlib.abc.MetaPathFinder):
    \"\"\"Makes the import of smtp_tui.cli.commands last seconds, and says when it starts.\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name == "smtp_tui.cli.commands":
            open(os.environ["IMPORT_STARTED"], "w").close()
            time.sleep(10)
        return None


sys.meta_path.insert(0, SlowCli())
"""


def test_ctrl_c_while_the_console_script_loads_is_quiet(tmp_path: Path) -> None:
    """A Ctrl+C in the first moments, while the CLI is imported, ends with 130 and no traceback.

    The console script of pyproject.toml is run as pip's wrapper runs it; a sitecustomize slows
    the import of the CLI down, so that the signal surely lands inside it.
    """
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["smtp-tui"].partition(":")
    (tmp_path / "sitecustomize.py").write_text(SLOW_CLI_IMPORT)
    started = tmp_path / "started"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; from {module} import {function}; sys.exit({function}())",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "IMPORT_STARTED": str(started)},
    )
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.01)
    assert started.exists()
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 130
    assert stderr == ""
