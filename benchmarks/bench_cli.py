"""How much CPU a command-line lookup costs, as a ratio against ``python -c pass`` in the same loop.

A lookup is mostly interpreter start-up and imports; wall time on a shared machine waits for other
processes, so this counts the child's own CPU time (user + system, from ``wait4``) and runs the
baseline and each command in turn, so that a noisy moment hits both. The caches are warmed first,
in a cache folder of the benchmark's own: that is what a user's second lookup meets. `show` and
`list` are then prepared answers (`smtp_tui.cli.prepared`); "show 452, full" is the same lookup
through the full command line. Two more rows show the floor under every full lookup: importing
the core modules a lookup needs, and that plus loading the cached catalogue; what a command
costs above them is the command line's own.
Run with `make bench` (or `benchmarks/bench_cli.py --runs 40`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENTRY = "import sys; from smtp_tui.console import run; sys.exit(run())"
"""What the installed ``smtp-tui`` script runs; `-c` keeps it independent of where pip put it."""

COMMANDS: dict[str, list[str]] = {
    "show 452": ["show", "452"],
    "compare 450 550": ["compare", "450", "550"],
    "list": ["list"],
    "search mailbox": ["search", "mailbox"],
    "search microsoft": ["search", "microsoft"],
}
FULL = "import sys; from smtp_tui.console import main; sys.exit(main(sys.argv[1:]))"
"""The same, but handed its words: `main` then never looks for a prepared answer."""
CORE = "import smtp_tui.core.repository, smtp_tui.core.settings, smtp_tui.core.export"
FROZEN = "import gc; gc.disable(); {imports}; gc.freeze(); gc.enable()"
FLOORS: dict[str, str] = {
    "core imports": FROZEN.format(imports=CORE),
    # Loaded as the lookups load it (the CLI's one call into the data layer).
    "core + load": FROZEN.format(imports=CORE)
    + "; from smtp_tui.cli.output import load_repository; load_repository()",
}
"""What every lookup pays before the command line does anything of its own (imported as
`smtp_tui.console` imports the CLI, with the collector held off and the result frozen)."""
GOAL = 3.0
"""The issue's goal for `show`: at most three times the bare interpreter's CPU time."""


def cpu_ms(command: list[str], env: dict[str, str]) -> float:
    """CPU milliseconds (user + system) that one child process used, start to exit."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: a search that found nothing
        raise SystemExit(f"benchmark child {command[3:]} failed: {errors.decode(errors='replace')}")
    return (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="runs of each command")
    args = parser.parse_args()
    env = dict(os.environ)
    env["SMTP_TUI_CONFIG_DIR"] = tempfile.mkdtemp(prefix="smtp-tui-bench-config-")
    env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="smtp-tui-bench-cache-")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT)
    baseline = [sys.executable, "-c", "pass"]
    commands = {label: [sys.executable, "-c", ENTRY, *words] for label, words in COMMANDS.items()}
    commands["show 452, full"] = [sys.executable, "-c", FULL, "show", "452"]
    commands.update({label: [sys.executable, "-c", code] for label, code in FLOORS.items()})
    for command in commands.values():  # warm the data cache and the bytecode
        cpu_ms(command, env)
    times: dict[str, list[float]] = {label: [] for label in ["python -c pass", *commands]}
    for _ in range(args.runs):
        times["python -c pass"].append(cpu_ms(baseline, env))
        for label, command in commands.items():
            times[label].append(cpu_ms(command, env))
    floor = statistics.median(times["python -c pass"])
    print(f"command-line CPU time, user + system (median of {args.runs})")
    for label, measured in times.items():
        median = statistics.median(measured)
        goal = ""
        if label == "show 452":
            verdict = "within" if median / floor <= GOAL else "OVER"
            goal = f"   (goal {GOAL:.0f}x: {verdict})"
        print(f"  {label:18} {median:6.1f} ms   {median / floor:5.2f} x{goal}")


if __name__ == "__main__":
    main()
