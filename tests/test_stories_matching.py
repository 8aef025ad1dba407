"""Story matching on the labelled week (tests/fixtures/stories): every kind of version joins
its story, updates link to theirs, look-alikes stay apart, and the 48-hour window holds."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime, timedelta

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.stories import WINDOW, StoryArticle, StoryDecision, StoryIndex
from tests.story_set import LabelledArticle, load

WEEK = load()


def story_article(a: LabelledArticle, *, shift: timedelta = timedelta()) -> StoryArticle:
    published = datetime.fromisoformat(a.published) + shift
    return StoryArticle(a.guid, a.feed, a.title, a.text, published)


def assign_week(articles: list[LabelledArticle]) -> dict[str, StoryDecision]:
    index = StoryIndex()
    return {a.guid: index.assign(story_article(a)) for a in articles}


@pytest.fixture(scope="module")
def decisions() -> dict[str, StoryDecision]:
    return assign_week(WEEK)


def first_of(story: str) -> LabelledArticle:
    return next(a for a in WEEK if a.story == story)


def test_the_set_is_a_week_of_five_feeds_with_stories_decoys_and_updates() -> None:
    assert {a.feed for a in WEEK} == {"police", "city", "paper", "radio", "wire"}
    stories = {a.story for a in WEEK if not a.decoy}
    assert len(stories) >= 12
    assert len({a.story for a in WEEK if a.decoy}) >= 12
    assert sum(a.kind == "update" for a in WEEK) >= 4
    assert all(40 <= len(a.text.split()) <= 450 for a in WEEK)
    assert {a.half for a in WEEK} == {"A", "B"}


@pytest.mark.parametrize("kind", ["reprint", "trimmed", "built-on", "retold", "rewrite"])
def test_each_kind_of_version_joins_the_story_of_the_first_telling(
    decisions: dict[str, StoryDecision], kind: str
) -> None:
    versions = [a for a in WEEK if a.kind == kind]
    assert versions
    for a in versions:
        first = first_of(a.story)
        assert decisions[a.guid].story_id == first.guid, (a.story, a.feed, a.title)
        assert decisions[a.guid].relation == "version"


MARKERS = ("Nachtrag", "Korrektur", "Fortschreibung", "wohlbehalten", "wieder da")


def test_updates_that_say_so_link_to_their_story(decisions: dict[str, StoryDecision]) -> None:
    updates = [a for a in WEEK if a.kind == "update" and any(m in a.title for m in MARKERS)]
    assert len(updates) >= 6
    for a in updates:
        decision = decisions[a.guid]
        assert decision.story_id == first_of(a.story).guid, (a.story, a.title)
        assert decision.relation == "update", a.title


def test_a_wire_update_without_a_marker_joins_its_story(
    decisions: dict[str, StoryDecision],
) -> None:
    wire = next(a for a in WEEK if a.story == "s10" and a.kind == "update" and a.feed == "wire")
    assert decisions[wire.guid].story_id == first_of("s10").guid


def test_the_first_telling_starts_its_story(decisions: dict[str, StoryDecision]) -> None:
    for a in WEEK:
        if a.relation == "new":
            assert decisions[a.guid] == StoryDecision(a.guid, "new")


def test_decoys_never_merge(decisions: dict[str, StoryDecision]) -> None:
    label = {a.guid: a.story for a in WEEK}
    members: dict[Hashable, set[str]] = {}
    for a in WEEK:
        members.setdefault(decisions[a.guid].story_id, set()).add(label[a.guid])
    for a in WEEK:
        if a.decoy:
            assert members[decisions[a.guid].story_id] == {a.story}, a.title


@pytest.mark.parametrize("family", ["unfall", "radar", "brand-herne", "vermisst", "einbruch"])
def test_look_alikes_stay_apart_whatever_the_order(family: str) -> None:
    group = [a for a in WEEK if a.family == family and a.relation == "new"]
    assert len(group) >= 2
    for order in (group, group[::-1]):
        decisions = assign_week(order)
        assert len({d.story_id for d in decisions.values()}) == len(group)


def test_an_all_clear_links_to_its_own_missing_person() -> None:
    lena, werner, jonas = (first_of(s) for s in ("s07", "d09", "d10"))
    found = next(a for a in WEEK if a.story == "d09" and a.kind == "update")
    decisions = assign_week([lena, werner, jonas, found])
    assert decisions[found.guid].story_id == werner.guid
    assert decisions[found.guid].relation == "update"


def test_an_article_older_than_the_window_is_no_candidate() -> None:
    release = first_of("s02")
    trimmed = next(a for a in WEEK if a.story == "s02" and a.kind == "trimmed")
    gap = datetime.fromisoformat(trimmed.published) - datetime.fromisoformat(release.published)
    for after, relation in ((WINDOW + timedelta(minutes=1), "new"), (WINDOW, "version")):
        index = StoryIndex()
        index.assign(story_article(release))
        decision = index.assign(story_article(trimmed, shift=after - gap))
        assert decision.relation == relation


def test_the_window_lets_old_articles_go() -> None:
    index = StoryIndex()
    for a in WEEK[:10]:
        index.assign(story_article(a))
    assert len(index) == 10
    last = WEEK[-1]
    index.assign(story_article(last, shift=timedelta(days=30)))
    assert len(index) == 1
    assert index.story_of(WEEK[0].guid) is None


def test_a_rebuilt_index_gives_the_stored_story_ids() -> None:
    release = first_of("s09")
    wire = next(a for a in WEEK if a.story == "s09" and a.kind == "rewrite")
    index = StoryIndex()
    index.remember(story_article(release), story_id=4711)
    decision = index.assign(story_article(wire))
    assert decision == StoryDecision(4711, "version", release.guid)


def test_an_article_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        StoryArticle(1, "police", "Titel", "Text", datetime(2023, 11, 6, 9, 0))
    assert StoryArticle(1, "police", "Titel", "Text", datetime(2023, 11, 6, tzinfo=UTC))


def test_a_decision_holds_a_known_relation_and_its_match() -> None:
    with pytest.raises(ValueError, match="relation"):
        StoryDecision(1, "duplicate", 2)
    with pytest.raises(ValueError, match="matches"):
        StoryDecision(1, "new", 2)
    with pytest.raises(ValueError, match="matches"):
        StoryDecision(1, "version")


def test_the_index_keeps_at_most_its_limit_the_oldest_leave_first() -> None:
    index = StoryIndex(most=5)
    for a in WEEK[:8]:
        index.assign(story_article(a))
    assert len(index) == 5
    assert index.story_of(WEEK[2].guid) is None
    assert all(index.story_of(a.guid) is not None for a in WEEK[3:8])


def test_an_article_of_the_poll_is_never_later_than_when_it_was_seen() -> None:
    seen = datetime(2023, 11, 9, 12, 0, tzinfo=UTC)
    future = NewArticle("g1", None, "Titel", seen + timedelta(days=400), body_markdown="Text")
    undated = NewArticle("g2", None, "Titel", None, summary="Nur die Zusammenfassung")
    past = NewArticle("g3", None, "Titel", seen - timedelta(hours=3), body_markdown="Text")
    assert StoryArticle.of_new_article(1, 7, future, seen).published == seen
    assert StoryArticle.of_new_article(2, 7, undated, seen).published == seen
    assert StoryArticle.of_new_article(2, 7, undated, seen).text == "Nur die Zusammenfassung"
    assert StoryArticle.of_new_article(3, 7, past, seen) == StoryArticle(
        3, 7, "Titel", "Text", seen - timedelta(hours=3)
    )
