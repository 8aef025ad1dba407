"""The poll's writer: feeds ready together are stored in one transaction; a feed whose rows
break the batch fails alone; a cache that cannot be written fails every feed of the batch."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroom_tui.ingest import poll_writer
from newsroom_tui.ingest.poll_writer import Writer
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, StoreError

T0 = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
CITIES = ("herne", "bochum", "fuerth")


def _update(city: str, count: int = 2) -> FeedUpdate:
    return FeedUpdate(
        polled_at=T0,
        title=f"Stadt {city}",
        articles=[
            NewArticle(f"{city}-{i}", f"https://{city}.de/{i}", f"Meldung {i} aus {city}", T0)
            for i in range(count)
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "cache.sqlite3")


async def test_feeds_ready_together_share_one_transaction(store: SQLiteStore) -> None:
    feeds = [store.add_feed(f"https://{c}.de/feed.xml")[0] for c in CITIES]
    unchanged = store.add_feed("https://luebeck.de/feed.xml")[0]
    batches: list[tuple[int, int]] = []
    save_many = store.save_feed_updates

    def recording(updates, not_modified=(), after_save=None):  # type: ignore[no-untyped-def]
        batches.append((len(updates), len(not_modified)))
        return save_many(updates, not_modified, after_save=after_save)

    store.save_feed_updates = recording  # type: ignore[method-assign]
    writer = Writer(store)
    counts = await asyncio.gather(
        *(writer.save(f.id, _update(c)) for f, c in zip(feeds, CITIES, strict=True)),
        writer.not_modified(unchanged.id, T0),
    )
    assert counts == [2, 2, 2, None]
    assert batches == [(3, 1)]
    assert store.count_articles() == 6
    assert {f.title for f in store.feeds()} >= {"Stadt herne", "Stadt bochum", "Stadt fuerth"}
    assert [f.last_success for f in store.feeds() if f.id == unchanged.id] == [T0]


async def test_a_feed_that_breaks_the_batch_fails_alone(store: SQLiteStore) -> None:
    good = store.add_feed("https://herne.de/feed.xml")[0]
    bad = store.add_feed("https://bochum.de/feed.xml")[0]
    broken = _update("bochum")
    broken.articles[0].guid = None  # type: ignore[assignment]  # NOT NULL: a bug's row
    writer = Writer(store)
    results = await asyncio.gather(
        writer.save(good.id, _update("herne")), writer.save(bad.id, broken), return_exceptions=True
    )
    assert results[0] == 2
    assert isinstance(results[1], Exception) and not isinstance(results[1], StoreError)
    assert sorted(a.title for a in store.articles()) == [
        "Meldung 0 aus herne",
        "Meldung 1 aus herne",
    ]


async def test_a_cache_that_cannot_be_written_fails_the_whole_batch(store: SQLiteStore) -> None:
    feeds = [store.add_feed(f"https://{c}.de/feed.xml")[0] for c in CITIES[:2]]

    def full(updates, not_modified=(), after_save=None):  # type: ignore[no-untyped-def]
        raise StoreError("cannot write the cache: database or disk is full")

    store.save_feed_updates = full  # type: ignore[method-assign]
    writer = Writer(store)
    results = await asyncio.gather(
        *(writer.save(f.id, _update(c)) for f, c in zip(feeds, CITIES[:2], strict=True)),
        return_exceptions=True,
    )
    assert all(isinstance(r, StoreError) for r in results)
    assert store.count_articles() == 0


async def test_the_writer_waits_for_feeds_still_on_their_way(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feeds that arrive one after the other while more of the poll are outstanding go into
    one transaction; the last one is not held back once nothing more is coming (the wait
    made long: it ends because every feed arrived, not by the clock)."""
    monkeypatch.setattr(poll_writer, "GATHER_SECONDS", 60.0)
    feeds = [store.add_feed(f"https://{c}.de/feed.xml")[0] for c in CITIES]
    batches: list[int] = []
    save_many = store.save_feed_updates

    def recording(updates, not_modified=(), after_save=None):  # type: ignore[no-untyped-def]
        batches.append(len(updates))
        return save_many(updates, not_modified, after_save=after_save)

    store.save_feed_updates = recording  # type: ignore[method-assign]
    done: list[int] = []
    writer = Writer(store, lambda: len(CITIES) - len(done))

    async def one(index: int) -> None:
        for _ in range(5 * index):  # each feed some turns of the loop after the one before
            await asyncio.sleep(0)
        await writer.save(feeds[index].id, _update(CITIES[index]))
        done.append(index)

    await asyncio.gather(*(one(i) for i in range(len(CITIES))))
    assert batches == [3]
    assert store.count_articles() == 6


async def test_the_articles_waiting_for_the_index_stay_few_while_feeds_wait(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feeds waiting to be saved after every write (a cold poll's writer): once as many
    articles as :data:`INDEX_WAITING_MOST` wait for the index, the writer indexes them all
    before its next save, so their folded columns do not pile up in memory."""
    monkeypatch.setattr(poll_writer, "WRITE_BATCH", 1)
    monkeypatch.setattr(poll_writer, "INDEX_WHILE_POLLING", 2)
    monkeypatch.setattr(poll_writer, "INDEX_WAITING_MOST", 4)
    feeds = [store.add_feed(f"https://{c}.de/feed.xml")[0] for c in CITIES]
    waiting: list[int] = []
    save_many = store.save_feed_updates

    def recording(updates, not_modified=(), after_save=None):  # type: ignore[no-untyped-def]
        waiting.append(store.index_pending())
        return save_many(updates, not_modified, after_save=after_save)

    store.save_feed_updates = recording  # type: ignore[method-assign]
    writer = Writer(store)
    with store.deferred_index():
        counts = await asyncio.gather(
            *(writer.save(f.id, _update(c)) for f, c in zip(feeds, CITIES, strict=True))
        )
    assert counts == [2, 2, 2]
    assert waiting == [0, 2, 0]  # the third save after the first four were indexed
