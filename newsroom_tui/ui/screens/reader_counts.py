"""The reader's counts: the feed list's and watchlists' numbers and the status line's
totals, read in a thread; and another process's writes to the cache, looked for."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime
from typing import Any

from newsroom_tui.store import ALL_ARTICLES, FeedCounts, LocalChanges, StoreError
from newsroom_tui.ui.language import plural, tr
from newsroom_tui.ui.screens.reader_parts import ReaderPart


class ReaderCounts(ReaderPart):
    # changes by another process ----------------------------------------------------------

    def _look_for_changes(self) -> None:
        # during our own poll its messages keep the list and counts up to date
        if not self.polling and not any(w.group == "changes" for w in self.workers):
            self.run_worker(self._changes(), group="changes")

    async def _changes(self) -> None:
        store = self.store
        assert isinstance(store, LocalChanges)
        try:
            changed, self._change_token = await asyncio.to_thread(
                store.changed_since, self._change_token
            )
        except StoreError:
            return
        if changed:
            await self._recount(None)

    def reload_feeds(self, only: Collection[int] | None = None) -> None:
        """The feed list's counts, read in a thread: all of them, or ``only`` those feeds
        (during a poll: counting every feed costs more the larger the cache)."""
        self.run_worker(self._recount(None if only is None else set(only)), group="counts")

    async def _first_counts(self) -> None:
        await self._painted.wait()
        await self._recount(None)

    async def _recount(self, only: set[int] | None) -> None:
        store = self.store

        def read() -> tuple[list[FeedCounts], datetime | None, Any, int | None]:
            # all articles, done or not (ALL_ARTICLES): what a D takes from the list is no
            # news gone, nor news come
            stored = store.count_articles(ALL_ARTICLES) if only is None else None
            return store.feed_counts(only), store.last_success(), store.watch_counts(), stored

        try:
            counts, last, watched, stored = await asyncio.to_thread(read)
        except StoreError as exc:
            self._server_lost(exc)
            return
        self.status.last_poll = last
        self.watch_list.show_counts(watched)
        feeds = self.feed_list
        if only is None:
            feeds.show_counts(counts)
        elif not feeds.update_counts(counts):  # a feed the list does not show yet
            await self._recount(None)
            return
        if stored is not None:
            self._count_news(stored)
        self._show_totals()

    def _count_news(self, total: int) -> None:
        """Say how many articles came since the last full count (a poll, another
        process); the first count at start only sets the mark."""
        known, self._known_total = self._known_total, total
        if known is not None and total > known:
            self.notify(plural(total - known, "{n} new article", "{n} new articles"))
            self.reload_articles_soon()

    def _show_totals(self) -> None:
        feeds = self.feed_list
        self.status.totals = (feeds.total, feeds.total_unread) if feeds.counted else None
        view = self.view
        shown = [f"{tr('filter')}: {tr(view.show)}"] if view.show != "all" else []
        if view.feed_id is not None:
            shown.append(f"{tr('feed')}: {feeds.names.get(view.feed_id, '?')}")
        if view.category is not None:
            shown.append(f"{tr('category')}: {view.category}")
        if view.search:
            shown.append(f"{tr('search')}: {view.search}")
        if view.watchlist is not None:
            shown.append(f"{tr('watchlist')}: {view.watchlist}")
        self.status.shown = self.article_list.row_count
        self.status.shown_more = self.article_list.more
        self.status.narrowing = tuple(shown)
        self.status.stored_failures = sum(1 for c in feeds.counts.values() if c.feed.error)
