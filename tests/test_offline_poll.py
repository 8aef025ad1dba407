"""A poll made offline backs no feed off: when no feed could be reached for a reason of this
machine (network unreachable, no route, no name resolved), each keeps its error and is tried
again at the next poll; a server that refuses while others answer still backs off."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.account_side import AccountSync, synced
from newsroom_tui.ingest.poller import BACKOFF_FIRST, poll_feeds
from newsroom_tui.models import PollStatus
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store import SQLiteStore, open_store
from newsroom_tui.sync.transport import SyncHttp
from tests.fetcher_kinds import poll_client
from tests.fixture_server import FixtureServer

__all__ = ["poll_client"]  # a fixture

FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Stadt Herne</title>'
    "<item><title>Straßensperrung in der Bahnhofstraße</title>"
    "<link>http://www.herne.de/meldungen/sperrung.html</link>"
    '<guid isPermaLink="false">herne-1</guid><description>Umleitung über die '
    "Hauptstraße.</description></item></channel></rss>"
)
# connect() to the broadcast address fails at once with "network unreachable": what every
# address gives on a machine without network (no packet leaves)
NO_NETWORK = "http://255.255.255.255:8799"
UNREACHABLE = "cannot connect: network unreachable for 255.255.255.255"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed when the block ends: nobody listens


async def test_polls_without_network_back_no_feed_off(store: SQLiteStore, poll_client: str) -> None:
    for path in ("/stadt.rss", "/polizei.rss", "/feuerwehr.rss"):
        store.add_feed(NO_NETWORK + path)
    for _ in range(2):  # the reader opened twice without network
        report = await poll_feeds(store)
        assert report.no_network and report.offline
        assert [o.status for o in report.outcomes] == [PollStatus.FAILED] * 3
        assert all(o.retry_after is None for o in report.outcomes)
    for feed in store.feeds():  # the error kept, no wait, no failure counted against the feed
        assert (feed.error, feed.retry_after, feed.failures) == (UNREACHABLE, None, 0)
        assert feed.last_error_at is not None
    third = await poll_feeds(store)
    assert not third.skipped and len(third.polled) == 3  # every feed tried again


async def test_an_unreachable_feed_backs_off_while_others_answer(
    server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    server.add("/herne.rss", FEED, "application/rss+xml")
    store.add_feed(server.url("/herne.rss"))
    gone, _ = store.add_feed(NO_NETWORK + "/bochum.rss")  # the machine is online: its route
    for _ in range(2):
        report = await poll_feeds(store)
        assert not report.no_network
    (failed,) = report.failed
    assert failed.error == UNREACHABLE and failed.retry_after is not None
    stored = store.feed(gone.id)
    assert stored is not None and stored.failures == 2 and stored.waiting()
    assert stored.retry_after and stored.last_error_at
    assert stored.retry_after - stored.last_error_at == BACKOFF_FIRST


async def test_a_refusing_server_backs_off_while_others_answer(
    server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    server.add("/herne.rss", FEED, "application/rss+xml")
    store.add_feed(server.url("/herne.rss"))
    refusing, _ = store.add_feed(f"http://127.0.0.1:{_closed_port()}/feed.rss")
    for _ in range(2):
        report = await poll_feeds(store)
        assert report.new_articles == 0 or len(report.failed) == 1
    stored = store.feed(refusing.id)
    assert stored is not None and stored.failures == 2 and stored.waiting()
    assert stored.error == "cannot connect: connection refused by 127.0.0.1"


def _no_resolver(names: set[str]) -> httpx.MockTransport:
    """A network where ``names`` do not resolve and every other host answers the feed."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host in names:
            try:
                raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
            except OSError as exc:
                raise httpx.ConnectError(str(exc)) from exc
        return httpx.Response(200, text=FEED, headers={"Content-Type": "application/rss+xml"})

    return httpx.MockTransport(handler)


async def test_names_failing_for_all_feeds_is_offline(store: SQLiteStore) -> None:
    store.add_feed("http://www.herne.de/presse.rss")
    store.add_feed("http://www.polizei.nrw/bochum.rss")
    names = {"www.herne.de", "www.polizei.nrw"}
    async with Fetcher(transport=_no_resolver(names)) as fetcher:
        for _ in range(2):
            report = await poll_feeds(store, fetcher=fetcher)
            assert report.no_network
    assert [(f.failures, f.retry_after) for f in store.feeds()] == [(0, None), (0, None)]
    assert store.feeds()[0].error == "DNS failure: cannot resolve www.herne.de"


async def test_one_name_failing_while_others_answer_backs_off(store: SQLiteStore) -> None:
    store.add_feed("http://www.herne.de/presse.rss")
    gone, _ = store.add_feed("http://www.gibt-es-nicht.de/feed.rss")
    async with Fetcher(transport=_no_resolver({"www.gibt-es-nicht.de"})) as fetcher:
        for _ in range(2):
            report = await poll_feeds(store, fetcher=fetcher)
            assert not report.no_network
    stored = store.feed(gone.id)
    assert stored is not None and stored.failures == 2 and stored.waiting()


def test_fetch_says_offline_once_and_skips_nothing_next_time(
    data_dir: Path, capsys: pytest.CaptureFixture[str], poll_client: str
) -> None:
    store = open_store(data_dir)
    for path in ("/stadt.rss", "/polizei.rss", "/feuerwehr.rss"):
        store.add_feed(NO_NETWORK + path)
    store.close()
    for _ in range(2):  # cron, twice during the outage
        assert main(["--data-dir", str(data_dir), "fetch"]) == 1
        out, err = capsys.readouterr()
        assert out.strip() == "3 feeds polled, 0 new articles, 3 failed (offline)"
        assert err.strip() == f"offline: no feed could be reached ({UNREACHABLE}); none backed off"
    assert main(["--data-dir", str(data_dir), "fetch"]) == 1
    out, _ = capsys.readouterr()
    assert "skipped" not in out and out.startswith("3 feeds polled")


async def test_a_sync_server_out_of_reach_from_here_is_offline_too() -> None:
    """The account's failure says so as a feed's does: a poll made offline says "offline"
    once, the account's line included."""
    async with SyncHttp(timeout=5) as http:
        account = AccountSync("FreshRSS", NO_NETWORK + "/api/greader.php")
        await synced(account, _synced_nothing(http))
    assert account.error == UNREACHABLE and account.offline and account.network


async def _synced_nothing(http: SyncHttp) -> None:
    await http.request("GET", NO_NETWORK + "/api/greader.php")
