"""How fast the browser is, as ratios against bare Textual apps measured in the same run.

The machines are shared and noisy, so absolute milliseconds mean little; the bare app is the floor
and everything above it is ours. Prints the browser's rows of issue 14's table: first complete
screen and peak RSS against a bare app, and a keystroke in the search box (median and 95th
percentile, until no new frame came for 40 ms) against a bare app holding an `Input` and a
`Static`, at the real catalogue and at 10,000 codes. `make bench` runs it with
`bench_cli.py` (the command line's row). Or: `benchmarks/bench_tui.py --runs 7 --keys 100`.
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
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from textual.app import App

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
from smtp_tui.core.loading import load
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen

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
        f"   (goals 1.3x: {verdict(our_t / bare_t, 1.3)}, 1.2x: {verdict(our_m / bare_m, 1.2)})"
    )


def verdict(ratio: float, goal: float) -> str:
    return "within" if ratio <= goal else "OVER"


SETTLED = 0.040
"""A keystroke has settled when no new frame came for this long; its time is the last frame's."""

TYPED = "mailbox" + "\b" * 7 + "storage" + "\b" * 7 + "45" + "\b\b"
"""What is typed into the search box: words that narrow the list, then backspaces that widen it."""


def bare_input_app() -> App[None]:
    """The floor for a keystroke: a Textual app holding only an `Input` and a `Static` that
    echoes it, as ours echoes the search into the code list and the detail pane."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Static

    class BareInput(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="search")
            yield Static("")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one(Static).update(event.value)

    return BareInput()


def our_app(catalogue: str) -> App[None]:
    """smtp-tui on the shipped catalogue, or on 10,000 codes made from its basic ones."""
    from smtp_tui.core.loading import load
    from smtp_tui.core.repository import Repository
    from smtp_tui.tui.app import SmtpTuiApp

    repo = load()
    if catalogue == "synthetic":
        base = [code for code in repo if code.family == "basic"]
        repo = Repository(
            replace(base[i % len(base)], code=f"{2 + i % 4}{i % 6}{i:04d}") for i in range(10_000)
        )
    return SmtpTuiApp(repo)


async def keystrokes(app: App[None], count: int) -> list[float]:
    """Milliseconds from each key event to the last frame before the screen settled.

    Pilot's `press` waits for the process to look idle in 20 ms steps, which would swamp what we
    measure; here the key goes straight to the driver and every frame's time is recorded. The
    cursor does not blink (a blink is a frame that has nothing to do with the key).
    """
    from textual import events
    from textual.widgets import Input

    keys = list(TYPED * (count // len(TYPED) + 1))[:count]
    frames: list[float] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:  # noqa: ANN401 (Textual's own)
        display(screen, renderable)
        frames.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        search = app.screen.query_one("#search", Input)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        search.focus()
        await pilot.pause(0.2)
        for ch in keys:
            wanted = search.value[:-1] if ch == "\b" else search.value + ch
            key = events.Key("backspace", None) if ch == "\b" else events.Key(ch, ch)
            start = time.perf_counter()
            app._driver.send_message(key)  # type: ignore[union-attr]
            while True:
                await asyncio.sleep(0.002)
                now = time.perf_counter()
                if now - start > 10:
                    raise SystemExit(f"the screen never settled after typing {ch!r}")
                if frames and frames[-1] > start and now - frames[-1] >= SETTLED:
                    break
            if search.value != wanted:
                raise SystemExit(f"the search is {search.value!r}, not {wanted!r}")
            times.append((frames[-1] - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def typing(count: int, rounds: int) -> None:
    """Each app types `count` keys, in `rounds` interleaved turns, so a noisy moment on the
    shared machine falls on all three rather than on one."""
    print(f"keystroke in the search box until the screen settled ({count} keystrokes each)")
    labels = {
        "bare": "bare Input + Static",
        "real": "smtp-tui, real catalogue",
        "synthetic": "smtp-tui, 10,000 codes",
    }
    measured: dict[str, list[float]] = {name: [] for name in labels}
    for turn in range(rounds):
        keys = count // rounds + (1 if turn < count % rounds else 0)
        measured["bare"] += asyncio.run(keystrokes(bare_input_app(), keys))
        measured["real"] += asyncio.run(keystrokes(our_app("real"), keys))
        measured["synthetic"] += asyncio.run(keystrokes(our_app("synthetic"), keys))
    for name, times in measured.items():
        print(
            f"  {labels[name]:26} median {statistics.median(times):6.1f} ms"
            f"   p95 {p95(times):6.1f} ms"
        )
    bare, bare_p95 = statistics.median(measured["bare"]), p95(measured["bare"])
    for name, label in (("real", "real"), ("synthetic", "10,000")):
        times = measured[name]
        ratio = statistics.median(times) / bare
        print(
            f"  ratio {label:6} / bare         {ratio:6.2f} x"
            f"   p95 {p95(times) / bare_p95:6.2f} x   (goal 1.5x for the median: "
            f"{verdict(ratio, 1.5)})"
        )
    # The table also reads the 10,000-code row against the real catalogue.
    scale = statistics.median(measured["synthetic"]) / statistics.median(measured["real"])
    print(f"  ratio 10,000 / real         {scale:6.2f} x   (goal 1.5x: {verdict(scale, 1.5)})")


def compile_package() -> None:
    """Textual comes with bytecode compiled by pip; an editable checkout may not (for instance under
    PYTHONDONTWRITEBYTECODE), which would charge compilation to smtp-tui and skew the ratio."""
    import compileall

    compileall.compile_dir(ROOT / "smtp_tui", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each app")
    parser.add_argument("--keys", type=int, default=60, help="keystrokes per catalogue")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved turns of typing")
    args = parser.parse_args()
    # A settings folder of its own: the browser saves its last search, and a remembered search
    # in the user's real settings would change what the typed keys do (and what we measure).
    os.environ["SMTP_TUI_CONFIG_DIR"] = tempfile.mkdtemp(prefix="smtp-tui-bench-")
    compile_package()
    startup(args.runs)
    typing(args.keys, args.rounds)


if __name__ == "__main__":
    main()
