"""Find SMTP reply codes and enhanced status codes in pasted replies, transcripts and bounces.

The front door, `scan`, and the types it returns; the work is done by the modules beside it:
`decoding` (bytes and MIME to text), `lines` (long texts as lines), `finder` and `clues` (which
numbers are codes), `verdict` (how delivery went) and `grouping` (findings in bounded memory)."""

from __future__ import annotations

from smtp_tui.core.scanner.decoding import CONTROL, decode
from smtp_tui.core.scanner.finder import Finder, Hit
from smtp_tui.core.scanner.findings import Finding, Scan
from smtp_tui.core.scanner.grouping import Keeper, group_findings
from smtp_tui.core.scanner.lines import OriginalLines, Runs, TextLines
from smtp_tui.core.scanner.verdict import Verdict
from smtp_tui.core.vocabulary import Family, Outcome, Role

__all__ = ["Family", "Finding", "Outcome", "Role", "Scan", "scan"]


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
        decoded = decode(text)
    except Exception:
        # The decoder is written not to raise; this keeps the promise if it ever does.
        decoded = CONTROL.sub("", repr(text)[:100_000])
    runs = Runs(decoded)
    text_lines = TextLines(runs.text)
    del decoded  # With long runs, the shortened text is all that is kept.
    verdict = Verdict(text_lines.text, text_lines, text_lines.offsets, runs)
    keeper = Keeper(runs)

    def take(hit: Hit) -> None:
        verdict.feed(hit)
        keeper.keep(hit)

    Finder(text_lines.text, text_lines, text_lines.offsets, take).run()
    outcome, deciding_hit = verdict.result()
    hits = keeper.hits(deciding_hit)
    findings = group_findings(hits, text_lines, runs)
    mismatched = dict.fromkeys(
        findings[hit.place]
        for hit in hits
        if hit.family is Family.BASIC and hit.pair is not None and hit.pair.code[0] != hit.code[0]
    )
    deciding = findings[deciding_hit.place] if deciding_hit is not None else None
    for hit in hits:
        hit.pair = None  # Paired hits point at each other: unlinked, they go as soon as unused.
    return Scan(
        lines=OriginalLines(text_lines, runs),
        findings=findings,
        outcome=outcome,
        deciding=deciding,
        mismatched=tuple(mismatched),
        left_out=tuple(keeper.left_out.items()),
        left_out_lines=keeper.left_out_lines,
    )
