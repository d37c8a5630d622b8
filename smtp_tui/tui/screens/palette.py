"""The command palette's codes: "jump to" any code by number or words, "compare A with B"."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual import on
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList

from smtp_tui.core import i18n
from smtp_tui.core.i18n import text as _t
from smtp_tui.core.model import Code, codes_in
from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.core.search import RANK_EXACT, RANK_TEXT
from smtp_tui.core.text import fold, match_spans
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.styles import MUTED
from smtp_tui.tui.widgets.guards import DismissOnce
from smtp_tui.tui.widgets.key_bar import binding_label, binding_tip, first_key, words

JUMP_HITS = 20

NOT_IN_PALETTE = frozenset({"escape", "to-list", "help", "quit"})
"""Bindings the palette does not offer: keys for moving about, and help and quit, which the
palette already offers as "Keys" and "Quit"."""


def known_codes_in(query: str, repository: Repository) -> list[Code]:
    """The codes a query names that the repository can show, each once, in the order typed,
    recognised by the model's parser as the CLI and `C` recognise them (``4.2.2 5.2.2``)."""
    found: dict[str, Code] = {}
    for name in codes_in(query):
        try:
            code = repository.get(name.code)
        except UnknownCode:
            continue
        found.setdefault(code.code, code)
    return list(found.values())


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


def palette_bindings(screen: MainScreen) -> Iterator[Binding]:
    """The screen's commands that can run now, from the same bindings as its keys, key bar and
    help: what `check_action` greys out on the bar is left out here."""
    seen: set[str] = set()
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or binding.id is None or binding.action in seen:
            continue
        seen.add(binding.action)
        if binding.id in NOT_IN_PALETTE or binding.id.startswith("related-"):
            continue
        if screen.check_action(binding.action, ()):
            yield binding


def command_prompt(screen: MainScreen, binding: Binding, query: str = "") -> Content:
    """The command's label, matched words underlined, then its first key."""
    label = binding_label(binding)
    text = Content(label)
    for start, end in match_spans(label, query):
        text = text.stylize("bold underline", start, end)
    return Content.assemble(text, ("  ", ""), (first_key(screen.app, binding), MUTED))


def command_score(binding: Binding, query: str) -> float:
    """How well `query` names the command: every word begins a word of its label (in the
    interface language or English) ranks above any code; words only in its tooltip rank below
    the codes; anything else is no match (0)."""
    wanted = fold(query).split()
    if not wanted:
        return 0.0
    english = words(i18n.catalogue(i18n.DEFAULT), binding.id)
    labels = fold(f"{binding_label(binding)} {english[0]}").split()
    if all(any(label.startswith(word) for label in labels) for word in wanted):
        return 0.95
    tips = fold(f"{binding_tip(binding)} {english[1]}")
    if all(word in tips for word in wanted):
        return 0.5
    return 0.0


def command_hits(screen: MainScreen, query: str) -> Iterator[Hit]:
    """The screen's commands that `query` names, run as if their key had been pressed."""
    for binding in palette_bindings(screen):
        score = command_score(binding, query)
        if score:
            yield Hit(
                score,
                command_prompt(screen, binding, query),
                partial(screen.run_action, binding.action),
                help=binding_tip(binding),
            )


class CodeCommands(Provider):
    """The screen's commands, then its codes; codes ranked by the repository's own ranking, so
    the palette and the list agree on the best match."""

    def _main(self) -> MainScreen | None:

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        # The commands first: this one provider yields them, so they come before the codes.
        for binding in palette_bindings(main):
            yield DiscoveryHit(
                command_prompt(main, binding),
                partial(main.run_action, binding.action),
                help=binding_tip(binding),
            )
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
        for hit in command_hits(main, query):
            yield hit
        repository = main.repository
        codes = known_codes_in(query, repository)
        if len(codes) == 2 and codes[0].family is codes[1].family:
            # Codes of two families are not compared (`compare.error_families`): no offer.
            first, second = (code.code for code in codes)
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
