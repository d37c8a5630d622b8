"""Bounce reasons: read from the failure's words first, then its codes; hard only where final."""

from __future__ import annotations

import pytest

from smtp_tui.core.reasons import Bounce, Fault, Reason
from smtp_tui.core.reasons.replies import classify
from smtp_tui.core.reasons.reports import classify_scan
from smtp_tui.core.scanner import scan


@pytest.mark.parametrize(
    ("text", "reply", "enhanced", "reason"),
    [
        (
            "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown",
            "550",
            "5.1.1",
            Reason.USERUNKNOWN,
        ),
        ("552 5.2.2 Mailbox full", "552", "5.2.2", Reason.MAILBOXFULL),
        (
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "554",
            "5.7.1",
            Reason.BLOCKED,
        ),
        (
            "550 5.7.26 Unauthenticated email from example.com is not accepted due to DMARC",
            "550",
            "5.7.26",
            Reason.AUTHFAILURE,
        ),
        (
            "421 4.7.0 Try again later, closing connection. (EHLO) too many connections",
            "421",
            "4.7.0",
            Reason.TOOMANYCONN,
        ),
        ("554 5.7.1 Relay access denied", "554", "5.7.1", Reason.NORELAYING),
        ("552 5.3.4 Message size exceeds fixed limit", "552", "5.3.4", Reason.MESGTOOBIG),
        ("550 5.7.1 Message rejected as spam", "550", "5.7.1", Reason.SPAMDETECTED),
        # No words that name a reason: the enhanced code decides, then the reply code.
        ("550 5.1.1 <x@y.example>", "550", "5.1.1", Reason.USERUNKNOWN),
        ("452 too bad", "452", None, Reason.SYSTEMFULL),
    ],
)
def test_the_words_decide_before_the_codes(
    text: str, reply: str, enhanced: str | None, reason: Reason
) -> None:
    assert classify(text, reply, enhanced).reason is reason


def test_a_virus_is_not_a_generic_rejection() -> None:
    assert (
        classify("554 5.7.1 Rejected: virus found", "554", "5.7.1").reason is Reason.VIRUSDETECTED
    )


@pytest.mark.parametrize(
    ("reason", "reply", "bounce", "fault"),
    [
        (Reason.USERUNKNOWN, "550", Bounce.HARD, Fault.RECIPIENT),
        (Reason.HOSTUNKNOWN, "550", Bounce.HARD, Fault.RECIPIENT),
        (Reason.NOTACCEPT, "556", Bounce.HARD, Fault.REMOTE),
        (Reason.NOTACCEPT, "421", Bounce.SOFT, Fault.REMOTE),
        (Reason.BLOCKED, "554", Bounce.SOFT, Fault.SENDER),
        (Reason.MAILBOXFULL, "552", Bounce.SOFT, Fault.RECIPIENT),
        (Reason.EXPIRED, None, Bounce.SOFT, Fault.NETWORK),
        (Reason.USERUNKNOWN, "450", Bounce.SOFT, Fault.RECIPIENT),  # transient: retried
    ],
)
def test_hard_only_where_sending_again_can_never_work(
    reason: Reason, reply: str | None, bounce: Bounce, fault: Fault
) -> None:
    from smtp_tui.core.reasons import verdict

    result = verdict(reason, "test", reply)
    assert (result.bounce, result.fault) == (bounce, fault)


def test_the_verdict_says_what_decided() -> None:
    assert '"User unknown"' in classify("550 5.1.1 User unknown", "550", "5.1.1").why
    assert "5.2.2" in classify("552 5.2.2 x", "552", "5.2.2").why


def test_reports_that_are_not_failures() -> None:
    arf = "Content-Type: message/feedback-report\nFeedback-Type: abuse\n"
    assert classify_scan(scan(arf)).reason is Reason.FEEDBACK  # type: ignore[union-attr]
    vacation = "Auto-Submitted: auto-replied\nSubject: Out of office\n\nI am away until Monday.\n"
    assert classify_scan(scan(vacation)).reason is Reason.VACATION  # type: ignore[union-attr]
    bounce = (
        "From: MAILER-DAEMON@example.com\nAuto-Submitted: auto-replied\n"
        "Subject: Undelivered Mail Returned to Sender\n\n550 5.1.1 User unknown\n"
    )
    assert classify_scan(scan(bounce)).reason is Reason.USERUNKNOWN  # type: ignore[union-attr]
    assert classify_scan(scan("250 2.0.0 OK queued")).reason is Reason.DELIVERED  # type: ignore[union-attr]
