"""Agreement of our bounce reasons with the shared corpus (Sisimai's readings of 99 real messages).

Reads `../shared/corpus/bounces` beside the project (not ours, never copied in); prints the share
of messages whose reason agrees, hard/soft agreement per recipient, and a confusion table. A
measure, not a test: the corpus is never used to tune one message at a time.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bounces"
sys.path.insert(0, str(ROOT))

from smtp_tui.core.reasons import Bounce  # noqa: E402
from smtp_tui.core.reasons.reports import classify_scan, recipient_verdicts  # noqa: E402
from smtp_tui.core.scanner import scan  # noqa: E402


def main() -> int:
    if not (CORPUS / "expected.json").exists():
        print(f"no shared corpus at {CORPUS}: nothing to measure")
        return 0
    records = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    agree = hard_agree = hard_total = 0
    confusion: collections.Counter[tuple[str, str]] = collections.Counter()
    misses = []
    for record in records:
        scanned = scan((CORPUS / record["file"]).read_bytes())
        result = classify_scan(scanned)
        ours = result.reason.value if result else None
        expected = record["reason"]
        agree += ours == expected
        confusion[(str(expected), str(ours))] += 1
        if ours != expected:
            misses.append((record["file"], expected, ours, result.why if result else ""))
        # The corpus lists recipients in the report's order, without addresses: ours pair with
        # them by order when we found as many; otherwise the message's verdict stands for each.
        each = recipient_verdicts(scanned)
        if len(each) != len(record["recipients"]):
            each = [result] * len(record["recipients"])
        for recipient, ours_each in zip(record["recipients"], each, strict=True):
            hard_total += 1
            our_hard = ours_each is not None and ours_each.bounce is Bounce.HARD
            hard_agree += our_hard == bool(recipient["hard_bounce"])
    print(f"reason agreement: {agree}/{len(records)} = {agree / len(records):.1%}")
    print(f"hard/soft agreement: {hard_agree}/{hard_total} = {hard_agree / hard_total:.1%}")
    print("\nconfusion (expected -> ours: count), disagreements only:")
    for (expected, ours), count in sorted(confusion.items(), key=lambda item: -item[1]):
        if expected != ours:
            print(f"  {expected:>16} -> {ours:<16} {count}")
    if "-v" in sys.argv:
        for miss in misses:
            print(*miss, sep="  |  ")
    through_explain(records)
    return 0


def through_explain(records: list[dict[str, object]]) -> None:
    """The same measure on what ``explain --json`` says: its top-level reason, and the bounce of
    each of its `recipients` (paired by order when it lists as many; else its own bounce)."""
    from smtp_tui.core.diagnosis import diagnose, diagnosis_to_dict
    from smtp_tui.core.loading import load

    repository = load()
    agree = hard_agree = hard_total = 0
    for record in records:
        data = diagnosis_to_dict(diagnose((CORPUS / str(record["file"])).read_bytes(), repository))
        agree += data["reason"] == record["reason"]
        expected = record["recipients"]
        assert isinstance(expected, list)
        listed = data["recipients"]
        assert isinstance(listed, list)
        each = listed if len(listed) == len(expected) else [data] * len(expected)
        for recipient, ours in zip(expected, each, strict=True):
            hard_total += 1
            hard_agree += (ours["bounce"] == "hard") == bool(recipient["hard_bounce"])
    print(f"\nthrough explain --json: reason {agree}/{len(records)} = {agree / len(records):.1%},")
    print(f"  hard/soft {hard_agree}/{hard_total} = {hard_agree / hard_total:.1%}")


if __name__ == "__main__":
    raise SystemExit(main())
