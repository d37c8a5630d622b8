"""Guards against races and missing checks in Textual 8.2.8 that ordinary keys reach.

Each is a crash users saw as ours (issue 9, items 5-7); each names the Textual function at fault, so
the guard can go when Textual fixes it.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import Screen
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
