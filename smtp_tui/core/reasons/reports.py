"""The verdict on a whole bounce report and on each recipient in it: the failure's lines found
by the scanner, the report's kind (feedback, auto-reply), the provider's entry when one matches,
and the refinements a whole message allows (still trying, expired, no answer at DATA)."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from typing import TYPE_CHECKING

from smtp_tui.core.reasons import Reason, Verdict, verdict
from smtp_tui.core.reasons.replies import reason_from_codes
from smtp_tui.core.reasons.words import WORD_RULES, reason_from_text
from smtp_tui.core.vocabulary import Family, Outcome, Role

if TYPE_CHECKING:
    from smtp_tui.core.providers import ProviderEntry
    from smtp_tui.core.scanner import Finding, Scan


# --- A whole report ----------------------------------------------------------------------------

_FEEDBACK = re.compile(
    r"^\s*(?:feedback-type\s*:|content-type\s*:\s*message/feedback-report)", re.I | re.M
)
_AUTO_REPLY = re.compile(
    r"^\s*(?:auto-submitted\s*:\s*auto-replied|x-autoreply\s*:|subject\s*:.{0,40}?"
    r"(?:out of (?:the )?office|auto(?:matic)?[- ]?reply|autoreply|vacation|abwesenheit))",
    re.I | re.M,
)
_REPORT_SUBJECT = re.compile(
    r"^(?:subject\s*:.{0,60}?(?:deliver|undeliver|undelivered|returned|failure|failed|bounce|"
    r"non[- ]?remis|notification|nicht zustellbar|error)|from\s*:.{0,60}?"
    r"(?:mailer-daemon|postmaster|mail delivery))",
    re.I | re.M,
)
_DIAGNOSTIC = re.compile(r"\s*diagnostic-code\s*:", re.I)
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9-]*\s*:")
_ORIGINAL = re.compile(
    r"^\s*(?:-+ ?(?:original message|this is a copy|message headers? follow|original headers"
    r"|below this line is a copy of the message)|original message follows"
    r"|content-type\s*:\s*(?:message/rfc822|text/rfc822-headers))",
    re.I,
)


def failure_words(lines: Sequence[str], line: int | None, others: Set[int] = frozenset()) -> str:
    """The words of the failure: the deciding line and the lines that continue it.

    `others` are the lines of other failures: one of them starts words of its own.
    """
    if line is None:
        return ""
    index = line - 1
    words = [lines[index]]
    for number, following in enumerate(lines[index + 1 : index + 6], start=line + 1):
        if (
            number in others
            or not following.strip()
            or (_FIELD.match(following.strip()) and not following[:1].isspace())
        ):
            break
        words.append(following.strip())
    return " ".join(words)


def header_block(lines: Sequence[str]) -> str:
    """The header lines the text opens with (none when it does not open with a header)."""
    block: list[str] = []
    for line in lines:
        if not line.strip() or not (_FIELD.match(line) or (line[:1].isspace() and block)):
            break
        block.append(line)
    return "\n".join(block)


def report_body(lines: Sequence[str]) -> str:
    """The report's own words: past the header block, before the returned original message."""
    body: list[str] = []
    in_headers = bool(lines) and bool(_FIELD.match(lines[0]))
    for line in lines:
        if in_headers:
            if not line.strip():
                in_headers = False
            continue
        if _ORIGINAL.match(line):
            break
        body.append(line)
    return "\n".join(body)


def classify_scan(scan: Scan) -> Verdict | None:
    """The verdict on a scanned reply, transcript or report; None when nothing failed or was said.

    Complaints (ARF) and auto-replies (RFC 3834) are reports, not failures; a report that
    delivered says so; a delivery-status report that gave up on a temporary failure expired.
    """
    text = "\n".join(scan.lines)
    if _FEEDBACK.search(text):
        return verdict(Reason.FEEDBACK, "a complaint report (Feedback-Type)")
    deciding = scan.deciding
    # Only the report's own header block: a returned original may hold any Subject. Some
    # mailers mark their bounces auto-replied too, so a report that calls itself one is not.
    headers = header_block(scan.lines)
    auto_reply = _AUTO_REPLY.search(headers) and not _REPORT_SUBJECT.search(headers)
    if scan.outcome is Outcome.DELIVERED:
        if auto_reply:
            return verdict(Reason.VACATION, "an automatic reply (RFC 3834)")
        return verdict(Reason.DELIVERED, "a 2xx reply or a delivered status")
    if deciding is None:
        if auto_reply:
            return verdict(Reason.VACATION, "an automatic reply (RFC 3834)")
        body = report_body(scan.lines)
        found = reason_from_text(body)
        if found is not None:
            # A report that returns the message without any code has failed for good, unless
            # it says it is still trying: read it as a permanent (5) failure.
            final = None if _STILL_TRYING.search(body) else "5"
            return verdict(found[0], f'the report says "{found[1]}"', final)
        hint = _hint(body)
        if hint is not None:
            final = None if _STILL_TRYING.search(body) else "5"
            return verdict(hint[0], f'the report only advises "{hint[1]}"', final)
        return None
    reply = deciding.code if deciding.family is Family.BASIC else deciding.pair
    enhanced = deciding.code if deciding.family is Family.ENHANCED else deciding.pair
    if reply is None and enhanced:
        # A DSN's Status field carries no reply code; its Diagnostic-Code often does.
        reply = next(
            (
                finding.code
                for finding in scan.findings
                if finding.role is Role.DIAGNOSTIC
                and finding.family is Family.BASIC
                and finding.pair == enhanced
            ),
            None,
        )
    status = reply or enhanced  # its class decides whether the failure can be final
    # A report's Diagnostic-Code fields, with or without a code in them: the remote's words.
    # Then the first failure of its class: a report on several recipients speaks, as a whole,
    # for the first one it names. Then the deciding line itself.
    parts = [
        failure_words(scan.lines, number)
        for number, line in enumerate(scan.lines, start=1)
        if _DIAGNOSTIC.match(line)
    ]
    first = _first_failure(scan, deciding)
    if first is not None and first.line != deciding.line:
        parts.append(failure_words(scan.lines, first.line))
    parts.append(failure_words(scan.lines, deciding.line))
    body = report_body(scan.lines)
    # Gave up on a temporary failure: a DSN's Action: failed with a 4.x.x status, or the words.
    gave_up = scan.outcome is Outcome.PERMANENT and (enhanced or "").startswith("4.")
    expiry = next((hit for part in parts if (hit := _EXPIRY.search(part))), None)
    entry = _provider_entry(reply, enhanced, parts, body, with_pattern=True)
    if entry is not None:
        return _from_provider(entry, status)
    for part in parts:
        cause = reason_from_text(part, skip=_HOW_IT_ENDED)
        if cause is not None:
            reason, words = cause
            return _refined(reason, f'the reply says "{words}"', status, gave_up or expiry, body)
    if gave_up or expiry is not None:
        return _expired(reply, enhanced, status, expiry)
    entry = _provider_entry(reply, enhanced, parts, body, with_pattern=False)
    if entry is not None:
        return _from_provider(entry, status)
    from_codes = reason_from_codes(reply, enhanced)
    # A bare reply code, or an X.0.0 status, says less than the report's own words.
    if from_codes is not None and enhanced and not enhanced.endswith(".0.0"):
        return verdict(from_codes[0], f"the code {from_codes[1]}", status)
    found = reason_from_text(body)
    if found is not None:
        return _refined(found[0], f'the report says "{found[1]}"', status, False, body)
    if from_codes is not None:
        return verdict(from_codes[0], f"the code {from_codes[1]}", status)
    hint = _hint(body)
    if hint is not None:
        return verdict(hint[0], f'the report only advises "{hint[1]}"', status)
    return verdict(Reason.UNDEFINED, "nothing in the report names a reason", status)


_HINTS: tuple[tuple[Reason, re.Pattern[str]], ...] = (
    (
        Reason.USERUNKNOWN,
        re.compile(
            r"check (?:if|that|whether) (?:the )?(?:recipient'?s? )?(?:e-?mail )?address"
            r" (?:is|was) (?:correct|right|valid)",
            re.I,
        ),
    ),
)
"""Advice that hints at a reason: weaker than any rule, asked only when nothing else speaks."""


def _hint(text: str) -> tuple[Reason, str] | None:
    for reason, pattern in _HINTS:
        match = pattern.search(text)
        if match:
            return reason, match.group(0)
    return None


_STILL_TRYING = re.compile(
    r"will (?:be )?retr(?:y|ied)|(?:will|still) (?:keep )?trying|warning message only"
    r"|has been delayed|delivery (?:is )?delayed",
    re.I,
)
"""A delay notice: the message is still queued, so its failure is not final."""

_HOW_IT_ENDED = frozenset((Reason.EXPIRED,))
"""Expiry says how a delivery ended, not why: a cause named beside it is the reason."""

_EXPIRY = next(pattern for reason, pattern in WORD_RULES if reason is Reason.EXPIRED)

_NO_ANSWER = re.compile(
    r"connection (?:refused|timed? ?out|reset|closed|lost|dropped)|could not connect"
    r"|(?:unable|failed) to connect|no route to host|(?:network|host|server) (?:is )?"
    r"(?:unreachable|not reachable)|timed? ?out|did not respond|no answer",
    re.I,
)
"""Network failures that retrying until the queue gives up turns into an expired delivery."""

_AT_DATA = re.compile(
    r"(?:after|in reply to) (?:the )?end of data|in reply to (?:the )?data command"
    r"|\bsmtp command\W{0,20}data\b",
    re.I,
)
"""The report says the refusal came after DATA, when the recipient had been accepted."""

_NETWORK_CODES = frozenset((Reason.NETWORKERROR, Reason.HOSTUNKNOWN, Reason.EXPIRED))


def _first_failure(scan: Scan, deciding: Finding) -> Finding | None:
    """The first reply or Diagnostic-Code of the deciding code's class (2, 4 or 5)."""
    for finding in scan.findings:
        if finding.role in (Role.REPLY, Role.DIAGNOSTIC) and finding.code[:1] == deciding.code[:1]:
            return finding
    return None


def _refined(reason: Reason, why: str, status: str | None, gave_up: object, body: str) -> Verdict:
    """A cause named in words, read against how the delivery ended and when it was refused."""
    if reason is Reason.NETWORKERROR and gave_up and _NO_ANSWER.search(why):
        # Not reached until the queue gave up: the delivery expired (RFC 3463 X.4.7).
        return verdict(Reason.EXPIRED, f"{why}, until the queue gave up", status)
    if reason is Reason.HOSTUNKNOWN and (status or "").startswith("4"):
        # A name lookup the server itself treats as temporary: DNS trouble, not a missing host.
        return verdict(Reason.NETWORKERROR, f"{why}, with a temporary status {status}", status)
    if reason is Reason.USERUNKNOWN and _AT_DATA.search(body):
        # The recipient was accepted at RCPT; refusing it after DATA is a filter's decision.
        return verdict(Reason.FILTERED, f"{why}, after DATA", status)
    return verdict(reason, why, status)


def _expired(
    reply: str | None, enhanced: str | None, status: str | None, expiry: re.Match[str] | None
) -> Verdict:
    """Gave up after retrying: expired, unless a specific status names a cause past the network."""
    from_codes = reason_from_codes(None, enhanced) if enhanced else None
    if (
        from_codes is not None
        and not (enhanced or "").endswith(".0.0")
        and from_codes[0] not in _NETWORK_CODES
    ):
        return verdict(from_codes[0], f"gave up on the code {from_codes[1]}", status)
    if expiry is not None:
        return verdict(Reason.EXPIRED, f'the reply says "{expiry.group(0)}"', status)
    return verdict(Reason.EXPIRED, f"gave up on the temporary failure {enhanced}", status)


def _provider_entry(
    reply: str | None, enhanced: str | None, parts: Sequence[str], body: str, *, with_pattern: bool
) -> ProviderEntry | None:
    """The entry of the provider that sent the report, when one fits its codes (and words)."""
    from smtp_tui.core.errors import DataError
    from smtp_tui.core.providers import load_providers

    try:
        book = load_providers()
    except DataError:  # bad provider data is reported where the front end loads it
        return None
    provider = book.detect(body + "\n" + "\n".join(parts))
    if provider is None:
        return None
    entry = book.match(reply, enhanced, "\n".join(parts), provider)
    if entry is None or (entry.pattern is not None) != with_pattern:
        return None
    return entry


def _from_provider(entry: ProviderEntry, status: str | None) -> Verdict:
    what = f"{entry.meaning} ({entry.provider}, {entry.place})"
    return verdict(entry.reason, f"the provider's entry: {what}", status)


# --- Each recipient of a report ----------------------------------------------------------------

_FINAL_RECIPIENT = re.compile(r"\s*final-recipient\s*:", re.I)
_BOUNDARY = re.compile(r"\s*--\S")


def recipient_verdicts(scan: Scan) -> list[Verdict]:
    """One verdict per recipient a report names apart, in its order; empty when it names one.

    A delivery-status report (RFC 3464 §2.3) gives each recipient its own block of fields, from
    its ``Final-Recipient`` on; a report in prose gives each failed recipient its own reply line.
    Each is read like a report of its own.
    """
    from smtp_tui.core.scanner import scan as scan_text

    starts = [index for index, line in enumerate(scan.lines) if _FINAL_RECIPIENT.match(line)]
    blocks: list[str] = []
    if len(starts) > 1:
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(scan.lines)
            block: list[str] = []
            for line in scan.lines[start:end]:
                if _BOUNDARY.match(line):
                    break
                block.append(line)
            blocks.append("\n".join(block))
    elif scan.deciding is not None:
        klass = scan.deciding.code[:1]
        failures = {
            finding.line
            for finding in scan.findings
            if finding.role is Role.REPLY and finding.code[:1] == klass
        }
        seen: set[str] = set()
        for number in sorted(failures):
            words = failure_words(scan.lines, number, failures)
            if words.strip() not in seen:  # a report that repeats itself in two languages
                seen.add(words.strip())
                blocks.append(words)
    if len(blocks) < 2:
        return []
    verdicts: list[Verdict] = []
    for text in blocks:
        found = classify_scan(scan_text(text))
        verdicts.append(
            found or verdict(Reason.UNDEFINED, "nothing for this recipient names a reason")
        )
    return verdicts
