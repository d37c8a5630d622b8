"""The browser's view of the providers: the uses the detail pane puts on the code document (its
PROVIDERS section, `core/display/code.py`), and the list's search by a provider's name, from one
index read once a session."""

from __future__ import annotations

import functools

from smtp_tui.core.errors import DataError
from smtp_tui.core.provider_uses import ProviderIndex, ProviderUse, provider_index, search
from smtp_tui.core.repository import Repository
from smtp_tui.core.search import CodeView
from smtp_tui.core.vocabulary import Family

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


def search_with_providers(repository: Repository, text: str, family: Family | None) -> CodeView:
    """The list's search, where a provider's name narrows it to the codes that provider uses."""
    return search(repository, text, family=family, index=_browser_index())
