"""The detail pane's text is drawn only where it is seen (issue 14), and drawn exactly as a `Static`
draws it: the same lines, cells and styles, links included, at every width."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.selection import SELECT_ALL
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Static

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.lazy_text import LazyStrips, LazyText
from smtp_tui.tui.widgets.panes import DetailPane, PaneText

TEXTS = [
    Content.assemble(
        ("452", "bold $success"),
        " Requested action not taken: insufficient system storage. " * 3,
        ("[bold] not markup [/]", "italic"),
        "\n\n",
        ("RFC 5321 §4.2.3", Style(link="https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3")),
        "\n" + "a-very-long-word-without-spaces-" * 6 + " ",
        Content.from_markup("[@click=app.bell]an action link[/], drawn in the link style"),
    ),
    Content("サーバーの記憶域が一時的に不足しています。しばらくしてから再送してください。" * 2),
    Content("मेलबॉक्स अनुपलब्ध है; सर्वर ने संदेश अस्वीकार किया। " * 3),
    Content(""),
]


class Both(App[None]):
    """The same text in a `Static` and in a `LazyText`, side by side at the same width."""

    CSS = "Static { width: 1fr; height: auto; }"

    def __init__(self, text: Content) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, id="static", markup=False)
        yield LazyText(self.text, id="lazy", markup=False)


def _cells(strip: Strip) -> list[tuple[str, object]]:
    return [(segment.text, segment.style) for segment in strip]


@pytest.mark.parametrize("text", TEXTS, ids=["styled", "japanese", "hindi", "empty"])
@pytest.mark.parametrize("width", [9, 31, 80])
async def test_lazy_text_draws_what_a_static_draws(text: Content, width: int) -> None:
    app = Both(text)
    async with app.run_test(size=(width, 60)) as pilot:
        await pilot.pause()
        static, lazy = app.query_one("#static", Static), app.query_one("#lazy", LazyText)
        assert lazy.size == static.size
        assert static.size.height > (0 if text else -1)
        for y in range(static.size.height + 1):  # one past the end: a blank line in both
            assert _cells(lazy.render_line(y)) == _cells(static.render_line(y)), y


async def test_a_text_selection_is_drawn_by_textual_itself() -> None:
    app = Both(TEXTS[0])
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        lazy = app.query_one("#lazy", LazyText)
        lazy.render_line(0)
        assert isinstance(lazy._render_cache.lines, LazyStrips)
        app.screen.selections = {lazy: SELECT_ALL}
        await pilot.pause()
        lazy.render_line(0)
        assert not isinstance(lazy._render_cache.lines, LazyStrips)


async def test_the_detail_pane_draws_only_the_lines_it_shows(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        detail = app.screen.query_one(DetailPane)
        body = app.screen.query_one("#detail-body", PaneText)
        strips = body._render_cache.lines
        assert isinstance(strips, LazyStrips)
        assert len(strips) == body.size.height > 2 * detail.size.height
        assert 0 < strips.made <= detail.size.height
        detail.scroll_end(animate=False)
        await pilot.pause()
        assert body._render_cache.lines is strips  # scrolling draws more lines, wraps nothing
        assert strips.made > detail.size.height


async def test_a_new_code_is_wrapped_once(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `Static` wraps a new text twice (to measure it, then to draw it)."""
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        wrapped: list[str] = []
        wrap = Content._wrap_and_format

        def counted(self: Content, *args: Any, **kwargs: Any) -> Any:
            wrapped.append(self.plain)
            return wrap(self, *args, **kwargs)

        monkeypatch.setattr(Content, "_wrap_and_format", counted)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.current = repo.get("552")
        await pilot.pause()
        body = app.screen.query_one("#detail-body", PaneText)
        assert "552" in str(body.visual)
        assert wrapped.count(str(body.visual)) == 1
