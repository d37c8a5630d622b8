"""Each recipient of a delivery-status report (RFC 3464 §2.3): address, action, status, verdict.

A report on several recipients gives each its own group of fields, from its ``Final-Recipient``
on; each is read like a small report of its own, so one recipient's unknown address and another's
full mailbox are told apart. ``Action: delayed`` (RFC 3464 §2.3.3) is a warning that the
message is still queued: temporary, never a bounce.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smtp_tui.core.reasons import Reason, Verdict, verdict
from smtp_tui.core.reasons.reports import classify_scan, failure_words
from smtp_tui.core.vocabulary import Family, Role

if TYPE_CHECKING:
    from smtp_tui.core.scanner import Scan

LINES_READ = 5000
"""The report's fields stand near its start; a long text's tail (the returned message) is not
read for them, so a pasted megabyte costs no more than a real report."""
RECIPIENTS_KEPT = 200
"""At most this many recipients are listed: a report on more is a list, not a diagnosis."""

_FIELD = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(?P<value>.*)")
_GROUP_END = re.compile(r"\s*(?:--\S|content-type\s*:)", re.I)
_TYPED = re.compile(r"[A-Za-z0-9-]+[ \t]*;[ \t]*(?P<rest>.*)")
"""``rfc822; user@example.com``, ``dns; mx.example.com``, ``smtp; 550 …``: the type is dropped."""
_REPLY_CODE = re.compile(r"(?P<code>[245][0-9][0-9])(?![0-9])")
LOOK_BACK = 6
"""Lines above a failure in prose searched for the address it is about."""
_NOT_FAILED = frozenset(("delivered", "relayed", "expanded"))
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class Recipient:
    """One recipient of a delivery-status report and what became of its message."""

    address: str
    action: str | None
    """``failed``, ``delayed``, ``delivered``, ``relayed`` or ``expanded`` (lowercase)."""
    status: str | None
    """The enhanced status code, ``5.1.1``."""
    reply_code: str | None
    """The reply code of its ``Diagnostic-Code``, when it names one."""
    remote_mta: str | None
    diagnostic: str | None
    verdict: Verdict | None


def _typed(value: str) -> str:
    found = _TYPED.fullmatch(value.strip())
    return (found["rest"] if found else value).strip()


def _groups(lines: Sequence[str]) -> list[dict[str, str]]:
    """The field groups that name a ``Final-Recipient``, each as lowercased name → value."""
    groups: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last = ""
    for number, line in enumerate(lines):
        if number >= LINES_READ or len(groups) >= RECIPIENTS_KEPT:
            break
        if line[:1] in (" ", "\t") and last and line.strip():
            current[last] += " " + line.strip()  # a folded field continues
            continue
        field = _FIELD.fullmatch(line.strip()) if line.strip() else None
        if field is None or _GROUP_END.match(line):
            if "final-recipient" in current:
                groups.append(current)
            current, last = {}, ""
            continue
        last = field["name"].lower()
        if last == "final-recipient" and "final-recipient" in current:
            groups.append(current)  # a new recipient without a blank line between
            current = {}
        current.setdefault(last, field["value"].strip())
    if "final-recipient" in current and len(groups) < RECIPIENTS_KEPT:
        groups.append(current)
    return groups


def _text_of(group: dict[str, str]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in group.items())


def _prose_blocks(scan: Scan) -> list[tuple[int, str]]:
    """The words of each failed recipient of a report in prose: each reply line of the deciding
    class starts one (as `reasons.recipient_verdicts` reads them); none when there is only one."""
    if scan.deciding is None:
        return []
    klass = scan.deciding.code[:1]
    failures = {
        finding.line
        for finding in scan.findings
        if finding.role is Role.REPLY
        and finding.code[:1] == klass
        and finding.line <= len(scan.lines)
        and finding.code[:1] == klass
        and finding.line <= len(scan.lines)
    }
    seen: set[str] = set()
    blocks: list[tuple[int, str]] = []
    for number in sorted(failures)[:RECIPIENTS_KEPT]:
        words = failure_words(scan.lines, number, failures)
        if words.strip() not in seen:  # a report that repeats itself in two languages
            seen.add(words.strip())
            blocks.append((number, words))
    return blocks if len(blocks) > 1 else []


def _address_near(scan: Scan, number: int, words: str, after: int) -> str:
    """The address the failure's words name, else the nearest above it (an Exim report names
    the recipient, then the host, then the reply), never above the failure before it."""
    found = _ADDRESS.search(words)
    if found is None:
        for line in range(number - 1, max(after, number - LOOK_BACK), -1):
            found = _ADDRESS.search(scan.lines[line - 1])
            if found is not None:
                break
    return found.group(0).rstrip(".") if found is not None else ""


def prose_recipients(scan: Scan) -> tuple[Recipient, ...]:
    """Each failed recipient of a bounce in prose (no delivery-status part): its address, as the
    words name it, and its own verdict; empty when the report names fewer than two."""
    from smtp_tui.core.scanner import scan as scan_text

    found = []
    after = 0
    for number, words in _prose_blocks(scan):
        own = scan_text(words)
        address = _address_near(scan, number, words, after)
        after = number
        reply = next((f.code for f in own.findings if f.family is Family.BASIC), None)
        status = next((f.code for f in own.findings if f.family is Family.ENHANCED), None)
        judged = classify_scan(own) or verdict(Reason.UNDEFINED, "nothing names a reason")
        found.append(
            Recipient(
                address=address,
                action=None,
                status=status,
                reply_code=reply,
                remote_mta=None,
                diagnostic=words,
                verdict=judged,
            )
        )
    return tuple(found)


def recipients(scan: Scan, overall: Verdict | None) -> tuple[Recipient, ...]:
    """Every recipient a delivery-status report names, in its order; empty for other texts.

    With one recipient the report's verdict is its verdict (the whole report says more than one
    group of fields); with several, each group is judged on its own words.
    """
    from smtp_tui.core.scanner import scan as scan_text

    groups = _groups(scan.lines)
    found = []
    for group in groups:
        action = group.get("action", "").split(" ")[0].lower() or None
        diagnostic = _typed(group["diagnostic-code"]) if "diagnostic-code" in group else None
        code = _REPLY_CODE.match(diagnostic or "")
        status = group.get("status", "").split(" ")[0] or None
        if action in _NOT_FAILED:
            judged: Verdict | None = verdict(Reason.DELIVERED, f"Action: {action}")
        elif len(groups) == 1 and overall is not None:
            judged = overall
        else:
            judged = classify_scan(scan_text(_text_of(group)))
        if action == "delayed" and judged is not None:
            # Still queued: a warning, not a bounce (RFC 3464 §2.3.3).
            judged = replace(judged, bounce=None, why=f"{judged.why}; Action: delayed")
        found.append(
            Recipient(
                address=_typed(group["final-recipient"]),
                action=action,
                status=status,
                reply_code=code["code"] if code else None,
                remote_mta=_typed(group["remote-mta"]) if "remote-mta" in group else None,
                diagnostic=diagnostic,
                verdict=judged,
            )
        )
    return tuple(found)
