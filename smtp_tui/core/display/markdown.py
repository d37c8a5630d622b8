"""A document as Markdown: what the browser's copy key puts on the clipboard, and `--format md`.

Headings by nesting level, facts as bold-labelled bullets, numbered points as an ordered list.
Text is written as it is: the data's words are prose, and a reader pastes them into tickets.
"""

from __future__ import annotations

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
    Text,
    text_of,
)


def _emphasis(text: str, marker: str) -> str:
    """`text` between `marker`s, its outer spaces outside them: ``* a *`` is no emphasis."""
    inner = text.strip()
    if not inner:
        return text
    start = text.index(inner)
    return f"{text[:start]}{marker}{inner}{marker}{text[start + len(inner) :]}"


def runs(text: Text) -> str:
    out = []
    for run in text:
        if not run.text:
            continue
        if run.mark == Mark.STRONG:
            out.append(_emphasis(run.text, "**"))
        elif run.mark in (Mark.NOTE, Mark.MUTED, Mark.WARNING):
            out.append(_emphasis(run.text, "*"))
        elif run.mark == Mark.LINK and run.url:
            out.append(f"[{run.text}]({run.url})")
        else:
            out.append(run.text)
    return "".join(out)


def _block(block: Block, level: int) -> list[str]:
    if isinstance(block, Paragraph):
        return [runs(block.text), ""]
    if isinstance(block, Fact):
        return [f"- **{i18n.label(block.label).rstrip()}** {runs(block.text)}"]
    if isinstance(block, Points):
        listed = [block.label, ""] if block.label else []
        for number, item in enumerate(block.items, start=1):
            listed.append(f"{number}. {runs(item)}" if block.numbered else f"- {runs(item)}")
        return [*listed, ""]
    if isinstance(block, Links):
        return [*(f"- [{link.name}]({link.url})" for link in block.links), ""]
    if isinstance(block, CodeRows):
        return [
            *(
                f"- `{row.code}` {row.name}" + (f" ({row.note})" if row.note else "")
                for row in block.rows
            ),
            "",
        ]
    if isinstance(block, Parts):
        lines: list[str] = []
        for document in block.documents:
            lines += document_lines(document, level + 1)
        return lines
    raise TypeError(f"no Markdown for {type(block).__name__}")  # a new block kind: add it here


def document_lines(document: Document, level: int = 1) -> list[str]:
    mark = "#" * min(level, 6)
    # One space between words: a heading's source is read as it is, and the terminal's wider gap
    # after a code ("452  Name") is only a look.
    lines = [f"{mark} {' '.join(text_of(document.title).split())}", ""]
    for line in document.subtitle:
        # Italic as a whole: marked runs inside would nest emphasis that Markdown cannot close.
        lines += [f"*{text_of(line)}*", ""]
    for part in document.sections:
        if part.heading:
            lines += [f"{mark}# {part.heading}", ""]
        previous_fact = False
        for block in part.blocks:
            if previous_fact and not isinstance(block, Fact):
                lines.append("")
            lines += _block(block, level)
            previous_fact = isinstance(block, Fact)
        if previous_fact:
            lines.append("")
    return lines


def markdown(document: Document) -> str:
    """The whole document, with single blank lines between blocks and one newline at the end."""
    lines = document_lines(document)
    tidy: list[str] = []
    for line in lines:
        if line == "" and (not tidy or tidy[-1] == ""):
            continue
        tidy.append(line)
    while tidy and tidy[-1] == "":
        tidy.pop()
    return "\n".join(tidy) + "\n"
