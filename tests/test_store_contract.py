"""Store tests that every backend passes: SQLite and PostgreSQL run the same ones."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest

from newsroom_tui.store import ArticleFilter, FeedUpdate, Store
from newsroom_tui.text.search_query import QueryError
from tests.test_store import ALL, T0, UNREAD, article

try:
    from psycopg.errors import NotNullViolation
except ImportError:  # without psycopg only SQLite runs
    NotNullViolation = sqlite3.IntegrityError  # type: ignore[assignment,misc]


def test_add_feed_is_idempotent(any_store: Store) -> None:
    feed, created = any_store.add_feed("http://127.0.0.1/feed")
    again, created_again = any_store.add_feed("http://127.0.0.1/feed")
    assert created and not created_again
    assert feed.id == again.id
    assert [f.url for f in any_store.feeds()] == ["http://127.0.0.1/feed"]


def test_articles_dedup_by_guid_and_sort_newest_first(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    n = any_store.save_feed_update(
        feed.id,
        FeedUpdate(polled_at=T0, title="Stadt", articles=[article("a", 0), article("b", 5)]),
    )
    again = any_store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article("a", 0), article("c", 2)])
    )
    assert (n, again) == (2, 1)
    assert [a.title for a in any_store.articles()] == ["Meldung b", "Meldung c", "Meldung a"]
    assert any_store.known_guids(feed.id, ["a", "x", "c"]) == {"a", "c"}
    stored = any_store.article(any_store.articles()[0].id)
    assert stored is not None
    assert stored.feed == "Stadt"
    assert stored.body_markdown == "Text mit Umlauten: äöüß"
    assert stored.published == T0 + timedelta(hours=5)
    assert stored.gallery[0].credit == "Thomas Schmidt/Stadt Herne"


def test_read_state_and_unread_filter(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    any_store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article("a"), article("b", 1)])
    )
    first = any_store.articles()[0]
    any_store.set_read(first.id)
    assert [a.id for a in any_store.articles(UNREAD)] == [any_store.articles()[1].id]
    assert any_store.count_articles(UNREAD) == 1
    assert any_store.articles(limit=1)[0].read is True


def test_feed_update_is_one_transaction(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    broken = article("b")
    broken.title = None  # type: ignore[assignment]  # violates NOT NULL halfway through
    with pytest.raises((sqlite3.IntegrityError, NotNullViolation)):
        any_store.save_feed_update(
            feed.id, FeedUpdate(polled_at=T0, etag='"new"', articles=[article("a"), broken])
        )
    assert any_store.count_articles() == 0
    assert any_store.feeds()[0].etag is None


def test_failure_keeps_articles_and_records_error(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("a")]))
    any_store.record_failure(feed.id, T0 + timedelta(hours=1), "HTTP 500 Internal Server Error")
    assert any_store.count_articles() == 1
    assert any_store.feeds()[0].error == "HTTP 500 Internal Server Error"
    assert any_store.last_success() == T0


def test_remove_feed_removes_its_articles(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[article("a")]))
    assert any_store.remove_feed("http://127.0.0.1/feed")
    assert any_store.count_articles() == 0
    assert not any_store.remove_feed("http://127.0.0.1/feed")


def test_search_folds_case_umlauts_and_prefixes(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    any_store.save_feed_update(
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
        return [a.title for a in any_store.articles(ArticleFilter(search=query))]

    assert titles("strassensperrung") == ["Straßensperrung an der Bahnhofstraße"]
    assert titles("MUELLABF") == ["Müllabfuhr verschoben"]
    assert titles("MULLABF") == []  # "ü" is "ue": "Mull" is another word
    assert titles("Müll verschoben") == ["Müllabfuhr verschoben"]
    assert titles("schmidt") == ["Neue Radwege", "Müllabfuhr verschoben", titles("strasse")[0]]
    assert titles('"; DROP TABLE articles; --"') == []
    with pytest.raises(QueryError, match="no closing"):
        titles('"; DROP TABLE articles; --')
    assert titles("") == titles("   ") == [a.title for a in any_store.articles()]
    assert any_store.count_articles(ArticleFilter(search="radweg")) == 1


def test_flags_filters_and_mark_all_read(any_store: Store) -> None:
    one, _ = any_store.add_feed("http://127.0.0.1/one")
    two, _ = any_store.add_feed("http://127.0.0.1/two")
    any_store.save_feed_update(
        one.id, FeedUpdate(polled_at=T0, articles=[article("a"), article("b", 1)])
    )
    any_store.save_feed_update(two.id, FeedUpdate(polled_at=T0, articles=[article("c", 2)]))
    newest = any_store.articles()[0]
    any_store.set_flagged(newest.id)
    assert [a.id for a in any_store.articles(ArticleFilter(flagged=True))] == [newest.id]
    assert any_store.articles()[0].flagged
    assert any_store.mark_all_read(ArticleFilter(feed_id=one.id)) == 2
    assert [a.id for a in any_store.articles(UNREAD)] == [newest.id]
    counts = {c.feed.url: (c.total, c.unread) for c in any_store.feed_counts()}
    assert counts == {"http://127.0.0.1/one": (2, 0), "http://127.0.0.1/two": (1, 1)}


def test_counts_for_some_feeds_only(any_store: Store) -> None:
    one, _ = any_store.add_feed("http://127.0.0.1/one")
    two, _ = any_store.add_feed("http://127.0.0.1/two")
    three, _ = any_store.add_feed("http://127.0.0.1/three")
    any_store.save_feed_update(
        one.id, FeedUpdate(polled_at=T0, articles=[article("a"), article("b", 1)])
    )
    any_store.save_feed_update(two.id, FeedUpdate(polled_at=T0, articles=[article("c", 2)]))
    any_store.set_done(any_store.articles(ArticleFilter(feed_id=one.id))[0].id)
    some = any_store.feed_counts([three.id, one.id, one.id])
    assert [(c.feed.url, c.total, c.unread) for c in some] == [
        ("http://127.0.0.1/one", 1, 1),
        ("http://127.0.0.1/three", 0, 0),
    ]
    assert any_store.feed_counts([]) == []
    everything = {c.feed.id: c for c in any_store.feed_counts()}
    assert all(everything[c.feed.id] == c for c in some)


def test_positions_for_a_list_that_loads_on_demand(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    any_store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article(str(i), i) for i in range(6)])
    )
    ids = [a.id for a in any_store.articles()]  # newest first: guid 5 ... 0
    assert [any_store.article_position(ALL, i) for i in ids] == [0, 1, 2, 3, 4, 5]
    any_store.set_read(ids[0])
    assert any_store.article_position(UNREAD, ids[0]) is None
    assert any_store.article_position(UNREAD, ids[1]) == 0
    for i in (1, 2, 4):
        any_store.set_read(ids[i])
    assert any_store.next_unread_position(ALL, 0) == 3
    assert any_store.next_unread_position(ALL, 3) == 5
    assert any_store.next_unread_position(ALL, 5) == 3  # wraps around
    any_store.mark_all_read()
    assert any_store.next_unread_position(ALL, 0) is None


def _one_article(store: Store) -> int:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=[article("a"), article("b", 1)])
    )
    return store.articles()[0].id


def test_claim_release_and_done(any_store: Store) -> None:
    newest = _one_article(any_store)
    any_store.claim(newest)
    any_store.claim(newest)  # my own claim again: nothing changes, no error
    assert any_store.articles()[0].claimed_by == "anna"
    assert not any_store.release(newest + 1000)
    assert any_store.release(newest)
    assert any_store.articles()[0].claimed_by is None
    assert not any_store.release(newest)  # nothing left to release
    any_store.set_done(newest)
    assert any_store.article(newest).done  # type: ignore[union-attr]
    assert [a.id for a in any_store.articles(ArticleFilter(done=False))] != [newest]
    assert any_store.count_articles(ArticleFilter(done=False)) == 1
    assert [a.id for a in any_store.articles(ArticleFilter(done=True))] == [newest]
    counts = [(c.total, c.unread) for c in any_store.feed_counts()]
    assert counts == [(1, 1)]  # the done one left the list and the counts
    any_store.set_done(newest, False)
    assert any_store.count_articles(ArticleFilter(done=True)) == 0


def test_only_the_team_store_is_shared_and_its_feed_lock_is_released(any_store: Store) -> None:
    from newsroom_tui.store import SharedStore

    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    if type(any_store).__name__ == "SQLiteStore":
        assert not isinstance(any_store, SharedStore)  # one user, one poller: nothing to lock
    else:
        assert isinstance(any_store, SharedStore)
        assert any_store.lock_feed(feed.id)
        any_store.unlock_feed(feed.id)
        assert any_store.lock_feed(feed.id)
        any_store.unlock_feed(feed.id)
    assert any_store.feed(feed.id) == any_store.feeds()[0]
    assert any_store.feed(feed.id + 99) is None


def test_an_undated_article_sorts_by_when_it_was_first_seen(any_store: Store) -> None:
    """Not above everything: between the articles dated before and after its first poll,
    and there on every later poll."""
    feed, _ = any_store.add_feed("http://127.0.0.1/polizei")
    undated = replace(article("ohne-datum", title="Verkehrsunfall ohne Datum"), published=None)
    first_poll = FeedUpdate(
        polled_at=T0 + timedelta(hours=5), articles=[article("a", 0), article("b", 2), undated]
    )
    any_store.save_feed_update(feed.id, first_poll)
    later = [article("c", 10), undated, article("d", 15)]
    any_store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0 + timedelta(hours=20), articles=later)
    )
    titles = [a.title for a in any_store.articles()]
    assert titles == [
        "Meldung d",
        "Meldung c",
        "Verkehrsunfall ohne Datum",
        "Meldung b",
        "Meldung a",
    ]
    shown = any_store.articles()[2]
    assert shown.published is None
    assert any_store.article_position(ALL, shown.id) == 2
    assert any_store.next_unread_position(ALL, 1) == 2


def test_a_large_update_with_a_guid_twice_keeps_the_first_and_each_gallery_its_own(
    any_store: Store,
) -> None:
    # more articles than one INSERT statement of the team store takes (1,000), one guid
    # twice: the first is kept, each article has its own gallery and stands alone in its story
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    arts = [article(f"m{i}", i % 48) for i in range(1200)]
    arts.insert(700, replace(article("m3", 1), title="Meldung m3, zweite Fassung"))
    assert any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=arts)) == 1200
    again = [article("m5"), article("neu", 2)]
    assert any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=again)) == 1
    stored = {a.title: a.id for a in any_store.articles()}
    assert len(stored) == 1201 and "Meldung m3, zweite Fassung" not in stored
    for title in ("Meldung m0", "Meldung m999", "Meldung m1000", "Meldung m1199", "Meldung neu"):
        found = any_store.article(stored[title])
        assert found is not None
        guid = title.removeprefix("Meldung ")
        assert [g.src for g in found.gallery] == [f"http://127.0.0.1/{guid}.jpg"]
        assert [v.article.id for v in any_store.story_versions(stored[title])] == [stored[title]]
