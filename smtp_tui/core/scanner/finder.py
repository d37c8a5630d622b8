"""The pass over a decoded text that finds the credible codes, sets their roles and pairs them."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from smtp_tui.core.scanner.clues import (
    DSN_FIELD,
    END_AHEAD,
    ENHANCED_AHEAD,
    ENHANCED_WRAPPED,
    NOTHING_AHEAD,
    STATUS_TEXT_AHEAD,
    TEXT_AHEAD,
    FieldLines,
    at_line_start,
    basic_free_after,
    basic_free_before,
    basic_lead_in,
    enhanced_lead_in,
    enhanced_ok,
    is_continuation,
    is_noise,
)
from smtp_tui.core.vocabulary import Family, Role

_BASIC, _ENHANCED = Family.BASIC, Family.ENHANCED
_REPLY, _STATUS, _DIAGNOSTIC, _TEXT = Role.REPLY, Role.STATUS, Role.DIAGNOSTIC, Role.TEXT
"""The members as module constants: in Python 3.11 reading ``Family.BASIC`` costs about 140 ns (the
enum's class attribute is a descriptor), which a scan of millions of candidates pays each time."""

_CANDIDATE = re.compile(
    r"[2-5](?<![0-9A-Za-z_.].)"
    r"(?:(?<=[245])(?P<enhanced>\.[0-7]\.[0-9]{1,3})|(?P<basic>[0-5][0-9]))"
    r"(?![0-9A-Za-z_])"
)
"""A three-digit reply code or an X.Y.Z enhanced code, not inside a longer word or number.

The look-behind comes after the first digit so that the engine can skip ahead to digits: put
first, it would be tried at every position and the scan of a megabyte would take twice as long.

Why not the model's parser (`smtp_tui.core.model.parse_code`): that one reads a whole string the
user typed as one code, while this one searches megabytes of free text for codes among other
numbers. It is narrower on purpose (only classes 2, 4, 5 and subjects 0-7 for enhanced codes,
as RFC 3463 §2 defines them, so ``10.5.1.1`` or ``1.2.3`` versions are not taken) and shaped for
speed; whether a match is a code at all is then decided by `clues`.
"""

_FIELD_ROLES = {"diagnostic-code": _DIAGNOSTIC, "status": _STATUS}
"""The role of a code in one of the two DSN fields that hold codes (by its lower-case name)."""


@dataclass(slots=True)
class Hit:
    """A finding being built: mutable while pairs are linked, frozen into a `Finding` at the end."""

    code: str
    family: Family
    index: int
    start: int
    role: Role
    pair: Hit | None = None
    place: int = -1
    """Where its finding is in `Scan.findings`, once made."""


class Finder:
    """One pass over the decoded text, judging each candidate code by what stands around it."""

    def __init__(
        self,
        text: str,
        lines: Sequence[str],
        offsets: Sequence[int],
        sink: Callable[[Hit], None],
    ) -> None:
        self.text = text
        self.lines = lines
        self.offsets = offsets
        """Where each line starts in `text`."""
        self.fields = FieldLines(lines)
        self.sink = sink
        """Takes each hit, in order, once nothing later can change it."""
        self.hits: list[Hit] = []
        """The hits of the last lines, which the next line may still pair."""
        self._pending: dict[tuple[int, int], Hit] = {}
        """Enhanced codes already claimed by the basic code before them, by (line, column)."""

    def run(self) -> None:
        """Give the sink the credible codes in order of appearance, roles set and pairs linked.

        A hit is given away as soon as its line and the next are read (a basic code may pair
        with an enhanced code wrapped onto the next line), so that no list of every hit in a
        text of millions of lines is ever held.
        """
        offsets = self.offsets
        seen: dict[str, Hit] = {}
        """The finding of each code on the current line: a code is listed once per line."""
        index = 0
        for match in _CANDIDATE.finditer(self.text):
            if index + 1 < len(offsets) and match.start() >= offsets[index + 1]:
                index = bisect.bisect_right(offsets, match.start(), lo=index) - 1
                seen.clear()
                if self.hits and self.hits[0].index < index - 1:
                    self._flush(index - 1)
                if self._pending:
                    # Claims reach the next line at most: older ones are stale.
                    self._pending = {
                        key: hit for key, hit in self._pending.items() if key[0] >= index
                    }
            start = match.start() - offsets[index]
            end = match.end() - offsets[index]
            listed = seen.get(match.group())
            if listed is not None:
                # Not judged again (that would only cost time), but its pair still counts.
                self._repeat(listed, index, start, end)
                continue
            if match.lastgroup == "basic":
                hit = self._basic(index, start, end)
            else:
                hit = self._enhanced(index, start, end)
            if hit is not None:
                seen[hit.code] = hit
                self.hits.append(hit)
        self._flush(len(offsets))

    def _flush(self, before: int) -> None:
        """Pair and give away the hits of the lines before line `before`: all are final."""
        done = [hit for hit in self.hits if hit.index < before]
        self.hits = self.hits[len(done) :]
        self._pair_on_line(done)
        for hit in done:
            self.sink(hit)

    def _repeat(self, listed: Hit, index: int, start: int, end: int) -> None:
        """Link the pair of a code already listed on this line: in ``dsn=5.1.1 ... said: 550
        5.1.1``, the 550 pairs with the 5.1.1 listed first."""
        if listed.family is _ENHANCED:
            partner = self._pending.pop((index, start), None)
            if partner is not None:
                partner.pair = partner.pair or listed
                listed.pair = listed.pair or partner
            return
        line = self.lines[index]
        ahead = ENHANCED_AHEAD.match(line, end)
        if ahead is not None and enhanced_ok(line, ahead.start("code"), ahead.end("code")):
            self._pending[(index, ahead.start("code"))] = listed

    def _basic(self, index: int, start: int, end: int) -> Hit | None:
        """A basic code is credible where a server reply stands; elsewhere it is another number."""
        line = self.lines[index]
        if not basic_free_before(line, start):
            return None
        claims: tuple[int, int] | None = None
        ahead = ENHANCED_AHEAD.match(line, end)
        if ahead is not None and enhanced_ok(line, ahead.start("code"), ahead.end("code")):
            claims = (index, ahead.start("code"))  # 550 5.1.1, and 550-5.7.26 with its dash.
        elif not basic_free_after(line, end):
            return None
        elif index + 1 < len(self.lines) and NOTHING_AHEAD.match(line, end):
            following = self.lines[index + 1]
            wrapped = ENHANCED_WRAPPED.match(following)
            if wrapped is not None and enhanced_ok(following, wrapped.start(), wrapped.end()):
                claims = (index + 1, wrapped.start("code"))
        credible = claims is not None
        if not credible:
            text_ahead = TEXT_AHEAD.match(line, end) is not None
            if not text_ahead and END_AHEAD.match(line, end) is None:
                return None
            credible = basic_lead_in(line, start) or (text_ahead and at_line_start(line, start))
            if not credible and not is_continuation(line) and not DSN_FIELD.match(line):
                return None  # No field can vouch for it either: saves the field look-up.
        name = self.fields.field(index)
        if is_noise(name) or not (credible or name == "diagnostic-code"):
            return None
        role = _FIELD_ROLES.get(name or "", _REPLY)
        # Interned: one string object per code, however many findings hold it.
        hit = Hit(sys.intern(line[start:end]), _BASIC, index, start, role)
        if claims is not None:
            self._pending[claims] = hit
        return hit

    def _enhanced(self, index: int, start: int, end: int) -> Hit | None:
        """An enhanced code is credible beside a reply code, in a DSN field, opening a line or
        after a word that names a code; anywhere else X.Y.Z is more likely a version number."""
        line = self.lines[index]
        code = sys.intern(line[start:end])
        partner = self._pending.pop((index, start), None)
        if partner is not None:
            hit = Hit(code, _ENHANCED, index, start, partner.role, partner)
            if partner.pair is None:
                partner.pair = hit
            return hit
        if not enhanced_ok(line, start, end):
            return None
        at_start = STATUS_TEXT_AHEAD.match(line, end) is not None and at_line_start(line, start)
        credible = at_start or enhanced_lead_in(line, start)
        if not credible and not is_continuation(line) and not DSN_FIELD.match(line):
            return None  # No field can vouch for it either: saves the field look-up.
        name = self.fields.field(index)
        if name == "status":
            return Hit(code, _ENHANCED, index, start, _STATUS)
        if name == "diagnostic-code":
            return Hit(code, _ENHANCED, index, start, _DIAGNOSTIC)
        if not credible or is_noise(name):
            return None
        role = _REPLY if at_start else _TEXT
        return Hit(code, _ENHANCED, index, start, role)

    @staticmethod
    def _pair_on_line(hits: list[Hit]) -> None:
        """Pair the lone basic and lone enhanced code of one reply line: qmail's
        ``550 sorry, no mailbox here by that name (#5.1.1 - chkusr)`` is one reply."""
        by_line: dict[int, list[Hit]] = {}
        for hit in hits:
            by_line.setdefault(hit.index, []).append(hit)
        for group in by_line.values():
            if len(group) != 2 or group[0].pair is not None or group[1].pair is not None:
                continue
            basic, enhanced = group
            if basic.family is _BASIC and enhanced.family is _ENHANCED and basic.role is not _TEXT:
                basic.pair, enhanced.pair = enhanced, basic
