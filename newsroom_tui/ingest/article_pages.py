"""The article pages one feed's poll fetches for its new summary-only entries, within a budget.

A feed of many summary-only entries on a slow server once held a poll for six minutes (24
pages, each as slow as the server could make it) and was reported as a success. One feed's
poll now downloads at most :data:`PAGES_PER_POLL` pages and waits at most
:data:`PAGE_SECONDS_PER_POLL` for its pages; the entries whose pages are left over are not stored
this time (nothing of them is lost: the feed's validators are not kept either, so the next
poll reads the feed again and finds them new), and the feed's status says how many wait.
"""

from __future__ import annotations

import asyncio
from asyncio import FIRST_COMPLETED
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from newsroom_tui.ingest.poll_jobs import extract_page_job
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.models import ExtractedPage
from newsroom_tui.net.fetcher import PAGE_MAX_BYTES, Fetcher, FetchError, check_url
from newsroom_tui.parse.entries import FeedEntry

PAGES_PER_POLL = 50  # pages downloaded; those that fail at once (refused, 404) cost only time
PAGE_SECONDS_PER_POLL = 30.0


class PageResult(NamedTuple):
    """One page's outcome: extracted (None when it failed), whether it was downloaded, and
    why it was refused without asking (an address pages are not fetched from)."""

    page: ExtractedPage | None
    downloaded: bool
    refused: str | None = None


PageStart = Callable[[str], tuple["asyncio.Task[PageResult]", bool]]


@dataclass
class PageRound:
    """The pages of one feed's poll: by URL for those that came (or failed), those left."""

    results: dict[str, PageResult] = field(default_factory=dict)
    fetched: int = 0  # downloaded by this feed (a page another feed fetched counts there)
    left: set[str] = field(default_factory=set)

    def notice(self, left: str = "left for the next poll") -> str | None:
        """One line for the feed's status, or None when every page was had; ``left`` says
        what becomes of the pages the budget left."""
        parts = []
        refused = [r.refused for r in self.results.values() if r.refused]
        if refused:
            more = f" (and {len(refused) - 1} more article pages)" if len(refused) > 1 else ""
            parts.append(refused[0] + more)
        if self.left:
            pages = "article page" if len(self.left) == 1 else "article pages"
            parts.append(f"{len(self.left)} {pages} {left}")
        return "; ".join(parts) or None


async def fetch_within_budget(
    urls: Sequence[str],
    start: PageStart,
    *,
    count: int | None = None,
    seconds: float | None = None,
) -> PageRound:
    """The pages at ``urls`` (each once), started with ``start`` (a task and whether this
    call started it) no more at once than may still be downloaded, until ``count`` are
    downloaded or ``seconds`` have passed; the rest are left (those under way cancelled).
    A page that fails at once (refused, 404) costs only time, not one of ``count``."""
    count = PAGES_PER_POLL if count is None else count
    seconds = PAGE_SECONDS_PER_POLL if seconds is None else seconds
    queue = list(dict.fromkeys(urls))
    queue.reverse()  # popped from the end: in the feed's order
    pages = PageRound()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    running: dict[asyncio.Task[PageResult], tuple[str, bool]] = {}
    downloaded = 0
    while True:
        while queue and len(running) < count - downloaded:
            url = queue.pop()
            task, first = start(url)
            running[task] = (url, first)
        if not running:
            break
        done, _ = await asyncio.wait(
            running, timeout=max(0.0, deadline - loop.time()), return_when=FIRST_COMPLETED
        )
        if not done:
            break  # the time is up
        for task in done:
            url, first = running.pop(task)
            if task.cancelled():  # by another feed's budget: left for the next poll too
                pages.left.add(url)
                continue
            result = pages.results[url] = _result(task)
            downloaded += result.downloaded
            pages.fetched += first and result.downloaded
    for task, (url, _) in running.items():
        task.cancel()  # over the budget: its entry waits for the next poll
        pages.left.add(url)
    pages.left.update(queue)
    return pages


def _result(task: asyncio.Task[PageResult]) -> PageResult:
    return task.result() if task.exception() is None else PageResult(None, False)


async def entry_pages(
    entries: Sequence[FeedEntry], wants_page: Callable[[FeedEntry], bool], start: PageStart
) -> tuple[list[tuple[FeedEntry, ExtractedPage | None]], PageRound]:
    """Each entry with its page (None: it wants none, or the page failed), within one
    feed's budget; an entry whose page the budget left over is not among them."""
    # each entry judged once (whether it has its article looks through its content)
    wanted = [entry.url if entry.url and wants_page(entry) else None for entry in entries]
    pages = await fetch_within_budget([url for url in wanted if url], start)
    kept: list[tuple[FeedEntry, ExtractedPage | None]] = []
    for entry, url in zip(entries, wanted, strict=True):
        if url is None:
            kept.append((entry, None))
        elif url not in pages.left:
            kept.append((entry, pages.results[url].page))
    return kept, pages


async def fetch_article_page(fetcher: Fetcher, workers: Workers, url: str) -> PageResult:
    """The article page at ``url``, extracted in ``workers``. A page that cannot be had or
    read costs only its entry, which keeps its summary. It is named by the feed (or the sync
    server): fetched only from the addresses the fetcher's policy allows."""
    try:
        check_url(url)
        page = await fetcher.get(
            url, max_bytes=PAGE_MAX_BYTES, accept="text/html", named_by_content=True
        )
    except FetchError as exc:
        return PageResult(None, False, str(exc) if exc.refused else None)
    except Exception:  # ValueError, and what httpx may raise besides
        return PageResult(None, False)
    try:
        extracted = await workers.run(extract_page_job, page.content, page.url, page.content_type)
    except Exception:  # over the deadline, or a bug in extraction on this page
        extracted = None
    return PageResult(extracted, True)


async def fetch_pages(fetcher: Fetcher, workers: Workers, urls: Sequence[str]) -> PageRound:
    """The article pages at ``urls`` (:func:`fetch_article_page`) within one feed's budget
    (:func:`fetch_within_budget`), each fetched by this call alone (a poll's feeds share
    theirs, see :mod:`~newsroom_tui.ingest.poller`)."""

    def start(url: str) -> tuple[asyncio.Task[PageResult], bool]:
        return asyncio.ensure_future(fetch_article_page(fetcher, workers, url)), True

    return await fetch_within_budget(urls, start)
