"""Both fetchers for one test: the httpx one and the libcurl one (where pycurl is installed).

``handled(kind, handler)`` gives a fetcher whose every request is answered by an httpx-style
``handler`` (request in, response out): the httpx fetcher through ``httpx.MockTransport``, the
curl fetcher through a loopback server that runs the same handler, every host name sent to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
from collections.abc import AsyncIterator, Callable
from http import HTTPStatus
from typing import Any

import httpx
import pytest

from newsroom_tui.net.fetcher import Fetcher

KINDS = [
    "httpx",
    pytest.param(
        "curl",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("pycurl") is None, reason="pycurl is not installed"
        ),
    ),
]


def fetcher_of(kind: str, **settings: Any) -> Fetcher:
    if kind == "curl":
        from newsroom_tui.net.curl_fetcher import CurlFetcher

        return CurlFetcher(**settings)
    return Fetcher(**settings)


Handler = Callable[[httpx.Request], Any]


@contextlib.asynccontextmanager
async def handled(kind: str, handler: Handler, **settings: Any) -> AsyncIterator[Fetcher]:
    """A fetcher of ``kind`` whose requests ``handler`` answers."""
    if kind == "httpx":
        async with Fetcher(transport=httpx.MockTransport(handler), **settings) as fetcher:
            yield fetcher
        return
    server = await asyncio.start_server(_answering(handler), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with fetcher_of("curl", connect_to=f"127.0.0.1:{port}", **settings) as fetcher:
            yield fetcher
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1)


def _answering(handler: Handler) -> Callable[..., Any]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request = _request(head)
                response = handler(request)
                if inspect.isawaitable(response):
                    response = await response
                await _send(writer, response, head_only=request.method == "HEAD")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return serve


def _request(head: bytes) -> httpx.Request:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if line]
    host = next((v for k, v in headers if k.lower() == "host"), "localhost")
    return httpx.Request(method, f"http://{host}{target}", headers=headers)


async def _send(writer: asyncio.StreamWriter, response: httpx.Response, head_only: bool) -> None:
    reason = response.extensions.get("reason_phrase")
    if not reason:
        try:
            reason = HTTPStatus(response.status_code).phrase.encode()
        except ValueError:
            reason = b""
    lines = [b"HTTP/1.1 %d %s" % (response.status_code, reason)]
    stream = response.stream
    streamed = not isinstance(stream, httpx.ByteStream)
    for name, value in response.headers.raw:
        if name.lower() not in (b"content-length", b"transfer-encoding"):
            lines.append(name + b": " + value)
    if streamed:
        lines.append(b"Transfer-Encoding: chunked")
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n")
        async for part in stream:  # type: ignore[union-attr]
            if part:
                writer.write(b"%x\r\n%s\r\n" % (len(part), part))
                await writer.drain()
        writer.write(b"0\r\n\r\n")
    else:
        body = b"" if response.status_code in (204, 304) or head_only else b"".join(stream)  # type: ignore[arg-type]
        lines.append(b"Content-Length: %d" % len(body))
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    await writer.drain()


@pytest.fixture(params=KINDS)
def poll_client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Polls (``poll_feeds``, ``newsroom fetch``) made with each fetcher in turn."""
    from newsroom_tui.net import poll_fetcher

    monkeypatch.setattr(poll_fetcher, "POLL_CLIENT", request.param)
    return str(request.param)
