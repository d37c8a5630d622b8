"""Pilot tests of the browser: every key of the contract, asserting state, not pixels."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.help import HelpScreen
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.code_list import MORE_ID, CodeList
from smtp_tui.tui.widgets.panes import ComparePane, DetailPane, LinkList


def make_app(repo: Repository, *codes: str) -> SmtpTuiApp:
    return SmtpTuiApp(repo, codes=codes)


def main_screen(app: SmtpTuiApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def detail_text(app: SmtpTuiApp) -> str:
    return str(app.screen.query_one("#detail-body").content)


def links_text(app: SmtpTuiApp) -> str:
    links = app.screen.query_one(LinkList)
    return "\n".join(str(links.get_option_at_index(i).prompt) for i in range(links.option_count))


def compare_text(app: SmtpTuiApp) -> str:
    """The pane's text, a numbered or bulleted point (marker and text) on one line."""
    pane = app.screen.query_one(ComparePane)
    lines = []
    for static in pane.query("Static"):
        if static.has_class("marker"):
            continue
        marker = static.parent.query_one(".marker") if static.has_class("text") else None
        lines.append(f"{marker.content if marker else ''}{static.content}")
    return "\n".join(lines)


async def test_launch_focuses_search_and_lists_every_code(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert isinstance(app.focused, Input)
        codes = screen.query_one(CodeList)
        assert codes.option_count == len(repo)
        assert str(screen.query_one("#count").content) == f"{len(repo)} codes"
        assert codes.highlighted == 0
        # The overview first, not whichever code comes first in the list.
        assert screen.current is None
        assert detail_text(app).startswith("SMTP reply codes at a glance")
        await pilot.press("down")  # into the list: the highlighted code is shown
        await pilot.pause()
        assert detail_text(app).startswith(f"{next(iter(repo)).code}  ")


async def test_typing_filters_and_shows_the_best_match(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("4", "5", "2")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.query_one(CodeList).option_count == 1
        assert screen.current is not None and screen.current.code == "452"
        assert detail_text(app).startswith("452  Requested action not taken")
        assert "How to fix" in detail_text(app)


async def test_down_carries_the_highlight_into_the_list(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("4", "5")
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        assert codes.option_count == len([c for c in repo if c.code.startswith("45")])
        assert codes.highlighted_code is not None and codes.highlighted_code.code == "450"
        await pilot.press("down")
        await pilot.pause()
        assert app.focused is codes
        assert codes.highlighted_code.code == "450"
        await pilot.press("down")
        await pilot.pause()
        assert codes.highlighted_code.code == "451"
        assert detail_text(app).startswith("451  ")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, DetailPane)


async def test_tab_also_moves_into_the_list(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, CodeList)


async def test_pick_two_compare_swap_and_leave(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press(*"211", "down", "c")
        await pilot.pause()
        assert screen.picked == frozenset({"211"})
        codes = screen.query_one(CodeList)
        assert str(codes.get_option_at_index(0).prompt).startswith("◆ 211")
        await pilot.press("escape", "escape")  # back to the search box, cleared
        await pilot.pause()
        assert str(codes.get_option_at_index(codes.get_option_index("211")).prompt)[0] == "◆"
        assert screen.comparison is None
        await pilot.press(*"452", "down", "c")
        await pilot.pause()
        assert screen.comparison is not None
        assert screen.comparison.title == "211 vs 452"
        assert screen.has_class("-comparing")
        assert screen.picked == frozenset()
        text = compare_text(app)
        assert text.startswith("211 vs 452")
        assert "Key differences" in text and " 1. Class" in text and "When to use which" in text
        assert text.count("Description") == 2
        await pilot.press("x")
        await pilot.pause()
        assert compare_text(app).startswith("452 vs 211")
        assert screen.sub_title == "452 vs 211"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.comparison is None
        assert not screen.has_class("-comparing")
        assert detail_text(app).startswith("452  ")


async def test_c_again_unpicks(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "c", "c")
        await pilot.pause()
        assert main_screen(app).picked == frozenset()
        assert not str(app.screen.query_one(CodeList).get_option_at_index(0).prompt).startswith("◆")


async def test_counterpart_in_one_key(repo: Repository) -> None:
    app = make_app(repo, "452")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "C")
        await pilot.pause()
        comparison = main_screen(app).comparison
        assert comparison is not None and comparison.title == "452 vs 552"


async def test_related_codes_open_with_number_keys(repo: Repository) -> None:
    app = make_app(repo, "452")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert " 1  552 " in links_text(app)
        await pilot.press("down", "1")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current is not None and screen.current.code == "552"
        assert screen.query_one(CodeList).highlighted_code.code == "552"


async def test_escape_walks_back_one_step_at_a_time(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("5", "5", "down", "enter")
        await pilot.pause()
        assert isinstance(app.focused, DetailPane)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, CodeList)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert screen.query_one(Input).value == "55"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one(Input).value == ""
        assert screen.query_one(CodeList).option_count == len(repo)


async def test_slash_focuses_search_from_anywhere(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter", "slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)


async def test_help_shows_the_keys(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        markdown = app.screen.query_one("Markdown")
        source = markdown.source
        for needle in ("Compare", "Swap", "Counterpart", "Back", "Copy", "escape"):
            assert needle in source
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_q_quits_only_when_not_typing(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one(Input).value == "q"
        await pilot.press("escape", "escape", "down", "q")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_quits_while_typing(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("4", "ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_history_back_and_forward(repo: Repository) -> None:
    app = make_app(repo, "452")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("down", "down")  # 452 -> 453
        await pilot.pause()
        assert screen.current is not None and screen.current.code == "453"
        await pilot.press("C")  # 453 has no counterpart: nothing happens
        await pilot.press("up", "C")  # 452 vs 552
        await pilot.pause()
        assert screen.comparison is not None
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.comparison is None and screen.current.code == "452"
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.current.code == "453"
        await pilot.press("alt+right", "alt+right")
        await pilot.pause()
        assert screen.comparison is not None and screen.comparison.title == "452 vs 552"
        await pilot.press("alt+left")
        await pilot.pause()
        assert screen.comparison is None and screen.current.code == "452"


async def test_backspace_while_typing_edits_the_search(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("4", "5", "backspace")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "4"


async def test_copy_as_markdown(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(repo, "211", "452")
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert copied and copied[0].startswith("# 211 vs 452")
        assert "## Key differences" in copied[0]
        assert any("Copied 211 vs 452" in n.message for n in app._notifications)


async def test_clicking_a_row_shows_it(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        await pilot.click(CodeList, offset=(5, 3))
        await pilot.pause()
        assert codes.highlighted == 3
        assert detail_text(app).startswith(f"{list(repo)[3].code}  ")


async def test_start_on_a_code_and_on_a_comparison(repo: Repository) -> None:
    app = make_app(repo, "452")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert detail_text(app).startswith("452  ")
        assert isinstance(app.focused, Input)
    app = make_app(repo, "452", "211")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        comparison = main_screen(app).comparison
        assert comparison is not None and comparison.title == "211 vs 452"


@pytest.mark.parametrize("text", ["[bold]", "[/", "[link=x]", "\x1b[31m", "[/]x[", "🙂" * 50])
async def test_markup_and_escapes_are_shown_literally(repo: Repository, text: str) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).value = text
        await pilot.pause()
        count = str(app.screen.query_one("#count").content)
        assert count.startswith("no code matches '")
        assert "\x1b" not in count
        assert app.screen.query_one(CodeList).option_count == 0


async def test_a_huge_paste_is_harmless(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        search = app.screen.query_one(Input)
        search.value = " ".join(f"word{i}" for i in range(3000))
        await pilot.pause()
        count = str(app.screen.query_one("#count").content)
        assert count.startswith("no code matches 'word0 word1")
        assert len(count) < 80
        search.value = "mailbox " * 2000
        await pilot.pause()
        shown = "mailbox " * 5
        assert str(app.screen.query_one("#count").content) == (
            f"{len(repo.search('mailbox'))} codes matching '{shown.strip()}…'"
        )


async def test_resizing_down_to_40x12_and_back(repo: Repository) -> None:
    app = make_app(repo, "211", "452")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for size in ((80, 24), (40, 12), (20, 5), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running
        screen = main_screen(app)
        assert screen.comparison is not None
        assert not screen.has_class("-narrow")


async def test_narrow_comparison_takes_the_whole_width(repo: Repository) -> None:
    app = make_app(repo, "211", "452")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#sidebar").display
        assert screen.query_one(ComparePane).has_class("-stacked")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#sidebar").display


async def test_palette_compares_two_codes(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"211 452")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        comparison = main_screen(app).comparison
        assert comparison is not None and comparison.title == "211 vs 452"


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("4.2.2 5.2.2", "4.2.2 vs 5.2.2"),
        ("x.1.1, 5.1.1", "X.1.1 vs 5.1.1"),
        ("452 4.2.2", None),
    ],
)
async def test_palette_compares_codes_of_either_family(
    repo: Repository, typed: str, title: str | None
) -> None:
    """The palette recognises codes with the model's parser, as the CLI and `C` do: before, its
    own pattern knew only three digits, so enhanced codes offered no comparison. Codes of two
    families are compared nowhere, so the palette does not offer it."""
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        # With nothing to choose, the palette stays open above the main screen.
        main = next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))
        comparison = main.comparison
        assert (comparison.title if comparison is not None else None) == title


async def test_palette_jumps_to_a_code_by_name(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"insufficient system storage")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current is not None and screen.current.code == "452"


async def test_more_row_for_huge_catalogues() -> None:
    from dataclasses import replace

    from smtp_tui.core.loading import load

    base = [code for code in load() if code.family == "basic"]
    many = [replace(base[i % len(base)], code=f"{2 + i % 4}{i % 6}{i:04d}") for i in range(2000)]
    app = make_app(Repository(many))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        assert codes.option_count == 201
        last = codes.get_option_at_index(200)
        assert last.id == MORE_ID and last.disabled
        assert "+1800 more" in str(last.prompt)


async def test_family_key_cycles_all_basic_enhanced(repo: Repository) -> None:
    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        await pilot.press("down", "f")
        await pilot.pause()
        assert codes.option_count == repo.count("basic")
        assert str(app.screen.query_one("#count").content).endswith("reply codes")
        await pilot.press("f")
        await pilot.pause()
        assert codes.option_count == repo.count("enhanced")
        await pilot.press("f")
        await pilot.pause()
        assert codes.option_count == len(repo)


async def test_enhanced_codes_open_with_their_class(repo: Repository) -> None:
    app = make_app(repo, "5.1.1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = detail_text(app)
        assert text.startswith("5.1.1  Bad destination mailbox address")
        assert "Permanent Failure" in text
        assert "Reply codes sent with 5.1.1" in links_text(app)


async def test_a_reply_code_links_to_its_enhanced_codes(repo: Repository) -> None:
    app = make_app(repo, "550")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Enhanced status codes sent with 550" in links_text(app)
        related = repo.related(repo.get("550"))
        number = next(i for i, code in enumerate(related, 1) if code.family == "enhanced")
        assert number <= 9
        await pilot.press("down", str(number))
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current is not None and screen.current.code == related[number - 1].code
        assert detail_text(app).startswith(f"{related[number - 1].code}  ")


async def test_counterpart_of_an_enhanced_code(repo: Repository) -> None:
    app = make_app(repo, "4.2.2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "C")
        await pilot.pause()
        comparison = main_screen(app).comparison
        assert comparison is not None and comparison.title == "4.2.2 vs 5.2.2"


async def test_every_link_is_reachable_with_tab_and_enter(repo: Repository) -> None:
    """550 has more links than number keys: the links list reaches the last one too."""
    app = make_app(repo, "550")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        related = repo.related(repo.get("550"))
        assert len(related) > 9
        await pilot.press("down", "enter", "tab")
        await pilot.pause()
        links = app.screen.query_one(LinkList)
        assert app.focused is links
        await pilot.press("end", "enter")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current is not None and screen.current.code == related[-1].code


async def test_the_key_bar_shows_what_applies_and_answers_clicks(repo: Repository) -> None:
    from smtp_tui.tui.widgets.key_bar import KeyBar

    app = make_app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        typing = str(bar.content)
        assert "Search" in typing and "Compare" not in typing  # c types while in the search box
        await pilot.press("down")
        await pilot.pause()
        reading = str(bar.content)
        assert "Compare" in reading and "Swap" in reading and "palette" in reading
        start = reading.index(" ? Help")
        await pilot.click(KeyBar, offset=(start + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("seed", range(3))
async def test_random_keys_never_break_the_browser(repo: Repository, seed: int) -> None:
    """Any exception in a handler is a bug: mash the keys of the contract and see nothing breaks."""
    import random

    keys = [
        *"452cCxyfe1239q/?",
        "down",
        "up",
        "tab",
        "shift+tab",
        "enter",
        "escape",
        "backspace",
        "alt+left",
        "alt+right",
        "pagedown",
        "end",
        "home",
        "f1",
        "ctrl+l",
        "left_square_bracket",
    ]
    rng = random.Random(seed)
    app = make_app(repo)
    async with app.run_test(size=(80, 24) if seed % 2 else (120, 40)) as pilot:
        await pilot.pause()
        for _ in range(80):
            key = rng.choice(keys)
            if (
                key == "q"
                and isinstance(app.screen, MainScreen)
                and not isinstance(app.focused, Input)
            ):
                continue  # q would quit, which ends the test early
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_the_comparison_ends_with_learn_more_and_hangs_its_points(repo: Repository) -> None:
    app = make_app(repo, "211", "452")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        text = compare_text(app)
        assert text.index("When to use which") < text.index("Learn more")
        assert "https://www.rfc-editor.org/rfc/rfc5321" in text[text.index("Learn more") :]
        # Numbered differences: a long one wraps under its text, not under its number.
        pane = app.screen.query_one(ComparePane)
        points = [point for point in pane.query(".point") if point.region.height > 1]
        assert points, "no difference long enough to wrap at 80 columns"
        marker, body = points[0].query_one(".marker"), points[0].query_one(".text")
        assert body.region.x > marker.region.x
        assert body.region.height == points[0].region.height > 1


@pytest.mark.parametrize("pasted", ["550 5.1.1", "550-5.1.1"])
async def test_a_bounce_s_pair_of_codes_lists_both(repo: Repository, pasted: str) -> None:
    """What a bounce says (`550 5.1.1`, or a multiline reply's `550-5.1.1`): both codes listed,
    the reply code shown; it used to find nothing."""
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*pasted)
        await pilot.pause(0.2)
        screen = main_screen(app)
        assert [code.code for code in screen.code_list.view][:2] == ["550", "5.1.1"]
        assert screen.current is not None and screen.current.code == "550"
