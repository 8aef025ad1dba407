"""PostgreSQL schema, versioned like the SQLite one: one script per version, in order; the
version lives in ``newsroom_schema`` (PostgreSQL has no ``PRAGMA user_version``).

Times are ISO 8601 text as in SQLite, so a published date keeps the site's UTC offset and
both backends sort and compare the same way (``sort_key`` in the "C" collation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsroom_tui.store.migrations import Progress, check_not_newer
from newsroom_tui.text.search_text import search_document


def _refold_search(conn: Any, progress: Progress | None) -> None:
    """The search vectors made again with the folding of the day (umlauts as "ae", "oe",
    "ue": "grün" finds "gruen", never "Grundschule") and the gallery's captions beside its
    credits. The words are folded in Python, so this step is too; ``progress`` after each
    batch."""
    total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    done, last = 0, 0
    if progress is not None and total:
        progress(0, total)
    while True:  # a thousand articles at a time: a large store is never in memory at once
        rows = conn.execute(
            """SELECT a.id, a.title, a.body, a.summary,
                      COALESCE((SELECT string_agg(g.caption || ' ' || COALESCE(g.credit, ''),
                                ' ' ORDER BY g.position)
                                FROM gallery_items g WHERE g.article_id = a.id), '')
               FROM articles a WHERE a.id > %s ORDER BY a.id LIMIT 1000""",
            (last,),
        ).fetchall()
        if not rows:
            return
        with conn.cursor() as cur:
            cur.executemany(
                """UPDATE articles SET search = setweight(to_tsvector('simple', %s), 'A')
                   || to_tsvector('simple', %s) WHERE id = %s""",
                [(*search_document(t, b, s, [g]), i) for i, t, b, s, g in rows],
            )
        last = rows[-1][0]
        done += len(rows)
        if progress is not None:
            progress(done, total)


def _add_name_set(conn: Any, progress: Progress | None) -> None:
    """A feed name the user set is kept over the feed's title (``name_set``). (This step
    also made the search vectors again: step 5 does.)"""
    conn.execute("ALTER TABLE feeds ADD COLUMN name_set BOOLEAN NOT NULL DEFAULT false")


MIGRATIONS: list[str | Callable[[Any, Progress | None], None]] = [
    # 1: the schema of SQLite version 6, plus what a team needs: read state per user and a
    # search vector per article (words folded in Python, as the SQLite tokenizer folds them)
    """
    CREATE TABLE feeds (
        id BIGSERIAL PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT,
        last_success TEXT,
        last_error TEXT,
        full_page TEXT NOT NULL DEFAULT 'auto',
        added TEXT NOT NULL,
        category TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error_at TEXT,
        retry_after TEXT,
        notice TEXT
    );
    CREATE TABLE articles (
        id BIGSERIAL PRIMARY KEY,
        feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        url TEXT,
        title TEXT NOT NULL,
        published TEXT,
        sort_key TEXT COLLATE "C" NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        fetched TEXT NOT NULL,
        flagged BOOLEAN NOT NULL DEFAULT false,
        claimed_by TEXT,
        claimed_at TEXT,
        done BOOLEAN NOT NULL DEFAULT false,
        done_by TEXT,
        search TSVECTOR,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX articles_newest ON articles (sort_key DESC, id DESC);
    CREATE INDEX articles_by_feed ON articles (feed_id, sort_key DESC, id DESC);
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE TABLE gallery_items (
        id BIGSERIAL PRIMARY KEY,
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        src TEXT NOT NULL,
        caption TEXT NOT NULL DEFAULT '',
        credit TEXT
    );
    CREATE INDEX gallery_by_article ON gallery_items (article_id, position);
    CREATE TABLE reads (
        user_name TEXT NOT NULL,
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (user_name, article_id)
    );
    CREATE INDEX reads_by_article ON reads (article_id);
    """,
    # 2: page sources: "feed" (RSS, Atom, JSON Feed) or "page" (an HTML listing page)
    """
    ALTER TABLE feeds ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed';
    """,
    # 3: watchlists, the team's (as SQLite version 8)
    """
    CREATE TABLE IF NOT EXISTS watchlists (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        query TEXT NOT NULL,
        flag BOOLEAN NOT NULL DEFAULT false,
        claim_for TEXT,
        notify BOOLEAN NOT NULL DEFAULT false,
        run TEXT,
        created TEXT NOT NULL,
        created_by TEXT
    );
    CREATE TABLE IF NOT EXISTS watch_matches (
        watchlist TEXT NOT NULL,
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        matched TEXT NOT NULL,
        PRIMARY KEY (watchlist, article_id)
    );
    CREATE INDEX IF NOT EXISTS watch_matches_by_article ON watch_matches (article_id);
    """,
    # 4: feed names of the user's (see _add_name_set)
    _add_name_set,
    # 5: the search vectors made again: umlauts fold to "ae", "oe", "ue" (see _refold_search)
    _refold_search,
    # 6: the database role (session_user) that claimed an article or marked it done, beside
    # the name the user chose (--user: chosen, not authenticated). The server writes it, in
    # a trigger: a client can neither leave it out nor set it to another role.
    """
    ALTER TABLE articles ADD COLUMN claimed_role TEXT;
    ALTER TABLE articles ADD COLUMN done_role TEXT;
    CREATE FUNCTION newsroom_record_role() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        claim_changed boolean := true;
        done_changed boolean := true;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            claim_changed := NEW.claimed_by IS DISTINCT FROM OLD.claimed_by;
            done_changed := NEW.done IS DISTINCT FROM OLD.done
                OR NEW.done_by IS DISTINCT FROM OLD.done_by;
            NEW.claimed_role := OLD.claimed_role;
            NEW.done_role := OLD.done_role;
        END IF;
        IF claim_changed THEN
            NEW.claimed_role := CASE WHEN NEW.claimed_by IS NULL THEN NULL ELSE session_user END;
        END IF;
        IF done_changed THEN
            NEW.done_role := CASE WHEN NEW.done THEN session_user ELSE NULL END;
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER articles_record_role_new BEFORE INSERT ON articles FOR EACH ROW
        WHEN (NEW.claimed_by IS NOT NULL OR NEW.done
              OR NEW.claimed_role IS NOT NULL OR NEW.done_role IS NOT NULL)
        EXECUTE FUNCTION newsroom_record_role();
    CREATE TRIGGER articles_record_role BEFORE UPDATE ON articles FOR EACH ROW
        WHEN (NEW.claimed_by IS DISTINCT FROM OLD.claimed_by
              OR NEW.done IS DISTINCT FROM OLD.done
              OR NEW.done_by IS DISTINCT FROM OLD.done_by
              OR NEW.claimed_role IS DISTINCT FROM OLD.claimed_role
              OR NEW.done_role IS DISTINCT FROM OLD.done_role)
        EXECUTE FUNCTION newsroom_record_role();
    """,
    # 7: stories across sources (as SQLite version 12): the id of the article that started
    # the article's story (its own when it stands alone) and how it tells it
    """
    ALTER TABLE articles ADD COLUMN story_id BIGINT;
    ALTER TABLE articles ADD COLUMN story_relation TEXT NOT NULL DEFAULT 'new';
    UPDATE articles SET story_id = id;
    CREATE INDEX articles_by_story ON articles (story_id);
    CREATE INDEX articles_story_versions ON articles (sort_key) WHERE story_relation <> 'new';
    """,
    # 8: the desk's sync account (see newsroom_tui/store/pg_sync_side.py): one account for
    # the whole team store, never its secret (that stays on the machine that logged in);
    # feeds of kind "synced" keyed by (account, the server's stream id), articles by the
    # item's id (guid: decimal; remote_id: as the server gave it) with the account's read
    # state, shared by the desk; the outbox of read and flag changes not yet pushed
    """
    CREATE TABLE sync_accounts (
        id BIGSERIAL PRIMARY KEY,
        server TEXT NOT NULL,
        api TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        user_name TEXT NOT NULL,
        secret_in TEXT NOT NULL,
        secret_host TEXT NOT NULL,
        logged_in_by TEXT NOT NULL,
        logged_in_at TEXT NOT NULL,
        cursor TEXT,
        last_sync TEXT,
        last_sync_by TEXT,
        last_error TEXT,
        last_error_at TEXT,
        UNIQUE (endpoint, user_name)
    );
    CREATE UNIQUE INDEX sync_accounts_one ON sync_accounts ((true));
    ALTER TABLE feeds ADD COLUMN remote_id TEXT;
    ALTER TABLE feeds ADD COLUMN account_id BIGINT
        REFERENCES sync_accounts(id) ON DELETE SET NULL;
    CREATE UNIQUE INDEX feeds_by_remote_id ON feeds (account_id, remote_id)
        WHERE remote_id IS NOT NULL;
    ALTER TABLE articles ADD COLUMN remote_id TEXT;
    ALTER TABLE articles ADD COLUMN account_read BOOLEAN NOT NULL DEFAULT false;
    CREATE TABLE outbox (
        seq BIGSERIAL PRIMARY KEY,
        account_id BIGINT NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
        item TEXT NOT NULL,
        given TEXT NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('read', 'starred')),
        set_on BOOLEAN NOT NULL
    );
    CREATE INDEX outbox_by_account ON outbox (account_id, seq);
    """,
    # 9: a synced teaser's article page that failed (or was over the budget), tried again
    # at later polls (see newsroom_tui/store/page_retries.py)
    """
    CREATE TABLE page_retries (
        article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        teaser TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_try TEXT NOT NULL
    );
    """,
    # 10: stories in the reader's list (as SQLite version 16): how many articles the
    # article's story has, and the index that finds a story's articles in order
    """
    ALTER TABLE articles ADD COLUMN story_size INTEGER NOT NULL DEFAULT 1;
    UPDATE articles SET story_size = (SELECT COUNT(*) FROM articles b
        WHERE b.story_id = articles.story_id)
    WHERE story_id IN (SELECT story_id FROM articles WHERE story_relation <> 'new');
    CREATE INDEX articles_story_order ON articles (story_id, sort_key, id);
    DROP INDEX articles_by_story;
    """,
    # 11: an article page refused for its address, remembered with the address rule that
    # refused it (as SQLite version 17): tried at a later poll whose rule differs (see
    # newsroom_tui/store/page_retries.py); NULL for a page that failed or waits for a budget
    """
    ALTER TABLE page_retries ADD COLUMN refused_under TEXT;
    """,
]


SCHEMA_VERSION = len(MIGRATIONS)

# pg_advisory_xact_lock key: two clients starting at once migrate one after the other
MIGRATION_LOCK = 0x6E72_0001


def migrate(conn: Any, progress: Progress | None = None) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION` (each version in one transaction);
    returns the version found before. ``conn`` is a psycopg connection in autocommit mode;
    ``progress`` is told how far a step that makes the search vectors again is."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS newsroom_schema (version INTEGER NOT NULL)")
        row = conn.execute("SELECT version FROM newsroom_schema").fetchone()
        if row is None:
            foreign = conn.execute(
                """SELECT count(*) FROM information_schema.tables
                   WHERE table_schema = current_schema() AND table_name <> 'newsroom_schema'"""
            ).fetchone()[0]
            if foreign:
                raise ValueError("the database holds tables of another program")
            conn.execute("INSERT INTO newsroom_schema (version) VALUES (0)")
            found = 0
        else:
            found = row[0]
        check_not_newer(found, SCHEMA_VERSION)
        for version in range(found, SCHEMA_VERSION):
            with conn.transaction():
                step = MIGRATIONS[version]
                if callable(step):
                    step(conn, progress)
                else:
                    conn.execute(step)
                conn.execute("UPDATE newsroom_schema SET version = %s", (version + 1,))
    return found
