"""What the SQLite and PostgreSQL stores share: the queries, written once.

Statements use ``?`` placeholders; a backend that wants another style rewrites them in its
``_query``/transaction. What differs per backend is behind a few hooks: how read state is
kept (one reader, or one per user), the full-text index, and how a statement is run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsroom_tui.models import Article, ArticleSummary, NewArticle
from newsroom_tui.store.base import (
    ALL_ARTICLES,
    AfterSave,
    ArticleFilter,
    ChangeKind,
    ClaimTaken,
    FeedUpdate,
    StoreChange,
)
from newsroom_tui.store.feed_tables import FeedTables
from newsroom_tui.store.first_screen import FirstScreenReads
from newsroom_tui.store.migrations import Progress
from newsroom_tui.store.retention import KEEP_ALL, Retention, expired
from newsroom_tui.store.rows import (
    Transaction,
    article_of,
    gallery_sql,
    sort_key,
    summary_from_row,
    to_db_time,
)
from newsroom_tui.store.story_listing import (
    STORY_COLUMNS,
    StoryListing,
    one_per_story,
    story_read,
)
from newsroom_tui.store.story_tables import StoryTables
from newsroom_tui.store.story_triage import StoryTriage
from newsroom_tui.store.watchlists import WatchlistTables

if TYPE_CHECKING:  # the records, for annotations: imported where they are made
    from newsroom_tui.store.story_records import Arrival
    from newsroom_tui.watch_records import Watchlist, WatchMatch


def like_prefix(category: str) -> str:
    """``category`` as a LIKE pattern (escape ``\\``) for the categories nested in it."""
    return category.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"


class SQLStore(
    FeedTables, WatchlistTables, StoryTables, StoryTriage, StoryListing, FirstScreenReads
):
    """The shared part of the SQL stores; subclasses supply the hooks below."""

    lazy_bodies = False  # True: the backend keeps a NewArticle's source (see article_body)
    worker_index = False  # True: the worker folds a NewArticle's full-text columns (index)

    def __init__(
        self,
        user: str,
        extra_watchlists: Iterable[Watchlist] = (),
        retention: Retention = KEEP_ALL,
    ) -> None:
        self.user = user
        self.extra_watchlists = tuple(extra_watchlists)
        self.retention = retention  # the configuration's, applied by this one's polls
        self._match_listeners = []

    # hooks ---------------------------------------------------------------------------------

    READ_EXPR: str  # SQL that is true when article ``a`` is read (by this store's user)
    UNREAD_EXPR: str  # its negation, in the form the backend's indexes serve best
    NO_LIMIT: str  # what stands for "no LIMIT" before an OFFSET
    # the database roles that claimed article ``a`` and marked it done (a team database's)
    ROLE_COLUMNS = "NULL, NULL"

    def _search_clause(self, text: str) -> tuple[str, list[object]] | None:
        """A condition on article ``a`` for a search, None for blanks alone
        (:class:`~newsroom_tui.text.search_query.QueryError` when it cannot be read)."""
        raise NotImplementedError

    def _index_values(self, art: NewArticle | None) -> tuple[str, str, list[object]]:
        """A column of the article row of the backend's own (the index, a body source):
        ``, name``, ``, value SQL`` and the value's parameters (for ``art``; empty strings and
        no parameters: none)."""
        return "", "", []

    def _index_article(self, tx: Transaction, article_id: int, art: NewArticle) -> None:
        """Add a newly inserted article to a full-text index outside its row."""

    def _unindex_feed(self, tx: Transaction, url: str) -> None:
        """Take the articles of the feed at ``url`` out of the index before they go."""

    def _unindex_articles(self, tx: Transaction, ids: Sequence[int]) -> None:
        """Take the articles ``ids`` out of the index before they go."""

    def _announce(self, tx: Transaction, change: StoreChange) -> None:
        """Tell other clients, when the transaction commits (shared stores only)."""

    def deferred_index(self) -> AbstractContextManager[None]:
        """While this lasts, a backend that can index after a poll's writes queues the
        stored articles for :meth:`catch_up_index`; this one indexes in the write."""
        return nullcontext()

    def catch_up_index(self, progress: Progress | None = None, most: int | None = None) -> int:
        """Index the articles queued by writes under :meth:`deferred_index` (``most``: at
        most that many, in one batch); how many."""
        return 0

    def set_read(self, article_id: int, read: bool = True) -> None:
        raise NotImplementedError

    def mark_all_read(self, where: ArticleFilter = ALL_ARTICLES) -> int:
        raise NotImplementedError

    # filters -----------------------------------------------------------------------------

    @property
    def _summary_columns(self) -> str:
        return self._columns_reading(self.READ_EXPR)

    def _columns_reading(self, read: str) -> str:
        """The columns of a list's row, its read state ``read``."""
        return (
            "a.id, a.feed_id, COALESCE(f.title, f.url), a.url, a.title, a.published, "
            f"{read}, a.flagged, a.claimed_by, a.done, "
            "EXISTS (SELECT 1 FROM watch_matches m WHERE m.article_id = a.id), "
            f"a.done_by, {self.ROLE_COLUMNS}, COALESCE(a.story_id, a.id), {STORY_COLUMNS}"
        )

    def _listed_columns(self, where: ArticleFilter) -> tuple[str, list[object]]:
        """The columns of the list of ``where`` with their parameters: of a list of stories,
        a row is read when every version of its story that ``where`` holds is."""
        if not where.stories:
            return self._summary_columns, []
        clauses, params = self._kept_by_stories(where)
        return self._columns_reading(story_read(self.READ_EXPR, self.UNREAD_EXPR, clauses)), params

    def _kept_by_stories(self, where: ArticleFilter) -> tuple[list[str], list[object]]:
        """The conditions on a story's versions whose read state is the story's: the
        filter's but unread and a search (a story found by a search is unread while any
        version is, as in the list)."""
        return self._conditions(replace(where, unread=False, search=None))

    def _where(self, where: ArticleFilter) -> tuple[str, list[object]]:
        if not where.stories:
            clauses, params = self._conditions(where)
        else:  # the unread ones: the stories with an unread version, each as the list shows it
            clauses, params = self._conditions(replace(where, unread=False))
            unread = self.UNREAD_EXPR if where.unread else None
            kept = self._kept_by_stories(where) if where.search else None
            clauses, params = one_per_story(clauses, params, unread=unread, kept=kept)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _conditions(self, where: ArticleFilter) -> tuple[list[str], list[object]]:
        """The conditions on article ``a`` of ``where`` (but ``stories``), with their
        parameters."""
        clauses: list[str] = []
        params: list[object] = []
        if where.unread:
            clauses.append(self.UNREAD_EXPR)
        if where.flagged:
            clauses.append("a.flagged")
        if where.done is not None:
            clauses.append("a.done" if where.done else "NOT a.done")
        if where.feed_id is not None:
            clauses.append("a.feed_id = ?")
            params.append(where.feed_id)
        if where.category is not None:
            clauses.append(
                "a.feed_id IN (SELECT id FROM feeds WHERE category = ? "
                "OR category LIKE ? ESCAPE '\\')"
            )
            params += [where.category, like_prefix(where.category)]
        if where.watchlist is not None:
            clauses.append("a.id IN (SELECT article_id FROM watch_matches WHERE watchlist = ?)")
            params.append(where.watchlist)
        search = self._search_clause(where.search) if where.search else None
        if search:
            clauses.append(search[0])
            params += search[1]
        return clauses, params

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

    def save_feed_update(
        self, feed_id: int, update: FeedUpdate, *, after_save: AfterSave | None = None
    ) -> int:
        return self.save_feed_updates([(feed_id, update)], after_save=after_save)[0]

    def save_feed_updates(
        self,
        updates: Sequence[tuple[int, FeedUpdate]],
        not_modified: Sequence[tuple[int, datetime]] = (),
        *,
        after_save: AfterSave | None = None,
    ) -> list[int]:
        """Several feeds' polls in one transaction (one commit, one full-text segment for
        all), and feeds found unchanged: all or nothing. How many articles each of
        ``updates`` added, in order. The new articles' stories are decided before it commits."""
        inserted: list[int] = []
        matches: list[WatchMatch] = []
        arrivals: list[Arrival] = []
        stored: list[tuple[int, list[tuple[int, NewArticle]]]] = []
        with self._stories_kept(), self._transaction() as tx:
            for feed_id, polled_at in not_modified:
                self._record_not_modified(tx, feed_id, polled_at)
            for feed_id, update in updates:
                new = self._apply_update(tx, feed_id, update)
                inserted.append(len(new))
                if self._retire(tx, feed_id, update) or new:
                    self._announce(tx, StoreChange(ChangeKind.ARTICLES, feed_id=feed_id))
                stored.append((feed_id, new))
                arrivals += [(feed_id, i, art, update.polled_at) for i, art in new]
            self._assign_stories(tx, arrivals)
            # each new article against the watchlists, once, in the transaction storing
            # it, its story known (a watchlist alerts once per story)
            for feed_id, new in stored:
                matches += self._match_arrivals(tx, feed_id, new, after_save)
        if matches:
            self._deliver_matches(matches)
        return inserted

    def _apply_update(
        self, tx: Transaction, feed_id: int, update: FeedUpdate
    ) -> list[tuple[int, NewArticle]]:
        polled = to_db_time(update.polled_at)
        tx.execute(
            """UPDATE feeds SET title = CASE WHEN name_set THEN title ELSE COALESCE(?, title)
               END, etag = ?, last_modified = ?,
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
        new = self._insert_articles(tx, feed_id, update.articles, update.polled_at)
        if update.refused:  # (its records imported where pages are refused, not at start)
            from newsroom_tui.store.refused_pages import remember_refused

            remember_refused(tx, update.refused, {art.guid: i for i, art in new}, update.polled_at)
        return new

    def _retire(self, tx: Transaction, feed_id: int, update: FeedUpdate) -> int:
        """Remove what :attr:`retention` says of the feed's articles; how many went."""
        if self.retention.off:  # no set of the feed's GUIDs to build for nothing
            return 0
        in_feed = update.in_feed | {art.guid for art in update.articles}
        now = update.polled_at
        gone = expired(tx, feed_id, self.retention, self.READ_EXPR, in_feed, now)
        self._remove_articles(tx, gone)
        return len(gone)

    def _remove_articles(self, tx: Transaction, ids: Sequence[int]) -> None:
        """Delete the articles ``ids`` (out of the index first), 500 at a time."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self._unindex_articles(tx, chunk)
            marks = ", ".join("?" * len(chunk))
            tx.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)

    def _insert_sql(self, returning: str = " RETURNING id") -> str:
        extra_column, extra_value, _ = self._index_values(None)
        return f"""INSERT INTO articles (feed_id, guid, url, title, published, sort_key,
               summary, body, fetched{extra_column}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?{extra_value})
               ON CONFLICT (feed_id, guid) DO NOTHING{returning}"""

    def _article_params(
        self,
        feed_id: int,
        art: NewArticle,
        polled_at: datetime,
        fetched: str | None = None,
        undated: str | None = None,
    ) -> tuple[object, ...]:
        """The article row's parameters; ``fetched`` and ``undated`` (the sort key of an
        article without a date): ``polled_at`` as text, made once for a feed's articles."""
        if art.source is not None and not self.lazy_bodies:
            # the poll renders each body before it saves for a store like this one
            raise ValueError(
                f"article {art.guid[:80]!r}: a body source for a store that keeps Markdown only"
            )
        published = art.published
        if published is None and undated is not None:
            key = undated
        else:
            key = sort_key(published, polled_at)
        return (
            feed_id,
            art.guid,
            art.url,
            art.title,
            to_db_time(published),
            key,
            art.summary,
            art.body_markdown,
            fetched or to_db_time(polled_at),
            *self._index_values(art)[2],
        )

    def _insert_articles(
        self, tx: Transaction, feed_id: int, arts: list[NewArticle], polled_at: datetime
    ) -> list[tuple[int, NewArticle]]:
        """Insert the articles not yet stored, with their galleries; the new ones (id, article)."""
        sql = self._insert_sql()
        new = []
        for art in arts:
            row = tx.execute(sql, self._article_params(feed_id, art, polled_at)).fetchone()
            if row is not None:
                new.append((int(row[0]), art))
        self._insert_galleries(tx, new)
        for article_id, art in new:
            self._index_article(tx, article_id, art)
        return new

    def _insert_galleries(self, tx: Transaction, new: list[tuple[int, NewArticle]]) -> None:
        rows = [
            (article_id, pos, item.src, item.caption, item.credit)
            for article_id, art in new
            for pos, item in enumerate(art.gallery)
        ]
        if rows:
            tx.executemany(
                """INSERT INTO gallery_items (article_id, position, src, caption, credit)
                   VALUES (?, ?, ?, ?, ?)""",
                rows,
            )

    def record_not_modified(self, feed_id: int, polled_at: datetime) -> None:
        with self._transaction() as tx:
            self._record_not_modified(tx, feed_id, polled_at)

    def _record_not_modified(self, tx: Transaction, feed_id: int, polled_at: datetime) -> None:
        when = to_db_time(polled_at)
        tx.execute(
            """UPDATE feeds SET last_polled = ?, last_success = ?, last_error = NULL,
               last_error_at = NULL, failures = 0, retry_after = NULL WHERE id = ?""",
            (when, when, feed_id),
        )

    def record_failure(
        self,
        feed_id: int,
        polled_at: datetime,
        error: str,
        retry_after: datetime | None = None,
        *,
        counted: bool = True,
    ) -> None:
        when, more = to_db_time(polled_at), 1 if counted else 0
        with self._transaction() as tx:
            tx.execute(
                """UPDATE feeds SET last_polled = ?, last_error = ?, last_error_at = ?,
                   failures = failures + ?, retry_after = ? WHERE id = ?""",
                (when, error, when, more, to_db_time(retry_after), feed_id),
            )

    # articles ----------------------------------------------------------------------------

    def articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]:
        return [summary_from_row(r) for r in self._query(*self._articles_sql(where, limit, offset))]

    def _articles_sql(
        self, where: ArticleFilter, limit: int | None, offset: int
    ) -> tuple[str, list[object]]:
        """The statement of :meth:`articles` (the first screen reads its first rows too)."""
        clause, params = self._where(where)
        columns, column_params = self._listed_columns(where)
        return (
            f"""SELECT {columns} FROM articles a JOIN feeds f ON f.id = a.feed_id
                {clause} ORDER BY a.sort_key DESC, a.id DESC
                {"LIMIT ?" if limit is not None else self.NO_LIMIT} OFFSET ?""",
            [*column_params, *params, *([limit] if limit is not None else []), offset],
        )

    def _order_key(self, article_id: int) -> tuple[str, int] | None:
        rows = self._query("SELECT sort_key, id FROM articles WHERE id = ?", (article_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def article_position(self, where: ArticleFilter, article_id: int) -> int | None:
        key = self._order_key(article_id)
        if key is None:
            return None
        clause, params = self._where(where)
        joiner = " AND " if clause else "WHERE "
        if not self._query(f"SELECT 1 FROM articles a {clause}{joiner}a.id = ?", [*params, key[1]]):
            return None
        return int(
            self._query(
                f"SELECT COUNT(*) FROM articles a {clause}{joiner}(a.sort_key, a.id) > (?, ?)",
                [*params, *key],
            )[0][0]
        )

    def next_unread_position(self, where: ArticleFilter, after: int) -> int | None:
        unread = replace(where, unread=True)
        clause, params = self._where(unread)
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

    def count_articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, at_most: int | None = None
    ) -> int:
        if at_most is None:
            return int(self._query(*self._count_sql(where))[0][0])
        clause, params = self._where(where)
        capped = f"SELECT COUNT(*) FROM (SELECT 1 FROM articles a {clause} LIMIT ?) AS hits"
        return int(self._query(capped, [*params, at_most])[0][0])

    def _count_sql(self, where: ArticleFilter) -> tuple[str, list[object]]:
        """The statement that counts what the list of ``where`` holds (a list of stories:
        each story once)."""
        if where.stories:
            return self._count_stories_sql(where)
        clause, params = self._where(where)
        return f"SELECT COUNT(*) FROM articles a {clause}", params

    def article_at_hand(self, article_id: int) -> Article | None:
        return self.article(article_id)  # stored as Markdown: reading is all it takes

    def body_source(self, article_id: int) -> str | None:
        return None  # every body is stored as Markdown (lazy_bodies is False)

    def keep_rendered(self, article_id: int, summary: str, body: str) -> None:
        raise NotImplementedError("this store holds no body source to replace")

    def article(self, article_id: int) -> Article | None:
        rows = self._query(self._article_sql("a.id = ?"), (article_id,))
        if not rows:
            return None
        return article_of(rows[0], self._query(gallery_sql("article_id = ?"), (article_id,)))

    def _article_sql(self, condition: str) -> str:
        """The row (summary and body too) of the article ``condition`` holds for."""
        return (
            f"SELECT {self._summary_columns}, a.summary, a.body FROM articles a "
            f"JOIN feeds f ON f.id = a.feed_id WHERE {condition}"
        )

    # shared triage -----------------------------------------------------------------------

    def _article_change(self, sql: str, params: Iterable[object], article_id: int) -> int:
        """Run one UPDATE of an article and announce it when it changed a row."""
        with self._transaction() as tx:
            changed = tx.execute(sql, tuple(params)).rowcount
            if changed:
                self._announce(
                    tx, StoreChange(ChangeKind.ARTICLE, article_id=article_id, user=self.user)
                )
            return changed

    def set_flagged(self, article_id: int, flagged: bool = True) -> None:
        self._article_change(
            "UPDATE articles SET flagged = ? WHERE id = ? AND flagged <> ?",
            (flagged, article_id, flagged),
            article_id,
        )

    def claim(self, article_id: int) -> None:
        now = to_db_time(datetime.now(UTC))
        won = self._article_change(
            """UPDATE articles SET claimed_by = ?, claimed_at = ?
               WHERE id = ? AND claimed_by IS NULL""",
            (self.user, now, article_id),
            article_id,
        )
        if won:
            return
        rows = self._query("SELECT claimed_by FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise KeyError(article_id)
        holder = rows[0][0]
        if holder is not None and holder != self.user:
            raise ClaimTaken(article_id, holder)
        if holder is None:  # released between our UPDATE and the look: try once more
            self.claim(article_id)

    def release(self, article_id: int) -> bool:
        return bool(
            self._article_change(
                """UPDATE articles SET claimed_by = NULL, claimed_at = NULL
                   WHERE id = ? AND claimed_by = ?""",
                (article_id, self.user),
                article_id,
            )
        )

    def set_done(self, article_id: int, done: bool = True) -> None:
        self._article_change(
            "UPDATE articles SET done = ?, done_by = ? WHERE id = ? AND done <> ?",
            (done, self.user if done else None, article_id, done),
            article_id,
        )
