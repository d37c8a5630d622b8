"""How well and how fast `explain.scan` reads real bounces: recall, false findings, time per MB.

Reads the shared corpus beside the project (`../shared/corpus/bounces`, not ours, never copied in)
and prints three things: the share of expected codes found, the extra codes that look like false
findings (with a sample), and the median time to scan a 1 MB bounce. Run it with
`.venv/bin/python benchmarks/bench_explain.py` (`--verbose` lists every miss and every extra).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smtp_tui.core.scanner import Finding, scan  # noqa: E402  (after the path is set)

CORPUS = ROOT.parent / "shared" / "corpus" / "bounces"

REPLY_SHAPE = re.compile(
    r"(?:^\W*|said:|returned '|was:|reason:|smtp;|S:|\]:\s|>:|\.\.\.|\[|\(#|error\s*:|code\s*:"
    r"|ResponseCode)\s*(?:[2-5][0-9][0-9][ -])?#?$",
    re.IGNORECASE,
)
"""What stands before a code that is plainly part of a reply, judged apart from the extractor."""

GLUED = re.compile(r"[0-9A-Za-z][.:/]$|^[.:/][0-9]")
"""A code glued to a number, as in an IP address, a version, a time or a path."""


@dataclass(frozen=True)
class Extra:
    """A code found that the corpus does not list for that message."""

    file: str
    finding: Finding

    @property
    def suspect(self) -> bool:
        """Looks like a false finding: not a DSN field, not paired, not shaped like a reply.

        The corpus lists only the codes of the failed recipients, so codes of earlier SMTP steps
        or a generic ``Status: 5.0.0`` are extra but true; those come with a reply's shape.
        """
        found = self.finding
        position = found.context.find(found.code)
        before = found.context[:position]
        after = found.context[position + len(found.code) :]
        if GLUED.search(before) or GLUED.search(after):
            return True
        if found.role in ("status", "diagnostic") or found.pair is not None:
            return False
        return REPLY_SHAPE.search(before) is None


def measure_recall(verbose: bool) -> tuple[float, list[Extra]]:
    records = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    expected_total = 0
    found_total = 0
    extras: list[Extra] = []
    for record in records:
        result = scan((CORPUS / record["file"]).read_bytes())
        codes = {finding.code for finding in result.findings}
        expected = set(record["reply_codes"]) | set(record["enhanced_codes"])
        missing = expected - codes
        expected_total += len(expected)
        found_total += len(expected) - len(missing)
        name = Path(record["file"]).name
        if missing and verbose:
            print(f"  miss {name}: {sorted(missing)}")
        for finding in result.findings:
            if finding.code not in expected:
                extras.append(Extra(name, finding))
    return (found_total / expected_total if expected_total else 1.0), extras


PADDING_TEXT = """delivery server message account please contact offer the newsletter order
shipping week of to and a in is for on with by at from this that your our you"""
PADDING_WORDS = PADDING_TEXT.split()
"""The words of the prose lines: ordinary, and with no digit among them."""


def padding_line(rng: random.Random, trap_share: float) -> str:
    """One line of a returned newsletter: mostly prose; a `trap_share` of the lines carries
    numbers that are not codes (IPs, versions, dates, phone numbers, sizes, prices)."""
    number = rng.randint
    words = " ".join(rng.choice(PADDING_WORDS) for _ in range(number(8, 14))).capitalize()
    if rng.random() >= trap_share:
        return words + "."
    octets = ".".join(str(number(1, 254)) for _ in range(4))
    kind = rng.randrange(6)
    if kind == 0:
        return f"Received: from mx{number(1, 99)}.example.net ([{octets}]) by relay.example.org"
    if kind == 1:
        version = f"{number(2, 5)}.{number(0, 9)}.{number(0, 9)}"
        return f"\tby smtp.example.com (Postfix {version}) id 4F{number(100, 999)}"
    if kind == 2:
        return f"Date: Mon, {number(1, 28)} May 2014 15:{number(10, 59)}:17 +0900"
    if kind == 3:
        return f"Call +1 555 {number(200, 999)} {number(1000, 9999)}, room {number(100, 599)}."
    return f"{words} {number(2, 599)} items at ${number(200, 599)}, v{number(1, 5)}.1.0."


def megabyte_bounce(trap_share: float) -> bytes:
    """A corpus DSN whose returned message is padded to about 1 MB (see `padding_line`)."""
    source = (CORPUS / "samples" / "maildir__bsd__lhost-postfix-02.eml").read_bytes()
    rng = random.Random(3463)
    lines: list[str] = []
    size = len(source)
    while size < 1_000_000:
        line = padding_line(rng, trap_share)
        lines.append(line)
        size += len(line) + 1
    padding = ("\n".join(lines) + "\n").encode("ascii")
    head, separator, tail = source.rpartition(b"\ntest\n")
    return head + separator + padding + tail


def measure_time(data: bytes, runs: int) -> tuple[float, int]:
    """The median time to scan `data`, and how many findings the scan gave."""
    timings = []
    findings = 0
    for _ in range(runs):
        started = time.perf_counter()
        result = scan(data)
        timings.append(time.perf_counter() - started)
        findings = len(result.findings)
    return statistics.median(timings), findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the 1 MB scan")
    parser.add_argument("--sample", type=int, default=15, help="suspect findings to print")
    parser.add_argument("--verbose", action="store_true", help="list every miss and extra")
    args = parser.parse_args(argv)
    if not (CORPUS / "expected.json").is_file():
        print(f"no corpus at {CORPUS}: nothing to measure")
        return 0
    recall, extras = measure_recall(args.verbose)
    suspects = [extra for extra in extras if extra.suspect]
    print(f"recall: {recall:.3f} of the expected codes found")
    print(f"extra codes: {len(extras)}, of which look false: {len(suspects)}")
    shown = extras if args.verbose else suspects[: args.sample]
    for extra in shown:
        found = extra.finding
        mark = "?" if extra.suspect else " "
        print(f"  {mark} {extra.file}:{found.line} {found.code} [{found.role}] {found.context!r}")
    for label, trap_share in (("1 MB bounce", 0.2), ("1 MB of number traps", 1.0)):
        data = megabyte_bounce(trap_share)
        median, findings = measure_time(data, args.runs)
        print(
            f"{label}: median {median * 1000:.1f} ms over {args.runs} runs "
            f"({len(data) / 1_000_000:.2f} MB, {findings} findings)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
