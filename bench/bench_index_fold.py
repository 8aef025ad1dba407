"""Cheaper folding for the search index, measured: what the issue #30 alternative to an
indexer after the writes would save, per farm feed of 100 items.

    python bench/bench_index_fold.py [--feeds 20] [--repeat 5]

The alternative: fold in Python only the German pairs (ä -> ae, ö -> oe, ü -> ue, ß -> ss)
and leave case and the other diacritics to FTS5's ``unicode61 remove_diacritics 2``
tokenizer. The tokens are the same as today's only for text whose characters all fold alike
both ways (``SAFE`` below: found by trying each character in a few contexts); other text
must still be folded whole, so a gate looks at every text first. Measured on the search
text of farm entries (CPU per feed, best of ``--repeat``): today's fold; the gate and the
pairs in Python; the insert of the rows with the columns folded beforehand, and with the
pairs made by SQLite's ``replace()`` (the gate as a GLOB, and without a gate); and whether
the tokens are the same.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from feed_farm import render_atom, render_rss

from newsroom_tui.ingest.poll_jobs import first_poll_job
from newsroom_tui.text.search_text import fold, fts_columns

BASE = "http://127.0.0.1:8000"
PAIRS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss"))
# the characters outside which the pairs alone index differently from the fold
SAFE = (
    "\x01-\xa9\xab-\xb1\xb4-\xb8\xbb\xbf-\u0131\u0134-\u013e\u0141-\u0148\u014a-\u017f"
    "\u2000-\u206f\u20ac"
)
UNSAFE = re.compile(f"[^{SAFE}]")


def pairs(text: str) -> str:
    for letter, written in PAIRS:
        if letter in text:
            text = text.replace(letter, written)
    return text


def best(fn: Callable[[], object], repeat: int, feeds: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times) / feeds * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    docs = [
        render_atom(i, 100, BASE) if i % 5 == 0 else render_rss(i, 100, BASE)
        for i in range(1, args.feeds + 1)
    ]
    arts = [
        a for d in docs for a in first_poll_job(d, f"{BASE}/f.xml", None, "auto", None, True).items
    ]
    rows = [
        (
            a.title,
            f"{a.body_markdown} {a.summary}",
            " ".join(f"{g.caption} {g.credit or ''}" for g in a.gallery),
        )
        for a in arts
    ]
    texts = [t for row in rows for t in row]

    def measure(fn: Callable[[], object]) -> float:
        return best(fn, args.repeat, args.feeds)

    def table(conn: sqlite3.Connection) -> None:
        conn.execute(
            "CREATE VIRTUAL TABLE f USING fts5(title, body, credits, content='', "
            "tokenize='unicode61 remove_diacritics 2')"
        )

    folded = [
        (n, *fts_columns(a.title, a.body_markdown, a.summary, [])[:2], fold(rows[n - 1][2]))
        for n, a in enumerate(arts, 1)
    ]

    def insert_folded() -> tuple[float, sqlite3.Connection]:
        """The rows' columns folded beforehand (by the worker, or the indexer in Python)."""
        conn = sqlite3.connect(":memory:")
        table(conn)
        started = time.process_time()
        conn.executemany("INSERT INTO f (rowid, title, body, credits) VALUES (?, ?, ?, ?)", folded)
        return time.process_time() - started, conn

    def insert_sql(gate: bool) -> Callable[[], tuple[float, sqlite3.Connection]]:
        """The pairs made by SQLite's replace() from stored rows, the gate a GLOB."""

        def run() -> tuple[float, sqlite3.Connection]:
            conn = sqlite3.connect(":memory:")
            conn.create_function("nr_fold", 1, fold, deterministic=True)
            table(conn)
            conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, t, b, c)")
            conn.executemany("INSERT INTO a (t, b, c) VALUES (?, ?, ?)", rows)

            def expr(col: str) -> str:
                made = col
                for letter, written in PAIRS:
                    made = f"replace({made}, '{letter}', '{written}')"
                if not gate:
                    return made
                return f"CASE WHEN {col} GLOB '*[^{SAFE}]*' THEN nr_fold({col}) ELSE {made} END"

            started = time.process_time()
            conn.execute(
                f"INSERT INTO f (rowid, title, body, credits) "
                f"SELECT id, {expr('t')}, {expr('b')}, {expr('c')} FROM a"
            )
            return time.process_time() - started, conn

        return run

    def timed(fn: Callable[[], tuple[float, sqlite3.Connection]]) -> float:
        return min(fn()[0] for _ in range(args.repeat)) / args.feeds * 1000

    def tokens(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
        return conn.execute("SELECT term, doc, col, offset FROM v ORDER BY 2, 3, 4").fetchall()

    print(f"{args.feeds} farm feeds, {len(arts)} articles, best of {args.repeat}; CPU per feed")
    figures = [
        ("fold (today), 3 columns", measure(lambda: [fold(t) for t in texts])),
        ("gate alone (a regular expression)", measure(lambda: [UNSAFE.search(t) for t in texts])),
        ("German pairs in Python", measure(lambda: [pairs(t) for t in texts])),
        ("FTS5 insert, columns folded before", timed(insert_folded)),
        ("FTS5 insert, pairs by replace(), no gate", timed(insert_sql(False))),
        ("FTS5 insert, pairs by replace(), GLOB gate", timed(insert_sql(True))),
    ]
    for label, ms in figures:
        print(f"{label:<45} {ms:.2f} ms")
    plain = sum(UNSAFE.search(t) is None for t in texts)
    print(f"texts the gate lets through: {plain} of {len(texts)}")
    same = tokens(insert_folded()[1]) == tokens(insert_sql(True)()[1])
    print(f"same tokens, gate and pairs as folding: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
