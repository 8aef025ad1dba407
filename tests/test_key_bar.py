"""The keys line at the bottom: the screen's keys from the first frame on, following the
focus, and a click on one runs it."""

from __future__ import annotations

from pathlib import Path

from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.dialogs import HelpScreen
from newsroom_tui.ui.widgets.key_bar import KeyBar
from tests.pilot_waits import pane_shown, until
from tests.sample_cache import build_sample_cache


def line(app: NewsroomApp) -> str:
    return str(app.query_one(KeyBar).render())


async def test_the_keys_line_follows_the_focus_and_runs_a_clicked_key(data_dir: Path) -> None:
    store = build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        shown = line(app)
        assert shown.startswith(" ⏎ Read  q Quit  ? Help ")
        assert shown.rstrip().endswith("▏^p palette")
        await pilot.press("enter")  # the article has the focus: no "Read" there
        await until(pilot, lambda: "Read " not in line(app), what="the article's keys")
        assert line(app).startswith(" q Quit  ? Help ")
        await pilot.click(KeyBar, offset=(line(app).index("Help"), 0))
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
    store.close()
