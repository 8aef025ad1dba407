"""Article pages refused for their address, remembered in ``page_retries`` with the address
rule that refused them (``refused_under``: :attr:`AddressPolicy.key`). A poll under the same
rule does not look at them (the page would be refused again: no fetch); a poll under another
rule (``allow_private_addresses`` changed) tries them (:mod:`newsroom_tui.ingest.refused_pages`),
and a page that comes makes its article again (:func:`~newsroom_tui.store.page_retries.page_came`).
The feed's status line says ``refused: …`` as long as one of its pages is refused."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from newsroom_tui.store.base import ChangeKind, RefusedPage, StoreChange
from newsroom_tui.store.page_retries import PageRetry, add_page_retries, page_retries_where
from newsroom_tui.store.rows import Transaction

if TYPE_CHECKING:
    from newsroom_tui.store.sql_store import SQLStore

REFUSAL_PREFIX = "refused: "  # the part of a feed's status line that says a page was refused


def without_refusal(notice: str) -> str | None:
    """A feed's status line without its ``refused: …`` part (None: nothing else in it); the
    parts a poll joins with "; " (:func:`~newsroom_tui.ingest.poller`) keep their order."""
    parts = [part for part in notice.split("; ") if not part.startswith(REFUSAL_PREFIX)]
    return "; ".join(parts) or None


def remember_refused(
    tx: Transaction, pages: Sequence[RefusedPage], ids: Mapping[str, int], now: datetime
) -> None:
    """Remember ``pages`` of the articles just stored (``ids``: by guid) in ``tx``."""
    add_page_retries(
        tx,
        [
            PageRetry(ids[page.guid], page.url, page.teaser, 0, now, refused_under=page.under)
            for page in pages
            if page.guid in ids
        ],
    )


def refused_to_try(
    store: SQLStore, under: str, feed_ids: Collection[int], limit: int
) -> list[PageRetry]:
    """The refused pages of ``feed_ids`` a rule other than ``under`` refused (at most
    ``limit``, the oldest first)."""
    if not feed_ids:
        return []
    marks = ", ".join("?" * len(feed_ids))
    condition = f"p.refused_under IS NOT NULL AND p.refused_under <> ? AND a.feed_id IN ({marks})"
    return page_retries_where(store, condition, [under, *feed_ids], limit, datetime.min)


def refused_again(store: SQLStore, retries: Sequence[PageRetry], under: str) -> None:
    """``retries`` refused again, now by the rule ``under``."""
    if retries:
        with store._transaction() as tx:
            tx.executemany(
                "UPDATE page_retries SET refused_under = ? WHERE article_id = ?",
                [(under, retry.article_id) for retry in retries],
            )


def settle_refusals(store: SQLStore, feed_ids: Collection[int]) -> None:
    """The ``refused: …`` part of the status line of each of ``feed_ids`` none of whose
    pages is refused any more, gone."""
    if not feed_ids:
        return
    marks = ", ".join("?" * len(feed_ids))
    with store._transaction() as tx:
        rows = tx.execute(
            f"""SELECT f.id, f.notice FROM feeds f WHERE f.id IN ({marks})
                AND f.notice IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM page_retries p JOIN articles a ON a.id = p.article_id
                    WHERE a.feed_id = f.id AND p.refused_under IS NOT NULL)""",
            tuple(feed_ids),
        ).fetchall()
        changed = False
        for feed_id, notice in rows:
            kept = without_refusal(notice)
            if kept != notice:
                tx.execute("UPDATE feeds SET notice = ? WHERE id = ?", (kept, feed_id))
                changed = True
        if changed:
            store._announce(tx, StoreChange(ChangeKind.FEEDS))
