"""The embedded store: one SQLite file in WAL mode."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.models import Article, ArticleSummary, NewArticle
from newsroom_tui.paths import database_path
from newsroom_tui.store import index_queue
from newsroom_tui.store.base import ALL_ARTICLES, ArticleFilter, CacheChanges, StoreError
from newsroom_tui.store.login import login_name
from newsroom_tui.store.migrations import NewerSchema, Progress, check_not_newer, migrate
from newsroom_tui.store.newest_hits import newest_hits, newest_stories
from newsroom_tui.store.outbox import queue_changes
from newsroom_tui.store.retention import KEEP_ALL, Retention
from newsroom_tui.store.rows import Row, Transaction, sort_key, summary_from_row, to_db_time
from newsroom_tui.store.sql_store import SQLStore
from newsroom_tui.store.story_listing import any_version_unread
from newsroom_tui.store.story_triage import OF_STORY
from newsroom_tui.text.search_text import fold, fts_columns

if TYPE_CHECKING:
    from newsroom_tui.store.search_sql import SearchPlan
    from newsroom_tui.watch_records import Watchlist

# The one expression that makes an article's full-text row. The FTS table is contentless, so a
# delete must hand it exactly what the insert gave: both use this. The column ``credits``
# holds the gallery's text: its captions and credits.
FTS_ROW = """a.id, nr_fold(a.title), nr_fold(a.body || ' ' || a.summary),
    nr_fold((SELECT COALESCE(group_concat(t, ' '), '') FROM (SELECT
        g.caption || ' ' || COALESCE(g.credit, '') AS t
        FROM gallery_items g WHERE g.article_id = a.id ORDER BY g.position)))"""


def _fts_values(article_id: int, art: NewArticle) -> tuple[int, str, str, str]:
    """What :data:`FTS_ROW` makes of the row ``art`` was stored as, made in Python (no call
    back into Python per column; by the worker process when it folded them already): a
    delete hands the index the same text."""
    title, body, credits = art.index or fts_columns(
        art.title, art.body_markdown, art.summary, ((i.caption, i.credit) for i in art.gallery)
    )
    return article_id, title, body, credits


# A write that finds the database busy past the busy timeout (another newsroom writing, a long
# checkpoint) is tried again this many times, after these pauses (seconds).
BUSY_RETRIES = (0.2, 1.0, 3.0)
BUSY_TIMEOUT = 15.0
RESET_HINT = "run `newsroom --reset-cache` to move it aside and start with an empty cache"


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_store_fault(exc: BaseException) -> bool:
    """Errors of the file or the disk, not of a statement: OperationalError (read-only, disk
    full, I/O, locked) and plain DatabaseError (malformed). IntegrityError and friends are
    bugs and stay as they are."""
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


def _damaged(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def fault_error(path: Path, exc: BaseException, *, writing: bool) -> StoreError:
    return StoreError(describe_fault(path, exc, writing=writing), broken=_damaged(exc))


def describe_fault(path: Path, exc: BaseException, *, writing: bool) -> str:
    """One line: what went wrong with the cache at ``path`` and the way out."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = reason.lower()
    if "readonly" in low or "read-only" in low or "permission" in low or "unable to open" in low:
        return (
            f"cannot {'write' if writing else 'open'} the cache {path}: {reason}; "
            f"check that {path.parent} and the files in it are writable"
        )
    if "full" in low or "no space" in low:
        return f"cannot write the cache {path}: {reason}; free some disk space and try again"
    if _is_busy(exc):
        return (
            f"the cache {path} stays locked by another program ({reason}); "
            "close the other newsroom and try again"
        )
    if _damaged(exc):
        return f"{path} is damaged ({reason}); {RESET_HINT}"
    return f"cannot {'write' if writing else 'read'} the cache {path}: {reason}"


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a broken cache (and its -wal/-shm files) to ``NAME.broken-YYYYMMDD-HHMMSS``;
    returns the new name of the main file."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    # The journal files first: a stale -wal next to a fresh database would be replayed into it.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    if path.exists():
        path.rename(target)
    return target


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from threads."""
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )


class _Foreign(sqlite3.DatabaseError):
    """A database of another program: never touched, never moved."""


class SQLiteStore(SQLStore):
    """SQLite implementation of :class:`newsroom_tui.store.base.Store`: one reader's read
    state (``user`` is who claims), no other clients to tell about changes."""

    READ_EXPR = "a.read"
    AT_HAND = "a.source IS NULL"  # a poll's body source is made Markdown first (a write)
    UNREAD_EXPR = "a.read = 0"  # served by the index (feed_id, read)
    NO_LIMIT = "LIMIT -1"
    DISTINCT_BY_INDEX = True  # the story index counts a list's stories in one ordered scan
    lazy_bodies = True
    worker_index = True  # taken by the index after the poll's writes (see _folded)

    def __init__(
        self,
        path: Path,
        user: str | None = None,
        progress: Progress | None = None,
        *,
        extra_watchlists: Iterable[Watchlist] = (),
        retention: Retention = KEEP_ALL,
    ) -> None:
        """``progress``: told how far a migration that makes the search index again is;
        ``extra_watchlists``: the config file's, matched as the stored ones; ``retention``:
        what this one's polls remove."""
        super().__init__(user or login_name(), extra_watchlists, retention)
        self.path = path
        self._lock = threading.RLock()  # the write connection
        self._owner = threading.get_ident()  # the thread that opened the store writes first
        self._owner_waiting = False
        self._read_lock = threading.RLock()  # the read connection
        self._deferring = 0  # polls under way whose articles are indexed after their writes
        self._deferring_lock = threading.Lock()
        # the folded full-text columns of queued articles, by id, as the workers made them:
        # taken by the index's catch-up (a queued article without them is folded by SQLite)
        self._folded: index_queue.Folded = {}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = _connect(path)
        except OSError as exc:
            raise StoreError(
                f"cannot open the cache {path}: {exc.strerror or exc}; "
                f"check that {path.parent} is writable"
            ) from exc
        except sqlite3.Error as exc:
            raise fault_error(path, exc, writing=False) from exc
        try:
            self._check_foreign(path)  # before anything writes, even the journal mode
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.create_function("nr_fold", 1, fold, deterministic=True)
            migrate(self._conn, progress, fts_row=FTS_ROW)
            # Reads get a connection of their own: in WAL mode they never wait for a write
            # transaction (otherwise a poll saving a feed holds up the reader paging
            # the list, on every refresh of a long poll).
            self._reader = _connect(path)
            self._reader.execute("PRAGMA query_only = ON")
        except NewerSchema as exc:
            self._conn.close()
            raise StoreError(f"{path} was {exc}; it is left as it is") from exc
        except _Foreign as exc:
            self._conn.close()
            raise StoreError(
                f"{path} is not a newsroom cache ({exc}); it is left as it is: "
                "choose another --data-dir"
            ) from exc
        except (sqlite3.DatabaseError, ValueError) as exc:
            self._conn.close()
            if _is_store_fault(exc) and not _damaged(exc):
                raise fault_error(path, exc, writing=False) from exc
            raise StoreError(
                f"{path} is not a usable newsroom cache ({exc}); {RESET_HINT}, "
                "or choose another --data-dir",
                broken=True,
            ) from exc
        except BaseException:  # interrupted (a migration's progress, Ctrl-C): rolled back
            self._conn.close()
            raise

    def _check_foreign(self, path: Path) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        check_not_newer(version)  # before WAL mode or a migration writes to it
        tables = {
            row[0]
            for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if version == 0 and tables:
            raise _Foreign("it holds tables of another program")

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._conn.close()
            self._reader.close()

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` finds (empty: sound). Reads the whole file."""
        rows = self._query("PRAGMA integrity_check")
        return [] if rows == [("ok",)] else [str(r[0]) for r in rows]

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; all or nothing. A fault of the file or disk (read-only,
        full, damaged, locked for good) comes out as a one-line StoreError."""
        mine = self._take_write_lock()
        try:
            self._begin()
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            if _is_store_fault(exc):
                raise fault_error(self.path, exc, writing=True) from exc
            raise
        finally:
            self._lock.release()
            if mine:
                self._owner_waiting = False

    def _take_write_lock(self) -> bool:
        """The write lock, with the thread that opened the store first in line: the reader's
        own writes (a key, an article read) do not queue behind a poll's background writes,
        which kept them waiting through a long poll. True for that thread."""
        if threading.get_ident() == self._owner:
            self._owner_waiting = True
            self._lock.acquire()
            return True
        # (Transactions never nest: BEGIN inside BEGIN fails. Giving the lock back is safe.)
        while True:
            self._lock.acquire()
            if not self._owner_waiting:
                return False
            self._lock.release()
            time.sleep(0.002)

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, tried again a few times when another connection holds the write
        lock past the busy timeout (SQLITE_BUSY)."""
        for pause in (*BUSY_RETRIES, None):
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if pause is None or not _is_busy(exc):
                    raise
                time.sleep(pause)

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[Row]:
        with self._reading() as conn:
            return conn.execute(sql, tuple(params)).fetchall()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The read connection, to this thread alone; a fault of the file or disk comes out
        as a one-line StoreError."""
        with self._read_lock:
            try:
                yield self._reader
            except sqlite3.Error as exc:
                if _is_store_fault(exc):
                    raise fault_error(self.path, exc, writing=False) from exc
                raise

    def articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]:
        """As :meth:`SQLStore.articles`; a search's page is found newest first, stopping
        once no other hit can come before its last row (see :mod:`.newest_hits`), not by
        sorting every hit: the first 50 of 500,000 take milliseconds."""
        plan = self._search_plan(where.search) if where.search else None
        if plan is None or plan.match is None or limit is None:
            return super().articles(where, limit=limit, offset=offset)
        if where.stories:
            return self._newest_stories(where, plan, limit, offset)
        clause, params = self._where(replace(where, search=None))
        condition, params = _and(clause.removeprefix("WHERE "), params, plan)
        with self._reading() as conn:
            ids = newest_hits(conn, plan.match, offset + limit, condition, params)
        by_id = {summary.id: summary for summary in self.summaries(ids[offset:])}
        return [by_id[i] for i in ids[offset:] if i in by_id]

    def _newest_stories(
        self, where: ArticleFilter, plan: SearchPlan, limit: int, offset: int
    ) -> list[ArticleSummary]:
        """A search's page of stories: each story's newest hit, read or not (as the list of
        stories shows its newest version); of an unread search, the stories with an unread
        version; each row unread while a version of its story is."""
        clauses, params = self._kept_by_stories(where)
        if where.unread:
            clauses = [*clauses, any_version_unread(self.UNREAD_EXPR, clauses)]
            params = [*params, *params]
        condition, params = _and(" AND ".join(clauses), params, plan)
        assert plan.match is not None
        with self._reading() as conn:
            ids = newest_stories(conn, plan.match, offset + limit, condition, params)
        ids = ids[offset:]
        if not ids:
            return []
        columns, column_params = self._listed_columns(where)
        marks = ",".join("?" * len(ids))
        rows = self._query(
            f"""SELECT {columns} FROM articles a JOIN feeds f ON f.id = a.feed_id
                WHERE a.id IN ({marks})""",
            [*column_params, *ids],
        )
        by_id = {summary.id: summary for summary in map(summary_from_row, rows)}
        return [by_id[i] for i in ids if i in by_id]

    def count_articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, at_most: int | None = None
    ) -> int:
        """As :meth:`SQLStore.count_articles`; a search counted ``at_most`` far reads the
        full-text index's hits as they come, not all of them first."""
        plan = self._search_plan(where.search) if where.search else None
        if plan is None or plan.match is None or at_most is None:
            return super().count_articles(where, at_most=at_most)
        clause, params = self._where(replace(where, search=None, stories=False))
        condition, params = _and(clause.removeprefix("WHERE "), params, plan)
        condition = f"AND {condition}" if condition else ""
        # a story once: its hits' story counted once (as the hits come, up to ``at_most``)
        hit = "DISTINCT COALESCE(a.story_id, a.id)" if where.stories else "1"
        return int(
            self._query(
                f"""SELECT COUNT(*) FROM (SELECT {hit} FROM articles_fts JOIN articles a
                    ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? {condition}
                    LIMIT ?)""",
                [plan.match, *params, at_most],
            )[0][0]
        )

    def changed_since(self, token: object) -> CacheChanges:
        """SQLite's ``data_version`` of each connection: the read connection's changes
        whenever another connection (this store's writer, another process) commits, the
        write connection's only when another process does. Two cheap pragmas."""
        version = self._query("PRAGMA data_version")[0][0]
        with self._lock:  # the write connection, between two of this store's writes
            try:
                others = self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:
                if _is_store_fault(exc):
                    raise fault_error(self.path, exc, writing=False) from exc
                raise
        now = (version, others)
        if not isinstance(token, tuple):  # the first look: only where the cache is
            return CacheChanges(changed=False, by_others=False, token=now)
        return CacheChanges(changed=now[0] != token[0], by_others=now[1] != token[1], token=now)

    def _search_clause(self, text: str) -> tuple[str, list[object]] | None:
        plan = self._search_plan(text)
        return plan.clause() if plan is not None else None

    def _search_plan(self, text: str) -> SearchPlan | None:
        """The search ``text`` as SQL, None for blanks alone
        (:class:`~newsroom_tui.text.search_query.QueryError` when it cannot be read)."""
        if not text.strip():
            return None
        from newsroom_tui.store.search_sql import sqlite_plan  # when a search is typed
        from newsroom_tui.text.search_query import parse_query

        return sqlite_plan(parse_query(text), self._query)

    def _index_values(self, art: NewArticle | None) -> tuple[str, str, list[object]]:
        return ", source", ", ?", [art.source if art is not None else None]

    def article_at_hand(self, article_id: int) -> Article | None:
        rows = self._query("SELECT source IS NULL FROM articles WHERE id = ?", (article_id,))
        if not rows or not rows[0][0]:
            return None  # gone, or to be made Markdown first (the extractor, a write)
        return super().article(article_id)

    def body_source(self, article_id: int) -> str | None:
        """The body source a poll stored the article with (not yet made Markdown), or None."""
        rows = self._query("SELECT source FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def keep_rendered(self, article_id: int, summary: str, body: str) -> None:
        """Keep the Markdown made of the article's body source instead of the source, with
        its full-text row made again from the Markdown."""
        with self._transaction() as tx:
            pending = tx.execute(
                "SELECT 1 FROM articles WHERE id = ? AND source IS NOT NULL", (article_id,)
            ).fetchone()
            if pending is None:  # rendered meanwhile (another thread), or gone
                return
            # contentless index: out with exactly the text it was made from, in with the new
            self._unindex(tx, "a.id = ?", (article_id,))
            tx.execute(
                "UPDATE articles SET summary = ?, body = ?, source = NULL WHERE id = ?",
                (summary, body, article_id),
            )
            self._index_article(tx, article_id, NewArticle("", None, "", None))

    def _unindex(self, tx: Transaction, where: str, params: Iterable[object]) -> None:
        """Take the articles matching ``where`` out of the index; those still queued for
        it have no row there: they leave the queue instead."""
        params = tuple(params)
        tx.execute(
            f"""INSERT INTO articles_fts (articles_fts, rowid, title, body, credits)
                SELECT 'delete', {FTS_ROW} FROM articles a
                WHERE {index_queue.indexed_only(where)}""",
            params,
        )
        index_queue.unqueue(tx, where, params)

    @contextmanager
    def deferred_index(self) -> Iterator[None]:
        """While this lasts, the articles a write stores are queued for the search index
        instead of indexed in the write (:meth:`catch_up_index` makes their rows)."""
        with self._deferring_lock:
            self._deferring += 1
        try:
            yield
        finally:
            with self._deferring_lock:
                self._deferring -= 1

    def catch_up_index(self, progress: Progress | None = None, most: int | None = None) -> int:
        """Make the full-text rows of every queued article, :data:`index_queue.INDEX_BATCH`
        at a time, each batch one transaction; ``progress`` hears (indexed, of all) after
        each. ``most``: one batch of at most that many. How many were indexed."""
        with self._reading() as conn:
            total = index_queue.queued(conn) if most is None else 0
        done = 0
        while True:
            with self._transaction() as tx:
                count = index_queue.index_batch(
                    tx, FTS_ROW, most or index_queue.INDEX_BATCH, self._folded
                )
            done += count
            if count and progress is not None:
                progress(done, max(total, done))
            if not count:  # what is left belongs to articles no longer queued
                self._folded.clear()
            if not count or most is not None:
                return done

    def index_pending(self) -> int:
        """How many stored articles are not yet in the search index."""
        with self._reading() as conn:
            return index_queue.queued(conn)

    def _insert_articles(
        self, tx: Transaction, feed_id: int, arts: list[NewArticle], polled_at: datetime
    ) -> list[tuple[int, NewArticle]]:
        """A feed's articles with one ``executemany`` each for rows, galleries and index,
        not a statement per row. New rows are those above the largest id
        before: ids of an INTEGER PRIMARY KEY grow, and nobody else writes meanwhile. The
        new ones (id, article) are returned: the watchlists match them."""
        if not arts:
            return []
        floor = tx.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
        params = self._article_params
        fetched, undated = to_db_time(polled_at), sort_key(None, polled_at)
        tx.executemany(
            self._insert_sql(returning=""),
            [params(feed_id, art, polled_at, fetched, undated) for art in arts],
        )
        ids = dict(tx.execute("SELECT guid, id FROM articles WHERE id > ?", (floor,)).fetchall())
        new: list[tuple[int, NewArticle]] = []
        for art in arts:
            article_id = ids.pop(art.guid, None)  # a guid twice in a feed: the first one
            if article_id is not None:
                new.append((article_id, art))
        self._insert_galleries(tx, new)
        if self._deferring:  # a poll: its articles are indexed after its writes
            index_queue.queue(tx, (article_id for article_id, _ in new))
            index_queue.keep_folded(self._folded, ((i, art.index) for i, art in new))
            return new
        tx.executemany(
            "INSERT INTO articles_fts (rowid, title, body, credits) VALUES (?, ?, ?, ?)",
            [_fts_values(article_id, art) for article_id, art in new],
        )
        return new

    def _index_article(self, tx: Transaction, article_id: int, art: NewArticle) -> None:
        tx.execute(
            f"""INSERT INTO articles_fts (rowid, title, body, credits)
                SELECT {FTS_ROW} FROM articles a WHERE a.id = ?""",
            (article_id,),
        )

    def _unindex_feed(self, tx: Transaction, url: str) -> None:
        self._unindex(tx, "a.feed_id = (SELECT id FROM feeds WHERE url = ?)", (url,))

    def _unindex_articles(self, tx: Transaction, ids: Sequence[int]) -> None:
        self._unindex(tx, f"a.id IN ({', '.join('?' * len(ids))})", ids)

    # A synced article's read and flag changes also go to the sync's outbox, in the same
    # transaction (see :mod:`.outbox`).

    def set_read(self, article_id: int, read: bool = True) -> None:
        from newsroom_tui.sync_records import Flag  # the sync's records: not at the start

        with self._transaction() as conn:
            queue_changes(conn, "a.id = ?", (article_id,), Flag.READ, read)
            conn.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    def set_flagged(self, article_id: int, flagged: bool = True) -> None:
        from newsroom_tui.sync_records import Flag

        with self._transaction() as conn:
            queue_changes(conn, "a.id = ?", (article_id,), Flag.STARRED, flagged)
            conn.execute(
                "UPDATE articles SET flagged = ? WHERE id = ? AND flagged <> ?",
                (flagged, article_id, flagged),
            )

    def _mark_story_read(self, tx: Transaction, article_id: int, read: bool) -> None:
        from newsroom_tui.sync_records import Flag

        queue_changes(tx, OF_STORY, (article_id, article_id), Flag.READ, read)
        tx.execute(
            f"UPDATE articles SET read = ? WHERE id IN (SELECT a.id FROM articles a "
            f"WHERE {OF_STORY})",
            (int(read), article_id, article_id),
        )

    def _queue_story_flag(self, tx: Transaction, article_id: int, flagged: bool) -> None:
        from newsroom_tui.sync_records import Flag

        queue_changes(tx, OF_STORY, (article_id, article_id), Flag.STARRED, flagged)

    def mark_all_read(self, where: ArticleFilter = ALL_ARTICLES) -> int:
        shown, params = self._shown_ids(where)
        chosen = f"({shown})"
        from newsroom_tui.sync_records import Flag

        with self._transaction() as conn:
            queue_changes(conn, f"a.id IN {chosen}", params, Flag.READ, True)
            return conn.execute(
                f"UPDATE articles SET read = 1 WHERE read = 0 AND id IN {chosen}", params
            ).rowcount


def _and(condition: str, params: Sequence[object], plan: SearchPlan) -> tuple[str, list[object]]:
    """``condition`` (SQL on article ``a``, "" for none) and the search's own beside its
    FTS5 query, with their parameters."""
    both = " AND ".join(f"({c})" for c in (condition, plan.condition) if c)
    return both, [*params, *plan.params]


def open_store(
    data_dir: Path,
    user: str | None = None,
    progress: Progress | None = None,
    *,
    extra_watchlists: Iterable[Watchlist] = (),
    retention: Retention = KEEP_ALL,
) -> SQLiteStore:
    """Open (creating and migrating as needed) the store in ``data_dir``; ``progress`` is
    told how far a migration that makes the search index again is; ``extra_watchlists``:
    the config file's, matched by this newsroom's polls as the stored ones; ``retention``:
    what they remove."""
    return SQLiteStore(
        database_path(data_dir),
        user,
        progress,
        extra_watchlists=extra_watchlists,
        retention=retention,
    )
