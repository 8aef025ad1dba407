"""One feed's poll has a budget for the article pages of its summary-only entries (a count of
pages downloaded and a time): the entries over it are left for the next poll, which reads
the feed again and fetches their pages, and the feed's status says how many wait."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest

from newsroom_tui.ingest import article_pages
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import PollStatus
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store import SQLiteStore
from tests.fixture_server import FixtureServer

PAGE = (
    "<html><head><title>Meldung</title></head><body><article><h1>Meldung der Stadt Herne</h1>"
    + "<p>Die Stadt Herne informiert über die Sperrung der Bahnhofstraße ab Montag.</p>" * 8
    + "</article></body></html>"
)


def rss(links: list[str]) -> str:
    items = "".join(
        f"<item><title>Meldung {i}</title><link>{link}</link><guid>herne-{i}</guid>"
        f"<description>Kurz: Meldung {i}.</description></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Stadt Herne</title>{items}</channel></rss>"
    )


def slow(seconds: float) -> object:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        body = PAGE.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def with_page(store: SQLiteStore) -> set[str]:
    """Titles of the stored articles that carry their page's text."""
    titles = set()
    for summary in store.articles():
        article = store.article(summary.id)
        if article is not None and "ab Montag" in (article.body_markdown or ""):
            titles.add(article.title)
    return titles


async def test_slow_pages_over_the_time_budget_wait_for_the_next_poll(
    server: FixtureServer, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_pages, "PAGE_SECONDS_PER_POLL", 1.0)
    paths = [f"/meldung-{i}" for i in range(6)]
    server.add("/herne.rss", rss([server.url(p) for p in paths]), "application/rss+xml")
    for path in paths[:2]:
        server.add(path, PAGE)
    for path in paths[2:]:
        server.behaviours[path] = slow(20.0)  # far over the budget the poll enforces
    store.add_feed(server.url("/herne.rss"))

    report = await poll_feeds(store)
    [outcome] = report.outcomes
    assert outcome.status is PollStatus.UPDATED and not report.failed
    assert outcome.notice == "4 article pages left for the next poll"
    assert with_page(store) == {"Meldung 0", "Meldung 1"}
    assert len(store.articles()) == 2
    [feed] = store.feeds()
    assert feed.notice == "4 article pages left for the next poll"
    assert feed.etag is None and feed.last_modified is None  # the next poll reads it again

    for path in paths[2:]:  # the server is quick again
        del server.behaviours[path]
        server.add(path, PAGE)
    report = await poll_feeds(store)
    [outcome] = report.outcomes
    assert outcome.status is PollStatus.UPDATED and outcome.notice is None
    assert outcome.new_articles == 4
    assert with_page(store) == {f"Meldung {i}" for i in range(6)}


async def test_pages_over_the_count_wait_for_the_next_poll(
    server: FixtureServer, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_pages, "PAGES_PER_POLL", 3)
    paths = [f"/meldung-{i}" for i in range(5)]
    server.add("/herne.rss", rss([server.url(p) for p in paths]), "application/rss+xml")
    for path in paths:
        server.add(path, PAGE)
    store.add_feed(server.url("/herne.rss"))
    async with Fetcher() as fetcher:
        first = await poll_feeds(store, fetcher=fetcher)
        assert first.outcomes[0].notice == "2 article pages left for the next poll"
        assert first.outcomes[0].pages_fetched == 3
        assert with_page(store) == {"Meldung 0", "Meldung 1", "Meldung 2"}
        assert sum(len(server.requests_for(p)) for p in paths) == 3
        second = await poll_feeds(store, fetcher=fetcher)
    assert second.outcomes[0].new_articles == 2 and second.outcomes[0].notice is None
    assert with_page(store) == {f"Meldung {i}" for i in range(5)}


async def test_pages_that_fail_at_once_do_not_count(
    server: FixtureServer, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 404 costs no page of the budget: every entry is stored, with its teaser."""
    monkeypatch.setattr(article_pages, "PAGES_PER_POLL", 2)
    links = [server.url(f"/fehlt-{i}") for i in range(8)]
    server.add("/herne.rss", rss(links), "application/rss+xml")
    store.add_feed(server.url("/herne.rss"))
    report = await poll_feeds(store)
    assert report.outcomes[0].new_articles == 8 and report.outcomes[0].notice is None
