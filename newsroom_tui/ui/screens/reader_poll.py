"""The reader's own poll: a worker that polls the feeds and reports what finished as
merged messages."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from newsroom_tui.config import apply_feed_settings
from newsroom_tui.errors import NewsroomError, one_line
from newsroom_tui.models import PollStatus
from newsroom_tui.store import StoreError
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.screens.reader_parts import ReaderPart
from newsroom_tui.ui.widgets.status_bar import Problem

if TYPE_CHECKING:
    from newsroom_tui.ingest.poller import FeedOutcome

LIST_RELOAD_SECONDS = 0.5  # new articles (a poll, a colleague's): the list reloads this often


class FeedsPolled(Message):
    """What a poll (ours) finished since its last message: the feeds, whether new articles
    came, the progress and the feeds that failed so far. The poll sends one such message
    per LIST_RELOAD_SECONDS, however many feeds finished: the reader shares the event loop
    with the poll, and redrawing after every feed would slow both. Messages that queue up
    merge into the later one."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.feed_ids: set[int] = set()
        self.new_articles = False
        self.progress = (0, total)
        self.problems: dict[str, tuple[Problem, str]] = {}

    def add(self, outcome: FeedOutcome, done: int) -> None:
        self.feed_ids.add(outcome.feed.id)
        self.new_articles = self.new_articles or bool(outcome.new_articles)
        self.progress = (done, self.progress[1])
        name = outcome.feed.display_name
        if outcome.status is PollStatus.FAILED:
            self.problems[name] = (Problem.FAILED, outcome.error or "failed")
        elif outcome.status is PollStatus.SKIPPED and outcome.retry_after is not None:
            self.problems[name] = (Problem.WAITING, outcome.error or "waiting")

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, FeedsPolled):
            return False
        message.feed_ids |= self.feed_ids
        message.new_articles = message.new_articles or self.new_articles
        message.problems = {**self.problems, **message.problems}
        return True


class ReaderPolling(ReaderPart):
    # polling -----------------------------------------------------------------------------

    def action_poll(self) -> None:
        """r: poll now, feeds in back-off too (the timer's polls leave those waiting)."""
        if not self.polling:
            self.poll(retry=True)

    def _timed_poll(self) -> None:
        if not self.polling:
            self.poll()

    @work(group="poll", exclusive=True)
    async def poll(self, retry: bool = False, on_start: bool = False) -> None:
        self.polling = True
        await self._painted.wait()
        # the feeds are read in a thread (a thousand of them take a while), after the
        # first frame; a cache without feeds is not polled at start
        try:
            stored = await asyncio.to_thread(self.store.feeds)
        except StoreError as exc:  # the team's server is away: said, and polled next time
            self.polling = False
            self._server_lost(exc)
            return
        if on_start and not stored:
            self.polling = False
            return
        # The poller brings httpx, lxml and trafilatura: import it in a thread so the
        # first keys after start are not kept waiting.
        poller = await asyncio.to_thread(
            importlib.import_module, "newsroom_tui.ingest.account_poll"
        )
        from newsroom_tui.net.poll_fetcher import poll_fetcher

        feeds = apply_feed_settings(stored, self.app.config)
        if retry:
            feeds = [replace(feed, retry_after=None) for feed in feeds]
        self.status.problems = {}
        self.status.progress = (0, len(feeds))
        batch = FeedsPolled(len(feeds))
        problems: dict[str, tuple[Problem, str]] = {}  # of the whole poll

        def progress(outcome: FeedOutcome, done: int, total: int) -> None:
            batch.add(outcome, done)

        def send() -> None:
            nonlocal batch
            if batch.feed_ids:
                problems.update(batch.problems)
                batch.problems = dict(problems)
                self.post_message(batch)
                batch = FeedsPolled(len(feeds))

        ticker = self.set_interval(LIST_RELOAD_SECONDS, send)
        try:
            # httpx loads the CA certificates as the client is made: in a thread
            config = self.app.config
            fetcher = await asyncio.to_thread(
                poll_fetcher,
                concurrency=config.concurrency,
                private_addresses=config.private_addresses,
            )
            async with fetcher:
                report = await poller.poll_all(
                    self.store, feeds, fetcher=fetcher, on_progress=progress
                )
        except NewsroomError as exc:
            self.notify(
                tr("Poll stopped: {reason}", reason=one_line(exc)),
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        finally:
            ticker.stop()
            self.polling = False
            self.status.progress = None
        send()
        self.status.offline = report.offline
        await self._recount(None)  # at the end, every count
        if report.new_articles:
            self.reload_articles()

    def on_feeds_polled(self, message: FeedsPolled) -> None:
        if self.polling:
            self.status.progress = message.progress
        self.status.problems = message.problems
        self.reload_feeds(message.feed_ids)
        if message.new_articles:
            self.reload_articles_soon()
