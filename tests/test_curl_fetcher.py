"""The libcurl fetcher says what the httpx fetcher says where the failure cannot be staged on
loopback (a DNS failure, an expired certificate, a connect timeout: curl's own error codes),
and both say one line for a server that hangs up or stops sending."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from newsroom_tui.net.fetcher import FetchError
from tests.fetcher_kinds import KINDS, fetcher_of, handled
from tests.fixture_server import FixtureServer

pycurl = pytest.importorskip("pycurl")


def _failure(code: int, message: str) -> BaseException:
    from newsroom_tui.net.curl_fetcher import _Transfer

    transfer = _Transfer(
        "http://feeds.example/feed",
        {},
        1024,
        timeout=5,
        policy=None,
        proxy=None,
        connect_to=None,
    )
    try:
        return transfer.failed(code, message)
    finally:
        transfer.curl.close()


@pytest.mark.parametrize(
    ("code", "message", "line", "network"),
    [
        (
            "E_COULDNT_RESOLVE_HOST",
            "Could not resolve host: feeds.example",
            "DNS failure: cannot resolve feeds.example",
            True,
        ),
        (
            "E_PEER_FAILED_VERIFICATION",
            "SSL certificate problem: certificate has expired",
            "TLS failure with feeds.example: certificate has expired",
            False,
        ),
        (
            "E_OPERATION_TIMEDOUT",
            "Connection timed out after 10002 milliseconds",
            "timed out connecting to feeds.example",
            True,
        ),
        (
            "E_OPERATION_TIMEDOUT",
            "Operation too slow. Less than 1 bytes/sec transferred the last 5 seconds",
            "timed out: no data from the server for 5 s",
            False,
        ),
        (
            "E_RECV_ERROR",
            "Recv failure: Connection reset by\npeer \x1b[31m",
            "network error: Recv failure: Connection reset by peer",
            False,
        ),
    ],
)
def test_curl_errors_are_the_lines_of_the_httpx_fetcher(
    code: str, message: str, line: str, network: bool
) -> None:
    error = _failure(getattr(pycurl, code), message)
    assert isinstance(error, FetchError)
    assert str(error) == line and error.network is network


@pytest.mark.parametrize("kind", KINDS)
async def test_a_server_that_hangs_up_is_one_line(kind: str) -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, fetcher_of(kind) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"http://127.0.0.1:{port}/polizei.rss")
    assert str(info.value).startswith("network error: ") and "\n" not in str(info.value)
    assert not info.value.network


async def test_a_server_that_stops_sending_times_out() -> None:
    """(httpx's in-memory transport has no read timeout to stage this for the other.)"""

    async def stalled(request: httpx.Request) -> httpx.Response:
        async def body():  # type: ignore[no-untyped-def]
            await asyncio.sleep(20)
            yield b"<rss/>"

        return httpx.Response(200, content=body())

    async with handled("curl", stalled, timeout=1, deadline=30) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("http://presse.stadt-herne.example/feed")
    assert str(info.value) == "timed out: no data from the server for 1 s"


async def test_the_poll_takes_curl_when_chosen_and_httpx_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsroom_tui.net import poll_fetcher
    from newsroom_tui.net.curl_fetcher import CurlFetcher
    from newsroom_tui.net.fetcher import Fetcher

    monkeypatch.setattr(poll_fetcher, "POLL_CLIENT", "curl")
    async with poll_fetcher.poll_fetcher() as chosen:
        assert isinstance(chosen, CurlFetcher)
    monkeypatch.setattr(poll_fetcher, "curl_available", lambda: False)
    async with poll_fetcher.poll_fetcher() as fallback:
        assert type(fallback) is Fetcher


async def test_an_address_that_changed_after_the_check_is_refused_at_connect(
    server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name's first answer was public (the check passes), the answer curl
    gets is loopback. The socket is never opened; nothing reaches the server."""
    from newsroom_tui.net import curl_fetcher
    from newsroom_tui.net.address_policy import AddressPolicy

    async def public_at_first(policy: AddressPolicy, host: str, port: int) -> list[object]:
        return []

    monkeypatch.setattr(curl_fetcher, "refuse_if_not_allowed", public_at_first)
    server.add("/admin", "<p>Verwaltung</p>")
    port = server.base.rsplit(":", 1)[1]
    async with curl_fetcher.CurlFetcher(private_addresses=AddressPolicy()) as fetcher:
        with pytest.raises(FetchError, match=r"^refused: link to a loopback address") as info:
            await fetcher.get(f"http://localhost:{port}/admin", named_by_content=True)
    assert info.value.refused
    assert server.requests_for("/admin") == []


@pytest.mark.parametrize("kind", KINDS)
async def test_a_host_name_with_umlauts_goes_out_in_idna(kind: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["host"])
        return httpx.Response(200, text="<rss/>")

    async with handled(kind, handler) as fetcher:
        result = await fetcher.get("http://presse.bürgerbüro-herne.example/meldungen/straße.rss")
    assert result.content == b"<rss/>"
    assert seen == ["presse.xn--brgerbro-herne-gsbf.example"]
    assert result.url == ("http://presse.xn--brgerbro-herne-gsbf.example/meldungen/stra%C3%9Fe.rss")


def test_one_fetcher_serves_a_second_event_loop(server: FixtureServer) -> None:
    from newsroom_tui.net.curl_fetcher import CurlFetcher

    server.add("/polizei.rss", "<rss>Polizei Bochum</rss>", "application/rss+xml")
    fetcher = CurlFetcher()
    for _ in range(2):  # e.g. a command that runs asyncio.run twice
        result = asyncio.run(fetcher.get(server.url("/polizei.rss")))
        assert result.content == b"<rss>Polizei Bochum</rss>"
    asyncio.run(fetcher.aclose())


async def test_windows_polls_through_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' default event loop cannot watch curl's sockets (no add_reader)."""
    from newsroom_tui.net import poll_fetcher
    from newsroom_tui.net.fetcher import Fetcher

    monkeypatch.setattr(poll_fetcher, "POLL_CLIENT", "curl")
    monkeypatch.setattr(poll_fetcher.sys, "platform", "win32")
    async with poll_fetcher.poll_fetcher() as chosen:
        assert type(chosen) is Fetcher
