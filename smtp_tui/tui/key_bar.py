"""A one-line footer of the keys that apply now, drawn as text rather than a widget per key.

Textual's `Footer` mounts a widget for every key and rebuilds them on each focus change; measured
here it was about a fifth of the browser's start-up (bench_tui.py: 1.53x the bare app with it,
1.28x without). This draws the same bindings, greyed when disabled, and still answers clicks.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.widgets import Static


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
        spots: list[_Spot] = []
        seen: set[str] = set()
        position = 0
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = f" {self.app.get_key_display(binding)} "
            label = f"{binding.description} "
            parts += [
                (key, "bold $footer-key-foreground" if enabled else "dim"),
                (label, "" if enabled else "dim"),
            ]
            spots.append(_Spot(position, position + len(key) + len(label), binding.action, node))
            position += len(key) + len(label)
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            key = f" {self.app.get_key_display(palette.binding)} "
            label = "palette "
            parts += [(key, "bold $footer-key-foreground"), (label, "")]
            spots.append(
                _Spot(position, position + len(key) + len(label), "command_palette", self.app)
            )
        self._spots = spots
        self.update(Content.assemble(*parts))

    async def on_click(self, event: events.Click) -> None:
        for spot in self._spots:
            if spot.start <= event.x < spot.end:
                await self.app.run_action(spot.action, spot.node)
                return
