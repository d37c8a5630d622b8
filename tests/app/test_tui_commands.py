"""The palette offers the screen's commands, from the same bindings as the keys and the key bar."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.explain import ExplainScreen
from smtp_tui.tui.screens.main import MainScreen


async def palette_lists(pilot: Pilot[None], query: str) -> list[str]:
    """What the palette lists for `query`, one line per entry (prompt, then help)."""
    app = pilot.app
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
        await pilot.pause()
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.5)
    found = palette.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


@pytest.mark.parametrize(
    ("query", "first"),
    [("explain", "Explain  e"), ("copy", "Copy  y"), ("counterp", "Counterpart  C")],
)
async def test_typing_a_command_offers_it_first(repo: Repository, query: str, first: str) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listed = await palette_lists(pilot, query)
        assert listed and listed[0].startswith(first), listed[:3]


async def test_the_palette_runs_the_command(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await palette_lists(pilot, "explain")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)


async def test_commands_that_cannot_run_are_not_offered(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not any(line.startswith("Swap") for line in await palette_lists(pilot, "swap"))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "C")  # 452 vs 552: two sides to swap
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.comparison is not None
        listed = await palette_lists(pilot, "swap")
        assert listed and listed[0].startswith("Swap  x")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.swapped


async def test_the_empty_palette_lists_the_commands_before_the_codes(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listed = await palette_lists(pilot, "")
        labels = [line.split("\n")[0].split("  ")[0] for line in listed]
        first_code = next(i for i, label in enumerate(labels) if label.startswith("Jump to"))
        for label in ("Explain", "Copy", "Compare", "Counterpart", "Family"):
            assert label in labels[:first_code], labels
        # Textual's system commands come from another provider, before or after the codes.
        assert "Language" in labels and "Theme" in labels
        assert "Swap" not in labels  # nothing to swap without a comparison


async def test_commands_are_offered_in_the_interface_language(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.set_language("de")
        await pilot.pause()
        listed = await palette_lists(pilot, "kopieren")
        assert listed and listed[0].startswith("Kopieren  y"), listed[:3]
