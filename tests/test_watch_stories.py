"""Watchlists and stories on both backends: a watchlist alerts once per story (its later
versions are matched and listed, never alerted again), and the story of an article is
decided before the watchlists see it, also within one write."""

from __future__ import annotations

from datetime import datetime, timedelta

from newsroom_tui.ingest import story_assignment
from newsroom_tui.models import ArticleSummary, NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, Store
from newsroom_tui.watch.on_arrival import match_new_articles
from newsroom_tui.watch.watchlist import checked_watchlist
from newsroom_tui.watch_records import WatchMatch
from tests.story_set import LabelledArticle, load


def _week() -> dict[tuple[str, str], LabelledArticle]:
    """The labelled week's articles by (story, kind)."""
    return {(a.story, a.kind): a for a in load()}


def _update(article: LabelledArticle) -> FeedUpdate:
    when = datetime.fromisoformat(article.published)
    art = NewArticle(article.guid, article.guid, article.title, when, "", article.text)
    return FeedUpdate(when + timedelta(minutes=1), articles=[art])


def _ready(store: Store, feeds: tuple[str, ...]) -> dict[str, int]:
    """Stories decided as a poll on the evening of 7 November 2023 does; the feeds' ids."""
    story_assignment.attach(store, datetime.fromisoformat("2023-11-07T23:00:00+01:00"))
    ids = {}
    for name in feeds:
        feed, _ = store.add_feed(f"http://127.0.0.1/stories/{name}.rss", name.title())
        ids[name] = feed.id
    return ids


def _heard(store: Store) -> list[WatchMatch]:
    found: list[WatchMatch] = []
    store.on_watch_match(found.extend)
    return found


def test_a_watchlist_alerts_once_per_story_not_once_per_version(any_store: Store) -> None:
    week = _week()
    feeds = _ready(any_store, ("police", "paper", "radio"))
    any_store.add_watchlist(checked_watchlist("Tankstellen", "Tankstelle", flag=True))
    heard = _heard(any_store)

    release = week["s01", "release"]
    any_store.save_feed_update(feeds["police"], _update(release), after_save=match_new_articles)
    assert [m.title for m in heard] == [release.title]
    # the paper's reprint and the radio's retelling join the story: matched, not alerted
    for feed, kind in (("paper", "trimmed"), ("radio", "retold")):
        any_store.save_feed_update(
            feeds[feed], _update(week["s01", kind]), after_save=match_new_articles
        )
    assert [m.title for m in heard] == [release.title]
    listed = any_store.articles(ArticleFilter(watchlist="Tankstellen"))
    told = ("release", "trimmed", "retold")
    assert {a.url for a in listed} == {week["s01", k].guid for k in told}
    assert len({a.story_id for a in listed}) == 1
    # the watchlist's flag holds for every version, as the first one's did
    assert all(a.flagged for a in listed)
    # another story of the same words alerts: once per story, not once per watchlist
    any_store.add_watchlist(checked_watchlist("Wattenscheid", "Wattenscheid"))
    built_on = week["s01", "built-on"]
    any_store.save_feed_update(feeds["paper"], _update(built_on), after_save=match_new_articles)
    assert [(m.watchlist.name, m.title) for m in heard[1:]] == [("Wattenscheid", built_on.title)]


def test_two_versions_in_one_write_alert_once(any_store: Store) -> None:
    """The story ids are decided before the watchlists see the articles: a release and its
    reprint stored in one transaction alert once, and a story apart alerts by itself."""
    week = _week()
    feeds = _ready(any_store, ("police", "paper"))
    any_store.add_watchlist(checked_watchlist("Blaulicht", "Tankstelle OR Fußgängerin"))
    heard = _heard(any_store)
    release, trimmed = week["s01", "release"], week["s01", "trimmed"]
    other = week["s02", "release"]
    police = _update(release)
    police = FeedUpdate(police.polled_at, articles=[*police.articles, *_update(other).articles])
    any_store.save_feed_updates(
        [(feeds["paper"], _update(trimmed)), (feeds["police"], police)],
        after_save=match_new_articles,
    )
    titles = sorted(m.title for m in heard)
    assert len(titles) == 2 and other.title in titles
    assert {release.title, trimmed.title} & set(titles)
    assert len(any_store.articles(ArticleFilter(watchlist="Blaulicht"))) == 3


def test_an_update_of_a_claimed_story_is_claimed_for_its_claimer(any_store: Store) -> None:
    """The police's "wohlbehalten angetroffen" joins the missing-person story anna claimed
    (by its reprint): it is claimed for anna in the write that stores it; a further version
    is not, and an update of a story nobody claimed stays free."""
    week = {(a.story, a.feed, a.kind): a for a in load()}
    feeds = _ready(any_store, ("police", "paper", "radio"))

    def save(*keys: tuple[str, str, str]) -> dict[str, ArticleSummary]:
        for key in keys:
            any_store.save_feed_update(feeds[key[1]], _update(week[key]))
        return {a.url or "": a for a in any_store.articles()}

    story_assignment.attach(any_store, datetime.fromisoformat("2023-11-08T12:00:00+01:00"))
    stored = save(("s07", "police", "release"), ("s07", "paper", "trimmed"))
    any_store.claim(stored[week["s07", "paper", "trimmed"].guid].id)
    stored = save(("s07", "radio", "retold"), ("s07", "police", "update"))
    release = stored[week["s07", "police", "release"].guid]
    found = stored[week["s07", "police", "update"].guid]
    assert found.story_id == release.id
    assert [v.relation for v in any_store.story_versions(release.id)][-1] == "update"
    assert found.claimed_by == "anna"
    assert stored[week["s07", "radio", "retold"].guid].claimed_by is None
    assert release.claimed_by is None

    story_assignment.attach(any_store, datetime.fromisoformat("2023-11-11T23:00:00+01:00"))
    stored = save(("s11", "police", "release"), ("s11", "police", "update"))
    correction = stored[week["s11", "police", "update"].guid]
    assert correction.story_id == stored[week["s11", "police", "release"].guid].id
    assert correction.claimed_by is None
