"""Long texts as lines without a list of them, runs of identical lines shortened."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

_NEWLINE = re.compile("\n")
_RUN = re.compile(r"^(.*)(?:\n\1$)++", re.MULTILINE)
"""A line and the identical lines right after it. Possessive, so that a run of millions of lines
is one match that keeps no backtracking state."""
_SHORTEST_RUN = 4
"""Runs this long or longer are scanned as three lines: the first, one for the middle, the last.
Each of the three meets the same neighbours as the lines it stands for, so each is judged alike."""


class Runs:
    """The text with each long run of identical lines cut to three, and the way back to the
    original line numbers: the middle line of a cut run stands for all the lines between."""

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        self.middles: list[int] = []
        """The line number, in the shortened text, of each cut run's middle line."""
        self.firsts: list[int] = []
        """The original line number of the first line each of those middles stands for."""
        self.repeats: list[int] = []
        """How many original lines each middle stands for."""
        kept = 0  # where the text not yet in `pieces` starts
        shift = 0  # original lines minus shortened lines, so far
        line = 0  # the original number of the line at `kept`
        for match in _RUN.finditer(text):
            count = text.count("\n", match.start(), match.end()) + 1
            if count < _SHORTEST_RUN:
                continue
            line += text.count("\n", kept, match.start())
            pieces.append(text[kept : match.start()])
            pieces.append("\n".join((match.group(1),) * 3))
            self.middles.append(line + 1 - shift)
            self.firsts.append(line + 1)
            self.repeats.append(count - 2)
            shift += count - 3
            line += count - 1
            kept = match.end()
        if pieces:
            pieces.append(text[kept:])
            text = "".join(pieces)
        self.text = text

    def original(self, index: int) -> tuple[int, int]:
        """The original (0-based) number of shortened line `index`, and how many lines it is."""
        run = bisect.bisect_right(self.middles, index) - 1
        if run < 0:
            return index, 1
        if self.middles[run] == index:
            return self.firsts[run], self.repeats[run]
        return index - self.middles[run] + self.firsts[run] + self.repeats[run] - 1, 1

    def shortened(self, index: int) -> int:
        """The shortened line that stands for original line `index`."""
        run = bisect.bisect_right(self.firsts, index) - 1
        if run < 0:
            return index
        if index < self.firsts[run] + self.repeats[run]:
            return self.middles[run]
        return index - self.firsts[run] - self.repeats[run] + 1 + self.middles[run]

    def original_count(self, count: int) -> int:
        """How many original lines a shortened text of `count` lines came from."""
        return count + sum(repeat - 1 for repeat in self.repeats)


class TextLines(Sequence[str]):
    """The lines of a text, each cut out when asked: a list of them would cost about 60 bytes
    a line, which for 50 MB of short lines is more than the text itself."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = array("I" if len(text) < 2**32 - 1 else "q", [0])
        """Where each line starts in `text`, and where a line after the last would start."""
        self.offsets.extend(match.end() for match in _NEWLINE.finditer(text))
        self.offsets.append(len(text) + 1)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[item] for item in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        offsets = self.offsets
        if not 0 <= index < len(offsets) - 1:
            raise IndexError(index)
        return self.text[offsets[index] : offsets[index + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        return (self[index] for index in range(len(self)))


class OriginalLines(Sequence[str]):
    """`Scan.lines`: the lines as the user gave them, runs of identical lines at full length."""

    def __init__(self, lines: TextLines, runs: Runs) -> None:
        self._lines = lines
        self._runs = runs
        self._length = runs.original_count(len(lines))

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[item] for item in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._lines[self._runs.shortened(index)]

    def __iter__(self) -> Iterator[str]:
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # As the tuple it once was, so that a `Scan` stays hashable.
