"""`explain` on input without end: bounded reading, Ctrl+C, and a scan that stays linear.

The memory checks run the CLI in a child of a small Python wrapper, so that the peak RSS
reported by `RUSAGE_CHILDREN` is that of the one command (a pytest worker's own children would
otherwise be counted too). They use small limits to stay fast; the 50 MB default is measured by
hand (see the benchmark).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from smtp_tui import diagnosis, explain
from smtp_tui.diagnosis import diagnose, diagnosis_to_dict
from smtp_tui.explain import Finding, scan
from smtp_tui.repository import Repository

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

# --- The scan: identical lines grouped, every step linear ---------------------------------------


def test_identical_lines_are_one_finding_with_a_count() -> None:
    result = scan("Hello\n" + "550 5.1.1 <a@example.org> gone\n" * 100_000 + "bye 250 2.0.0 ok")
    assert [(f.code, f.line, f.end, f.count) for f in result.findings] == [
        ("550", 2, 100_001, 100_000),
        ("5.1.1", 2, 100_001, 100_000),
        ("250", 100_002, 100_002, 1),
        ("2.0.0", 100_002, 100_002, 1),
    ]
    assert result.total == 200_002
    assert result.outcome == "permanent" and result.deciding == result.findings[0]
    assert len(result.lines) == 100_002
    assert result.lines[0] == "Hello" and result.lines[-1] == "bye 250 2.0.0 ok"
    assert result.lines[50_000] == "550 5.1.1 <a@example.org> gone"


def test_two_identical_lines_are_grouped_too_and_json_keeps_every_key(repo: Repository) -> None:
    text = "220 mx ready\n452 4.2.2 full\n452 4.2.2 full\n221 bye"
    result = diagnose(text, repo)
    entries = diagnosis_to_dict(result)["findings"]
    assert isinstance(entries, list)
    assert [(e["code"], e["line"], e["count"], e["last_line"]) for e in entries] == [
        ("220", 1, 1, 1),
        ("452", 2, 2, 3),
        ("4.2.2", 2, 2, 3),
        ("221", 4, 1, 4),
    ]
    old_keys = {"code", "family", "line", "role", "pair", "context", "name", "known", "mismatch"}
    assert all(old_keys < set(entry) for entry in entries)
    assert [(item.label, item.line, item.end, item.count) for item in result.items][1] == (
        "452 4.2.2",
        2,
        3,
        2,
    )


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Counts the calls of `owner.name` from now on: the operations a test may compare."""
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_run_of_identical_lines_is_judged_three_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long run is scanned as its first line, one middle line and its last: 4 million
    identical replies are not 4 million judgements, nor 4 million objects."""
    calls = _counting(monkeypatch, explain._Finder, "_basic")
    findings = _counting(monkeypatch, explain, "Finding")
    scan("550 5.1.1 x\n" * 200_000)
    assert calls[0] == 3
    assert findings[0] <= 12


class _CountingFindings(Sequence[Finding]):
    """Findings that count how often one is looked at."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = findings
        self.reads = 0

    def __len__(self) -> int:
        return len(self.findings)

    def __getitem__(self, index: int) -> Finding:  # type: ignore[override]
        self.reads += 1
        return self.findings[index]

    def __iter__(self) -> Iterator[Finding]:
        for finding in self.findings:
            self.reads += 1
            yield finding


def _reads_to_group(lines: int, repo: Repository) -> int:
    """How many findings `diagnosis._items` reads for `lines` Postfix replies wrapped in two,
    each with its enhanced code on the next line."""
    text = "".join(f"host mx{n} said: 550\n5.1.1 <u{n}@example.org> gone\n" for n in range(lines))
    counting = _CountingFindings(scan(text).findings)
    diagnosis._items(counting, repo)  # type: ignore[arg-type]
    return counting.reads


def test_grouping_findings_into_items_reads_each_finding_a_few_times(repo: Repository) -> None:
    """The pair of a code wrapped onto the next line was looked for to the end of the text,
    for every such code."""
    small, large = _reads_to_group(500, repo), _reads_to_group(1000, repo)
    assert large <= 2.1 * small


def test_a_long_multi_line_item_keeps_a_short_context(repo: Repository) -> None:
    """The context of a multi-line reply was the whole run joined, copied once per line."""
    text = "".join(
        f"550 5.1.1 <user{n}@example.org>: Recipient address rejected\n" for n in range(20_000)
    )
    result = diagnose(text, repo)
    assert len(result.items) == 1
    assert (result.items[0].line, result.items[0].end, result.items[0].count) == (1, 20_000, 1)
    assert len(result.items[0].context) <= diagnosis.CONTEXT_LIMIT
    assert result.items[0].context.startswith("550 5.1.1 <user0@example.org>")
