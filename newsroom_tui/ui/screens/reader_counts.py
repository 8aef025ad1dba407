"""The reader's counts: the feed list's and watchlists' numbers and the status line's
totals, read in a thread; and another process's writes to the cache, looked for."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

from newsroom_tui.store import (
    ALL_ARTICLES,
    LocalChanges,
    ScreenCounts,
    StoreError,
    StoryTotals,
)
from newsroom_tui.ui.counts import NewsCounter
from newsroom_tui.ui.language import plural
from newsroom_tui.ui.stored_problems import problems_in_store

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen


class Counting:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader
        self.news = NewsCounter()
        self._change_token: object = None  # the cache's change counter, last seen
        self.counted = False  # shown once (the first frame may bring them)

    # changes by another process ----------------------------------------------------------

    def look_for_changes(self) -> None:
        # during our own poll its messages keep the list and counts up to date
        reader = self._reader
        if not reader.poller.running and not any(w.group == "changes" for w in reader.workers):
            reader.run_worker(self._changes(), group="changes")

    def mark_changes(self) -> None:
        """Where the cache is now (in a thread, before the first list is read): the first
        look then sees what another process wrote since. Without it the first look only
        marked where the cache was, and a write before it (seconds after the start) was
        never seen."""
        store = self._reader.store
        if isinstance(store, LocalChanges):
            self._change_token = store.changed_since(None).token

    async def _changes(self) -> None:
        reader = self._reader
        store = reader.store
        assert isinstance(store, LocalChanges)
        try:
            found = await asyncio.to_thread(store.changed_since, self._change_token)
        except StoreError:
            return
        self._change_token = found.token
        if not found.changed:
            return
        last_poll, named = reader.status.last_poll, reader.feed_list.names
        await self.recount(None)
        if found.by_others:
            self._others_wrote(last_poll, named)

    def _others_wrote(self, last_poll: datetime | None, named: dict[int, str]) -> None:
        """Another process wrote the cache (a shell's `newsroom read`, another reader, cron's
        fetch): the rows shown are read again (the cursor stays on its article; done ones
        leave the list), the pane's article's state too, and the status line's failed feeds
        and OFFLINE of this reader's own poll follow the store's feed state."""
        reader = self._reader
        reader.lists.soon()
        # (its read state stays the pane's: in a list of stories, its story's)
        reader.colleagues.refresh_shown_article()
        status = reader.status
        if reader.poller.running:  # its messages say how its feeds fare
            return
        feeds = [c.feed for c in reader.feed_list.counts.values()]
        status.problems = problems_in_store(status.problems, feeds, named)
        if status.offline and status.last_poll != last_poll:
            status.offline = False  # a poll since reached a server: this machine is online

    @property
    def looked(self) -> bool:
        """The reader has looked at the cache's changes once: it sees the next one."""
        return self._change_token is not None

    def reload_feeds(self, only: Collection[int] | None = None) -> None:
        """The feed list's counts, read in a thread: all of them, or ``only`` those feeds
        (during a poll: counting every feed costs more the larger the cache)."""
        self._reader.run_worker(self.recount(None if only is None else set(only)), group="counts")

    async def first_counts(self) -> None:
        """The counts, once the first frame is on screen, unless it came with them."""
        await self._reader.painted.wait()
        if not self.counted:
            await self.recount(None)

    async def recount(self, only: set[int] | None) -> None:
        reader = self._reader
        store = reader.store
        stories = reader.view.stories

        def read() -> tuple[ScreenCounts, StoryTotals | None]:
            # all articles, done or not (ALL_ARTICLES): what a D takes from the list is no
            # news gone, nor news come
            stored = store.count_articles(ALL_ARTICLES) if only is None else None
            feeds = store.feed_counts(only, stories=stories)
            # a list of stories counts its totals apart (a story of two feeds is one); a
            # poll's progress keeps the last ones, its end counts them again
            told = store.story_totals() if stories and only is None else None
            watched = store.watch_counts(stories=stories)
            counts = ScreenCounts(feeds, store.last_success(), watched, stored)
            return counts, told

        try:
            counts, told = await asyncio.to_thread(read)
        except StoreError as exc:
            reader.server.lost(exc)
            return
        if not self.show(counts, only, told, stories=stories):  # a feed not in the list yet
            await self.recount(None)

    def show(
        self,
        counts: ScreenCounts,
        only: set[int] | None,
        told: StoryTotals | None = None,
        *,
        stories: bool | None = None,
    ) -> bool:
        """Show counts read (of every feed, or of the feeds ``only``; ``told``: a list of
        stories' totals; ``stories``: counted for a list of stories or of articles, None:
        for the view's); False when a feed among them is not in the list yet (all must be
        read again)."""
        reader = self._reader
        stories = reader.view.stories if stories is None else stories
        # a list of stories' totals are counted apart: the first frame's counts lack them
        self.counted = told is not None or not stories
        reader.status.last_poll = counts.last_success
        reader.watch_list.show_counts(counts.watchlists)
        feeds = reader.feed_list
        if told is not None:
            feeds.count_stories((told.stories, told.unread), told.categories)
        elif not stories:
            feeds.count_stories(None, {})
        if only is None:
            before = feeds.names
            feeds.show_counts(counts.feeds)
            self._forget_removed(before, feeds.names)
        elif not feeds.update_counts(counts.feeds):
            return False
        if counts.stored is not None:
            came = self.news.counted(counts.stored)  # the first count at start only sets the mark
            if came:
                reader.notify(plural(came, "{n} new article", "{n} new articles"))
                reader.lists.soon()
        reader.status.stories_counted = stories  # the word for the totals shown with it
        self.show_totals()
        return True

    def _forget_removed(self, before: dict[int, str], now: dict[int, str]) -> None:
        """The status line stops naming the problems of this reader's poll whose feeds are
        no longer subscribed (``newsroom remove`` from a shell, a colleague on the team
        store): the feed list read again no longer holds them."""
        status = self._reader.status
        gone = {name for fid, name in before.items() if fid not in now} - set(now.values())
        if gone & status.problems.keys():
            status.problems = {n: p for n, p in status.problems.items() if n not in gone}

    def show_totals(self) -> None:
        reader = self._reader
        feeds, table, status = reader.feed_list, reader.article_list, reader.status
        status.totals = (feeds.total, feeds.total_unread) if feeds.counted else None
        status.feed_names = feeds.names
        status.shown = table.row_count
        status.shown_more = table.more
        status.stored_failures = sum(1 for c in feeds.counts.values() if c.feed.error)
