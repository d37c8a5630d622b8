"""What a pasted reply, transcript or bounce means: the codes `explain.scan` found, explained.

`explain` finds codes without knowing what they mean; this joins its findings to the repository, so
the CLI, the JSON and the browser's explain screen all say the same thing about the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Code, EnhancedCode, ReplyCode
from smtp_tui.core.reasons import Bounce, Fault, Reason, Verdict
from smtp_tui.core.reasons.replies import classify, reason_from_codes
from smtp_tui.core.reasons.reports import classify_scan, failure_words
from smtp_tui.core.recipients import Recipient, prose_recipients, recipients
from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.core.scanner import Finding, Scan, scan
from smtp_tui.core.scanner.decoding import looks_like_message
from smtp_tui.core.transcript import Session, Stage, sessions
from smtp_tui.core.vocabulary import Family, Outcome, Role

if TYPE_CHECKING:
    from smtp_tui.core.providers import Provider, ProviderEntry
CONTEXT_LIMIT = 1000
"""The longest context of a multi-line reply: the lines of a real one fit, and the lines of a
log that repeats one code for thousands of lines are not copied into it again and again."""
LEFT_OUT_SHOWN = 12
"""How many codes the note on a long text's unlisted middle names, with their counts."""
SCHEMA_VERSION = 2
"""Of ``explain --json``: 2 added the verdict (reason, bounce, fault, why), the provider, the
report's kind and its recipients; everything of 1 stays."""
DETECT_CHARS = 65_536
"""How much of the text provider detection and the verdict read: a real reply or report fits,
and a pasted megabyte of log is not searched again for host names."""
ITEMS_MATCHED = 200
"""Items asked for the provider's meaning: a report has a few, a long log thousands of the same."""


@dataclass(frozen=True)
class Item:
    """One reply as the user reads it: a reply code, its enhanced code, or both on one line."""

    line: int
    end: int
    """The last line of a multi-line reply; `line` for a single one."""
    context: str
    role: Role
    basic: Code | None
    enhanced: Code | None
    codes: tuple[str, ...]
    """The codes as written, reply code first: ``("550", "5.1.1")``."""
    unknown: tuple[str, ...]
    """Codes of the right shape that the repository does not know (``599``)."""
    count: int = 1
    """How many times the reply stands, word for word, on lines in a row (an endless ``yes``):
    one item with a count rather than millions of the same."""
    provider_entry: ProviderEntry | None = None
    """What the provider that sent the text means by this reply, when its data has an entry."""

    @property
    def provider_meaning(self) -> str | None:
        """The provider's short name for the reply: read first, before the registry's meaning."""
        return self.provider_entry.meaning if self.provider_entry is not None else None

    @property
    def reply_code(self) -> str | None:
        return self.basic.code if self.basic is not None else _first(self.codes, "basic")

    @property
    def enhanced_code(self) -> str | None:
        return self.enhanced.code if self.enhanced is not None else _first(self.codes, "enhanced")

    @property
    def differs(self) -> bool:
        """The provider uses the number for another reason than the registry's meaning of it."""
        entry = self.provider_entry
        if entry is None or self.main is None:
            return False
        registry = reason_from_codes(self.reply_code, self.enhanced_code)
        return registry is not None and registry[0] is not entry.reason

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
    sessions: tuple[Session, ...] = ()
    """The SMTP sessions when the text is a transcript: then the outcome is theirs."""
    deciding_session: Session | None = None
    verdict: Verdict | None = None
    """The reason, hard/soft bounce, fault and why: of the deciding session for a transcript,
    else of the whole text; None when nothing failed or was said."""
    provider: Provider | None = None
    """The provider that sent the reply or report, when it is recognised."""
    recipients: tuple[Recipient, ...] = field(default=())
    """Each recipient of a delivery-status report, in its order."""
    report_kind: str | None = None
    """``dsn``, ``feedback``, ``auto-reply``, ``bounce``, ``transcript`` or ``reply``; None
    when the text holds no code and is no report."""
    feedback_type: str | None = None
    """A complaint report's ``Feedback-Type`` (RFC 5965 §3.1): ``abuse``, ``fraud``, …"""

    @property
    def headline(self) -> str:
        judged = self.verdict
        if judged is not None and judged.reason is Reason.VACATION:
            return _t("explain_provider.vacation")
        if judged is not None and judged.reason is Reason.FEEDBACK:
            kind = self.feedback_type or _t("explain_provider.unknown_type")
            return _t("explain_provider.feedback", type=kind)
        if self.deciding_session is not None:
            return session_verdict(self.deciding_session)
        if not self.scan.findings:
            return _t("explain.no_codes")
        return _t(self.scan.outcome.key)

    @property
    def reason(self) -> str:
        """Which finding decides, and where it stands."""
        item = self.deciding
        if item is None:
            return ""
        role = _t(item.role.key)
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
    def entry(self) -> ProviderEntry | None:
        """The provider's entry for the deciding reply."""
        return self.deciding.provider_entry if self.deciding is not None else None

    @property
    def advice(self) -> str:
        """What the sender should do, chosen from the verdict so it never contradicts it.

        The provider's own advice when its data knows the reply; the registry code's advice
        only when the code's class and reason are the verdict's (Microsoft's 5.4.1 is a rejected
        recipient, not the registry's "no answer from host": "wait" would be wrong); else advice
        for whose move it is and whether sending again can work.
        """
        judged = self.verdict
        if judged is None or judged.reason in (Reason.DELIVERED, Reason.VACATION):
            return ""
        if judged.reason is Reason.FEEDBACK:
            return _t("explain_provider.advice.feedback")
        temporary = self.scan.outcome is Outcome.TEMPORARY
        entry = self.entry
        if entry is not None and entry.reason is judged.reason:
            return entry.fix_sender
        item = self.deciding
        if item is not None and item.main is not None and not item.differs:
            registry = reason_from_codes(item.reply_code, item.enhanced_code)
            tone = {Outcome.TEMPORARY: 4, Outcome.PERMANENT: 5}.get(self.scan.outcome)
            if registry is not None and registry[0] is judged.reason and item.main.tone == tone:
                return item.main.fix_sender
        return advice_for(judged, temporary=temporary)


def _first(codes: tuple[str, ...], family: str) -> str | None:
    """The code of a family among codes as written (``599`` is a reply code we do not know)."""
    for code in codes:
        if ("." in code) == (family == Family.ENHANCED):
            return code
    return None


ADVICE: dict[tuple[Fault | None, bool], str] = {
    (Fault.RECIPIENT, False): "explain_provider.advice.recipient",
    (Fault.RECIPIENT, True): "explain_provider.advice.recipient_hard",
    (Fault.SENDER, False): "explain_provider.advice.sender",
    (Fault.REMOTE, False): "explain_provider.advice.remote",
    (Fault.REMOTE, True): "explain_provider.advice.remote_hard",
    (Fault.NETWORK, False): "explain_provider.advice.network",
    (None, False): "explain_provider.advice.undefined",
}
"""Advice by whose move it is and whether the bounce is hard (sending again can never work)."""


def advice_for(judged: Verdict, *, temporary: bool) -> str:
    """Advice for whose move it is and whether sending again can work."""
    hard = judged.bounce is Bounce.HARD
    key = ADVICE.get((judged.fault, hard)) or ADVICE[(judged.fault, False)]
    text = _t(key)
    if temporary:
        text += " " + _t("explain_provider.advice.temporary")
    return text


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
        group.sort(key=lambda item: item.family is not Family.BASIC)
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
                basic=found.get(Family.BASIC),
                enhanced=found.get(Family.ENHANCED),
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


def session_verdict(session: Session) -> str:
    """One line: delivered, or where the session failed and with what, or where it stopped."""
    failure = session.failure
    if session.delivered:
        accepted = next(
            step for step in session.steps if step.stage is Stage.END_OF_DATA and step.reply_code
        )
        return _t("transcript.delivered", code=accepted.reply_code, line=accepted.line)
    if failure is not None:
        reply = failure.text.splitlines()[-1] if failure.text else _t("transcript.no_reply")
        return _t("transcript.failed", stage=failure.stage.value.upper(), reply=reply)
    if any(step.stage is Stage.DATA for step in session.steps):
        return _t("transcript.stopped_in_data")
    return _t("transcript.stopped_before_data")


def _session_outcome(session: Session) -> Outcome:
    if session.delivered:
        return Outcome.DELIVERED
    code = session.failure.reply_code if session.failure is not None else None
    return {"4": Outcome.TEMPORARY, "5": Outcome.PERMANENT}.get((code or " ")[0], Outcome.UNKNOWN)


def _transcript(result: Scan, raw: str | bytes | bytearray) -> tuple[Scan, tuple[Session, ...]]:
    """The scan with the outcome of the sessions when the text is a transcript: the closing
    221 of a failed session must not decide that it was delivered."""
    if isinstance(raw, (bytes, bytearray)) and looks_like_message(raw):
        return result, ()  # A bounce that quotes a transcript is judged as a bounce.
    found = sessions(result.lines)
    if not found:
        return result, ()
    session = _deciding_session(found)
    step = session.failure
    if session.delivered:
        step = next(step for step in session.steps if step.stage is Stage.END_OF_DATA)
    deciding = None
    if step is not None and step.reply_code is not None:
        deciding = next(
            (
                finding
                for finding in result.findings
                if finding.line == step.line and finding.code == step.reply_code
            ),
            None,
        )
    return replace(result, outcome=_session_outcome(session), deciding=deciding), found


def _deciding_session(found: tuple[Session, ...]) -> Session:
    """The last session that delivered or failed (a later one that only stopped says less)."""
    for session in reversed(found):
        if session.delivered or session.failure is not None:
            return session
    return found[-1]


_FEEDBACK_TYPE = re.compile(r"\s*feedback-type\s*:\s*(?P<type>[A-Za-z0-9_.-]+)", re.I)
_DSN = re.compile(
    r"\s*(?:final-recipient\s*:|action\s*:|content-type\s*:\s*message/delivery-status)", re.I
)


def _head(result: Scan) -> tuple[str, Scan]:
    """The start of the text (`DETECT_CHARS`), and the scan to judge: the scan itself unless
    the text is longer, then the scan of its start alone (its findings, its deciding code)."""
    lines: list[str] = []
    size = 0
    for line in result.lines:
        if size + len(line) > DETECT_CHARS:
            kept = len(lines)
            deciding = result.deciding
            return "\n".join(lines), replace(
                result,
                lines=lines,
                findings=tuple(found for found in result.findings if found.end <= kept),
                deciding=deciding if deciding is not None and deciding.end <= kept else None,
            )
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines), result


def _provider_of(head: str) -> Provider | None:
    from smtp_tui.core.errors import DataError
    from smtp_tui.core.providers import load_providers  # only explain pays for the providers

    try:
        return load_providers().detect(head)
    except DataError:  # bad provider data is reported where the front end loads it
        return None


def _with_entries(items: list[Item], provider: Provider | None) -> list[Item]:
    """Each failure's item with its provider's entry, for the first `ITEMS_MATCHED` of them."""
    if provider is None:
        return items
    from smtp_tui.core.providers import load_providers

    book = load_providers()
    asked = 0
    for index, item in enumerate(items):
        if asked >= ITEMS_MATCHED:
            break
        if item.label[:1] not in ("4", "5"):
            continue
        asked += 1
        entry = book.match(item.reply_code, item.enhanced_code, item.context, provider)
        if entry is not None:
            items[index] = replace(item, provider_entry=entry)
    return items


def _verdict(
    result: Scan, judged: Scan, session: Session | None, item: Item | None
) -> Verdict | None:
    if session is not None:
        return session.verdict
    if judged is result or (judged.deciding is not None and judged.deciding == result.deciding):
        return classify_scan(judged)
    # A text past `DETECT_CHARS` decided further on: the deciding reply's own words judge it.
    if item is not None and result.outcome in (Outcome.TEMPORARY, Outcome.PERMANENT):
        words = failure_words(result.lines, item.line)[:DETECT_CHARS]
        return classify(words, item.reply_code, item.enhanced_code)
    return classify_scan(judged)


def _report_kind(
    head: str, result: Scan, found: tuple[Session, ...], judged: Verdict | None
) -> str | None:
    if judged is not None and judged.reason is Reason.FEEDBACK:
        return "feedback"
    if judged is not None and judged.reason is Reason.VACATION:
        return "auto-reply"
    if found:
        return "transcript"
    if any(_DSN.match(line) for line in head.splitlines()):
        return "dsn"
    if looks_like_message(head.encode("utf-8", "replace")):
        return "bounce"
    return "reply" if result.findings else None


def _recipients(
    kind: str | None, judged_scan: Scan, judged: Verdict | None
) -> tuple[Recipient, ...]:
    """Each recipient of a report: from its delivery-status fields, else from its prose."""
    if kind not in ("dsn", "bounce"):
        return ()
    found = recipients(judged_scan, judged) if kind == "dsn" else ()
    return found or prose_recipients(judged_scan)


def diagnose(text: str | bytes | bytearray, repository: Repository) -> Diagnosis:
    """Scan `text` (never raises) and explain every code found with the repository."""
    result, found = _transcript(scan(text), text)
    head, judged_scan = _head(result)
    provider = _provider_of(head) if result.findings else None
    items = _with_entries(_items(result.findings, repository), provider)
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
    deciding_session = _deciding_session(found) if found else None
    judged = _verdict(result, judged_scan, deciding_session, deciding)
    kind = _report_kind(head, result, found, judged)
    feedback = None
    if kind == "feedback":
        feedback = next(
            (hit["type"] for line in head.splitlines() if (hit := _FEEDBACK_TYPE.match(line))),
            None,
        )
    return Diagnosis(
        result,
        tuple(items),
        deciding,
        found,
        deciding_session,
        verdict=judged,
        provider=provider,
        recipients=_recipients(kind, judged_scan, judged),
        report_kind=kind,
        feedback_type=feedback,
    )


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


def _item_reason(item: Item | None, diagnosis: Diagnosis) -> str | None:
    """A finding's reason: the verdict's for the deciding reply, the provider's entry's, or
    what the registry's number alone says for another failure."""
    if item is None:
        return None
    if item is diagnosis.deciding and diagnosis.verdict is not None:
        return diagnosis.verdict.reason.value
    if item.provider_entry is not None:
        return item.provider_entry.reason.value
    if item.label[:1] not in ("4", "5"):
        return None
    found = reason_from_codes(item.reply_code, item.enhanced_code)
    return found[0].value if found is not None else None


def diagnosis_to_dict(diagnosis: Diagnosis) -> dict[str, object]:
    """The JSON of ``smtp-tui explain --json`` (schema 2): the outcome and verdict, the
    provider, each recipient of a report, then every finding on its own.

    A finding that stands on several identical lines in a row is one entry: its `line` is the
    first of them, `last_line` the last and `count` how many. In a very long text the codes
    between the first and last findings kept are only counted: `left_out` says which, and where.
    """
    findings = []
    provider = diagnosis.provider.slug if diagnosis.provider is not None else None
    reasons: dict[int, str | None] = {}
    for finding, item in zip(diagnosis.scan.findings, _items_of(diagnosis), strict=True):
        entry = None
        if item is not None:
            entry = item.basic if finding.family is Family.BASIC else item.enhanced
        if id(item) not in reasons:
            reasons[id(item)] = _item_reason(item, diagnosis)
        provider_entry = item.provider_entry if item is not None else None
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
                "provider": provider_entry.provider if provider_entry is not None else None,
                "provider_meaning": provider_entry.meaning if provider_entry is not None else None,
                "reason": reasons[id(item)],
            }
        )
    deciding = diagnosis.scan.deciding
    judged = diagnosis.verdict
    sessions: dict[str, object] = {}
    if diagnosis.sessions:
        sessions = {"sessions": [_session_to_dict(session) for session in diagnosis.sessions]}
    return {
        "schema_version": SCHEMA_VERSION,
        "outcome": diagnosis.scan.outcome,
        "headline": diagnosis.headline,
        "deciding": (
            {"code": deciding.code, "family": deciding.family, "line": deciding.line}
            if deciding is not None
            else None
        ),
        "advice": diagnosis.advice or None,
        "reason": judged.reason.value if judged is not None else None,
        "bounce": judged.bounce.value if judged is not None and judged.bounce else None,
        "fault": judged.fault.value if judged is not None and judged.fault else None,
        "why": judged.why if judged is not None else None,
        "provider": provider,
        "report_kind": diagnosis.report_kind,
        "feedback": diagnosis.feedback_type,
        "recipients": [_recipient_to_dict(recipient) for recipient in diagnosis.recipients],
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
        **sessions,
    }


def _recipient_to_dict(recipient: Recipient) -> dict[str, object]:
    judged = recipient.verdict
    return {
        "address": recipient.address,
        "action": recipient.action,
        "status": recipient.status,
        "reply_code": recipient.reply_code,
        "remote_mta": recipient.remote_mta,
        "diagnostic": recipient.diagnostic,
        "reason": judged.reason.value if judged is not None else None,
        "bounce": judged.bounce.value if judged is not None and judged.bounce else None,
        "fault": judged.fault.value if judged is not None and judged.fault else None,
        "why": judged.why if judged is not None else None,
    }


def _session_to_dict(session: Session) -> dict[str, object]:
    judged = session.verdict
    return {
        "delivered": session.delivered,
        "failed_stage": session.failed_stage.value if session.failed_stage else None,
        "verdict": session_verdict(session),
        "reason": judged.reason.value if judged is not None else None,
        "bounce": judged.bounce.value if judged is not None and judged.bounce else None,
        "fault": judged.fault.value if judged is not None and judged.fault else None,
        "why": judged.why if judged is not None else None,
        "steps": [
            {
                "stage": step.stage.value,
                "command": step.command,
                "reply_code": step.reply_code,
                "enhanced_code": step.enhanced_code,
                "text": step.text,
                "line": step.line,
            }
            for step in session.steps
        ],
    }
