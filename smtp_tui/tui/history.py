"""Back and forward through the places the browser has shown: plain Python, no Textual."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

HISTORY_LIMIT = 200
"""Places kept at most; the oldest go first."""


class Place(NamedTuple):
    """Where the browser was: one code, a comparison (as the user saw it, swapped or not), or
    the explain screen a finding was opened from."""

    codes: tuple[str, ...]
    swapped: bool = False
    pasted: str | None = None
    """The explain screen's text, for the place that is that screen (no codes)."""


class History:
    """A browser's history: remembering a new place drops the places ahead of the current one.

    Going back or forward restores a place through the same steps a user takes, and those steps
    would remember every place they pass through; `travelling` holds the history still meanwhile.
    """

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self._places: list[Place] = []
        self._index = -1
        self._held = False

    def __len__(self) -> int:
        return len(self._places)

    @property
    def current(self) -> Place | None:
        return self._places[self._index] if self._places else None

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._places) - 1

    def remember(self, place: Place) -> bool:
        """Add `place` after the current one; False when nothing changed (the same place, or
        while travelling)."""
        if self._held or place == self.current:
            return False
        del self._places[self._index + 1 :]
        self._places.append(place)
        if len(self._places) > self.limit:
            del self._places[0]
        self._index = len(self._places) - 1
        return True

    def step(self, by: int) -> Place | None:
        """The place `by` steps away (-1 back, +1 forward), now current; None at either end."""
        index = self._index + by
        if not 0 <= index < len(self._places):
            return None
        self._index = index
        return self._places[index]

    @contextmanager
    def travelling(self) -> Iterator[None]:
        """While a place is being restored, remember nothing."""
        held, self._held = self._held, True
        try:
            yield
        finally:
            self._held = held
