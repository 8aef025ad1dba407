"""What the reader's list shows: one value, so that every reload follows from a change of it."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from newsroom_tui.records import record
from newsroom_tui.store import ArticleFilter


class Show(StrEnum):
    """The filter that f cycles through; done articles show only under DONE."""

    ALL = "all"
    UNREAD = "unread"
    FLAGGED = "flagged"
    DONE = "done"

    def next(self) -> Show:
        members = list(Show)
        return members[(members.index(self) + 1) % len(members)]


@record(frozen=True)
class View:
    """A feed or a category (or neither: all feeds), the filter and the search."""

    show: Show = Show.ALL
    feed_id: int | None = None
    category: str | None = None
    search: str = ""
    watchlist: str | None = None  # the matches of this watchlist (instead of feed/category)
    stories: bool = True  # a story once (its first article); False: every article apart

    @property
    def where(self) -> ArticleFilter:
        return ArticleFilter(
            unread=self.show is Show.UNREAD,
            flagged=self.show is Show.FLAGGED,
            feed_id=self.feed_id,
            category=self.category,
            search=self.search or None,
            done=self.show is Show.DONE,
            watchlist=self.watchlist,
            stories=self.stories,
        )

    @property
    def narrowed(self) -> bool:
        """Has the reader narrowed the list (filter, feed, category or search)?"""
        return replace(self, stories=True) != View()

    def at(self, feed_id: int | None = None, category: str | None = None) -> View:
        return replace(self, feed_id=feed_id, category=category, watchlist=None)

    def watching(self, name: str) -> View:
        return replace(self, feed_id=None, category=None, watchlist=name)

    def searching(self, text: str) -> View:
        return replace(self, search=text)

    def cycled(self) -> View:
        return replace(self, show=self.show.next())

    def hides(self, *, done: bool, flagged: bool) -> bool:
        """Would an article of that state leave the list?"""
        return done != (self.show is Show.DONE) or (self.show is Show.FLAGGED and not flagged)
