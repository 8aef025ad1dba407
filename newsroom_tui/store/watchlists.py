"""Watchlists in the store (both backends): the team's standing searches and their matches.

New articles are matched in the transaction that stores them (:meth:`_match_arrivals`, by the
``after_save`` hook the poll passes in: the store stores, the watch package matches), so a
match's flag and claim appear together with the article, and a shared store announces the
match to every open reader when it commits. Listeners in this process (the poller's alerts,
``fetch --json``) hear the matches right after the commit. A watchlist alerts once per story:
a match of an article whose story it matched before is recorded (flag and claim as well)
but neither announced nor heard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsroom_tui.models import ArticleSummary, NewArticle
from newsroom_tui.store.base import (
    AfterSave,
    ChangeKind,
    MatchListener,
    StoreChange,
    WatchCounts,
)
from newsroom_tui.store.login import checked_user_name
from newsroom_tui.store.rows import Row, Transaction, summary_from_row
from newsroom_tui.store.store_hooks import StoreHooks
from newsroom_tui.store.story_listing import story_counts
from newsroom_tui.text.sanitize import clean_name

if TYPE_CHECKING:  # the records: imported where they are made, not at the reader's start
    from newsroom_tui.store.scan_rows import ScanRow
    from newsroom_tui.watch_records import Watchlist, WatchMatch

log = logging.getLogger("newsroom.watch")

SCAN_BATCH = 1_000  # articles read at once by a scan of the cache (watch test)

WATCHLIST_COLUMNS = "name, query, flag, claim_for, notify, run"
WATCHLISTS_SQL = f"SELECT {WATCHLIST_COLUMNS} FROM watchlists ORDER BY name"


def _watchlist_from_row(row: Row, origin: str) -> Watchlist | None:
    """A stored watchlist, or None (logged) for a row no newsroom writes: a name or claim-for
    that is not a plain name, a query with escape sequences (for every terminal that lists
    it). A command read from the team's database is dropped here, where the watchlist is
    made (so nothing later can start it), and only noted as refused."""
    from newsroom_tui.watch_records import NAME_MAX_CHARS, Watchlist

    name, query, flag, claim_for, notify, stored_run = row
    try:
        if not isinstance(name, str) or clean_name(name, NAME_MAX_CHARS) != name:
            raise ValueError("its name is not a plain name")
        if claim_for is not None and checked_user_name(claim_for) != claim_for:
            raise ValueError("its claim-for is not a plain name")
        team = origin == "team"
        run = () if team else _stored_command(stored_run)
        refused = team and bool(stored_run)
        return Watchlist(name, query, bool(flag), claim_for, bool(notify), run, origin, refused)
    except ValueError as exc:  # and the constructor's own rules (a query with escapes)
        log.warning("a stored watchlist skipped: %s", str(exc)[:200])
        return None


def _stored_command(stored_run: object) -> tuple[str, ...]:
    """The command of a local cache's row (JSON list of words), () when it is none."""
    import json

    try:
        run = tuple(json.loads(str(stored_run))) if stored_run else ()
    except (ValueError, TypeError):
        return ()
    return run if all(isinstance(word, str) for word in run) else ()


def _watchlists_of(rows: Iterable[Row], origin: str) -> list[Watchlist]:
    return [w for w in (_watchlist_from_row(r, origin) for r in rows) if w is not None]


class WatchlistTables(StoreHooks):
    """The part of :class:`SQLStore` that keeps watchlists; it uses the store's hooks."""

    user: str
    READ_EXPR: str
    # "store": the local cache, one person's (its commands run like the config file's);
    # "team": a shared database (its watchlists flag, claim and notify, never run commands)
    watchlist_origin: str = "store"
    # Watchlists of the config file (given when the store is opened): matched by this
    # newsroom's polls as the store's are.
    extra_watchlists: tuple[Watchlist, ...]
    _match_listeners: list[MatchListener]

    @property
    def _summary_columns(self) -> str:
        raise NotImplementedError

    # the watchlists --------------------------------------------------------------------

    def watchlists(self) -> list[Watchlist]:
        """The store's watchlists, then the config file's (a name the store has wins)."""
        return self._with_extra(self._query(WATCHLISTS_SQL))

    def _with_extra(self, rows: list[Row]) -> list[Watchlist]:
        """The stored watchlists (their rows), then the config file's not named alike."""
        stored = _watchlists_of(rows, self.watchlist_origin)
        names = {w.name for w in stored}
        return stored + [w for w in self.extra_watchlists if w.name not in names]

    def add_watchlist(self, watchlist: Watchlist) -> bool:
        """Store ``watchlist``; False when one of that name exists (it is left as it is).
        :class:`~newsroom_tui.watch.watchlist.TeamCommandRefused` (a ValueError) for one with
        a command on the team's database."""
        import json

        watchlist = replace(watchlist, origin=self.watchlist_origin)  # refuses a team command
        with self._transaction() as tx:
            created = (
                tx.execute(
                    f"""INSERT INTO watchlists ({WATCHLIST_COLUMNS}, created, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING
                        RETURNING id""",
                    (
                        watchlist.name,
                        watchlist.query,
                        watchlist.flag,
                        watchlist.claim_for,
                        watchlist.notify,
                        json.dumps(list(watchlist.run)) if watchlist.run else None,
                        datetime.now(UTC).isoformat(),
                        self.user,
                    ),
                ).fetchone()
                is not None
            )
            if created:
                self._announce(tx, StoreChange(ChangeKind.WATCHLISTS, user=self.user))
            return created

    def remove_watchlist(self, name: str) -> bool:
        """Remove the stored watchlist ``name`` and its matches; False when there is none."""
        with self._transaction() as tx:
            removed: bool = (
                tx.execute("DELETE FROM watchlists WHERE name = ?", (name,)).rowcount > 0
            )
            tx.execute("DELETE FROM watch_matches WHERE watchlist = ?", (name,))
            if removed:
                self._announce(tx, StoreChange(ChangeKind.WATCHLISTS, user=self.user))
            return removed

    def watch_counts(self, *, stories: bool = False) -> list[WatchCounts]:
        """Each watchlist with its matches in the list and the unread ones among them
        (``stories``: the stories among them, each once, as the watchlist's list shows)."""
        return self._watch_counts_of(
            self._query(self._watch_counts_sql(stories=stories)), self._query(WATCHLISTS_SQL)
        )

    def _watch_counts_sql(self, *, stories: bool = False) -> str:
        read = self.READ_EXPR
        counted = (
            story_counts(read) if stories else f"COUNT(*), SUM(CASE WHEN {read} THEN 0 ELSE 1 END)"
        )
        return f"""SELECT m.watchlist, {counted}
                   FROM watch_matches m JOIN articles a ON a.id = m.article_id
                   WHERE NOT a.done GROUP BY m.watchlist"""

    def _watch_counts_of(self, counted: list[Row], stored: list[Row]) -> list[WatchCounts]:
        """The rows of ``_watch_counts_sql`` and ``WATCHLISTS_SQL`` as the counts."""
        counts = {row[0]: (int(row[1]), int(row[2] or 0)) for row in counted}
        return [WatchCounts(w, *counts.get(w.name, (0, 0))) for w in self._with_extra(stored)]

    def watch_names(self, article_id: int) -> list[str]:
        """The watchlists the article matched on arrival."""
        rows = self._query(
            "SELECT watchlist FROM watch_matches WHERE article_id = ? ORDER BY watchlist",
            (article_id,),
        )
        return [r[0] for r in rows]

    # matches in this process -----------------------------------------------------------

    def on_watch_match(self, listener: MatchListener) -> Callable[[], None]:
        """Call ``listener`` with the matches of each stored feed update (from the thread
        that stored it, after the commit); returns a function that stops it."""
        listeners = self._match_listeners
        listeners.append(listener)

        def stop() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return stop

    def _deliver_matches(self, matches: list[WatchMatch]) -> None:
        for listener in list(self._match_listeners):
            try:
                listener(matches)
            except Exception:  # an alert that fails must not fail the poll
                log.exception("a watch listener failed")

    def _match_arrivals(
        self,
        tx: Transaction,
        feed_id: int,
        new: list[tuple[int, NewArticle]],
        after_save: AfterSave | None,
    ) -> list[WatchMatch]:
        """Hand the feed's ``new`` articles (just inserted in ``tx``) and the watchlists to
        ``after_save`` (the matching, the poll's) once; record each match it finds, flag and
        claim as the watchlist says, announce it. Without ``after_save`` nothing matches."""
        if after_save is None or not new:
            return []
        execute = tx.execute
        rows = execute(f"SELECT {WATCHLIST_COLUMNS} FROM watchlists ORDER BY id").fetchall()
        if not rows and not self.extra_watchlists:
            return []
        stored = _watchlists_of(rows, self.watchlist_origin)
        names = {w.name for w in stored}
        watchlists = stored + [w for w in self.extra_watchlists if w.name not in names]
        if not watchlists:
            return []
        feed = execute(
            "SELECT COALESCE(title, url), category FROM feeds WHERE id = ?", (feed_id,)
        ).fetchone()
        found = after_save(watchlists, feed[0], feed[1], new)
        if not found:
            return []
        now = datetime.now(UTC).isoformat()
        flagged: set[int] = set()
        claims: dict[int, str] = {}
        alerted = []
        for hit in found:
            if not _story_matched(tx, hit.watchlist.name, hit.article_id):
                alerted.append(hit)
            execute(
                """INSERT INTO watch_matches (watchlist, article_id, matched) VALUES (?, ?, ?)
                   ON CONFLICT DO NOTHING""",
                (hit.watchlist.name, hit.article_id, now),
            )
            if hit.watchlist.flag and hit.article_id not in flagged:
                execute("UPDATE articles SET flagged = ? WHERE id = ?", (True, hit.article_id))
                flagged.add(hit.article_id)
            if hit.watchlist.claim_for and hit.article_id not in claims:
                # the first watchlist (by age) that claims it wins; nobody else held it yet
                execute(
                    """UPDATE articles SET claimed_by = ?, claimed_at = ?
                       WHERE id = ? AND claimed_by IS NULL""",
                    (hit.watchlist.claim_for, now, hit.article_id),
                )
                claims[hit.article_id] = hit.watchlist.claim_for
        from newsroom_tui.watch_records import WatchMatch

        matches = [
            WatchMatch(
                watchlist=hit.watchlist,
                article_id=hit.article_id,
                feed_id=feed_id,
                feed=feed[0],
                title=hit.article.title,
                url=hit.article.url,
                published=hit.article.published,
                summary=hit.article.summary,
                flagged=hit.article_id in flagged,
                claimed_by=claims.get(hit.article_id),
            )
            for hit in alerted
        ]
        for match in matches:
            self._announce(
                tx,
                StoreChange(
                    ChangeKind.MATCH,
                    article_id=match.article_id,
                    feed_id=feed_id,
                    user=match.claimed_by,
                    watchlist=match.watchlist.name,
                ),
            )
        return matches

    # the cache now (watch test) --------------------------------------------------------

    def summaries(self, ids: Sequence[int]) -> list[ArticleSummary]:
        """The list rows of the articles ``ids`` (those still stored), in no order."""
        shown: list[ArticleSummary] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"""SELECT {self._summary_columns} FROM articles a
                    JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})""",
                chunk,
            )
            shown += [summary_from_row(r) for r in rows]
        return shown

    def scan_rows(self) -> Iterator[ScanRow]:
        """Every cached article's text as a watchlist reads it, by id, :data:`SCAN_BATCH`
        rows at a time (for trying a query out, not for the reader's lists)."""
        from newsroom_tui.store.scan_rows import ScanRow

        feeds: dict[int, tuple[str | None, str | None]] = {
            feed_id: (name, category)
            for feed_id, name, category in self._query(
                "SELECT id, COALESCE(title, url), category FROM feeds"
            )
        }
        after = 0
        while True:
            rows = self._query(
                """SELECT id, feed_id, title, body, summary FROM articles WHERE id > ?
                   ORDER BY id LIMIT ?""",
                (after, SCAN_BATCH),
            )
            if not rows:
                return
            credits = _galleries(
                self._query(
                    """SELECT article_id, caption || ' ' || COALESCE(credit, '')
                       FROM gallery_items WHERE article_id BETWEEN ? AND ?
                       ORDER BY article_id, position""",
                    (rows[0][0], rows[-1][0]),
                )
            )
            for article_id, feed_id, title, body, summary in rows:
                feed_name, category = feeds.get(feed_id, (None, None))
                yield ScanRow(
                    article_id,
                    feed_name,
                    category,
                    title,
                    body,
                    summary,
                    credits.get(article_id, []),
                )
            after = rows[-1][0]


def _story_matched(tx: Transaction, watchlist: str, article_id: int) -> bool:
    """Whether ``watchlist`` matched another article of the story of ``article_id`` (it
    alerted then: a watchlist alerts once per story). An article stored without a story
    (a sync's) stands alone."""
    row = tx.execute(
        """SELECT 1 FROM articles a
           JOIN watch_matches m ON m.article_id = a.id AND m.watchlist = ?
           WHERE a.story_id = (SELECT story_id FROM articles WHERE id = ?) AND a.id <> ?
           LIMIT 1""",
        (watchlist, article_id, article_id),
    ).fetchone()
    return row is not None


def _galleries(rows: Iterable[Row]) -> dict[int, list[str]]:
    """Each article's gallery texts (a caption with its credit), in order."""
    found: dict[int, list[str]] = {}
    for article_id, text in rows:
        found.setdefault(article_id, []).append(text)
    return found
