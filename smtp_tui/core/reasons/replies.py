"""The verdict on one reply: its words first (`words`), then its enhanced status code, then its
reply code, saying which decided."""

from __future__ import annotations

from smtp_tui.core.reasons import Reason, Verdict, verdict
from smtp_tui.core.reasons.words import reason_from_text

# --- Rules on the codes ----------------------------------------------------------------------

_ENHANCED_REASONS: dict[str, Reason] = {
    "1.1": Reason.USERUNKNOWN,
    "1.2": Reason.HOSTUNKNOWN,
    "1.3": Reason.SYNTAXERROR,
    "1.4": Reason.USERUNKNOWN,
    "1.6": Reason.HASMOVED,
    "1.7": Reason.REJECTED,
    "1.8": Reason.REJECTED,
    "1.10": Reason.HOSTUNKNOWN,
    "2.1": Reason.SUSPEND,
    "2.2": Reason.MAILBOXFULL,
    "2.3": Reason.MESGTOOBIG,
    "2.4": Reason.SYSTEMERROR,
    "3.0": Reason.SYSTEMERROR,
    "3.1": Reason.SYSTEMFULL,
    "3.2": Reason.NOTACCEPT,
    "3.3": Reason.SYSTEMERROR,
    "3.4": Reason.MESGTOOBIG,
    "3.5": Reason.SYSTEMERROR,
    "4.0": Reason.NETWORKERROR,
    "4.1": Reason.NETWORKERROR,
    "4.2": Reason.NETWORKERROR,
    "4.3": Reason.SYSTEMERROR,
    "4.4": Reason.HOSTUNKNOWN,
    "4.5": Reason.SYSTEMFULL,
    "4.6": Reason.NETWORKERROR,
    "4.7": Reason.EXPIRED,
    "5.0": Reason.SYNTAXERROR,
    "5.1": Reason.SYNTAXERROR,
    "5.2": Reason.SYNTAXERROR,
    "5.3": Reason.EXCEEDLIMIT,
    "5.4": Reason.SYNTAXERROR,
    "5.6": Reason.CONTENTERROR,
    "6.0": Reason.CONTENTERROR,
    "6.1": Reason.CONTENTERROR,
    "6.2": Reason.CONTENTERROR,
    "6.3": Reason.CONTENTERROR,
    "6.4": Reason.CONTENTERROR,
    "6.5": Reason.CONTENTERROR,
    "6.6": Reason.CONTENTERROR,
    "6.8": Reason.CONTENTERROR,
    "6.9": Reason.CONTENTERROR,
    "7.0": Reason.SECURITYERROR,
    "7.1": Reason.REJECTED,
    "7.2": Reason.REJECTED,
    "7.3": Reason.SECURITYERROR,
    "7.4": Reason.SECURITYERROR,
    "7.5": Reason.SECURITYERROR,
    "7.6": Reason.SECURITYERROR,
    "7.7": Reason.SECURITYERROR,
    "7.8": Reason.SECURITYERROR,
    "7.9": Reason.SECURITYERROR,
    "7.10": Reason.SECURITYERROR,
    "7.11": Reason.SECURITYERROR,
    "7.12": Reason.SECURITYERROR,
    "7.13": Reason.SUSPEND,
    "7.14": Reason.SECURITYERROR,
    "7.15": Reason.SECURITYERROR,
    "7.16": Reason.SECURITYERROR,
    "7.17": Reason.FILTERED,
    "7.18": Reason.FILTERED,
    "7.19": Reason.FILTERED,
    "7.20": Reason.AUTHFAILURE,
    "7.21": Reason.AUTHFAILURE,
    "7.22": Reason.AUTHFAILURE,
    "7.23": Reason.AUTHFAILURE,
    "7.24": Reason.AUTHFAILURE,
    "7.25": Reason.REQUIREPTR,
    "7.26": Reason.AUTHFAILURE,
    "7.27": Reason.NOTACCEPT,
    "7.28": Reason.SPAMDETECTED,
    "7.29": Reason.AUTHFAILURE,
    "7.30": Reason.SECURITYERROR,
}
"""What each enhanced subject.detail means as a reason, after RFC 3463 and the registry."""

_REPLY_REASONS: dict[str, Reason] = {
    "421": Reason.SYSTEMERROR,
    "450": Reason.SYSTEMERROR,
    "451": Reason.SYSTEMERROR,
    "452": Reason.SYSTEMFULL,
    "454": Reason.SECURITYERROR,
    "500": Reason.SYNTAXERROR,
    "501": Reason.SYNTAXERROR,
    "502": Reason.SYNTAXERROR,
    "503": Reason.SYNTAXERROR,
    "504": Reason.SYNTAXERROR,
    "521": Reason.NOTACCEPT,
    "523": Reason.MESGTOOBIG,
    "530": Reason.SECURITYERROR,
    "534": Reason.SECURITYERROR,
    "535": Reason.SECURITYERROR,
    "538": Reason.SECURITYERROR,
    "550": Reason.REJECTED,
    "551": Reason.USERUNKNOWN,
    "552": Reason.MAILBOXFULL,
    "553": Reason.USERUNKNOWN,
    "554": Reason.REJECTED,
    "556": Reason.NOTACCEPT,
}
"""What a bare reply code suggests when nothing else speaks (the weakest evidence)."""


def reason_from_codes(reply_code: str | None, enhanced: str | None) -> tuple[Reason, str] | None:
    """The reason the codes name: the enhanced code's subject.detail, else the reply code."""
    if enhanced:
        _, _, rest = enhanced.partition(".")
        reason = _ENHANCED_REASONS.get(rest)
        if reason is not None:
            return reason, enhanced
    if reply_code and reply_code in _REPLY_REASONS:
        return _REPLY_REASONS[reply_code], reply_code
    return None


def classify(text: str, reply_code: str | None = None, enhanced: str | None = None) -> Verdict:
    """The verdict on one failure: its words first, then its enhanced code, then its reply code.

    ``X.0.0`` says nothing, so a bare 5.0.0 falls back to the words or the reply code.
    """
    from_text = reason_from_text(text) if text else None
    if from_text is not None:
        reason, words = from_text
        return verdict(reason, f'the reply says "{words}"', reply_code)
    from_codes = reason_from_codes(reply_code, enhanced)
    if from_codes is not None:
        reason, code = from_codes
        return verdict(reason, f"the code {code}", reply_code)
    return verdict(Reason.UNDEFINED, "nothing in the reply names a reason", reply_code)
