"""A search's first hits, newest first, without sorting every hit (SQLite's full-text index).

The list shows articles by date (``sort_key``, then id, newest first), the index hands its
hits by rowid (the article's id). Ids grow as articles arrive, so the highest ids are nearly
the newest articles: the hits are read from the index by rowid downwards, a batch at a time,
and the search stops as soon as no hit not yet read can be among the first ``want``. That is
known from the date index: every hit not read has an id below the lowest one read, so the
only ones that could still come before the ``want``-th hit found are the articles with such
an id and a later date. They are listed from the date index (few, when the hits read are
recent), and the index's hits are read on down to the lowest of them: those among them that
are hits join the others. When they are many (a feed added with its archive, dates far
ahead), the next, larger batch is read; the last resort is reading every hit, which is what
a plain ``ORDER BY`` does. (Asking the index about one article at a time costs as much as a
whole prefix query each: "stadt*" in 1,000,000 articles, 0.1 s a look.)

"stadt" in 1,000,000 articles: the first 50 hits from a few hundred index rows, not the
sort of 850,000.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

FIRST_BATCH = 256  # hits read from the index at first (at least twice the rows wanted)
GROWTH = 4  # each further batch this many times the one before
LATER_CAP = 2_000  # articles dated after the want-th hit, listed to be looked for
STREAM_CHUNK = 4_096  # index rows read at a time on the way down to them

Key = tuple[str, int]  # (sort_key, id): the list's order, newest first when descending


def newest_hits(
    conn: sqlite3.Connection,
    match: str,
    want: int,
    condition: str = "",
    params: Sequence[object] = (),
) -> list[int]:
    """The ids of the first ``want`` articles (newest first) that match the FTS5 query
    ``match`` and ``condition`` (SQL on article ``a``, "" for none, with ``params``)."""
    if want <= 0:
        return []
    extra = f" AND ({condition})" if condition else ""
    found: dict[int, Key] = {}
    stream = conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC",
        (match,),
    )
    batch = max(FIRST_BATCH, 2 * want)
    try:
        while True:
            ids = [row[0] for row in stream.fetchmany(batch)]
            found.update(_keys(conn, ids, extra, params))
            if len(ids) < batch:
                break  # every hit read
            if len(found) >= want:
                kth = sorted(found.values(), reverse=True)[want - 1]
                later = conn.execute(
                    f"""SELECT a.id, a.sort_key FROM articles a
                        WHERE (a.sort_key, a.id) > (?, ?) AND +a.id < ?{extra} LIMIT ?""",
                    (*kth, ids[-1], *params, LATER_CAP + 1),
                ).fetchall()
                if len(later) <= LATER_CAP:
                    found.update(_hits_among(stream, dict(later)))
                    break
            batch *= GROWTH
    finally:
        stream.close()
    ranked = sorted(found.items(), key=lambda item: item[1], reverse=True)
    return [article_id for article_id, _ in ranked[:want]]


def _hits_among(stream: sqlite3.Cursor, later: dict[int, str]) -> Iterable[tuple[int, Key]]:
    """Those of ``later`` (id: sort key) that the index's ``stream`` holds, read on down
    to the lowest of them."""
    if not later:
        return
    lowest = min(later)
    while rows := stream.fetchmany(STREAM_CHUNK):
        for (rowid,) in rows:
            if rowid in later:
                yield rowid, (later[rowid], rowid)
        if rows[-1][0] <= lowest:
            return


def _in_chunks(ids: list[int]) -> Iterator[tuple[list[int], str]]:
    """``ids`` 500 at a time, each chunk with its SQL placeholders."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        yield chunk, ",".join("?" * len(chunk))


def _keys(
    conn: sqlite3.Connection, ids: list[int], extra: str, params: Sequence[object]
) -> list[tuple[int, Key]]:
    """The order keys of the articles ``ids`` that meet the condition ``extra``."""
    found: list[tuple[int, Key]] = []
    for chunk, marks in _in_chunks(ids):
        found += [
            (row[1], (row[0], row[1]))
            for row in conn.execute(
                f"SELECT a.sort_key, a.id FROM articles a WHERE a.id IN ({marks}){extra}",
                (*chunk, *params),
            )
        ]
    return found


def newest_stories(
    conn: sqlite3.Connection,
    match: str,
    want: int,
    condition: str = "",
    params: Sequence[object] = (),
) -> list[int]:
    """As :func:`newest_hits`, a story once: the ids of the newest hit of each of the first
    ``want`` stories (an article without a story is one alone). The hits are read twice as
    far each time until ``want`` stories are among them or there are no more: a search
    lists its newest 1,000, so at most a few thousand hits are read."""
    hits = max(want, 1)
    while True:
        ids = newest_hits(conn, match, hits, condition, params)
        story_of: dict[int, int] = {}
        for chunk, marks in _in_chunks(ids):
            story_of.update(
                conn.execute(
                    f"SELECT id, COALESCE(story_id, id) FROM articles WHERE id IN ({marks})",
                    chunk,
                ).fetchall()
            )
        seen: set[int] = set()
        first: list[int] = []
        for article_id in ids:
            story = story_of.get(article_id, article_id)
            if story not in seen:
                seen.add(story)
                first.append(article_id)
        if len(first) >= want or len(ids) < hits:
            return first[:want]
        hits *= 2
