"""The terminal text of a code, a comparison, a list of codes and a diagnosis, written through
`Writer` (kept whole while the display model of issue 10 takes their place)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtp_tui.cli.output import Writer
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.line_breaking import shorten
from smtp_tui.core.search import CodeView
from smtp_tui.core.text import quoted

if TYPE_CHECKING:
    from smtp_tui.core.diagnosis import Diagnosis


def render_view(view: CodeView, w: Writer) -> None:
    if not view:
        w.line(_t("view.none", query=quoted(view.query.strip(), limit=60)))
        return
    for code in view:
        mark = "" if code.standard else w.style.dim(f"  {_t('code.nonstandard_mark')}")
        name = shorten(code.name, width=w.width - 14)
        w.line(f"{w.style.for_class(f'{code.code:<8}', code.tone)}{name}{mark}")
    w.line(w.style.dim(f"({view.describe()})"))


def render_diagnosis(diagnosis: Diagnosis, w: Writer) -> None:
    """The diagnosis document (verdict, recipients, sessions, findings) as terminal text."""
    from smtp_tui.cli import render
    from smtp_tui.core.display.diagnosis import diagnosis_document

    render.document(diagnosis_document(diagnosis), w)
