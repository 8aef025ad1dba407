"""Watchlists in the reader: in the sidebar with their unread matches, choosing one lists its
matches, matching rows marked, alerts of the reader's own poll and of a colleague's poll."""

from __future__ import annotations

import asyncio
from contextlib import closing
from datetime import UTC, datetime

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, Store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.palette import reader_commands
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.watch_list import WatchList
from newsroom_tui.watch.on_arrival import match_new_articles
from newsroom_tui.watch.watchlist import checked_watchlist
from tests.pilot_waits import listening, until

SIZE = (130, 40)
NOW = datetime(2025, 4, 11, 9, 30, tzinfo=UTC)


def press_release(guid: str, title: str, body: str = "") -> NewArticle:
    return NewArticle(guid, f"https://www.herne.de/presse/{guid}", title, NOW, body_markdown=body)


def arrive(store: Store, feed_id: int, *articles: NewArticle) -> int:
    return store.save_feed_update(
        feed_id, FeedUpdate(polled_at=NOW, articles=list(articles)), after_save=match_new_articles
    )


def notes(app: NewsroomApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def herne(store: SQLiteStore) -> tuple[SQLiteStore, int]:
    feed, _ = store.add_feed("https://www.herne.de/presse/feed.rss", "Stadt Herne")
    store.add_watchlist(checked_watchlist("Sperrungen", "Sperrung OR Vollsperrung", notify=True))
    arrive(
        store,
        feed.id,
        press_release("1", "Vollsperrung der Bahnhofstraße ab Montag"),
        press_release("2", "Stadtbibliothek verlängert Öffnungszeiten"),
        press_release("3", "Kita Sonnenschein feiert Jubiläum"),
    )
    return store, feed.id


async def test_watchlists_in_the_sidebar_list_their_matches(
    herne: tuple[SQLiteStore, int],
) -> None:
    store, _ = herne
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        watch = app.query_one(WatchList)
        await until(pilot, lambda: watch.display and watch.row_count == 1)
        # (laid out beside the feeds once shown: its width comes with the next layout)
        await until(pilot, lambda: watch.get_line_plain(0) == "◆ Sperrungen (1)")
        table = app.query_one(ArticleList)
        lines = [table.get_line_plain(i) for i in range(table.row_count)]
        marked = [line for line in lines if "◆" in line]
        assert len(marked) == 1 and "◆ Vollsperrung der Bahnho" in marked[0]
        watch.focus()
        await pilot.press("enter")
        assert app.reader.view.watchlist == "Sperrungen"
        assert table.row_count == 1
        assert "watchlist: Sperrungen" in str(app.query_one("#status").render())
        titles = [title for title, _, _ in reader_commands(app.reader, app.key_display)]
        assert "Go to watchlist: Sperrungen" in titles


async def test_a_match_of_the_readers_own_poll_alerts_at_once(
    herne: tuple[SQLiteStore, int],
) -> None:
    store, feed_id = herne
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        # as the poll stores it: from another thread
        await asyncio.to_thread(
            arrive, store, feed_id, press_release("4", "Sperrung der Cranger Straße")
        )
        await until(pilot, lambda: any("Sperrung der Cranger Straße" in n for n in notes(app)))
        assert "Sperrungen: Sperrung der Cranger Straße (Stadt Herne)" in notes(app)
        watch = app.query_one(WatchList)
        app.reader.reload_feeds()
        await until(pilot, lambda: watch.get_line_plain(0) == "◆ Sperrungen (2)")


async def test_a_colleagues_match_reaches_the_open_reader_claimed(pg_dsn: str) -> None:
    pytest.importorskip("psycopg")
    from newsroom_tui.store.postgres import PostgresStore

    with (
        closing(PostgresStore(pg_dsn, user="anna")) as anna,
        closing(PostgresStore(pg_dsn, user="cron")) as poller,
    ):
        feed, _ = poller.add_feed("https://www.polizei.nrw/bochum/feed.rss", "Polizei Bochum")
        arrive(poller, feed.id, press_release("0", "Zeugen nach Verkehrsunfall gesucht"))
        poller.add_watchlist(
            checked_watchlist("Kampfmittel", "Fliegerbombe", notify=True, claim_for="anna")
        )
        app = NewsroomApp(anna, poll_on_start=False)
        async with app.run_test(size=SIZE) as pilot:
            await listening(pilot, app)  # a change before its LISTEN is not heard
            arrive(poller, feed.id, press_release("1", "Fliegerbombe in Wattenscheid gefunden"))
            title = "Kampfmittel: Fliegerbombe in Wattenscheid gefunden (Polizei Bochum)"
            await until(pilot, lambda: title in notes(app))
            table = app.query_one(ArticleList)
            await until(pilot, lambda: table.row_count == 2)
            top = table.get_line_plain(0)
            assert "[AN]" in top and "◆" in top
            watch = app.query_one(WatchList)
            await until(pilot, lambda: watch.get_line_plain(0) == "◆ Kampfmittel (1)")


async def test_a_watchlist_name_is_shown_literally(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("https://www.herne.de/presse/feed.rss", "Stadt Herne")
    store.add_watchlist(checked_watchlist("[red]Alarm[/red] $(id)", "Bombe"))
    arrive(store, feed.id, press_release("1", "Bombe entschärft"))
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        watch = app.query_one(WatchList)
        # the row is drawn again when the layout settles (under load it was read while
        # the list was still narrower: "(1…")
        await until(pilot, lambda: watch.row_count == 1 and watch.get_line_plain(0).endswith(")"))
        assert watch.get_line_plain(0) == "◆ [red]Alarm[/red] $(id) (1)"
