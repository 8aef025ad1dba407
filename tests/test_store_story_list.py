"""The list of stories on both backends: a story shows once (its earliest article the filter
holds; a search's newest hit), with its sources and who had it first; read, flag, claim and
done of a story reach every version in one write; the list of articles apart is as before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.store import ArticleFilter, ClaimTaken, FeedUpdate, Store
from newsroom_tui.store.story_records import Arrival

MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
STORIES = ArticleFilter(stories=True, done=False)


class ByFirstWord:
    """Stories decided by the title's first word (the first article of a word starts it)."""

    def __init__(self) -> None:
        self.started: dict[str, int] = {}

    def decide(self, arrivals: Sequence[Arrival]) -> list[tuple[int, int, str]]:
        decided = []
        for _, article_id, art, _ in arrivals:
            key = art.title.split()[0]
            story = self.started.setdefault(key, article_id)
            decided.append((article_id, story, "new" if story == article_id else "version"))
        return decided

    def forget(self) -> None:
        self.started.clear()


def _store_desk(store: Store) -> dict[str, int]:
    """Police, city and paper tell the fire in Wattenscheid (the police first, though its
    release is stored last); the paper also has a story of its own. Title -> id."""
    store.story_assigner = ByFirstWord()
    feeds = {
        name: store.add_feed(f"http://127.0.0.1/{n}.rss", name)[0].id
        for n, name in enumerate(("Polizei Bochum", "Stadt Bochum", "WAZ Bochum"))
    }
    told = [
        ("WAZ Bochum", "Brand in Wattenscheid: Feuerwehr rettet zwei Menschen", 50),
        ("Stadt Bochum", "Brand in Wattenscheid – Stadt richtet Notunterkunft ein", 40),
        ("WAZ Bochum", "Schützenfest in Höntrop abgesagt", 30),
        ("Polizei Bochum", "Brand in Wattenscheid: Polizei sucht Zeugen", 10),
    ]
    for feed, title, minutes in told:
        art = NewArticle(
            guid=title,
            url=None,
            title=title,
            summary=f"{title}. Bochum.",
            published=MONDAY + timedelta(minutes=minutes),
        )
        store.save_feed_update(
            feeds[feed], FeedUpdate(polled_at=MONDAY + timedelta(hours=1), articles=[art])
        )
    return {a.title: a.id for a in store.articles()}


def test_a_story_shows_once_as_its_earliest_article_with_its_sources(any_store: Store) -> None:
    ids = _store_desk(any_store)
    rows = any_store.articles(STORIES)
    assert [r.title for r in rows] == [
        "Schützenfest in Höntrop abgesagt",
        "Brand in Wattenscheid: Polizei sucht Zeugen",
    ]
    assert any_store.count_articles(STORIES) == 2
    fire = rows[1]
    assert (fire.story_sources, fire.story_first) == (3, "Polizei Bochum")
    assert (rows[0].story_sources, rows[0].story_first) == (1, None)
    police = ids["Brand in Wattenscheid: Polizei sucht Zeugen"]
    assert any_store.article_position(STORIES, police) == 1
    # a version that is not the story's row is not in the list of stories
    assert (
        any_store.article_position(
            STORIES, ids["Brand in Wattenscheid – Stadt richtet Notunterkunft ein"]
        )
        is None
    )
    # every article apart, as before
    assert any_store.count_articles(replace(STORIES, stories=False)) == 4


def test_a_filter_shows_the_earliest_version_it_holds(any_store: Store) -> None:
    ids = _store_desk(any_store)
    any_store.set_read(ids["Brand in Wattenscheid: Polizei sucht Zeugen"])
    unread = any_store.articles(replace(STORIES, unread=True))
    # the police's release is read: the city's version, the earliest unread one, shows it
    assert [r.title for r in unread] == [
        "Brand in Wattenscheid – Stadt richtet Notunterkunft ein",
        "Schützenfest in Höntrop abgesagt",
    ]
    assert len(unread) == any_store.count_articles(replace(STORIES, unread=True)) == 2


def test_a_search_shows_a_story_once_whichever_version_matches(any_store: Store) -> None:
    _store_desk(any_store)
    for query in ("wattenscheid", "Notunterkunft"):
        found = any_store.articles(replace(STORIES, search=query), limit=50)
        assert len(found) == 1, query
        assert any_store.count_articles(replace(STORIES, search=query), at_most=1001) == 1
    both = any_store.articles(replace(STORIES, search="bochum"), limit=50)
    assert sorted(r.title.split()[0] for r in both) == ["Brand", "Schützenfest"]
    # the newest hit shows the story in a search
    assert both[0].title == "Brand in Wattenscheid: Feuerwehr rettet zwei Menschen"
    assert len(any_store.articles(ArticleFilter(search="wattenscheid"), limit=50)) == 3


def test_story_triage_reaches_every_version_and_done_takes_the_story_out(
    any_store: Store,
) -> None:
    ids = _store_desk(any_store)
    city = ids["Brand in Wattenscheid – Stadt richtet Notunterkunft ein"]
    fire = [i for title, i in ids.items() if title.startswith("Brand")]
    festival = ids["Schützenfest in Höntrop abgesagt"]

    def state(name: str) -> dict[int, object]:
        return {a.id: getattr(a, name) for a in any_store.articles() if a.id != festival}

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
    assert [r.title for r in any_store.articles(STORIES)] == ["Schützenfest in Höntrop abgesagt"]
    assert any_store.count_articles(replace(STORIES, done=True)) == 1
    any_store.set_story_done(city, False)
    assert any_store.count_articles(STORIES) == 2


def test_a_story_someone_else_holds_a_version_of_is_not_claimed(any_store: Store) -> None:
    ids = _store_desk(any_store)
    city = ids["Brand in Wattenscheid – Stadt richtet Notunterkunft ein"]
    police = ids["Brand in Wattenscheid: Polizei sucht Zeugen"]
    user = any_store.user
    any_store.user = "ben"
    any_store.claim(city)
    any_store.user = user
    with pytest.raises(ClaimTaken) as taken:
        any_store.claim_story(police)
    assert taken.value.holder == "ben"
    claimed = {a.id: a.claimed_by for a in any_store.articles()}
    assert claimed[police] is None  # nothing of the story was claimed for anna
