"""The Textual browser. Imported only when the browser starts, so the CLI never pays for Textual.

Until the first screen is drawn, the collector runs at a seventieth of its usual pace. Importing
Textual and drawing the first screen make about 90,000 objects that mostly live as long as the
process; at the usual pace (a collection every 700 new objects) the collector went over them
some 150 times before the first frame: 16 ms of gc callbacks, a quarter of the start-up beyond a
bare Textual app's (issue 14). The cycles left for later, frozen with the modules, cost about
0.25 MiB. `drawn()` restores the pace once the main screen has been drawn.
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
