"""Fuzz-style: malformed feeds and pages (truncated, bytes flipped, wrong encodings, random
bytes) go through parsing and extraction; only the documented one-line errors come out."""

from __future__ import annotations

import asyncio
import random

import pytest

from newsroom_tui.extract import extract_fragment, extract_page
from newsroom_tui.ingest import worker_pool
from newsroom_tui.parse.entries import FeedParseError
from newsroom_tui.parse.registry import parse_feed
from tests.fixture_server import FIXTURES

FEED = (FIXTURES / "site" / "pressemeldungen.rss").read_bytes().replace(b"{base}", b"http://x")
PAGE = (FIXTURES / "pages" / "herne-meldung.html").read_bytes()


def mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        kind = rng.randrange(5)
        if kind == 0:  # truncated
            out.append(data[: rng.randrange(len(data))])
        elif kind == 1:  # bytes flipped
            buf = bytearray(data)
            for _ in range(rng.randrange(1, 40)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
            out.append(bytes(buf))
        elif kind == 2:  # re-encoded in a charset the document does not declare
            text = data.decode("utf-8")
            out.append(text.encode(rng.choice(["latin-1", "utf-16", "cp1252"]), errors="replace"))
        elif kind == 3:  # random bytes
            out.append(rng.randbytes(rng.randrange(1, 4000)))
        else:  # a chunk cut out of the middle
            a, b = sorted(rng.randrange(len(data)) for _ in range(2))
            out.append(data[:a] + data[b:])
    return out


@pytest.mark.parametrize("seed", range(4))
def test_malformed_feeds_parse_or_fail_in_one_line(seed: int) -> None:
    for data in mutations(FEED, seed, 60):
        try:
            feed = parse_feed(data, "http://x/feed.rss", "application/rss+xml")
        except FeedParseError as exc:
            assert "\n" not in str(exc)
            continue
        for entry in feed.entries:
            assert isinstance(entry.title, str)
            extract_fragment(entry.summary_html or "", entry.url)


@pytest.mark.parametrize("seed", range(4))
def test_malformed_pages_never_raise(seed: int) -> None:
    for data in mutations(PAGE, seed, 40):
        page = extract_page(data, "http://x/meldung.html")
        assert isinstance(page.body_markdown, str)
        assert all(isinstance(item.src, str) for item in page.gallery)


async def test_work_that_hangs_fails_the_feed_not_the_poll(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_pool, "WORK_DEADLINE", 0.2)
    workers = worker_pool.Workers(0)  # the thread used for small polls
    with pytest.raises(worker_pool.WorkerError, match="parsing took longer than 0 s"):
        await workers.run(lambda: __import__("time").sleep(1.0))
    assert await workers.run(lambda: 42) == 42  # the next feed still gets its turn
    await workers.close()
    await asyncio.sleep(0)
