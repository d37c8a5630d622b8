"""A document as Textual `Content`, for the panes: the browser's renderer of the display model.

Every word goes in as plain text (`Content(...)` and `Content.assemble`), never as markup, so
SMTP text full of brackets (`[192.0.2.1]`, `[/`) shows as it is.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from smtp_tui.core import i18n
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
from smtp_tui.tui.styles import CLASS_STYLES, HEADING, MUTED, WARNING

LABEL = "bold"

_LOOKS = {
    Mark.PLAIN: "",
    Mark.STRONG: "bold",
    Mark.MUTED: MUTED,
    Mark.NOTE: f"italic {MUTED}",
    Mark.WARNING: f"italic {WARNING}",
}


def runs(text: Text) -> Content:
    parts: list[Content | tuple[str, str | Style] | str] = []
    for run in text:
        if run.mark == Mark.CODE:
            parts.append((run.text, CLASS_STYLES.get(run.tone, "bold")))
        elif run.mark == Mark.LINK and run.url:
            # A terminal hyperlink (OSC 8): ctrl+click opens it where the terminal allows it.
            parts.append((run.text, Style(link=run.url, underline=True)))
        else:
            parts.append((run.text, _LOOKS.get(run.mark, "")))
    return Content.assemble(*parts)


def lines(*parts: Content) -> Content:
    return Content("\n").join(parts)


def heading(text: str) -> Content:
    return Content.assemble("\n", (text, HEADING))


def marker(points: Points, number: int) -> str:
    """What stands before a point: its number, or a bullet."""
    return f"{number:>2}. " if points.numbered else " • "


def block(item: Block) -> Content:
    """One block as lines of text; points and nested documents that need hanging indents or
    columns are laid out by the pane itself with widgets, from the same block."""
    if isinstance(item, Paragraph):
        return runs(item.text)
    if isinstance(item, Fact):
        return Content.assemble((i18n.label(item.label), LABEL), runs(item.text))
    if isinstance(item, Points):
        rows = [Content.styled(item.label, LABEL)] if item.label else []
        for number, point in enumerate(item.items, start=1):
            rows.append(Content.assemble((marker(item, number), LABEL), runs(point)))
        return lines(*rows)
    if isinstance(item, Links):
        return lines(
            *(
                Content.assemble(
                    (link.name, "bold"), "  ", (link.url, Style(link=link.url, underline=True))
                )
                for link in item.links
            )
        )
    if isinstance(item, CodeRows):
        return lines(
            *(
                Content.assemble(
                    (f"{row.code:<7}", CLASS_STYLES.get(row.tone, "bold")),
                    " ",
                    row.name,
                    (f"  {row.note}" if row.note else "", f"italic {HEADING}"),
                )
                for row in item.rows
            )
        )
    if isinstance(item, Parts):
        return lines(*(document(inner) for inner in item.documents))
    raise TypeError(f"no Content for {type(item).__name__}")  # a new block kind: add it here


def section(part: Section) -> Content:
    body = [block(item) for item in part.blocks]
    return lines(heading(part.heading), *body) if part.heading else lines(*body)


def header(doc: Document) -> Content:
    """The title and its subtitle lines."""
    return lines(runs(doc.title), *(runs(line) for line in doc.subtitle))


def document(doc: Document) -> Content:
    return lines(header(doc), *(section(part) for part in doc.sections))
