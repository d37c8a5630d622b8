"""The verdict on a scanned text (delivered, temporary, permanent or unknown), by the rules in
`scan`."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import Any

from smtp_tui.core.scanner.finder import Hit
from smtp_tui.core.scanner.lines import Runs
from smtp_tui.core.vocabulary import Family, Outcome, Role

_STATUS_FIELD = re.compile(r"[Ss][Tt][Aa][Tt][Uu][Ss][ \t]*:")
"""Anything that may open a DSN ``Status:`` field (found anywhere, to be sure to find all)."""
_ACTION = re.compile(r"\n[ \t]*[Aa][Cc][Tt][Ii][Oo][Nn][ \t]*:[ \t]*([A-Za-z]+)")
"""A DSN ``Action:`` field, found after a newline: a literal first character lets the engine
skip through a megabyte quickly, where ``^`` with MULTILINE would be tried at every position."""


_BASIC, _ENHANCED = Family.BASIC, Family.ENHANCED
_STATUS, _DIAGNOSTIC, _TEXT = Role.STATUS, Role.DIAGNOSTIC, Role.TEXT
_DELIVERED, _TEMPORARY, _PERMANENT, _UNKNOWN = (
    Outcome.DELIVERED,
    Outcome.TEMPORARY,
    Outcome.PERMANENT,
    Outcome.UNKNOWN,
)
"""The members as module constants: in Python 3.11 reading ``Family.BASIC`` costs about 140 ns (the
enum's class attribute is a descriptor), which a scan of millions of candidates pays each time."""

_ACTION_OUTCOMES = {
    "failed": _PERMANENT,
    "delayed": _TEMPORARY,
    "delivered": _DELIVERED,
    "relayed": _DELIVERED,
    "expanded": _DELIVERED,
}
_CLASS_OUTCOMES = {"5": _PERMANENT, "4": _TEMPORARY, "2": _DELIVERED}
_SEVERITY = {_PERMANENT: 3, _TEMPORARY: 2, _DELIVERED: 1}


def _group_of(lines: Sequence[str], index: int, runs: Runs) -> int:
    """The first line of the blank-line-separated group holding line `index` (a DSN recipient),
    looking at most 100 of the user's lines up (`runs` counts a shortened run at full length)."""
    top = index
    first = runs.original(index)[0]
    while top > 0 and first - runs.original(top)[0] < 100 and lines[top - 1].strip():
        top -= 1
    return top


def _voice(hit: Hit) -> Hit:
    """The finding that speaks for a reply: the basic code of a pair, being the one a client
    acts on (RFC 5321), so ``554 4.0.0`` counts as permanent."""
    if hit.family is _ENHANCED and hit.pair is not None and hit.pair.family is _BASIC:
        return hit.pair
    return hit


class Verdict:
    """The outcome by the rules in `scan`, worked out hit by hit: only the few hits that may
    decide are held, never a list of every hit."""

    def __init__(self, text: str, lines: Sequence[str], offsets: Sequence[int], runs: Runs) -> None:
        self.lines = lines
        self.runs = runs
        # Each Action field by where its line starts: the first line is matched apart, because a
        # "\n" put in front of the whole text would copy it.
        opening = _ACTION.match("\n" + lines[0]) if len(lines) else None
        starts = [(0, opening.group(1))] if opening is not None else []
        found = ((match.start() + 1, match.group(1)) for match in _ACTION.finditer(text))
        self._actions = (
            (self._group(bisect.bisect_right(offsets, start) - 1), verb.lower())
            for start, verb in itertools.chain(starts, found)
        )
        """The (group, verb) of each DSN Action field, in text order, read as the hits come."""
        self._next_action = next(self._actions, None)
        self._dsn = self._next_action is not None or _STATUS_FIELD.search(text) is not None
        """Whether the text may be a delivery-status report at all: a log dense with
        Diagnostic-Code lines but no Status or Action field is judged without finding the
        recipient group of each (a walk of up to 100 lines apiece)."""
        self._groups: dict[int, list[Any]] = {}
        """The recipient groups not yet judged: [verb, first status, first diagnostic, whether
        an action or status stands in it]. Groups come in text order, so only a few are open."""
        self._best: tuple[Outcome, Hit | None] | None = None
        self._last_reply: Hit | None = None
        self._last_reply_not_421: Hit | None = None
        self._last_failure: Hit | None = None
        self._last_failure_not_421: Hit | None = None
        self._last_success: Hit | None = None

    def _group(self, index: int) -> int:
        return _group_of(self.lines, index, self.runs)

    def feed(self, hit: Hit) -> None:
        """Take the next hit in text order, its pair already linked."""
        if hit.code[0] in "45":
            voice = _voice(hit)
            self._last_failure = voice
            if voice.code != "421":
                self._last_failure_not_421 = voice
            if voice.role is not _TEXT:
                self._last_reply = voice
                if voice.code != "421":
                    self._last_reply_not_421 = voice
        elif hit.code[0] == "2":
            self._last_success = _voice(hit)
        if self._dsn and hit.role in (_STATUS, _DIAGNOSTIC):
            group = self._group(hit.index)
            self._judge_before(group)
            entry = self._groups.setdefault(group, [None, None, None, False])
            if hit.role is _STATUS:
                entry[1] = entry[1] or hit
                entry[3] = True
            else:
                entry[2] = entry[2] or hit

    def _judge_before(self, group: int | None) -> None:
        """Read the actions up to `group` and judge every group before it (None: all)."""
        while self._next_action is not None and (group is None or self._next_action[0] <= group):
            where, verb = self._next_action
            entry = self._groups.setdefault(where, [None, None, None, False])
            entry[0] = verb
            entry[3] = True
            self._next_action = next(self._actions, None)
        for done in sorted(key for key in self._groups if group is None or key < group):
            verb, status, diagnostic, counts = self._groups.pop(done)
            if not counts:
                continue  # A Diagnostic-Code alone does not make a recipient.
            outcome = _ACTION_OUTCOMES.get(verb or "")
            if outcome is None and status is not None:
                outcome = _CLASS_OUTCOMES.get(status.code[0])
            if outcome is not None and (
                self._best is None or _SEVERITY[outcome] > _SEVERITY[self._best[0]]
            ):
                self._best = (outcome, status or diagnostic)

    def result(self) -> tuple[Outcome, Hit | None]:
        """The outcome and the finding it rests on, once every hit is fed."""
        self._judge_before(None)
        if self._best is not None:
            return self._best
        last: Hit | None
        if self._last_reply is not None:
            last, earlier = self._last_reply, self._last_reply_not_421
        else:
            last, earlier = self._last_failure, self._last_failure_not_421
        if last is not None:
            if last.code == "421" and earlier is not None and earlier.code[0] == "5":
                # 421 closes the session: it says nothing new about a message refused before it.
                last = earlier
            return (_PERMANENT if last.code[0] == "5" else _TEMPORARY), last
        if self._last_success is not None:
            return _DELIVERED, self._last_success
        return _UNKNOWN, None
