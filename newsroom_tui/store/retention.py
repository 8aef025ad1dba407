"""Retention: what a poll's write removes of its feed's older articles.

Without it a feed (or listing page) whose GUIDs change every poll grows the cache by its
whole length every poll, forever. Two limits, both checked in the transaction that stores
the feed's update, on both backends:

- ``keep_days``: articles dated (or, undated, fetched) more than this many days ago go;
- ``max_per_feed``: of a feed with more articles than this, the surplus goes: done ones
  first, then read ones, then the oldest.

Never removed: a flagged, claimed or watched article (one a watchlist matched), and an
article the feed still carries (removed, it would be stored again as new at the next poll).
0 turns a limit off.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from newsroom_tui.records import record
from newsroom_tui.store.rows import utc_key

if TYPE_CHECKING:
    from newsroom_tui.store.rows import Transaction

KEEP_DAYS = 90
MAX_PER_FEED = 2000
# The longest keep_days: a thousand years. More would put the cutoff before the year 1, which
# no date can hold (OverflowError in every poll's write); 0 is "no age limit".
MAX_KEEP_DAYS = 365_000

# Article ``a`` may go: nobody marked it to keep, no watchlist matched it. (And it is not the
# newest row of the table: SQLite would give its id to the next article stored, and a reader
# still showing the old one would mark the new one.)
REMOVABLE = (
    "NOT a.flagged AND a.claimed_by IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM watch_matches m WHERE m.article_id = a.id) "
    "AND a.id < (SELECT MAX(id) FROM articles)"
)


@record(frozen=True)
class Retention:
    """How long the cache keeps articles and how many per feed."""

    keep_days: int = KEEP_DAYS  # 0: no age limit
    max_per_feed: int = MAX_PER_FEED  # 0: no cap

    def __post_init__(self) -> None:
        for name, value in (
            ("keep_days", self.keep_days),
            ("max_articles_per_feed", self.max_per_feed),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 (no limit) or more")
        if self.keep_days > MAX_KEEP_DAYS:
            raise ValueError(f"keep_days must be at most {MAX_KEEP_DAYS} days (0: no limit)")

    @property
    def off(self) -> bool:
        return not self.keep_days and not self.max_per_feed


KEEP_ALL = Retention(keep_days=0, max_per_feed=0)


def expired(
    tx: Transaction,
    feed_id: int,
    retention: Retention,
    read_expr: str,
    in_feed: Collection[str],
    now: datetime,
) -> list[int]:
    """The ids of the feed's articles ``retention`` removes now; ``in_feed``: the GUIDs the
    feed carries (kept); ``read_expr``: SQL true when article ``a`` is read."""
    if retention.off:
        return []
    gone: list[int] = []
    if retention.keep_days:
        cutoff = utc_key(now - timedelta(days=retention.keep_days))
        rows = tx.execute(
            f"""SELECT a.id, a.guid FROM articles a
                WHERE a.feed_id = ? AND a.sort_key < ? AND {REMOVABLE}""",
            (feed_id, cutoff),
        ).fetchall()
        gone = [row[0] for row in rows if row[1] not in in_feed]
    if retention.max_per_feed:
        total = tx.execute("SELECT COUNT(*) FROM articles WHERE feed_id = ?", (feed_id,))
        surplus = total.fetchone()[0] - len(gone) - retention.max_per_feed
        if surplus > 0:
            # enough rows to find the surplus after skipping those already going or kept
            rows = tx.execute(
                f"""SELECT a.id, a.guid FROM articles a WHERE a.feed_id = ? AND {REMOVABLE}
                    ORDER BY a.done DESC, {read_expr} DESC, a.sort_key, a.id LIMIT ?""",
                (feed_id, surplus + len(gone) + len(in_feed)),
            ).fetchall()
            going = set(gone)
            for article_id, guid in rows:
                if surplus <= 0:
                    break
                if article_id not in going and guid not in in_feed:
                    gone.append(article_id)
                    surplus -= 1
    return gone
