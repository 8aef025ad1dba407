"""A watchlist's query tried on the whole cache (``newsroom watch test``)."""

from __future__ import annotations

from newsroom_tui.models import ArticleSummary
from newsroom_tui.store.base import Store
from newsroom_tui.text.search_query import Query
from newsroom_tui.watch.article_text import ArticleText, FeedText, Vocabulary


def scan_matches(
    store: Store, query: Query, limit: int | None = 20
) -> tuple[int, list[ArticleSummary]]:
    """How many cached articles ``query`` matches now, and the newest ``limit`` of them
    (every article is read: for trying a query out, not for the reader's lists)."""
    triggers = query.triggers
    vocabulary = Vocabulary(triggers or ())
    feeds: dict[tuple[str | None, str | None], FeedText] = {}
    found: list[int] = []
    for row in store.scan_rows():
        key = (row.feed_name, row.category)
        feed = feeds.get(key)
        if feed is None:
            feed = feeds[key] = FeedText.of(*key)  # each feed's fields folded once
        text = ArticleText(feed, row.title, row.body, row.summary, row.credits)
        if triggers is not None and triggers.isdisjoint(text.found(vocabulary)):
            continue  # none of the words it needs: not asked word by word
        if query.matches(text):
            found.append(row.article_id)
    shown: list[ArticleSummary] = []
    if found and limit != 0:
        shown = store.summaries(found)
        shown.sort(key=lambda a: (a.published is not None, a.published, a.id), reverse=True)
        shown = shown[:limit] if limit is not None else shown
    return len(found), shown
