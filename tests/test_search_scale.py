"""A search's first page on a large cache: newest first, without sorting every hit, and the
same rows as sorting every hit would give; counts that stop where they are told to."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.models import NewArticle
from newsroom_tui.store import (
    ALL_ARTICLES,
    ArticleFilter,
    FeedUpdate,
    SQLiteStore,
    Store,
    open_store,
)
from newsroom_tui.store import newest_hits as newest
from tests.test_store import T0

WORDS = ["Stadt Herne", "Kita", "Rathaus", "Stadtwerke", "Polizei Bochum", "Grünflächenamt"]


def _fill(store: Store, articles: int, seed: int, *, late: float) -> None:
    """``articles`` in five feeds, arriving in polls (ids grow with time); a share ``late``
    of them dated days back, a few dated ahead (an id far from its place by date)."""
    rng = random.Random(seed)
    feeds = [store.add_feed(f"http://127.0.0.1/feed/{n}")[0].id for n in range(5)]
    for poll in range(articles // 5):
        polled = T0 + timedelta(minutes=10 * poll)
        for n, feed_id in enumerate(feeds):
            shift = timedelta(0)
            if rng.random() < late:
                shift = -timedelta(days=rng.randint(1, 30))
            elif rng.random() < 0.01:
                shift = timedelta(days=rng.randint(1, 30))
            words = " ".join(rng.sample(WORDS, 2))
            art = NewArticle(f"{poll}-{n}", None, f"{words} {poll}-{n}", polled + shift, "", words)
            store.save_feed_update(feed_id, FeedUpdate(polled_at=polled, articles=[art]))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    store = open_store(tmp_path_factory.mktemp("mixed"), user="anna")
    _fill(store, 600, seed=7, late=0.2)
    for article in store.articles(limit=200):  # some read, some flagged: filters to combine
        if article.id % 3 == 0:
            store.set_read(article.id)
        if article.id % 7 == 0:
            store.set_flagged(article.id)
    yield store
    store.close()


def _every_hit(store: SQLiteStore, where: ArticleFilter) -> list[int]:
    """The hits by sorting them all (no limit: the plain ORDER BY)."""
    return [a.id for a in store.articles(where)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.sampled_from(["stadt", "kita", "rathaus polizei", "gruen", "herne", "bochum st"]),
    limit=st.integers(1, 60),
    offset=st.integers(0, 80),
    unread=st.booleans(),
    flagged=st.booleans(),
    batch=st.sampled_from([1, 3, 16, 256]),
    cap=st.sampled_from([0, 2, 50, 2000]),
)
def test_a_page_of_hits_is_the_page_of_all_hits_sorted(
    mixed: SQLiteStore,
    query: str,
    limit: int,
    offset: int,
    unread: bool,
    flagged: bool,
    batch: int,
    cap: int,
) -> None:
    where = ArticleFilter(search=query, unread=unread, flagged=flagged)
    with mock.patch.multiple(newest, FIRST_BATCH=batch, LATER_CAP=cap):
        page = [a.id for a in mixed.articles(where, limit=limit, offset=offset)]
    assert page == _every_hit(mixed, where)[offset : offset + limit]


def test_the_first_page_reads_a_few_hits_not_all(tmp_path: Path) -> None:
    """Work counted in SQLite's virtual machine steps (not timed): the first 50 of 3,000
    hits cost a small part of sorting all 3,000."""
    store = open_store(tmp_path / "data")
    _fill(store, 3_000, seed=3, late=0.05)
    where = ArticleFilter(search="stadt")

    def steps(read: object) -> int:
        counted = [0]

        def count() -> int:
            counted[0] += 1
            return 0

        store._reader.set_progress_handler(count, 100)
        try:
            assert callable(read)
            read()
        finally:
            store._reader.set_progress_handler(None, 100)
        return counted[0]

    page = steps(lambda: store.articles(where, limit=50))
    every = steps(lambda: store.articles(where))
    assert page * 5 < every, (page, every)
    capped = steps(lambda: store.count_articles(where, at_most=100))
    full = steps(lambda: store.count_articles(where))
    assert capped * 5 < full, (capped, full)
    store.close()


def test_counting_stops_at_most_where_told(any_store: Store) -> None:
    _fill(any_store, 40, seed=1, late=0.1)
    for where in (ArticleFilter(search="stadt"), ArticleFilter(search="kita", unread=True),
                  ArticleFilter(), ArticleFilter(search="nirgendwo")):  # fmt: skip
        every = any_store.count_articles(where)
        assert any_store.count_articles(where, at_most=5) == min(every, 5)
        assert any_store.count_articles(where, at_most=1_000) == every


# the reader -------------------------------------------------------------------------------


async def test_the_reader_searches_off_the_event_loop_and_the_newest_keystroke_wins(
    tmp_path: Path,
) -> None:
    """The list of a search being typed is read in a worker thread: no store call with the
    search runs on the event loop's thread, and the answer for an earlier keystroke, coming
    after the last one's, does not replace it."""
    from newsroom_tui.ui.app import NewsroomApp
    from tests.pilot_waits import pane_shown, until
    from tests.sample_cache import build_sample_cache

    store = build_sample_cache(tmp_path / "data")
    on_loop: list[str] = []
    stale_asked, stale_go, stale_done = threading.Event(), threading.Event(), threading.Event()

    def watched(name: str) -> None:
        real = getattr(store, name)

        def call(where: ArticleFilter = ALL_ARTICLES, *args: object, **kwargs: object) -> object:
            if where.search and threading.current_thread() is threading.main_thread():
                on_loop.append(f"{name}({where.search})")
            if where.search == "stra":  # an earlier keystroke's answer comes late
                stale_asked.set()
                stale_go.wait(30)
                try:
                    return real(where, *args, **kwargs)
                finally:
                    stale_done.set()
            return real(where, *args, **kwargs)

        setattr(store, name, call)

    for name in ("articles", "count_articles", "article_position"):
        watched(name)
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await pane_shown(pilot)
        await pilot.press("slash", *"stra")
        await until(pilot, stale_asked.is_set, what="the search for 'stra' asked")
        await pilot.press(*"sse")
        table = app.reader.article_list

        def shown() -> list[str]:
            return [row.title for i in range(table.row_count) if (row := table.loaded_row(i))]

        await until(pilot, lambda: shown() == [STRASSE], what="the hits of 'strasse'")
        stale_go.set()
        await until(pilot, stale_done.is_set, what="the late answer for 'stra'")
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown() == [STRASSE] and app.reader.view.search == "strasse"
        assert on_loop == []
    store.close()


STRASSE = "Straßensperrung an der Bahnhofstraße"


async def test_a_search_with_more_hits_than_it_lists_says_so(tmp_path: Path) -> None:
    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.widgets import article_list
    from tests.pilot_waits import pane_shown, until

    store = open_store(tmp_path / "data")
    _fill(store, 60, seed=2, late=0.0)  # about 36 with a "Stadt" word
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    with mock.patch.object(article_list, "SEARCH_ROWS", 10):
        async with app.run_test(size=(130, 40)) as pilot:
            await pane_shown(pilot)
            await pilot.press("slash", *"stadt")
            table = app.reader.article_list
            await until(pilot, lambda: app.reader.view.search == "stadt" and table.more)
            await pilot.pause()
            assert table.row_count == 10
            assert "10+ shown" in str(app.reader.status.render())
    store.close()
