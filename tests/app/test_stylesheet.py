"""The first screen's CSS is parsed once (issue 14): every widget class on it is preloaded, so no
later mount lowers a tie-breaker and has a source parsed again."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import textual.css.stylesheet
from textual.css.stylesheet import Stylesheet

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.stylesheet import preload


async def test_every_css_source_of_the_first_screen_is_parsed_once(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: Counter[str] = Counter()
    parse = textual.css.stylesheet.parse

    def counted(scope: str, css: str, read_from: tuple[str, str], **kwargs: Any) -> Any:
        parsed[read_from[1]] += 1
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", counted)
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert parsed["Widget.DEFAULT_CSS"] == 1
        assert {source: count for source, count in parsed.items() if count > 1} == {}


async def test_every_widget_of_the_first_screen_is_preloaded(repo: Repository) -> None:
    """A widget added to the screen but not to `MainScreen.WIDGETS` costs parses again: each
    widget's CSS sources are preloaded, with a tie-breaker no mount lowers."""
    stylesheet = Stylesheet()
    preload(stylesheet, (MainScreen, *MainScreen.WIDGETS))
    preloaded = {where: source.tie_breaker for where, source in stylesheet.source.items()}
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for node in set(app._registry) - {app}:
            for where, _css, tie_breaker, _scope in node._get_default_css():
                assert where in preloaded, (type(node).__name__, where)
                assert tie_breaker >= preloaded[where], (type(node).__name__, where)
