"""The list of stories on both backends: a story shows once (its newest article the filter
holds, at its time: a new version brings it up), with its sources and who had it first;
read, flag, claim and done of a story reach every version in one write; the list of
articles apart is as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsroom_tui.store import ArticleFilter, ClaimTaken, Store
from tests.story_desk import (
    BRIDGE_TITLE,
    CITY_TITLE,
    FESTIVAL_TITLE,
    PAPER_TITLE,
    POLICE_TITLE,
    UPDATE_AT,
    UPDATE_TITLE,
    store_desk,
    store_update,
)

MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
STORIES = ArticleFilter(stories=True, done=False)


def _store_desk(store: Store) -> dict[str, int]:
    return store_desk(store)


def test_a_story_shows_once_as_its_newest_article_with_its_sources(any_store: Store) -> None:
    ids = _store_desk(any_store)
    rows = any_store.articles(STORIES)
    assert [r.title for r in rows] == [PAPER_TITLE, FESTIVAL_TITLE, BRIDGE_TITLE]
    assert any_store.count_articles(STORIES) == 3
    fire = rows[0]
    assert (fire.story_sources, fire.story_first) == (3, "Polizei Bochum")
    assert (rows[1].story_sources, rows[1].story_first) == (1, None)
    assert any_store.article_position(STORIES, ids[PAPER_TITLE]) == 0
    # a version that is not the story's row is not in the list of stories
    assert any_store.article_position(STORIES, ids[CITY_TITLE]) is None
    # every article apart, as before
    assert any_store.count_articles(replace(STORIES, stories=False)) == 5


def test_a_filter_shows_the_newest_version_it_holds(any_store: Store) -> None:
    ids = _store_desk(any_store)
    any_store.set_read(ids[POLICE_TITLE])
    unread = any_store.articles(replace(STORIES, unread=True))
    # the police's release is read, the others not: the story is unread, as its newest
    assert [r.title for r in unread] == [PAPER_TITLE, FESTIVAL_TITLE, BRIDGE_TITLE]
    assert len(unread) == any_store.count_articles(replace(STORIES, unread=True)) == 3
    city_feed = next(a.feed_id for a in unread if a.title == BRIDGE_TITLE)
    city = any_store.articles(replace(STORIES, feed_id=city_feed))
    assert [r.title for r in city] == [CITY_TITLE, BRIDGE_TITLE]  # the city's own version


def test_a_search_shows_a_story_once_whichever_version_matches(any_store: Store) -> None:
    _store_desk(any_store)
    for query in ("wattenscheid", "Notunterkunft"):
        found = any_store.articles(replace(STORIES, search=query), limit=50)
        assert len(found) == 1, query
        assert any_store.count_articles(replace(STORIES, search=query), at_most=1001) == 1
    # the newest hit shows the story in a search
    found = any_store.articles(replace(STORIES, search="wattenscheid"), limit=50)
    assert [r.title for r in found] == [PAPER_TITLE]
    assert (found[0].story_sources, found[0].story_first) == (3, "Polizei Bochum")
    both = any_store.articles(replace(STORIES, search="die"), limit=50)
    assert [r.title for r in both] == [PAPER_TITLE, BRIDGE_TITLE]
    assert len(any_store.articles(ArticleFilter(search="wattenscheid"), limit=50)) == 3


def test_story_triage_reaches_every_version_and_done_takes_the_story_out(
    any_store: Store,
) -> None:
    ids = _store_desk(any_store)
    city = ids[CITY_TITLE]
    fire = [i for title, i in ids.items() if title.startswith("Brand")]
    festival = ids[FESTIVAL_TITLE]

    def state(name: str) -> dict[int, object]:
        return {a.id: getattr(a, name) for a in any_store.articles() if a.id in fire}

    any_store.set_story_read(city)
    assert set(state("read").values()) == {True}
    any_store.set_story_flagged(city)
    assert set(state("flagged").values()) == {True}
    any_store.claim_story(city)
    assert set(state("claimed_by").values()) == {"anna"}
    assert any_store.summaries([festival])[0].claimed_by is None
    assert any_store.release_story(fire[0])
    assert set(state("claimed_by").values()) == {None}
    any_store.set_story_done(city)
    assert [r.title for r in any_store.articles(STORIES)] == [FESTIVAL_TITLE, BRIDGE_TITLE]
    assert any_store.count_articles(replace(STORIES, done=True)) == 1
    any_store.set_story_done(city, False)
    assert any_store.count_articles(STORIES) == 3


def test_a_story_someone_else_holds_a_version_of_is_not_claimed(any_store: Store) -> None:
    ids = _store_desk(any_store)
    city = ids[CITY_TITLE]
    police = ids[POLICE_TITLE]
    user = any_store.user
    any_store.user = "ben"
    any_store.claim(city)
    any_store.user = user
    with pytest.raises(ClaimTaken) as taken:
        any_store.claim_story(police)
    assert taken.value.holder == "ben"
    claimed = {a.id: a.claimed_by for a in any_store.articles()}
    assert claimed[police] is None  # nothing of the story was claimed for anna


def test_all_shown_read_reads_every_version_of_the_stories_shown(any_store: Store) -> None:
    _store_desk(any_store)
    police_feed = next(a.feed_id for a in any_store.articles() if a.title == POLICE_TITLE)
    # the police's list: its release shows the story; all read reads the city's and paper's
    any_store.mark_all_read(replace(STORIES, feed_id=police_feed))
    assert {a.title for a in any_store.articles() if a.read} == {
        POLICE_TITLE,
        CITY_TITLE,
        PAPER_TITLE,
    }


def test_a_watchlist_shows_a_story_once_whichever_versions_matched(any_store: Store) -> None:
    ids = _store_desk(any_store)
    with any_store._transaction() as tx:  # type: ignore[attr-defined]
        for title in (CITY_TITLE, PAPER_TITLE, BRIDGE_TITLE):
            tx.execute(
                "INSERT INTO watch_matches (watchlist, article_id, matched) VALUES (?, ?, ?)",
                ("Brände", ids[title], "2026-12-07T07:00:00+00:00"),
            )
    watched = replace(STORIES, watchlist="Brände")
    assert [a.title for a in any_store.articles(watched)] == [PAPER_TITLE, BRIDGE_TITLE]
    assert any_store.count_articles(watched) == 2
    assert any_store.count_articles(replace(watched, stories=False)) == 3


def test_the_count_of_stories_is_the_number_of_rows_listed(any_store: Store) -> None:
    """The count reads two index scans, the list a look-up per article: they agree for
    every filter (states spread over a story's versions)."""
    ids = _store_desk(any_store)
    any_store.set_read(ids[POLICE_TITLE])
    any_store.set_flagged(ids[PAPER_TITLE])
    any_store.set_done(ids[CITY_TITLE])
    feeds = sorted({a.feed_id for a in any_store.articles()})
    for unread in (False, True):
        for flagged in (False, True):
            for done in (None, False, True):
                for feed_id in (None, *feeds):
                    where = ArticleFilter(
                        unread=unread, flagged=flagged, done=done, feed_id=feed_id, stories=True
                    )
                    listed = any_store.articles(where)
                    assert any_store.count_articles(where) == len(listed), where
                    assert len({a.story_id for a in listed}) == len(listed), where


def test_the_feed_counts_of_a_list_of_stories_count_each_story_once(any_store: Store) -> None:
    """A feed's count is what its list of stories holds: a story told twice by one feed
    (or once) is one; all feeds' totals are counted apart (the fire is one, not three)."""
    ids = _store_desk(any_store)

    def counts(stories: bool) -> dict[str, tuple[int, int]]:
        return {
            c.feed.display_name: (c.total, c.unread) for c in any_store.feed_counts(stories=stories)
        }

    assert counts(True) == {"Polizei Bochum": (1, 1), "Stadt Bochum": (2, 2), "WAZ Bochum": (2, 2)}
    assert counts(False) == counts(True)  # one article of a story per feed: the same
    any_store.set_read(ids[POLICE_TITLE])
    any_store.set_read(ids[FESTIVAL_TITLE])
    # the fire is unread in the city's and paper's lists (their versions are unread)
    assert counts(True) == {"Polizei Bochum": (1, 0), "Stadt Bochum": (2, 2), "WAZ Bochum": (2, 1)}
    any_store.set_story_read(ids[CITY_TITLE])
    assert counts(True) == {"Polizei Bochum": (1, 0), "Stadt Bochum": (2, 1), "WAZ Bochum": (2, 0)}
    police_feed = next(a.feed_id for a in any_store.articles() if a.title == POLICE_TITLE)
    assert [c.total for c in any_store.feed_counts([police_feed], stories=True)] == [1]
    for feed_id in {a.feed_id for a in any_store.articles()}:
        where = replace(STORIES, feed_id=feed_id)
        counted = next(c for c in any_store.feed_counts(stories=True) if c.feed.id == feed_id)
        assert counted.total == len(any_store.articles(where))
        assert counted.unread == len(any_store.articles(replace(where, unread=True)))


def test_what_all_shown_marks_is_every_unread_version_of_the_stories_shown(
    any_store: Store,
) -> None:
    ids = _store_desk(any_store)
    any_store.set_read(ids[CITY_TITLE])
    police_feed = next(a.feed_id for a in any_store.articles() if a.title == POLICE_TITLE)
    where = replace(STORIES, feed_id=police_feed)
    marks = any_store.unread_shown(where)
    assert sorted(marks) == sorted([ids[POLICE_TITLE], ids[PAPER_TITLE]])  # the city's is read
    any_store.mark_all_read(where)
    assert any_store.unread_shown(where) == []
    assert any_store.unread_shown(replace(where, stories=False)) == []
    assert any_store.unread_shown(replace(STORIES, feed_id=None)) == sorted(
        [ids[FESTIVAL_TITLE], ids[BRIDGE_TITLE]]
    )


def test_a_story_row_says_when_its_newest_update_came(any_store: Store) -> None:
    """The update is the story's newest development: it is the row, which carries its
    time, and the versions mark the update as one."""
    _store_desk(any_store)
    assert all(r.story_update is None for r in any_store.articles(STORIES))
    update = store_update(any_store)
    rows = any_store.articles(STORIES)
    assert [r.title for r in rows] == [UPDATE_TITLE, FESTIVAL_TITLE, BRIDGE_TITLE]
    fire = rows[0]
    assert fire.id == update and fire.story_update == UPDATE_AT
    assert fire.story_sources == 3 and rows[1].story_update is None
    versions = any_store.story_versions(fire.story_id or 0)
    assert [(v.article.id, v.relation) for v in versions][-1] == (update, "update")
    assert any_store.count_articles(STORIES) == 3


def test_a_new_version_of_a_read_story_brings_it_up_unread(any_store: Store) -> None:
    """A story read, then told again: its row is the new version, at its time, unread (as a
    mail client brings a thread with a new message up); the unread list, its count and the
    next unread (n) reach it."""
    ids = _store_desk(any_store)
    any_store.set_story_read(ids[POLICE_TITLE])
    update = store_update(any_store)
    rows = any_store.articles(STORIES)
    assert [r.title for r in rows] == [
        UPDATE_TITLE,
        FESTIVAL_TITLE,
        BRIDGE_TITLE,
    ]
    fire = rows[0]
    assert fire.id == update and not fire.read and fire.published == UPDATE_AT
    assert (fire.story_sources, fire.story_first) == (3, "Polizei Bochum")
    unread = replace(STORIES, unread=True)
    assert [r.id for r in any_store.articles(unread)] == [r.id for r in rows]
    assert any_store.count_articles(unread) == 3
    any_store.set_read(ids[FESTIVAL_TITLE])
    any_store.set_read(ids[BRIDGE_TITLE])
    assert any_store.next_unread_position(STORIES, 2) == 0  # n wraps around to the fire
    assert [r.id for r in any_store.articles(unread)] == [update]
    any_store.set_story_read(update)
    assert any_store.count_articles(unread) == 0 and any_store.articles(STORIES)[0].read


def test_a_story_with_any_unread_version_is_unread(any_store: Store) -> None:
    """Its newest version read, an earlier one not (read apart, S): the row is the newest
    version, marked unread; the unread list shows the same row, n reaches it."""
    ids = _store_desk(any_store)
    any_store.set_read(ids[PAPER_TITLE])
    any_store.set_read(ids[FESTIVAL_TITLE])
    any_store.set_read(ids[BRIDGE_TITLE])
    rows = any_store.articles(STORIES)
    assert [(r.title, r.read) for r in rows] == [
        (PAPER_TITLE, False),
        (FESTIVAL_TITLE, True),
        (BRIDGE_TITLE, True),
    ]
    unread = replace(STORIES, unread=True)
    assert [r.id for r in any_store.articles(unread)] == [ids[PAPER_TITLE]]
    assert any_store.count_articles(unread) == 1
    assert any_store.next_unread_position(STORIES, 1) == 0
    assert any_store.article_position(unread, ids[PAPER_TITLE]) == 0


def test_a_search_row_of_a_story_is_unread_while_a_version_it_finds_is(any_store: Store) -> None:
    """A search shows a story as its newest hit; that row is unread while any version of
    the story is, as in the list (the search's own page, read with a limit, too); the
    unread search holds it, and the newest hit stays its row."""
    ids = _store_desk(any_store)
    any_store.set_read(ids[PAPER_TITLE])
    searched = replace(STORIES, search="wattenscheid")
    for limit in (50, None):
        found = any_store.articles(searched, limit=limit)
        assert [(r.title, r.read) for r in found] == [(PAPER_TITLE, False)], limit
        unread = any_store.articles(replace(searched, unread=True), limit=limit)
        assert [r.id for r in unread] == [ids[PAPER_TITLE]], limit
    any_store.set_story_read(ids[PAPER_TITLE])
    assert [r.read for r in any_store.articles(searched, limit=50)] == [True]
    assert any_store.articles(replace(searched, unread=True), limit=50) == []
