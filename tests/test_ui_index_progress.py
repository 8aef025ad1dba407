"""The search index catching up after a poll, in the status line: "indexing 2/5 for
search…", its short form on a narrow line, gone when the poll is over."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.ingest.account_poll import AccountPollReport
from newsroom_tui.store import SQLiteStore
from tests.pilot_waits import pane_shown, until
from tests.story_desk import desk_cache
from tests.test_ui_triage import app_for


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = desk_cache(tmp_path / "data")
    yield store
    store.close()


async def test_the_status_line_says_how_far_the_search_index_is_after_a_poll(
    desk: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll's index catching up ("indexing 2/5") shows in the status line, short on a
    narrow line, and goes when the poll is over."""
    from newsroom_tui.ingest import account_poll

    go_on = asyncio.Event()

    async def poll_all(store: object, feeds: object, **hooks: Any) -> AccountPollReport:
        await asyncio.to_thread(hooks["on_index"], 2, 5)  # from the index's thread
        await go_on.wait()
        await asyncio.to_thread(hooks["on_index"], 5, 5)
        return AccountPollReport()

    monkeypatch.setattr(account_poll, "poll_all", poll_all)
    app = app_for(desk, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_shown(pilot)
        status = app.reader.status
        await pilot.press("r")
        await until(pilot, lambda: status.indexing == (2, 5), what="the index's progress")
        # a line a little narrower than 80 columns' (whose room depends on the words and
        # the time of the last poll): the short form
        status.styles.width = 70
        await until(pilot, lambda: "index 2/5" in str(status.render()), what="the short form")
        status.styles.width = 200  # room for the long form
        await until(
            pilot,
            lambda: "indexing 2/5 for search" in str(status.render()),
            what="the long form",
        )
        go_on.set()
        await until(pilot, lambda: not app.reader.poller.running, what="the poll's end")
        await pilot.pause()
        assert status.indexing is None and "index" not in str(status.render())
