"""The reader as one of a team: claim (a), done (D), colleagues' changes shown live, and a
database server that goes away and comes back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.store import ArticleFilter, Store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from tests.pg_server import PgServer
from tests.pilot_waits import listening, writes_done
from tests.sample_cache import fill_sample

SIZE = (130, 40)


@pytest.fixture
def filled(any_store: Store) -> Store:
    fill_sample(any_store)
    return any_store


def app_for(store: Store) -> NewsroomApp:
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0
    return app


def line(app: NewsroomApp, index: int) -> str:
    return app.query_one(ArticleList).get_line_plain(index)


def meta(app: NewsroomApp) -> str:
    return str(app.query_one(ArticleView).query_one("#meta").render())


async def test_claim_and_release_with_a(filled: Store) -> None:
    app = app_for(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "a")
        await writes_done(pilot)
        second = filled.articles()[1]
        assert second.claimed_by == "anna"
        assert "[AN]" in line(app, 1)
        assert "Claimed by anna" in meta(app)
        await pilot.press("a")
        await writes_done(pilot)
        assert filled.articles()[1].claimed_by is None
        assert "[AN]" not in line(app, 1)


async def test_done_leaves_the_list_and_shows_under_the_done_filter(filled: Store) -> None:
    app = app_for(filled)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ArticleList)
        first = filled.articles()[0]
        assert table.row_count == 6
        await pilot.press("D")
        await writes_done(pilot)
        assert filled.article(first.id).done  # type: ignore[union-attr]
        assert table.row_count == 5 and table.current_id != first.id
        await pilot.press("f", "f", "f")
        assert app.reader.view.show == "done"
        assert [table.row_at(0).id] == [first.id]  # type: ignore[union-attr]
        assert "✓" in line(app, 0)
        await pilot.press("D")  # not done after all: back in the list
        await writes_done(pilot)
        assert table.row_count == 0
        assert filled.count_articles(ArticleFilter(done=False)) == 6


@pytest.fixture
def colleague(pg_dsn: str) -> Iterator[tuple[Store, Store]]:
    from newsroom_tui.store.postgres import PostgresStore

    anna, ben = PostgresStore(pg_dsn, user="anna"), PostgresStore(pg_dsn, user="ben")
    fill_sample(anna)
    yield anna, ben
    anna.close()
    ben.close()


async def _until(pilot: object, condition: object, seconds: float = 20.0) -> None:
    """Until the reader shows it: the store's own notifications bring colleagues' changes
    (nothing polls for them), so a change that never arrives fails here."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("not shown in time")


async def test_a_colleagues_claim_done_and_new_articles_show_live(
    colleague: tuple[Store, Store],
) -> None:
    anna, ben = colleague
    app = app_for(anna)
    async with app.run_test(size=SIZE) as pilot:
        await listening(pilot, app)  # the listener starts after the first frame
        first, second = (a.id for a in anna.articles()[:2])
        ben.claim(first)
        await _until(pilot, lambda: "[BE]" in line(app, 0))
        assert "Claimed by ben" in meta(app)
        await pilot.press("a")  # taken: anna cannot have it
        assert anna.article(first).claimed_by == "ben"  # type: ignore[union-attr]
        assert "Already claimed by ben" in str(list(app._notifications)[-1].message)
        ben.set_done(second)
        await _until(pilot, lambda: app.query_one(ArticleList).row_count == 5)
        feed = anna.feeds()[0]
        from newsroom_tui.store import FeedUpdate
        from tests.test_store import T0, article

        ben.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("neu", 500)]))
        table = app.query_one(ArticleList)
        await _until(pilot, lambda: table.row_count == 6)
        assert "Meldung neu" in [table.row_at(i).title for i in range(6)]  # type: ignore[union-attr]


async def test_database_lost_and_back(tmp_path: Path) -> None:
    from newsroom_tui.store.postgres import PostgresStore

    server = PgServer().start()
    try:
        store = PostgresStore(server.new_database(), user="anna")
        fill_sample(store)
        app = app_for(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.3)
            title = line(app, 0)
            # "fast": the sessions are cut off; "immediate" would be a crash, which with the
            # fixture's synchronous_commit=off may lose the sample's last commits.
            server.stop("fast")
            status = app.query_one("#status")
            await _until(pilot, lambda: "DATABASE UNREACHABLE" in str(status.render()), 20)
            assert line(app, 0) == title  # what was loaded stays on screen
            await pilot.press("j", "f")  # keys do not crash the reader
            server.restart()
            await _until(pilot, lambda: "DATABASE UNREACHABLE" not in str(status.render()), 30)
            assert "team inbox as anna" in str(status.render())
            await pilot.press("f", "f", "f")
            assert app.query_one(ArticleList).row_count == 6
        store.close()
    finally:
        server.cleanup()
