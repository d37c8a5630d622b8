"""How fast the browser is, as ratios against a bare Textual app measured in the same run.

The machines are shared and noisy, so absolute milliseconds mean little; the bare app is the floor
and everything above it is ours. Run with `make bench` (or `benchmarks/bench_tui.py --runs 7`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_FRAME = """
import sys, time

def first_frame(app):
    sys.stdout.write(repr(time.time()))
    sys.stdout.flush()
    app.exit()
"""

BARE = (
    FIRST_FRAME
    + """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare")
    def on_mount(self):
        self.call_after_refresh(first_frame, self)

Bare().run(headless=True)
"""
)

OURS = (
    FIRST_FRAME
    + """
from smtp_tui.repository import load
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.main_screen import MainScreen

mounted = MainScreen.on_mount

def on_mount(self):
    mounted(self)
    self.call_after_refresh(first_frame, self.app)

MainScreen.on_mount = on_mount
SmtpTuiApp(load(), codes=("452",)).run(headless=True)
"""
)


def spawn(code: str) -> tuple[float, int]:
    """Seconds from spawn to the first complete frame, and peak RSS in KiB, of one process.

    The child prints the wall-clock time of its first frame, so interpreter shutdown (which a user
    never waits for) is not counted.
    """
    start = time.time()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"benchmark child failed with status {status}")
    return float(output) - start, usage.ru_maxrss


def startup(runs: int) -> None:
    bare_times, bare_rss, our_times, our_rss = [], [], [], []
    for _ in range(runs):  # interleaved, so a noisy moment hits both
        elapsed, rss = spawn(BARE)
        bare_times.append(elapsed)
        bare_rss.append(rss)
        elapsed, rss = spawn(OURS)
        our_times.append(elapsed)
        our_rss.append(rss)
    bare_t, our_t = statistics.median(bare_times), statistics.median(our_times)
    bare_m, our_m = statistics.median(bare_rss), statistics.median(our_rss)
    print(f"start-up to first complete screen (median of {runs})")
    print(f"  bare Textual app   {bare_t * 1000:7.0f} ms   {bare_m / 1024:6.1f} MiB peak RSS")
    print(f"  smtp-tui           {our_t * 1000:7.0f} ms   {our_m / 1024:6.1f} MiB peak RSS")
    print(
        f"  ratio              {our_t / bare_t:7.2f} x   {our_m / bare_m:6.2f} x"
        "   (targets 1.3x, 1.2x)"
    )


async def keystrokes(catalogue: str, count: int) -> list[float]:
    """Milliseconds from a key event to the first frame drawn with the filtered list in place.

    Pilot's `press` waits for the process to look idle in 20 ms steps, which would swamp what we
    measure; here the key goes straight to the driver and the clock stops at the next frame.
    """
    from textual import events

    from smtp_tui.repository import Repository, load
    from smtp_tui.tui.app import SmtpTuiApp
    from smtp_tui.tui.code_list import CodeList

    repo = load()
    if catalogue == "synthetic":
        base = [code for code in repo if code.family == "basic"]
        repo = Repository(
            replace(base[i % len(base)], code=f"{2 + i % 4}{i % 6}{i:04d}") for i in range(10_000)
        )
    app = SmtpTuiApp(repo)
    typed = "mailbox" + "\b" * 7 + "storage" + "\b" * 7 + "45" + "\b\b"
    keys = [ch for ch in typed * 3][:count]
    frames: list[float] = []
    display = app._display

    def timed_display(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        frames.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        search = app.screen.query_one("#search")
        for ch in keys:
            wanted = search.value[:-1] if ch == "\b" else search.value + ch  # type: ignore[attr-defined]
            key = events.Key("backspace", None) if ch == "\b" else events.Key(ch, ch)
            start = time.perf_counter()
            app._driver.send_message(key)  # type: ignore[union-attr]
            while codes.view is None or codes.view.query != wanted:
                if time.perf_counter() - start > 10:
                    raise SystemExit(f"the search never became {wanted!r}")
                await asyncio.sleep(0)
            updated = time.perf_counter()
            while not frames or frames[-1] < updated:
                await asyncio.sleep(0.001)
            times.append((frames[-1] - start) * 1000)
            await pilot.pause()
    return times


def typing(count: int) -> None:
    print(f"keystroke to the next frame with the filtered list ({count} keystrokes)")
    medians = {}
    for catalogue in ("real", "synthetic"):
        times = asyncio.run(keystrokes(catalogue, count))
        p95 = statistics.quantiles(times, n=20)[-1]
        medians[catalogue] = statistics.median(times)
        label = "real catalogue" if catalogue == "real" else "10,000 codes"
        print(f"  {label:16} median {medians[catalogue]:6.1f} ms   p95 {p95:6.1f} ms")
    ratio = medians["synthetic"] / medians["real"]
    print(f"  ratio 10,000 / real  {ratio:.2f} x   (target 1.5x)")


def compile_package() -> None:
    """Textual comes with bytecode compiled by pip; an editable checkout may not (for instance under
    PYTHONDONTWRITEBYTECODE), which would charge compilation to smtp-tui and skew the ratio."""
    import compileall

    compileall.compile_dir(ROOT / "smtp_tui", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each app")
    parser.add_argument("--keys", type=int, default=50, help="keystrokes per catalogue")
    args = parser.parse_args()
    # A settings folder of its own: the browser saves its last search, and a remembered search
    # in the user's real settings would change what the typed keys do (and what we measure).
    os.environ["SMTP_TUI_CONFIG_DIR"] = tempfile.mkdtemp(prefix="smtp-tui-bench-")
    compile_package()
    startup(args.runs)
    typing(args.keys)


if __name__ == "__main__":
    main()
