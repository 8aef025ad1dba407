"""A synced teaser's article page tried again at later polls, when it failed or was over the
poll's page budget (a summary-only feed's entry over the budget is read again with its feed;
a synced item is not read again from the server, so its page is remembered instead, see
:mod:`newsroom_tui.store.page_retries`). The article is stored with its teaser at once; each
later sync tries the pages due within the same page budget and fetch
(:func:`~newsroom_tui.ingest.article_pages.fetch_pages`) and, when one comes, builds the
article again as its first poll would have, in the workers. A page fails at most
:data:`MAX_ATTEMPTS` times, with a pause between tries (:data:`RETRY_AFTER`); one over the
budget is not counted as a try. Then the teaser stays. One from an address the address rule
refuses is kept with the rule, and tried when the rule is another
(:mod:`newsroom_tui.ingest.refused_pages`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from newsroom_tui.ingest import article_pages
from newsroom_tui.ingest.article_pages import PageRound, fetch_pages
from newsroom_tui.ingest.poll_jobs import Job, build_job
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.models import ExtractedPage
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.store.page_retries import (
    PageRetry,
    due_page_retries,
    page_came,
    retries_failed,
)
from newsroom_tui.store.refused_pages import refused_again
from newsroom_tui.store.sql_store import SQLStore
from newsroom_tui.sync_records import RemoteItem

MAX_ATTEMPTS = 3  # tries of a page that fails, the first one included
# the pause after the first failure, after the second
RETRY_AFTER = (timedelta(minutes=15), timedelta(hours=1))


def clock() -> datetime:
    """Now (when a sync looks for pages due)."""
    return datetime.now(UTC)


def first_retry(item: RemoteItem, pages: PageRound, now: datetime, under: str) -> PageRetry | None:
    """The retry of ``item``'s page after its pull's page round, or None: no page wanted,
    or the page came. A page the address rule ``under`` refused is remembered with it
    (tried under another rule, :mod:`newsroom_tui.ingest.refused_pages`)."""
    url = item.url
    if url is None:
        return None
    if url in pages.left:  # over the budget: not a try
        return PageRetry(0, url, item.html, 0, now, item.id.decimal)
    result = pages.results.get(url)
    if result is None or result.page is not None:
        return None
    if result.refused:
        return PageRetry(0, url, item.html, 0, now, item.id.decimal, refused_under=under)
    return PageRetry(0, url, item.html, 1, now + RETRY_AFTER[0], item.id.decimal)


def next_try(failures: int, now: datetime) -> datetime | None:
    """When to try a page again that failed ``failures`` times; None: never (the teaser
    stays)."""
    if failures >= MAX_ATTEMPTS:
        return None
    return now + RETRY_AFTER[min(failures, len(RETRY_AFTER)) - 1]


async def retry_pages(
    store: SQLStore, fetcher: Fetcher, workers: Workers, now: datetime | None = None
) -> int:
    """Try the pages due ``now`` (when the poll started: not those its own pull left),
    within one poll's page budget; how many came (their articles made again)."""
    now = now or clock()
    due = await asyncio.to_thread(due_page_retries, store, now, article_pages.PAGES_PER_POLL)
    if not due:
        return 0
    pages = await fetch_pages(fetcher, workers, [retry.url for retry in due])
    came, refused, others = sorted_results(due, pages)
    failed = [(retry, next_try(retry.attempts + 1, now)) for retry in others]
    await asyncio.to_thread(retries_failed, store, failed)
    # tried under another address rule: refused again, by this one
    await asyncio.to_thread(refused_again, store, refused, fetcher.policy.key)
    made = await made_again(store, workers, came, lambda retry: next_try(retry.attempts + 1, now))
    return 0 if made is None else len(came)


def sorted_results(
    due: Sequence[PageRetry], pages: PageRound
) -> tuple[list[tuple[PageRetry, ExtractedPage]], list[PageRetry], list[PageRetry]]:
    """Of ``due``, after their pages' round: those whose page came (with it), those refused
    for their address, those that failed otherwise; one over the budget is in none (it waits
    for the next poll, not counted as a try)."""
    came: list[tuple[PageRetry, ExtractedPage]] = []
    refused: list[PageRetry] = []
    failed: list[PageRetry] = []
    for retry in due:
        if retry.url in pages.left:
            continue
        result = pages.results.get(retry.url)
        if result is not None and result.page is not None:
            came.append((retry, result.page))
        elif result is not None and result.refused:
            refused.append(retry)
        else:
            failed.append(retry)
    return came, refused, failed


async def made_again(
    store: SQLStore,
    workers: Workers,
    came: Sequence[tuple[PageRetry, ExtractedPage]],
    when_failed: Callable[[PageRetry], datetime | None],
) -> list[bool] | None:
    """The articles of ``came`` made again from their pages in the workers, as their first
    poll would have (:func:`~newsroom_tui.store.page_retries.page_came`: False for one that
    went meanwhile). None when the build fails (over the deadline, a bug on these pages):
    each counts as a failed try, tried again at ``when_failed(retry)`` (None: never)."""
    if not came:
        return []
    jobs = [
        Job(teaser_entry(r.guid, r.url, r.title, r.published, r.teaser), page) for r, page in came
    ]
    try:
        built = await workers.run(build_job, jobs, store.lazy_bodies)
    except Exception:
        failed = [(retry, when_failed(retry)) for retry, _ in came]
        await asyncio.to_thread(retries_failed, store, failed)
        return None
    return [
        await asyncio.to_thread(page_came, store, retry, article)
        for (retry, _), article in zip(came, built, strict=True)
    ]


def teaser_entry(
    guid: str, url: str | None, title: str, published: datetime | None, teaser: str
) -> FeedEntry:
    """The entry a synced article is built from, its first time
    (:func:`~newsroom_tui.ingest.synced_bodies.summary_entry`) and again when its page comes:
    the server's HTML as its summary (the body when no page comes, the summary beside a
    page's body)."""
    return FeedEntry(
        guid=guid,
        url=url,
        title=title,
        published=published,
        summary_html=teaser,
        base_url=url,
    )
