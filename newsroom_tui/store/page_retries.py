"""Synced teasers whose article page failed (or was over a poll's page budget), tried again at
later polls: one row per article in ``page_retries`` (the page's address, the teaser's HTML
the article is built from again, the attempts so far, when to try next; a page refused for
its address has a row of its own kind, see :mod:`newsroom_tui.store.refused_pages`). The
ingest decides what to try and when (:mod:`newsroom_tui.ingest.page_retries`); a page that
comes replaces the article's text, gallery and index entry in one transaction, keeping its
read state, flag, claim and story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from newsroom_tui.models import NewArticle
from newsroom_tui.store.base import ChangeKind, StoreChange
from newsroom_tui.store.rows import Transaction, from_db_time, to_db_time

if TYPE_CHECKING:
    from newsroom_tui.store.sql_store import SQLStore


@dataclass(frozen=True)
class PageRetry:
    """A teaser's page to try again: the article (its id once stored; its guid before)."""

    article_id: int
    url: str
    teaser: str  # the server's HTML: the summary the article is built from
    attempts: int  # tries that failed so far (0: left over by a budget)
    next_try: datetime
    guid: str = ""
    title: str = ""
    published: datetime | None = None
    # the address rule that refused the page (None: it failed, or waits for a budget)
    refused_under: str | None = None


def add_page_retries(tx: Transaction, retries: Sequence[PageRetry]) -> None:
    """Remember ``retries`` (by article id) in ``tx``, the transaction storing the articles."""
    tx.executemany(
        """INSERT INTO page_retries (article_id, url, teaser, attempts, next_try, refused_under)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO NOTHING""",
        [
            (r.article_id, r.url, r.teaser, r.attempts, to_db_time(r.next_try), r.refused_under)
            for r in retries
        ],
    )


def due_page_retries(store: SQLStore, now: datetime, limit: int) -> list[PageRetry]:
    """The pages due at ``now`` (at most ``limit``, the longest waiting first)."""
    return page_retries_where(
        store, "p.next_try <= ? AND p.refused_under IS NULL", [to_db_time(now)], limit, now
    )


def page_retries_where(
    store: SQLStore, condition: str, params: Sequence[object], limit: int, now: datetime
) -> list[PageRetry]:
    """The retries (of ``p``, their article ``a``) that ``condition`` holds, at most
    ``limit``, the longest waiting first; ``now`` for one without a time."""
    rows = store._query(
        f"""SELECT p.article_id, p.url, p.teaser, p.attempts, p.next_try, a.guid, a.title,
                  a.published
           FROM page_retries p JOIN articles a ON a.id = p.article_id
           WHERE {condition}
           ORDER BY p.next_try, p.article_id LIMIT ?""",
        (*params, limit),
    )
    return [
        PageRetry(
            int(article_id),
            url,
            teaser,
            int(attempts),
            from_db_time(next_try) or now,
            guid,
            title,
            from_db_time(published),
        )
        for article_id, url, teaser, attempts, next_try, guid, title, published in rows
    ]


def retries_failed(store: SQLStore, failed: Sequence[tuple[PageRetry, datetime | None]]) -> None:
    """One more failed try of each retry, in one transaction: tried again at its time, or
    never (None: the teaser stays)."""
    if not failed:
        return
    gone = [(retry.article_id,) for retry, later in failed if later is None]
    again = [
        (retry.attempts + 1, to_db_time(later), retry.article_id)
        for retry, later in failed
        if later is not None
    ]
    with store._transaction() as tx:
        if gone:
            tx.executemany("DELETE FROM page_retries WHERE article_id = ?", gone)
        if again:
            tx.executemany(
                "UPDATE page_retries SET attempts = ?, next_try = ? WHERE article_id = ?", again
            )


def page_came(store: SQLStore, retry: PageRetry, art: NewArticle) -> bool:
    """The article made again with its page: its summary, body, gallery and index entry
    replaced, the retry gone; False when the article went meanwhile."""
    with store._transaction() as tx:
        found = tx.execute(
            "DELETE FROM page_retries WHERE article_id = ? RETURNING article_id",
            (retry.article_id,),
        ).fetchone()
        if found is None:
            return False
        article_id = retry.article_id
        store._unindex_articles(tx, [article_id])  # out with the text it was made from
        column, value, params = store._index_values(art)
        own = f", {column.removeprefix(', ')} = {value.removeprefix(', ')}" if column else ""
        tx.execute(
            f"UPDATE articles SET summary = ?, body = ?{own} WHERE id = ?",
            (art.summary, art.body_markdown, *params, article_id),
        )
        tx.execute("DELETE FROM gallery_items WHERE article_id = ?", (article_id,))
        store._insert_galleries(tx, [(article_id, art)])
        store._index_article(tx, article_id, art)
        store._announce(tx, StoreChange(ChangeKind.ARTICLE, article_id=article_id))
    return True
