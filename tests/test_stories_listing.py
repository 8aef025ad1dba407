"""``stories()`` on both backends: the stories told more than once, newest first, each with
its versions earliest first, read in one query however many stories are shown (counted by a
wrapper around the store's connection)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, Store, story_tables
from newsroom_tui.store.story_records import Arrival

MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
PLACES = ("Wattenscheid", "Herne-Sodingen", "Bochum-Riemke", "Witten-Annen", "Hamme")


class ByTitle:
    """Stories decided by the title's first word: the first article of a word starts the
    story, a later one with "Nachtrag" in its title is an update, others versions."""

    def __init__(self) -> None:
        self.started: dict[str, int] = {}

    def decide(self, arrivals: Sequence[Arrival]) -> list[tuple[int, int, str]]:
        decided = []
        for _, article_id, art, _ in arrivals:
            key = art.title.split()[0]
            if key not in self.started:
                self.started[key] = article_id
                decided.append((article_id, article_id, "new"))
            else:
                relation = "update" if "Nachtrag" in art.title else "version"
                decided.append((article_id, self.started[key], relation))
        return decided

    def forget(self) -> None:
        self.started.clear()


class CountingConnection:
    """A connection that counts the statements run through it."""

    def __init__(self, conn: Any, counts: list[str]) -> None:
        self._conn = conn
        self._counts = counts

    def execute(self, sql: str, *args: Any) -> Any:
        self._counts.append(sql)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _counted(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements the store reads with from now on."""
    counts: list[str] = []
    if hasattr(store, "_reader"):  # SQLite: the read connection
        monkeypatch.setattr(store, "_reader", CountingConnection(store._reader, counts))
    else:  # PostgreSQL: its one connection
        live = store._live_connection  # type: ignore[attr-defined]
        monkeypatch.setattr(store, "_live_connection", lambda: CountingConnection(live(), counts))
    return counts


def _told(store: Store, stories: int, versions: int) -> list[tuple[str, ...]]:
    """``stories`` stories, each told ``versions`` times by as many feeds (the last an
    update), one story after the other; the titles of each story, earliest first."""
    store.story_assigner = ByTitle()
    feeds = [store.add_feed(f"http://127.0.0.1/feed/{n}.rss", f"Quelle {n}")[0] for n in range(5)]
    told = []
    when = MONDAY
    for s in range(stories):
        place = PLACES[s % len(PLACES)]
        titles = []
        for v in range(versions):
            title = f"Einsatz{s} in {place}" + (": Nachtrag" if v == versions - 1 else f" ({v})")
            when += timedelta(minutes=7)
            art = NewArticle(f"urn:{s}:{v}", f"http://127.0.0.1/a/{s}/{v}", title, when, "", title)
            store.save_feed_update(feeds[v % len(feeds)].id, FeedUpdate(when, articles=[art]))
            titles.append(title)
        told.append(tuple(titles))
    # an article alone is no story of the list
    lone = NewArticle("urn:lone", None, "Stadtbibliothek verlängert Öffnungszeiten", when, "", "")
    store.save_feed_update(feeds[0].id, FeedUpdate(when, articles=[lone]))
    return told


def test_stories_are_read_in_one_query(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    told = _told(any_store, stories=6, versions=3)
    counts = _counted(any_store, monkeypatch)
    listed = any_store.stories(None)
    assert len(counts) == 1
    assert [tuple(v.article.title for v in s.versions) for s in listed] == told[::-1]
    assert all(s.id == s.versions[0].article.id for s in listed)
    assert [v.relation for v in listed[0].versions] == ["new", "version", "update"]
    assert {s.sources for s in listed} == {3}

    counts.clear()
    assert [s.first.title for s in any_store.stories(2)] == [told[-1][0], told[-2][0]]
    assert len(counts) == 1


def test_a_story_shows_its_earliest_versions_up_to_the_bound(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = _told(any_store, stories=2, versions=5)
    monkeypatch.setattr(story_tables, "MOST_VERSIONS", 3)
    listed = any_store.stories(None)
    assert [tuple(v.article.title for v in s.versions) for s in listed] == [
        t[:3] for t in told[::-1]
    ]
