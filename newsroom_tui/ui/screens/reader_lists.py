"""The list read off the event loop: the list for a search being typed, and the list
again after a key's write (D, mark all read), each read in a thread worker and shown when
its message comes, unless the view moved on meanwhile."""

from __future__ import annotations

import time

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from newsroom_tui.store import StoreError
from newsroom_tui.ui.screens.reader_parts import ReaderPart
from newsroom_tui.ui.view import View
from newsroom_tui.ui.widgets.article_list import Listing, read_listing

SEARCH_SETTLE = 0.08  # seconds a search being typed waits for the next key before it runs


class SearchRead(Message):
    """The list for ``view`` (a search typed), read by a worker; ``has_feeds``: any feed is
    subscribed (said when nothing matches); ``error``: the store could not be read."""

    def __init__(
        self,
        view: View,
        listing: Listing | None,
        *,
        has_feeds: bool = True,
        error: StoreError | None = None,
    ) -> None:
        super().__init__()
        self.view, self.listing, self.has_feeds, self.error = view, listing, has_feeds, error


class ListRead(Message):
    """The list for ``view`` read again by a worker (after a write: D, mark all read), to be
    shown with the cursor on ``listing.keep`` or else on ``fallback_row``."""

    def __init__(
        self,
        view: View,
        listing: Listing | None,
        fallback_row: int,
        *,
        has_feeds: bool = True,
        error: StoreError | None = None,
    ) -> None:
        super().__init__()
        self.view, self.listing, self.fallback_row = view, listing, fallback_row
        self.has_feeds, self.error = has_feeds, error


class ReaderLists(ReaderPart):
    def _read_listing(
        self, view: View, keep: int | None, fallback_row: int = 0
    ) -> tuple[Listing, bool]:
        """The workers' read: ``view``'s list, and whether any feed is subscribed (asked
        of the store only when the list is empty)."""
        listing = read_listing(self.store, view.where, keep, fallback_row)
        return listing, listing.count > 0 or bool(self.store.feeds())

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _read_search(self, view: View, keep: int | None) -> None:
        """The list for a search being typed, read off the event loop (a keystroke never
        waits for the store); a later keystroke's worker replaces this one, and what this
        one reads is dropped if the view moved on meanwhile (on_search_read). It waits
        SEARCH_SETTLE first: of keys typed in a row only the last one's search runs (each
        takes a few tenths of a second of the store on 1,000,000 articles, one at a time)."""
        time.sleep(SEARCH_SETTLE)
        if get_current_worker().is_cancelled:
            return  # a later keystroke's worker runs instead
        try:
            listing, has_feeds = self._read_listing(view, keep)
        except StoreError as exc:
            self.post_message(SearchRead(view, None, error=exc))
            return
        self.post_message(SearchRead(view, listing, has_feeds=has_feeds))

    def on_search_read(self, message: SearchRead) -> None:
        if message.view != self.view:
            return  # typed on (or left the search) since: a newer list is on its way
        if message.error is not None:
            self._server_lost(message.error)
        elif message.listing is not None:
            self.reload_articles(listing=message.listing, has_feeds=message.has_feeds)

    def reload_articles_behind(self, *, keep_row: bool = False) -> None:
        """As :meth:`reload_articles`, with the list read in a thread (after a key's write:
        the key does not wait for the store twice)."""
        table = self.article_list
        fallback = table.cursor_row if keep_row else 0
        self._read_list(self.view, table.keep_id, fallback)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def _read_list(self, view: View, keep: int | None, fallback_row: int) -> None:
        try:
            listing, has_feeds = self._read_listing(view, keep, fallback_row)
        except StoreError as exc:
            self.post_message(ListRead(view, None, fallback_row, error=exc))
            return
        self.post_message(ListRead(view, listing, fallback_row, has_feeds=has_feeds))

    def on_list_read(self, message: ListRead) -> None:
        if message.error is not None:
            self._server_lost(message.error)
            return
        listing = message.listing
        if listing is None or message.view != self.view:
            return  # the view changed since: its own reload shows it
        if listing.keep != self.article_list.keep_id:  # the cursor moved meanwhile
            self.reload_articles_behind(keep_row=True)
            return
        self.reload_articles(
            keep_row=True,
            listing=listing,
            has_feeds=message.has_feeds,
            fallback_row=message.fallback_row,
        )
