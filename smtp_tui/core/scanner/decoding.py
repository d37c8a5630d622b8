"""Decoding: bytes or str in, plain lines out; a mail message with its MIME parts decoded."""

from __future__ import annotations

import binascii
import codecs
import email
import email.header
import email.message
import email.policy
import quopri
import re

_LINE_BREAK = re.compile(r"\r\n?")
_LINE_BREAK_BYTES = re.compile(rb"\r\n?|\n")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")
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


def looks_like_message(data: bytes | bytearray) -> bool:
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


def decode(text: str | bytes | bytearray) -> str:
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
    if looks_like_message(data):
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
    if CONTROL.search(decoded):
        decoded = CONTROL.sub("", decoded)
    return decoded.rstrip()
