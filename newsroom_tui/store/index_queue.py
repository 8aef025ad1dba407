"""The search index made after a poll's writes: the queue of the articles stored without
their full-text row, and the indexer that works it off in large batches (SQLite).

Folding an article's text for the index and inserting its full-text row took about a
seventh of a cold poll's CPU, on the poll's path (the workers folded, the single writer
inserted). A poll now stores each feed's articles with their ids queued here, in the same
transaction, and once its feeds are stored :func:`index_batch` makes the rows of the queued
articles, many thousands at a time, each batch one transaction: the rows in, the ids out.
A kill -9 leaves a batch done or not at all; the queue survives it, and the next poll's
catch-up works it off. Until then a queued article is listed and read, not found by search.

The poll's workers fold each article's columns as they build it (they have its text at
hand); the store keeps them by id, in memory, until its batch inserts them, so the poll's
process makes no fold of its own. An article queued without them (queued before a restart)
is folded by SQLite from its stored row: the same text.

The index is contentless: a row goes out by handing it the text it was made from again. A
queued article has no row yet, so whatever takes articles out of the index (a removed feed,
retention, a first read that renders the body) leaves the queued ones out of that and takes
them off the queue instead (:func:`unqueue`, :func:`indexed_only`).
"""

from __future__ import annotations

from collections.abc import Iterable

from newsroom_tui.store.rows import Transaction

# Articles indexed in one transaction: 5,000 articles of a farm feed are about 1.5 s of
# work (SQLite's part in C, the folding in Python); a write of the reader waits at most
# that long, and the thread that opened the store goes first between two batches.
INDEX_BATCH = 5_000


def queue(tx: Transaction, ids: Iterable[int]) -> None:
    """Queue the newly stored articles ``ids`` for the indexer."""
    tx.executemany("INSERT OR IGNORE INTO index_queue (article_id) VALUES (?)", [(i,) for i in ids])


def indexed_only(where: str) -> str:
    """``where`` (a condition on article ``a``) narrowed to the articles that have their
    full-text row: the queued ones have none to take out."""
    return f"({where}) AND a.id NOT IN (SELECT article_id FROM index_queue)"


def unqueue(tx: Transaction, where: str, params: Iterable[object]) -> None:
    """Take the articles matching ``where`` (a condition on article ``a``) off the queue:
    they are going, or get their full-text row now."""
    tx.execute(
        f"""DELETE FROM index_queue WHERE article_id IN
            (SELECT a.id FROM articles a WHERE {where})""",
        tuple(params),
    )


Folded = dict[int, tuple[str, str, str]]


def keep_folded(folded: Folded, new: Iterable[tuple[int, tuple[str, str, str] | None]]) -> None:
    """Keep the full-text columns the poll's workers folded of newly queued articles, by id,
    for :func:`index_batch`; an id without them (taken again after its article went) drops
    what was kept for it."""
    for article_id, columns in new:
        if columns is None:
            folded.pop(article_id, None)
        else:
            folded[article_id] = columns


def index_batch(
    tx: Transaction,
    fts_row: str,
    limit: int = INDEX_BATCH,
    folded: Folded | None = None,
) -> int:
    """Make the full-text rows of the first ``limit`` queued articles (by id) and take them
    off the queue; how many were queued (0: none). An article's row is its columns in
    ``folded`` (taken out of it) when they are there, as the poll's workers folded them, or
    else made by the expression ``fts_row`` from the stored row: the same text."""
    rows = tx.execute(
        "SELECT article_id FROM index_queue ORDER BY article_id LIMIT ?", (limit,)
    ).fetchall()
    ids = [row[0] for row in rows]
    if not ids:
        return 0
    ready: list[tuple[int, str, str, str]] = []
    rest: list[tuple[int]] = []
    for article_id in ids:
        columns = folded.pop(article_id, None) if folded else None
        if columns is None:
            rest.append((article_id,))
        else:
            ready.append((article_id, *columns))
    tx.executemany(
        "INSERT INTO articles_fts (rowid, title, body, credits) VALUES (?, ?, ?, ?)", ready
    )
    if len(rest) == len(ids):  # none folded beforehand (queued by a poll that ended early)
        tx.execute(
            f"""INSERT INTO articles_fts (rowid, title, body, credits)
                SELECT {fts_row} FROM articles a
                WHERE a.id IN (SELECT article_id FROM index_queue WHERE article_id <= ?)""",
            (ids[-1],),
        )
    elif rest:
        tx.executemany(
            f"""INSERT INTO articles_fts (rowid, title, body, credits)
                SELECT {fts_row} FROM articles a WHERE a.id = ?""",
            rest,
        )
    tx.execute("DELETE FROM index_queue WHERE article_id <= ?", (ids[-1],))
    return len(ids)


def queued(tx: Transaction) -> int:
    """How many articles wait for their full-text row."""
    return int(tx.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0])
