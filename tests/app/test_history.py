"""The browser's history as a plain class: no Textual loaded, no app started."""

from __future__ import annotations

import subprocess
import sys

from smtp_tui.tui.history import History, Place

A, B, C = Place(("211",)), Place(("452",)), Place(("452", "552"), swapped=True)


def walked(*places: Place, limit: int = 200) -> History:
    history = History(limit=limit)
    for place in places:
        history.remember(place)
    return history


def test_back_and_forward_return_the_places_in_order() -> None:
    history = walked(A, B, C)
    assert history.step(-1) == B
    assert history.step(-1) == A
    assert history.step(-1) is None and history.current == A
    assert not history.can_go_back and history.can_go_forward
    assert history.step(+1) == B
    assert history.step(+1) == C
    assert history.step(+1) is None and not history.can_go_forward


def test_a_new_place_after_going_back_drops_the_places_ahead() -> None:
    history = walked(A, B, C)
    history.step(-1)
    history.step(-1)
    assert history.remember(C)
    assert len(history) == 2 and history.step(-1) == A and history.step(+1) == C


def test_the_same_place_twice_is_remembered_once() -> None:
    history = walked(A, A, B, B)
    assert len(history) == 2
    assert not history.remember(B)


def test_nothing_is_remembered_while_travelling() -> None:
    history = walked(A, B)
    history.step(-1)
    with history.travelling():
        assert not history.remember(C)  # a step on the way back to A, not a place to keep
    assert history.current == A and history.can_go_forward
    assert history.remember(C) and len(history) == 2


def test_the_oldest_places_go_past_the_limit() -> None:
    history = walked(*(Place((str(n),)) for n in range(10)), limit=3)
    assert len(history) == 3
    assert history.step(-1) == Place(("8",)) and history.step(-1) == Place(("7",))
    assert history.step(-1) is None


def test_the_history_loads_no_textual() -> None:
    check = (
        "import sys, smtp_tui.tui.history;"
        "print(any(n.startswith(('textual', 'rich')) for n in sys.modules))"
    )
    command = [sys.executable, "-c", check]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
