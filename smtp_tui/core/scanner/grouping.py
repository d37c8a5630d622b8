"""From hits to findings, in bounded memory: the two ends of a long text kept, its middle only
counted, runs of identical lines made one finding, each cut to a context a row can show."""

from __future__ import annotations

from collections import deque

from smtp_tui.core.scanner.finder import Hit
from smtp_tui.core.scanner.findings import Finding
from smtp_tui.core.scanner.lines import Runs, TextLines

CONTEXT_LIMIT = 200
"""The longest context a finding carries: enough for a reply line, short enough for one row."""
KEPT_FINDINGS = 30_000
"""How many codes a scan keeps as findings at each end of the text (whole lines of them). The
codes between are only counted: a finding costs about ten times its line, so 50 MB of distinct
replies would otherwise take gigabytes, and nobody reads a million findings one by one."""


class Keeper:
    """The hits of the first and the last lines with codes, `KEPT_FINDINGS` at each end, and a
    count by code of those between, so that the findings of any text take bounded memory."""

    def __init__(self, runs: Runs) -> None:
        self.runs = runs
        self.head: list[Hit] = []
        self.tail: deque[Hit] = deque()
        self.left_out: dict[str, int] = {}
        self.left_out_lines: tuple[int, int] | None = None
        """The first and last original line (1-based) of the hits left out."""

    def keep(self, hit: Hit) -> None:
        """Take the next hit in text order."""
        head, tail = self.head, self.tail
        if not tail and (len(head) < KEPT_FINDINGS or head[-1].index == hit.index):
            head.append(hit)
            return
        tail.append(hit)
        if len(tail) > KEPT_FINDINGS and tail[0].index != hit.index:
            oldest = tail[0].index  # A whole line goes, so that no reply is cut in two.
            while tail[0].index == oldest:
                self._leave_out(tail.popleft())

    def _leave_out(self, hit: Hit) -> None:
        line, count = self.runs.original(hit.index)
        self.left_out[hit.code] = self.left_out.get(hit.code, 0) + count
        first = self.left_out_lines[0] if self.left_out_lines else line + 1
        self.left_out_lines = (first, line + count)
        hit.place = LEFT_OUT

    def hits(self, deciding: Hit | None) -> list[Hit]:
        """The hits kept, in text order; the deciding one (and its pair) even from the middle,
        so that the verdict always points at a finding."""
        middle = []
        if deciding is not None and deciding.place == LEFT_OUT:
            middle = [deciding]
            if deciding.pair is not None and deciding.pair.index == deciding.index:
                middle.append(deciding.pair)
            middle.sort(key=lambda hit: hit.start)
            for hit in middle:
                _, count = self.runs.original(hit.index)
                self.left_out[hit.code] -= count
                if not self.left_out[hit.code]:
                    del self.left_out[hit.code]
        return [*self.head, *middle, *self.tail]


LEFT_OUT = -2
"""The `Hit.place` of a hit only counted."""


def group_findings(hits: list[Hit], lines: TextLines, runs: Runs) -> tuple[Finding, ...]:
    """The findings, identical lines in a row made one finding; each hit learns its `place`.

    Two lines are identical here when they hold the same codes, in the same roles and pairs,
    with the same context: what a reader would see twice.
    """
    findings: list[Finding] = []
    previous: list[Finding] = []
    position = 0
    while position < len(hits):
        index = hits[position].index
        group = [hits[position]]
        position += 1
        while position < len(hits) and hits[position].index == index:
            group.append(hits[position])
            position += 1
        line, count = runs.original(index)
        text = lines[index]
        made = [
            Finding(
                code=hit.code,
                family=hit.family,
                line=line + 1,
                context=_context(text, hit.start),
                role=hit.role,
                pair=hit.pair.code if hit.pair is not None else None,
                count=count,
            )
            for hit in group
        ]
        if (
            previous
            and previous[0].end == line
            and len(previous) == len(made)
            and all(_same(before, now) for before, now in zip(previous, made, strict=True))
        ):
            grown = [
                Finding(
                    code=before.code,
                    family=before.family,
                    line=before.line,
                    context=before.context,
                    role=before.role,
                    pair=before.pair,
                    count=before.count + count,
                )
                for before in previous
            ]
            findings[-len(previous) :] = grown
            made = grown
        else:
            findings.extend(made)
        for place, hit in enumerate(group, start=len(findings) - len(made)):
            hit.place = place  # A grown finding takes the place of the one it grew from.
        previous = made
    return tuple(findings)


def _same(first: Finding, second: Finding) -> bool:
    """Whether two findings read the same, wherever they stand."""
    return (first.code, first.family, first.context, first.role, first.pair) == (
        second.code,
        second.family,
        second.context,
        second.role,
        second.pair,
    )


def _context(line: str, start: int) -> str:
    """The line stripped and, when too long, cut around the code so that the code stays visible.

    A very long line is first narrowed to a window around the code, so that a megabyte-long
    line is not copied once for every code on it.
    """
    cut_before = cut_after = False
    if len(line) > 4 * CONTEXT_LIMIT:
        low, high = max(0, start - 2 * CONTEXT_LIMIT), start + 2 * CONTEXT_LIMIT
        cut_before, cut_after = low > 0, high < len(line)
        line, start = line[low:high], start - low
    stripped = line.strip()
    offset = start - (len(line) - len(line.lstrip()))
    first = max(0, min(offset - 60, len(stripped) - CONTEXT_LIMIT))
    window = stripped[first : first + CONTEXT_LIMIT]
    if first > 0 or cut_before:
        window = "…" + (window[1:] if len(window) == CONTEXT_LIMIT else window)
    if first + CONTEXT_LIMIT < len(stripped) or cut_after:
        window = (window[:-1] if len(window) == CONTEXT_LIMIT else window) + "…"
    return window
