"""A one-line footer of the keys that apply now, drawn as text rather than a widget per key.

Textual's `Footer` mounts a widget for every key and rebuilds them on each focus change; measured
here it was about a fifth of the browser's start-up (bench_tui.py: 1.53x the bare app with it,
1.28x without). This draws the same bindings, greyed when disabled, and still answers clicks.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.widgets import Static

from .. import i18n
from ..i18n import text as _t


def command(keys: str, action: str, binding_id: str, show: bool = True) -> Binding:
    """A binding whose label and tooltip live in the catalogues under ``binding.<id>``.

    The Binding itself carries the English words, for anything in Textual that reads them; the
    key bar and the help screen look the id up in the interface language.
    """
    english = i18n.catalogue(i18n.DEFAULT)
    label, tooltip = _words(english, binding_id)
    return Binding(keys, action, label or binding_id, show=show, tooltip=tooltip, id=binding_id)


def _words(catalogue: i18n.Catalogue, binding_id: str | None) -> tuple[str, str]:
    """The label and tooltip of `binding_id` in `catalogue`; empty where it has none.

    ``related-3`` is one message with the number filled in, not nine.
    """
    if not binding_id:
        return "", ""
    if binding_id.startswith("related-"):
        return catalogue.text("binding.related", n=binding_id.removeprefix("related-")), ""
    key = f"binding.{binding_id}"
    label = catalogue.text(key) if catalogue.lookup(key) else ""
    tip = catalogue.text(f"{key}.tip") if catalogue.lookup(f"{key}.tip") else ""
    return label, tip


def binding_label(binding: Binding) -> str:
    """A binding's short label in the interface language, found by its id."""
    return _words(i18n.active(), binding.id)[0] or binding.description


def binding_tip(binding: Binding) -> str:
    """A binding's tooltip in the interface language (the help screen's "what it does")."""
    return _words(i18n.active(), binding.id)[1] or binding.tooltip or ""


@dataclass(frozen=True)
class _Spot:
    """Where one key stands on the bar, to turn a click into its action."""

    start: int
    end: int
    action: str
    node: DOMNode


class KeyBar(Static):
    """The keys of the focused widget's bindings chain, as `Footer` shows them."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)
        self._spots: list[_Spot] = []
        self._keys: list[tuple[Content, int]] = []
        """Each key with its label, and the cells it takes."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.refresh_keys)

    def refresh_keys(self) -> None:
        if not self.is_attached:
            return  # called after a refresh, by when the screen may have been dismissed
        try:
            screen = self.screen
        except NoScreen:
            return
        parts: list[tuple[str, str] | str] = []
        keys: list[tuple[Content, int]] = []
        spots: list[_Spot] = []
        seen: set[str] = set()
        position = 0
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = f" {self.app.get_key_display(binding)} "
            label = f"{binding_label(binding)} "
            parts += [
                (key, "bold $footer-key-foreground" if enabled else "$smtp-footer-muted"),
                (label, "" if enabled else "$smtp-footer-muted"),
            ]
            width = cell_len(key) + cell_len(label)  # clicks come in cells: 日本語 is 6 wide
            keys.append((Content.assemble(*parts[-2:]), width))
            spots.append(_Spot(position, position + width, binding.action, node))
            position += width
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            key = f" {self.app.get_key_display(palette.binding)} "
            label = f"{_t('ui.palette')} "
            parts += [(key, "bold $footer-key-foreground"), (label, "")]
            width = cell_len(key) + cell_len(label)
            keys.append((Content.assemble(*parts[-2:]), width))
            spots.append(_Spot(position, position + width, "command_palette", self.app))
        self._spots = spots
        self._keys = keys
        self.update(Content.assemble(*parts))

    def render(self) -> RenderResult:
        """Whole keys only, then an ellipsis: a label cut short leaves a non-word (`? सहाय…`)."""
        width = self.size.width
        shown: list[Content] = []
        used = 0
        for keys, cells in self._keys:
            if used + cells > width:
                break
            shown.append(keys)
            used += cells
        else:
            return super().render()
        while shown and used + 1 > width:
            used -= self._keys[len(shown) - 1][1]
            shown.pop()
        return Content.assemble(*shown, "…")

    async def on_click(self, event: events.Click) -> None:
        for spot in self._spots:
            if spot.start <= event.x < spot.end:
                await self.app.run_action(spot.action, spot.node)
                return
