"""Where a re-poll's feed is parsed: in the polling process when the document is ordinary
RSS/Atom, else in a worker process.

Handing a feed to a worker costs its bytes pickled there and its parsed entries (about 125 KB
for 100 items) pickled back: 9.6 ms of CPU per 100-item feed through a worker against 7.4 ms
in the polling process (bench/bench_handover.py). Only work bounded by the document's size
runs here: the entity guard, then the lxml fast path (no entity resolved, no DTD loaded,
lxml's limits on depth and text), on documents of at most :data:`HERE_MAX_BYTES`, under the
same deadline as a worker's job. Everything else goes to a worker process as before, where a
job that runs over is killed with its process: listing pages, JSON Feed, documents the fast
path gives up on (feedparser's: RSS 1.0, DTDs, broken XML), larger documents.

A first poll stays in the workers: building its articles is most of a cold poll's CPU, and
the workers spread it over the cores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsroom_tui.ingest.poll_jobs import ordinary_parse_job, parse_job
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.parse.entries import ParsedFeed

if TYPE_CHECKING:
    from newsroom_tui.parse.listing_page import PageRules

# Larger documents go to a worker: about 50 ms of parsing here at most (7 ms per 135 KB).
HERE_MAX_BYTES = 1024 * 1024


async def parse_for_repoll(
    workers: Workers, data: bytes, url: str, content_type: str | None, page: PageRules | None
) -> ParsedFeed:
    """The feed's entries as :func:`~newsroom_tui.ingest.poll_jobs.parse_job` gives them."""
    if page is None and len(data) <= HERE_MAX_BYTES:
        parsed = await workers.run_here(ordinary_parse_job, data, url, content_type)
        if parsed is not None:
            return parsed
    return await workers.run(parse_job, data, url, content_type, page)
