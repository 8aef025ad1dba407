"""The cache's side of a sync account (FreshRSS, Miniflux) in the SQLite store.

- each of the account's subscriptions is a feed of kind ``synced``: ``remote_id`` is the
  server's stream id ("feed/12"), ``url`` is ``sync:`` and that id (the server polls the
  site; the poller leaves such feeds alone);
- each item is an article of its feed: ``guid`` is the item's id in decimal, ``remote_id`` the
  id as the server gave it (sent back with each change); read and flagged are the server's
  read and starred;
- ``set_read``, ``set_flagged`` and ``mark_all_read`` on a synced article add a row to
  ``outbox`` in the same transaction (:func:`queue_changes`); a sync pushes the outbox, then
  writes what it pulled in one transaction (:meth:`SQLiteSyncSide.apply_pull`), where a change
  still in the outbox keeps the cache's value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.models import NewArticle
from newsroom_tui.paths import database_path
from newsroom_tui.store.base import AfterSave
from newsroom_tui.store.rows import Transaction
from newsroom_tui.sync_records import Flag, ItemId, ItemState, Pull, RemoteItem, StateChange

if TYPE_CHECKING:
    from newsroom_tui.store.sqlite import SQLiteStore

SYNCED = "synced"  # the kind of a sync account's feeds
URL_PREFIX = "sync:"  # a synced feed's url: this and the server's stream id


def synced_url(remote_id: str) -> str:
    return URL_PREFIX + remote_id


def queue_changes(
    tx: Transaction, ids_where: str, params: Sequence[object], flag: Flag, on: bool
) -> None:
    """Add to the outbox a change of ``flag`` to ``on`` for each synced article that
    ``ids_where`` (a condition on article ``a``) selects and that does not hold that value
    yet. Run before the UPDATE, in its transaction."""
    column = "read" if flag is Flag.READ else "flagged"
    tx.execute(
        f"""INSERT INTO outbox (item, given, flag, set_on)
            SELECT a.guid, COALESCE(a.remote_id, a.guid), ?, ? FROM articles a
            JOIN feeds f ON f.id = a.feed_id
            WHERE f.kind = 'synced' AND a.{column} <> ? AND ({ids_where})
            ORDER BY a.id""",
        (flag.value, int(on), int(on), *params),
    )


def waiting_changes(data_dir: Path) -> int | None:
    """How many changes wait in the outbox of the cache in ``data_dir``, read without
    writing; None when there is no cache, or it cannot be read."""
    path = database_path(data_dir)
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
    except sqlite3.Error:  # a cache from before the sync (no outbox yet), or damaged
        return None
    finally:
        conn.close()


class SQLiteSyncSide:
    """:class:`newsroom_tui.sync.engine.LocalSide` over the SQLite store."""

    def __init__(
        self,
        store: SQLiteStore,
        *,
        article_of: Callable[[RemoteItem], NewArticle],
        after_save: AfterSave | None = None,
    ) -> None:
        """``article_of``: the article a pulled item makes (the ingest's, see
        :func:`newsroom_tui.ingest.synced_articles.synced_article`); ``after_save``: matches
        a pull's new articles against the watchlists, as a poll's (see
        :class:`~newsroom_tui.store.base.AfterSave`)."""
        self.store = store
        self.article_of = article_of
        self.after_save = after_save

    @property
    def data_dir(self) -> Path:
        return self.store.path.parent

    def outbox(self, limit: int) -> list[StateChange]:
        rows = self.store._query(
            "SELECT seq, item, given, flag, set_on FROM outbox ORDER BY seq LIMIT ?", (limit,)
        )
        return [
            StateChange(ItemId(int(item), given), Flag(flag), bool(on), seq)
            for seq, item, given, flag, on in rows
        ]

    def drop_pushed(self, changes: Sequence[StateChange]) -> None:
        seqs = [(change.seq,) for change in changes]
        with self.store._transaction() as tx:
            tx.executemany("DELETE FROM outbox WHERE seq = ?", seqs)

    def pending(self) -> set[tuple[ItemId, Flag]]:
        rows = self.store._query("SELECT DISTINCT item, given, flag FROM outbox")
        return {(ItemId(int(item), given), Flag(flag)) for item, given, flag in rows}

    def item_states(self) -> dict[ItemId, ItemState]:
        rows = self.store._query(
            """SELECT a.guid, a.remote_id, a.read, a.flagged FROM articles a
               JOIN feeds f ON f.id = a.feed_id WHERE f.kind = 'synced'"""
        )
        return {
            ItemId(int(guid), given or ""): ItemState(bool(read), bool(flagged))
            for guid, given, read, flagged in rows
        }

    def cursor(self) -> str | None:
        rows = self.store._query("SELECT cursor FROM sync_cursor WHERE id = 1")
        return rows[0][0] if rows else None

    def apply_pull(self, pull: Pull) -> None:
        now = datetime.now(UTC)
        articles = [(item, self.article_of(item)) for item in pull.new_items]
        store = self.store
        matches = []
        with store._transaction() as tx:
            feed_ids = _write_feeds(tx, store, pull, now)
            waiting = {
                (int(item), Flag(flag))
                for item, flag in tx.execute("SELECT item, flag FROM outbox").fetchall()
            }
            by_feed: dict[int, list[tuple[RemoteItem, NewArticle]]] = {}
            for item, art in articles:
                feed_id = feed_ids.get(item.feed_id or "")
                if feed_id is not None:  # an item of no listed feed: left out
                    by_feed.setdefault(feed_id, []).append((item, art))
            for feed_id, pairs in by_feed.items():
                new = store._insert_articles(tx, feed_id, [art for _, art in pairs], now)
                state = {art.guid: item for item, art in pairs}
                tx.executemany(
                    "UPDATE articles SET remote_id = ?, read = ?, flagged = ? WHERE id = ?",
                    [
                        (
                            state[art.guid].id.given,
                            int(state[art.guid].read),
                            int(state[art.guid].starred),
                            article_id,
                        )
                        for article_id, art in new
                    ],
                )
                matches += store._match_arrivals(tx, feed_id, new, self.after_save)
            _write_updates(tx, pull, waiting)
            _retire(tx, store, list(feed_ids.values()), now)
            tx.execute(
                """INSERT INTO sync_cursor (id, cursor) VALUES (1, ?)
                   ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor""",
                (pull.cursor,),
            )
        if matches:
            store._deliver_matches(matches)


def _write_feeds(tx: Transaction, store: SQLiteStore, pull: Pull, now: datetime) -> dict[str, int]:
    """The account's feeds as the server lists them: added, renamed, moved between
    categories; a feed the server no longer lists goes with its articles. Returns the row
    id of each remote id."""
    listed = {feed.id: feed for feed in pull.feeds}
    when = now.isoformat()
    for remote_id, feed_id in tx.execute(
        "SELECT remote_id, id FROM feeds WHERE kind = 'synced'"
    ).fetchall():
        if remote_id not in listed:
            store._unindex_feed(tx, synced_url(remote_id))
            tx.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    for feed in listed.values():
        tx.execute(
            """INSERT INTO feeds (url, title, category, added, kind, remote_id, last_polled,
                   last_success) VALUES (?, ?, ?, ?, 'synced', ?, ?, ?)
               ON CONFLICT (url) DO UPDATE SET
                   title = CASE WHEN feeds.name_set THEN feeds.title ELSE excluded.title END,
                   category = excluded.category, last_polled = excluded.last_polled,
                   last_success = excluded.last_success, last_error = NULL,
                   last_error_at = NULL, failures = 0""",
            (synced_url(feed.id), feed.display_name, feed.category, when, feed.id, when, when),
        )
    return dict(tx.execute("SELECT remote_id, id FROM feeds WHERE kind = 'synced'").fetchall())


def _write_updates(tx: Transaction, pull: Pull, waiting: set[tuple[int, Flag]]) -> None:
    """The server's state of articles the cache holds; a flag with a change in the outbox
    keeps the cache's value (the change was made after the engine looked)."""
    if not pull.updates:
        return
    ids = dict(
        tx.execute(
            """SELECT a.guid, a.id FROM articles a JOIN feeds f ON f.id = a.feed_id
               WHERE f.kind = 'synced'"""
        ).fetchall()
    )
    reads, stars = [], []
    for item, state in pull.updates.items():
        article_id = ids.get(item.decimal)
        if article_id is None:
            continue
        if (item.number, Flag.READ) not in waiting:
            reads.append((int(state.read), article_id))
        if (item.number, Flag.STARRED) not in waiting:
            stars.append((int(state.starred), article_id))
    tx.executemany("UPDATE articles SET read = ? WHERE id = ?", reads)
    tx.executemany("UPDATE articles SET flagged = ? WHERE id = ?", stars)


def _retire(tx: Transaction, store: SQLiteStore, feed_ids: list[int], now: datetime) -> None:
    """Retention, as a poll applies it to a feed (:mod:`.retention`): of the account's feeds
    the old and surplus read articles go. Kept besides what a poll keeps: the unread ones
    (the server lists them: they would come back) and those with a change waiting."""
    from newsroom_tui.store.retention import expired

    if store.retention.off:  # nothing goes: no need to look for what stays
        return
    waiting = {row[0] for row in tx.execute("SELECT DISTINCT item FROM outbox").fetchall()}
    for feed_id in feed_ids:
        unread = tx.execute(
            "SELECT guid FROM articles WHERE feed_id = ? AND read = 0", (feed_id,)
        ).fetchall()
        keep = waiting | {row[0] for row in unread}
        store._remove_articles(
            tx, expired(tx, feed_id, store.retention, store.READ_EXPR, keep, now)
        )
