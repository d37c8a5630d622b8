"""Text colours that stay readable in every theme: WCAG AA (4.5:1) on the backgrounds they sit on.

Textual's themes choose their accent colours for looks, not for text: in the default dark theme a
3xx code was 1.68:1 on its background, and a highlighted 5xx row 1.18:1 in a 256-colour terminal.
So the browser does not use the theme's colours for text directly: each one is nudged lighter or
darker, as little as it takes, until it reaches 4.5:1 against every background it is drawn on, both
as a truecolor terminal draws it and as a 256-colour terminal (tmux's default) rounds it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color

MINIMUM = 4.5
"""WCAG 2 AA for normal text: the least contrast any text colour of ours may have."""

STEP = 0.02
"""How far one nudge moves a colour's lightness."""

TEXT_COLOURS = {
    "smtp-class-0": "foreground",
    "smtp-class-2": "success",
    "smtp-class-3": "secondary",
    "smtp-class-4": "warning",
    "smtp-class-5": "error",
    "smtp-heading": "accent",
    "smtp-match": "text-accent",
    "smtp-warning": "warning",
}
"""Our text colours, each made from the theme colour of the same role."""

MARKDOWN_HEADINGS = tuple(f"markdown-h{level}-color" for level in range(1, 7))
THEME_TEXT = ("text-primary", "text-secondary", "text-accent", "text-warning", "text-error")
"""Textual's own text colours, used by its widgets (the help's Markdown among them)."""

MUTED_SHARE = 0.6
"""Muted text: the foreground at this share over the background (Textual's own `$text-muted`)."""


def _channel(value: int) -> float:
    value_ = value / 255
    return value_ / 12.92 if value_ <= 0.03928 else ((value_ + 0.055) / 1.055) ** 2.4


_CHANNELS = [_channel(value) for value in range(256)]
"""Each 8-bit channel value, linearised: worked out once, not at each of the thousands of
contrasts a theme's text colours take (start-up waits for them)."""


def luminance(color: Color) -> float:
    """Relative luminance, as WCAG 2 defines it."""
    return 0.2126 * _CHANNELS[color.r] + 0.7152 * _CHANNELS[color.g] + 0.0722 * _CHANNELS[color.b]


def contrast(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two opaque colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@functools.lru_cache(maxsize=4096)
def in_256_colours(color: Color) -> Color:
    """`color` as a 256-colour terminal shows it: Rich rounds it into the xterm palette."""
    rounded = RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT)
    red, green, blue = rounded.get_truecolor()
    return Color(red, green, blue)


def _ratio(first: float, second: float) -> float:
    """The contrast of two luminances (`contrast`, for colours already measured)."""
    high, low = (first, second) if first >= second else (second, first)
    return (high + 0.05) / (low + 0.05)


def _measured(backgrounds: Iterable[Color]) -> list[tuple[float, float]]:
    """Each background's luminance, in truecolor and in 256 colours: measured once, where a
    theme's text colours try some hundred candidates against them."""
    return [(luminance(back), luminance(in_256_colours(back))) for back in backgrounds]


def _worst(color: Color, backgrounds: list[tuple[float, float]]) -> float:
    shown, rounded = luminance(color), luminance(in_256_colours(color))
    return min(
        min(_ratio(shown, back), _ratio(rounded, back_256)) for back, back_256 in backgrounds
    )


def worst_contrast(color: Color, backgrounds: Iterable[Color]) -> float:
    """The lowest contrast of `color` on any of `backgrounds`, in truecolor or in 256 colours."""
    return _worst(color, _measured(backgrounds))


def readable(color: Color, backgrounds: Iterable[Color], minimum: float = MINIMUM) -> Color:
    """`color`, lightened or darkened as little as it takes to reach `minimum` on `backgrounds`.

    Both directions are tried, nearest first, so a colour keeps its hue and stays as close to
    the theme's as it can; black or white, whichever reads better, is the last resort.
    """
    backs = _measured(backgrounds)
    color = color.with_alpha(1.0)
    if _worst(color, backs) >= minimum:
        return color
    steps = int(1 / STEP) + 1
    for step in range(1, steps):
        for candidate in (color.lighten(step * STEP), color.darken(step * STEP)):
            if _worst(candidate, backs) >= minimum:
                return candidate
    black, white = Color(0, 0, 0), Color(255, 255, 255)
    return max((black, white), key=lambda extreme: _worst(extreme, backs))


def opaque(value: str, under: Color) -> Color:
    """A theme variable's colour as drawn over `under` (theme colours may carry alpha, and
    ``auto N%`` means black or white, whichever reads better on `under`, at N%)."""
    if value.startswith("auto"):
        share = value.removeprefix("auto").strip().rstrip("%")
        color = under.get_contrast_text(float(share) / 100 if share else 1.0)
        return under + color
    color = Color.parse(value)
    return under + color if color.a < 1 else color


def text_colours(variables: Mapping[str, str]) -> dict[str, str]:
    """`_text_colours`, worked out once per theme: it takes about 8 ms, and Textual asks for the
    CSS variables at start-up and at every theme change."""
    return dict(_cached_colours(tuple(sorted(variables.items()))))


@functools.lru_cache(maxsize=32)
def _cached_colours(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    colours = tuple(_text_colours(dict(items)).items())
    # The roundings served this theme's thousands of contrasts; kept, they would hold 0.2 MiB
    # for the rest of the session (the next theme refills what it needs).
    in_256_colours.cache_clear()
    return colours


def _text_colours(variables: Mapping[str, str]) -> dict[str, str]:
    """Our text colour variables for a theme whose CSS variables are `variables`.

    Text colours are made readable on the surfaces they are drawn on (the panes and list, focused
    or not, and panels); the highlighted row's text is the block cursor's foreground, which is
    made readable on the cursor's own backgrounds.
    """
    background = Color.parse(variables["background"]).with_alpha(1.0)
    surface = opaque(variables["surface"], background)
    foreground = opaque(variables["foreground"], surface)
    panel = opaque(variables["panel"], background)
    # The panes and list, their focused tint (4%), the search box's (5%), panels, the header.
    surfaces = [
        surface,
        surface.blend(foreground, 0.04),
        surface.blend(foreground, 0.05),
        panel,
        panel.blend(foreground, 0.10),
    ]
    colours = {
        name: readable(opaque(variables[role], surface), surfaces)
        for name, role in TEXT_COLOURS.items()
    }
    colours["smtp-muted"] = readable(surface.blend(foreground, MUTED_SHARE), surfaces)
    # Textual's own widgets (header, search box, help) write in these: made readable too.
    colours["foreground"] = colours["text"] = readable(foreground, surfaces)
    colours["text-muted"] = colours["text-disabled"] = colours["smtp-muted"]
    # Textual's widgets' text (the help's Markdown headings and bullets among them).
    for name in (*MARKDOWN_HEADINGS, *THEME_TEXT):
        colours[name] = readable(opaque(variables[name], surface), surfaces)
    cursor = opaque(variables["block-cursor-background"], surface)
    blurred = opaque(variables["block-cursor-blurred-background"], surface)
    # The cursor keeps the theme's text colour; its background moves instead (contrast is
    # symmetric), so a highlighted row keeps its look: white on a slightly deeper blue, say.
    for name, back in (("block-cursor", cursor), ("block-cursor-blurred", blurred)):
        text = opaque(variables[f"{name}-foreground"], back)
        colours[f"{name}-foreground"] = text
        colours[f"{name}-background"] = readable(back, [text])
    footer = opaque(variables["footer-background"], panel)
    colours["footer-foreground"] = readable(
        opaque(variables["footer-foreground"], footer), [footer]
    )
    colours["footer-key-foreground"] = readable(
        opaque(variables["footer-key-foreground"], footer), [footer]
    )
    colours["smtp-footer-muted"] = readable(footer.blend(foreground, MUTED_SHARE), [footer])
    return {name: colour.hex for name, colour in colours.items()}


def unreadable_themes(names: Iterable[str]) -> list[str]:
    """Themes whose colours are the terminal's own ANSI palette: contrast cannot be known."""
    return [name for name in names if name.startswith("ansi-") or name == "textual-ansi"]
