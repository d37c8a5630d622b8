"""The Textual browser. Imported only when the browser starts, so the CLI never pays for Textual.

Until the first screen is drawn, the collector runs at a seventieth of its usual pace. Importing
Textual and drawing the first screen leave some 60,000 objects that live as long as the process;
at the usual pace (a collection every 700 new objects) the collector ran 152 times over them
before the first frame, about 16 ms by its callbacks. At 50,000 it runs a few times: 8-12 ms less
start-up in `benchmarks/bench_tui.py` (issue 14), for about 0.3 MiB of cycles collected later.
`drawn()` restores the pace once the main screen has been drawn.
"""

import gc

START_THRESHOLD = 50_000
"""New objects between two collections while the browser starts (CPython's default is 700)."""

_USUAL = gc.get_threshold()
gc.set_threshold(START_THRESHOLD, *_USUAL[1:])


def drawn() -> None:
    """The first screen is drawn: collect at the usual pace from now on."""
    if gc.get_threshold()[0] == START_THRESHOLD:
        gc.set_threshold(*_USUAL)
