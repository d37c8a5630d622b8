"""The browser's view of the providers: the detail pane's "What providers mean by it" (the
core's provider uses drawn as Content) and the list's search by a provider's name.

Kept apart from `panes` so it can move onto the code document (``core/display/code.py``'s
PROVIDERS section) when that exists: it takes only the core's `ProviderUse` list.
All text from the provider files goes in as plain text.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import groupby
from urllib.parse import urlsplit

from textual.content import Content
from textual.style import Style

from smtp_tui.core.i18n import text as _t
from smtp_tui.core.provider_uses import ProviderIndex, ProviderUse, provider_index, search
from smtp_tui.core.repository import CodeView, DataError, Repository
from smtp_tui.tui.styles import HEADING, MUTED

BOUNCE_WORDS = {"hard": "provider_browse.hard", "soft": "provider_browse.soft"}

ALSO_WITH_SHOWN = 8
"""For a basic code, how many of a provider's enhanced codes the "also with" line names."""


@functools.cache
def _browser_index() -> ProviderIndex:
    """Read once per session, like the codes: asking the files on each highlight costs 1.7 ms."""
    try:
        return provider_index()
    except DataError:
        # The browser still browses; `explain` is where a broken provider file is reported.
        return ProviderIndex({}, {}, ())


def provider_uses_of(code: str) -> tuple[ProviderUse, ...]:
    """What providers mean by `code`, for the detail pane."""
    return _browser_index().uses_of(code)


def provider_choices() -> list[tuple[str, str, str]]:
    """(display name, the word that names it in a search, every such word) of each provider."""
    index = _browser_index()
    words: dict[str, list[str]] = {}
    for word, slugs in index.aliases.items():
        for slug in slugs:
            words.setdefault(slug, []).append(word)
    return [
        (name, index.search_word(slug), " ".join(words.get(slug, ())))
        for slug, name in index.names.items()
        if slug in words
    ]


def search_with_providers(repository: Repository, text: str, family: str | None) -> CodeView:
    """The list's search, where a provider's name narrows it to the codes that provider uses."""
    return search(repository, text, family=family, index=_browser_index())


def provider_uses_section(code: str, uses: Sequence[ProviderUse]) -> Content | None:
    """Each provider's meanings of `code`, grouped by provider; None when no provider uses it.

    For a basic code (550) the entries naming it alone are listed in full and those that add an
    enhanced code (550 5.7.1) only as codes: they are listed in full on that code's own page.
    """
    if not uses:
        return None
    basic = "." not in code
    lines = [Content.assemble("\n", (_t("provider_browse.heading"), HEADING))]
    for _, group in groupby(uses, key=lambda use: use.provider):
        mine = list(group)
        listed = [use for use in mine if not (basic and use.enhanced is not None)]
        more = list(dict.fromkeys(use.code.split()[-1] for use in mine if use not in listed))
        lines.append(Content.styled(mine[0].provider_name, "bold"))
        for use in listed:
            lines.append(Content.assemble(" • ", (use.code, "bold"), "  ", use.meaning))
            # The source as its host, linked (OSC 8): the full address is often two lines long.
            host = urlsplit(use.source).hostname or use.source
            lines.append(
                Content.assemble(
                    (f"   {use.reason} · {_t(BOUNCE_WORDS.get(use.bounce, use.bounce))} · ", MUTED),
                    (host, Style(link=use.source, underline=True)),
                )
            )
        if more:
            shown = ", ".join(more[:ALSO_WITH_SHOWN]) + (
                " …" if len(more) > ALSO_WITH_SHOWN else ""
            )
            lines.append(
                Content.styled(f" • {_t('provider_browse.also_with', codes=shown)}", MUTED)
            )
    return Content("\n").join(lines)
