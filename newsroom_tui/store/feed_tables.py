"""The feeds' table, the same on both backends: subscriptions added, moved to a category,
renamed and removed (each announced to the other clients), read, and their articles counted."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from newsroom_tui.models import Feed
from newsroom_tui.store.base import ChangeKind, FeedCounts, StoreChange
from newsroom_tui.store.first_screen import feed_counts_of
from newsroom_tui.store.rows import (
    FEED_COLUMNS,
    Row,
    Transaction,
    feed_from_row,
    from_db_time,
    to_db_time,
)
from newsroom_tui.store.store_hooks import StoreHooks
from newsroom_tui.store.story_listing import story_counts


class FeedTables(StoreHooks):
    """The part of :class:`~newsroom_tui.store.sql_store.SQLStore` that keeps the feeds."""

    READ_EXPR: str
    user: str

    def _unindex_feed(self, tx: Transaction, url: str) -> None:
        raise NotImplementedError

    def add_feed(
        self, url: str, title: str | None = None, category: str | None = None, kind: str = "feed"
    ) -> tuple[Feed, bool]:
        with self._transaction() as tx:
            created = (
                tx.execute(
                    """INSERT INTO feeds (url, title, category, added, kind, name_set)
                       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING RETURNING id""",
                    (url, title, category, to_db_time(datetime.now(UTC)), kind, title is not None),
                ).fetchone()
                is not None
            )
            if created:
                self._announce(tx, StoreChange(ChangeKind.FEEDS, user=self.user))
        feed = self._feed_by_url(url)
        assert feed is not None
        return feed, created

    def set_feed_category(self, url: str, category: str | None) -> bool:
        with self._transaction() as tx:
            changed = (
                tx.execute("UPDATE feeds SET category = ? WHERE url = ?", (category, url)).rowcount
                > 0
            )
            if changed:
                self._announce(tx, StoreChange(ChangeKind.FEEDS, user=self.user))
            return changed

    def rename_feed(self, url: str, name: str | None) -> bool:
        """Give the feed at ``url`` a name of the user's, kept over the feed's own title on
        every poll; None: the feed's title again from the next poll (which fetches the feed
        whole, not "not modified", to read it). False: no such feed."""
        sql = (
            "UPDATE feeds SET title = ?, name_set = ? WHERE url = ?"
            if name is not None
            else "UPDATE feeds SET name_set = ?, etag = NULL, last_modified = NULL WHERE url = ?"
        )
        with self._transaction() as tx:
            params = (name, True, url) if name is not None else (False, url)
            changed = tx.execute(sql, params).rowcount > 0
            if changed:
                self._announce(tx, StoreChange(ChangeKind.FEEDS, user=self.user))
            return changed

    def remove_feed(self, url: str) -> bool:
        with self._transaction() as tx:
            self._unindex_feed(tx, url)
            removed = tx.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0
            if removed:
                self._announce(tx, StoreChange(ChangeKind.FEEDS, user=self.user))
            return removed

    def _select_feeds(self, where: str = "", params: Iterable[object] = ()) -> list[Feed]:
        return [feed_from_row(r) for r in self._select_rows(where, params)]

    def _select_rows(self, where: str = "", params: Iterable[object] = ()) -> list[Row]:
        return self._query(f"SELECT {FEED_COLUMNS} FROM feeds {where} ORDER BY id", params)

    def _feed_by_url(self, url: str) -> Feed | None:
        return next(iter(self._select_feeds("WHERE url = ?", (url,))), None)

    def feed(self, feed_id: int) -> Feed | None:
        return next(iter(self._select_feeds("WHERE id = ?", (feed_id,))), None)

    def feeds(self) -> list[Feed]:
        return self._select_feeds()

    def feed_counts(
        self, feed_ids: Collection[int] | None = None, *, stories: bool = False
    ) -> list[FeedCounts]:
        """Articles (``stories``: stories, each once) and unread ones per feed, done ones not
        counted; with ``feed_ids``, those feeds only (a poll's progress: cheap at any size)."""
        ids: list[int] = []
        if feed_ids is not None:
            ids = sorted(set(feed_ids))
            if not ids:
                return []
        among = f"WHERE id IN ({','.join('?' * len(ids))})" if ids else ""
        counted = self._query(*self._feed_counts_sql(ids, stories=stories))
        return feed_counts_of(counted, self._select_rows(among, ids))

    def _feed_counts_sql(
        self, ids: list[int], *, stories: bool = False
    ) -> tuple[str, list[object]]:
        """The statement counting the articles (``stories``: the stories, each once) of the
        feeds ``ids`` (all: empty)."""
        among = f"AND a.feed_id IN ({','.join('?' * len(ids))})" if ids else ""
        read = self.READ_EXPR
        counted = (
            story_counts(read) if stories else f"COUNT(*), SUM(CASE WHEN {read} THEN 0 ELSE 1 END)"
        )
        return (
            f"""SELECT a.feed_id, {counted}
                FROM articles a WHERE NOT a.done {among} GROUP BY a.feed_id""",
            list(ids),
        )

    def last_success(self) -> datetime | None:
        return from_db_time(self._query("SELECT MAX(last_success) FROM feeds")[0][0])
