"""What the reader asks of its store: the store interface and the watchlists' part of it
(both stores, SQLite and PostgreSQL, have them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from newsroom_tui.store import Store

if TYPE_CHECKING:
    from newsroom_tui.store.watchlists import WatchCounts
    from newsroom_tui.watch.watchlist import Watchlist, WatchMatch


class ReaderStore(Store, Protocol):
    def watchlists(self) -> list[Watchlist]: ...

    def watch_counts(self) -> list[WatchCounts]: ...

    def on_watch_match(
        self, listener: Callable[[list[WatchMatch]], None]
    ) -> Callable[[], None]: ...
