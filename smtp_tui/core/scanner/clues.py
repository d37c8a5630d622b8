"""What stands around a candidate code and says whether it is one: lead-in words, DSN and
header fields, the text after it, and the marks that glue a number to something else."""

from __future__ import annotations

import re
from collections.abc import Sequence

_ENHANCED_CODE = r"[245]\.[0-7]\.[0-9]{1,3}"
"""RFC 3463: class 2, 4 or 5; subject 0-7; detail 0-999."""


ENHANCED_AHEAD = re.compile(rf"[ \t]*(?:-[ \t]*)?#?(?P<code>{_ENHANCED_CODE})(?![0-9A-Za-z_])")
"""An enhanced code right after a basic one: ``550 5.1.1``, ``550-5.7.26``, ``550 #5.1.0``."""

ENHANCED_WRAPPED = re.compile(rf"[ \t]*(?P<code>{_ENHANCED_CODE})(?![0-9A-Za-z_])")
"""An enhanced code opening the next line, where Postfix wraps ``said: 550`` / ``5.1.1 ...``."""

TEXT_AHEAD = re.compile(r"(?:-|[ \t]+(?:-[ \t]+)?)(?:[^\W\d_]|[<\[(\"'])|-[0-9]+[A-Za-z]")
"""Reply text after a code: a word, an address, a bracket or a quote (``250-8BITMIME`` too)."""

STATUS_TEXT_AHEAD = re.compile(r"[ \t]+(?:-[ \t]+)?(?:[^\W\d_]|[<\[(\"'](?![0-9]))")
"""Reply text after an enhanced code that opens a line: ``5.2.2 <a@example.org>... Mailbox
full``. A bare X.Y.Z, or one before a bracketed date, heads a changelog entry instead."""

_KEYWORD_AHEAD = re.compile(r"-[0-9]+[A-Za-z]")
"""An EHLO keyword that starts with a digit: ``250-8BITMIME``."""

END_AHEAD = re.compile(r"[,;)\]'\".]?[ \t]*(?:$|[,;)\]'\"])|[,;.][ \t]")
"""Nothing more, or punctuation: ``ERROR_CODE :550,`` or ``ResponseCode 421, ,``."""

NOTHING_AHEAD = re.compile(r"[ \t]*$")
"""The code ends its line: the enhanced code may open the next one."""

_LINE_START = re.compile(
    r"[ \t]*(?:\[?[0-9][0-9:.\-/ T]*\]?[ \t]+(?=<|>|[SCR]:))?"
    r"(?:(?:<<<|>>>|<<|<-+|<\*\*|<~|<(?=[ \t])|>+|[SCR]:|Server:|RCV:|#|\*+|-+|\(|\[|'|\")[ \t]*)?"
)
"""What may stand before a reply at the start of a line: a timestamp and transcript marker
(``<<< ``, ``S: ``, ``< ``, swaks's ``<** `` and ``<~ ``), quoting (``> ``), Exchange's ``#``,
a bullet or a bracket."""


def _words(text: str) -> frozenset[str]:
    """A set of words written as a paragraph, which reads better than a long list of strings."""
    return frozenset(text.split())


_BASIC_LEAD_WORDS = _words(
    """said reason returned replied responded response responsecode response_code reply answer
    error errors err error_code errorcode code deferred failed failure smtp esmtp lmtp"""
)
"""Words that introduce a reply in prose: ``said: 550``, ``(reason: 550``, ``smtp; 550``,
``returned '550``, ``ERROR_CODE :550``, ``ResponseCode 421``."""

_BASIC_LABEL_WORDS = _words("was status result")
"""Words that introduce a reply only as a label, with a colon: ``returned was: 554``,
``Status: 550 User unknown``; ``the status 501 case`` is prose about something else."""

_ENHANCED_LEAD_WORDS = _words(
    """code codes dsn status error errors err error_code errorcode reason type said returned
    replied reply response smtp esmtp lmtp diagnostic failure failed deferred result"""
)
"""Words that introduce an enhanced code in prose (``see DSN code 5.1.1``): a bare X.Y.Z
elsewhere in prose is more often a version number than a status."""

_LEAD_MARKS = frozenset(("", ":", ";", "="))
"""The marks that may stand between a lead-in word and its code: ``said: ``, ``smtp;``."""

_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:")
"""A header or DSN field opening a line: ``Received:``, ``Final-Recipient:``."""
DSN_FIELD = re.compile(r"[ \t]*(status|diagnostic[- ]code)[ \t]*:", re.IGNORECASE)
"""The two DSN fields that hold codes; some MTAs indent them or write ``Diagnostic code:``."""
_STATUS_FIELD = re.compile(r"[Ss][Tt][Aa][Tt][Uu][Ss][ \t]*:")
"""Anything that may open a DSN ``Status:`` field (found anywhere, to be sure to find all)."""
_ACTION = re.compile(r"\n[ \t]*[Aa][Cc][Tt][Ii][Oo][Nn][ \t]*:[ \t]*([A-Za-z]+)")
"""A DSN ``Action:`` field, found after a newline: a literal first character lets the engine
skip through a megabyte quickly, where ``^`` with MULTILINE would be tried at every position."""

_NOISE_FIELDS = _words(
    """received dkim-signature domainkey-signature authentication-results received-spf
    message-id references in-reply-to date content-type content-transfer-encoding
    content-disposition content-id mime-version return-path delivered-to thread-index
    thread-topic user-agent arrival-date last-attempt-date will-retry-until remote-mta
    reporting-mta received-from-mta original-envelope-id final-log-id from to cc bcc sender
    reply-to errors-to precedence organization importance accept-language content-language
    feedback-type source-ip"""
)
"""Header and DSN fields made of dates, addresses, hosts and ids: the traps, never a code."""

_TELLING_X_FIELD = re.compile(r"x-.*(?:diag|error|status|reason|response|smtp)")
"""X- fields whose name promises a diagnosis, scanned unlike the rest of the X- fields."""
_WINDOW = 48
"""How far back a lead-in is looked for: farther than any reply introduction needs."""


class FieldLines:
    """The decoded lines with what judging a code asks of them: the field each line belongs to."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._fields: dict[int, str | None] = {}
        """The field of each line already looked at; only the last few hundred are kept."""

    def field(self, index: int) -> str | None:
        """The lower-case name of the header or DSN field that line `index` belongs to, if any.

        Indented lines belong to the field above them, as in RFC 5322 folding. Worked out on
        demand and remembered, walking up at most 200 lines, so a scan stays linear.
        """
        if index in self._fields:
            return self._fields[index]
        if len(self._fields) > 4096:
            # Lines are judged in order and a walk goes at most 200 lines up: the rest is spent.
            self._fields = {key: name for key, name in self._fields.items() if key >= index - 256}
        top = index
        while top > 0 and index - top < 200 and is_continuation(self.lines[top]):
            if top - 1 in self._fields:
                break
            top -= 1
        name: str | None = None
        for step in range(top, index + 1):
            if step in self._fields:
                name = self._fields[step]
                continue
            line = self.lines[step]
            dsn = DSN_FIELD.match(line)
            if dsn is not None:
                name = dsn.group(1).lower().replace(" ", "-")
            elif is_continuation(line):
                name = self._fields.get(step - 1)
            else:
                match = _FIELD.match(line)
                name = match.group(1).lower() if match is not None else None
            self._fields[step] = name
        return name


def is_continuation(line: str) -> bool:
    """An indented, non-blank line: the fold of a header or DSN field. (``isspace`` stops at
    the first letter, where ``strip`` would copy a megabyte-long line for every code on it.)"""
    return line[:1] in (" ", "\t") and not line.isspace()


def is_noise(name: str | None) -> bool:
    """Whether a field holds only traps (see `_NOISE_FIELDS`): X- fields are noise unless their
    name says they carry a diagnosis, as ``X-Mailer`` and ``X-MS-Exchange-...`` do not."""
    if name is None:
        return False
    if name in _NOISE_FIELDS or name.startswith(("arc-", "list-", "resent-")):
        return True
    return name.startswith("x-") and _TELLING_X_FIELD.match(name) is None


_REVERSED_LEAD_IN = re.compile(
    r"(?P<gap>[ \t]*['\"\[(<]?[ \t]*)(?P<mark>[:;=,.#]{0,3})[ \t]*"
    r"(?P<word>[A-Za-z_]+(?![0-9])|[\]>])?"
)
"""The lead-in of a code read backwards from the code: blanks and an opening quote or bracket,
punctuation, then a word. Matching the reversed prefix once is far cheaper than searching it."""


def _lead_in(line: str, start: int) -> tuple[str, str, bool]:
    """What introduces the code at `start`: (mark, word, spaced).

    `mark` is the punctuation before the code (``:``, ``;``, ``...``, ``#``), `word` the
    lower-case word before the mark or the ``]``/``>`` there (Exim's ``[192.0.2.1]: 554``), and
    `spaced` whether a blank separates the mark from the code.
    """
    low = max(0, start - _WINDOW)
    reversed_prefix = line[low:start][::-1]
    match = _REVERSED_LEAD_IN.match(reversed_prefix)
    if match is None:  # Never: every part of the pattern is optional.
        return "", "", False
    word = (match.group("word") or "")[::-1].lower()
    return match.group("mark")[::-1], word, " " in match.group("gap") or "\t" in match.group("gap")


def basic_lead_in(line: str, start: int) -> bool:
    """Whether prose introduces a reply here: ``said: ``, ``]: `` (Exim), ``... `` (Sendmail)."""
    mark, word, spaced = _lead_in(line, start)
    if "http" in line[max(0, start - 24) : start].lower():
        return False  # HTTP error 503, http status 413: web servers, not mail servers.
    if mark in _LEAD_MARKS and word in _BASIC_LEAD_WORDS:
        return True
    return (
        (word in _BASIC_LABEL_WORDS and mark in (":", ";"))
        or (word in ("]", ">") and mark == ":" and spaced)
        or mark == "..."
        or (word == "]" and mark == ",")
    )


def enhanced_lead_in(line: str, start: int) -> bool:
    """Whether prose names a status code here: ``DSN code ``, ``#`` (qmail), ``dsn=``."""
    if start > 0 and line[start - 1] == "#":
        return True  # qmail's (#5.1.1), right against the code; not a heading's "## [2.3.3]".
    mark, word, _ = _lead_in(line, start)
    return (mark in _LEAD_MARKS and word in _ENHANCED_LEAD_WORDS) or (word == "was" and mark == ":")


def at_line_start(line: str, start: int) -> bool:
    """Whether a code opens its line, after at most a transcript marker (see `_LINE_START`)."""
    return start <= _WINDOW and _LINE_START.fullmatch(line, 0, start) is not None


def enhanced_ok(line: str, start: int, end: int) -> bool:
    """Whether an X.Y.Z match stands free: not part of an IP, a path, a version or a dotted id."""
    before = line[start - 1] if start > 0 else ""
    after = line[end : end + 2]
    if before in ("/", "+", "@", "$", "%", "&", "\\", "~", "^", "*", "|"):
        return False
    if before == "-":
        # Only the dash of a multi-line reply: 550-5.7.26.
        three = line[max(0, start - 4) : start - 1]
        if len(three) != 3 or not three.isdigit() or (start >= 5 and line[start - 5].isalnum()):
            return False
    if before == "=" and line[max(0, start - 4) : start].lower() != "dsn=":
        return False
    if len(after) == 2 and after[0] in ".-/:," and after[1].isdigit():
        return False
    return after[:1] not in ("/", "@", "%")


def basic_free_before(line: str, start: int) -> bool:
    """Whether nothing glued before a three-digit match makes it part of something else: a
    path, a price, a sum, an address (``<<<`` of a transcript aside)."""
    before = line[start - 1] if start > 0 else ""
    if before in ("-", "+", "/", "=", "@", "$", "%", "&", "\\", "~", "^", "*", "|"):
        return False
    return before != "<" or line[max(0, start - 3) : start] == "<<<"


def basic_free_after(line: str, end: int) -> bool:
    """Whether nothing glued after a three-digit match makes it a number: ``554.30``,
    ``250,000``, ``555-1234``, a port ``587:``, ``550@host``, ``250%``."""
    after = line[end : end + 2]
    if len(after) == 2 and after[0] in ".,-" and after[1].isdigit():
        return after[0] == "-" and _KEYWORD_AHEAD.match(line, end) is not None
    return after[:1] not in ("@", "%", "/", ":")
