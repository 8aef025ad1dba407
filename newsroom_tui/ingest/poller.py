"""One poll of many feeds: fetch, parse, fetch pages of new summary-only entries, store.

The event loop only moves bytes: feed parsing and HTML extraction run in worker processes
(:mod:`~newsroom_tui.ingest.worker_pool`, one per core; the jobs are in
:mod:`~newsroom_tui.ingest.poll_jobs`) and come back as small picklable records, and the store
is written from a thread (:mod:`~newsroom_tui.ingest.poll_writer`). A feed that fails, fails
alone with a one-line error.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from newsroom_tui.ingest.article_pages import PageResult, entry_pages, fetch_article_page
from newsroom_tui.ingest.poll_jobs import (
    Job,
    build_job,
    entries_notice,
    first_poll_job,
    wants_page,
)
from newsroom_tui.ingest.poll_writer import Writer
from newsroom_tui.ingest.refused_pages import refused_pages, retry_refused
from newsroom_tui.ingest.repoll_parse import parse_for_repoll
from newsroom_tui.ingest.story_assignment import attach as attach_stories
from newsroom_tui.ingest.worker_pool import WorkerError, Workers, default_processes, one_line_error
from newsroom_tui.models import Feed, PollStatus
from newsroom_tui.net.fetcher import Fetcher, FetchError, check_url
from newsroom_tui.net.poll_fetcher import poll_fetcher
from newsroom_tui.parse.entries import FeedEntry, FeedParseError
from newsroom_tui.store.base import FeedUpdate, SharedStore, Store, StoreError
from newsroom_tui.store.sql_store import SQLStore
from newsroom_tui.text.sanitize import TITLE_MAX_CHARS, clean_line, clip

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# A feed served without ETag and Last-Modified is remembered by a digest of its bytes, kept in
# the etag column under this prefix (and never sent to the server): same bytes, no re-parse.
CONTENT_HASH_PREFIX = "newsroom-content:"
# Feeds between "fetch started" and "stored" at once: bounds memory, keeps the workers fed.
IN_FLIGHT = 24
# Back-off for a feed that keeps failing: from the second failure in a row it is skipped for
# 15 min, then 30 min, 1 h, 2 h … at most 6 h (one failure alone may be a blip: no wait).
# A success resets it; a server's Retry-After (429/503) is honoured when it asks for longer.
# A poll in which no feed could be reached for a reason of this machine (no network, no route,
# no name resolved: FetchError.offline) backs no feed off: each keeps its error and is tried
# at the next poll, and its failures in a row stay as they were.
BACKOFF_FIRST = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=6)

if TYPE_CHECKING:
    from newsroom_tui.parse.listing_page import PageRules


ACCOUNT_FEED_ID = 0  # the sync account's own outcome (its failure): no feed has row id 0


@dataclass
class FeedOutcome:
    feed: Feed
    status: PollStatus
    new_articles: int = 0
    pages_fetched: int = 0
    error: str | None = None  # for "skipped": "retry after 14:30 (last error: …)"
    network_error: bool = False
    # failed for a reason that may be this machine's (FetchError.offline): its failure is
    # recorded once the poll knows whether any feed was reached (see PollReport.no_network)
    offline: bool = False
    retry_after: datetime | None = None  # not polled again before this
    notice: str | None = None  # e.g. "only the newest 1,000 of 10,000 entries kept"

    @property
    def account(self) -> bool:
        """The sync account's outcome (a failed sync), not a feed's."""
        return self.feed.id == ACCOUNT_FEED_ID


@dataclass
class PollReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    # Set when the cache could not be written (read-only, disk full…): the poll stops.
    store_error: str | None = None
    # the articles whose search index was made once the feeds were stored, and how long that
    # took (seconds): the poll is over when it is (see poll_feeds)
    indexed: int = 0
    index_seconds: float = 0.0

    @property
    def new_articles(self) -> int:
        return sum(o.new_articles for o in self.outcomes)

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status is PollStatus.FAILED]

    @property
    def skipped(self) -> list[FeedOutcome]:
        """Feeds left alone this time (a server's Retry-After, or back-off): not failures."""
        return [o for o in self.outcomes if o.status is PollStatus.SKIPPED]

    @property
    def polled(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status is not PollStatus.SKIPPED]

    @property
    def offline(self) -> bool:
        """Every feed polled failed because no server could be reached."""
        polled = self.polled
        return bool(polled) and all(o.network_error for o in polled)

    @property
    def no_network(self) -> bool:
        """No feed polled could be reached, each for a reason of this machine (network
        unreachable, no route, no name resolved): this machine was offline, and no feed is
        backed off for it."""
        polled = self.polled
        return bool(polled) and all(o.offline for o in polled)


ProgressCallback = Callable[[FeedOutcome, int, int], None]
# how far the search index of a poll's articles is: (indexed, of all)
IndexProgress = Callable[[int, int], None]


# The poll -------------------------------------------------------------------------------


class _Poll:
    """Shared state of one poll: fetcher, workers, and pages already fetched in this poll."""

    def __init__(self, store: Store, fetcher: Fetcher, workers: Workers) -> None:
        self.store = store
        self.fetcher = fetcher
        self.workers = workers
        # the new articles' stories are decided as they are stored
        self.stories = attach_stories(store)
        self.in_flight = asyncio.Semaphore(IN_FLIGHT)
        self.active = 0  # feeds holding a place of in_flight (fetching, parsing, saving)
        # the writer waits for a fuller batch only while some of them are not queued yet
        self.writer = Writer(store, lambda: self.active)
        self._pages: dict[str, asyncio.Task[PageResult]] = {}
        # the failures that may be this machine's, recorded at the poll's end: (outcome, when)
        self.offline: list[tuple[FeedOutcome, datetime]] = []

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """One of :data:`IN_FLIGHT` places for a feed, from its fetch until it is stored."""
        async with self.in_flight:
            self.active += 1
            try:
                yield
            finally:
                self.active -= 1

    def page(self, url: str) -> tuple[asyncio.Task[PageResult], bool]:
        """The extracted page at ``url`` (None if it failed) and whether it was downloaded;
        each page is tried at most once per poll. The second value is True for the first
        caller only."""
        task = self._pages.get(url)
        if task is not None:
            return task, False
        task = asyncio.ensure_future(self._fetch_page(url))
        self._pages[url] = task
        return task, True

    async def _fetch_page(self, url: str) -> PageResult:
        return await fetch_article_page(self.fetcher, self.workers, url)


async def poll_feeds(
    store: Store,
    feeds: list[Feed] | None = None,
    *,
    fetcher: Fetcher | None = None,
    on_progress: ProgressCallback | None = None,
    on_index: IndexProgress | None = None,
) -> PollReport:
    """Poll ``feeds`` (default: all) concurrently; each feed succeeds or fails alone.

    The feeds' articles are stored (and listed) as each feed comes in; their search index
    is made behind the writes (the writer indexes large batches while no feed waits to be
    saved, see :mod:`~newsroom_tui.ingest.poll_writer`) and the rest once every feed is
    stored (:meth:`Store.catch_up_index`; ``on_index`` hears how far it is). The poll
    returns when it is made: a search after the poll finds every article it stored."""
    feeds = store.feeds() if feeds is None else feeds
    report = PollReport()
    own_fetcher = fetcher is None
    fetcher = fetcher or poll_fetcher()
    workers = Workers(default_processes(len(feeds)))
    poll = _Poll(store, fetcher, workers)
    now = datetime.now(UTC)
    try:

        async def run(feed: Feed) -> None:
            if feed.waiting(now):
                outcome = _skipped(feed)
            elif isinstance(store, SharedStore):
                outcome = await _polled_alone(poll, store, feed, report, now)
            else:
                async with poll.slot():
                    outcome = await _guarded(poll, feed, report)
            report.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome, len(report.outcomes), len(feeds))

        with store.deferred_index():
            await asyncio.gather(*(run(feed) for feed in feeds))
            if report.store_error is None and isinstance(store, SQLStore):
                polled = [o.feed.id for o in report.outcomes if o.status != PollStatus.SKIPPED]
                try:  # the pages refused under another address rule than this poll's
                    await retry_refused(store, fetcher, workers, polled)
                except StoreError as exc:
                    report.store_error = str(exc)
                except Exception:  # a bug on these pages: their teasers stay, tried next poll
                    pass
        try:
            await _record_offline(poll, report.no_network)
        except StoreError as exc:
            report.store_error = report.store_error or str(exc)
    finally:
        await workers.close()
        if own_fetcher:
            await fetcher.aclose()
    if report.store_error is None:
        await _catch_up_index(store, report, on_index)
    return report


async def _catch_up_index(store: Store, report: PollReport, on_index: IndexProgress | None) -> None:
    """Make the search index of the articles the poll queued (and any an interrupted poll
    left queued); a cache that cannot be written says so in the report."""
    started = time.monotonic()
    try:
        report.indexed = await asyncio.to_thread(store.catch_up_index, on_index)
    except StoreError as exc:
        report.store_error = str(exc)
    report.index_seconds = time.monotonic() - started


async def poll_feed(store: Store, feed: Feed, fetcher: Fetcher) -> FeedOutcome:
    """Poll one feed (CPU work on a thread: no worker processes for one feed). Raises
    StoreError when the cache cannot be written."""
    workers = Workers(0)
    poll = _Poll(store, fetcher, workers)
    try:
        outcome = await _poll_feed(poll, feed)
        await _record_offline(poll, outcome.offline)
        return outcome
    finally:
        await workers.close()


async def _polled_alone(
    poll: _Poll, store: SharedStore, feed: Feed, report: PollReport, started: datetime
) -> FeedOutcome:
    """A shared store's feed, polled only while this poller holds its lock: a second poller
    (the TUI of a colleague, cron on another machine) skips it rather than fetch it twice,
    and one that comes after a fresh poll uses its result (ETag, known entries)."""
    async with poll.slot():
        try:
            if not await asyncio.to_thread(store.lock_feed, feed.id):
                return FeedOutcome(feed, PollStatus.SKIPPED, error=ANOTHER_POLLER)
            try:
                fresh = await asyncio.to_thread(store.feed, feed.id)
                if fresh is None:  # unsubscribed meanwhile
                    return FeedOutcome(feed, PollStatus.SKIPPED, error="unsubscribed meanwhile")
                if fresh.last_polled and fresh.last_polled >= started:
                    return FeedOutcome(feed, PollStatus.SKIPPED, error=ANOTHER_POLLER)
                current = replace(
                    feed,
                    etag=fresh.etag,
                    last_modified=fresh.last_modified,
                    last_success=fresh.last_success,
                    failures=fresh.failures,
                )
                return await _guarded(poll, current, report)
            finally:
                await asyncio.to_thread(store.unlock_feed, feed.id)
        except StoreError as exc:
            report.store_error = report.store_error or str(exc)
            return FeedOutcome(feed, PollStatus.FAILED, error=str(exc))


def _skipped(feed: Feed) -> FeedOutcome:
    return FeedOutcome(
        feed, PollStatus.SKIPPED, error=feed.waiting_reason, retry_after=feed.retry_after
    )


async def _guarded(poll: _Poll, feed: Feed, report: PollReport) -> FeedOutcome:
    """One feed; when the cache cannot be written (read-only, disk full, damaged) the feed
    fails with that reason and the feeds after it are not fetched at all: nothing could be
    kept of them."""
    if report.store_error is None:
        try:
            return await _poll_feed(poll, feed)
        except StoreError as exc:
            report.store_error = report.store_error or str(exc)
    return FeedOutcome(feed, PollStatus.FAILED, error=report.store_error)


ANOTHER_POLLER = "polled by another newsroom just now"


def backoff(failures: int) -> timedelta | None:
    """How long a feed that failed ``failures`` times in a row is left alone."""
    if failures < 2:
        return None
    return min(BACKOFF_FIRST * (1 << min(failures - 2, 16)), BACKOFF_MAX)


def _content_digest(data: bytes) -> str:
    return CONTENT_HASH_PREFIX + hashlib.blake2b(data, digest_size=16).hexdigest()


async def _poll_feed(poll: _Poll, feed: Feed) -> FeedOutcome:
    store = poll.store
    polled_at = datetime.now(UTC)
    own_digest = bool(feed.etag and feed.etag.startswith(CONTENT_HASH_PREFIX))
    try:
        check_url(feed.url)
        result = await poll.fetcher.get(
            feed.url,
            etag=None if own_digest else feed.etag,
            last_modified=feed.last_modified,
            accept=FEED_ACCEPT,
        )
        etag, last_modified = result.etag, result.last_modified
        if not result.not_modified and not etag and not last_modified:
            etag = _content_digest(result.content)
        if result.not_modified or (own_digest and etag == feed.etag):
            await poll.writer.not_modified(feed.id, polled_at)
            return FeedOutcome(feed, PollStatus.NOT_MODIFIED)
        args = (result.content, result.url, result.content_type)
        del result  # only the parsed entries are needed from here on
        page = _page_rules(feed)  # None for a feed; a listing page is read by its own parser
        # features made by the workers, for the articles the stories compare
        stories = store.story_assigner is not None
        since = poll.stories.since
        known: set[str] = set()  # the entries stored before, still in the feed: kept
        if feed.last_success is None:
            first = await poll.workers.run(
                first_poll_job,
                *args,
                feed.full_page,
                page,
                store.lazy_bodies,
                stories,
                since,
                store.worker_index,
            )
            title, notice = first.title, first.notice
            waiting = [item for item in first.items if isinstance(item, FeedEntry)]
        else:
            parsed = await parse_for_repoll(poll.workers, *args, page)
            if page and etag and etag.startswith(CONTENT_HASH_PREFIX):
                # no validators: a page source is unchanged when its list of announcements is
                from newsroom_tui.parse.listing_page import listing_digest

                etag = CONTENT_HASH_PREFIX + listing_digest(parsed.entries)
                if etag == feed.etag:
                    await poll.writer.not_modified(feed.id, polled_at)
                    return FeedOutcome(feed, PollStatus.NOT_MODIFIED)
            title, notice = parsed.title, entries_notice(parsed)
            known = store.known_guids(feed.id, (e.guid for e in parsed.entries))
            waiting = list({e.guid: e for e in parsed.entries if e.guid not in known}.values())
        # the new entries' jobs, with their pages (within the feed's page budget)
        wants = partial(wants_page, full_page=feed.full_page)
        kept, pages = await entry_pages(waiting, wants, poll.page)
        jobs = [Job(entry, page) for entry, page in kept]
        refused = refused_pages([entry for entry, _ in kept], pages, poll.fetcher.policy.key)
        built = (
            await poll.workers.run(
                build_job, jobs, store.lazy_bodies, stories, since, store.worker_index
            )
            if jobs
            else []
        )
        if feed.last_success is None:
            done = iter(built)
            in_order = (
                i for i in first.items if not (isinstance(i, FeedEntry) and i.url in pages.left)
            )
            articles = [next(done) if isinstance(i, FeedEntry) else i for i in in_order]
        else:
            articles = built
        notice = "; ".join(n for n in (notice, pages.notice()) if n) or None
        if pages.left:  # entries left for the next poll: it must read the feed again
            etag = last_modified = None
    except StoreError:
        raise
    except (FetchError, FeedParseError, WorkerError, ValueError) as exc:
        if isinstance(exc, FetchError) and exc.offline:  # recorded when the poll is over
            outcome = FeedOutcome(
                feed,
                PollStatus.FAILED,
                error=clean_line(str(exc)),
                network_error=True,
                offline=True,
            )
            poll.offline.append((outcome, polled_at))
            return outcome
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        network = isinstance(exc, FetchError) and exc.network
        return await _failed(store, feed, polled_at, clean_line(str(exc)), network, retry_after)
    except Exception as exc:  # a bug in parsing or extraction must not stop the other feeds
        return await _failed(store, feed, polled_at, one_line_error(exc), False)

    update = FeedUpdate(
        polled_at=polled_at,
        title=clip(title, TITLE_MAX_CHARS) if title else title,
        etag=etag,
        last_modified=last_modified,
        articles=articles,
        notice=notice,
        in_feed=frozenset(known),
        refused=refused,
    )
    try:
        inserted = await poll.writer.save(feed.id, update)
    except StoreError:
        raise
    except Exception as exc:  # its rows broke the write (a bug): this feed fails alone
        return await _failed(store, feed, polled_at, one_line_error(exc), False)
    return FeedOutcome(
        feed, PollStatus.UPDATED, new_articles=inserted, pages_fetched=pages.fetched, notice=notice
    )


async def _record_offline(poll: _Poll, no_network: bool) -> None:
    """Record the failures that may be this machine's: when no feed of the poll could be
    reached (``no_network``) without back-off and without counting them as the feed's
    failures in a row; else as any failure. Raises StoreError."""
    for outcome, polled_at in poll.offline:
        if no_network:
            await asyncio.to_thread(
                poll.store.record_failure,
                outcome.feed.id,
                polled_at,
                outcome.error or "",
                None,
                counted=False,
            )
        else:
            failed = await _failed(poll.store, outcome.feed, polled_at, outcome.error or "", True)
            outcome.retry_after = failed.retry_after
    poll.offline.clear()


async def _failed(
    store: Store,
    feed: Feed,
    polled_at: datetime,
    error: str,
    network: bool,
    retry_after: datetime | None = None,
) -> FeedOutcome:
    """Record a failure; the feed waits for the later of the server's Retry-After and our
    back-off (none after a single failure)."""
    wait = backoff(feed.failures + 1)
    if wait is not None:
        retry_after = max(retry_after or polled_at, polled_at + wait)
    await asyncio.to_thread(store.record_failure, feed.id, polled_at, error, retry_after)
    return FeedOutcome(
        feed, PollStatus.FAILED, error=error, network_error=network, retry_after=retry_after
    )


def _page_rules(feed: Feed) -> PageRules | None:
    """:func:`~newsroom_tui.parse.listing_page.page_rules`, without importing listing
    detection (and the extractor with it) for a feed."""
    if feed.kind != "page":
        return None
    from newsroom_tui.parse.listing_page import page_rules

    return page_rules(feed)
