"""The reader's first frame on a team's server: one round trip, and it holds the counts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from textual.screen import Screen

from newsroom_tui.store.first_screen import Statement
from newsroom_tui.store.rows import Row
from newsroom_tui.ui import app as app_module
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.reader import ReaderScreen
from tests.pilot_waits import pane_shown
from tests.sample_cache import fill_sample


async def test_the_first_frame_on_a_team_server_is_one_round_trip_with_the_counts(
    pg_dsn: str,
) -> None:
    from newsroom_tui.store.postgres import PostgresStore

    class Recorded(PostgresStore):
        """Each round trip asked of the server, and whether the first frame was drawn."""

        app: NewsroomApp | None = None
        asked: list[tuple[str, bool]] = []

        def _painted(self) -> bool:
            return self.app is not None and self.app.reader.painted.is_set()

        def _query(self, sql: str, params: Iterable[object] = ()) -> list[Row]:
            if self.app is not None:
                self.asked.append(("statement", self._painted()))
            return super()._query(sql, params)

        def _read_all(self, statements: list[Statement]) -> list[list[Row]]:
            if self.app is not None:
                self.asked.append(("all at once", self._painted()))
            return super()._read_all(statements)

    shown: list[object] = []

    class FirstFrame(asyncio.Event):
        """Set once the first frame is on screen: what it showed is noted then."""

        def __init__(self, app: NewsroomApp) -> None:
            super().__init__()
            self._app = app

        def set(self) -> None:
            status, feeds = self._app.reader.status, self._app.reader.feed_list
            shown.append((status.totals, feeds.counted, status.last_poll is not None))
            super().set()

    class Noted(NewsroomApp):
        CSS_PATH = Path(app_module.__file__).with_name("newsroom.tcss")

        def get_default_screen(self) -> Screen[None]:
            screen = super().get_default_screen()
            assert isinstance(screen, ReaderScreen)
            screen.painted = FirstFrame(self)
            return screen

    seed = PostgresStore(pg_dsn, user="ben")
    fill_sample(seed)
    seed.close()
    store = Recorded(pg_dsn, user="anna")
    app = Noted(store, poll_on_start=False)
    store.app = app
    async with app.run_test(size=(130, 40)) as pilot:
        await pane_shown(pilot)
    store.close()
    # before the first frame: one round trip; the counts came with it
    assert [ask for ask, painted in store.asked if not painted] == ["all at once"]
    assert shown == [((6, 6), True, True)]
