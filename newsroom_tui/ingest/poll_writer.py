"""The store's writes of one poll: one transaction at a time from a thread, batched.

A kill -9 loses at most the batch not yet committed, whose feeds are fetched again at the next
poll: nothing committed is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from newsroom_tui.store.base import FeedUpdate, Store, StoreError
from newsroom_tui.watch.on_arrival import match_new_articles

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
# The search index of the poll's articles is made after their writes (the store queues them,
# see newsroom_tui/store/index_queue.py). Once this many wait and no feed waits to be saved,
# the writer indexes them, in one transaction (about half a second of work): a search finds
# a new article seconds after it was stored, and the index uses the moments the writer would
# wait; the rest is made at the poll's end.
INDEX_WHILE_POLLING = 2_000
# The most articles left waiting for the index while feeds wait to be saved (a cold poll's
# writer has feeds waiting all along): past this many, the writer indexes them all before
# its next save. The columns the workers folded wait in memory (1-2 KB an article), and
# the index of articles folded beforehand is cheap (about a tenth of their save's CPU).
INDEX_WAITING_MOST = 10_000


class Writer:
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
        self._unindexed = 0  # articles this writer stored, not yet indexed by it

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
                if self._unindexed >= INDEX_WHILE_POLLING and not self._updates:
                    await self._index(INDEX_WHILE_POLLING)
                elif self._unindexed >= INDEX_WAITING_MOST:
                    await self._index(self._unindexed)
        finally:
            self._drain = None

    async def _index(self, most: int) -> None:
        """Index the articles the poll queued, ``most`` of them; a fault of the cache leaves
        them queued for the poll's end."""
        try:
            done = await asyncio.to_thread(self._store.catch_up_index, None, most)
        except StoreError:
            done = 0
        # a batch's worth at least: a failed batch is not tried again after every write
        self._unindexed = max(0, self._unindexed - max(done, most))

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
                partial(self._store.save_feed_updates, after_save=match_new_articles),
                [(feed_id, update) for feed_id, update, _ in updates],
                [(feed_id, polled_at) for feed_id, polled_at, _ in unchanged],
            )
        except StoreError as exc:  # the cache cannot be written: every feed of it fails so
            for *_, future in (*updates, *unchanged):
                _settle(future, exc)
            return
        except Exception:  # a bug on one feed's rows costs that feed alone: each by itself
            for feed_id, update, future in updates:
                save = partial(self._store.save_feed_update, after_save=match_new_articles)
                await _alone(future, save, feed_id, update)
            for feed_id, polled_at, future in unchanged:
                await _alone(future, self._store.record_not_modified, feed_id, polled_at)
            return
        self._unindexed += sum(counts)
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
