"""A reader's first frame, read in one go: a list's count and first rows, the first row's
article, whether any feed is subscribed, and the numbers around the list (per feed, per
watchlist, the last poll, all articles stored).

Each is one statement, and none waits for another's answer (the first row's article is
found by the same query as the list's first row, as a subquery), so a server gets them all
at once: ``_read_all`` is one round trip on PostgreSQL (its pipeline), where one statement
after the other took one each (four before the first frame, five more for its counts: with
the database 25 ms away each way, half a second). The embedded store runs them one after
the other, as its other reads.
"""

from __future__ import annotations

from newsroom_tui.store.base import (
    ArticleFilter,
    FeedCounts,
    FirstScreen,
    ScreenCounts,
    WatchCounts,
)
from newsroom_tui.store.rows import (
    FEED_COLUMNS,
    Row,
    article_of,
    feed_from_row,
    from_db_time,
    gallery_sql,
    summary_from_row,
)
from newsroom_tui.store.store_hooks import StoreHooks
from newsroom_tui.store.watchlists import WATCHLISTS_SQL

Statement = tuple[str, list[object]]


def feed_counts_of(counted: list[Row], feeds: list[Row]) -> list[FeedCounts]:
    """Each feed of ``feeds`` (its rows) with its numbers of ``counted`` (feed, all, unread)."""
    counts = {row[0]: (int(row[1]), int(row[2] or 0)) for row in counted}
    return [FeedCounts(f, *counts.get(f.id, (0, 0))) for f in map(feed_from_row, feeds)]


class FirstScreenReads(StoreHooks):
    """The part of :class:`~newsroom_tui.store.sql_store.SQLStore` that reads a first
    screen; it uses the store's statements and hooks."""

    # a condition on article ``a`` that holds when reading it is all it takes to show it
    # (see Store.article_at_hand); empty: always
    AT_HAND = ""

    def _where(self, where: ArticleFilter) -> tuple[str, list[object]]:
        raise NotImplementedError

    def _count_sql(self, where: ArticleFilter) -> Statement:
        raise NotImplementedError

    def _articles_sql(self, where: ArticleFilter, limit: int | None, offset: int) -> Statement:
        raise NotImplementedError

    def _article_sql(self, condition: str) -> str:
        raise NotImplementedError

    def _feed_counts_sql(self, ids: list[int], *, stories: bool = False) -> Statement:
        raise NotImplementedError

    def _watch_counts_sql(self, *, stories: bool = False) -> str:
        raise NotImplementedError

    def _watch_counts_of(self, counted: list[Row], stored: list[Row]) -> list[WatchCounts]:
        raise NotImplementedError

    def _read_all(self, statements: list[Statement]) -> list[list[Row]]:
        """The rows of each statement, in order (a server: sent at once)."""
        return [self._query(sql, params) for sql, params in statements]

    def first_screen(self, where: ArticleFilter, rows: int, *, counts: bool = True) -> FirstScreen:
        """See :meth:`newsroom_tui.store.base.Store.first_screen`."""
        if where.search:
            raise ValueError("a first screen lists no search (its count is capped)")
        top_sql, top_params = self._articles_sql(where, 1, 0)
        top_id = f"SELECT id FROM ({top_sql}) AS top_row"
        top = f"a.id IN ({top_id})"
        at_hand = f"{top} AND {self.AT_HAND}" if self.AT_HAND else top
        statements: list[Statement] = [
            self._count_sql(where),
            self._articles_sql(where, rows, 0),
            (self._article_sql(at_hand), top_params),
            (gallery_sql(f"article_id IN ({top_id})"), top_params),
        ]
        if counts:
            statements += [
                self._feed_counts_sql([], stories=where.stories),
                (f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY id", []),
                ("SELECT MAX(last_success) FROM feeds", []),
                (self._watch_counts_sql(stories=where.stories), []),
                (WATCHLISTS_SQL, []),
                ("SELECT COUNT(*) FROM articles a", []),
            ]
        else:
            statements.append(("SELECT 1 FROM feeds LIMIT 1", []))
        count, page, article, gallery, *rest = self._read_all(statements)
        numbers = None
        if counts:
            counted, feeds, last, watch_counted, watchlists, stored = rest
            numbers = ScreenCounts(
                feeds=feed_counts_of(counted, feeds),
                last_success=from_db_time(last[0][0]),
                watchlists=self._watch_counts_of(watch_counted, watchlists),
                stored=int(stored[0][0]),
            )
            has_feeds = bool(feeds)
        else:
            has_feeds = bool(rest[0])
        summaries = [summary_from_row(r) for r in page]
        return FirstScreen(
            count=int(count[0][0]),
            rows=summaries,
            article=article_of(article[0], gallery) if article and summaries else None,
            has_feeds=has_feeds,
            counts=numbers,
        )
