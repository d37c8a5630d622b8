"""The code list draws only the rows on screen (issue 14): counted, not timed, so it holds on a
loaded machine. And the keys, the mouse and the looks of the `OptionList` it replaced."""

from __future__ import annotations

from dataclasses import replace

from textual.color import Color
from textual.events import MouseScrollDown

from smtp_tui.core.loading import load
from smtp_tui.core.repository import Repository
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.widgets.code_list import CodeList


def many_codes(count: int) -> Repository:
    base = [code for code in load() if code.family == "basic"]
    return Repository(
        replace(base[i % len(base)], code=f"{2 + i % 4}{i % 6}{i:04d}") for i in range(count)
    )


async def test_a_keystroke_draws_no_more_rows_than_are_visible(repo: Repository) -> None:
    for catalogue in (repo, many_codes(2000)):
        app = SmtpTuiApp(catalogue)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            codes = app.screen.query_one(CodeList)
            visible = codes.scrollable_content_region.height
            assert 10 < visible < codes.option_count  # the list is longer than the window
            for key in ["4", "5", "backspace", "backspace", "s", "t"]:
                before = codes.rows_built
                await pilot.press(key)
                for _ in range(100):  # until a frame has drawn the new rows
                    await pilot.pause(0.02)
                    if codes.rows_built > before:
                        break
                await pilot.pause(0.1)  # and any frame after it
                view = codes.view
                assert view is not None and view.query in ("4", "45", "", "s", "st")
                drawn = codes.rows_built - before
                assert drawn <= visible, key
                assert drawn > 0 or not view, key  # (no code starts 45 among the 2,000)


async def test_moving_the_highlight_redraws_two_rows(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        codes.focus()
        await pilot.pause()
        before = codes.rows_built
        await pilot.press("down")
        await pilot.pause()
        assert codes.highlighted == 1
        assert codes.rows_built - before <= 2


async def test_keys_move_as_in_an_option_list(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        codes.focus()
        page = codes.scrollable_content_region.height
        await pilot.press("up")  # wraps round to the last code
        assert codes.highlighted == len(repo) - 1
        await pilot.press("down")
        assert codes.highlighted == 0
        await pilot.press("pagedown")
        assert codes.highlighted == page
        await pilot.press("end")
        assert codes.highlighted == len(repo) - 1
        assert codes.scroll_offset.y == len(repo) - page  # the highlight is in view
        await pilot.press("pageup", "home")
        assert codes.highlighted == 0 and codes.scroll_offset.y == 0


async def test_a_click_after_the_wheel_opens_the_row_under_the_pointer(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        # The wheel, as the driver reports it (Pilot has no verb for it).
        await pilot._post_mouse_events([MouseScrollDown], CodeList, offset=(5, 5), times=3)
        await pilot.pause()
        top = codes.scroll_offset.y
        assert top > 0
        await pilot.click(CodeList, offset=(5, 2))
        await pilot.pause()
        assert codes.highlighted == top + 2
        chosen = list(repo)[top + 2]
        assert app.screen.focused is not codes  # Enter-like: the pane on the right has focus
        assert str(app.screen.query_one("#detail-body").content).startswith(f"{chosen.code}  ")


async def test_highlighted_row_loses_its_class_colour_and_gets_it_back(repo: Repository) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)

        def code_colour(row: int) -> Color | None:
            strip = codes.render_line(row - codes.scroll_offset.y)
            segment = next(s for s in strip if s.text.strip())  # the code, after the pick mark
            assert segment.style is not None and segment.style.color is not None
            return Color.from_rich_color(segment.style.color)

        codes.focus()
        await pilot.pause()
        listed = list(codes.view.codes) if codes.view else []
        row = next(i for i, code in enumerate(listed) if code.code.startswith("5"))
        own = code_colour(row)
        codes.highlighted = row
        await pilot.pause()
        lit = code_colour(row)
        assert lit != own  # drawn in the cursor's colour, not the class's red
        codes.highlighted = 0
        await pilot.pause()
        assert code_colour(row) == own


async def test_family_filter_keeps_the_highlight_and_narrow_windows_survive_paging(
    repo: Repository,
) -> None:
    app = SmtpTuiApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        codes = app.screen.query_one(CodeList)
        assert codes.select_code("452")
        await pilot.pause()
        codes.focus()
        await pilot.press("f")  # basic codes only: 452 is one of them
        await pilot.pause()
        assert codes.highlighted_code is not None and codes.highlighted_code.code == "452"
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.press("pagedown", "pageup", "end", "home", "up", "down", "enter")
        await pilot.press("escape")
        await pilot.pause(0.2)
        await pilot.press("slash", *"mailbox", "backspace")
        await pilot.pause()
        assert codes.view is not None and codes.view.query == "mailbo"
