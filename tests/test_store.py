from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, StoreError, open_store
from newsroom_tui.store.migrations import SCHEMA_VERSION

T0 = datetime(2023, 5, 9, 8, 0, tzinfo=UTC)

UNREAD = ArticleFilter(unread=True)
ALL = ArticleFilter()


def article(guid: str, hours: int = 0, title: str | None = None) -> NewArticle:
    return NewArticle(
        guid=guid,
        url=f"http://127.0.0.1/{guid}",
        title=title if title is not None else f"Meldung {guid}",
        published=T0 + timedelta(hours=hours),
        body_markdown="Text mit Umlauten: äöüß",
        gallery=[
            GalleryItem(f"http://127.0.0.1/{guid}.jpg", "Bild.", "Thomas Schmidt/Stadt Herne")
        ],
    )


def test_new_store_is_wal_and_versioned(store: SQLiteStore) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_add_feed_is_idempotent(store: SQLiteStore) -> None:
    feed, created = store.add_feed("http://127.0.0.1/feed")
    again, created_again = store.add_feed("http://127.0.0.1/feed")
    assert created and not created_again
    assert feed.id == again.id
    assert [f.url for f in store.feeds()] == ["http://127.0.0.1/feed"]


def test_articles_dedup_by_guid_and_sort_newest_first(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    n = store.save_feed_update(
        feed.id,
        FeedUpdate(polled_at=T0, title="Stadt", articles=[article("a", 0), article("b", 5)]),
    )
    again = store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article("a", 0), article("c", 2)])
    )
    assert (n, again) == (2, 1)
    assert [a.title for a in store.articles()] == ["Meldung b", "Meldung c", "Meldung a"]
    assert store.known_guids(feed.id, ["a", "x", "c"]) == {"a", "c"}
    stored = store.article(store.articles()[0].id)
    assert stored is not None
    assert stored.feed == "Stadt"
    assert stored.body_markdown == "Text mit Umlauten: äöüß"
    assert stored.published == T0 + timedelta(hours=5)
    assert stored.gallery[0].credit == "Thomas Schmidt/Stadt Herne"


def test_read_state_and_unread_filter(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article("a"), article("b", 1)])
    )
    first = store.articles()[0]
    store.set_read(first.id)
    assert [a.id for a in store.articles(UNREAD)] == [store.articles()[1].id]
    assert store.count_articles(UNREAD) == 1
    assert store.articles(limit=1)[0].read is True


def test_feed_update_is_one_transaction(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    broken = article("b")
    broken.title = None  # type: ignore[assignment]  # violates NOT NULL halfway through
    with pytest.raises(sqlite3.IntegrityError):
        store.save_feed_update(
            feed.id, FeedUpdate(polled_at=T0, etag='"new"', articles=[article("a"), broken])
        )
    assert store.count_articles() == 0
    assert store.feeds()[0].etag is None


def test_failure_keeps_articles_and_records_error(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("a")]))
    store.record_failure(feed.id, T0 + timedelta(hours=1), "HTTP 500 Internal Server Error")
    assert store.count_articles() == 1
    assert store.feeds()[0].error == "HTTP 500 Internal Server Error"
    assert store.last_success() == T0


def test_remove_feed_removes_its_articles(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("a")]))
    assert store.remove_feed("http://127.0.0.1/feed")
    assert store.count_articles() == 0
    assert not store.remove_feed("http://127.0.0.1/feed")


def test_garbage_file_gives_one_line_error(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "newsroom.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as info:
        open_store(data_dir)
    message = str(info.value)
    assert "\n" not in message
    assert "newsroom.sqlite3" in message and "move it aside" in message


def test_foreign_database_is_refused_and_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "newsroom.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError):
        open_store(data_dir)
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("contacts",)]


def test_newer_schema_is_refused(data_dir: Path) -> None:
    open_store(data_dir).close()
    conn = sqlite3.connect(data_dir / "newsroom.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(data_dir)


def test_search_folds_case_umlauts_and_prefixes(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    store.save_feed_update(
        feed.id,
        FeedUpdate(
            polled_at=T0,
            articles=[
                article("a", 0, "Straßensperrung an der Bahnhofstraße"),
                article("b", 1, "Müllabfuhr verschoben"),
                article("c", 2, "Neue Radwege"),
            ],
        ),
    )

    def titles(query: str) -> list[str]:
        return [a.title for a in store.articles(ArticleFilter(search=query))]

    assert titles("strassensperrung") == ["Straßensperrung an der Bahnhofstraße"]
    assert titles("MULLABF") == ["Müllabfuhr verschoben"]
    assert titles("Müll verschoben") == ["Müllabfuhr verschoben"]
    assert titles("schmidt") == ["Neue Radwege", "Müllabfuhr verschoben", titles("strasse")[0]]
    assert titles('"; DROP TABLE articles; --') == []
    assert titles("") == titles("   ") == [a.title for a in store.articles()]
    assert store.count_articles(ArticleFilter(search="radweg")) == 1


def test_flags_filters_and_mark_all_read(store: SQLiteStore) -> None:
    one, _ = store.add_feed("http://127.0.0.1/one")
    two, _ = store.add_feed("http://127.0.0.1/two")
    store.save_feed_update(
        one.id, FeedUpdate(polled_at=T0, articles=[article("a"), article("b", 1)])
    )
    store.save_feed_update(two.id, FeedUpdate(polled_at=T0, articles=[article("c", 2)]))
    newest = store.articles()[0]
    store.set_flagged(newest.id)
    assert [a.id for a in store.articles(ArticleFilter(flagged=True))] == [newest.id]
    assert store.articles()[0].flagged
    assert store.mark_all_read(ArticleFilter(feed_id=one.id)) == 2
    assert [a.id for a in store.articles(UNREAD)] == [newest.id]
    counts = {c.feed.url: (c.total, c.unread) for c in store.feed_counts()}
    assert counts == {"http://127.0.0.1/one": (2, 0), "http://127.0.0.1/two": (1, 1)}


def test_removed_feed_leaves_search_index_consistent(store: SQLiteStore) -> None:
    one, _ = store.add_feed("http://127.0.0.1/one")
    two, _ = store.add_feed("http://127.0.0.1/two")
    store.save_feed_update(one.id, FeedUpdate(polled_at=T0, articles=[article("a", 0, "Rathaus")]))
    store.save_feed_update(two.id, FeedUpdate(polled_at=T0, articles=[article("b", 0, "Rathaus")]))
    store.remove_feed("http://127.0.0.1/one")
    assert [a.feed_id for a in store.articles(ArticleFilter(search="rathaus"))] == [two.id]
    conn = sqlite3.connect(store.path)
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_version_1_cache_is_migrated_with_search_index(data_dir: Path) -> None:
    from newsroom_tui.store.migrations import MIGRATIONS

    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "newsroom.sqlite3")
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO feeds (id, url, added) VALUES (1, 'http://127.0.0.1/f', 'x')")
    conn.execute(
        """INSERT INTO articles (feed_id, guid, title, sort_key, body, fetched)
           VALUES (1, 'g', 'Altes Rathaus', '2020-01-01T00:00:00', 'Text', 'x')"""
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = open_store(data_dir)
    assert [a.title for a in store.articles(ArticleFilter(search="rathaus"))] == ["Altes Rathaus"]
    assert store.articles()[0].flagged is False
    store.close()


def test_positions_for_a_list_that_loads_on_demand(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article(str(i), i) for i in range(6)])
    )
    ids = [a.id for a in store.articles()]  # newest first: guid 5 ... 0
    assert [store.article_position(ALL, i) for i in ids] == [0, 1, 2, 3, 4, 5]
    store.set_read(ids[0])
    assert store.article_position(UNREAD, ids[0]) is None
    assert store.article_position(UNREAD, ids[1]) == 0
    for i in (1, 2, 4):
        store.set_read(ids[i])
    assert store.next_unread_position(ALL, 0) == 3
    assert store.next_unread_position(ALL, 3) == 5
    assert store.next_unread_position(ALL, 5) == 3  # wraps around
    store.mark_all_read()
    assert store.next_unread_position(ALL, 0) is None
