"""A re-poll parses ordinary RSS/Atom in the polling process and hands everything else to a
worker process; the entity guard, the depth limit and the deadline hold in both."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.ingest import repoll_parse, worker_pool
from newsroom_tui.ingest.poll_jobs import ordinary_parse_job, parse_job
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.ingest.repoll_parse import HERE_MAX_BYTES, parse_for_repoll
from newsroom_tui.ingest.worker_pool import WorkerError, Workers
from newsroom_tui.parse.entries import FeedParseError, ParsedFeed
from newsroom_tui.parse.listing_page import PageRules
from newsroom_tui.store import SQLiteStore
from tests.fixture_server import FixtureServer
from tests.test_hostile_xml import LOL, feed

URL = "http://127.0.0.1/presse/feed.xml"


def rss(items: list[tuple[str, str]], *, extra: str = "") -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        "<pubDate>Tue, 09 May 2023 10:15:00 +0200</pubDate>"
        f"<description>Die Stadt Herne informiert: {title}</description>{extra}</item>"
        for title, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Stadt Herne – Pressemeldungen</title>{body}</channel></rss>"
    ).encode()


ORDINARY = rss([("Straßenfest in Wanne", "/meldungen/1"), ("Bürgerbüro geschlossen", "/m/2")])
RDF = (
    b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns="http://purl.org/rss/1.0/"><channel><title>Polizei Bochum</title></channel>'
    b"<item><title>Unfall auf der A40</title><link>http://127.0.0.1/p/1</link></item></rdf:RDF>"
)
JSON_FEED = (
    b'{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne", "items":'
    b' [{"id": "1", "url": "http://127.0.0.1/j/1", "title": "M\\u00fcllabfuhr"}]}'
)


class CountingWorkers(Workers):
    """A thread pool that records which jobs went where."""

    def __init__(self) -> None:
        super().__init__(0)
        self.sent: list[str] = []
        self.here: list[str] = []

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        self.sent.append(fn.__name__)
        return await super().run(fn, *args)

    async def run_here(self, fn: Callable[..., Any], *args: Any) -> Any:
        self.here.append(fn.__name__)
        return await super().run_here(fn, *args)


async def test_ordinary_feed_is_parsed_without_a_worker() -> None:
    workers = CountingWorkers()
    parsed = await parse_for_repoll(workers, ORDINARY, URL, "application/rss+xml", None)
    assert workers.sent == []
    assert parsed == parse_job(ORDINARY, URL, "application/rss+xml")
    assert [e.url for e in parsed.entries] == [
        "http://127.0.0.1/meldungen/1",
        "http://127.0.0.1/m/2",
    ]
    published = parsed.entries[0].published
    assert published is not None and published.utcoffset() is not None
    assert published.utcoffset().total_seconds() == 7200  # the feed's own offset


def _deep(levels: int) -> bytes:
    """An ordinary feed but for one item holding ``levels`` nested elements of a namespace
    nobody reads (the fast path passes over them)."""
    nested = "<x:t>" * levels + "tief" + "</x:t>" * levels
    return rss([("Tiefbauamt", "/t/1")], extra=f'<x:a xmlns:x="urn:x-herne">{nested}</x:a>')


async def test_a_nested_feed_within_the_depth_limit_is_parsed_here() -> None:
    workers = CountingWorkers()
    parsed = await parse_for_repoll(workers, _deep(100), URL, None, None)
    assert workers.sent == [] and [e.title for e in parsed.entries] == ["Tiefbauamt"]


@pytest.mark.parametrize(
    ("name", "data", "page"),
    [
        ("RSS 1.0", RDF, None),
        ("JSON Feed", JSON_FEED, None),
        ("a DTD", ORDINARY.replace(b"<rss", b"<!DOCTYPE rss><rss", 1), None),
        ("deeper than lxml's limit", _deep(5000), None),
        ("a listing page", b"<html><body><ul><li>Meldung</li></ul></body></html>", "page"),
        ("over the size", rss([("Meldung " + "ä" * 400, f"/m/{i}") for i in range(1500)]), None),
    ],
)
async def test_what_needs_more_goes_to_a_worker(name: str, data: bytes, page: str | None) -> None:
    rules = PageRules() if page else None
    assert name != "over the size" or len(data) > HERE_MAX_BYTES
    workers = CountingWorkers()
    with contextlib.suppress(FeedParseError):  # the worker's answer: what matters is who gave it
        await parse_for_repoll(workers, data, URL, None, rules)
    assert workers.sent == ["parse_job"]


async def test_entity_attacks_are_refused_in_the_polling_process() -> None:
    workers = CountingWorkers()
    with pytest.raises(FeedParseError, match=r"^refused: "):
        await parse_for_repoll(workers, feed(LOL, "lol9"), URL, "application/rss+xml", None)
    assert workers.sent == [] and workers.here == ["ordinary_parse_job"]


async def test_a_stuck_job_in_the_polling_process_fails_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_pool, "WORK_DEADLINE", 0.05)
    release = threading.Event()
    try:
        with pytest.raises(WorkerError, match="longer than"):
            await Workers(2).run_here(release.wait, 60)
    finally:
        release.set()


async def test_repoll_of_changed_and_hostile_feeds(
    server: FixtureServer, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each feed is read in the polling process on its second poll: the new entry of a changed
    feed is stored once, a feed that turned into an entity attack fails alone."""
    here: list[str] = []

    def counted(data: bytes, url: str, content_type: str | None) -> ParsedFeed | None:
        here.append(url)
        return ordinary_parse_job(data, url, content_type)

    monkeypatch.setattr(repoll_parse, "ordinary_parse_job", counted)
    base = server.base
    first = [("Straßenfest in Wanne", f"{base}/m/1")]
    for name in ("herne", "bochum"):
        server.add(f"/{name}.xml", rss(first), "application/rss+xml")
        store.add_feed(server.url(f"/{name}.xml"))
    assert (await poll_feeds(store)).new_articles == 2
    server.add("/herne.xml", rss([*first, ("Bürgerbüro", f"{base}/m/2")]), "application/rss+xml")
    server.add("/bochum.xml", feed(LOL, "lol9", base=base), "application/rss+xml")
    report = await poll_feeds(store)
    assert report.new_articles == 1
    assert [o.error for o in report.failed] == [
        "refused: the feed declares nested or oversized XML entities (entity expansion)"
    ]
    assert sorted(here) == [server.url("/bochum.xml"), server.url("/herne.xml")]
    assert sorted(a.title for a in store.articles()) == [
        "Bürgerbüro",
        "Straßenfest in Wanne",
        "Straßenfest in Wanne",
    ]


_TEXT = st.text(alphabet="aäöüßÄ &<>;#x0123/:.-Herne", max_size=30)


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(_TEXT, min_size=1, max_size=5), link=_TEXT, atom=st.booleans())
def test_here_and_in_a_worker_give_the_same_entries(
    titles: list[str], link: str, atom: bool
) -> None:
    from html import escape

    if atom:
        entries = "".join(
            f"<entry><title type='html'>{escape(t)}</title><id>{escape(link)}{i}</id>"
            f"<link href='{escape(link)}'/><updated>2025-03-01T04:56:00+01:00</updated></entry>"
            for i, t in enumerate(titles)
        )
        data = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>Herne</title>{entries}</feed>"
    else:
        data = rss([(escape(t), escape(link)) for t in titles]).decode()
    got = asyncio.run(parse_for_repoll(CountingWorkers(), data.encode(), URL, None, None))
    assert got == parse_job(data.encode(), URL, None)
