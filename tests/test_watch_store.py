"""The watchlist tables: a cache of the version before gains them; both backends keep
watchlists, refuse a second of the same name and forget a removed one's matches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsroom_tui.store import ArticleFilter, FeedUpdate, Store, open_store
from newsroom_tui.store.migrations import SCHEMA_VERSION
from newsroom_tui.watch.on_arrival import match_new_articles
from newsroom_tui.watch.watchlist import checked_watchlist
from tests.story_desk import STORY_LIST_DROPPED
from tests.sync_kit import SYNC_TABLES_DROPPED
from tests.test_store import T0, article


def test_a_cache_of_schema_7_gains_the_watchlist_tables(data_dir: Path) -> None:
    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/presse.rss", "Stadt Herne")
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("1", 1)]))
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    conn.executescript(STORY_LIST_DROPPED)  # the list of stories: schema 16
    conn.executescript(  # as version 7 left it: without the tables of 8, the columns of 9,
        # 10 and 12
        "DROP INDEX articles_by_story; DROP INDEX articles_story_versions; "
        "ALTER TABLE articles DROP COLUMN story_id; "
        "ALTER TABLE articles DROP COLUMN story_relation; "
        "DROP TABLE watch_matches; DROP TABLE watchlists; "
        "ALTER TABLE articles DROP COLUMN source; ALTER TABLE feeds DROP COLUMN name_set; "
        + SYNC_TABLES_DROPPED
        + "PRAGMA user_version = 7;"
    )
    conn.close()
    store = open_store(data_dir)
    try:
        assert store._query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert store.watchlists() == [] and store.count_articles() == 1
        assert store.add_watchlist(checked_watchlist("Meldung", "Meldung"))
    finally:
        store.close()


def test_watchlists_are_kept_and_removed_with_their_matches(any_store: Store) -> None:
    # a command only on the local cache: the team's database refuses one (test_watch_team)
    local = any_store.watchlist_origin == "store"
    run = "an-den-kanal --eilig" if local else None
    sperrung = checked_watchlist("Sperrungen", "Meldung", flag=True, run=run)
    assert any_store.add_watchlist(sperrung)
    assert not any_store.add_watchlist(checked_watchlist("Sperrungen", "anders"))
    [kept] = any_store.watchlists()
    assert (kept.name, kept.query, kept.flag, kept.run) == (
        "Sperrungen",
        "Meldung",
        True,
        ("an-den-kanal", "--eilig") if local else (),
    )
    feed, _ = any_store.add_feed("http://127.0.0.1/presse.rss")
    any_store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article("1", 1)]), after_save=match_new_articles
    )
    assert any_store.count_articles(ArticleFilter(watchlist="Sperrungen")) == 1
    assert any_store.remove_watchlist("Sperrungen")
    assert not any_store.remove_watchlist("Sperrungen")
    assert any_store.count_articles(ArticleFilter(watchlist="Sperrungen")) == 0
    assert not any_store.articles()[0].watched


def test_the_matching_runs_only_as_the_hook_a_write_is_given(any_store: Store) -> None:
    """The store matches nothing itself: a write without the watch package's hook stores
    the article unmatched; the same article in a write with it is matched, flagged and
    heard by the listeners, and a stopped listener hears no more."""
    any_store.add_watchlist(checked_watchlist("Sperrungen", "Meldung", flag=True))
    feed, _ = any_store.add_feed("http://127.0.0.1/presse/stadt-herne.rss")
    heard: list[list[str]] = []
    stop = any_store.on_watch_match(lambda found: heard.append([m.watchlist.name for m in found]))
    any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("1", 1)]))
    assert any_store.count_articles(ArticleFilter(watchlist="Sperrungen")) == 0
    assert not any_store.articles()[0].flagged and heard == []
    update = FeedUpdate(polled_at=T0, articles=[article("2", 2)])
    any_store.save_feed_update(feed.id, update, after_save=match_new_articles)
    [matched] = any_store.articles(ArticleFilter(watchlist="Sperrungen"))
    assert matched.flagged and any_store.watch_names(matched.id) == ["Sperrungen"]
    assert heard == [["Sperrungen"]]
    stop()
    update = FeedUpdate(polled_at=T0, articles=[article("3", 3)])
    any_store.save_feed_update(feed.id, update, after_save=match_new_articles)
    assert any_store.count_articles(ArticleFilter(watchlist="Sperrungen")) == 2
    assert heard == [["Sperrungen"]]


def test_the_config_files_watchlists_are_given_when_the_store_opens(data_dir: Path) -> None:
    configured = checked_watchlist("Bombe", "Fliegerbombe", origin="config")
    store = open_store(data_dir, extra_watchlists=[configured])
    try:
        assert store.extra_watchlists == (configured,)
        assert store.add_watchlist(checked_watchlist("Bombe", "Blindgänger"))
        # a name the store has wins over the config file's
        assert [(w.name, w.origin) for w in store.watchlists()] == [("Bombe", "store")]
    finally:
        store.close()
