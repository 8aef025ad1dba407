"""The team store: PostgreSQL through psycopg 3.

Read state is per user (table ``reads``), but a sync account's articles have the account's,
shared by the desk (``account_read``, see :mod:`.pg_sync_side`); flags, claims and done are
shared. Every shared
change is announced with NOTIFY on the channel ``newsroom`` in the transaction that makes it,
so other clients hear it when (and only if) it commits. Pollers take a session advisory lock
per feed, so two pollers never fetch the same feed at once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from newsroom_tui.models import NewArticle
from newsroom_tui.store.base import (
    ALL_ARTICLES,
    ArticleFilter,
    ChangeKind,
    StoreChange,
    StoreError,
)
from newsroom_tui.store.first_screen import Statement
from newsroom_tui.store.login import login_name
from newsroom_tui.store.migrations import NewerSchema, Progress
from newsroom_tui.store.outbox import queue_changes
from newsroom_tui.store.pg_listener import CHANNEL, ChangeListener, describe_dsn
from newsroom_tui.store.pg_migrations import migrate
from newsroom_tui.store.retention import KEEP_ALL, Retention
from newsroom_tui.store.rows import Row, Transaction, to_db_time
from newsroom_tui.store.sql_store import SQLStore
from newsroom_tui.store.story_triage import OF_STORY
from newsroom_tui.text.search_text import search_document
from newsroom_tui.watch_records import Watchlist

try:
    import psycopg
except ImportError:  # pragma: no cover - the error says how to install it
    psycopg = None  # type: ignore[assignment]

# Advisory lock keys (classid, objid): this namespace and the feed's id; the sync
# account's namespace and its id.
FEED_LOCK_SPACE = 0x6E72
ACCOUNT_LOCK_SPACE = 0x6E73
CONNECT_TIMEOUT = 5  # seconds
INSERT_CHUNK = 1000  # articles per INSERT statement
# a synced article's state as the sync writes it: the item's id as the server gave it, read,
# starred
SyncedState = tuple[str, bool, bool]
_SEARCH_VECTOR = ", setweight(to_tsvector('simple', ?), 'A') || to_tsvector('simple', ?)"
_READ_BY_USER = (
    "EXISTS (SELECT 1 FROM reads r WHERE r.article_id = a.id "
    "AND r.user_name = current_setting('newsroom.user'))"
)
_READ = f"(a.account_read OR {_READ_BY_USER})"
# the ids of the synced feeds' articles (their read state is the account's, shared)
_SYNCED_FEEDS = "(SELECT id FROM feeds WHERE kind = 'synced')"


def _pg(sql: str) -> str:
    """Our ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Tx:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Iterable[object] = ()) -> Any:
        return self._conn.execute(_pg(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[object]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(_pg(sql), [tuple(r) for r in rows])


class PostgresStore(SQLStore):
    """PostgreSQL implementation of :class:`newsroom_tui.store.base.Store`."""

    READ_EXPR = _READ
    UNREAD_EXPR = f"(NOT a.account_read AND NOT {_READ_BY_USER})"  # an anti-join, as before
    NO_LIMIT = "LIMIT ALL"
    STANDS_ALONE_ON_INSERT = True  # see _insert_articles
    ROLE_COLUMNS = "a.claimed_role, a.done_role"  # written by the server (pg_migrations 5)
    watchlist_origin = "team"  # anyone with access writes here: its watchlists run nothing
    _conn: Any = None  # psycopg's Connection; None until connected, and after a failed try

    def __init__(
        self,
        dsn: str,
        user: str | None = None,
        progress: Progress | None = None,
        *,
        extra_watchlists: Iterable[Watchlist] = (),
        retention: Retention = KEEP_ALL,
        local_dir: Path | None = None,
    ) -> None:
        """``progress``: told how far a migration that makes the search vectors again is;
        ``extra_watchlists``: the config file's, matched as the team's; ``retention``: what
        this one's polls remove; ``local_dir``: this machine's data dir, where the secret
        of the team's sync account is kept when it was logged in here."""
        if psycopg is None:
            raise StoreError(
                "a PostgreSQL database needs psycopg: pip install 'newsroom-tui[postgres]'"
            )
        super().__init__(user or login_name(), extra_watchlists, retention)
        self.dsn = dsn
        self.where = describe_dsn(dsn)
        self._lock = threading.RLock()
        self.local_dir = local_dir
        self._locked_feeds: set[tuple[int, int]] = set()
        self._connect()
        try:
            migrate(self._conn, progress)
        except NewerSchema as exc:
            self._conn.close()
            raise StoreError(f"{self.where} was {exc}; it is left as it is") from exc
        except ValueError as exc:
            self._conn.close()
            raise StoreError(
                f"{self.where} is not a usable newsroom database ({exc}); "
                "point --database at an empty database or a newsroom one"
            ) from exc
        except psycopg.Error as exc:
            self._conn.close()
            raise self._fault(exc) from exc
        except BaseException:  # interrupted (a migration's progress, Ctrl-C): rolled back
            self._conn.close()
            raise

    def _connect(self) -> None:
        try:
            self._conn = psycopg.connect(
                self.dsn,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT,
                application_name="newsroom",
            )
            # JIT compiles for queries the planner thinks costly: on the per-feed counts of a
            # large inbox the compiling took longer than the query runs without it.
            self._conn.execute(
                "SELECT set_config('newsroom.user', %s, false), set_config('jit', 'off', false)",
                (self.user,),
            )
        except psycopg.Error as exc:
            self._conn = None
            raise self._fault(exc) from exc

    def _fault(self, exc: BaseException) -> StoreError:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, psycopg.OperationalError):
            return StoreError(
                f"cannot reach the database {self.where}: {reason}; "
                "check that the server runs and the address is right",
                unreachable=True,
            )
        return StoreError(f"database {self.where}: {reason}")

    def _live_connection(self) -> Any:
        """The connection; after a lost one, a new one (advisory locks went with it)."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._locked_feeds.clear()
            self._connect()
        return self._conn

    @property
    def backend_pid(self) -> int | None:
        conn = self._conn
        return None if conn is None or conn.closed else conn.info.backend_pid

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[Row]:
        with self._lock:
            try:
                cur = self._live_connection().execute(_pg(sql), tuple(params))
                return cur.fetchall() if cur.description else []
            except psycopg.OperationalError as exc:
                raise self._fault(exc) from exc

    def _read_all(self, statements: list[Statement]) -> list[list[Row]]:
        """Every statement sent at once and answered at once (psycopg's pipeline): one
        round trip to the server, not one a statement. Without a libpq that pipelines
        (before PostgreSQL 14's), one after the other."""
        if not psycopg.Pipeline.is_supported():
            return super()._read_all(statements)
        with self._lock:
            try:
                conn = self._live_connection()
                with conn.pipeline():
                    cursors = [conn.execute(_pg(sql), tuple(params)) for sql, params in statements]
                return [cur.fetchall() for cur in cursors]
            except psycopg.OperationalError as exc:
                raise self._fault(exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._lock:
            try:
                conn = self._live_connection()
                with conn.transaction():
                    yield _Tx(conn)
            except psycopg.OperationalError as exc:
                raise self._fault(exc) from exc

    # backend hooks -------------------------------------------------------------------------

    def _search_clause(self, text: str) -> tuple[str, list[object]] | None:
        if not text.strip():
            return None
        from newsroom_tui.store.search_sql import postgres_plan  # when a search is typed
        from newsroom_tui.text.search_query import parse_query

        return postgres_plan(parse_query(text), self._query).clause()

    def _index_values(self, art: NewArticle | None) -> tuple[str, str, list[object]]:
        if art is None:
            return ", search", _SEARCH_VECTOR, []
        gallery = [text for item in art.gallery for text in (item.caption, item.credit)]
        return (
            ", search",
            _SEARCH_VECTOR,
            list(search_document(art.title, art.body_markdown, art.summary, gallery)),
        )

    def _insert_articles(
        self,
        tx: Transaction,
        feed_id: int,
        arts: list[NewArticle],
        polled_at: datetime,
        synced: Mapping[str, SyncedState] | None = None,
    ) -> list[tuple[int, NewArticle]]:
        """A feed's articles in one statement per :data:`INSERT_CHUNK` of them (not one per
        article): their ids taken from the sequence first, so each row is written whole,
        standing alone in its story (``story_id`` its own id, as :meth:`_assign_stories`
        then leaves it unless the assigner decides otherwise). ``synced``: by guid, the
        sync account's state of each (:mod:`.pg_sync_side`), written in the same row. Of
        two articles with one guid the first is kept, as the later conflicts."""
        first: dict[str, NewArticle] = {}
        for art in arts:
            first.setdefault(art.guid, art)
        unique = list(first.values())
        new: list[tuple[int, NewArticle]] = []
        for start in range(0, len(unique), INSERT_CHUNK):
            new += self._insert_chunk(
                tx, feed_id, unique[start : start + INSERT_CHUNK], polled_at, synced
            )
        self._insert_galleries(tx, new)
        return new

    def _insert_chunk(
        self,
        tx: Transaction,
        feed_id: int,
        arts: list[NewArticle],
        polled_at: datetime,
        synced: Mapping[str, SyncedState] | None,
    ) -> list[tuple[int, NewArticle]]:
        if not arts:
            return []
        ids = sorted(
            int(row[0])
            for row in tx.execute(
                """SELECT nextval(pg_get_serial_sequence('articles', 'id'))
                   FROM generate_series(1, ?)""",
                (len(arts),),
            ).fetchall()
        )
        fetched = to_db_time(polled_at)
        rows = [self._article_params(feed_id, art, polled_at, fetched)[1:] for art in arts]
        columns: list[list[object]] = [list(ids), *(list(c) for c in zip(*rows, strict=True))]
        extra_columns = extra_values = ""
        if synced is not None:
            states = [synced[art.guid] for art in arts]
            columns += [list(c) for c in zip(*states, strict=True)]
            extra_columns = ", remote_id, account_read, flagged"
            extra_values = ", v.given, v.read, v.starred"
        names = "id, guid, url, title, published, sort_key, summary, body, fetched, a, b"
        types = "bigint, text, text, text, text, text, text, text, text, text, text"
        if synced is not None:
            names += ", given, read, starred"
            types += ", text, boolean, boolean"
        # the columns sent in binary: psycopg dumps a list of strings so several times faster
        # than as text (the statement goes straight to the connection, whose transaction
        # ``tx`` is)
        arrays = ", ".join(f"%b::{kind}[]" for kind in types.split(", "))
        inserted = self._conn.execute(
            f"""INSERT INTO articles (id, story_id, feed_id, guid, url, title, published,
                   sort_key, summary, body, fetched, search{extra_columns})
               SELECT v.id, v.id, %s, v.guid, v.url, v.title, v.published, v.sort_key,
                   v.summary, v.body, v.fetched,
                   setweight(to_tsvector('simple', v.a), 'A') || to_tsvector('simple', v.b)
                   {extra_values}
               FROM unnest({arrays}) AS v({names})
               ORDER BY v.id
               ON CONFLICT (feed_id, guid) DO NOTHING RETURNING id""",
            (feed_id, *columns),
        ).fetchall()
        stored = {int(row[0]) for row in inserted}
        return [
            (article_id, art)
            for article_id, art in zip(ids, arts, strict=True)
            if article_id in stored
        ]

    def _announce(self, tx: Transaction, change: StoreChange) -> None:
        payload = {k: v for k, v in vars(change).items() if v is not None}
        tx.execute("SELECT pg_notify(?, ?)", (CHANNEL, json.dumps(payload)))

    # A synced article's read state is the account's, shared: set for everybody, and queued
    # in the outbox (see :mod:`.pg_sync_side`); any other article's is the user's own.

    def set_read(self, article_id: int, read: bool = True) -> None:
        from newsroom_tui.sync_records import Flag  # the sync's records: not at the start

        with self._transaction() as tx:
            queue_changes(
                tx,
                "a.id = ?",
                (article_id,),
                Flag.READ,
                read,
                read_column="account_read",
                per_account=True,
            )
            shared = tx.execute(
                f"""UPDATE articles SET account_read = ? WHERE id = ? AND account_read <> ?
                    AND feed_id IN {_SYNCED_FEEDS}""",
                (read, article_id, read),
            ).rowcount
            if shared:
                self._announce(
                    tx, StoreChange(ChangeKind.ARTICLE, article_id=article_id, user=self.user)
                )
            if read:
                tx.execute(
                    f"""INSERT INTO reads (user_name, article_id) SELECT ?, id FROM articles
                        WHERE id = ? AND feed_id NOT IN {_SYNCED_FEEDS}
                        ON CONFLICT DO NOTHING""",
                    (self.user, article_id),
                )
            else:
                tx.execute(
                    "DELETE FROM reads WHERE user_name = ? AND article_id = ?",
                    (self.user, article_id),
                )

    def _mark_story_read(self, tx: Transaction, article_id: int, read: bool) -> None:
        from newsroom_tui.sync_records import Flag

        queue_changes(
            tx,
            OF_STORY,
            (article_id, article_id),
            Flag.READ,
            read,
            read_column="account_read",
            per_account=True,
        )
        shared = tx.execute(
            f"""UPDATE articles SET account_read = ? WHERE account_read <> ?
                AND feed_id IN {_SYNCED_FEEDS}
                AND id IN (SELECT a.id FROM articles a WHERE {OF_STORY}) RETURNING id""",
            (read, read, article_id, article_id),
        ).fetchall()
        for (changed,) in shared:
            self._announce(tx, StoreChange(ChangeKind.ARTICLE, article_id=changed, user=self.user))
        if read:
            tx.execute(
                f"""INSERT INTO reads (user_name, article_id)
                    SELECT ?, a.id FROM articles a WHERE {OF_STORY}
                    AND a.feed_id NOT IN {_SYNCED_FEEDS} ON CONFLICT DO NOTHING""",
                (self.user, article_id, article_id),
            )
        else:
            tx.execute(
                f"""DELETE FROM reads WHERE user_name = ? AND article_id IN
                    (SELECT a.id FROM articles a WHERE {OF_STORY})""",
                (self.user, article_id, article_id),
            )

    def _queue_story_flag(self, tx: Transaction, article_id: int, flagged: bool) -> None:
        from newsroom_tui.sync_records import Flag

        queue_changes(
            tx, OF_STORY, (article_id, article_id), Flag.STARRED, flagged, per_account=True
        )

    def set_flagged(self, article_id: int, flagged: bool = True) -> None:
        from newsroom_tui.sync_records import Flag

        with self._transaction() as tx:
            queue_changes(tx, "a.id = ?", (article_id,), Flag.STARRED, flagged, per_account=True)
            if tx.execute(
                "UPDATE articles SET flagged = ? WHERE id = ? AND flagged <> ?",
                (flagged, article_id, flagged),
            ).rowcount:
                self._announce(
                    tx, StoreChange(ChangeKind.ARTICLE, article_id=article_id, user=self.user)
                )

    def mark_all_read(self, where: ArticleFilter = ALL_ARTICLES) -> int:
        from newsroom_tui.sync_records import Flag

        shown, params = self._shown_ids(where)
        chosen = f"({shown})"
        with self._transaction() as tx:
            queue_changes(
                tx,
                f"a.id IN {chosen}",
                params,
                Flag.READ,
                True,
                read_column="account_read",
                per_account=True,
            )
            feeds = tx.execute(
                f"""UPDATE articles SET account_read = true WHERE NOT account_read
                    AND feed_id IN {_SYNCED_FEEDS} AND id IN {chosen} RETURNING feed_id""",
                params,
            ).fetchall()
            for feed_id in sorted({row[0] for row in feeds}):
                self._announce(tx, StoreChange(ChangeKind.ARTICLES, feed_id=feed_id))
            return (
                len(feeds)
                + tx.execute(
                    f"""INSERT INTO reads (user_name, article_id)
                    SELECT ?, a.id FROM articles a WHERE a.id IN {chosen}
                    AND a.feed_id NOT IN {_SYNCED_FEEDS}
                    ON CONFLICT DO NOTHING""",
                    [self.user, *params],
                ).rowcount
            )

    # one poller per feed, one per sync account ---------------------------------------------

    def lock_feed(self, feed_id: int) -> bool:
        return self._try_lock(FEED_LOCK_SPACE, feed_id)

    def unlock_feed(self, feed_id: int) -> None:
        self._unlock(FEED_LOCK_SPACE, feed_id)

    def lock_account(self, account_id: int) -> bool:
        """Take the sync account for a sync; False when another poller syncs it now."""
        return self._try_lock(ACCOUNT_LOCK_SPACE, account_id)

    def unlock_account(self, account_id: int) -> None:
        self._unlock(ACCOUNT_LOCK_SPACE, account_id)

    def _try_lock(self, space: int, key: int) -> bool:
        with self._lock:  # the lock and its note, on one connection
            rows = self._query("SELECT pg_try_advisory_lock(?, ?)", (space, key))
            if rows[0][0]:
                self._locked_feeds.add((space, key))
            return bool(rows[0][0])

    def _unlock(self, space: int, key: int) -> None:
        with self._lock:
            if (space, key) in self._locked_feeds:
                self._locked_feeds.discard((space, key))
                self._query("SELECT pg_advisory_unlock(?, ?)", (space, key))

    # live changes ------------------------------------------------------------------------

    def watch(self, on_change: Callable[[StoreChange], None]) -> ChangeListener:
        """Hear other clients' changes (not this store's own) until ``close``."""
        return ChangeListener(self.dsn, on_change, own_pid=lambda: self.backend_pid).start()
