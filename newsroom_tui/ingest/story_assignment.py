"""The poll's stories: which stored story each new article tells, decided as it is stored.

A poll gives its store a :class:`PollStories` (:func:`attach`); the store's writer hands it
the articles of each transaction once they have ids, and stores the decisions with them.
What is compared of each article was read by the worker process that built it
(:attr:`~newsroom_tui.models.NewArticle.story_features`; made here for an article without).
The story index lives in this process. The first poll makes it from the store's articles
of the 48 hours before the newest one (at most :data:`~newsroom_tui.stories.index.MOST`)
when it stores its first articles, in the writer's thread; a later poll of the same store
takes in only what others stored meanwhile (a cron poll beside the reader, a colleague's
poll of the team database) and lets go of what is older than 48 hours. After a write that
did not commit the index is made again from the store. During a poll it keeps articles by
count, not by time: a poll stores one feed's week, then another's, and the second week's
articles must still find the first's.

An article published more than 48 hours before the poll started is not compared: it
stands alone. A first poll of a thousand feeds brings a hundred thousand such articles
(weeks of each feed's history), and comparing them took 2.7 ms of CPU each; the desk's
stories are the current ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import cast

from newsroom_tui.store.base import Store
from newsroom_tui.store.story_records import Arrival
from newsroom_tui.stories import WINDOW, StoryArticle, StoryIndex
from newsroom_tui.stories.features import features_of
from newsroom_tui.stories.index import MOST

# the stored articles with their story ids, oldest first, of an id above the one given
Loader = Callable[[int], list[tuple[StoryArticle, int]]]


class PollStories:
    """A :class:`~newsroom_tui.store.story_tables.StoryAssigner` over a :class:`StoryIndex`
    made from ``load`` when first needed."""

    def __init__(self, load: Loader, since: datetime) -> None:
        self._load = load
        self._since = since  # articles published before this stand alone
        self._index: StoryIndex | None = None
        self._seen = 0  # the largest article id the index took in
        self._behind = False  # a new poll: others may have stored articles meanwhile
        self._lock = threading.Lock()

    @property
    def since(self) -> datetime:
        """This poll's articles published before this stand alone: they are not compared
        (an article is stored after the poll starts, so one is compared when it has no date
        or one from this on)."""
        return self._since

    def decide(self, arrivals: Sequence[Arrival]) -> list[tuple[int, int, str]]:
        """(article id, story id, relation) of each arrival, decided oldest first."""
        decided: list[tuple[int, int, str]] = []
        articles = []
        for feed_id, article_id, art, seen in arrivals:
            if min(art.published or seen, seen) < self._since:
                decided.append((article_id, article_id, "new"))
            else:
                story = StoryArticle.of_new_article(article_id, feed_id, art, seen)
                articles.append((story, article_id, features_of(art)))
        if not articles:
            return decided
        articles.sort(key=lambda item: (item[0].published, item[1]))
        with self._lock:
            # the team database's reads see the write under way: its articles are decided
            # here, not taken in as stored
            index = self._current({article_id for _, article_id, _, _ in arrivals})
            for article, article_id, features in articles:
                decision = index.assign(article, features)
                self._seen = max(self._seen, article_id)
                # a story's id is the id of a stored article: one of ours
                decided.append((article_id, cast(int, decision.story_id), decision.relation))
            return decided

    def next_poll(self, load: Loader, since: datetime) -> None:
        """A new poll of the same store: at its first write, the index lets go of what is
        older than 48 hours and takes in what ``load`` gives after the last id it saw."""
        with self._lock:
            self._load, self._since = load, since
            self._behind = True

    def forget(self) -> None:
        """The last decisions were not stored: made again from the store when next needed."""
        with self._lock:
            self._index = None

    def _current(self, pending: set[int]) -> StoryIndex:
        index = self._index
        if index is None:
            index = self._index = StoryIndex(count_only=True)
            self._seen, self._behind = 0, True
        elif self._behind:
            index.trim()
        if self._behind:
            for article, story_id in self._load(self._seen):
                if article.id in pending:
                    continue
                index.remember(article, story_id)
                self._seen = max(self._seen, cast(int, article.id))
            self._behind = False
        return index


def attach(store: Store, now: datetime | None = None) -> PollStories:
    """Ready ``store`` for a poll starting ``now``: its :class:`PollStories` (the one of an
    earlier poll, or a new one) takes in the stored articles of the 48 hours before the
    newest one (never later than ``now``) when the poll stores its first articles."""
    start = now or clock()

    def load(after: int) -> list[tuple[StoryArticle, int]]:
        return store.story_window(start, WINDOW, MOST, after)

    stories = store.story_assigner
    if isinstance(stories, PollStories):
        stories.next_poll(load, start - WINDOW)
    else:
        stories = store.story_assigner = PollStories(load, start - WINDOW)
    return stories


def clock() -> datetime:
    """Now (when a poll starts)."""
    return datetime.now(UTC)
