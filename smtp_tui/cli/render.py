"""A document as terminal text: the CLI's renderer of the display model (and `list`'s lines).

Prose wraps to the terminal's width in cells (the `Writer`), labels hang their lines under the
value, and colour follows the code's class only when the output is a terminal that wants it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtp_tui.core import i18n
from smtp_tui.core.cells import cell_len
from smtp_tui.core.display import (
    Block,
    CodeRows,
    Document,
    Fact,
    Links,
    Mark,
    Paragraph,
    Parts,
    Points,
    Section,
    Text,
)
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.line_breaking import shorten
from smtp_tui.core.text import quoted

if TYPE_CHECKING:
    from smtp_tui.cli.output import Writer
    from smtp_tui.core.diagnosis import Diagnosis
    from smtp_tui.core.search import CodeView


def runs(text: Text, w: Writer) -> str:
    out = []
    for run in text:
        if run.mark == Mark.CODE:
            out.append(w.style.for_class(run.text, run.tone))
        elif run.mark == Mark.STRONG:
            out.append(w.style.bold(run.text))
        elif run.mark in (Mark.MUTED, Mark.NOTE):
            out.append(w.style.dim(run.text))
        elif run.mark == Mark.LINK and run.url and run.url != run.text:
            out.append(f"{run.text} <{run.url}>")
        else:
            out.append(run.text)
    return "".join(out)


def block(item: Block, w: Writer) -> None:
    if isinstance(item, Paragraph):
        w.para(runs(item.text, w))
    elif isinstance(item, Fact):
        w.para(runs(item.text, w), indent="    ", first=f"  {i18n.label(item.label)}")
    elif isinstance(item, Points):
        if item.label:
            w.line(f"  {item.label}")
        for number, point in enumerate(item.items, start=1):
            first = f"  {number:>2}. " if item.numbered else "    - "
            w.para(runs(point, w), indent="      ", first=first)
    elif isinstance(item, Links):
        for link in item.links:
            w.line(f"  {link.name}  {link.url}")
    elif isinstance(item, CodeRows):
        for row in item.rows:
            first = f"  {row.code:<8}"
            note = f" ({row.note})" if row.note else ""
            w.para(f"{row.name}{note}", indent=" " * cell_len(first), first=first)
    elif isinstance(item, Parts):
        for inner in item.documents:
            w.line()
            w.line(w.style.dim("─" * w.width))
            document(inner, w)
        w.line()
        w.line(w.style.dim("─" * w.width))
    else:  # a new block kind: add it here
        raise TypeError(f"no text for {type(item).__name__}")


def section(part: Section, w: Writer) -> None:
    if part.heading:
        w.section(part.heading)
    for item in part.blocks:
        block(item, w)


def document(doc: Document, w: Writer) -> None:
    w.line(runs(doc.title, w))
    for line in doc.subtitle:
        w.para(runs(line, w), indent="  ", first="")
    for part in doc.sections:
        section(part, w)


def diagnosis(found: Diagnosis, w: Writer) -> None:
    """The diagnosis document (verdict, recipients, sessions, findings) as terminal text; the
    builder is imported here, so only `explain` pays for it."""
    from smtp_tui.core.display.diagnosis import diagnosis_document

    document(diagnosis_document(found), w)


def code_list(view: CodeView, w: Writer) -> None:
    """`list` and `search`: one line a code, then what the view holds."""
    if not view:
        w.line(_t("view.none", query=quoted(view.query.strip(), limit=60)))
        return
    for code in view:
        mark = "" if code.standard else w.style.dim(f"  {_t('code.nonstandard_mark')}")
        name = shorten(code.name, width=w.width - 14)
        w.line(f"{w.style.for_class(f'{code.code:<8}', code.tone)}{name}{mark}")
    w.line(w.style.dim(f"({view.describe()})"))
