"""A document as terminal text: the CLI's renderer of the display model (and `list`'s lines).

Prose wraps to the terminal's width in cells (the `Writer`), labels hang their lines under the
value, and colour follows the code's class only when the output is a terminal that wants it.

It draws a document's plain form (`smtp_tui.core.display.as_plain`), the nested tuples that
prepared answers keep on disk, so a freshly built document and a prepared one come out of the
same lines of code; and it imports nothing of the display model's classes at its top, since a
prepared answer must not pay for them.
"""

from __future__ import annotations

from smtp_tui.core.cells import cell_len

TYPE_CHECKING = False
"""`typing.TYPE_CHECKING` without importing `typing` (see `smtp_tui.console`)."""

if TYPE_CHECKING:
    from smtp_tui.cli.terminal import Writer
    from smtp_tui.core.diagnosis import Diagnosis
    from smtp_tui.core.display import (
        Document,
        PlainBlock,
        PlainDocument,
        PlainSection,
        PlainText,
        Section,
    )
    from smtp_tui.core.search import CodeView


def runs(text: PlainText, w: Writer) -> str:
    out = []
    for content, mark, tone, url in text:
        if mark == "code":
            out.append(w.style.for_class(content, tone))
        elif mark == "strong":
            out.append(w.style.bold(content))
        elif mark in ("muted", "note"):
            out.append(w.style.dim(content))
        elif mark == "link" and url and url != content:
            out.append(f"{content} <{url}>")
        else:
            out.append(content)
    return "".join(out)


def block(item: PlainBlock, w: Writer) -> None:
    kind = item[0]
    if kind == "paragraph":
        w.para(runs(item[1], w))
    elif kind == "fact":
        w.para(runs(item[2], w), indent="    ", first=f"  {item[1]}")
    elif kind == "points":
        items, numbered, label = item[1:]
        if label:
            w.line(f"  {label}")
        for number, point in enumerate(items, start=1):
            first = f"  {number:>2}. " if numbered else "    - "
            w.para(runs(point, w), indent="      ", first=first)
    elif kind == "links":
        for name, url in item[1]:
            w.line(f"  {name}  {url}")
    elif kind == "rows":
        for code, name, _tone, note in item[1]:
            first = f"  {code:<8}"
            aside = f" ({note})" if note else ""
            w.para(f"{name}{aside}", indent=" " * cell_len(first), first=first)
    elif kind == "parts":
        for inner in item[1]:
            w.line()
            w.line(w.style.dim("─" * w.width))
            plain_document(inner, w)
        w.line()
        w.line(w.style.dim("─" * w.width))
    else:  # a new block kind: add it here
        raise TypeError(f"no text for {kind!r}")


def plain_section(part: PlainSection, w: Writer) -> None:
    _key, heading, blocks = part
    if heading:
        w.section(heading)
    for item in blocks:
        block(item, w)


def plain_document(doc: PlainDocument, w: Writer) -> None:
    _kind, title, subtitle, sections = doc
    w.line(runs(title, w))
    for line in subtitle:
        w.para(runs(line, w), indent="  ", first="")
    for part in sections:
        plain_section(part, w)


def document(doc: Document, w: Writer) -> None:
    from smtp_tui.core.display import as_plain

    plain_document(as_plain(doc), w)


def section(part: Section, w: Writer) -> None:
    from smtp_tui.core.display import plain_section as as_plain_section

    plain_section(as_plain_section(part), w)


def diagnosis(found: Diagnosis, w: Writer) -> None:
    """The diagnosis document (verdict, recipients, sessions, findings) as terminal text; the
    builder is imported here, so only `explain` pays for it."""
    from smtp_tui.core.display.diagnosis import diagnosis_document

    document(diagnosis_document(found), w)


PlainList = tuple[tuple[tuple[str, int, str, bool], ...], str, str]
"""`list`'s lines, drawn or prepared: rows of (code, tone, name, standard), the mark of a
non-standard code, and the closing line (what the view holds, or that it holds nothing)."""


def plain_code_list(view: CodeView) -> PlainList:
    """The lines of `list` and `search`, in the active language, before any width or colour."""
    from smtp_tui.core.i18n import text as _t
    from smtp_tui.core.text import quoted

    if not view:
        return ((), "", _t("view.none", query=quoted(view.query.strip(), limit=60)))
    rows = tuple((code.code, code.tone, code.name, code.standard) for code in view)
    return (rows, _t("code.nonstandard_mark"), f"({view.describe()})")


def plain_list(lines: PlainList, w: Writer) -> None:
    """`list` and `search`: one line a code, then what the view holds (or that it is empty)."""
    from smtp_tui.core.line_breaking import shorten

    rows, nonstandard, closing = lines
    if not rows:
        w.line(closing)
        return
    for code, tone, name, standard in rows:
        mark = "" if standard else w.style.dim(f"  {nonstandard}")
        shown = shorten(name, width=w.width - 14)
        w.line(f"{w.style.for_class(f'{code:<8}', tone)}{shown}{mark}")
    w.line(w.style.dim(closing))


def code_list(view: CodeView, w: Writer) -> None:
    plain_list(plain_code_list(view), w)
