"""General bounce-reason rules: what mail servers commonly say, and how a report's parts weigh.

Each reply here is made up for the rule it checks; none is taken from a real message.
"""

from __future__ import annotations

import pytest

from smtp_tui.core.reasons import Bounce, Reason, Verdict
from smtp_tui.core.reasons.replies import classify
from smtp_tui.core.reasons.reports import classify_scan, recipient_verdicts
from smtp_tui.core.scanner import scan


def dsn(action: str, status: str, diagnostic: str, notice: str = "Delivery failed.") -> str:
    """A small delivery-status report (RFC 3464) for one recipient."""
    return (
        "From: MAILER-DAEMON@relay.example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n'
        "\n"
        "--B\n"
        "Content-Type: text/plain\n"
        "\n"
        f"{notice}\n"
        "\n"
        "--B\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; relay.example.org\n"
        "\n"
        "Final-Recipient: rfc822; tom@example.net\n"
        f"Action: {action}\n"
        f"Status: {status}\n"
        f"Diagnostic-Code: smtp; {diagnostic}\n"
        "\n"
        "--B--\n"
    )


def verdict_of(text: str) -> Verdict:
    found = classify_scan(scan(text))
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("text", "reply", "enhanced", "reason"),
    [
        # "UBE": unsolicited bulk e-mail, beside a generic content rejection.
        ("550 5.7.1 Content refused: looks like UBE (score 9.1)", "550", "5.7.1", "spamdetected"),
        # The failed check is the cause; "spam" is only why the check exists.
        (
            "550 5.7.26 The sender fails SPF checks; to protect users from spam it was refused",
            "550",
            "5.7.26",
            "authfailure",
        ),
        (
            "550 Sending through this gateway without SMTP authentication is refused",
            "550",
            None,
            "securityerror",
        ),
        ("550 IP frequency limited for 198.51.100.7", "550", None, "toomanyconn"),
        (
            "550 5.1.1 <tom@example.net> 198.51.100.7 has mailed too many recipients this hour",
            "550",
            "5.1.1",
            "speeding",
        ),
        (
            "552 5.2.3 Message too large for this recipient's mailbox",
            "552",
            "5.2.3",
            "exceedlimit",
        ),
        ("550 No MX record found for domain=example.net", "550", None, "notaccept"),
        ("550 No MX or A records for example.net", "550", None, "hostunknown"),
        ("DNS lookup failure: host mx.example.net not found", None, None, "hostunknown"),
        ("554 The domain is not reachable, check the address", "554", None, "hostunknown"),
        ("Delivery refused. The account or domain may not exist.", None, None, "hostunknown"),
        (
            "554 delivery error: This user doesn't have a example.net account",
            "554",
            None,
            "userunknown",
        ),
        ("User Tom (tom@example.net) not listed in Corporate Directory", None, None, "userunknown"),
        ("Delivery failed 12 attempts: tom@example.net", None, None, "expired"),
        (
            "Name service error for name=example.net type=MX: Malformed or unexpected name "
            "server reply",
            None,
            "5.4.4",
            "networkerror",
        ),
        ("554 Service currently unavailable", "554", None, "systemerror"),
        ("Could not reach the LDAP server for the recipient lookup", None, None, "systemerror"),
        ("You are not a member of this mailing list.", None, None, "rejected"),
    ],
)
def test_common_phrases_name_their_reason(
    text: str, reply: str | None, enhanced: str | None, reason: str
) -> None:
    found = classify(text, reply, enhanced)
    assert found.reason is Reason(reason)
    assert found.why  # the words that decided are shown


def test_a_copy_of_the_message_below_the_report_is_not_its_words() -> None:
    """qmail's own separator ends the report: a DKIM header below it names no failure."""
    report = (
        "From: MAILER-DAEMON@mx.example.org\n"
        "Subject: failure notice\n"
        "\n"
        "Hi. This is the qmail-send program at mx.example.org.\n"
        "I could not deliver your message to the following address.\n"
        "\n"
        "<tom@example.net>:\n"
        "No MX record found for domain=example.net\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
        "\n"
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=one\n"
        "Subject: hello\n"
    )
    found = verdict_of(report)
    assert found.reason is Reason.NOTACCEPT
    # Returned without any code and not retrying: failed for good, so a 5xx notaccept is hard.
    assert found.bounce is Bounce.HARD


def test_a_report_on_several_recipients_speaks_for_the_first() -> None:
    report = (
        "From: MAILER-DAEMON@mx.example.org\n"
        "Subject: Delivery status notification: error\n"
        "\n"
        "An error has occurred while delivering to these recipients:\n"
        "\n"
        "tom@example.net: 550 5.2.2 <tom@example.net>... Mailbox Full\n"
        "ann@example.net: 550 5.1.1 <ann@example.net>... User Unknown\n"
    )
    found = verdict_of(report)
    assert found.reason is Reason.MAILBOXFULL
    assert found.bounce is Bounce.SOFT


def test_an_unknown_user_refused_after_data_is_filtered() -> None:
    report = (
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n"
        "\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n"
        "\n"
        "  tom@example.net\n"
        "    SMTP error from remote mail server after end of data:\n"
        "    host mx.example.net [192.0.2.9]: 550 Unknown user tom@example.net\n"
    )
    found = verdict_of(report)
    assert found.reason is Reason.FILTERED
    assert "after DATA" in found.why
    assert found.bounce is Bounce.SOFT


def test_no_answer_until_the_queue_gave_up_is_expired() -> None:
    found = verdict_of(
        dsn("failed", "4.4.1", "smtp; connect to example.net[192.0.2.9]: Connection timed out")
    )
    assert found.reason is Reason.EXPIRED
    assert "gave up" in found.why
    assert found.bounce is Bounce.SOFT


def test_a_specific_temporary_status_names_the_cause_of_giving_up() -> None:
    found = verdict_of(dsn("failed", "4.3.0", "421 4.3.0 upstream trouble, see our pages"))
    assert found.reason is Reason.SYSTEMERROR


def test_a_cause_named_beside_the_expiry_is_the_reason() -> None:
    found = verdict_of(
        dsn(
            "failed",
            "4.4.3",
            "Could not reach the LDAP server. This message has been in the queue too long.",
        )
    )
    assert found.reason is Reason.SYSTEMERROR


def test_an_unknown_domain_with_a_temporary_status_is_dns_trouble() -> None:
    found = verdict_of(
        dsn("failed", "4.0.0", "DNS Error: MX lookup of example.net answered NXDOMAIN")
    )
    assert found.reason is Reason.NETWORKERROR
    assert found.bounce is Bounce.SOFT


def test_a_temporary_status_without_a_reply_code_is_never_hard() -> None:
    found = verdict_of(dsn("delayed", "4.1.1", "User unknown in local recipient table"))
    assert found.reason is Reason.USERUNKNOWN
    assert found.bounce is Bounce.SOFT


def test_the_report_words_speak_before_a_bare_reply_code() -> None:
    report = (
        "From: MAILER-DAEMON@mx.example.org\n"
        "Subject: failure notice\n"
        "\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n"
        "\n"
        "<tom@example.net>:\n"
        "remote host 192.0.2.9 said: 550 No such user here\n"
        "(Other hosts tried: 192.0.2.10 said 550 for RCPT TO.)\n"
    )
    found = verdict_of(report)
    assert found.reason is Reason.USERUNKNOWN


def test_a_provider_entry_decides_with_only_the_enhanced_code() -> None:
    """Microsoft's 5.4.1 "Access denied" is an unknown recipient, also when a relay drops 550."""
    found = verdict_of(
        dsn(
            "failed",
            "5.4.1",
            "5.4.1 Recipient address rejected: Access denied. [AB1CD234.eurprd01.prod.outlook.com]",
        )
    )
    assert found.reason is Reason.USERUNKNOWN
    assert "microsoft" in found.why
    assert found.bounce is Bounce.HARD


def test_advice_about_the_address_is_the_last_resort() -> None:
    report = (
        "From: Security Gateway <postmaster@gw.example.org>\n"
        "Subject: Undeliverable message\n"
        "\n"
        "We could not hand your message to <tom@example.net>.\n"
        "Please check that the recipient's address is correct.\n"
    )
    found = verdict_of(report)
    assert found.reason is Reason.USERUNKNOWN
    assert "advises" in found.why
    # A named reason beats the advice.
    blocked = verdict_of(report.replace("We could not", "Your server is blocklisted; we could not"))
    assert blocked.reason is Reason.BLOCKED


def test_each_recipient_of_a_report_gets_its_own_verdict() -> None:
    report = (
        "From: MAILER-DAEMON@relay.example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n'
        "\n"
        "--B\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; relay.example.org\n"
        "\n"
        "Final-Recipient: rfc822; tom@example.net\n"
        "Action: failed\n"
        "Status: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Over quota\n"
        "\n"
        "Final-Recipient: rfc822; ann@example.net\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 No such user\n"
        "\n"
        "--B--\n"
    )
    each = recipient_verdicts(scan(report))
    assert [(found.reason, found.bounce) for found in each] == [
        (Reason.MAILBOXFULL, Bounce.SOFT),
        (Reason.USERUNKNOWN, Bounce.HARD),
    ]


def test_each_failed_reply_of_a_prose_report_is_a_recipient() -> None:
    report = (
        "Subject: failure notice\n"
        "\n"
        "tom@example.net: 552 5.2.2 <tom@example.net>... Mailbox Full\n"
        "ann@example.net: 550 5.1.1 <ann@example.net>... User Unknown\n"
        "\n"
        "The same again, in English:\n"
        "tom@example.net: 552 5.2.2 <tom@example.net>... Mailbox Full\n"
    )
    each = recipient_verdicts(scan(report))
    assert [found.reason for found in each] == [Reason.MAILBOXFULL, Reason.USERUNKNOWN]
    assert recipient_verdicts(scan("550 5.1.1 No such user")) == []


def test_the_reply_code_of_a_diagnostic_completes_a_bare_status() -> None:
    """Status: 5.4.1 has no reply code; its Diagnostic-Code's 541 lets Zoho's entry fit."""
    found = verdict_of(
        dsn(
            "failed",
            "5.4.1",
            "541 5.4.1 Mail rejected by destination domain",
            notice="host mx.zoho.com said: 541 5.4.1 Mail rejected by destination domain",
        )
    )
    assert found.reason is Reason.FILTERED
    assert "zoho" in found.why


def test_a_server_not_reachable_is_a_network_error() -> None:
    assert classify("421 Server not reachable, will retry", "421").reason is Reason.NETWORKERROR
