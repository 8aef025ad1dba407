"""ETag and Last-Modified are network text too: a server that sends them with non-ASCII bytes
must not break the conditional GET of every later poll (httpx refuses to send such a header)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import PollStatus
from newsroom_tui.net.fetcher import usable_validator
from newsroom_tui.store import SQLiteStore
from newsroom_tui.store.base import FeedUpdate
from tests.fetcher_kinds import KINDS, fetcher_of, poll_client
from tests.fixture_server import FixtureServer

__all__ = ["poll_client"]  # a fixture

RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Polizei Bochum'
    "</title><item><title>Unfall auf der A43</title><guid>pol-1</guid>"
    "<description><![CDATA[<p>Ein Lkw ist umgekippt.</p>]]></description></item>"
    "</channel></rss>"
)


@pytest.fixture
def odd_validators(server: FixtureServer) -> str:
    server.add("/polizei.rss", RSS, "application/rss+xml")
    route = server.routes["/polizei.rss"]
    route.etag = '"Meldung-Größe-1"'  # sent as Latin-1 bytes
    route.last_modified = "Mo, 03 März 2025 10:00:00 GMT"
    return server.url("/polizei.rss")


@pytest.mark.parametrize("kind", KINDS)
async def test_non_ascii_validators_are_not_kept(odd_validators: str, kind: str) -> None:
    async with fetcher_of(kind) as fetcher:
        result = await fetcher.get(odd_validators)
        again = await fetcher.get(
            odd_validators, etag=result.etag, last_modified=result.last_modified
        )
    assert result.content and result.etag is None and result.last_modified is None
    assert again.status == 200


async def test_every_later_poll_of_such_a_feed_works(
    odd_validators: str, server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    store.add_feed(odd_validators)
    for _ in range(3):
        report = await poll_feeds(store)
        assert not report.failed, report.failed[0].error
    assert [a.title for a in store.articles()] == ["Unfall auf der A43"]
    assert len(server.requests_for("/polizei.rss")) == 3


async def test_a_cache_holding_such_validators_polls_again(
    odd_validators: str, store: SQLiteStore, poll_client: str
) -> None:
    """A cache written before the rule holds the server's non-ASCII ETag: it is not sent."""
    feed, _ = store.add_feed(odd_validators)
    update = FeedUpdate(datetime.now(UTC), etag='"Größe"', last_modified="März")
    store.save_feed_update(feed.id, update)
    report = await poll_feeds(store)
    assert not report.failed, report.failed[0].error
    assert report.outcomes[0].status is PollStatus.UPDATED


@pytest.mark.parametrize(
    ("value", "usable"),
    [
        ('"abc-123"', True),
        ('W/"5f3e-Ab"', True),
        ("Mon, 03 Mar 2025 10:00:00 GMT", True),
        ('"Größe"', False),
        ('"a\x00b"', False),
        ('"a\nb"', False),
        ("", False),
        (None, False),
        ('"' + "a" * 5000 + '"', False),
    ],
)
def test_usable_validator(value: str | None, usable: bool) -> None:
    assert usable_validator(value) == (value if usable else None)
