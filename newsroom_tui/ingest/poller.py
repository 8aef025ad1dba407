"""One poll of many feeds: fetch, parse, fetch pages of new summary-only entries, store.

The event loop only moves bytes: feed parsing and HTML extraction run in worker processes
(:class:`_Workers`, one per core) and come back as small picklable records, and the store is
written from a thread. A feed that fails, fails alone with a one-line error.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import heapq
import logging
import multiprocessing
import multiprocessing.context
import os
import re
import sys
import threading
import time
import warnings
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newsroom_tui.ingest.article_pages import PageResult, entry_pages
from newsroom_tui.ingest.article_rows import article_list
from newsroom_tui.ingest.entries import FeedEntry, FeedParseError, ParsedFeed
from newsroom_tui.ingest.story_assignment import attach as attach_stories
from newsroom_tui.ingest.worker_lifetime import (
    FORK_SERVER_MODULE,
    die_with_parent,
    on_lasting_thread,
)
from newsroom_tui.models import (
    BodySource,
    ExtractedPage,
    Feed,
    GalleryItem,
    NewArticle,
    PollStatus,
)
from newsroom_tui.net.fetcher import PAGE_MAX_BYTES, Fetcher, FetchError, check_url
from newsroom_tui.net.poll_fetcher import poll_fetcher
from newsroom_tui.store.base import FeedUpdate, SharedStore, Store, StoreError
from newsroom_tui.text.sanitize import TITLE_MAX_CHARS, clean_gallery, clean_line, clip

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# A feed served without ETag and Last-Modified is remembered by a digest of its bytes, kept in
# the etag column under this prefix (and never sent to the server): same bytes, no re-parse.
CONTENT_HASH_PREFIX = "newsroom-content:"
# Feeds between "fetch started" and "stored" at once: bounds memory, keeps the workers fed.
IN_FLIGHT = 24
# Feeds stored in one write transaction at most: the poll's saves go to one writer, and the
# feeds that are ready while a batch commits go together into the next one (one commit and
# one full-text segment for them all). A kill -9 loses at most the batch not yet committed,
# whose feeds are fetched again at the next poll: nothing committed is lost.
WRITE_BATCH = 32
# While more feeds of the poll are on their way, the writer waits this long at most for a
# batch to fill before it starts a transaction: the parse workers finish a feed every 15-30
# ms, and one feed per transaction (each commit rewriting the same index pages, one
# full-text segment each) cost twice the CPU of ten per transaction in the main process.
GATHER_SECONDS = 0.25
# Below this many feeds the work is too small to be worth starting worker processes.
MIN_FEEDS_FOR_PROCESSES = 4
WORKER_NICENESS = 10
WORK_DEADLINE = 30.0  # seconds of parsing/extraction for one job before it fails
PARENT_CHECK_SECONDS = 0.5  # how often a worker looks whether the newsroom is still there
# Entries taken from one feed per poll: the newest ones (by date, else the first in the
# document). A feed of 10,000 items costs what one of 1,000 does, and says so in its status.
MAX_ENTRIES = 1000
# Back-off for a feed that keeps failing: from the second failure in a row it is skipped for
# 15 min, then 30 min, 1 h, 2 h … at most 6 h (one failure alone may be a blip: no wait).
# A success resets it; a server's Retry-After (429/503) is honoured when it asks for longer.
BACKOFF_FIRST = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=6)

if TYPE_CHECKING:
    from newsroom_tui.sources.page_poll import PageRules

# What the workers run and the main process does not need (the extractor, listing detection:
# a third of a poll's start-up in the main process, all of a re-poll's): imported where it
# is used, and once by the fork server before it forks the workers.
WORKER_MODULES = [
    "newsroom_tui.extract",
    "newsroom_tui.extract.gallery",
    "newsroom_tui.ingest.article_body",
    "newsroom_tui.sources.page_poll",
]

T = TypeVar("T")


@dataclass
class FeedOutcome:
    feed: Feed
    status: PollStatus
    new_articles: int = 0
    pages_fetched: int = 0
    error: str | None = None  # for "skipped": "retry after 14:30 (last error: …)"
    network_error: bool = False
    retry_after: datetime | None = None  # not polled again before this
    notice: str | None = None  # e.g. "only the newest 1,000 of 10,000 entries kept"


@dataclass
class PollReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    # Set when the cache could not be written (read-only, disk full…): the poll stops.
    store_error: str | None = None

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


ProgressCallback = Callable[[FeedOutcome, int, int], None]


class WorkerError(Exception):
    """The CPU work for one feed could not be done (one-line reason)."""


# Work done in the worker processes (top-level functions: they are pickled by name) ----------


def _parse_job(
    data: bytes, url: str, content_type: str | None, page: PageRules | None = None
) -> ParsedFeed:
    from newsroom_tui.sources.page_poll import parse_source

    return _newest(parse_source(data, url, content_type, page))


def _newest(parsed: ParsedFeed, limit: int = MAX_ENTRIES) -> ParsedFeed:
    """At most ``limit`` entries: the newest by date (undated ones rank by their place in
    the document, after the dated ones), kept in document order."""
    entries = parsed.entries
    if len(entries) <= limit:
        return parsed
    floor = datetime.min.replace(tzinfo=UTC)
    ranked = heapq.nlargest(
        limit,
        range(len(entries)),
        key=lambda i: (entries[i].published is not None, entries[i].published or floor, -i),
    )
    kept = [entries[i] for i in sorted(ranked)]
    return ParsedFeed(parsed.title, kept, total=parsed.total or len(entries))


@dataclass
class _FirstPoll:
    """A feed polled successfully for the first time: nothing of it is stored yet, so every
    entry is new and the worker builds the articles right after parsing (one round trip).
    ``items`` keeps the feed's order: an article, or the entry when it wants its page."""

    title: str | None
    items: list[NewArticle | FeedEntry]
    notice: str | None = None


def _first_poll_job(
    data: bytes,
    url: str,
    content_type: str | None,
    full_page: str,
    page: PageRules | None = None,
    lazy: bool = False,
    index: bool = False,
) -> _FirstPoll:
    from newsroom_tui.sources.page_poll import parse_source

    parsed = _newest(parse_source(data, url, content_type, page))
    fresh = {e.guid: e for e in parsed.entries}.values()
    items: list[NewArticle | FeedEntry] = [
        e if _wants_page(e, full_page) else _built_alone(e, None, lazy) for e in fresh
    ]
    return _FirstPoll(parsed.title, article_list(items, index), _entries_notice(parsed))


def _entries_notice(parsed: ParsedFeed) -> str | None:
    if parsed.total is None or parsed.total <= len(parsed.entries):
        return None
    return f"only the newest {len(parsed.entries):,} of {parsed.total:,} entries kept"


@dataclass
class _Job:
    """One new entry to turn into an article; ``page`` is its extracted page, if fetched."""

    entry: FeedEntry
    page: ExtractedPage | None = None


def _extract_page_job(content: bytes, url: str, content_type: str | None) -> ExtractedPage:
    from newsroom_tui.extract import extract_page

    return extract_page(content, url, content_type)


def _build_job(jobs: list[_Job], lazy: bool = False, index: bool = False) -> list[NewArticle]:
    return article_list((_built_alone(job.entry, job.page, lazy) for job in jobs), index)


def _built_alone(entry: FeedEntry, page: ExtractedPage | None, lazy: bool = False) -> NewArticle:
    """One entry's article; when its page (or its own HTML) breaks the build, the entry is
    kept with its teaser: one bad entry never costs the others of its feed. ``lazy``: a
    small entry without a page keeps its HTML, made Markdown when first read."""
    if lazy and page is None:
        with contextlib.suppress(Exception):
            deferred = _deferred_article(entry)
            if deferred is not None:
                return deferred
    bare = replace(entry, content_html=None)
    tries = [(entry, page), (entry, None), (bare, None)] if page else [(entry, None), (bare, None)]
    for candidate, extracted in tries:
        with contextlib.suppress(Exception):
            return _build_article(candidate, extracted)
    return _build_article(replace(bare, summary_html=""), None)  # the title alone


def _build_article(entry: FeedEntry, page: ExtractedPage | None) -> NewArticle:
    """The stored form of one new entry (CPU only: extraction of the feed's HTML)."""
    from newsroom_tui.extract import extract_fragment
    from newsroom_tui.ingest.article_body import compose, fragment

    base = entry.base_url or entry.url
    summary = fragment(entry.summary_html, base) if entry.summary_html else ExtractedPage()
    extracted = page
    if extracted is None and entry.content_html:
        extracted = extract_fragment(entry.content_html, base)
    extracted = extracted or ExtractedPage()
    summary_md, body_md = compose(summary, extracted)
    gallery = _merge_gallery(extracted.gallery or summary.gallery, entry.media)
    return NewArticle(
        guid=entry.guid,
        url=entry.url,
        title=_title(entry, extracted),
        published=entry.published or extracted.published,
        summary=summary_md,
        body_markdown=body_md,
        gallery=clean_gallery(gallery),
    )


def _title(entry: FeedEntry, extracted: ExtractedPage | None = None) -> str:
    title = clean_line(entry.title or (extracted.title if extracted else None)) or "(untitled)"
    return clip(title, TITLE_MAX_CHARS)


# HTML that may hold an image once parse_html has taken control characters and escape
# sequences out; without one there is no gallery, and nothing to parse at poll time. Two
# searches, not one alternation: the literal is found by a fast scan, and the class without
# IGNORECASE is tested per character without case folding.
_IMAGE = re.compile("<img", re.IGNORECASE)
_STRIPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x9b\x9d\ufffe\uffff\ud800-\udfff]")


def _maybe_image(html: str) -> bool:
    return _IMAGE.search(html) is not None or _STRIPPED.search(html) is not None


def _gallery_of(html: str, base_url: str | None) -> list[GalleryItem]:
    """The gallery :func:`extract_fragment` finds in ``html``, without making its Markdown."""
    from newsroom_tui.extract.gallery import collect_gallery
    from newsroom_tui.extract.page import parse_html

    if not _maybe_image(html):
        return []
    tree = parse_html(html)
    return collect_gallery(tree, base_url).items if tree is not None else []


def _deferred_article(entry: FeedEntry) -> NewArticle | None:
    """One new entry with its Markdown left for when it is first read (see
    :mod:`newsroom_tui.ingest.article_body`): gallery, credits and search text now, in one cheap
    pass; None for an entry too large to leave to the reader."""
    from newsroom_tui.ingest.article_body import LAZY_MAX_CHARS, search_text

    base = entry.base_url or entry.url
    source = BodySource(entry.summary_html, entry.content_html, base)
    if source.size > LAZY_MAX_CHARS or len(_IMAGE.findall(source.content_html or "")) > 40:
        return None  # long, or a wall of images (each a gallery item to find again)
    found = _gallery_of(entry.content_html, base) if entry.content_html else []
    if not found and entry.summary_html:
        found = _gallery_of(entry.summary_html, base)
    return NewArticle(
        guid=entry.guid,
        url=entry.url,
        title=_title(entry),
        published=entry.published,
        body_markdown=search_text(source),
        gallery=clean_gallery(_merge_gallery(found, entry.media)),
        source=source.encode(),
    )


def _merge_gallery(found: list[GalleryItem], media: list[GalleryItem]) -> list[GalleryItem]:
    """Page images first; feed media (normalised credits) for images the page did not show."""
    from newsroom_tui.extract.credits import split_credit

    seen = {item.src for item in found}
    merged = list(found)
    for item in media:
        if item.src in seen:
            continue
        credit = split_credit(item.credit)[1] or item.credit if item.credit else None
        merged.append(GalleryItem(src=item.src, caption=item.caption, credit=credit))
        seen.add(item.src)
    return merged


def _warm_up(parent: int) -> None:
    """Worker set-up. Imports are the warm-up; and a worker must never write to the
    terminal it inherited (under the TUI that would paint over the screen), so library log
    records and warnings go nowhere: failures come back to the parent as exceptions. A worker
    dies with the newsroom that started it, even one killed with ``kill -9``."""
    logging.basicConfig(handlers=[logging.NullHandler()], force=True)
    warnings.simplefilter("ignore")
    # Workers are batch work: on a busy machine the process that answers the keyboard first.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    if os.getppid() != parent:
        # Forked by the fork server (single-threaded): die with it, even busy in C code.
        # Not when our parent is the newsroom itself, where the signal would come when the
        # thread that started us ends, not the process.
        die_with_parent()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Every platform: end this worker, even in the middle of a job, once the newsroom that
    started it is gone (the fork server outlives it while any worker runs)."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if _gone(parent):
            os._exit(0)


def _gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped by its own parent counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # there, but not ours to signal
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (macOS): kill() said it is there
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def _serve(conn: Connection, parent: int) -> None:
    """A worker process: run the jobs sent over ``conn`` one at a time until it closes."""
    _warm_up(parent)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except BaseException as exc:  # it goes back to the parent, which raises it
            reply = ("error", exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result or exception that does not pickle
            conn.send(("error", WorkerError(_one_line(exc))))


def _start_helper_processes(context: multiprocessing.context.BaseContext) -> None:
    """multiprocessing hands ``sys.stderr``'s descriptor to its helper processes (resource
    tracker, fork server). Under Textual ``sys.stderr`` is a capture object without a real
    descriptor, and starting them fails with "bad value(s) in fds_to_keep": start them with
    the real stderr first; later starts find them running."""
    from multiprocessing import forkserver, resource_tracker

    def start() -> None:
        with contextlib.redirect_stderr(sys.__stderr__):
            resource_tracker.ensure_running()
            if context.get_start_method() == "forkserver":
                forkserver.ensure_running()

    on_lasting_thread(start)  # the fork server dies with the newsroom: worker_lifetime.py


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    # Never plain fork: the parent has threads (the UI, the store writer) whose locks a forked
    # child would inherit in whatever state they were. The fork server starts clean, imports
    # this module once, and forks the workers from there.
    method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([FORK_SERVER_MODULE, __name__, *WORKER_MODULES])
    _start_helper_processes(context)
    return context


def _in_thread(fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
    """``fn(*args)`` in a daemon thread of its own: one that never finishes (a stuck parse,
    a worker that never answers) does not hold up the end of the program, as a thread of an
    executor would (those are joined at exit, asyncio.run waits for its default one)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def target() -> None:
        try:
            result: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:
            result = (False, exc)
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
            loop.call_soon_threadsafe(settle, *result)

    threading.Thread(target=target, daemon=True, name="newsroom-parse").start()
    return future


class _Process:
    """One worker process and our end of the pipe to it."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        ours, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, os.getpid()), daemon=True, name="newsroom-parse"
        )
        self.process.start()
        theirs.close()
        self.conn = ours
        self.busy = False

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
        """Send a job and wait for its reply (in a thread); EOFError if the process died."""
        try:
            self.conn.send((fn, args))
            return self.conn.recv()
        except (EOFError, OSError):
            self.conn.close()
            raise EOFError from None

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
            self.process.join(1)
        if not self.busy:  # else the thread waiting on the pipe closes it when it ends
            self.conn.close()


# The pools ------------------------------------------------------------------------------


class _Workers:
    """CPU work off the event loop: worker processes for many feeds, a thread for a few.

    Each job runs alone in one worker process and has :data:`WORK_DEADLINE` from the moment
    that process takes it: a job that runs over costs only its own feed, its process is
    killed and replaced, and the jobs of the other feeds carry on where they are."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._free = asyncio.Semaphore(max(processes, 1))
        self._idle: list[_Process] = []
        self._all: set[_Process] = set()
        self._context: asyncio.Future[multiprocessing.context.BaseContext] | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._processes <= 0:
            return await self._run_in_thread(fn, args)
        # A worker that died under a job (the OOM killer may pick one that was not the
        # cause) gets the job once more in a fresh process.
        for attempt in (1, 2):
            try:
                return await self._run_in_process(fn, args)
            except EOFError:
                if attempt == 2:
                    raise WorkerError("the parser process stopped unexpectedly") from None
        raise AssertionError("unreachable")

    async def _run_in_thread(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        async with self._free:
            try:
                async with asyncio.timeout(WORK_DEADLINE):
                    return await _in_thread(fn, *args)
            except TimeoutError:
                # A thread cannot be ended: it finishes in the background, a daemon, and the
                # next job does not wait for it.
                raise WorkerError(_over_deadline()) from None

    async def _run_in_process(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        async with self._free:
            worker = self._idle.pop() if self._idle else await self._start()
            worker.busy = True
            try:
                async with asyncio.timeout(WORK_DEADLINE):
                    status, value = await _in_thread(worker.call, fn, args)
            except TimeoutError:
                self._end(worker)
                raise WorkerError(_over_deadline()) from None
            except BaseException:  # died (EOFError), or we were cancelled mid-job
                self._end(worker)
                raise
            worker.busy = False
            self._idle.append(worker)
        if status == "error":
            raise value
        return value

    async def _start(self) -> _Process:
        if self._context is None:
            self._context = asyncio.ensure_future(asyncio.to_thread(_context))
        context = await self._context
        # in a thread: a start waits for the fork server (still importing at first), which
        # on the event loop held the reader's keys; on the lasting one: a fork server that
        # must be started again is tied to the newsroom's life, not to an executor thread's.
        worker = await asyncio.to_thread(on_lasting_thread, partial(_Process, context))
        self._all.add(worker)
        return worker

    def _end(self, worker: _Process) -> None:
        self._all.discard(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        worker.kill()

    async def close(self) -> None:
        """Kill every worker, idle or stuck: nothing waits for a job that never ends."""
        for worker in list(self._all):
            self._end(worker)


def _over_deadline() -> str:
    return f"parsing took longer than {WORK_DEADLINE:.0f} s"


def _default_processes(feeds: int) -> int:
    if feeds < MIN_FEEDS_FOR_PROCESSES:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 8))


# The store's writes ----------------------------------------------------------------------


class _Writer:
    """The saves of one poll, one transaction at a time from a thread: what waits while a
    batch commits is saved together in the next (group commit). A feed's save returns once
    its batch is committed."""

    def __init__(self, store: Store, outstanding: Callable[[], int] = lambda: 0) -> None:
        self._store = store
        self._updates: list[tuple[int, FeedUpdate, asyncio.Future[int]]] = []
        self._unchanged: list[tuple[int, datetime, asyncio.Future[int]]] = []
        self._drain: asyncio.Task[None] | None = None
        # feeds of the poll under way (queued here, or still fetched or parsed)
        self._outstanding = outstanding
        self._arrived = asyncio.Event()

    async def save(self, feed_id: int, update: FeedUpdate) -> int:
        """Store one feed's poll; how many articles it added."""
        return await self._queued(self._updates, (feed_id, update))

    async def not_modified(self, feed_id: int, polled_at: datetime) -> None:
        await self._queued(self._unchanged, (feed_id, polled_at))

    async def _queued(self, queue: list[Any], item: tuple[int, Any]) -> int:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        queue.append((*item, future))
        self._arrived.set()
        if self._drain is None:
            self._drain = asyncio.ensure_future(self._write_all())
        return await future

    async def _write_all(self) -> None:
        try:
            while self._updates or self._unchanged:
                await self._gather()
                updates, self._updates = self._updates[:WRITE_BATCH], self._updates[WRITE_BATCH:]
                unchanged, self._unchanged = self._unchanged, []
                await self._write(updates, unchanged)
        finally:
            self._drain = None

    async def _gather(self) -> None:
        """Wait (at most :data:`GATHER_SECONDS`) while the batch is not full and feeds of the
        poll are still on their way."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GATHER_SECONDS
        while len(self._updates) < WRITE_BATCH:
            queued = len(self._updates) + len(self._unchanged)
            if self._outstanding() <= queued or loop.time() >= deadline:
                return
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    await self._arrived.wait()

    async def _write(
        self,
        updates: list[tuple[int, FeedUpdate, asyncio.Future[int]]],
        unchanged: list[tuple[int, datetime, asyncio.Future[int]]],
    ) -> None:
        try:
            counts = await asyncio.to_thread(
                self._store.save_feed_updates,
                [(feed_id, update) for feed_id, update, _ in updates],
                [(feed_id, polled_at) for feed_id, polled_at, _ in unchanged],
            )
        except StoreError as exc:  # the cache cannot be written: every feed of it fails so
            for *_, future in (*updates, *unchanged):
                _settle(future, exc)
            return
        except Exception:  # a bug on one feed's rows costs that feed alone: each by itself
            for feed_id, update, future in updates:
                await _alone(future, self._store.save_feed_update, feed_id, update)
            for feed_id, polled_at, future in unchanged:
                await _alone(future, self._store.record_not_modified, feed_id, polled_at)
            return
        for (*_, future), count in zip(updates, counts, strict=True):
            _settle(future, count)
        for *_, future in unchanged:
            _settle(future, 0)


async def _alone(future: asyncio.Future[int], save: Callable[..., int | None], *args: Any) -> None:
    """One feed's save in a transaction of its own; its count (or error) settles ``future``."""
    try:
        count = await asyncio.to_thread(save, *args)
    except Exception as exc:
        _settle(future, exc)
    else:
        _settle(future, count or 0)


def _settle(future: asyncio.Future[int], outcome: int | BaseException) -> None:
    if future.done():  # its feed was cancelled meanwhile
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


# The poll -------------------------------------------------------------------------------


class _Poll:
    """Shared state of one poll: fetcher, workers, and pages already fetched in this poll."""

    def __init__(self, store: Store, fetcher: Fetcher, workers: _Workers) -> None:
        self.store = store
        self.fetcher = fetcher
        self.workers = workers
        attach_stories(store)  # the new articles' stories are decided as they are stored
        self.in_flight = asyncio.Semaphore(IN_FLIGHT)
        self.active = 0  # feeds holding a place of in_flight (fetching, parsing, saving)
        # the writer waits for a fuller batch only while some of them are not queued yet
        self.writer = _Writer(store, lambda: self.active)
        self._pages: dict[str, asyncio.Task[PageResult]] = {}

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
        # A page that cannot be had or read costs only its entry, which keeps its summary;
        # the page is not tried again in this poll. It is named by the feed: fetched only
        # from the addresses the fetcher's policy allows.
        try:
            check_url(url)
            page = await self.fetcher.get(
                url, max_bytes=PAGE_MAX_BYTES, accept="text/html", named_by_content=True
            )
        except FetchError as exc:
            return PageResult(None, False, str(exc) if exc.refused else None)
        except Exception:  # ValueError, and what httpx may raise besides
            return PageResult(None, False)
        try:
            extracted = await self.workers.run(
                _extract_page_job, page.content, page.url, page.content_type
            )
        except Exception:  # over the deadline, or a bug in extraction on this page
            extracted = None
        return PageResult(extracted, True)


async def poll_feeds(
    store: Store,
    feeds: list[Feed] | None = None,
    *,
    fetcher: Fetcher | None = None,
    on_progress: ProgressCallback | None = None,
) -> PollReport:
    """Poll ``feeds`` (default: all) concurrently; each feed succeeds or fails alone."""
    feeds = store.feeds() if feeds is None else feeds
    report = PollReport()
    own_fetcher = fetcher is None
    fetcher = fetcher or poll_fetcher()
    workers = _Workers(_default_processes(len(feeds)))
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

        await asyncio.gather(*(run(feed) for feed in feeds))
    finally:
        await workers.close()
        if own_fetcher:
            await fetcher.aclose()
    return report


async def poll_feed(store: Store, feed: Feed, fetcher: Fetcher) -> FeedOutcome:
    """Poll one feed (CPU work on a thread: no worker processes for one feed). Raises
    StoreError when the cache cannot be written."""
    workers = _Workers(0)
    try:
        return await _poll_feed(_Poll(store, fetcher, workers), feed)
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
    reason = f" (last error: {feed.error})" if feed.error else ""
    return FeedOutcome(
        feed, PollStatus.SKIPPED, error=f"{feed.retry_text}{reason}", retry_after=feed.retry_after
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
    return min(BACKOFF_FIRST * 2 ** min(failures - 2, 16), BACKOFF_MAX)


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
        index = store.worker_index
        known: set[str] = set()  # the entries stored before, still in the feed: kept
        if feed.last_success is None:
            first = await poll.workers.run(
                _first_poll_job, *args, feed.full_page, page, store.lazy_bodies, index
            )
            title, notice = first.title, first.notice
            waiting = [item for item in first.items if isinstance(item, FeedEntry)]
        else:
            parsed = await poll.workers.run(_parse_job, *args, page)
            if page and etag and etag.startswith(CONTENT_HASH_PREFIX):
                # no validators: a page source is unchanged when its list of announcements is
                from newsroom_tui.sources.page_poll import listing_digest

                etag = CONTENT_HASH_PREFIX + listing_digest(parsed.entries)
                if etag == feed.etag:
                    await poll.writer.not_modified(feed.id, polled_at)
                    return FeedOutcome(feed, PollStatus.NOT_MODIFIED)
            title, notice = parsed.title, _entries_notice(parsed)
            known = store.known_guids(feed.id, (e.guid for e in parsed.entries))
            waiting = list({e.guid: e for e in parsed.entries if e.guid not in known}.values())
        # the new entries' jobs, with their pages (within the feed's page budget)
        wants = partial(_wants_page, full_page=feed.full_page)
        kept, pages = await entry_pages(waiting, wants, poll.page)
        jobs = [_Job(entry, page) for entry, page in kept]
        built = await poll.workers.run(_build_job, jobs, store.lazy_bodies, index) if jobs else []
        if feed.last_success is None:
            done = iter(built)
            kept = (
                i for i in first.items if not (isinstance(i, FeedEntry) and i.url in pages.left)
            )
            articles = [next(done) if isinstance(i, FeedEntry) else i for i in kept]
        else:
            articles = built
        notice = "; ".join(n for n in (notice, pages.notice()) if n) or None
        if pages.left:  # entries left for the next poll: it must read the feed again
            etag = last_modified = None
    except StoreError:
        raise
    except (FetchError, FeedParseError, WorkerError, ValueError) as exc:
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        network = isinstance(exc, FetchError) and exc.network
        return await _failed(store, feed, polled_at, clean_line(str(exc)), network, retry_after)
    except Exception as exc:  # a bug in parsing or extraction must not stop the other feeds
        return await _failed(store, feed, polled_at, _one_line(exc), False)

    update = FeedUpdate(
        polled_at=polled_at,
        title=clip(title, TITLE_MAX_CHARS) if title else title,
        etag=etag,
        last_modified=last_modified,
        articles=articles,
        notice=notice,
        in_feed=frozenset(known),
    )
    try:
        inserted = await poll.writer.save(feed.id, update)
    except StoreError:
        raise
    except Exception as exc:  # its rows broke the write (a bug): this feed fails alone
        return await _failed(store, feed, polled_at, _one_line(exc), False)
    return FeedOutcome(
        feed, PollStatus.UPDATED, new_articles=inserted, pages_fetched=pages.fetched, notice=notice
    )


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


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = clip(clean_line(lines[0]), 200) if lines else ""
    return f"internal error: {type(exc).__name__}" + (f": {first}" if first else "")


def _page_rules(feed: Feed) -> PageRules | None:
    """:func:`~newsroom_tui.sources.page_poll.page_rules`, without importing listing
    detection (and the extractor with it) for a feed."""
    if feed.kind != "page":
        return None
    from newsroom_tui.sources.page_poll import page_rules

    return page_rules(feed)


def _wants_page(entry: FeedEntry, full_page: str) -> bool:
    if not entry.url or full_page == "never":
        return False
    return full_page == "always" or not entry.has_full_content
