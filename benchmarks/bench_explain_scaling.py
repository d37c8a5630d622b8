"""Whether `explain` stays linear: time for N and 2N of input, against a plain regex pass.

Three texts, each at two sizes: a mass-bounce log dense with codes (5 and 10 MB; every line a
different reply, the same codes for long stretches, which once made a multi-line reply of the
whole stretch and copied it at every line), identical reply lines (80,000 and 160,000, the case
of ``yes "550 5.1.1 x" | smtp-tui explain``), and numbers that are not codes (``seq``). For each
it prints the CPU time to diagnose N and 2N and their ratio (about 2 is linear, 4 quadratic), beside
the same ratio for one regex pass over the same bytes, measured in the same run so that a busy
machine slows both alike. `--full` also runs the CLI on 50 MB of dense codes and on the endless
inputs (/dev/zero, `yes`) at the default 50 MB limit, and prints their time and peak memory.

Run it with `.venv/bin/python benchmarks/bench_explain_scaling.py` (or `make bench`).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smtp_tui.core.diagnosis import diagnose  # noqa: E402  (after the path is set)
from smtp_tui.core.loading import load  # noqa: E402
from smtp_tui.core.repository import Repository  # noqa: E402

SHAPES = (
    "550 5.1.1 <user{n}@example.org>: Recipient address rejected: User unknown in local table",
    "host mx{n}.example.net[192.0.2.7] said: 452 4.2.2 Mailbox full, try again later (in reply"
    " to RCPT TO command)",
    "Diagnostic-Code: smtp; 554 5.7.1 <client{n}.example.com[198.51.100.4]>: Client host rejected",
    "S: 250 2.1.5 <user{n}@example.org>... Recipient ok, queued as {n:X}",
    "421 4.7.0 mx{n}.example.com Too many concurrent SMTP connections; try again later",
)
STRETCH = 20_000
"""Lines in a row of one shape: a log of one failure repeated for many recipients."""

CODE_LIKE = re.compile(r"\b[2-5][0-9][0-9]\b|\b[245]\.[0-9]\.[0-9]{1,3}\b")
"""The baseline: one regex pass that finds what looks like a code, and judges nothing."""


def dense(size: int) -> bytes:
    """`size` bytes of a mass-bounce log: a code pair on every line, every line different."""
    lines: list[str] = []
    total = 0
    number = 0
    while total < size:
        line = SHAPES[(number // STRETCH) % len(SHAPES)].format(n=number)
        lines.append(line)
        total += len(line) + 1
        number += 1
    return ("\n".join(lines) + "\n").encode("ascii")[:size]


def identical(lines: int) -> bytes:
    return b"550 5.1.1 <a@example.org>: Recipient address rejected\n" * lines


def numbers(size: int) -> bytes:
    """What ``seq 1 inf`` writes: digits on every line and not one code."""
    data = "".join(f"{n}\n" for n in range(1, size // 7)).encode("ascii")
    return data[:size]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest of `runs` timings in CPU seconds of this process: on a machine shared with
    other work, wall-clock ratios swing by half; CPU time is what the scan itself costs."""
    timings = []
    for _ in range(runs):
        started = time.process_time()
        work()
        timings.append(time.process_time() - started)
    return min(timings)


def baseline(data: bytes) -> None:
    for _ in CODE_LIKE.finditer(data.decode("utf-8", errors="replace")):
        pass


def compare(label: str, small: bytes, large: bytes, repo: Repository, runs: int) -> None:
    explain_small = best_of(runs, lambda: diagnose(small, repo))
    explain_large = best_of(runs, lambda: diagnose(large, repo))
    regex_small = best_of(runs, lambda: baseline(small))
    regex_large = best_of(runs, lambda: baseline(large))
    print(
        f"{label}: {len(small) / 1e6:.1f} MB {explain_small:.2f} s, "
        f"{len(large) / 1e6:.1f} MB {explain_large:.2f} s; "
        f"ratio 2N/N {explain_large / explain_small:.2f} (regex pass: "
        f"{regex_small:.3f} s, {regex_large:.3f} s, ratio {regex_large / regex_small:.2f}); "
        f"explain is {explain_large / regex_large:.0f}x the regex pass"
    )


PEAK_OF_CHILD = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
took = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{took:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss} {done.returncode}")
"""


def measure_cli(label: str, shell: str) -> None:
    """Runs `shell` alone under a small wrapper: its time and the peak RSS of its processes."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILD, shell],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    took, cpu, peak, status = result.stdout.split()
    print(
        f"{label}: {float(took):.2f} s ({float(cpu):.2f} s CPU), "
        f"peak RSS {int(peak) / 1024:.0f} MB, exit {status}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each size")
    parser.add_argument("--full", action="store_true", help="also 50 MB through the CLI")
    args = parser.parse_args(argv)
    repo = load()
    compare("dense codes", dense(5_000_000), dense(10_000_000), repo, args.runs)
    compare("identical lines (80k, 160k)", identical(80_000), identical(160_000), repo, args.runs)
    compare("numbers, no codes", numbers(5_000_000), numbers(10_000_000), repo, args.runs)
    if args.full:
        command = f"{sys.executable} -m smtp_tui explain"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "dense50.txt"
            path.write_bytes(dense(50_000_000))
            measure_cli("50 MB of dense codes", f"{command} --file {path}")
            path.write_bytes(identical(1_000_000))
            measure_cli("1,000,000 identical lines", f"{command} --file {path}")
        measure_cli("--file /dev/zero (stops at 50 MB)", f"{command} --file /dev/zero")
        measure_cli("yes '550 5.1.1 x' | (stops at 50 MB)", f"yes '550 5.1.1 x' | {command}")
        measure_cli("seq 1 inf | (stops at 50 MB)", f"seq 1 1000000000000 | {command}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process: peak RSS {peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
