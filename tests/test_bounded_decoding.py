from __future__ import annotations

import gzip
import zlib

import pytest

from newsroom_tui.net.bounded_decoding import BoundedDecoder, DecodedTooLarge, UnsupportedEncoding
from newsroom_tui.net.fetcher import FetchError
from tests.fetcher_kinds import KINDS, fetcher_of
from tests.fixture_server import FixtureServer

TEXT = "Straßensperrung an der Bahnhofstraße. ".encode() * 200


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        (None, TEXT),
        ("gzip", gzip.compress(TEXT, mtime=0)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send it
        ("identity", TEXT),
    ],
    ids=["plain", "gzip", "zlib", "raw-deflate", "identity"],
)
def test_decodes_in_small_pieces(encoding: str | None, body: bytes) -> None:
    decoder = BoundedDecoder(encoding, 1_000_000)
    out = b"".join(decoder.feed(body[i : i + 7]) for i in range(0, len(body), 7))
    assert out + decoder.flush() == TEXT


def test_a_bomb_stops_at_the_limit_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024))  # 200 MB of zeros in ~200 KB
    assert len(bomb) < 300_000
    decoder = BoundedDecoder("gzip", 1024 * 1024)
    with pytest.raises(DecodedTooLarge):
        decoder.feed(bomb)  # one call: inflates at most the limit, not 200 MB


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_unsupported_encodings_are_refused(encoding: str) -> None:
    with pytest.raises(UnsupportedEncoding):
        BoundedDecoder(encoding, 100)


@pytest.mark.parametrize("kind", KINDS)
async def test_fetcher_refuses_a_bomb_and_an_encoding_it_did_not_ask_for(
    server: FixtureServer, kind: str
) -> None:
    """Over real HTTP (loopback), where the raw stream is decoded by us."""
    server.add("/bomb", gzip.compress(b"\0" * (50 * 1024 * 1024)), "application/rss+xml")
    server.add("/br", b"\x1b\x00", "application/rss+xml")
    server.add("/ok", gzip.compress(TEXT), "text/html")
    server.encodings = {"/bomb": "gzip", "/br": "br", "/ok": "gzip"}
    async with fetcher_of(kind) as fetcher:
        with pytest.raises(FetchError, match="too large"):
            await fetcher.get(server.url("/bomb"), max_bytes=1024 * 1024)
        with pytest.raises(FetchError, match="unsupported content encoding: br"):
            await fetcher.get(server.url("/br"))
        assert (await fetcher.get(server.url("/ok"))).content == TEXT
