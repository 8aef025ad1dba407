"""Unchanged feeds of one site reuse the connection: a 304 does not close it."""

from __future__ import annotations

import asyncio

import pytest

from tests.fetcher_kinds import KINDS, fetcher_of


@pytest.mark.parametrize("kind", KINDS)
async def test_not_modified_answers_keep_the_connection(kind: str) -> None:
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                status = b"304 Not Modified" if b"if-none-match" in head.lower() else b"200 OK"
                body = b"" if status.startswith(b"304") else b"<rss version='2.0'/>"
                writer.write(
                    b"HTTP/1.1 " + status + b'\r\nETag: "v1"\r\n'
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    urls = [f"http://127.0.0.1:{port}/presse/{n}.xml" for n in range(6)]
    async with server, fetcher_of(kind, per_host=1) as fetcher:
        for url in urls:
            await fetcher.get(url)
        answers = [await fetcher.get(url, etag='"v1"') for url in urls]
    assert [a.status for a in answers] == [304] * 6
    assert connections == 1
