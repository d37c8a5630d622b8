"""Five one-line breakages the rest of the suite once let through (issue 10, item 8).

Each test reads what the screen or the document holds, not a picture of it: a greyed key, a pick
that escape forgets, the "(in English)" mark, the Markdown's related codes, the explain screen's
mismatch flag.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.content import Content
from textual.widgets import OptionList, Static, TextArea

from smtp_tui.core import i18n
from smtp_tui.core.display.code import code_document
from smtp_tui.core.display.comparison import comparison_document
from smtp_tui.core.display.markdown import markdown
from smtp_tui.core.loading import data_dir, load
from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.explain import ExplainScreen
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.code_list import CodeList
from smtp_tui.tui.widgets.key_bar import KeyBar

MUTED_STYLE = "$smtp-footer-muted"
"""The key bar's style for a key that cannot run now (key_bar.py)."""


def main_screen(app: SmtpTuiApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def key_bar(app: SmtpTuiApp) -> dict[str, bool]:
    """Each label on the key bar and whether it is drawn as runnable (not greyed)."""
    content = app.screen.query_one(KeyBar).content
    assert isinstance(content, Content)
    plain = content.plain
    greyed = [(span.start, span.end) for span in content.spans if MUTED_STYLE in str(span.style)]
    labels: dict[str, bool] = {}
    for label in ("Compare", "Counterpart", "Swap", "Copy", "Back", "Help", "Quit"):
        start = plain.find(f" {label} ")
        assert start >= 0, f"{label!r} is not on the key bar: {plain!r}"
        start += 1
        labels[label] = not any(a <= start and start + len(label) <= b for a, b in greyed)
    return labels


def row(app: SmtpTuiApp, code: str) -> str:
    codes = app.screen.query_one(CodeList)
    return str(codes.get_option_at_index(codes.get_option_index(code)).prompt)


# ------------------------------------------------------------ (a) a key that cannot run is greyed


async def test_keys_that_cannot_run_are_greyed_and_do_nothing(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("down")  # into the list, where the letter keys are commands
        await pilot.pause()
        bar = key_bar(app)
        assert bar["Swap"] is False  # nothing to swap before two codes are compared
        assert bar["Compare"] and bar["Counterpart"] and bar["Copy"] and bar["Help"]
        await pilot.press("x")
        await pilot.pause()
        assert screen.comparison is None and not screen.has_class("-comparing")

        await pilot.press("C")  # 452 vs its counterpart 552
        await pilot.pause()
        assert screen.comparison is not None
        assert key_bar(app)["Swap"] is True
        await pilot.press("escape")
        await pilot.pause()
        assert screen.comparison is None
        assert key_bar(app)["Swap"] is False


async def test_a_code_without_a_counterpart_greys_the_counterpart_key(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("250",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("down")
        await pilot.pause()
        assert key_bar(app)["Counterpart"] is False
        await pilot.press("C")
        await pilot.pause()
        assert screen.comparison is None


async def test_back_is_greyed_until_there_is_somewhere_to_go_back_to(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("452",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("down")
        await pilot.pause()
        assert key_bar(app)["Back"] is False
        await pilot.press("1")  # 452's first related code, 552
        await pilot.pause()
        assert screen.current is not None and screen.current.code == "552"
        assert key_bar(app)["Back"] is True
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.current is not None and screen.current.code == "452"
        assert key_bar(app)["Back"] is False
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.current.code == "452"  # nothing further back: the key does nothing


async def test_with_no_code_shown_compare_and_copy_are_greyed(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"no such words at all qqq", "tab")  # an empty list, focused
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current is None and isinstance(app.focused, CodeList)
        bar = key_bar(app)
        assert (bar["Compare"], bar["Copy"], bar["Counterpart"]) == (False, False, False)
        assert bar["Help"] and bar["Quit"]  # the way to help and the way out always run
        await pilot.press("c", "y")
        await pilot.pause()
        assert screen.picked == frozenset() and app.clipboard == ""


# ------------------------------------------------------------ (b) escape clears a pending pick


async def test_escape_at_the_last_step_clears_a_pending_pick(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press(*"211", "down", "c")
        await pilot.pause()
        assert screen.picked == frozenset({"211"})
        await pilot.press("escape", "escape")  # list -> search box, then the search is cleared
        await pilot.pause()
        assert screen.picked == frozenset({"211"})  # one step at a time: the pick still waits
        assert row(app, "211").startswith("◆ 211")
        await pilot.press("escape")  # nothing left to walk back but the pick
        await pilot.pause()
        assert screen.picked == frozenset()
        assert row(app, "211").startswith("  211")
        await pilot.press(*"452", "down", "c")  # a first pick again, not a comparison with 211
        await pilot.pause()
        assert screen.comparison is None
        assert screen.picked == frozenset({"452"})


# ------------------------------------------------------------ (c) the pane's "(in English)" mark


GERMAN_DESCRIPTION = (
    "Dem Server fehlt gerade ein Betriebsmittel, etwa Platz für die Nachricht oder für weitere "
    "Empfänger; der Client behält die Nachricht und versucht es später erneut (RFC 5321 §4.2.2)."
)


async def test_the_detail_pane_marks_each_field_left_in_english(tmp_path: Path) -> None:
    """Only some of 452's prose in German: each English field is marked, the German one not."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    (data / "translations" / "de").mkdir()
    (data / "translations" / "de" / "452.toml").write_text(
        f'[[code]]\ncode = "452"\ndescription = "{GERMAN_DESCRIPTION}"\n', "utf-8"
    )
    mine = load(data, user_codes=None)
    english_when = mine.get("452").when
    mine.show_in("de")
    i18n.use("de")
    try:
        mark = i18n.catalogue("de").text("code.field_in_english")
        app = SmtpTuiApp(mine, codes=("452",))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            detail = str(app.screen.query_one("#detail-body", Static).content)
    finally:
        mine.show_in(i18n.DEFAULT)
        i18n.use(i18n.DEFAULT)
    assert f"{english_when} {mark}" in detail
    assert GERMAN_DESCRIPTION in detail
    assert f"{GERMAN_DESCRIPTION} {mark}" not in detail
    assert i18n.catalogue("de").text("code.english_only") not in detail  # partly translated


# ------------------------------------------------------------ (d) the Markdown "Related" line


def test_the_markdown_copy_lists_the_related_codes(repo: Repository) -> None:
    code = repo.get("452")
    copied = markdown(code_document(code, repo.related(code), repo.counterpart(code)))
    related = copied.split(f"\n## {i18n.text('heading.related')}\n", 1)[1]
    rows = [line for line in related.split("\n## ", 1)[0].splitlines() if line]
    counterpart = i18n.text("code.counterpart")
    assert rows == [
        f"- `552` {repo.get('552').name} ({counterpart})",
        *(f"- `{other}` {repo.get(other).name}" for other in ("451", "421", "455")),
    ]
    assert "## " + i18n.text("heading.related") not in markdown(code_document(code))
    compared = markdown(comparison_document(repo.compare("452", "552")))
    assert compared.count("## " + i18n.text("heading.learn_more")) == 1  # for both codes, once


async def test_copy_puts_the_related_codes_on_the_clipboard(repo: Repository) -> None:
    app = SmtpTuiApp(repo, codes=("X.2.2",))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "y")
        await pilot.pause()
        related = repo.get("X.2.2").related
        assert related
        for other in related:
            assert f"\n- `{other}` {repo.get(other).name}" in app.clipboard


# -------------------------------------------------------- (e) the explain screen's mismatch flag


async def test_the_explain_screen_flags_classes_that_disagree(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        screen.query_one(TextArea).text = "554 4.0.0 odd server\n550 5.1.1 no such user\n"
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        findings = screen.query_one("#findings", OptionList)
        first, second = (str(findings.get_option_at_index(i).prompt) for i in range(2))
        assert first.split("\n")[0].endswith("! 554 4.0.0"), first  # 5xx with a 4.X.X: flagged
        assert "!" not in second.split("\n")[0], second  # 5xx with a 5.X.X agrees
