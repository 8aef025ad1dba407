"""Hostile or broken servers: one clear line per kind of failure, Retry-After and back-off,
a per-host connection limit, and a broken feed never costs the others their articles."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.poller import BACKOFF_FIRST, BACKOFF_MAX, backoff, poll_feeds
from newsroom_tui.net.fetcher import MAX_RETRY_AFTER, FetchError, parse_retry_after
from newsroom_tui.store import SQLiteStore, open_store
from newsroom_tui.ui.app import NewsroomApp
from tests.fetcher_kinds import KINDS, fetcher_of, handled, poll_client
from tests.fixture_server import FixtureServer
from tests.pilot_waits import until

NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Stadt</title>'
    "<item><title>Meldung</title><link>http://feeds.example/a</link>"
    '<guid isPermaLink="false">m1</guid></item></channel></rss>'
)


__all__ = ["poll_client"]  # a fixture
each_fetcher = pytest.mark.parametrize("kind", KINDS)


async def fetch_error(
    handler: object, url: str = "http://feeds.example/feed", kind: str = "httpx"
) -> FetchError:
    async with handled(kind, handler, timeout=5, deadline=30) as fetcher:  # type: ignore[arg-type]
        with pytest.raises(FetchError) as info:
            await fetcher.get(url)
    assert "\n" not in str(info.value)
    return info.value


def raiser(exc: BaseException) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def wrapped(outer: type[httpx.HTTPError], cause: BaseException, text: str) -> BaseException:
    """An httpx error raised from ``cause``, as httpx raises them from httpcore/OSError."""
    try:
        try:
            raise cause
        except BaseException as exc:
            raise outer(text) from exc
    except httpx.HTTPError as exc:
        return exc


# One line per kind of failure ------------------------------------------------------------


async def test_dns_failure() -> None:
    gai = socket.gaierror(-2, "Name or service not known")
    exc = wrapped(httpx.ConnectError, gai, "[Errno -2] Name or service not known")
    error = await fetch_error(raiser(exc))
    assert str(error) == "DNS failure: cannot resolve feeds.example" and error.network


@each_fetcher
async def test_connection_refused_on_loopback(kind: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nobody listens
    async with fetcher_of(kind) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"http://127.0.0.1:{port}/feed")
    assert str(info.value) == "cannot connect: connection refused by 127.0.0.1"
    assert info.value.network


@each_fetcher
async def test_tls_failure_on_loopback(server: FixtureServer, kind: str) -> None:
    https = server.base.replace("http://", "https://")  # a plain HTTP server speaks no TLS
    async with fetcher_of(kind) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(https + "/feed")
    assert str(info.value).startswith("TLS failure with 127.0.0.1: ")
    assert not info.value.network and "\n" not in str(info.value)


async def test_certificate_failure_is_a_tls_failure() -> None:
    import ssl

    cert = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] bad")
    cert.verify_message = "certificate has expired"
    exc = wrapped(httpx.ConnectError, cert, "[SSL: CERTIFICATE_VERIFY_FAILED] bad")
    error = await fetch_error(raiser(exc))
    assert str(error) == "TLS failure with feeds.example: certificate has expired"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectTimeout("t"), "timed out connecting to feeds.example"),
        (httpx.ReadTimeout("t"), "timed out: no data from the server for 5 s"),
        (
            httpx.RemoteProtocolError("peer closed\nconnection"),
            "network error: peer closed connection",
        ),
    ],
)
async def test_timeouts_and_protocol_errors(exc: Exception, expected: str) -> None:
    assert str(await fetch_error(raiser(exc))) == expected


@each_fetcher
async def test_status_lines_are_clean(kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(418, extensions={"reason_phrase": b"I'm \x1b]0;pwned\x07a teapot"})

    assert str(await fetch_error(handler, kind=kind)) == "HTTP 418 I'm a teapot"
    assert str(await fetch_error(lambda r: httpx.Response(451), kind=kind)) == (
        "HTTP 451 Unavailable For Legal Reasons"
    )


@each_fetcher
async def test_redirect_loop_and_too_large(kind: str) -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": str(request.url)})

    assert "a redirect loop?" in str(await fetch_error(loop, kind=kind))
    big = await fetch_error(
        lambda r: httpx.Response(200, content=b"x" * (11 * 1024 * 1024)), kind=kind
    )
    assert str(big) == "too large (over 10 MB)"


@each_fetcher
async def test_deadline_bounds_a_trickling_server(kind: str) -> None:
    async def trickle(request: httpx.Request) -> httpx.Response:
        async def body():  # type: ignore[no-untyped-def]
            while True:
                yield b"<"
                await asyncio.sleep(0.01)

        return httpx.Response(200, content=body())

    async with handled(kind, trickle, deadline=0.2) as fetcher:
        with pytest.raises(FetchError, match=r"^no complete answer within 0 s$"):
            await fetcher.get("http://feeds.example/slow")


async def test_not_a_feed_fails_alone(
    server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    server.add("/page.html", "<html><body><p>Wartung</p></body></html>")
    server.add("/ok.rss", FEED, "application/rss+xml")
    store.add_feed(server.url("/page.html"))
    store.add_feed(server.url("/ok.rss"))
    report = await poll_feeds(store)
    (failed,) = report.failed
    assert failed.error and failed.error.startswith("not a feed")
    assert report.new_articles == 1


# Retry-After and back-off ----------------------------------------------------------------


def test_parse_retry_after() -> None:
    assert parse_retry_after("120", NOW) == NOW + timedelta(seconds=120)
    later = NOW + timedelta(hours=2)
    assert parse_retry_after(format_datetime(later, usegmt=True), NOW) == later
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", NOW) == NOW  # past: now
    assert parse_retry_after("99999999", NOW) == NOW + MAX_RETRY_AFTER  # capped
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_backoff_doubles_up_to_six_hours() -> None:
    assert backoff(0) is None and backoff(1) is None  # one failure may be a blip
    assert [backoff(n) for n in (2, 3, 4)] == [BACKOFF_FIRST, 2 * BACKOFF_FIRST, 4 * BACKOFF_FIRST]
    assert backoff(9) == BACKOFF_MAX == backoff(10_000)


def retry_after_handler(seconds: int, log: list[str]) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        log.append(request.url.path)
        if request.url.path == "/busy.rss":
            return httpx.Response(429, headers={"Retry-After": str(seconds)})
        return httpx.Response(200, text=FEED, headers={"Content-Type": "application/rss+xml"})

    return handler


@each_fetcher
async def test_retry_after_skips_the_feed_until_then(store: SQLiteStore, kind: str) -> None:
    store.add_feed("http://feeds.example/busy.rss")
    store.add_feed("http://feeds.example/ok.rss")
    log: list[str] = []
    async with handled(kind, retry_after_handler(3600, log)) as fetcher:
        first = await poll_feeds(store, fetcher=fetcher)
        assert [o.error for o in first.failed] == ["HTTP 429 Too Many Requests"]
        (failed,) = first.failed
        assert failed.retry_after is not None
        assert timedelta(minutes=59) < failed.retry_after - datetime.now(UTC) <= timedelta(hours=1)
        busy = store.feeds()[0]
        assert busy.failures == 1 and busy.last_error_at is not None
        assert busy.retry_after == failed.retry_after and busy.waiting()

        second = await poll_feeds(store, fetcher=fetcher)
    assert log.count("/busy.rss") == 1  # not asked again
    assert [o.status for o in second.outcomes if o.feed.url.endswith("busy.rss")] == ["skipped"]
    assert not second.failed and len(second.skipped) == 1
    assert second.skipped[0].error == f"{busy.retry_text} (last error: HTTP 429 Too Many Requests)"
    assert busy.retry_text and busy.retry_text.startswith("retry after ")


async def test_repeated_failures_back_off_and_success_resets(
    server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    store.add_feed(server.url("/weg.rss"))  # 404
    await poll_feeds(store)
    assert store.feeds()[0].retry_after is None  # one failure: tried again next time
    await poll_feeds(store)
    second = store.feeds()[0]
    assert second.failures == 2 and second.waiting()
    assert second.retry_after and second.last_error_at
    assert second.retry_after - second.last_error_at == BACKOFF_FIRST
    third = await poll_feeds(store)
    assert [o.status for o in third.outcomes] == ["skipped"]
    assert server.requests_for("/weg.rss") == [404, 404]

    # the time passes (set the clock of the feed back) and the feed is back
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE feeds SET retry_after = ?", ((NOW - timedelta(days=1)).isoformat(),))
    conn.commit()
    conn.close()
    server.add("/weg.rss", FEED, "application/rss+xml")
    fourth = await poll_feeds(store)
    assert [o.status for o in fourth.outcomes] == ["updated"]
    healed = store.feeds()[0]
    assert (healed.failures, healed.retry_after, healed.error, healed.last_error_at) == (
        0,
        None,
        None,
        None,
    )


def _wait_state(data_dir: Path, url: str, error: str, until: datetime) -> None:
    store = open_store(data_dir)
    feed, _ = store.add_feed(url)
    store.record_failure(feed.id, datetime.now(UTC), error, until)
    store.close()


def _wait_clock(until: datetime) -> str:
    """The local time the reader shows for a wait: the date is added when the wait ends on
    another day than today (a run at 23:00 waits until tomorrow)."""
    when = until.astimezone()
    if when.date() == datetime.now(UTC).astimezone().date():
        return f"{when:%H:%M}"
    return f"{when:%d.%m. %H:%M}"


def test_cli_reports_skipped_feeds_apart_and_exits_0(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str], poll_client: str
) -> None:
    server.add("/ok.rss", FEED, "application/rss+xml")
    until = datetime.now(UTC) + timedelta(hours=2)
    _wait_state(data_dir, server.url("/wartet.rss"), "HTTP 503 Service Unavailable", until)
    assert main(["--data-dir", str(data_dir), "add", server.url("/ok.rss")]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "fetch"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1 feed polled, 1 new article, 0 failed, 1 skipped (retry later)"
    clock = _wait_clock(until)
    assert f"skipped: {server.url('/wartet.rss')}: retry after" in err and clock in err
    assert server.requests_for("/wartet.rss") == []

    assert main(["--data-dir", str(data_dir), "fetch", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["feeds"] == 1 and result["failed"] == []
    assert result["skipped"] == [
        {
            "url": server.url("/wartet.rss"),
            "retry_after": until.isoformat(),
            "reason": f"retry after {clock} (last error: HTTP 503 Service Unavailable)",
            "error": "HTTP 503 Service Unavailable",
        }
    ]

    assert main(["--data-dir", str(data_dir), "feeds", "--json"]) == 0
    waiting, ok = json.loads(capsys.readouterr().out)
    assert waiting["error"] == "HTTP 503 Service Unavailable"
    assert waiting["retry_after"] == until.isoformat() and waiting["failures"] == 1
    assert waiting["last_error_at"] is not None
    assert ok["error"] is None and ok["retry_after"] is None and ok["last_error_at"] is None
    assert main(["--data-dir", str(data_dir), "feeds"]) == 0
    assert f"retry after {clock}" in capsys.readouterr().out


async def test_tui_status_says_retry_after(server: FixtureServer, data_dir: Path) -> None:
    retry_at = datetime.now(UTC) + timedelta(hours=1)
    _wait_state(data_dir, server.url("/wartet.rss"), "HTTP 429 Too Many Requests", retry_at)
    store = open_store(data_dir)
    app = NewsroomApp(store)
    async with app.run_test(size=(140, 40)) as pilot:

        def shown() -> str:
            status = app.query_one("#status").render()
            return str(getattr(status, "plain", status))

        await until(pilot, lambda: "retry after" in shown(), what="the feed's wait")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.query_one("#status").render()
        text = str(getattr(status, "plain", status))
        assert f"retry after {_wait_clock(retry_at)}" in text
        assert "HTTP 429" in text and "OFFLINE" not in text
        assert "1 feed waiting" in text and "failed" not in text
    store.close()
    assert server.requests_for("/wartet.rss") == []


# Politeness and isolation ----------------------------------------------------------------


@each_fetcher
async def test_per_host_limit_does_not_hold_up_other_hosts(kind: str) -> None:
    gate = asyncio.Event()
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    done: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        active[host] = active.get(host, 0) + 1
        peak[host] = max(peak.get(host, 0), active[host])
        if host == "slow.example":
            await gate.wait()
        active[host] -= 1
        done.append(host)
        return httpx.Response(200, text="ok")

    async with handled(kind, handler, per_host=4) as fetcher:
        slow = [asyncio.ensure_future(fetcher.get(f"http://slow.example/{i}")) for i in range(10)]
        fast = [asyncio.ensure_future(fetcher.get(f"http://fast.example/{i}")) for i in range(3)]
        await asyncio.gather(*fast)  # while all the slow host's slots are taken
        assert active.get("slow.example") == 4 and done.count("fast.example") == 3
        gate.set()
        await asyncio.gather(*slow)
    assert peak["slow.example"] == 4 and done.count("slow.example") == 10


async def test_broken_feed_keeps_its_articles(
    server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    server.add("/f.rss", FEED, "application/rss+xml")
    store.add_feed(server.url("/f.rss"))
    assert (await poll_feeds(store)).new_articles == 1
    server.add("/f.rss", b"\x00garbage", "application/rss+xml")  # changed and broken
    report = await poll_feeds(store)
    assert report.failed and store.count_articles() == 1
    server.add("/f.rss", "kaputt", "text/plain", status=500)
    report = await poll_feeds(store)
    assert report.failed[0].error == "HTTP 500 Internal Server Error"
    assert store.count_articles() == 1 and store.feeds()[0].last_success is not None
