"""Whether `smtp-tui log` reads a big Postfix log in bounded memory, and how fast.

Writes a synthetic Postfix log (200 MB, or 1 GB with `--full`) in the shape of a busy relay: for
each message the smtpd, cleanup, qmgr and delivery lines, with deliveries, deferrals then
deliveries, bounces, rejections and an expiry among them. Then, each in its own process so that
peak memory is its own: a plain line count of the same file (the floor: reading the bytes), and the
log summary (`smtp-tui log FILE --json > /dev/null`, which also writes every message). Prints the
seconds per 100 MB of each, their ratio, and the peak RSS of each: the summary's must not grow with
the file (compare 200 MB with `--full`).

Run it with `.venv/bin/python benchmarks/bench_maillog.py` (or `make bench`).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COUNT = """
import resource, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for _ in f:
        n += 1
use = resource.getrusage(resource.RUSAGE_SELF)
print(n, use.ru_utime + use.ru_stime, use.ru_maxrss)
"""

SUMMARY = """
import io, resource, sys
sys.path.insert(0, {root!r})
from smtp_tui.cli.commands import main
sys.stdout = open("/dev/null", "w")
status = main(["log", sys.argv[1], "--json"])
use = resource.getrusage(resource.RUSAGE_SELF)
print(status, use.ru_utime + use.ru_stime, use.ru_maxrss, file=sys.stderr)
"""


def message(n: int) -> str:
    """One message's lines: every 10th deferred first, every 20th bounced, every 50th rejected."""
    qid = f"{0x1000000 + n:X}A"
    rcpt = f"user{n}@example{n % 997}.com"
    when = f"Mar {1 + n // 2_000_000 % 28:2d} {n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}"
    head = f"{when} mx postfix/"
    lines = [
        f"{head}smtpd[1234]: connect from client{n % 500}.example.net[192.0.2.{n % 250}]",
        f"{head}smtpd[1234]: {qid}: client=client{n % 500}.example.net[192.0.2.{n % 250}]",
        f"{head}cleanup[1300]: {qid}: message-id=<{n}.example@example.net>",
        f"{head}qmgr[1100]: {qid}: from=<sender{n % 50}@example.net>, size={1000 + n % 9000}, "
        "nrcpt=1 (queue active)",
    ]
    relay = f"relay=mx.example{n % 997}.com[198.51.100.{n % 250}]:25, delay=0.5, "
    relay += "delays=0.1/0/0.2/0.2, "
    if n % 10 == 3:
        lines.append(
            f"{head}smtp[1400]: {qid}: to=<{rcpt}>, {relay}dsn=4.7.28, status=deferred (host "
            f"mx.example{n % 997}.com[198.51.100.{n % 250}] said: 421 4.7.28 Rate limited, try "
            "again later (in reply to end of DATA command))"
        )
    if n % 20 == 7:
        lines.append(
            f"{head}smtp[1400]: {qid}: to=<{rcpt}>, {relay}dsn=5.1.1, status=bounced (host "
            f"mx.example{n % 997}.com[198.51.100.{n % 250}] said: 550 5.1.1 <{rcpt}>: Recipient "
            "address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))"
        )
        lines.append(f"{head}bounce[1500]: {qid}: sender non-delivery notification: B{qid}")
    elif n % 1000 == 13:
        lines.append(f"{head}qmgr[1100]: {qid}: from=<sender@example.net>, status=expired, "
                     "returned to sender")  # fmt: skip
    else:
        lines.append(
            f"{head}smtp[1400]: {qid}: to=<{rcpt}>, {relay}dsn=2.0.0, status=sent (250 2.0.0 Ok: "
            f"queued as {n:X})"
        )
    lines.append(f"{head}qmgr[1100]: {qid}: removed")
    if n % 50 == 11:
        lines.append(
            f"{head}smtpd[1234]: NOQUEUE: reject: RCPT from unknown[203.0.113.{n % 250}]: 554 "
            f"5.7.1 <x{n}@example.org>: Relay access denied; from=<a@example.com> "
            f"to=<x{n}@example.org> proto=ESMTP helo=<spam.example>"
        )
    lines.append(f"{head}smtpd[1234]: disconnect from client{n % 500}.example.net ehlo=1 mail=1 "
                 "rcpt=1 data=1 quit=1 commands=5")  # fmt: skip
    return "\n".join(lines) + "\n"


def write_log(path: Path, size: int) -> None:
    written = 0
    n = 0
    with path.open("w", encoding="ascii") as out:
        while written < size:
            chunk = "".join(message(n + i) for i in range(1000))
            out.write(chunk)
            written += len(chunk)
            n += 1000


def run(code: str, path: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS in MB of `code` in a fresh interpreter.

    CPU time is the fairer figure on a shared machine: others' load stretches the wall clock.
    """
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    words = (done.stdout or done.stderr).split()
    return seconds, float(words[-2]), int(words[-1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="a 1 GB log instead of 200 MB")
    args = parser.parse_args()
    size = 1_000_000_000 if args.full else 200_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mail.log"
        started = time.perf_counter()
        write_log(path, size)
        actual = path.stat().st_size
        print(f"synthetic Postfix log: {actual / 1e6:.0f} MB, written in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        per = 1e8 / actual
        count_s, count_cpu, count_rss = run(COUNT, path)
        log_s, log_cpu, log_rss = run(SUMMARY.format(root=str(ROOT)), path)
        print(f"{'per 100 MB':24}{'wall s':>10}{'CPU s':>10}{'peak RSS':>12}")
        for name, wall, cpu, rss in (
            ("line count (baseline)", count_s, count_cpu, count_rss),
            ("smtp-tui log --json", log_s, log_cpu, log_rss),
        ):
            print(f"{name:24}{wall * per:>10.2f}{cpu * per:>10.2f}{rss:>9} MB")
        print(f"CPU time, ratio to the baseline: {log_cpu / max(count_cpu, 1e-3):.0f}x")


if __name__ == "__main__":
    main()
