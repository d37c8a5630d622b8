"""Find SMTP reply codes and enhanced status codes in pasted replies, transcripts and bounces."""

from __future__ import annotations

import binascii
import bisect
import codecs
import email
import email.header
import email.message
import email.policy
import itertools
import quopri
import re
import sys
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

__all__ = [
    "BASIC",
    "DELIVERED",
    "ENHANCED",
    "PERMANENT",
    "TEMPORARY",
    "UNKNOWN",
    "Finding",
    "Scan",
    "scan",
]

BASIC = "basic"
ENHANCED = "enhanced"

DELIVERED = "delivered"
TEMPORARY = "temporary"
PERMANENT = "permanent"
UNKNOWN = "unknown"

CONTEXT_LIMIT = 200
"""The longest context a finding carries: enough for a reply line, short enough for one row."""
KEPT_FINDINGS = 30_000
"""How many codes a scan keeps as findings at each end of the text (whole lines of them). The
codes between are only counted: a finding costs about ten times its line, so 50 MB of distinct
replies would otherwise take gigabytes, and nobody reads a million findings one by one."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One code found in the text, with where it stands and what it stands beside.

    Identical lines in a row (an endless ``yes``, a log that repeats one reply) give one finding
    that counts them, rather than a finding for each.
    """

    code: str
    """The code as written: ``550`` or ``5.1.1``."""
    family: str
    """``basic`` for a three-digit reply code, ``enhanced`` for an RFC 3463 X.Y.Z code."""
    line: int
    """The 1-based number of the line in `Scan.lines` that holds the code."""
    context: str
    """That line, stripped, without control characters, cut to at most 200 characters around
    the code."""
    role: str
    """``reply`` (an SMTP reply), ``status`` (a DSN ``Status:`` field), ``diagnostic`` (a DSN
    ``Diagnostic-Code:`` field) or ``text`` (named in prose)."""
    pair: str | None
    """The code of the other family on the same reply (``550`` <-> ``5.1.1``), if there is one."""
    count: int = 1
    """How many lines in a row hold this finding, each the same as the first."""
    end: int = 0
    """The last of those lines; `line` itself when the finding stands once (0 is read so)."""

    def __post_init__(self) -> None:
        if self.end < self.line:
            # The same int object as `line` when it stands once: a million findings, a million
            # fewer ints.
            end = self.line if self.count == 1 else self.line + self.count - 1
            object.__setattr__(self, "end", end)


@dataclass(frozen=True)
class Scan:
    """What `scan` made of a text: its decoded lines, the codes in them and the verdict."""

    lines: Sequence[str]
    """The decoded, normalised text: MIME parts decoded, one entry per line, no line ends.
    (A view that cuts each line out of the text when asked, not a list of millions of strings.)"""
    findings: tuple[Finding, ...]
    """Every code, in order of appearance; a code repeated on the same line is listed once, and
    a run of identical lines is one finding with a `Finding.count`. A very long text keeps only
    the codes of its two ends (and the deciding one) here: see `left_out`."""
    outcome: str
    """``delivered``, ``temporary``, ``permanent`` or ``unknown``: see `scan` for the rules."""
    deciding: Finding | None
    """The finding the outcome rests on, or None when no code decides it."""
    mismatched: tuple[Finding, ...]
    """Basic findings whose enhanced pair has another class (``554 4.0.0``): worth a warning."""
    left_out: tuple[tuple[str, int], ...] = ()
    """The codes of a long text's middle that are counted but not kept as findings (see
    `KEPT_FINDINGS`): each code with how many times it stands there, in order of first sight."""
    left_out_lines: tuple[int, int] | None = None
    """The first and last line of that middle, or None when every code is a finding."""

    @property
    def total(self) -> int:
        """How many codes were found, each line of a run of identical lines counted."""
        return sum(finding.count for finding in self.findings) + self.left_out_count

    @property
    def left_out_count(self) -> int:
        """How many codes stand in the middle that is only counted."""
        return sum(count for _, count in self.left_out)


# --- Decoding: bytes or str in, plain lines out ------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n?")
_LINE_BREAK_BYTES = re.compile(rb"\r\n?|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")
"""Control characters other than tab and newline: they upset a terminal and never carry a code.
(Runs of them are one match, so that a megabyte of NULs is not a million pieces to join.)"""
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f"
"""The same control characters below 0x80, as bytes: in UTF-8 they are never part of another
character, so they can go before decoding, without a copy of the decoded text."""
_CONTROL_BYTE = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
_ASCII_ONLY = bytes(range(0x80)) + b"?" * 0x80
"""A translation table that keeps ASCII and shows every other byte as ``?``."""

_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_KNOWN_HEADERS = frozenset(
    b"""received return-path from to cc subject date message-id mime-version content-type
    delivered-to reply-to sender x-failed-recipients auto-submitted x-mailer references
    in-reply-to authentication-results dkim-signature x-original-to envelope-to
    x-apparently-to x-store-info""".split()
)
"""Header names that mark the text as a mail message rather than a pasted reply or transcript."""


def _looks_like_message(data: bytes | bytearray) -> bool:
    """Whether the text opens with a mail header block, so that the `email` package should read it.

    A transcript (``S: 220 ...``) or a pasted DSN body (``Status: 5.1.1``) also has ``Name:``
    lines, so the block must hold at least one header that only messages carry.
    """
    lines = _LINE_BREAK_BYTES.split(bytes(data[:65536]).lstrip(b"\r\n"), maxsplit=400)
    if lines and lines[0].startswith(b"From "):
        del lines[0]
    known = False
    for line in lines[:400]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        known = known or match.group(0).rstrip(b" \t:").lower() in _KNOWN_HEADERS
    return known


def _charset_of(name: str | None) -> str | None:
    """A Python codec for a MIME charset name, or None for unknown names and plain ASCII.

    ASCII is widened to UTF-8 because mislabelled 8-bit text is common and UTF-8 reads ASCII.
    """
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip('"')).name
    except (LookupError, ValueError):
        return None
    return None if codec == "ascii" else codec


def _decode_bytes(data: bytes | bytearray, charset: str | None) -> str:
    """Text from bytes: the declared charset, else ISO-2022-JP when its escapes show, else UTF-8."""
    if charset is None and b"\x1b$" in data:
        charset = "iso2022_jp"
    if charset is not None:
        try:
            return data.decode(charset, errors="replace")
        except (LookupError, ValueError, TypeError):
            pass
    return data.decode("utf-8", errors="replace")


def _transfer_decode(raw: bytes, encoding: str) -> bytes:
    """Undo base64 or quoted-printable; what cannot be decoded is returned as it stands."""
    if encoding == "quoted-printable":
        return quopri.decodestring(raw)
    compact = b"".join(raw.split())
    try:
        return binascii.a2b_base64(compact + b"=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return raw


def _header_value(value: str) -> str:
    """A raw header value as text: 8-bit bytes read as UTF-8, RFC 2047 encoded words decoded."""
    try:
        if not value.isascii():
            # The bytes parser keeps 8-bit header bytes as surrogate escapes.
            value = _decode_bytes(value.encode("ascii", errors="surrogateescape"), None)
        if "=?" in value:
            value = str(email.header.make_header(email.header.decode_header(value)))
    except Exception:
        # A broken encoded word or charset: the raw text is still worth showing.
        return value.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    return value


def _render_fields(message: email.message.Message, out: list[str]) -> None:
    """Header fields as the sender wrote them (raw, folds kept) so codes keep their lines."""
    for name, value in message.raw_items():
        out.append(f"{name}: {_header_value(value)}")


def _render(message: email.message.Message) -> list[str]:
    """A message's headers and decoded bodies, in order, the way a reader would see them.

    Walks the MIME tree with a stack rather than by recursion: a hostile message nests parts
    thousands deep, and the codes at the bottom still deserve to be found.
    """
    out: list[str] = []
    stack: list[email.message.Message | str] = [message]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        _render_fields(item, out)
        out.append("")
        payload = item.get_payload()
        if not isinstance(payload, list):
            out.append(_render_leaf(item))
            continue
        parts = [part for part in payload if isinstance(part, email.message.Message)]
        if item.get_content_type() == "message/delivery-status":
            out.extend(_render_report(item, parts))
        elif item.get_content_maintype() == "multipart":
            boundary = item.get_boundary() or ""
            following: list[email.message.Message | str] = []
            if item.preamble:
                following.append(item.preamble)
            for part in parts:
                following += [f"--{boundary}", part]
            following.append(f"--{boundary}--")
            if item.epilogue:
                following.append(item.epilogue)
            stack.extend(reversed(following))
        else:
            stack.extend(reversed(parts))
    return out


def _render_report(report: email.message.Message, blocks: list[email.message.Message]) -> list[str]:
    """The field groups of a message/delivery-status part, which compat32 reads as header-only
    messages, one per group."""
    fields: list[str] = []
    for block in blocks:
        _render_fields(block, fields)
        rest = block.get_payload()
        if isinstance(rest, str) and rest.strip():
            # A group broken by an unfolded line: the parser leaves the rest as a body, and the
            # codes are often in it.
            fields.append(rest.rstrip("\r\n"))
        fields.append("")
    encoding = str(report.get("content-transfer-encoding", "")).strip().lower()
    if encoding in ("base64", "quoted-printable"):
        # The parser split the report before decoding it: decode what it kept.
        raw = "\n".join(fields).encode("ascii", errors="surrogateescape")
        return [_decode_bytes(_transfer_decode(raw, encoding), None)]
    return fields


def _render_leaf(part: email.message.Message) -> str:
    """A single part's body as text, transfer encoding undone; a summary line for binary data."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    maintype = part.get_content_maintype()
    textual = maintype in ("text", "message") or (
        maintype not in ("image", "audio", "video", "font", "model") and b"\x00" not in data[:8192]
    )
    if textual:
        return _decode_bytes(data, _charset_of(part.get_content_charset()))
    name = part.get_filename() or "unnamed"
    return f"[{part.get_content_type()} attachment {name}, {len(data)} bytes, not shown]"


def _decode_plain(data: bytes | bytearray) -> str:
    """Plain UTF-8 text, read with as few copies of it as can be: line ends and control
    characters are dealt with in the bytes, and trailing blanks are cut by decoding less.

    Up to 50 MB come from the command line, and the bytes stay alive while this runs.
    Binary data (a NUL in the first 8 KB, the test the MIME reader uses for attachments) keeps
    only its ASCII, other bytes shown as ``?``: decoded as UTF-8, random bytes make a string of
    four bytes a character, 200 MB for the 50 MB of ``smtp-tui explain --file /dev/urandom``.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    binary = b"\x00" in data[:8192]
    if binary:
        data = data.translate(_ASCII_ONLY, _CONTROL_BYTES)
    elif _CONTROL_BYTE.search(data):
        data = data.translate(None, _CONTROL_BYTES)
    end = len(data)
    while end > 0 and data[max(0, end - 4096) : end].isspace():
        end = max(0, end - 4096)
    end -= len(data[max(0, end - 4096) : end]) - len(data[max(0, end - 4096) : end].rstrip())
    with memoryview(data) as view:
        return str(view[:end], "ascii" if binary else "utf-8", "replace")


def _decode(text: str | bytes | bytearray) -> str:
    """The text a person reads: a mail message with its MIME parts decoded, or the text as is.

    Line ends become ``\\n`` and control characters go; the result is split into `Scan.lines`.
    """
    data: bytes | bytearray
    if isinstance(text, str):
        data = text.encode("utf-8", errors="surrogatepass")
    elif isinstance(text, bytes | bytearray):
        data = text  # Not copied: it may be the 50 MB the command line read.
    elif isinstance(text, memoryview):
        data = bytes(text)
    else:
        data = str(text).encode("utf-8", errors="surrogatepass")
    decoded: str | None = None
    if _looks_like_message(data):
        try:
            # Blank lines pasted above the headers would make the parser see no headers at all.
            message = email.message_from_bytes(data.lstrip(b"\r\n"), policy=email.policy.compat32)
            decoded = "\n".join(_render(message))
        except Exception:
            # A malformed or absurdly nested message: read it as plain text instead.
            decoded = None
    if decoded is None and (b"\x1b$" not in data or b"\x00" in data[:8192]):
        decoded = _decode_plain(data)  # UTF-8, or binary that happens to hold ISO-2022-JP's escape
    if decoded is None:
        decoded = _decode_bytes(data, None)
    if "\r" in decoded:
        decoded = _LINE_BREAK.sub("\n", decoded)
    if _CONTROL.search(decoded):
        decoded = _CONTROL.sub("", decoded)
    return decoded.rstrip()


# --- Finding codes ------------------------------------------------------------------------------

_ENHANCED_CODE = r"[245]\.[0-7]\.[0-9]{1,3}"
"""RFC 3463: class 2, 4 or 5; subject 0-7; detail 0-999."""

_CANDIDATE = re.compile(
    r"[2-5](?<![0-9A-Za-z_.].)"
    r"(?:(?<=[245])(?P<enhanced>\.[0-7]\.[0-9]{1,3})|(?P<basic>[0-5][0-9]))"
    r"(?![0-9A-Za-z_])"
)
"""A three-digit reply code or an X.Y.Z enhanced code, not inside a longer word or number.

The look-behind comes after the first digit so that the engine can skip ahead to digits: put
first, it would be tried at every position and the scan of a megabyte would take twice as long.
"""

_ENHANCED_AHEAD = re.compile(rf"[ \t]*(?:-[ \t]*)?#?(?P<code>{_ENHANCED_CODE})(?![0-9A-Za-z_])")
"""An enhanced code right after a basic one: ``550 5.1.1``, ``550-5.7.26``, ``550 #5.1.0``."""

_ENHANCED_WRAPPED = re.compile(rf"[ \t]*(?P<code>{_ENHANCED_CODE})(?![0-9A-Za-z_])")
"""An enhanced code opening the next line, where Postfix wraps ``said: 550`` / ``5.1.1 ...``."""

_TEXT_AHEAD = re.compile(r"(?:-|[ \t]+(?:-[ \t]+)?)(?:[^\W\d_]|[<\[(\"'])|-[0-9]+[A-Za-z]")
"""Reply text after a code: a word, an address, a bracket or a quote (``250-8BITMIME`` too)."""

_STATUS_TEXT_AHEAD = re.compile(r"[ \t]+(?:-[ \t]+)?(?:[^\W\d_]|[<\[(\"'](?![0-9]))")
"""Reply text after an enhanced code that opens a line: ``5.2.2 <a@example.org>... Mailbox
full``. A bare X.Y.Z, or one before a bracketed date, heads a changelog entry instead."""

_KEYWORD_AHEAD = re.compile(r"-[0-9]+[A-Za-z]")
"""An EHLO keyword that starts with a digit: ``250-8BITMIME``."""

_END_AHEAD = re.compile(r"[,;)\]'\".]?[ \t]*(?:$|[,;)\]'\"])|[,;.][ \t]")
"""Nothing more, or punctuation: ``ERROR_CODE :550,`` or ``ResponseCode 421, ,``."""

_NOTHING_AHEAD = re.compile(r"[ \t]*$")
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
_DSN_FIELD = re.compile(r"[ \t]*(status|diagnostic[- ]code)[ \t]*:", re.IGNORECASE)
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


@dataclass(slots=True)
class _Hit:
    """A finding being built: mutable while pairs are linked, frozen into a `Finding` at the end."""

    code: str
    family: str
    index: int
    start: int
    role: str
    pair: _Hit | None = None
    place: int = -1
    """Where its finding is in `Scan.findings`, once made."""


class _Lines:
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
        while top > 0 and index - top < 200 and _is_continuation(self.lines[top]):
            if top - 1 in self._fields:
                break
            top -= 1
        name: str | None = None
        for step in range(top, index + 1):
            if step in self._fields:
                name = self._fields[step]
                continue
            line = self.lines[step]
            dsn = _DSN_FIELD.match(line)
            if dsn is not None:
                name = dsn.group(1).lower().replace(" ", "-")
            elif _is_continuation(line):
                name = self._fields.get(step - 1)
            else:
                match = _FIELD.match(line)
                name = match.group(1).lower() if match is not None else None
            self._fields[step] = name
        return name


def _is_continuation(line: str) -> bool:
    """An indented, non-blank line: the fold of a header or DSN field. (``isspace`` stops at
    the first letter, where ``strip`` would copy a megabyte-long line for every code on it.)"""
    return line[:1] in (" ", "\t") and not line.isspace()


def _is_noise(name: str | None) -> bool:
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


def _basic_lead_in(line: str, start: int) -> bool:
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


def _enhanced_lead_in(line: str, start: int) -> bool:
    """Whether prose names a status code here: ``DSN code ``, ``#`` (qmail), ``dsn=``."""
    if start > 0 and line[start - 1] == "#":
        return True  # qmail's (#5.1.1), right against the code; not a heading's "## [2.3.3]".
    mark, word, _ = _lead_in(line, start)
    return (mark in _LEAD_MARKS and word in _ENHANCED_LEAD_WORDS) or (word == "was" and mark == ":")


def _at_line_start(line: str, start: int) -> bool:
    """Whether a code opens its line, after at most a transcript marker (see `_LINE_START`)."""
    return start <= _WINDOW and _LINE_START.fullmatch(line, 0, start) is not None


def _enhanced_ok(line: str, start: int, end: int) -> bool:
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


def _basic_free_before(line: str, start: int) -> bool:
    """Whether nothing glued before a three-digit match makes it part of something else: a
    path, a price, a sum, an address (``<<<`` of a transcript aside)."""
    before = line[start - 1] if start > 0 else ""
    if before in ("-", "+", "/", "=", "@", "$", "%", "&", "\\", "~", "^", "*", "|"):
        return False
    return before != "<" or line[max(0, start - 3) : start] == "<<<"


def _basic_free_after(line: str, end: int) -> bool:
    """Whether nothing glued after a three-digit match makes it a number: ``554.30``,
    ``250,000``, ``555-1234``, a port ``587:``, ``550@host``, ``250%``."""
    after = line[end : end + 2]
    if len(after) == 2 and after[0] in ".,-" and after[1].isdigit():
        return after[0] == "-" and _KEYWORD_AHEAD.match(line, end) is not None
    return after[:1] not in ("@", "%", "/", ":")


class _Finder:
    """One pass over the decoded text, judging each candidate code by what stands around it."""

    def __init__(
        self,
        text: str,
        lines: Sequence[str],
        offsets: Sequence[int],
        sink: Callable[[_Hit], None],
    ) -> None:
        self.text = text
        self.lines = lines
        self.offsets = offsets
        """Where each line starts in `text`."""
        self.fields = _Lines(lines)
        self.sink = sink
        """Takes each hit, in order, once nothing later can change it."""
        self.hits: list[_Hit] = []
        """The hits of the last lines, which the next line may still pair."""
        self._pending: dict[tuple[int, int], _Hit] = {}
        """Enhanced codes already claimed by the basic code before them, by (line, column)."""

    def run(self) -> None:
        """Give the sink the credible codes in order of appearance, roles set and pairs linked.

        A hit is given away as soon as its line and the next are read (a basic code may pair
        with an enhanced code wrapped onto the next line), so that no list of every hit in a
        text of millions of lines is ever held.
        """
        offsets = self.offsets
        seen: dict[str, _Hit] = {}
        """The finding of each code on the current line: a code is listed once per line."""
        index = 0
        for match in _CANDIDATE.finditer(self.text):
            if index + 1 < len(offsets) and match.start() >= offsets[index + 1]:
                index = bisect.bisect_right(offsets, match.start(), lo=index) - 1
                seen.clear()
                if self.hits and self.hits[0].index < index - 1:
                    self._flush(index - 1)
                if self._pending:
                    # Claims reach the next line at most: older ones are stale.
                    self._pending = {
                        key: hit for key, hit in self._pending.items() if key[0] >= index
                    }
            start = match.start() - offsets[index]
            end = match.end() - offsets[index]
            listed = seen.get(match.group())
            if listed is not None:
                # Not judged again (that would only cost time), but its pair still counts.
                self._repeat(listed, index, start, end)
                continue
            if match.lastgroup == "basic":
                hit = self._basic(index, start, end)
            else:
                hit = self._enhanced(index, start, end)
            if hit is not None:
                seen[hit.code] = hit
                self.hits.append(hit)
        self._flush(len(offsets))

    def _flush(self, before: int) -> None:
        """Pair and give away the hits of the lines before line `before`: all are final."""
        done = [hit for hit in self.hits if hit.index < before]
        self.hits = self.hits[len(done) :]
        self._pair_on_line(done)
        for hit in done:
            self.sink(hit)

    def _repeat(self, listed: _Hit, index: int, start: int, end: int) -> None:
        """Link the pair of a code already listed on this line: in ``dsn=5.1.1 ... said: 550
        5.1.1``, the 550 pairs with the 5.1.1 listed first."""
        if listed.family == ENHANCED:
            partner = self._pending.pop((index, start), None)
            if partner is not None:
                partner.pair = partner.pair or listed
                listed.pair = listed.pair or partner
            return
        line = self.lines[index]
        ahead = _ENHANCED_AHEAD.match(line, end)
        if ahead is not None and _enhanced_ok(line, ahead.start("code"), ahead.end("code")):
            self._pending[(index, ahead.start("code"))] = listed

    def _basic(self, index: int, start: int, end: int) -> _Hit | None:
        """A basic code is credible where a server reply stands; elsewhere it is another number."""
        line = self.lines[index]
        if not _basic_free_before(line, start):
            return None
        claims: tuple[int, int] | None = None
        ahead = _ENHANCED_AHEAD.match(line, end)
        if ahead is not None and _enhanced_ok(line, ahead.start("code"), ahead.end("code")):
            claims = (index, ahead.start("code"))  # 550 5.1.1, and 550-5.7.26 with its dash.
        elif not _basic_free_after(line, end):
            return None
        elif index + 1 < len(self.lines) and _NOTHING_AHEAD.match(line, end):
            following = self.lines[index + 1]
            wrapped = _ENHANCED_WRAPPED.match(following)
            if wrapped is not None and _enhanced_ok(following, wrapped.start(), wrapped.end()):
                claims = (index + 1, wrapped.start("code"))
        credible = claims is not None
        if not credible:
            text_ahead = _TEXT_AHEAD.match(line, end) is not None
            if not text_ahead and _END_AHEAD.match(line, end) is None:
                return None
            credible = _basic_lead_in(line, start) or (text_ahead and _at_line_start(line, start))
            if not credible and not _is_continuation(line) and not _DSN_FIELD.match(line):
                return None  # No field can vouch for it either: saves the field look-up.
        name = self.fields.field(index)
        if _is_noise(name) or not (credible or name == "diagnostic-code"):
            return None
        role = {"diagnostic-code": "diagnostic", "status": "status"}.get(name or "", "reply")
        # Interned: one string object per code, however many findings hold it.
        hit = _Hit(sys.intern(line[start:end]), BASIC, index, start, role)
        if claims is not None:
            self._pending[claims] = hit
        return hit

    def _enhanced(self, index: int, start: int, end: int) -> _Hit | None:
        """An enhanced code is credible beside a reply code, in a DSN field, opening a line or
        after a word that names a code; anywhere else X.Y.Z is more likely a version number."""
        line = self.lines[index]
        code = sys.intern(line[start:end])
        partner = self._pending.pop((index, start), None)
        if partner is not None:
            hit = _Hit(code, ENHANCED, index, start, partner.role, partner)
            if partner.pair is None:
                partner.pair = hit
            return hit
        if not _enhanced_ok(line, start, end):
            return None
        at_start = _STATUS_TEXT_AHEAD.match(line, end) is not None and _at_line_start(line, start)
        credible = at_start or _enhanced_lead_in(line, start)
        if not credible and not _is_continuation(line) and not _DSN_FIELD.match(line):
            return None  # No field can vouch for it either: saves the field look-up.
        name = self.fields.field(index)
        if name == "status":
            return _Hit(code, ENHANCED, index, start, "status")
        if name == "diagnostic-code":
            return _Hit(code, ENHANCED, index, start, "diagnostic")
        if not credible or _is_noise(name):
            return None
        role = "reply" if at_start else "text"
        return _Hit(code, ENHANCED, index, start, role)

    @staticmethod
    def _pair_on_line(hits: list[_Hit]) -> None:
        """Pair the lone basic and lone enhanced code of one reply line: qmail's
        ``550 sorry, no mailbox here by that name (#5.1.1 - chkusr)`` is one reply."""
        by_line: dict[int, list[_Hit]] = {}
        for hit in hits:
            by_line.setdefault(hit.index, []).append(hit)
        for group in by_line.values():
            if len(group) != 2 or group[0].pair is not None or group[1].pair is not None:
                continue
            basic, enhanced = group
            if basic.family == BASIC and enhanced.family == ENHANCED and basic.role != "text":
                basic.pair, enhanced.pair = enhanced, basic


# --- The verdict --------------------------------------------------------------------------------

_ACTION_OUTCOMES = {
    "failed": PERMANENT,
    "delayed": TEMPORARY,
    "delivered": DELIVERED,
    "relayed": DELIVERED,
    "expanded": DELIVERED,
}
_CLASS_OUTCOMES = {"5": PERMANENT, "4": TEMPORARY, "2": DELIVERED}
_SEVERITY = {PERMANENT: 3, TEMPORARY: 2, DELIVERED: 1}


def _group_of(lines: Sequence[str], index: int, runs: _Runs) -> int:
    """The first line of the blank-line-separated group holding line `index` (a DSN recipient),
    looking at most 100 of the user's lines up (`runs` counts a shortened run at full length)."""
    top = index
    first = runs.original(index)[0]
    while top > 0 and first - runs.original(top)[0] < 100 and lines[top - 1].strip():
        top -= 1
    return top


def _voice(hit: _Hit) -> _Hit:
    """The finding that speaks for a reply: the basic code of a pair, being the one a client
    acts on (RFC 5321), so ``554 4.0.0`` counts as permanent."""
    if hit.family == ENHANCED and hit.pair is not None and hit.pair.family == BASIC:
        return hit.pair
    return hit


class _Verdict:
    """The outcome by the rules in `scan`, worked out hit by hit: only the few hits that may
    decide are held, never a list of every hit."""

    def __init__(
        self, text: str, lines: Sequence[str], offsets: Sequence[int], runs: _Runs
    ) -> None:
        self.lines = lines
        self.runs = runs
        # Each Action field by where its line starts: the first line is matched apart, because a
        # "\n" put in front of the whole text would copy it.
        opening = _ACTION.match("\n" + lines[0]) if len(lines) else None
        starts = [(0, opening.group(1))] if opening is not None else []
        found = ((match.start() + 1, match.group(1)) for match in _ACTION.finditer(text))
        self._actions = (
            (self._group(bisect.bisect_right(offsets, start) - 1), verb.lower())
            for start, verb in itertools.chain(starts, found)
        )
        """The (group, verb) of each DSN Action field, in text order, read as the hits come."""
        self._next_action = next(self._actions, None)
        self._dsn = self._next_action is not None or _STATUS_FIELD.search(text) is not None
        """Whether the text may be a delivery-status report at all: a log dense with
        Diagnostic-Code lines but no Status or Action field is judged without finding the
        recipient group of each (a walk of up to 100 lines apiece)."""
        self._groups: dict[int, list[Any]] = {}
        """The recipient groups not yet judged: [verb, first status, first diagnostic, whether
        an action or status stands in it]. Groups come in text order, so only a few are open."""
        self._best: tuple[str, _Hit | None] | None = None
        self._last_reply: _Hit | None = None
        self._last_reply_not_421: _Hit | None = None
        self._last_failure: _Hit | None = None
        self._last_failure_not_421: _Hit | None = None
        self._last_success: _Hit | None = None

    def _group(self, index: int) -> int:
        return _group_of(self.lines, index, self.runs)

    def feed(self, hit: _Hit) -> None:
        """Take the next hit in text order, its pair already linked."""
        if hit.code[0] in "45":
            voice = _voice(hit)
            self._last_failure = voice
            if voice.code != "421":
                self._last_failure_not_421 = voice
            if voice.role != "text":
                self._last_reply = voice
                if voice.code != "421":
                    self._last_reply_not_421 = voice
        elif hit.code[0] == "2":
            self._last_success = _voice(hit)
        if self._dsn and hit.role in ("status", "diagnostic"):
            group = self._group(hit.index)
            self._judge_before(group)
            entry = self._groups.setdefault(group, [None, None, None, False])
            if hit.role == "status":
                entry[1] = entry[1] or hit
                entry[3] = True
            else:
                entry[2] = entry[2] or hit

    def _judge_before(self, group: int | None) -> None:
        """Read the actions up to `group` and judge every group before it (None: all)."""
        while self._next_action is not None and (group is None or self._next_action[0] <= group):
            where, verb = self._next_action
            entry = self._groups.setdefault(where, [None, None, None, False])
            entry[0] = verb
            entry[3] = True
            self._next_action = next(self._actions, None)
        for done in sorted(key for key in self._groups if group is None or key < group):
            verb, status, diagnostic, counts = self._groups.pop(done)
            if not counts:
                continue  # A Diagnostic-Code alone does not make a recipient.
            outcome = _ACTION_OUTCOMES.get(verb or "")
            if outcome is None and status is not None:
                outcome = _CLASS_OUTCOMES.get(status.code[0])
            if outcome is not None and (
                self._best is None or _SEVERITY[outcome] > _SEVERITY[self._best[0]]
            ):
                self._best = (outcome, status or diagnostic)

    def result(self) -> tuple[str, _Hit | None]:
        """The outcome and the finding it rests on, once every hit is fed."""
        self._judge_before(None)
        if self._best is not None:
            return self._best
        last: _Hit | None
        if self._last_reply is not None:
            last, earlier = self._last_reply, self._last_reply_not_421
        else:
            last, earlier = self._last_failure, self._last_failure_not_421
        if last is not None:
            if last.code == "421" and earlier is not None and earlier.code[0] == "5":
                # 421 closes the session: it says nothing new about a message refused before it.
                last = earlier
            return (PERMANENT if last.code[0] == "5" else TEMPORARY), last
        if self._last_success is not None:
            return DELIVERED, self._last_success
        return UNKNOWN, None


# --- The front door -----------------------------------------------------------------------------


def _context(line: str, start: int) -> str:
    """The line stripped and, when too long, cut around the code so that the code stays visible.

    A very long line is first narrowed to a window around the code, so that a megabyte-long
    line is not copied once for every code on it.
    """
    cut_before = cut_after = False
    if len(line) > 4 * CONTEXT_LIMIT:
        low, high = max(0, start - 2 * CONTEXT_LIMIT), start + 2 * CONTEXT_LIMIT
        cut_before, cut_after = low > 0, high < len(line)
        line, start = line[low:high], start - low
    stripped = line.strip()
    offset = start - (len(line) - len(line.lstrip()))
    first = max(0, min(offset - 60, len(stripped) - CONTEXT_LIMIT))
    window = stripped[first : first + CONTEXT_LIMIT]
    if first > 0 or cut_before:
        window = "…" + (window[1:] if len(window) == CONTEXT_LIMIT else window)
    if first + CONTEXT_LIMIT < len(stripped) or cut_after:
        window = (window[:-1] if len(window) == CONTEXT_LIMIT else window) + "…"
    return window


def scan(text: str | bytes | bytearray) -> Scan:
    """Find every reply code and enhanced status code in `text` and judge how delivery went.

    `text` may be a single reply, a multi-line reply, an SMTP transcript or a whole bounce
    message (bytes as received, or str); MIME parts are decoded first. Nothing raises: bytes
    that are not text come back as replacement characters, a broken message is read as plain
    text.

    The outcome, in order of precedence:

    1. A delivery-status report decides by its per-recipient fields, because they are the
       reporting MTA's own verdict: ``Action: failed`` is permanent, ``delayed`` temporary,
       ``delivered``/``relayed``/``expanded`` delivered; without an Action, the ``Status:``
       class decides (5 permanent, 4 temporary, 2 delivered). With several recipients the
       worst one wins (permanent over temporary over delivered) so that no failure is hidden.
       The recipient's ``Status:`` finding decides (else its ``Diagnostic-Code`` finding).
    2. Otherwise the last failure (4xx or 5xx, basic or enhanced) decides, replies before codes
       named in prose: a later reply supersedes an earlier one, so a permanent failure beats a
       transient one only when it comes later (a 450 retried and then refused with 550 is
       permanent; a 550 and then a 452 on a later attempt is temporary). The one exception is
       a 421 after a permanent failure: it only closes the session, so the refusal before it
       stays the final word on the message. When the deciding failure is paired, the basic
       code decides, being the one a client acts on (RFC 5321): ``554 4.0.0`` is permanent,
       and is listed in `Scan.mismatched`.
    3. Only 2xx codes, perhaps with 3xx intermediate replies: delivered (the last 2xx decides).
    4. No code, or only 3xx: unknown.
    """
    try:
        decoded = _decode(text)
    except Exception:
        # The decoder is written not to raise; this keeps the promise if it ever does.
        decoded = _CONTROL.sub("", repr(text)[:100_000])
    runs = _Runs(decoded)
    text_lines = _TextLines(runs.text)
    del decoded  # With long runs, the shortened text is all that is kept.
    verdict = _Verdict(text_lines.text, text_lines, text_lines.offsets, runs)
    keeper = _Keeper(runs)

    def take(hit: _Hit) -> None:
        verdict.feed(hit)
        keeper.keep(hit)

    _Finder(text_lines.text, text_lines, text_lines.offsets, take).run()
    outcome, deciding_hit = verdict.result()
    hits = keeper.hits(deciding_hit)
    findings = _group(hits, text_lines, runs)
    mismatched = dict.fromkeys(
        findings[hit.place]
        for hit in hits
        if hit.family == BASIC and hit.pair is not None and hit.pair.code[0] != hit.code[0]
    )
    deciding = findings[deciding_hit.place] if deciding_hit is not None else None
    for hit in hits:
        hit.pair = None  # Paired hits point at each other: unlinked, they go as soon as unused.
    return Scan(
        lines=_OriginalLines(text_lines, runs),
        findings=findings,
        outcome=outcome,
        deciding=deciding,
        mismatched=tuple(mismatched),
        left_out=tuple(keeper.left_out.items()),
        left_out_lines=keeper.left_out_lines,
    )


# --- Long texts: lines without a list of them, runs of identical lines shortened ----------------

_NEWLINE = re.compile("\n")
_RUN = re.compile(r"^(.*)(?:\n\1$)++", re.MULTILINE)
"""A line and the identical lines right after it. Possessive, so that a run of millions of lines
is one match that keeps no backtracking state."""
_SHORTEST_RUN = 4
"""Runs this long or longer are scanned as three lines: the first, one for the middle, the last.
Each of the three meets the same neighbours as the lines it stands for, so each is judged alike."""


class _Runs:
    """The text with each long run of identical lines cut to three, and the way back to the
    original line numbers: the middle line of a cut run stands for all the lines between."""

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        self.middles: list[int] = []
        """The line number, in the shortened text, of each cut run's middle line."""
        self.firsts: list[int] = []
        """The original line number of the first line each of those middles stands for."""
        self.repeats: list[int] = []
        """How many original lines each middle stands for."""
        kept = 0  # where the text not yet in `pieces` starts
        shift = 0  # original lines minus shortened lines, so far
        line = 0  # the original number of the line at `kept`
        for match in _RUN.finditer(text):
            count = text.count("\n", match.start(), match.end()) + 1
            if count < _SHORTEST_RUN:
                continue
            line += text.count("\n", kept, match.start())
            pieces.append(text[kept : match.start()])
            pieces.append("\n".join((match.group(1),) * 3))
            self.middles.append(line + 1 - shift)
            self.firsts.append(line + 1)
            self.repeats.append(count - 2)
            shift += count - 3
            line += count - 1
            kept = match.end()
        if pieces:
            pieces.append(text[kept:])
            text = "".join(pieces)
        self.text = text

    def original(self, index: int) -> tuple[int, int]:
        """The original (0-based) number of shortened line `index`, and how many lines it is."""
        run = bisect.bisect_right(self.middles, index) - 1
        if run < 0:
            return index, 1
        if self.middles[run] == index:
            return self.firsts[run], self.repeats[run]
        return index - self.middles[run] + self.firsts[run] + self.repeats[run] - 1, 1

    def shortened(self, index: int) -> int:
        """The shortened line that stands for original line `index`."""
        run = bisect.bisect_right(self.firsts, index) - 1
        if run < 0:
            return index
        if index < self.firsts[run] + self.repeats[run]:
            return self.middles[run]
        return index - self.firsts[run] - self.repeats[run] + 1 + self.middles[run]

    def original_count(self, count: int) -> int:
        """How many original lines a shortened text of `count` lines came from."""
        return count + sum(repeat - 1 for repeat in self.repeats)


class _TextLines(Sequence[str]):
    """The lines of a text, each cut out when asked: a list of them would cost about 60 bytes
    a line, which for 50 MB of short lines is more than the text itself."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = array("I" if len(text) < 2**32 - 1 else "q", [0])
        """Where each line starts in `text`, and where a line after the last would start."""
        self.offsets.extend(match.end() for match in _NEWLINE.finditer(text))
        self.offsets.append(len(text) + 1)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[item] for item in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        offsets = self.offsets
        if not 0 <= index < len(offsets) - 1:
            raise IndexError(index)
        return self.text[offsets[index] : offsets[index + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        return (self[index] for index in range(len(self)))


class _OriginalLines(Sequence[str]):
    """`Scan.lines`: the lines as the user gave them, runs of identical lines at full length."""

    def __init__(self, lines: _TextLines, runs: _Runs) -> None:
        self._lines = lines
        self._runs = runs
        self._length = runs.original_count(len(lines))

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[item] for item in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._lines[self._runs.shortened(index)]

    def __iter__(self) -> Iterator[str]:
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # As the tuple it once was, so that a `Scan` stays hashable.


class _Keeper:
    """The hits of the first and the last lines with codes, `KEPT_FINDINGS` at each end, and a
    count by code of those between, so that the findings of any text take bounded memory."""

    def __init__(self, runs: _Runs) -> None:
        self.runs = runs
        self.head: list[_Hit] = []
        self.tail: deque[_Hit] = deque()
        self.left_out: dict[str, int] = {}
        self.left_out_lines: tuple[int, int] | None = None
        """The first and last original line (1-based) of the hits left out."""

    def keep(self, hit: _Hit) -> None:
        """Take the next hit in text order."""
        head, tail = self.head, self.tail
        if not tail and (len(head) < KEPT_FINDINGS or head[-1].index == hit.index):
            head.append(hit)
            return
        tail.append(hit)
        if len(tail) > KEPT_FINDINGS and tail[0].index != hit.index:
            oldest = tail[0].index  # A whole line goes, so that no reply is cut in two.
            while tail[0].index == oldest:
                self._leave_out(tail.popleft())

    def _leave_out(self, hit: _Hit) -> None:
        line, count = self.runs.original(hit.index)
        self.left_out[hit.code] = self.left_out.get(hit.code, 0) + count
        first = self.left_out_lines[0] if self.left_out_lines else line + 1
        self.left_out_lines = (first, line + count)
        hit.place = _LEFT_OUT

    def hits(self, deciding: _Hit | None) -> list[_Hit]:
        """The hits kept, in text order; the deciding one (and its pair) even from the middle,
        so that the verdict always points at a finding."""
        middle = []
        if deciding is not None and deciding.place == _LEFT_OUT:
            middle = [deciding]
            if deciding.pair is not None and deciding.pair.index == deciding.index:
                middle.append(deciding.pair)
            middle.sort(key=lambda hit: hit.start)
            for hit in middle:
                _, count = self.runs.original(hit.index)
                self.left_out[hit.code] -= count
                if not self.left_out[hit.code]:
                    del self.left_out[hit.code]
        return [*self.head, *middle, *self.tail]


_LEFT_OUT = -2
"""The `_Hit.place` of a hit only counted."""


def _group(hits: list[_Hit], lines: _TextLines, runs: _Runs) -> tuple[Finding, ...]:
    """The findings, identical lines in a row made one finding; each hit learns its `place`.

    Two lines are identical here when they hold the same codes, in the same roles and pairs,
    with the same context: what a reader would see twice.
    """
    findings: list[Finding] = []
    previous: list[Finding] = []
    position = 0
    while position < len(hits):
        index = hits[position].index
        group = [hits[position]]
        position += 1
        while position < len(hits) and hits[position].index == index:
            group.append(hits[position])
            position += 1
        line, count = runs.original(index)
        text = lines[index]
        made = [
            Finding(
                code=hit.code,
                family=hit.family,
                line=line + 1,
                context=_context(text, hit.start),
                role=hit.role,
                pair=hit.pair.code if hit.pair is not None else None,
                count=count,
            )
            for hit in group
        ]
        if (
            previous
            and previous[0].end == line
            and len(previous) == len(made)
            and all(_same(before, now) for before, now in zip(previous, made, strict=True))
        ):
            grown = [
                Finding(
                    code=before.code,
                    family=before.family,
                    line=before.line,
                    context=before.context,
                    role=before.role,
                    pair=before.pair,
                    count=before.count + count,
                )
                for before in previous
            ]
            findings[-len(previous) :] = grown
            made = grown
        else:
            findings.extend(made)
        for place, hit in enumerate(group, start=len(findings) - len(made)):
            hit.place = place  # A grown finding takes the place of the one it grew from.
        previous = made
    return tuple(findings)


def _same(first: Finding, second: Finding) -> bool:
    """Whether two findings read the same, wherever they stand."""
    return (first.code, first.family, first.context, first.role, first.pair) == (
        second.code,
        second.family,
        second.context,
        second.role,
        second.pair,
    )
