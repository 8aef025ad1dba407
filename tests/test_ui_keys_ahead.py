"""Keys typed ahead of a key that answers from a thread: `n` then `Enter` at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from newsroom_tui.ui.app import NewsroomApp
from tests.pilot_waits import pane_shown, until
from tests.sample_cache import build_sample_cache


async def test_enter_right_after_n_opens_the_article_n_finds(data_dir: Path) -> None:
    """`n` looks for the next unread article in a thread; `Enter` typed before it answered
    opened the article the cursor was leaving, and `n`'s answer then moved the cursor on and
    gave the list the focus: the article view closed at 80 columns, and the unread article
    was never opened (a tmux test of stories met it on a busy machine)."""
    store = build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_shown(pilot)
        table = app.reader.article_list
        first, second = table.loaded_row(0), table.loaded_row(1)
        assert first is not None and second is not None and not second.read
        release = threading.Event()
        find = table.unread_finder

        def held(step: int) -> Callable[[], int | None] | None:
            finder = find(step)
            assert finder is not None

            def slow() -> int | None:
                release.wait(10)
                return finder()

            return slow

        table.unread_finder = held  # type: ignore[method-assign]
        await pilot.press("n", "enter")
        await pilot.pause()
        release.set()
        await until(pilot, lambda: table.cursor_row == 1, what="n's row")
        await until(
            pilot,
            lambda: app.reader.pane.article is not None and app.reader.pane.article.id == second.id,
            what="the article n found, open",
        )
        await until(pilot, lambda: app.reader.pane.has_focus, what="the article view")
        assert app.reader.pane.article.id == second.id
    store.close()
