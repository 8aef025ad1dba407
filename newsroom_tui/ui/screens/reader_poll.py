"""The reader's own poll: a worker that polls the feeds and reports what finished as
merged messages (``FeedsPolled``)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from newsroom_tui.config import apply_feed_settings
from newsroom_tui.errors import NewsroomError, one_line
from newsroom_tui.store import StoreError
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.later_imports import import_later
from newsroom_tui.ui.messages import FeedsPolled, IndexProgressed
from newsroom_tui.ui.screens.reader_lists import LIST_RELOAD_SECONDS
from newsroom_tui.ui.widgets.status_bar import Problem

if TYPE_CHECKING:
    from newsroom_tui.ingest.poller import FeedOutcome
    from newsroom_tui.ui.screens.reader import ReaderScreen

__all__ = ["LIST_RELOAD_SECONDS", "Polling"]


class Polling:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader
        self.running = False

    def poll_now(self) -> None:
        """r: poll now, feeds in back-off too (the timer's polls leave those waiting)."""
        if not self.running:
            self.poll(retry=True)

    def timed(self) -> None:
        if not self.running:
            self.poll()

    def poll(self, retry: bool = False, on_start: bool = False) -> None:
        self.running = True
        self._reader.run_worker(self._poll(retry, on_start), group="poll", exclusive=True)

    async def _poll(self, retry: bool, on_start: bool) -> None:
        reader = self._reader
        store, status, config = reader.store, reader.status, reader.settings.config
        await reader.painted.wait()
        # the feeds are read in a thread (a thousand of them take a while), after the
        # first frame; a cache without feeds is not polled at start
        try:
            stored = await asyncio.to_thread(store.feeds)
        except StoreError as exc:  # the team's server is away: said, and polled next time
            self.running = False
            reader.server.lost(exc)
            return
        if on_start and not stored:
            self.running = False
            return
        # The poller brings httpx, lxml and trafilatura: import it in a thread so the
        # first keys after start are not kept waiting.
        poller = await import_later("newsroom_tui.ingest.account_poll")
        from newsroom_tui.net.poll_fetcher import poll_fetcher

        feeds = apply_feed_settings(stored, config)
        if retry:
            feeds = [replace(feed, retry_after=None) for feed in feeds]
        status.problems = {}
        status.progress = (0, len(feeds))
        batch = FeedsPolled(len(feeds))
        problems: dict[str, tuple[Problem, str]] = {}  # of the whole poll

        def progress(outcome: FeedOutcome, done: int, total: int) -> None:
            batch.add(outcome, done)

        def send() -> None:
            nonlocal batch
            if batch.feed_ids:
                problems.update(batch.problems)
                batch.problems = dict(problems)
                reader.post_message(batch)
                batch = FeedsPolled(len(feeds))

        ticker = reader.set_interval(LIST_RELOAD_SECONDS, send)
        try:
            # httpx loads the CA certificates as the client is made: in a thread
            fetcher = await asyncio.to_thread(
                poll_fetcher,
                concurrency=config.concurrency,
                private_addresses=config.private_addresses,
            )
            async with fetcher:
                report = await poller.poll_all(
                    store,
                    feeds,
                    fetcher=fetcher,
                    on_progress=progress,
                    # from the index's thread: a message (the newest replaces the last)
                    on_index=lambda done, total: reader.post_message(IndexProgressed(done, total)),
                )
        except NewsroomError as exc:
            reader.notify(
                tr("Poll stopped: {reason}", reason=one_line(exc)),
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        finally:
            ticker.stop()
            self.running = False
            status.progress = status.indexing = None
        send()
        status.offline = report.offline
        await reader.counts.recount(None)  # at the end, every count
        if report.new_articles:
            reader.reload_articles()

    def indexed(self, message: IndexProgressed) -> None:
        """The status line says how far the search index of the poll's articles is; a
        message that comes after the poll (or at its end) says nothing."""
        status = self._reader.status
        running = self.running and message.done < message.total
        status.indexing = (message.done, message.total) if running else None

    def progressed(self, message: FeedsPolled) -> None:
        reader = self._reader
        if self.running:
            reader.status.progress = message.progress
        reader.status.problems = message.problems
        reader.reload_feeds(message.feed_ids)
        if message.new_articles:
            reader.lists.soon()
