"""The list, read off the event loop: every reload of the article list (a view changed, a
search typed, a key's write, a poll's new articles, the server back) is read in a thread
worker and shown when its message comes, unless the view moved on meanwhile. Only the
newest read is shown: each read is numbered, and an answer to an older one is dropped."""

from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from newsroom_tui.models import Feed
from newsroom_tui.store import FirstScreen, SharedStore, Store, StoreError
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.messages import ListRead
from newsroom_tui.ui.unfetched import unfetched_text
from newsroom_tui.ui.view import Show, View
from newsroom_tui.ui.widgets.article_list import PAGE, Listing, read_listing

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen

SEARCH_SETTLE = 0.08  # seconds a search being typed waits for the next key before it runs
LIST_RELOAD_SECONDS = 0.5  # new articles (a poll, a colleague's): the list reloads this often


def read_list(
    store: Store, view: View, keep: int | None, fallback_row: int = 0
) -> tuple[Listing, bool, Feed | None]:
    """``view``'s list, whether any feed is subscribed, and the view's feed (both asked of
    the store only when the list is empty: what its empty view says)."""
    listing = read_listing(store, view.where, keep, fallback_row)
    if listing.count > 0:
        return listing, True, None
    feed = store.feed(view.feed_id) if view.feed_id is not None else None
    return listing, feed is not None or bool(store.feeds()), feed


class ListReads:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader
        self._timer: Timer | None = None  # a list reload waiting for its turn
        self._reloaded = 0.0  # when (monotonic)
        self._asked = 0  # the number of the newest read asked for

    async def first_frame(self) -> None:
        """The list, the article under the cursor and (on a team's server, where each
        read is a round trip) the counts, read in one go in a thread before the first
        frame is drawn: it shows rows and the article beside them, as they will stay."""
        reader = self._reader
        store, view = reader.store, reader.view
        counts = isinstance(store, SharedStore)  # the embedded store counts a frame later

        def read() -> FirstScreen:
            # where the cache is, before the list is read: the first look for another
            # process's writes sees one that came after this read (a shell's at once)
            reader.counts.mark_changes()
            # one a poll stored and nobody opened yet is made Markdown first (a write):
            # that one comes through the pane's worker, a frame later
            return store.first_screen(view.where, PAGE, counts=counts)

        try:
            first = await asyncio.to_thread(read)
        except StoreError as exc:
            reader.server.lost(exc)
            return
        listing = Listing(view.where, first.count, False, None, None, 0, first.rows or None)
        self.show(ListRead(self._asked, view, listing, has_feeds=first.has_feeds))
        if first.counts is not None:
            reader.counts.show(first.counts, None)
        if first.article is not None:
            reader.follower.show(first.article)

    def reload(
        self, *, keep_row: bool = False, follow: bool = True, select: int | None = None
    ) -> None:
        """Read the list of the view again (see ReaderScreen.reload_articles)."""
        table = self._reader.article_list
        fallback = table.cursor_row if keep_row else 0
        if select is not None:
            table.keep(select)
        self._read(self._reader.view, table.keep_id, fallback, keep_row, follow, settle=False)

    def read_search(self, view: View) -> None:
        """The list for a search being typed. It waits SEARCH_SETTLE first: of keys typed
        in a row only the last one's search runs (each takes a few tenths of a second of
        the store on 1,000,000 articles, one at a time)."""
        keep = self._reader.article_list.keep_id
        self._read(view, keep, 0, False, True, settle=True)

    def soon(self) -> None:
        """New articles came: reload the list now, or when its turn comes (at most every
        LIST_RELOAD_SECONDS, so a poll of 1,000 feeds does not keep the reader reloading)."""
        wait = self._reloaded + LIST_RELOAD_SECONDS - time.monotonic()
        if wait <= 0:
            self.reload(keep_row=True, follow=False)
        elif self._timer is None:

            def due() -> None:
                self._timer = None
                self.reload(keep_row=True, follow=False)

            self._timer = self._reader.set_timer(wait, due)

    def _read(
        self,
        view: View,
        keep: int | None,
        fallback_row: int,
        keep_row: bool,
        follow: bool,
        *,
        settle: bool,
    ) -> None:
        self._asked += 1
        work = partial(
            self._read_list, self._asked, view, keep, fallback_row, keep_row, follow, settle
        )
        self._reader.run_worker(work, thread=True, group="list", exit_on_error=False)

    def _read_list(
        self,
        number: int,
        view: View,
        keep: int | None,
        fallback_row: int,
        keep_row: bool,
        follow: bool,
        settle: bool,
    ) -> None:
        if settle:
            time.sleep(SEARCH_SETTLE)
            if number != self._asked:
                return  # a later keystroke's read runs instead
        unreadable = _unreadable(view.search)
        if unreadable is not None:  # said in the list: nothing is looked for
            empty = Listing(view.where, 0, False, keep, None, 0, None)
            if number == self._asked:
                self._reader.post_message(ListRead(number, view, empty, unreadable=unreadable))
            return
        try:
            listing, has_feeds, feed = read_list(self._reader.store, view, keep, fallback_row)
        except StoreError as exc:
            answer = ListRead(number, view, None, fallback_row, error=exc)
        else:
            answer = ListRead(
                number,
                view,
                listing,
                fallback_row,
                keep_row=keep_row,
                follow=follow,
                has_feeds=has_feeds,
                feed=feed,
            )
        if number == self._asked:
            self._reader.post_message(answer)

    def answered(self, message: ListRead) -> None:
        reader = self._reader
        if message.number != self._asked:
            return  # a newer read is on its way
        if message.error is not None:
            reader.server.lost(message.error)
            return
        if message.listing is None or message.view != reader.view:
            return  # the view changed since: its own read is on its way
        table = reader.article_list
        if message.listing.keep != table.keep_id:  # the cursor moved meanwhile: again
            fallback = table.cursor_row if message.keep_row else 0
            self._read(
                reader.view, table.keep_id, fallback, message.keep_row, message.follow, settle=False
            )
            return
        self.show(message)

    def show(self, message: ListRead) -> None:
        """Show a list read (nothing is read from the store here)."""
        reader = self._reader
        listing = message.listing
        assert listing is not None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._reloaded = time.monotonic()
        for row in listing.rows or ():  # read before a key's write was: as the key showed it
            reader.writes.show_keys(row)
        table = reader.article_list
        keep_row, follow = message.keep_row, message.follow
        table.show_listing(
            reader.store,
            listing,
            fallback_row=message.fallback_row if keep_row else 0,
            hold=keep_row and not follow,  # the pane keeps its article, the list its place
            # the pane follows once the cursor's row is read ("No articles yet" goes too)
            follow=follow or reader.pane.article is None,
        )
        if not table.row_count:
            if not message.has_feeds:
                empty = tr("No feeds yet. Subscribe from the shell: newsroom add URL")
            elif message.unreadable is not None:
                empty = tr("Cannot search: {problem}", problem=message.unreadable)
            elif message.view.search:
                empty = tr("Nothing matches. Escape clears the search; f changes the filter.")
            elif message.view.show is not Show.ALL:
                empty = tr("Nothing matches this filter; f changes it.")
            elif message.view.narrowed:  # a feed, category or watchlist without articles
                empty = unfetched_text(message.feed) or tr("Nothing here yet.")
            else:
                empty = tr("No articles yet. Press r to poll.")
            # said once: by the list, or by the pane where it hides the list (a narrow
            # terminal's article view); beside the list the pane stays empty
            table.empty_text = empty
            list_on_screen = not (reader.has_class("narrow") and reader.has_class("reading"))
            reader.pane.show_message("" if list_on_screen else empty)
            reader.story.versions.clear()  # no article: no story's versions under it
        reader.counts.show_totals()


def _unreadable(search: str) -> str | None:
    """Why the search ``search`` cannot be read, or None (none typed: nothing imported)."""
    if not search.strip():
        return None
    from newsroom_tui.text.search_query import query_problem  # at the first search

    return query_problem(search)
