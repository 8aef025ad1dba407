from __future__ import annotations

import gzip

import httpx
import pytest

from newsroom_tui import USER_AGENT
from newsroom_tui.net.fetcher import Fetcher, FetchError, check_url
from tests.fetcher_kinds import KINDS, handled

pytestmark = pytest.mark.parametrize("kind", KINDS)


async def test_conditional_get_and_user_agent(kind: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=b"<rss/>", headers={"ETag": '"v1"'})

    async with handled(kind, handler) as fetcher:
        first = await fetcher.get("http://127.0.0.1/feed")
        second = await fetcher.get("http://127.0.0.1/feed", etag=first.etag, last_modified="x")
    assert first.status == 200 and first.content == b"<rss/>" and first.etag == '"v1"'
    assert second.not_modified and second.content == b""
    assert seen[0].headers["user-agent"] == USER_AGENT
    assert "if-none-match" not in seen[0].headers
    assert seen[1].headers["if-modified-since"] == "x"


async def test_http_error_is_one_line(kind: str) -> None:
    async with handled(kind, lambda r: httpx.Response(503)) as fetcher:
        with pytest.raises(FetchError, match=r"^HTTP 503 Service Unavailable$") as info:
            await fetcher.get("http://127.0.0.1/feed")
    assert not info.value.network


async def test_size_cap_applies_after_decompression(kind: str) -> None:
    bomb = gzip.compress(b"A" * (3 * 1024 * 1024))
    assert len(bomb) < 100_000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"})

    async with handled(kind, handler) as fetcher:
        with pytest.raises(FetchError, match="too large"):
            await fetcher.get("http://127.0.0.1/page", max_bytes=1024 * 1024)


async def test_unreachable_server_is_a_network_error(kind: str) -> None:
    if kind == "curl":  # no transport to raise in: a real refused connection is in
        pytest.skip("test_hostile_network.test_connection_refused_on_loopback")

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    async with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(FetchError, match="cannot connect") as info:
            await fetcher.get("http://127.0.0.1/feed")
    assert info.value.network


async def test_redirect_loop_is_reported(kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://127.0.0.1/loop"})

    async with handled(kind, handler) as fetcher:
        with pytest.raises(FetchError, match="too many redirects"):
            await fetcher.get("http://127.0.0.1/loop")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x/y", "/rel"])
def test_only_http_urls(url: str, kind: str) -> None:
    with pytest.raises(ValueError):
        check_url(url)
