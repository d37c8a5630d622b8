"""What a scan gives back: the codes found in a text, where they stand, and the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smtp_tui.core.vocabulary import Family, Outcome, Role


@dataclass(frozen=True, slots=True)
class Finding:
    """One code found in the text, with where it stands and what it stands beside.

    Identical lines in a row (an endless ``yes``, a log that repeats one reply) give one finding
    that counts them, rather than a finding for each.
    """

    code: str
    """The code as written: ``550`` or ``5.1.1``."""
    family: Family
    """``basic`` for a three-digit reply code, ``enhanced`` for an RFC 3463 X.Y.Z code."""
    line: int
    """The 1-based number of the line in `Scan.lines` that holds the code."""
    context: str
    """That line, stripped, without control characters, cut to at most 200 characters around
    the code."""
    role: Role
    """``reply`` (an SMTP reply), ``status`` (a DSN ``Status:`` field), ``diagnostic`` (a DSN
    ``Diagnostic-Code:`` field) or ``text`` (named in prose)."""
    pair: str | None
    """The code of the other family on the same reply (``550`` <-> ``5.1.1``), if there is one."""
    count: int = 1
    """How many lines in a row hold this finding, each the same as the first."""
    end: int = 0
    """The last of those lines; `line` itself when the finding stands once (0 is read so)."""

    def __post_init__(self) -> None:
        if self.end < self.line:
            # The same int object as `line` when it stands once: a million findings, a million
            # fewer ints.
            end = self.line if self.count == 1 else self.line + self.count - 1
            object.__setattr__(self, "end", end)


@dataclass(frozen=True)
class Scan:
    """What `scan` made of a text: its decoded lines, the codes in them and the verdict."""

    lines: Sequence[str]
    """The decoded, normalised text: MIME parts decoded, one entry per line, no line ends.
    (A view that cuts each line out of the text when asked, not a list of millions of strings.)"""
    findings: tuple[Finding, ...]
    """Every code, in order of appearance; a code repeated on the same line is listed once, and
    a run of identical lines is one finding with a `Finding.count`. A very long text keeps only
    the codes of its two ends (and the deciding one) here: see `left_out`."""
    outcome: Outcome
    """``delivered``, ``temporary``, ``permanent`` or ``unknown``: see `scan` for the rules."""
    deciding: Finding | None
    """The finding the outcome rests on, or None when no code decides it."""
    mismatched: tuple[Finding, ...]
    """Basic findings whose enhanced pair has another class (``554 4.0.0``): worth a warning."""
    left_out: tuple[tuple[str, int], ...] = ()
    """The codes of a long text's middle that are counted but not kept as findings (see
    `grouping.KEPT_FINDINGS`): each code with how many times it stands there, in order of first
    sight."""
    left_out_lines: tuple[int, int] | None = None
    """The first and last line of that middle, or None when every code is a finding."""

    @property
    def total(self) -> int:
        """How many codes were found, each line of a run of identical lines counted."""
        return sum(finding.count for finding in self.findings) + self.left_out_count

    @property
    def left_out_count(self) -> int:
        """How many codes stand in the middle that is only counted."""
        return sum(count for _, count in self.left_out)
