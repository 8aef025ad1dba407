"""The poll's stories: which stored story each new article tells, decided as it is stored.

A poll gives its store a :class:`PollStories` (:func:`attach`); the store's writer hands it
the articles of each transaction once they have ids, and stores the decisions with them.
The story index lives in this process: it is rebuilt from the store's articles of the 48
hours before the newest one (at most :data:`~newsroom_tui.stories.index.MOST`) when the
poll stores its first articles, in the writer's thread, and again after a transaction that
did not commit. It keeps the poll's articles by count, not by time: a poll stores one
feed's week, then another's, and the second week's articles must still find the first's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from newsroom_tui.store.base import Store
from newsroom_tui.store.story_tables import Arrival
from newsroom_tui.stories import WINDOW, StoryArticle, StoryIndex
from newsroom_tui.stories.index import MOST

Loader = Callable[[], list[tuple[StoryArticle, int]]]


class PollStories:
    """A :class:`~newsroom_tui.store.story_tables.StoryAssigner` over a :class:`StoryIndex`
    made from ``load`` (stored articles with their story ids, oldest first) when first
    needed."""

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._index: StoryIndex | None = None
        self._lock = threading.Lock()

    def decide(self, arrivals: Sequence[Arrival]) -> list[tuple[int, int, str]]:
        """(article id, story id, relation) of each arrival, decided oldest first."""
        articles = [
            StoryArticle.of_new_article(article_id, feed_id, art, seen)
            for feed_id, article_id, art, seen in arrivals
        ]
        articles.sort(key=lambda a: (a.published, a.id))
        with self._lock:
            index = self._index
            if index is None:
                index = self._index = self._rebuilt()
            decided = []
            for article in articles:
                decision = index.assign(article)
                decided.append((article.id, decision.story_id, decision.relation))
            return decided  # type: ignore[return-value]  # ids are the store's ints

    def forget(self) -> None:
        """The last decisions were not stored: made again from the store when next needed."""
        with self._lock:
            self._index = None

    def _rebuilt(self) -> StoryIndex:
        index = StoryIndex(count_only=True)
        for article, story_id in self._load():
            index.remember(article, story_id)
        return index


def attach(store: Store, now: datetime | None = None) -> PollStories:
    """Give ``store`` a fresh :class:`PollStories` for a poll starting ``now``: its articles
    of the 48 hours before the newest stored one (never later than ``now``) are read when
    the poll stores its first articles."""
    start = now or datetime.now(UTC)
    stories = PollStories(lambda: store.story_window(start, WINDOW, MOST))
    store.story_assigner = stories
    return stories
