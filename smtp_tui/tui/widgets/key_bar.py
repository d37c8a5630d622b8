"""A one-line footer of the keys that apply now, drawn as text rather than a widget per key.

Textual's `Footer` mounts a widget for every key and rebuilds them on each focus change; measured
here it was about a fifth of the browser's start-up (bench_tui.py: 1.53x the bare app with it,
1.28x without). This draws the same bindings, greyed when disabled, and still answers clicks.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.widgets import Static

from smtp_tui.core import i18n
from smtp_tui.core.i18n import text as _t


def command(
    keys: str, action: str, binding_id: str, show: bool = True, priority: bool = False
) -> Binding:
    """A binding whose label and tooltip live in the catalogues under ``binding.<id>``.

    The Binding itself carries the English words, for anything in Textual that reads them; the
    key bar and the help screen look the id up in the interface language.
    """
    english = i18n.catalogue(i18n.DEFAULT)
    label, tooltip = words(english, binding_id)
    description = label or binding_id
    return Binding(
        keys, action, description, show=show, tooltip=tooltip, id=binding_id, priority=priority
    )


def words(catalogue: i18n.Catalogue, binding_id: str | None) -> tuple[str, str]:
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
    return words(i18n.active(), binding.id)[0] or binding.description


def binding_tip(binding: Binding) -> str:
    """A binding's tooltip in the interface language (the help screen's "what it does")."""
    return words(i18n.active(), binding.id)[1] or binding.tooltip or ""


def first_key(app: App[object], binding: Binding) -> str:
    """How the terminal names the first of a binding's keys (`?` for ``question_mark,f1``)."""
    return app.get_key_display(Binding(binding.key.split(",")[0], binding.action))


IMPORTANCE = (
    "quit",
    "close-explain",
    "help",
    "search",
    "palette",
    "swap",
    "pick",
    "back",
    "explain",
    "copy",
    "counterpart",
    "family",
    "clear-explain",
)
"""Binding ids in the order the bar keeps them when it cannot show every key: the way out and
the way to help first, so a new user is never stuck; keys that can run now go before any
that cannot. The bar still shows them in their own order."""

PALETTE_ID = "palette"


class _Key(NamedTuple):
    """One key the bar may show."""

    key: str
    label: str
    enabled: bool
    action: str
    node: DOMNode
    binding_id: str

    @property
    def width(self) -> int:
        return cell_len(self.key) + cell_len(self.label)  # clicks come in cells: 日本語 is 6 wide

    def rank(self, position: int) -> tuple[bool, int, int]:
        known = self.binding_id in IMPORTANCE
        return (not self.enabled, IMPORTANCE.index(self.binding_id) if known else 99, position)


class _Spot(NamedTuple):
    """Where one key stands on the bar, to turn a click into its action."""

    start: int
    end: int
    action: str
    node: DOMNode


def fit(keys: list[_Key], width: int) -> list[_Key]:
    """The most important of `keys` that fit in `width` cells, in their own order."""
    chosen: set[int] = set()
    used = 0
    ranked = sorted(range(len(keys)), key=lambda index: keys[index].rank(index))
    for index in ranked:
        if used + keys[index].width <= width:
            chosen.add(index)
            used += keys[index].width
    return [key for index, key in enumerate(keys) if index in chosen]


class KeyBar(Static):
    """The keys of the focused widget's bindings chain, as `Footer` shows them, the most
    important first when they do not all fit."""

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
        self._parts: list[tuple[str, str] | str] = []
        """What the bar shows, as assembled: (text, style) pairs."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self.refresh_keys()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.refresh_keys)

    def _keys(self, screen: Screen[object]) -> list[_Key]:
        keys: list[_Key] = []
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = f" {self.app.get_key_display(binding)} "
            label = f"{binding_label(binding)} "
            keys.append(_Key(key, label, enabled, binding.action, node, binding.id or ""))
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            key = f" {self.app.get_key_display(palette.binding)} "
            label = f"{_t('ui.palette')} "
            keys.append(_Key(key, label, True, "command_palette", self.app, PALETTE_ID))
        return keys

    def refresh_keys(self) -> None:
        if not self.is_attached:
            return  # called after a refresh, by when the screen may have been dismissed
        try:
            screen = self.screen
        except NoScreen:
            return
        keys = self._keys(screen)
        shown = fit(keys, self.size.width)
        if not shown:
            # Narrower than any key with its label: the way out, by its key alone.
            shown = [key._replace(label="") for key in keys if key.binding_id == "quit"]
        parts: list[tuple[str, str] | str] = []
        spots: list[_Spot] = []
        position = 0
        for entry in shown:
            parts += [
                (
                    entry.key,
                    "bold $footer-key-foreground" if entry.enabled else "$smtp-footer-muted",
                ),
                (entry.label, "" if entry.enabled else "$smtp-footer-muted"),
            ]
            spots.append(_Spot(position, position + entry.width, entry.action, entry.node))
            position += entry.width
        self._spots = spots
        if parts != self._parts:
            # Not the same keys again (as when only the code changed): each update lays the
            # screen out again, in a frame after the keystroke's.
            self._parts = parts
            self.update(Content.assemble(*parts))

    async def on_click(self, event: events.Click) -> None:
        for spot in self._spots:
            if spot.start <= event.x < spot.end:
                await self.app.run_action(spot.action, spot.node)
                return
