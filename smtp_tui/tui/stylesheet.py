"""A screen's widget CSS, added to the stylesheet before the screen is first styled.

Textual adds the `DEFAULT_CSS` of a widget class (and of its bases) when the first widget of that
class mounts, and parses what is new before styling it. Each base's CSS carries a tie-breaker, its
depth under the class that brought it
(https://github.com/Textualize/textual/blob/v8.2.8/src/textual/dom.py#L713): a deeper class that
mounts later lowers it, and every source whose tie-breaker changed is parsed again. Mounting the
main screen parsed `Widget`'s CSS five times, 10.6 ms of parsing in all against the bare app's
3 ms (issue 14). Added up front, each source is parsed once, with the tie-breaker it ends up with
anyway; Textual's own adding, when the widgets mount, then finds nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode


class _Bases:
    """What `DOMNode._get_default_css` reads of a node: the CSS bases of its class."""

    def __init__(self, cls: type[DOMNode]) -> None:
        self._node_bases = cls._css_bases(cls)


def preload(stylesheet: Stylesheet, classes: Iterable[type[DOMNode]]) -> None:
    """Add the default CSS of `classes`, as Textual adds it when one of them mounts."""
    for cls in classes:
        sources = DOMNode._get_default_css(_Bases(cls))  # type: ignore[arg-type]
        for read_from, css, tie_breaker, scope in sources:
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=True,
                tie_breaker=tie_breaker,
                scope=scope,
            )
