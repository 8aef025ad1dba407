"""A reader's first screen read in one go (Store.first_screen): the same as the reads one at
a time, and one round trip to a team's server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest

from newsroom_tui.article_reading import read_article
from newsroom_tui.store import ALL_ARTICLES, ArticleFilter, FirstScreen, Store
from newsroom_tui.watch_records import Watchlist
from tests.loopback_proxy import LoopbackProxy
from tests.sample_cache import fill_sample
from tests.test_article_body import _stored

OPEN = ArticleFilter(done=False)


def _one_at_a_time(store: Store, where: ArticleFilter, rows: int) -> FirstScreen:
    from newsroom_tui.store import ScreenCounts

    listed = store.articles(where, limit=rows)
    return FirstScreen(
        count=store.count_articles(where),
        rows=listed,
        article=store.article_at_hand(listed[0].id) if listed else None,
        has_feeds=bool(store.feeds()),
        counts=ScreenCounts(
            store.feed_counts(),
            store.last_success(),
            store.watch_counts(),
            store.count_articles(ALL_ARTICLES),
        ),
    )


def test_the_first_screen_is_what_the_reads_one_at_a_time_give(any_store: Store) -> None:
    fill_sample(any_store)
    any_store.add_watchlist(Watchlist(name="Baustellen", query="Baustelle"))
    first, second, third = any_store.articles()[:3]
    any_store.set_read(second.id)
    any_store.set_done(first.id)  # the open list starts with the second one
    any_store.set_flagged(third.id)
    for where in (OPEN, ArticleFilter(unread=True, done=False), ArticleFilter(flagged=True)):
        for rows in (1, 200):
            assert any_store.first_screen(where, rows) == _one_at_a_time(any_store, where, rows)
    shown = any_store.first_screen(OPEN, 2)
    assert [row.id for row in shown.rows] == [second.id, third.id]
    assert shown.article is not None and shown.article.body_markdown
    assert shown.counts is not None and shown.counts.stored == shown.count + 1
    without = any_store.first_screen(OPEN, 2, counts=False)
    assert without.counts is None
    assert (without.rows, without.article, without.has_feeds) == (
        shown.rows,
        shown.article,
        True,
    )


def test_an_empty_first_screen_says_whether_any_feed_is_subscribed(any_store: Store) -> None:
    for counts in (True, False):
        empty = any_store.first_screen(OPEN, 200, counts=counts)
        assert (empty.count, empty.rows, empty.article, empty.has_feeds) == (0, [], None, False)
    any_store.add_feed("https://www.herne.de/feed.rss", "Stadt Herne")
    for counts in (True, False):
        subscribed = any_store.first_screen(OPEN, 200, counts=counts)
        assert (subscribed.count, subscribed.article, subscribed.has_feeds) == (0, None, True)


def test_the_first_screen_leaves_an_article_not_yet_made_markdown_to_the_reading(
    any_store: Store,
) -> None:
    """A poll's article never opened (a lazy store's body source) is not read in place: it
    is made Markdown (a write) by the pane's worker after the first frame."""
    _stored(any_store)
    first = any_store.first_screen(ALL_ARTICLES, 200)
    top = first.rows[0]
    if any_store.lazy_bodies:
        assert first.article is None
        read_article(any_store, top.id)  # made Markdown and kept
        first = any_store.first_screen(ALL_ARTICLES, 200)
    assert first.article is not None and first.article.id == top.id
    assert first.article == any_store.article_at_hand(top.id)


def test_a_first_screen_lists_no_search(any_store: Store) -> None:
    with pytest.raises(ValueError, match="no search"):
        any_store.first_screen(ArticleFilter(search="Herne"), 200)


class TurnCounter(LoopbackProxy):
    """127.0.0.1:port -> 127.0.0.1:target, counting round trips: how often the client
    spoke again after the server had answered."""

    def __init__(self, target: int) -> None:
        self.turns = 0
        self._last = "server"
        super().__init__(target)

    async def _pipe(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, side: str
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await source.read(65536):
                if side == "client" and self._last == "server":
                    self.turns += 1
                self._last = side
                sink.write(data)
                await sink.drain()
        sink.close()


@pytest.fixture
def counted_store(pg_dsn: str) -> Iterator[tuple[Store, TurnCounter]]:
    from newsroom_tui.store.postgres import PostgresStore

    seed = PostgresStore(pg_dsn, user="ben")
    fill_sample(seed)
    seed.close()
    port = int(pg_dsn.rsplit(":", 1)[1].split("/")[0])
    counter = TurnCounter(port)
    store = PostgresStore(pg_dsn.replace(f":{port}/", f":{counter.port}/"), user="anna")
    yield store, counter
    store.close()


def test_a_team_server_is_asked_the_first_screen_in_one_round_trip(
    counted_store: tuple[Store, TurnCounter],
) -> None:
    store, counter = counted_store
    before = counter.turns
    store.count_articles(OPEN)
    store.articles(OPEN, limit=200)
    assert counter.turns - before == 2  # (the counter sees each statement's round trip)
    for counts in (True, False):
        before = counter.turns
        first = store.first_screen(OPEN, 200, counts=counts)
        assert counter.turns - before == 1
        assert first.count == 6 and first.article is not None
