"""What a server's EHLO reply says it can do: each keyword explained, with the RFC defining it.

Its own module because the browser's probe screen and the CLI both show it, and the table grows
with IANA's SMTP Service Extensions registry, not with the session.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    """One line of the EHLO reply, explained."""

    keyword: str
    params: str
    meaning: str
    rfc: str
    """Where it is defined: ``RFC 1870``; empty for keywords we do not know."""


_CAPABILITIES: dict[str, tuple[str, str]] = {
    "SIZE": ("the largest message it takes, in bytes (0: no fixed limit)", "RFC 1870"),
    "STARTTLS": ("the session can be encrypted with TLS before mail is sent", "RFC 3207"),
    "PIPELINING": ("commands may be sent in groups without waiting for each reply", "RFC 2920"),
    "8BITMIME": ("takes message bodies with 8-bit characters (BODY=8BITMIME)", "RFC 6152"),
    "SMTPUTF8": ("takes UTF-8 in addresses and headers (internationalised mail)", "RFC 6531"),
    "AUTH": ("a client may log in with these mechanisms", "RFC 4954"),
    "CHUNKING": ("takes the message in chunks with BDAT instead of DATA", "RFC 3030"),
    "BINARYMIME": ("takes binary bodies, sent with BDAT (BODY=BINARYMIME)", "RFC 3030"),
    "DSN": ("a sender may ask for delivery status notifications (NOTIFY, RET)", "RFC 3461"),
    "REQUIRETLS": ("a sender may require TLS on every hop of the message", "RFC 8689"),
    "ENHANCEDSTATUSCODES": ("replies carry enhanced status codes (X.Y.Z)", "RFC 2034"),
    "DELIVERBY": ("a sender may set a time by which the message must arrive", "RFC 2852"),
    "ETRN": ("a client may ask it to flush the queue for a domain", "RFC 1985"),
    "MT-PRIORITY": ("a sender may give the message a priority", "RFC 6710"),
    "FUTURERELEASE": ("a sender may ask it to hold the message until later", "RFC 4865"),
    "LIMITS": ("states its limits on recipients and transactions", "RFC 9422"),
    "VRFY": ("answers VRFY about an address (a probe never sends it)", "RFC 5321 §3.5"),
    "EXPN": ("answers EXPN about a list (a probe never sends it)", "RFC 5321 §3.5"),
    "HELP": ("answers HELP", "RFC 5321 §4.1.1.8"),
    "NO-SOLICITING": ("asks not to be sent solicitations", "RFC 3865"),
}
"""EHLO keywords, what each lets a client do, and the RFC that defines it (IANA's SMTP Service
Extensions registry)."""


def capability(line: str) -> Capability:
    """An EHLO keyword line explained; keywords we do not know are said to be so."""
    keyword, _, params = line.strip().partition(" ")
    keyword = keyword.upper()
    known = _CAPABILITIES.get(keyword)
    if known is None:
        note = "a vendor's own extension" if keyword.startswith("X") else "not a keyword we know"
        return Capability(keyword, params, note, "")
    meaning, rfc = known
    if keyword == "SIZE" and params.strip().isdigit() and int(params) > 0:
        meaning = f"the largest message it takes: {int(params) / 1e6:.3g} MB"
    elif keyword == "AUTH" and params:
        mechanisms = params.upper().split()
        meaning = f"a client may log in with {', '.join(mechanisms)}"
        if {"PLAIN", "LOGIN"} & set(mechanisms):
            meaning += " (PLAIN and LOGIN send the password readable: only over TLS)"
    return Capability(keyword, params, meaning, rfc)
