"""Pilot tests of the providers in the browser: the pane's meanings, the list by provider, the
palette's provider entries. They read the widgets' text, not pixels."""

from __future__ import annotations

from textual.command import CommandList

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.code_list import CodeList


def detail_text(app: SmtpTuiApp) -> str:
    return str(app.screen.query_one("#detail-body").content)


def listed(app: SmtpTuiApp) -> list[str]:
    view = app.screen.query_one(CodeList).view
    assert view is not None
    return [code.code for code in view]


async def test_the_pane_says_what_microsoft_means_by_5_4_1(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"5.4.1")
        await pilot.pause()
        text = detail_text(app)
        assert text.startswith("5.4.1  No answer from host")
        section = text.split("What providers mean by it\n", 1)[1]
        assert section.startswith("Microsoft 365 / Outlook.com\n")
        assert (
            " • 550 5.4.1  Recipient rejected by directory-based edge blocking"
            "  userunknown · hard bounce · support.microsoft.com\n"
        ) in section
        assert "Zoho Mail" in section
        # The registry's own sections stay, the providers' after them.
        assert text.index("How to fix") < text.index("What providers mean by it")


async def test_a_code_no_provider_uses_has_no_provider_section(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"214")
        await pilot.pause()
        assert detail_text(app).startswith("214  ")
        assert "What providers mean by it" not in detail_text(app)


async def test_a_basic_code_lists_its_own_uses_and_names_the_rest(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"550")
        await pilot.pause()
        section = detail_text(app).split("What providers mean by it\n", 1)[1]
        assert " • 550  Recipient does not exist" in section  # Barracuda's, in full
        assert " • together with 5.7.1" in section  # the 550 5.7.1 entries, by code only
        assert " • 550 5.7.1  " not in section


async def test_typing_a_providers_name_lists_the_codes_it_uses(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"microsoft")
        await pilot.pause()
        codes = listed(app)
        assert "5.4.1" in codes and "5.1.10" in codes and "5.7.606" in codes
        assert "5.3.5" not in codes and "214" not in codes
        count = str(app.screen.query_one("#count").content)
        assert count == f"{len(codes)} codes matching 'microsoft'"
        # The provider's meaning is searchable: "edge blocking" is Microsoft's word, not the RFC's.
        await pilot.press(*" edge blocking")
        await pilot.pause()
        assert listed(app) == ["550", "5.4.1"]


async def test_the_palette_offers_each_provider(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"provider yahoo")
        await pilot.pause(0.5)
        commands = app.screen.query_one(CommandList)
        prompts = [
            str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
        ]
        assert prompts[0].startswith("Provider: Yahoo Mail")
        assert any(prompt.startswith("Provider: AOL Mail") for prompt in prompts)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.search_box.value == "yahoo"
        assert listed(app) == [c.code for c in screen._search("yahoo")]
        assert "5.7.9" in listed(app)
        assert app.focused is screen.code_list
