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


def test_the_opening_threads_writes_go_before_background_writes(data_dir: Path) -> None:
    """The reader opened the store; a poll writes from worker threads, one write after the
    other. A write of the reader waits for the one in progress, not for the poll's next
    ones (they used to barge in ahead of it: a key press waited up to 0.45 s)."""
    import threading

    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    done: list[int] = []
    stop = threading.Event()

    def poll_writes() -> None:
        while not stop.is_set():
            with store._transaction() as tx:
                tx.execute("UPDATE feeds SET failures = failures + 1 WHERE id = ?", (feed.id,))
                threading.Event().wait(0.003)  # a transaction takes a while
            done.append(1)

    writers = [threading.Thread(target=poll_writes) for _ in range(3)]
    for thread in writers:
        thread.start()
    overtaken = []
    for _ in range(20):
        threading.Event().wait(0.01)
        before = len(done)
        store.record_not_modified(feed.id, T0)
        overtaken.append(len(done) - before)
    stop.set()
    for thread in writers:
        thread.join(10)
    assert max(overtaken) <= len(writers), overtaken  # at most those already under way
    assert store.feeds()[0].last_success == T0
    store.close()


def test_the_cache_tells_another_process_s_writes_from_its_own(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/herne.rss")
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("a")]))
    first = store.changed_since(None)  # the first look marks where the cache is
    assert not first.changed and not first.by_others
    own = store.articles()[0].id
    store.set_read(own, True)  # the reader's own key
    mine = store.changed_since(first.token)
    assert mine.changed and not mine.by_others
    assert not store.changed_since(mine.token).changed  # nothing since
    shell = open_store(store.path.parent)  # `newsroom read` from a shell: its own connection
    shell.set_flagged(own, True)
    shell.close()
    theirs = store.changed_since(mine.token)
    assert theirs.changed and theirs.by_others
