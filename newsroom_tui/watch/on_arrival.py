"""The watchlists' part of a write: the :class:`~newsroom_tui.store.base.AfterSave` hook a
poll (or a sync's pull) hands the store, which calls it in the transaction storing a feed's
new articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsroom_tui.models import NewArticle
from newsroom_tui.watch_records import Watchlist

if TYPE_CHECKING:
    from newsroom_tui.watch.arrivals import Arrival


def match_new_articles(
    watchlists: Sequence[Watchlist],
    feed_name: str | None,
    category: str | None,
    new: Sequence[tuple[int, NewArticle]],
) -> list[Arrival]:
    """Which of the feed's ``new`` articles (id, article) match which watchlists; one whose
    query cannot be read is skipped and logged, the others still match."""
    # the matching is imported when a feed got new articles and a watchlist exists, not by
    # every command's start (nor the reader's)
    from newsroom_tui.watch.arrivals import match_arrivals, usable

    return match_arrivals(usable(watchlists), feed_name, category, new)
