"""The embedded store: one SQLite file in WAL mode."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from newsroom_tui.models import Article, ArticleSummary, Feed, GalleryItem
from newsroom_tui.paths import database_path
from newsroom_tui.search_text import fold, fts_query
from newsroom_tui.store.base import ALL_ARTICLES, ArticleFilter, FeedCounts, FeedUpdate, StoreError
from newsroom_tui.store.migrations import migrate

_SUMMARY_COLUMNS = """
    a.id, a.feed_id, COALESCE(f.title, f.url), a.url, a.title, a.published, a.read, a.flagged
"""
# The one expression that makes an article's full-text row. The FTS table is contentless, so a
# delete must hand it exactly what the insert gave: both use this.
FTS_ROW = """a.id, nr_fold(a.title), nr_fold(a.body || ' ' || a.summary),
    nr_fold((SELECT COALESCE(group_concat(credit, ' '), '') FROM (SELECT g.credit
        FROM gallery_items g WHERE g.article_id = a.id AND g.credit IS NOT NULL
        ORDER BY g.position)))"""


def _where(where: ArticleFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if where.unread:
        clauses.append("a.read = 0")
    if where.flagged:
        clauses.append("a.flagged = 1")
    if where.feed_id is not None:
        clauses.append("a.feed_id = ?")
        params.append(where.feed_id)
    if where.category is not None:
        clauses.append(
            "a.feed_id IN (SELECT id FROM feeds WHERE category = ? OR category LIKE ? ESCAPE '\\')"
        )
        escaped = where.category.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [where.category, escaped + "/%"]
    query = fts_query(where.search) if where.search else None
    if query:
        clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(query)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def to_db_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def from_db_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# A write that finds the database busy past the busy timeout (another newsroom writing, a long
# checkpoint) is tried again this many times, after these pauses (seconds).
BUSY_RETRIES = (0.2, 1.0, 3.0)
BUSY_TIMEOUT = 15.0
RESET_HINT = "run `newsroom --reset-cache` to move it aside and start with an empty cache"


def _is_busy(exc: sqlite3.Error) -> bool:
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


def _sort_key(published: datetime | None, fetched: datetime) -> str:
    """UTC timestamp text that sorts lexically: newest first means DESC."""
    moment = published or fetched
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class _Foreign(sqlite3.DatabaseError):
    """A database of another program: never touched, never moved."""


class SQLiteStore:
    """SQLite implementation of :class:`newsroom_tui.store.base.Store`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
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
            migrate(self._conn, fts_row=FTS_ROW)
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

    def _check_foreign(self, path: Path) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0]
            for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if version == 0 and tables:
            raise _Foreign("it holds tables of another program")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` finds (empty: sound). Reads the whole file."""
        rows = self._query("PRAGMA integrity_check")
        return [] if rows == [("ok",)] else [str(r[0]) for r in rows]

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; all or nothing. A fault of the file or disk (read-only,
        full, damaged, locked for good) comes out as a one-line StoreError."""
        with self._lock:
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

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                if _is_store_fault(exc):
                    raise fault_error(self.path, exc, writing=False) from exc
                raise

    # feeds -------------------------------------------------------------------------------

    def add_feed(
        self, url: str, title: str | None = None, category: str | None = None
    ) -> tuple[Feed, bool]:
        with self._transaction() as conn:
            cur = conn.execute(
                """INSERT INTO feeds (url, title, category, added) VALUES (?, ?, ?, ?)
                   ON CONFLICT (url) DO NOTHING""",
                (url, title, category, to_db_time(datetime.now(UTC))),
            )
            created = cur.rowcount == 1
        feed = self._feed_by_url(url)
        assert feed is not None
        return feed, created

    def set_feed_category(self, url: str, category: str | None) -> bool:
        with self._transaction() as conn:
            cur = conn.execute("UPDATE feeds SET category = ? WHERE url = ?", (category, url))
            return cur.rowcount > 0

    def remove_feed(self, url: str) -> bool:
        with self._transaction() as conn:
            conn.execute(
                f"""INSERT INTO articles_fts (articles_fts, rowid, title, body, credits)
                    SELECT 'delete', {FTS_ROW} FROM articles a
                    WHERE a.feed_id = (SELECT id FROM feeds WHERE url = ?)""",
                (url,),
            )
            return conn.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    _FEED_COLUMNS = (
        "id, url, title, etag, last_modified, last_polled, last_success, last_error, full_page,"
        " category, failures, last_error_at, retry_after, notice"
    )

    @staticmethod
    def _feed(row: tuple) -> Feed:
        return Feed(
            id=row[0],
            url=row[1],
            title=row[2],
            etag=row[3],
            last_modified=row[4],
            last_polled=from_db_time(row[5]),
            last_success=from_db_time(row[6]),
            error=row[7],
            full_page=row[8],
            category=row[9],
            failures=row[10],
            last_error_at=from_db_time(row[11]),
            retry_after=from_db_time(row[12]),
            notice=row[13],
        )

    def _feed_by_url(self, url: str) -> Feed | None:
        rows = self._query(f"SELECT {self._FEED_COLUMNS} FROM feeds WHERE url = ?", (url,))
        return self._feed(rows[0]) if rows else None

    def feeds(self) -> list[Feed]:
        return [
            self._feed(r)
            for r in self._query(f"SELECT {self._FEED_COLUMNS} FROM feeds ORDER BY id")
        ]

    def feed_counts(self) -> list[FeedCounts]:
        counts = {
            row[0]: (row[1], row[2])
            for row in self._query(
                "SELECT feed_id, COUNT(*), SUM(read = 0) FROM articles GROUP BY feed_id"
            )
        }
        return [FeedCounts(f, *counts.get(f.id, (0, 0))) for f in self.feeds()]

    def last_success(self) -> datetime | None:
        return from_db_time(self._query("SELECT MAX(last_success) FROM feeds")[0][0])

    # polling -----------------------------------------------------------------------------

    def known_guids(self, feed_id: int, guids: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(guids))
        known: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT guid FROM articles WHERE feed_id = ? AND guid IN ({marks})",
                [feed_id, *chunk],
            )
            known.update(r[0] for r in rows)
        return known

    def save_feed_update(self, feed_id: int, update: FeedUpdate) -> int:
        polled = to_db_time(update.polled_at)
        inserted = 0
        with self._transaction() as conn:
            conn.execute(
                """UPDATE feeds SET title = COALESCE(?, title), etag = ?, last_modified = ?,
                   last_polled = ?, last_success = ?, last_error = NULL, last_error_at = NULL,
                   failures = 0, retry_after = NULL, notice = ? WHERE id = ?""",
                (
                    update.title,
                    update.etag,
                    update.last_modified,
                    polled,
                    polled,
                    update.notice,
                    feed_id,
                ),
            )
            for art in update.articles:
                cur = conn.execute(
                    """INSERT INTO articles (feed_id, guid, url, title, published, sort_key,
                       summary, body, fetched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (feed_id, guid) DO NOTHING""",
                    (
                        feed_id,
                        art.guid,
                        art.url,
                        art.title,
                        to_db_time(art.published),
                        _sort_key(art.published, update.polled_at),
                        art.summary,
                        art.body_markdown,
                        polled,
                    ),
                )
                if cur.rowcount != 1:
                    continue
                inserted += 1
                conn.executemany(
                    """INSERT INTO gallery_items (article_id, position, src, caption, credit)
                       VALUES (?, ?, ?, ?, ?)""",
                    [
                        (cur.lastrowid, pos, item.src, item.caption, item.credit)
                        for pos, item in enumerate(art.gallery)
                    ],
                )
                conn.execute(
                    f"""INSERT INTO articles_fts (rowid, title, body, credits)
                        SELECT {FTS_ROW} FROM articles a WHERE a.id = ?""",
                    (cur.lastrowid,),
                )
        return inserted

    def record_not_modified(self, feed_id: int, polled_at: datetime) -> None:
        when = to_db_time(polled_at)
        with self._transaction() as conn:
            conn.execute(
                """UPDATE feeds SET last_polled = ?, last_success = ?, last_error = NULL,
                   last_error_at = NULL, failures = 0, retry_after = NULL WHERE id = ?""",
                (when, when, feed_id),
            )

    def record_failure(
        self, feed_id: int, polled_at: datetime, error: str, retry_after: datetime | None = None
    ) -> None:
        when = to_db_time(polled_at)
        with self._transaction() as conn:
            conn.execute(
                """UPDATE feeds SET last_polled = ?, last_error = ?, last_error_at = ?,
                   failures = failures + 1, retry_after = ? WHERE id = ?""",
                (when, error, when, to_db_time(retry_after), feed_id),
            )

    # articles ----------------------------------------------------------------------------

    @staticmethod
    def _summary(row: tuple) -> ArticleSummary:
        return ArticleSummary(
            id=row[0],
            feed_id=row[1],
            feed=row[2],
            url=row[3],
            title=row[4],
            published=from_db_time(row[5]),
            read=bool(row[6]),
            flagged=bool(row[7]),
        )

    def articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]:
        clause, params = _where(where)
        rows = self._query(
            f"""SELECT {_SUMMARY_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id
                {clause} ORDER BY a.sort_key DESC, a.id DESC LIMIT ? OFFSET ?""",
            [*params, -1 if limit is None else limit, offset],
        )
        return [self._summary(r) for r in rows]

    def _order_key(self, article_id: int) -> tuple[str, int] | None:
        rows = self._query("SELECT sort_key, id FROM articles WHERE id = ?", (article_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def article_position(self, where: ArticleFilter, article_id: int) -> int | None:
        key = self._order_key(article_id)
        if key is None:
            return None
        clause, params = _where(where)
        joiner = " AND " if clause else "WHERE "
        if not self._query(f"SELECT 1 FROM articles a {clause}{joiner}a.id = ?", [*params, key[1]]):
            return None
        return self._query(
            f"SELECT COUNT(*) FROM articles a {clause}{joiner}(a.sort_key, a.id) > (?, ?)",
            [*params, *key],
        )[0][0]

    def next_unread_position(self, where: ArticleFilter, after: int) -> int | None:
        unread = replace(where, unread=True)
        clause, params = _where(unread)
        order = "ORDER BY a.sort_key DESC, a.id DESC LIMIT 1"
        current = self.articles(where, limit=1, offset=after)
        key = self._order_key(current[0].id) if current else None
        rows = []
        if key is not None:
            rows = self._query(
                f"SELECT a.id FROM articles a {clause} AND (a.sort_key, a.id) < (?, ?) {order}",
                [*params, *key],
            )
        if not rows:  # wrap around to the top
            rows = self._query(f"SELECT a.id FROM articles a {clause} {order}", params)
        return self.article_position(where, rows[0][0]) if rows else None

    def count_articles(self, where: ArticleFilter = ALL_ARTICLES) -> int:
        clause, params = _where(where)
        return self._query(f"SELECT COUNT(*) FROM articles a {clause}", params)[0][0]

    def article(self, article_id: int) -> Article | None:
        rows = self._query(
            f"""SELECT {_SUMMARY_COLUMNS}, a.summary, a.body FROM articles a
                JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?""",
            (article_id,),
        )
        if not rows:
            return None
        row = rows[0]
        gallery = [
            GalleryItem(src=r[0], caption=r[1], credit=r[2])
            for r in self._query(
                """SELECT src, caption, credit FROM gallery_items WHERE article_id = ?
                   ORDER BY position""",
                (article_id,),
            )
        ]
        base = self._summary(row)
        return Article(**vars(base), summary=row[8], body_markdown=row[9], gallery=gallery)

    def set_read(self, article_id: int, read: bool = True) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    def set_flagged(self, article_id: int, flagged: bool = True) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE articles SET flagged = ? WHERE id = ?", (int(flagged), article_id))

    def mark_all_read(self, where: ArticleFilter = ALL_ARTICLES) -> int:
        clause, params = _where(where)
        with self._transaction() as conn:
            return conn.execute(
                f"UPDATE articles SET read = 1 WHERE read = 0 AND id IN "
                f"(SELECT a.id FROM articles a {clause})",
                params,
            ).rowcount


def open_store(data_dir: Path) -> SQLiteStore:
    """Open (creating and migrating as needed) the store in ``data_dir``."""
    return SQLiteStore(database_path(data_dir))
