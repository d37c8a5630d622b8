"""The command palette's codes: "jump to" any code by number or words, "compare A with B"."""

from __future__ import annotations

import re
from functools import partial

from textual import on
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList

from smtp_tui.core.i18n import text as _t
from smtp_tui.core.repository import RANK_EXACT, RANK_TEXT, fold, match_spans
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.guards import DismissOnce

_CODES_IN = re.compile(r"\b[2-5][0-5][0-9]\b")
JUMP_HITS = 20


class Palette(CommandPalette, DismissOnce[None]):
    """Textual's command palette, closed once however many `enter`s arrive in a burst, and deaf
    to paging before its list has room.

    `CommandList` is Textual's own `OptionList`, so it pages into the same `KeyError` as
    `PagedOptionList` when `pagedown` arrives right after `ctrl+p` (the list is hidden until the
    first results): https://github.com/Textualize/textual/blob/v8.2.8/src/textual/command.py#L1259
    """

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _once(self, event: Message) -> None:
        """An `enter` that arrives after the palette chose a command and closed would run that
        command again (`CommandPalette._select_or_command`, which this runs before): drop it."""
        if not self.is_active:
            event.prevent_default()
            event.stop()

    def _action_command_list(self, action: str) -> None:
        paging = action in ("page_up", "page_down")
        if paging and not self.query_one(CommandList).scrollable_content_region:
            return
        super()._action_command_list(action)


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
                Content(_t("palette.jump", code=code.code, name=code.name)),
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
                Content(_t("palette.compare", first=first, second=second)),
                partial(main.open_comparison, first, second),
                help=_t("palette.compare.help"),
            )
        ignored = {fold(word) for word in _t("palette.compare.words").split()}
        words = " ".join(word for word in query.split() if fold(word) not in ignored)
        view = repository.search(words)
        for rank, code in zip(view.ranks, view.codes[:JUMP_HITS], strict=False):
            label = _t("palette.jump", code=code.code, name=code.name)
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


class LanguageCommands(Provider):
    """Every language by its own and its English name, and by the word "language" in both the
    interface's language and English, so a user lost in a script they cannot read still finds
    the way back."""

    async def search(self, query: str) -> Hits:
        from smtp_tui.core.i18n import names

        app = self.app
        choose = getattr(app, "set_language", None)
        if choose is None:
            return
        wanted = fold(query).split()
        for lang, own, english in names():
            words = fold(f"{_t('palette.language')} language {lang} {own} {english}")
            if wanted and all(word in words for word in wanted):
                yield Hit(
                    0.8,
                    Content(_t("palette.language.item", name=own)),
                    partial(choose, lang),
                    help=_t("palette.language.item_help", name=own, english=english),
                )


class ProviderCommands(Provider):
    """ "Provider: Microsoft 365 / Outlook.com" narrows the list to the codes that provider uses,
    by putting its name in the search box, where the user sees it and can clear it."""

    async def search(self, query: str) -> Hits:
        from smtp_tui.tui.widgets.provider_uses import provider_choices

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        wanted = fold(query).split()
        for name, word, aliases in provider_choices():
            words = fold(f"{_t('provider_browse.palette_word')} provider {name} {aliases}")
            if wanted and all(part in words for part in wanted):
                # Above the codes that only mention the provider; "yahoo" names Yahoo Mail
                # before AOL Mail (hosted by Yahoo).
                named = any(part in aliases.split() for part in wanted)
                yield Hit(
                    0.96 if named else 0.94,
                    Content(_t("provider_browse.palette_item", name=name)),
                    partial(_narrow, main, word),
                    help=_t("provider_browse.palette_help", name=name),
                )


def _narrow(main: MainScreen, word: str) -> None:
    main.search_box.value = word
    main.code_list.focus()
