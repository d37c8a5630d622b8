"""Every text colour on screen reads at 4.5:1 or more, in every theme offered, in truecolor and
in 256 colours: measured on the cells the app actually draws, not on the style table."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot

from smtp_tui.core.loading import load
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.legible import MINIMUM, contrast, in_256_colours, readable


def low_contrast(
    app: SmtpTuiApp, region: Region | None = None
) -> dict[tuple[str, str], tuple[float, str]]:
    """Each drawn (text, background) pair under the minimum, with a sample of its text.

    Only cells inside `region`, when given: a modal dialog is read, not the faded screen behind.
    """
    update = app.screen._compositor.render_full_update()
    found: dict[tuple[str, str], tuple[float, str]] = {}
    for y, line in enumerate(update.strips):
        x = 0
        for segment in (segment for strip in line for segment in strip):
            start, x = x, x + segment.cell_length
            if region is not None and not region.overlaps(Region(start, y, x - start, 1)):
                continue
            text = segment.text.strip()
            # Box-drawing borders and scrollbars are lines, not text.
            if not text or all(0x2500 <= ord(char) <= 0x259F for char in text):
                continue
            style = segment.style
            if style is None or style.color is None or style.bgcolor is None:
                continue
            fore = Color.from_rich_color(style.color)
            back = Color.from_rich_color(style.bgcolor)
            ratio = min(contrast(fore, back), contrast(in_256_colours(fore), in_256_colours(back)))
            if ratio < MINIMUM:
                found.setdefault((fore.hex, back.hex), (round(ratio, 2), text[:30]))
    return found


async def every_theme(
    pilot: Pilot[None], app: SmtpTuiApp, where: str, region: Region | None = None
) -> list[str]:
    problems = []
    for name in sorted(app.available_themes):
        app.theme = name
        await pilot.pause()
        for colours, (ratio, sample) in low_contrast(app, region).items():
            problems.append(f"{where}, {name}: {sample!r} {colours} {ratio}:1")
    return problems


async def reach(pilot: Pilot[None], app: SmtpTuiApp, view: str) -> Region | None:
    """Walk from the comparison the app opens on to `view`; the region to read, if not all."""
    await pilot.pause()
    if view == "comparison":
        return None
    await pilot.press("escape", "escape", "escape")
    await pilot.press(*"5.1", "down", "down")  # the list focused, a row highlighted
    await pilot.pause()
    if view == "list":
        return None
    if view == "explain":
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"550 5.1.1 no such user")
        await pilot.pause(0.6)  # the scan waits for a pause in typing
        return None
    await pilot.press("f1")
    await pilot.pause()
    return app.screen.query_one(VerticalScroll).region


@pytest.mark.parametrize("view", ["comparison", "list", "explain", "help"])
async def test_every_text_colour_reads_in_every_theme(view: str) -> None:
    """One view per test, so the two workers share the themes' cost."""
    app = SmtpTuiApp(load(), codes=("211", "452"))
    async with app.run_test(size=(120, 40)) as pilot:
        region = await reach(pilot, app, view)
        problems = await every_theme(pilot, app, view, region)
    assert not problems, "\n".join(problems[:20])


def test_ansi_themes_are_not_offered() -> None:
    """Their colours are the terminal's palette: no contrast can be promised."""
    names = SmtpTuiApp(load()).available_themes
    assert "textual-dark" in names
    assert not [name for name in names if name.startswith("ansi")]


@pytest.mark.parametrize(
    ("colour", "back"),
    [
        ("#0178D4", "#1E1E1E"),
        ("#FFA62B", "#F3F3F3"),
        ("#777777", "#888888"),
        ("#FFFFFF", "#FFFFFF"),
    ],
)
def test_readable_reaches_the_minimum_in_both_colour_depths(colour: str, back: str) -> None:
    made = readable(Color.parse(colour), [Color.parse(back)])
    assert contrast(made, Color.parse(back)) >= MINIMUM or made.hex in ("#000000", "#FFFFFF")
    assert contrast(in_256_colours(made), in_256_colours(Color.parse(back))) >= MINIMUM or (
        colour == back == "#FFFFFF"
    )
