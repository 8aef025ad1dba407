"""Stories decided by the poll: the labelled week's five feeds polled from the loopback
server group as labelled on both backends (decoys apart), a poll's story index is rebuilt
from the store, the command line shows stories, and an older cache migrates."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest import story_assignment
from newsroom_tui.ingest.poller import poll_feed, poll_feeds
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store import Store, open_store
from newsroom_tui.store.migrations import SCHEMA_VERSION
from newsroom_tui.stories import StoryArticle, StoryIndex
from tests.fixture_server import FixtureServer
from tests.story_feeds import FEED_TITLES, rss
from tests.story_set import FEEDS, LabelledArticle, load


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Polls start at ``moment`` (the week is of 2023: an article published more than 48
    hours before its poll stands alone)."""
    monkeypatch.setattr(story_assignment, "clock", lambda: moment)


async def _poll_week(
    store: Store, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> dict[str, tuple[int, int]]:
    """Poll the labelled week as it came: one feed polled as each article appears (in order
    of publication, a minute later). Each labelled guid's (article id, story id)."""
    week = load()
    feeds = {}
    for feed in FEEDS:
        feeds[feed], _ = store.add_feed(server.url(f"/stories/{feed}.rss"), FEED_TITLES[feed])
    async with Fetcher() as fetcher:
        for n, article in enumerate(week):
            so_far = [a for a in week[: n + 1] if a.feed == article.feed]
            server.add(f"/stories/{article.feed}.rss", rss(FEED_TITLES[article.feed], so_far))
            feed = store.feed(feeds[article.feed].id)
            assert feed is not None
            _at(monkeypatch, datetime.fromisoformat(article.published) + timedelta(minutes=1))
            outcome = await poll_feed(store, feed, fetcher)
            assert outcome.new_articles == 1, outcome
    stored = {a.url: (a.id, a.story_id) for a in store.articles()}
    return {a.guid: stored[a.guid] for a in week}


def _matched_alone(week: list[LabelledArticle]) -> dict[str, str]:
    """The stories the matcher alone gives the week's texts, in the same order."""
    index = StoryIndex()
    return {
        a.guid: str(
            index.assign(
                StoryArticle(a.guid, a.feed, a.title, a.text, datetime.fromisoformat(a.published))
            ).story_id
        )
        for a in week
    }


def _wrong_pairs(story: dict[str, int]) -> list[tuple[str, str]]:
    """Pairs of the week put together though labelled apart, or apart though labelled one."""
    return [
        (a.guid, b.guid)
        for a, b in combinations(load(), 2)
        if (a.story == b.story) != (story[a.guid] == story[b.guid])
    ]


async def test_a_poll_of_the_week_groups_its_stories_as_labelled(
    any_store: Store, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = await _poll_week(any_store, server, monkeypatch)
    story = {guid: story_id for guid, (_, story_id) in stored.items()}
    week = load()
    # as the matcher alone groups the week (tests/test_stories_matching.py, bench_stories)
    alone = _matched_alone(week)
    assert [
        (a.guid, b.guid)
        for a, b in combinations(week, 2)
        if (alone[a.guid] == alone[b.guid]) != (story[a.guid] == story[b.guid])
    ] == []
    # nothing put together that is labelled apart; of the pairs labelled one story, those
    # the matcher leaves apart are the hard ones it cannot tell (an update without a marker)
    wrong = _wrong_pairs(story)
    assert all(story[a] != story[b] for a, b in wrong)
    by_guid = {a.guid: a for a in week}
    assert all("hard" in (by_guid[a].pair, by_guid[b].pair) for a, b in wrong)
    # the decoys stand apart: each is a story of its own
    for decoy in (a for a in week if a.decoy and a.relation == "new"):
        assert story[decoy.guid] == stored[decoy.guid][0]
    # a story's id is the id of one of its articles
    ids = {article_id for article_id, _ in stored.values()}
    assert set(story.values()) <= ids
    # every story told more than once is listed, with all its versions
    told = defaultdict(set)
    for a in week:
        told[story[a.guid]].add(stored[a.guid][0])
    listed = {s.id: {v.article.id for v in s.versions} for s in any_store.stories(None)}
    assert listed == {sid: members for sid, members in told.items() if len(members) > 1}
    relations = {v.relation for s in any_store.stories(None) for v in s.versions}
    assert relations == {"new", "version", "update"}


async def test_a_later_process_rebuilds_the_index_from_the_store(
    data_dir: Path, server: FixtureServer
) -> None:
    """A retelling polled by a later newsroom (a new process, its index made from the
    store) joins the story the police's release started in an earlier one."""
    week = load()
    police = next(a for a in week if a.story == "s01" and a.kind == "release")
    retold = next(a for a in week if a.story == "s01" and a.kind == "retold")
    # the two moved to the last hours: within 48 hours of the poll
    shift = datetime.now(UTC) - timedelta(hours=1) - datetime.fromisoformat(retold.published)

    def moved(a: LabelledArticle) -> LabelledArticle:
        when = datetime.fromisoformat(a.published) + shift
        return dataclasses.replace(a, published=when.isoformat())

    server.add("/p.rss", rss("Polizei Bochum", [moved(police)]), "application/rss+xml")
    server.add("/r.rss", rss("Radio Bochum", [moved(retold)]), "application/rss+xml")
    first = open_store(data_dir)
    try:
        first.add_feed(server.url("/p.rss"), "Polizei Bochum")
        await poll_feeds(first)
    finally:
        first.close()
    later = open_store(data_dir)
    try:
        later.add_feed(server.url("/r.rss"), "Radio Bochum")
        await poll_feeds(later)
        by_url = {a.url: a for a in later.articles()}
        assert by_url[retold.guid].story_id == by_url[police.guid].id
        versions = later.story_versions(by_url[police.guid].id)
        assert [(v.article.id, v.relation) for v in versions] == [
            (by_url[police.guid].id, "new"),
            (by_url[retold.guid].id, "version"),
        ]
    finally:
        later.close()


def test_the_command_line_shows_stories(
    data_dir: Path,
    server: FixtureServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    store = open_store(data_dir)
    try:
        stored = asyncio.run(_poll_week(store, server, monkeypatch))
    finally:
        store.close()
    week = load()
    base = ["--data-dir", str(data_dir)]
    capsys.readouterr()
    assert main([*base, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {row["id"]: row["story"] for row in listed} == dict(stored.values())

    release = next(a for a in week if a.story == "s01" and a.relation == "new")
    article_id, story_id = stored[release.guid]
    others = {stored[a.guid][0] for a in week if a.story == "s01"} - {article_id}
    assert others
    assert main([*base, "show", str(article_id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["story"] == story_id
    assert {v["id"] for v in shown["versions"]} == others
    assert {v["relation"] for v in shown["versions"]} <= {"new", "version", "update"}
    assert all(v["feed"] in FEED_TITLES.values() for v in shown["versions"])

    assert main([*base, "search", release.title.split()[-1], "--json"]) == 0
    assert all("story" in row for row in json.loads(capsys.readouterr().out))

    assert main([*base, "stories", "--json", "--limit", "3"]) == 0
    stories = json.loads(capsys.readouterr().out)
    assert len(stories) == 3
    for s in stories:
        assert len(s["versions"]) > 1 and s["first"] == s["versions"][0]
        assert s["sources"] == len({v["feed"] for v in s["versions"]})

    assert main([*base, "stories", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = stories[0]
    assert lines[0].startswith(f"{first['sources']} sources · first: {first['first']['feed']} ")
    assert lines[0].endswith(f" · {first['first']['title']}")
    assert len(lines) == 1 + len(first["versions"])
    assert all(line.startswith("  ") for line in lines[1:])
    assert main([*base, "stories", "--limit", "-1"]) == 2


def test_an_older_cache_gets_stories_of_one(data_dir: Path) -> None:
    """A cache of schema 11 (before stories): every article becomes a story of its own."""
    from tests.hostile_third_faults_site import cache_at_version

    path = data_dir / "newsroom.sqlite3"
    data_dir.mkdir(parents=True, exist_ok=True)
    cache_at_version(path, 11, articles=5)
    store = open_store(data_dir)
    try:
        assert store._query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert [(a.story_id == a.id) for a in store.articles()] == [True] * 5
        assert store.stories(None) == []
        assert {r[0] for r in store._query("SELECT story_relation FROM articles")} == {"new"}
    finally:
        store.close()
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert "articles_story_order" in indexes


def test_a_save_that_does_not_commit_makes_the_poll_forget_its_decisions(data_dir: Path) -> None:
    """The ids of a write that rolled back are given to other articles: the index made
    with them is dropped and made again from the store at the next write."""
    from newsroom_tui.ingest.story_assignment import PollStories
    from newsroom_tui.models import NewArticle
    from newsroom_tui.store import FeedUpdate

    store = open_store(data_dir)
    loads: list[int] = []
    failing = [False]

    class Failing(PollStories):
        def decide(self, arrivals):  # type: ignore[no-untyped-def]
            decided = super().decide(arrivals)
            if failing[0]:
                raise RuntimeError("the disk went away")
            return decided

    def load(after: int) -> list:
        loads.append(after)
        return store.story_window(datetime.now(UTC), timedelta(hours=48), 100, after)

    store.story_assigner = Failing(load, datetime(2026, 12, 1, tzinfo=UTC))
    feed, _ = store.add_feed("http://127.0.0.1/presse/polizei-bochum.rss", "Polizei Bochum")
    when = datetime(2026, 12, 7, 8, 14, tzinfo=UTC)

    def update(guid: str) -> FeedUpdate:
        text = f"Bochum (ots) - In Wattenscheid brannte am Montag ein Gartenhaus ({guid})."
        article = NewArticle(guid, None, "Gartenhausbrand", when, "", text)
        return FeedUpdate(when, articles=[article])

    try:
        store.save_feed_update(feed.id, update("eins"))
        assert loads == [0]
        failing[0] = True
        with pytest.raises(RuntimeError):
            store.save_feed_update(feed.id, update("zwei"))
        failing[0] = False
        store.save_feed_update(feed.id, update("drei"))
        assert loads == [0, 0]  # made again from the store, without "zwei"
        rows = store.articles()
        assert sorted(a.title for a in rows) == ["Gartenhausbrand"] * 2
        assert all(a.story_id is not None for a in rows)
    finally:
        store.close()


async def test_a_later_poll_takes_in_what_another_process_stored(
    data_dir: Path, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's poll keeps its index from one poll to the next; a cron poll beside it
    stored a release meanwhile: the reader's next poll takes it in (and only it), and the
    paper's reprint of it joins its story."""
    week = load()
    release = next(a for a in week if a.story == "s01" and a.kind == "release")
    reprint = next(a for a in week if a.story == "s01" and a.kind in ("reprint", "trimmed"))
    _at(monkeypatch, datetime.fromisoformat(reprint.published) + timedelta(hours=1))
    reader, cron = open_store(data_dir), open_store(data_dir)
    try:
        loads: list[int] = []
        window = reader.story_window

        def counted(now, span, most, after=0):  # type: ignore[no-untyped-def]
            found = window(now, span, most, after)
            loads.append(len(found))
            return found

        reader.story_window = counted  # type: ignore[method-assign]
        paths = {}
        for feed, title in (("police", "Polizei Bochum"), ("paper", "WAZ Bochum")):
            paths[feed] = f"/stories/{feed}.rss"
            server.add(paths[feed], rss(title, []), "application/rss+xml")
            reader.add_feed(server.url(paths[feed]), title)
        other = next(a for a in week if a.story == "s02" and a.feed == "paper")
        server.add(paths["paper"], rss("WAZ Bochum", [other]), "application/rss+xml")
        await poll_feeds(reader)  # the index is made (nothing stored before)
        server.add(paths["police"], rss("Polizei Bochum", [release]), "application/rss+xml")
        await poll_feeds(cron)  # another process: stories decided by its own index
        server.add(paths["paper"], rss("WAZ Bochum", [other, reprint]), "application/rss+xml")
        await poll_feeds(reader)
        by_url = {a.url: a for a in reader.articles()}
        assert by_url[reprint.guid].story_id == by_url[release.guid].id
        assert by_url[other.guid].story_id == by_url[other.guid].id
        assert loads == [0, 1]  # made once; then the cron poll's release alone taken in
    finally:
        reader.close()
        cron.close()


async def test_an_article_of_more_than_48_hours_before_the_poll_stands_alone(
    store: Store, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first poll brings weeks of each feed's history: those are not compared (a
    thousand feeds' history took minutes of CPU); what is newer is."""
    week = load()
    release = next(a for a in week if a.story == "s01" and a.kind == "release")
    reprint = next(a for a in week if a.story == "s01" and a.kind in ("reprint", "trimmed"))
    server.add("/p.rss", rss("Polizei Bochum", [release]), "application/rss+xml")
    server.add("/w.rss", rss("WAZ Bochum", [reprint]), "application/rss+xml")
    store.add_feed(server.url("/p.rss"), "Polizei Bochum")
    store.add_feed(server.url("/w.rss"), "WAZ Bochum")
    _at(monkeypatch, datetime.fromisoformat(reprint.published) + timedelta(hours=49))
    await poll_feeds(store)
    assert all(a.story_id == a.id for a in store.articles())


def test_the_articles_of_one_write_are_decided_not_taken_in_as_stored(any_store: Store) -> None:
    """The team database's reads see the write under way: the articles being decided must
    not be in the index already, each as a story of its own (the release then became a
    version of its own reprint)."""
    from newsroom_tui.models import NewArticle
    from newsroom_tui.store import FeedUpdate

    week = load()
    release = next(a for a in week if a.story == "s01" and a.kind == "release")
    reprint = next(a for a in week if a.story == "s01" and a.kind in ("reprint", "trimmed"))
    seen = datetime.fromisoformat(reprint.published) + timedelta(minutes=5)
    story_assignment.attach(any_store, seen)
    updates = []
    for labelled, title in ((release, "Polizei Bochum"), (reprint, "WAZ Bochum")):
        feed, _ = any_store.add_feed(f"http://127.0.0.1/{labelled.feed}.rss", title)
        art = NewArticle(
            labelled.guid,
            labelled.guid,
            labelled.title,
            datetime.fromisoformat(labelled.published),
            "",
            labelled.text,
        )
        updates.append((feed.id, FeedUpdate(seen, articles=[art])))
    any_store.save_feed_updates(updates)
    by_url = {a.url: a for a in any_store.articles()}
    first = by_url[release.guid].id
    assert [(v.article.id, v.relation) for v in any_store.story_versions(first)] == [
        (first, "new"),
        (by_url[reprint.guid].id, "version"),
    ]


async def test_a_first_poll_makes_features_only_for_the_articles_it_compares(
    data_dir: Path, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first poll's history from before the 48 hours stands alone: its workers read no
    features of it (half a millisecond an article, most of a thousand feeds' first poll),
    and the stories come out as when every article had them."""
    from newsroom_tui.ingest import poll_jobs
    from newsroom_tui.stories import features

    week = load()
    chosen = ("police", "paper", "wire")
    for feed in chosen:
        items = [a for a in week if a.feed == feed]
        server.add(f"/stories/{feed}.rss", rss(FEED_TITLES[feed], items), "application/rss+xml")
    moment = datetime.fromisoformat(week[-1].published) + timedelta(hours=1)
    compared = [
        a
        for a in week
        if a.feed in chosen and datetime.fromisoformat(a.published) >= moment - timedelta(hours=48)
    ]
    older = sum(1 for a in week if a.feed in chosen) - len(compared)
    assert compared and older  # both kinds in the poll

    made: list[str] = []
    feature_row = features.feature_row

    def counted(title: str, text: str) -> features.FeatureRow:
        made.append(title)
        return feature_row(title, text)

    monkeypatch.setattr(features, "feature_row", counted)

    async def poll(where: Path) -> dict[str, tuple[str | None, str]]:
        _at(monkeypatch, moment)
        store = open_store(where)
        try:
            # one feed after another (in this process), in the same order each time: a
            # story's first article is the first stored
            async with Fetcher() as fetcher:
                for name in chosen:
                    feed, _ = store.add_feed(server.url(f"/stories/{name}.rss"), FEED_TITLES[name])
                    # the pages of these summaries are not on the loopback server
                    await poll_feed(store, dataclasses.replace(feed, full_page="never"), fetcher)
            articles = store.articles()
            by_id = {a.id: a.url for a in articles}
            return {
                str(a.url): (by_id[a.story_id] if a.story_id is not None else None, a.title)
                for a in articles
            }
        finally:
            store.close()

    stories = await poll(data_dir / "now")
    assert sorted(made) == sorted(a.title for a in compared)
    # every article with its features, as before
    every = poll_jobs.add_feature_rows
    monkeypatch.setattr(poll_jobs, "add_feature_rows", lambda items, since=None: every(items))
    assert await poll(data_dir / "every") == stories
    assert len(stories) == older + len(compared)
    assert any(story != url for url, (story, _) in stories.items())  # some stories formed
