"""New articles against the watchlists: each article once, as it is stored."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsroom_tui.models import NewArticle
from newsroom_tui.text.search_query import Query, QueryError, parse_query
from newsroom_tui.watch.article_text import ArticleText, FeedText, Vocabulary
from newsroom_tui.watch_records import Watchlist

log = logging.getLogger("newsroom.watch")


@dataclass(frozen=True)
class Arrival:
    """A new article that matched ``watchlist``."""

    watchlist: Watchlist
    article_id: int
    article: NewArticle


def usable(watchlists: Iterable[Watchlist]) -> list[tuple[Watchlist, Query]]:
    """The watchlists with their parsed queries; one whose query cannot be read (written by a
    newer newsroom, edited by hand) is skipped and logged, the others still match."""
    found: list[tuple[Watchlist, Query]] = []
    for watchlist in watchlists:
        try:
            found.append((watchlist, parse_query(watchlist.query)))
        except QueryError as exc:
            log.warning("watchlist %r skipped: %s", watchlist.name, exc)
    return found


@lru_cache(maxsize=8)
def vocabulary_of(queries: tuple[Query, ...]) -> Vocabulary:
    """The trigger words of ``queries`` (made once while the watchlists stay the same)."""
    return Vocabulary(word for query in queries for word in query.triggers or ())


def match_arrivals(
    watchlists: Sequence[tuple[Watchlist, Query]],
    feed_name: str | None,
    category: str | None,
    new: Iterable[tuple[int, NewArticle]],
) -> list[Arrival]:
    """Which of the ``new`` articles (id, article) of one feed match which watchlists."""
    if not watchlists:
        return []
    feed = FeedText.of(feed_name, category)
    vocabulary = vocabulary_of(tuple(query for _, query in watchlists))
    # a watchlist is only tried on an article holding one of its trigger words
    triggers_of = [query.triggers for _, query in watchlists]
    found: list[Arrival] = []
    for article_id, art in new:
        text = ArticleText(
            feed,
            art.title,
            art.body_markdown,
            art.summary,
            # the gallery as search reads it: each caption with its credit
            [f"{item.caption} {item.credit or ''}" for item in art.gallery],
        )
        present = text.found(vocabulary)
        found += [
            Arrival(w, article_id, art)
            for (w, query), triggers in zip(watchlists, triggers_of, strict=True)
            if (triggers is None or not triggers.isdisjoint(present)) and query.matches(text)
        ]
    return found
