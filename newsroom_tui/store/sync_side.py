"""The store's side of a sync account (FreshRSS, Miniflux): the SQLite cache's here, the
team store's in :mod:`.pg_sync_side`, both on :class:`SyncSide`.

- each of the account's subscriptions is a feed of kind ``synced``: ``remote_id`` is the
  server's stream id ("feed/12"), ``url`` is ``sync:`` and that id (the server polls the
  site; the poller leaves such feeds alone);
- each item is an article of its feed: ``guid`` is the item's id in decimal, ``remote_id`` the
  id as the server gave it (sent back with each change); the article's read state of the
  account (the cache's ``read``, the team store's shared ``account_read``) and ``flagged``
  are the server's read and starred;
- ``set_read``, ``set_flagged`` and ``mark_all_read`` on a synced article add a row to
  ``outbox`` in the same transaction (:func:`newsroom_tui.store.outbox.queue_changes`); a
  sync pushes the outbox, then writes what it pulled in one transaction
  (:meth:`SyncSide.apply_pull`), where a change still in the outbox keeps the store's
  value. The new articles get their stories and are matched against the watchlists there,
  as a poll's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.models import NewArticle
from newsroom_tui.paths import database_path
from newsroom_tui.store.base import AfterSave, ChangeKind, StoreChange
from newsroom_tui.store.page_retries import PageRetry, add_page_retries
from newsroom_tui.store.rows import Transaction
from newsroom_tui.store.story_records import Arrival
from newsroom_tui.sync_records import Flag, ItemId, ItemState, Pull, RemoteItem, StateChange

if TYPE_CHECKING:
    from newsroom_tui.store.sql_store import SQLStore
    from newsroom_tui.store.sqlite import SQLiteStore
    from newsroom_tui.watch_records import WatchMatch

SYNCED = "synced"  # the kind of a sync account's feeds
URL_PREFIX = "sync:"  # a synced feed's url: this and the server's stream id


def synced_url(remote_id: str) -> str:
    return URL_PREFIX + remote_id


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


class SyncSide:
    """:class:`newsroom_tui.sync.engine.LocalSide` over a SQL store. A backend says where
    its account's rows are (the hooks below); the writing is the same."""

    READ_COLUMN = "read"  # the article's column of the account's read state

    def __init__(
        self,
        store: SQLStore,
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

    # hooks -----------------------------------------------------------------------------

    def _feeds_of_account(self) -> tuple[str, tuple[object, ...]]:
        """A condition on feed ``f``: the account's synced feeds."""
        return "f.kind = 'synced'", ()

    def _outbox_of_account(self) -> tuple[str, tuple[object, ...]]:
        """A condition on the outbox's rows: the account's."""
        return "1 = 1", ()

    def _feed_account(self) -> tuple[str, str, tuple[object, ...]]:
        """The account's column of a synced feed's row: ``, name``, ``, ?``, its value."""
        return "", "", ()

    def _insert_items(
        self,
        tx: Transaction,
        feed_id: int,
        pairs: Sequence[tuple[RemoteItem, NewArticle]],
        now: datetime,
    ) -> list[tuple[int, NewArticle]]:
        """The new items' articles of feed ``feed_id`` inserted with the account's state of
        each (the item's id as the server gave it, read, starred); the new ones (id,
        article)."""
        new = self.store._insert_articles(tx, feed_id, [art for _, art in pairs], now)
        state = {art.guid: item for item, art in pairs}
        rows = [
            (state[art.guid].id.given, state[art.guid].read, state[art.guid].starred, article_id)
            for article_id, art in new
        ]
        tx.executemany(
            f"UPDATE articles SET remote_id = ?, {self.READ_COLUMN} = ?, flagged = ? WHERE id = ?",
            rows,
        )
        return new

    def _lock_outbox(self, tx: Transaction) -> None:
        """Hold back changes to the outbox until ``tx`` ends (a store others write at once)."""

    def _write_cursor(self, tx: Transaction, cursor: str | None) -> None:
        raise NotImplementedError

    def cursor(self) -> str | None:
        raise NotImplementedError

    # LocalSide -------------------------------------------------------------------------

    def outbox(self, limit: int) -> list[StateChange]:
        where, params = self._outbox_of_account()
        rows = self.store._query(
            f"SELECT seq, item, given, flag, set_on FROM outbox WHERE {where} ORDER BY seq LIMIT ?",
            (*params, limit),
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
        where, params = self._outbox_of_account()
        rows = self.store._query(
            f"SELECT DISTINCT item, given, flag FROM outbox WHERE {where}", params
        )
        return {(ItemId(int(item), given), Flag(flag)) for item, given, flag in rows}

    def item_states(self) -> dict[ItemId, ItemState]:
        feeds, params = self._feeds_of_account()
        rows = self.store._query(
            f"""SELECT a.guid, a.remote_id, a.{self.READ_COLUMN}, a.flagged FROM articles a
                JOIN feeds f ON f.id = a.feed_id WHERE {feeds}""",
            params,
        )
        return {
            ItemId(int(guid), given or ""): ItemState(bool(read), bool(flagged))
            for guid, given, read, flagged in rows
        }

    def apply_pull(self, pull: Pull, retries: Mapping[str, PageRetry] | None = None) -> None:
        """As :meth:`LocalSide.apply_pull`; ``retries``: the teasers' pages to try again
        (by guid), kept with their new articles."""
        now = datetime.now(UTC)
        retries = retries or {}
        again: list[PageRetry] = []
        articles = [(item, self.article_of(item)) for item in pull.new_items]
        store = self.store
        matches: list[WatchMatch] = []
        with store._stories_kept(), store._transaction() as tx:
            feed_ids = self._write_feeds(tx, pull, now)
            by_feed: dict[int, list[tuple[RemoteItem, NewArticle]]] = {}
            for item, art in articles:
                feed_id = feed_ids.get(item.feed_id or "")
                if feed_id is not None:  # an item of no listed feed: left out
                    by_feed.setdefault(feed_id, []).append((item, art))
            stored: list[tuple[int, list[tuple[int, NewArticle]]]] = []
            arrivals: list[Arrival] = []
            for feed_id, pairs in by_feed.items():
                new = self._insert_items(tx, feed_id, pairs, now)
                stored.append((feed_id, new))
                again += [
                    replace(retries[art.guid], article_id=article_id)
                    for article_id, art in new
                    if art.guid in retries
                ]
                arrivals += [(feed_id, article_id, art, now) for article_id, art in new]
            add_page_retries(tx, again)
            # the new articles' stories, as a poll's (the assigner the poll attached)
            store._assign_stories(tx, arrivals)
            for feed_id, new in stored:
                matches += store._match_arrivals(tx, feed_id, new, self.after_save)
            # from here on no change joins the outbox until this commits (a team's reader
            # waits): the changes waiting are read once and kept
            self._lock_outbox(tx)
            where, params = self._outbox_of_account()
            waiting = {
                (int(item), Flag(flag))
                for item, flag in tx.execute(
                    f"SELECT item, flag FROM outbox WHERE {where}", params
                ).fetchall()
            }
            changed = self._write_updates(tx, pull, waiting)
            self._retire(tx, list(feed_ids.values()), waiting, now)
            self._write_cursor(tx, pull.cursor)
            for feed_id in sorted(changed | {feed_id for feed_id, new in stored if new}):
                store._announce(tx, StoreChange(ChangeKind.ARTICLES, feed_id=feed_id))
        if matches:
            store._deliver_matches(matches)

    # the writing -----------------------------------------------------------------------

    def _write_feeds(self, tx: Transaction, pull: Pull, now: datetime) -> dict[str, int]:
        """The account's feeds as the server lists them: added, renamed, moved between
        categories; a feed the server no longer lists goes with its articles. Returns the
        row id of each remote id."""
        store = self.store
        listed = {feed.id: feed for feed in pull.feeds}
        when = now.isoformat()
        feeds, params = self._feeds_of_account()
        column, value, account = self._feed_account()
        name = column.removeprefix(", ")
        update = f", {name} = excluded.{name}" if name else ""
        gone = False
        # a store has one account: a synced feed it does not list (or one of an account
        # logged out of before) goes
        for remote_id, feed_id in tx.execute(
            "SELECT remote_id, id FROM feeds WHERE kind = 'synced'"
        ).fetchall():
            if remote_id not in listed:
                store._unindex_feed(tx, synced_url(remote_id))
                tx.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
                gone = True
        for feed in listed.values():
            tx.execute(
                f"""INSERT INTO feeds (url, title, category, added, kind, remote_id,
                       last_polled, last_success{column})
                   VALUES (?, ?, ?, ?, 'synced', ?, ?, ?{value})
                   ON CONFLICT (url) DO UPDATE SET
                       title = CASE WHEN feeds.name_set THEN feeds.title ELSE excluded.title END,
                       category = excluded.category, last_polled = excluded.last_polled,
                       last_success = excluded.last_success, last_error = NULL,
                       last_error_at = NULL, failures = 0{update}""",
                (
                    synced_url(feed.id),
                    feed.display_name,
                    feed.category,
                    when,
                    feed.id,
                    when,
                    when,
                    *account,
                ),
            )
        if gone:
            store._announce(tx, StoreChange(ChangeKind.FEEDS))
        return dict(
            tx.execute(f"SELECT f.remote_id, f.id FROM feeds f WHERE {feeds}", params).fetchall()
        )

    def _write_updates(
        self, tx: Transaction, pull: Pull, waiting: set[tuple[int, Flag]]
    ) -> set[int]:
        """The server's state of articles the store holds; a flag with a change in the
        outbox keeps the store's value (the change was made after the engine looked).
        Returns the feeds whose articles changed."""
        if not pull.updates:
            return set()
        feeds, params = self._feeds_of_account()
        ids = {
            guid: (article_id, feed_id)
            for guid, article_id, feed_id in tx.execute(
                f"""SELECT a.guid, a.id, a.feed_id FROM articles a
                    JOIN feeds f ON f.id = a.feed_id WHERE {feeds}""",
                params,
            ).fetchall()
        }
        reads, stars = [], []
        changed: set[int] = set()
        for item, state in pull.updates.items():
            found = ids.get(item.decimal)
            if found is None:
                continue
            article_id, feed_id = found
            if (item.number, Flag.READ) not in waiting:
                reads.append((state.read, article_id, state.read))
            if (item.number, Flag.STARRED) not in waiting:
                stars.append((state.starred, article_id, state.starred))
            changed.add(feed_id)
        column = self.READ_COLUMN
        tx.executemany(f"UPDATE articles SET {column} = ? WHERE id = ? AND {column} <> ?", reads)
        tx.executemany("UPDATE articles SET flagged = ? WHERE id = ? AND flagged <> ?", stars)
        return changed

    def _retire(
        self,
        tx: Transaction,
        feed_ids: list[int],
        waiting: set[tuple[int, Flag]],
        now: datetime,
    ) -> None:
        """Retention, as a poll applies it to a feed (:mod:`.retention`): of the account's
        feeds the old and surplus read articles go. Kept besides what a poll keeps: the
        unread ones (the server lists them: they would come back) and those with a change
        waiting."""
        from newsroom_tui.store.retention import expired

        store = self.store
        if store.retention.off:  # nothing goes: no need to look for what stays
            return
        kept = {str(item) for item, _ in waiting}
        read = f"a.{self.READ_COLUMN}"
        for feed_id in feed_ids:
            unread = tx.execute(
                f"SELECT a.guid FROM articles a WHERE a.feed_id = ? AND NOT {read}", (feed_id,)
            ).fetchall()
            keep = kept | {row[0] for row in unread}
            store._remove_articles(tx, expired(tx, feed_id, store.retention, read, keep, now))


class SQLiteSyncSide(SyncSide):
    """The SQLite cache's side of its one account."""

    store: SQLiteStore

    @property
    def data_dir(self) -> Path:
        return self.store.path.parent

    def cursor(self) -> str | None:
        rows = self.store._query("SELECT cursor FROM sync_cursor WHERE id = 1")
        return rows[0][0] if rows else None

    def _write_cursor(self, tx: Transaction, cursor: str | None) -> None:
        tx.execute(
            """INSERT INTO sync_cursor (id, cursor) VALUES (1, ?)
               ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor""",
            (cursor,),
        )
