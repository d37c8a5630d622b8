"""What a pasted reply, transcript or bounce means: the codes `explain.scan` found, explained.

`explain` finds codes without knowing what they mean; this joins its findings to the repository, so
the CLI, the JSON and the browser's explain screen all say the same thing about the same text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from .explain import DELIVERED, PERMANENT, TEMPORARY, Finding, Scan, scan
from .i18n import text as _t
from .model import Code, EnhancedCode, ReplyCode
from .repository import Repository, UnknownCode

OUTCOMES = (DELIVERED, TEMPORARY, PERMANENT)
"""The outcomes with a headline of their own (catalogue keys ``explain.<outcome>``)."""
ROLES = ("reply", "status", "diagnostic", "text")
"""Where a finding stands (catalogue keys ``explain.role.<role>``)."""
CONTEXT_LIMIT = 1000
"""The longest context of a multi-line reply: the lines of a real one fit, and the lines of a
log that repeats one code for thousands of lines are not copied into it again and again."""
LEFT_OUT_SHOWN = 12
"""How many codes the note on a long text's unlisted middle names, with their counts."""


@dataclass(frozen=True)
class Item:
    """One reply as the user reads it: a reply code, its enhanced code, or both on one line."""

    line: int
    end: int
    """The last line of a multi-line reply; `line` for a single one."""
    context: str
    role: str
    basic: Code | None
    enhanced: Code | None
    codes: tuple[str, ...]
    """The codes as written, reply code first: ``("550", "5.1.1")``."""
    unknown: tuple[str, ...]
    """Codes of the right shape that the repository does not know (``599``)."""
    count: int = 1
    """How many times the reply stands, word for word, on lines in a row (an endless ``yes``):
    one item with a count rather than millions of the same."""

    @property
    def label(self) -> str:
        return " ".join(self.codes)

    @property
    def mismatch(self) -> bool:
        """A reply code and an enhanced code of different classes (554 4.0.0)."""
        basic, enhanced = self.basic, self.enhanced
        if not isinstance(basic, ReplyCode) or not isinstance(enhanced, EnhancedCode):
            return False
        return enhanced.status_class is not None and enhanced.tone != basic.tone

    @property
    def meaning(self) -> str:
        """One line: the enhanced code is the more specific, the reply code says what happened."""
        parts = []
        if self.enhanced is not None:
            parts.append(self.enhanced.name)
        if self.basic is not None:
            parts.append(self.basic.name if not parts else f"({self.basic.name})")
        if self.unknown:
            parts.append(_t("explain.not_in_data", codes=_t("list.separator").join(self.unknown)))
        text = " ".join(parts)
        if self.mismatch and self.basic is not None and self.enhanced is not None:
            disagree = _t(
                "explain.classes_disagree", basic=self.basic.code, enhanced=self.enhanced.code
            )
            text += f" ({disagree})"
        return text

    @property
    def main(self) -> Code | None:
        """The code to open for this item: the enhanced one, which says more, else the reply."""
        return self.enhanced or self.basic


@dataclass(frozen=True)
class Diagnosis:
    """The scan of a text, its findings grouped into items, and the verdict in words."""

    scan: Scan
    items: tuple[Item, ...]
    deciding: Item | None

    @property
    def headline(self) -> str:
        if not self.scan.findings:
            return _t("explain.no_codes")
        if self.scan.outcome in OUTCOMES:
            return _t(f"explain.{self.scan.outcome}")
        return _t("explain.no_outcome")

    @property
    def reason(self) -> str:
        """Which finding decides, and where it stands."""
        item = self.deciding
        if item is None:
            return ""
        role = _t(f"explain.role.{item.role}") if item.role in ROLES else item.role
        if item.end == item.line:
            return _t("explain.decided_line", label=item.label, line=item.line, role=role)
        return _t(
            "explain.decided_lines", label=item.label, first=item.line, last=item.end, role=role
        )

    @property
    def left_out(self) -> str:
        """One line on the codes of a long text's middle that are counted but not listed."""
        scan = self.scan
        if scan.left_out_lines is None or not scan.left_out:
            return ""
        shown = [f"{code} ×{count}" for code, count in scan.left_out[:LEFT_OUT_SHOWN]]
        if len(scan.left_out) > LEFT_OUT_SHOWN:
            shown.append("…")
        first, last = scan.left_out_lines
        return _t(
            "explain_left_out.note",
            count=scan.left_out_count,
            first=first,
            last=last,
            codes=_t("list.separator").join(shown),
        )

    @property
    def advice(self) -> str:
        """What the sender should do, from the deciding code."""
        item = self.deciding
        if item is None or item.main is None or self.scan.outcome == DELIVERED:
            return ""
        return item.main.fix_sender


def _lookup(repository: Repository, code: str) -> Code | None:
    try:
        return repository.get(code)
    except UnknownCode:
        return None


def _items(findings: tuple[Finding, ...], repository: Repository) -> list[Item]:
    """Group each reply code with the enhanced code written beside it, keeping text order."""
    items: list[Item] = []
    used: set[int] = set()
    """Findings already taken as the pair of one before them on their line."""
    for index, finding in enumerate(findings):
        if index in used:
            used.discard(index)
            continue
        group = [finding]
        if finding.pair is not None:
            for other_index in range(index + 1, len(findings)):
                other = findings[other_index]
                if other.line != finding.line:
                    break  # Findings are in text order: the pair is on this line or nowhere.
                if other.code == finding.pair:
                    group.append(other)
                    used.add(other_index)
                    break
        group.sort(key=lambda item: item.family != "basic")
        codes = tuple(entry.code for entry in group)
        last = items[-1] if items else None
        if last is not None and last.codes == codes and last.end + 1 == finding.line:
            # A multi-line reply (550-5.1.1 … / 550 5.1.1 …) is one reply: one item.
            items[-1] = replace(
                last,
                end=finding.end,
                context=_joined(last.context, finding.context),
                count=last.count + finding.count - 1,
            )
            continue
        found = {entry.family: _lookup(repository, entry.code) for entry in group}
        items.append(
            Item(
                line=finding.line,
                end=finding.end,
                context=finding.context,
                role=finding.role,
                basic=found.get("basic"),
                enhanced=found.get("enhanced"),
                codes=tuple(entry.code for entry in group),
                unknown=tuple(entry.code for entry in group if found.get(entry.family) is None),
                count=finding.count,
            )
        )
    return items


def _joined(context: str, more: str) -> str:
    """The context of a multi-line reply with one more line, cut at `CONTEXT_LIMIT`."""
    if len(context) >= CONTEXT_LIMIT:
        return context
    joined = f"{context} {more}"
    return joined if len(joined) <= CONTEXT_LIMIT else joined[: CONTEXT_LIMIT - 1] + "…"


def diagnose(text: str | bytes | bytearray, repository: Repository) -> Diagnosis:
    """Scan `text` (never raises) and explain every code found with the repository."""
    result = scan(text)
    items = _items(result.findings, repository)
    deciding = None
    if result.deciding is not None:
        target = result.deciding
        deciding = next(
            (
                item
                for item in items
                if item.line <= target.line <= item.end and target.code in item.codes
            ),
            None,
        )
    return Diagnosis(result, tuple(items), deciding)


def _items_of(diagnosis: Diagnosis) -> Iterator[Item | None]:
    """The item of each finding, in order: findings and items are both in text order, so one
    walk through both finds them (a table of every line an item spans could hold millions)."""
    items = diagnosis.items
    start = 0
    line = 0
    on_line: dict[str, Item] = {}
    for finding in diagnosis.scan.findings:
        if finding.line != line:
            line = finding.line
            while start < len(items) and items[start].end < line:
                start += 1
            on_line = {}
            position = start
            while position < len(items) and items[position].line <= line:
                on_line.update(dict.fromkeys(items[position].codes, items[position]))
                position += 1
        yield on_line.get(finding.code)


def diagnosis_to_dict(diagnosis: Diagnosis) -> dict[str, object]:
    """The JSON of ``smtp-tui explain --json``: the outcome, then every finding on its own.

    A finding that stands on several identical lines in a row is one entry: its `line` is the
    first of them, `last_line` the last and `count` how many. In a very long text the codes
    between the first and last findings kept are only counted: `left_out` says which, and where.
    """
    findings = []
    for finding, item in zip(diagnosis.scan.findings, _items_of(diagnosis), strict=True):
        entry = None
        if item is not None:
            entry = item.basic if finding.family == "basic" else item.enhanced
        findings.append(
            {
                "code": finding.code,
                "family": finding.family,
                "line": finding.line,
                "role": finding.role,
                "pair": finding.pair,
                "context": finding.context,
                "name": entry.name if entry is not None else None,
                "known": entry is not None,
                "mismatch": bool(item and item.mismatch),
                "count": finding.count,
                "last_line": finding.end,
            }
        )
    deciding = diagnosis.scan.deciding
    return {
        "outcome": diagnosis.scan.outcome,
        "headline": diagnosis.headline,
        "deciding": (
            {"code": deciding.code, "family": deciding.family, "line": deciding.line}
            if deciding is not None
            else None
        ),
        "advice": diagnosis.advice or None,
        "findings": findings,
        "left_out": (
            {
                "first_line": diagnosis.scan.left_out_lines[0],
                "last_line": diagnosis.scan.left_out_lines[1],
                "count": diagnosis.scan.left_out_count,
                "codes": dict(diagnosis.scan.left_out),
            }
            if diagnosis.scan.left_out_lines is not None
            else None
        ),
    }
