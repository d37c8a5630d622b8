"""Guards against races and missing checks in Textual 8.2.8 that ordinary keys reach.

Each is a crash users saw as ours (issue 9, items 5-7); each names the Textual function at fault, so
the guard can go when Textual fixes it.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList

ResultT = TypeVar("ResultT")


class PagedOptionList(OptionList):
    """An `OptionList` whose page keys do nothing while it has no room to show a row.

    `OptionList._move_page` looks the highlighted option up in a line cache that `_update_lines`
    leaves empty while the list has no width or height (a window 38 columns wide or less, or one
    shrunk while the list has focus), and raises `KeyError`:
    https://github.com/Textualize/textual/blob/v8.2.8/src/textual/widgets/_option_list.py#L990
    """

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        if self.scrollable_content_region:
            super()._move_page(direction)


class DismissOnce(Screen[ResultT]):
    """A screen that only closes itself while it is the one on top.

    `Screen.dismiss` pops whatever screen is on top of the stack, not the screen it is called on.
    Two `enter`s or `escape`s in one burst (a paste, key repeat) both reach the screen before it
    is gone: the first closes it, the second the screen under it (the browser itself, whose
    widgets then vanish: `NoMatches` in `jump_to`), a third raises `ScreenStackError`:
    https://github.com/Textualize/textual/blob/v8.2.8/src/textual/screen.py#L2048

    With another screen class, name that one first (`class Help(ModalScreen[None],
    DismissOnce[None])`): Textual inherits CSS and component classes along the first base only
    (`DOMNode._css_bases`), and the method order still puts this `dismiss` before `Screen`'s.
    """

    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete()  # already closing: a repeated key, nothing to do
        return super().dismiss(result)


def handed_on(widget: Widget, event: events.Key) -> bool:
    """Hand `event` to where the focus now is, if it moved away from `widget` on its screen.

    Textual hands each key to the widget focused when the app reads it, and acts on a binding
    only once the key has bubbled back up to the app. In `/` and a word typed in one burst (a
    paste, a fast typist) from the list, the word's letters were handed to the list before `/`
    had moved the focus, and were lost there:
    https://github.com/Textualize/textual/blob/v8.2.8/src/textual/app.py#L4060
    """
    screen = widget.screen
    focused = screen.focused
    if widget.app.screen is not screen or focused is None or widget in focused.ancestors_with_self:
        return False  # where the focus is, or bubbling up from it
    event.prevent_default()
    event.stop()
    widget.app.post_message(events.Key(event.key, event.character))
    return True


class KeysFollowFocus:
    """A focusable widget that moves the focus as soon as it reads a key that moves it, and
    hands on the keys that reach it once the focus has moved on.

    Textual acts on a binding only once the key has bubbled back up from the focused widget, by
    when that widget has read the keys queued behind it: `/` and a word typed in one burst from
    the list typed the word nowhere, and in `452`, down, `c` the `c` was typed into the search.
    The screen names the actions that move the focus (`FOCUS_ACTIONS`); their keys, bound here
    or on the screen, are acted on as they are read, and what follows is handed on. A key the
    widget types itself (`/` in the search box) stays a key, as in Textual's binding chain.

    A mixin, named before the widget class: Textual calls each class's `_on_key` along the
    method order, until one prevents the default.
    """

    async def _on_key(self, event: events.Key) -> None:
        assert isinstance(self, Widget)
        if handed_on(self, event):
            return
        screen = self.screen
        moving = getattr(screen, "FOCUS_ACTIONS", ())
        if (
            self.app.screen is not screen
            or not moving
            or self.check_consume_key(event.key, event.character)
        ):
            return
        # The bindings as declared: the browser sets no keymap that renames keys.
        for node in (self, screen):
            for binding in node._bindings.key_to_bindings.get(event.key, ()):
                action = binding.action.removeprefix("screen.")
                if action in moving and screen.check_action(action, ()) is not False:
                    event.prevent_default()
                    event.stop()
                    await screen.run_action(action)
                    return
