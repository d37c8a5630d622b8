"""The command palette's codes: "jump to" any code by number or words, "compare A with B"."""

from __future__ import annotations

import re
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from ..repository import RANK_EXACT, RANK_TEXT, match_spans
from .main_screen import MainScreen

_CODES_IN = re.compile(r"\b[2-5][0-5][0-9]\b")
JUMP_HITS = 20


class CodeCommands(Provider):
    """Uses the repository's own ranking, so the palette and the list agree on the best match."""

    def _main(self) -> MainScreen | None:

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for code in main.repository.all:
            yield DiscoveryHit(
                Content(f"Jump to {code.code} {code.name}"),
                partial(main.jump_to, code.code),
                help=code.classification,
            )

    async def search(self, query: str) -> Hits:
        main = self._main()
        if main is None:
            return
        repository = main.repository
        codes = list(dict.fromkeys(c for c in _CODES_IN.findall(query) if c in repository))
        if len(codes) == 2:
            first, second = codes
            yield Hit(
                1.0,
                Content(f"Compare {first} with {second}"),
                partial(main.open_comparison, first, second),
                help="Open the comparison of the two codes",
            )
        words = " ".join(word for word in query.split() if word.lower() not in ("compare", "with"))
        view = repository.search(words)
        for rank, code in zip(view.ranks, view.codes[:JUMP_HITS], strict=False):
            label = f"Jump to {code.code} {code.name}"
            text = Content(label)
            for start, end in match_spans(label, words):
                text = text.stylize("bold underline", start, end)
            score = 0.9 - 0.2 * (rank - RANK_EXACT) / (RANK_TEXT + 1)
            yield Hit(
                score,
                text,
                partial(main.jump_to, code.code),
                help=code.classification,
            )
