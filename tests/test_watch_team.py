"""Watchlists on the team store: the team's table, a match announced to every open reader,
a claim-for visible to everyone with the article."""

from __future__ import annotations

import threading
from contextlib import closing

import pytest

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.store import StoreChange
from newsroom_tui.watch.watchlist import WatchMatch, checked_watchlist
from tests.fixture_server import FixtureServer
from tests.watch_feeds import press_offices

pytest.importorskip("psycopg")
from newsroom_tui.store.postgres import PostgresStore


async def test_a_match_reaches_the_other_reader_claimed_for_him(
    server: FixtureServer, pg_dsn: str
) -> None:
    with (
        closing(PostgresStore(pg_dsn, user="anna")) as anna,
        closing(PostgresStore(pg_dsn, user="ben")) as ben,
    ):
        await _match_reaches_ben(server, anna, ben)


async def _match_reaches_ben(
    server: FixtureServer, anna: PostgresStore, ben: PostgresStore
) -> None:
    city, police = press_offices(server)
    anna.add_feed(city)
    anna.add_feed(police)
    changes: list[StoreChange] = []
    matched = threading.Event()

    def on_change(change: StoreChange) -> None:
        changes.append(change)
        if change.kind == "match":
            matched.set()

    listener = ben.watch(on_change)
    assert listener.online.wait(5)
    try:
        watchlist = checked_watchlist(
            "Kampfmittel", "Fliegerbombe OR Blindgänger", claim_for="ben", notify=True
        )
        assert anna.add_watchlist(watchlist)
        assert [w.name for w in ben.watchlists()] == ["Kampfmittel"]  # the team's
        own: list[WatchMatch] = []
        anna.on_watch_match(own.extend)
        await poll_feeds(anna)
        assert matched.wait(5), "ben's reader heard no match"
        [match] = [c for c in changes if c.kind == "match"]
        assert match.watchlist == "Kampfmittel" and match.user == "ben"
        article = ben.article(match.article_id)  # type: ignore[arg-type]
        assert article is not None and article.claimed_by == "ben" and article.watched
        assert [m.article_id for m in own] == [match.article_id]  # the poller, first-hand
        assert any(c.kind == "watchlists" for c in changes)
        counts = {c.watchlist.name: (c.total, c.unread) for c in ben.watch_counts()}
        assert counts == {"Kampfmittel": (1, 1)}
        # a second poll stores nothing new and matches nothing
        changes.clear()
        await poll_feeds(anna)
        assert len(own) == 1
        assert ben.remove_watchlist("Kampfmittel")
        assert anna.watchlists() == []
    finally:
        listener.close()
