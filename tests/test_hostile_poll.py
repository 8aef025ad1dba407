"""Every kind of hostile feed polled at once beside a healthy one: the healthy one is stored
whole, each hostile one fails alone with one line (or is stored clean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.store import SQLiteStore
from tests.fetcher_kinds import KINDS, fetcher_of
from tests.fixture_server import FEED_PATH, FixtureServer
from tests.hostile_site import hostile_site, hostile_urls


@pytest.mark.parametrize("kind", KINDS)
async def test_hostile_feeds_fail_alone(
    server: FixtureServer, store: SQLiteStore, kind: str
) -> None:
    hostile_site(server)
    for url in hostile_urls(server):
        store.add_feed(url)
    async with fetcher_of(kind, timeout=2, deadline=3) as fetcher:
        report = await poll_feeds(store, fetcher=fetcher)
    outcome = {o.feed.url.rsplit("/", 1)[1]: o for o in report.outcomes}
    errors = {name: o.error or "" for name, o in outcome.items()}
    assert all("\n" not in e and "\x1b" not in e for e in errors.values())
    assert "no complete answer" in errors["slow.rss"] or "timed out" in errors["slow.rss"]
    assert "too large" in errors["endless.rss"]
    assert "too large" in errors["bomb.rss"]
    assert "redirect" in errors["loop.rss"]
    assert errors["error.rss"].startswith("HTTP 500")
    assert errors["busy.rss"].startswith("HTTP 429")
    assert "not a feed" in errors["page.rss"]
    assert "entit" in errors["entities.rss"]

    healthy = next(f for f in store.feeds() if f.url.endswith(FEED_PATH))
    titles = [a.title for a in store.articles() if a.feed_id == healthy.id]
    assert len(titles) == 3
    kim = next(a for a in store.articles() if a.title.startswith("Kommunales"))
    article = store.article(kim.id)
    assert article is not None and "Stadtteilzentrum Pluto" in article.body_markdown
    assert [c.count for c in article.credits] == [6]

    evil = next(a for a in store.articles() if a.title.startswith("Titel"))
    shown = store.article(evil.id)
    assert shown is not None
    assert "\x1b" not in shown.title + shown.body_markdown + shown.feed
    assert "[@click=app.quit]" in shown.title  # kept as text; the UI never parses it
    assert "file:" not in shown.body_markdown or "](file:" not in shown.body_markdown


def test_hostile_site_module_lists_every_case(tmp_path: Path) -> None:
    server = FixtureServer().start()
    hostile_site(server)
    urls = hostile_urls(server)
    assert len(urls) == 10 and len(set(urls)) == 10
    server.stop()
