"""SQLite schema, versioned with ``PRAGMA user_version``: one entry per version, in order."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Mapping

# How far a long migration is: (articles done, articles in all); called in its transaction
Progress = Callable[[int, int], None]
REINDEX_BATCH = 10_000  # articles indexed again between two reports of progress


def reindex(conn: sqlite3.Connection, params: Mapping[str, str], progress: Progress | None) -> None:
    """The full-text index made again from the articles (folding changed), in batches of
    :data:`REINDEX_BATCH` with ``progress`` after each; in the migration's transaction, so
    an interrupted rebuild leaves the index as it was."""
    total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
    done, last = 0, 0
    if progress is not None and total:
        progress(0, total)
    while done < total:
        batch, upper = conn.execute(
            "SELECT COUNT(*), MAX(id) FROM"
            " (SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?)",
            (last, REINDEX_BATCH),
        ).fetchone()
        if upper is None:
            break
        conn.execute(
            f"""INSERT INTO articles_fts (rowid, title, body, credits)
                SELECT {params["fts_row"]} FROM articles a WHERE a.id > ? AND a.id <= ?""",
            (last, upper),
        )
        done += batch
        last = upper
        if progress is not None:
            progress(done, total)


Step = Callable[[sqlite3.Connection, Mapping[str, str], Progress | None], None]

MIGRATIONS: list[str | Step] = [
    # 1: feeds, articles, gallery items
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT,
        last_success TEXT,
        last_error TEXT,
        full_page TEXT NOT NULL DEFAULT 'auto',
        added TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        url TEXT,
        title TEXT NOT NULL,
        published TEXT,
        sort_key TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        read INTEGER NOT NULL DEFAULT 0,
        fetched TEXT NOT NULL,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX articles_newest ON articles (sort_key DESC, id DESC);
    CREATE TABLE gallery_items (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        src TEXT NOT NULL,
        caption TEXT NOT NULL DEFAULT '',
        credit TEXT
    );
    CREATE INDEX gallery_by_article ON gallery_items (article_id, position);
    """,
    # 2: triage flags, per-feed ordering, full-text search (contentless: the folded text is
    # indexed, not stored twice; see sqlite.FTS_ROW for the one expression that feeds it)
    """
    ALTER TABLE articles ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_by_feed ON articles (feed_id, sort_key DESC, id DESC);
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body, credits, content='', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (rowid, title, body, credits) SELECT {fts_row} FROM articles a;
    """,
    # 3: per-feed unread counts from an index alone, without reading the table's rows
    """
    CREATE INDEX articles_feed_read ON articles (feed_id, read);
    """,
    # 4: feed categories (folders from OPML, tags from newsboat); nested ones as "A/B"
    """
    ALTER TABLE feeds ADD COLUMN category TEXT;
    """,
    # 5: failure handling: failed polls in a row, when the last error happened, when the feed
    # may be polled again (the server's Retry-After or our back-off), a note on the last poll
    """
    ALTER TABLE feeds ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN last_error_at TEXT;
    ALTER TABLE feeds ADD COLUMN retry_after TEXT;
    ALTER TABLE feeds ADD COLUMN notice TEXT;
    """,
    # 6: shared triage (as on PostgreSQL): who claimed an article and when, done and by whom
    """
    ALTER TABLE articles ADD COLUMN claimed_by TEXT;
    ALTER TABLE articles ADD COLUMN claimed_at TEXT;
    ALTER TABLE articles ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN done_by TEXT;
    DROP INDEX articles_feed_read;
    CREATE INDEX articles_feed_state ON articles (feed_id, read, done);
    """,
    # 7: page sources: "feed" (RSS, Atom, JSON Feed) or "page" (an HTML listing page)
    """
    ALTER TABLE feeds ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed';
    """,
    # 8: watchlists (standing searches; ``run`` a JSON array of argv) and the articles each
    # matched on arrival, by watchlist name (the config file's watchlists have no row)
    """
    CREATE TABLE IF NOT EXISTS watchlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        query TEXT NOT NULL,
        flag INTEGER NOT NULL DEFAULT 0,
        claim_for TEXT,
        notify INTEGER NOT NULL DEFAULT 0,
        run TEXT,
        created TEXT NOT NULL,
        created_by TEXT
    );
    CREATE TABLE IF NOT EXISTS watch_matches (
        watchlist TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        matched TEXT NOT NULL,
        PRIMARY KEY (watchlist, article_id)
    );
    CREATE INDEX IF NOT EXISTS watch_matches_by_article ON watch_matches (article_id);
    """,
    # 9: bodies made when first read (see newsroom_tui/ingest/article_body.py): while ``source``
    # (the entry's HTML, JSON) is set, ``summary`` is empty and ``body`` holds the plain
    # search text the full-text row was made from; the first read renders and clears it
    """
    ALTER TABLE articles ADD COLUMN source TEXT;
    """,
    # 10: a feed name the user set (OPML, newsboat "~Name", `newsroom rename`) is kept over
    # the feed's own title on every poll. (This step also made the search index again, for
    # the folding of "ue" as "ü" and the gallery's captions beside its credits: step 11 does.)
    """
    ALTER TABLE feeds ADD COLUMN name_set INTEGER NOT NULL DEFAULT 0;
    """,
    # 11: the search index made again: umlauts fold to "ae", "oe", "ue" ("grün" no longer
    # finds "Grundschule"), captions and credits indexed (from step 10's time)
    reindex,
    # 12: stories across sources (see newsroom_tui/stories): the id of the article that
    # started the article's story (its own when it stands alone) and how it tells it ("new",
    # "version", "update"); what the cache held before stands alone
    """
    ALTER TABLE articles ADD COLUMN story_id INTEGER;
    ALTER TABLE articles ADD COLUMN story_relation TEXT NOT NULL DEFAULT 'new';
    UPDATE articles SET story_id = id;
    CREATE INDEX articles_by_story ON articles (story_id);
    CREATE INDEX articles_story_versions ON articles (sort_key) WHERE story_relation <> 'new';
    """,
    # 13: a sync account's part (see newsroom_tui/store/sync_side.py): feeds of kind
    # "synced" keyed by the server's stream id ("feed/12"), articles by the item's id (guid:
    # decimal; remote_id: as the server gave it), the outbox of read and flag changes not yet
    # pushed (oldest first by seq), the last pull's cursor
    """
    ALTER TABLE feeds ADD COLUMN remote_id TEXT;
    CREATE UNIQUE INDEX feeds_by_remote_id ON feeds (remote_id) WHERE remote_id IS NOT NULL;
    ALTER TABLE articles ADD COLUMN remote_id TEXT;
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        item TEXT NOT NULL,
        given TEXT NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('read', 'starred')),
        set_on INTEGER NOT NULL
    );
    CREATE TABLE sync_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), cursor TEXT);
    """,
    # 14: a synced teaser's article page that failed (or was over the budget), tried again
    # at later polls (see newsroom_tui/store/page_retries.py)
    """
    CREATE TABLE page_retries (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        teaser TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_try TEXT NOT NULL
    );
    """,
    # 15: the articles a poll stored whose full-text row is not made yet (see
    # newsroom_tui/store/index_queue.py): the search index is made after the poll's writes
    """
    CREATE TABLE IF NOT EXISTS index_queue (article_id INTEGER PRIMARY KEY);
    """,
    # 16: stories in the reader's list (see newsroom_tui/store/story_listing.py): how many
    # articles the article's story has (1: alone); the index that finds a story's articles
    # in order, with what a list's filter asks of them (it serves what the index on
    # story_id alone did), and the state index with the story's columns: a list of stories
    # is counted from the indexes alone, as the list of articles is
    """
    ALTER TABLE articles ADD COLUMN story_size INTEGER NOT NULL DEFAULT 1;
    UPDATE articles SET story_size = (SELECT COUNT(*) FROM articles b
        WHERE b.story_id = articles.story_id)
    WHERE story_id IN (SELECT story_id FROM articles WHERE story_relation <> 'new');
    CREATE INDEX articles_story_order ON articles (story_id, sort_key, feed_id, read, done);
    DROP INDEX articles_by_story;
    DROP INDEX articles_feed_state;
    CREATE INDEX articles_feed_state ON articles (feed_id, read, done, story_size, story_id,
        sort_key);
    """,
    # 17: an article page refused for its address, remembered with the address rule that
    # refused it: tried at a later poll whose rule differs (see
    # newsroom_tui/store/page_retries.py); NULL for a page that failed or waits for a budget
    """
    ALTER TABLE page_retries ADD COLUMN refused_under TEXT;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchema(ValueError):
    """The database was made by a newer newsroom: neither damaged nor ours to change."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"made by a newer newsroom (schema {found}, this one knows {known}); upgrade newsroom"
        )
        self.found, self.known = found, known


def check_not_newer(found: int, known: int = SCHEMA_VERSION) -> None:
    """Raise :class:`NewerSchema` when schema ``found`` is newer than ``known``."""
    if found > known:
        raise NewerSchema(found, known)


def migrate(conn: sqlite3.Connection, progress: Progress | None = None, **params: str) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`, each version in one transaction;
    returns the version found before.

    Each step is one transaction with its version bump (SQLite's DDL is transactional): a
    kill -9 leaves a step done or not at all. When a step is due, the version is read again
    under the write lock, so a second newsroom starting at the same moment does not run a
    step the first one committed while it waited. ``params`` fill ``{name}`` placeholders in
    the scripts (and are handed to the steps written in Python, with ``progress``)."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    check_not_newer(found)
    if found == SCHEMA_VERSION:  # nothing to do: no write lock (a poll may hold it)
        return found
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check_not_newer(version)
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return found
            step = MIGRATIONS[version]
            if callable(step):
                step(conn, params, progress)
            else:
                for statement in step.format(**params).split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            # A full disk or an I/O error may have rolled the transaction back already: a
            # ROLLBACK then fails ("no transaction is active") and would hide the cause.
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
