"""Where a cold poll's CPU goes, per feed of 100 full-content items, before and after #18.

    python bench/bench_ingest.py [--feeds 20] [--repeat 5]

In one process, on feeds of the farm (bench/feed_farm.py, rendered in memory): parsing, the
worker's build of the articles (Markdown at poll time, as before, against the deferred build
that keeps the HTML), the pickle round trip of a worker's result, the SQLite save (one INSERT
per row with the full-text row made by a Python function in SQL, as before, against one
executemany each for rows, galleries and index), and opening an article (first: rendering
it; again: the cached Markdown). CPU time (``time.process_time``), best of ``--repeat``:
on a shared machine the best run is the one least disturbed. The figures go to the "Ingest"
section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feed_farm import render_atom, render_rss
from report import machine, write_section

from newsroom_tui.ingest import poller
from newsroom_tui.ingest.feeds import parse_feed
from newsroom_tui.store import SQLiteStore
from newsroom_tui.store.base import FeedUpdate
from newsroom_tui.store.sql_store import SQLStore

BASE = "http://127.0.0.1:8000"


def best(fn: Callable[[], object], repeat: int) -> float:
    """Least CPU seconds of ``repeat`` runs of ``fn``."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def build(docs: list[bytes], lazy: bool) -> list[poller._FirstPoll]:
    return [poller._first_poll_job(d, f"{BASE}/f.xml", None, "auto", None, lazy) for d in docs]


def save(results: list[poller._FirstPoll], per_row: bool) -> tuple[float, SQLiteStore]:
    """CPU seconds to save every result into a new cache (the old way with ``per_row``)."""
    store = SQLiteStore(Path(tempfile.mkdtemp(prefix="bench-ingest-")) / "cache.sqlite3")
    if per_row:  # the shared SQL path the SQLite store used before
        store._insert_articles = (  # type: ignore[method-assign]
            lambda tx, feed_id, arts, polled: SQLStore._insert_articles(
                store, tx, feed_id, arts, polled
            )
        )
    ids = [store.add_feed(f"{BASE}/feed/{i}.xml")[0].id for i in range(len(results))]
    started = time.process_time()
    for feed_id, result in zip(ids, results, strict=True):
        store.save_feed_update(
            feed_id, FeedUpdate(datetime.now(UTC), title=result.title, articles=result.items)
        )
    return time.process_time() - started, store


def open_times(store: SQLiteStore, count: int = 200) -> tuple[list[float], list[float]]:
    ids = [a.id for a in store.articles(limit=count)]
    first, again = [], []
    for target in (first, again):
        for article_id in ids:
            started = time.perf_counter()
            store.article(article_id)
            target.append((time.perf_counter() - started) * 1000)
    return first, again


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)
    docs = [
        render_atom(i, 100, BASE) if i % 5 == 0 else render_rss(i, 100, BASE)
        for i in range(1, args.feeds + 1)
    ]
    n = len(docs)

    def per_feed(seconds: float) -> float:
        return seconds / n * 1000

    parse = per_feed(best(lambda: [parse_feed(d, f"{BASE}/f.xml") for d in docs], args.repeat))
    eager = per_feed(best(lambda: build(docs, False), args.repeat))
    lazy = per_feed(best(lambda: build(docs, True), args.repeat))
    old_results, new_results = build(docs, False), build(docs, True)

    def round_trip(results: list[poller._FirstPoll]) -> Callable[[], object]:
        return lambda: [pickle.loads(pickle.dumps(r)) for r in results]

    pickle_old = per_feed(best(round_trip(old_results), args.repeat))
    pickle_new = per_feed(best(round_trip(new_results), args.repeat))
    size_old = sum(len(pickle.dumps(r)) for r in old_results) / n / 1000
    size_new = sum(len(pickle.dumps(r)) for r in new_results) / n / 1000
    save_old = per_feed(min(save(old_results, True)[0] for _ in range(args.repeat)))
    saves = [save(new_results, False) for _ in range(args.repeat)]
    save_new = per_feed(min(seconds for seconds, _ in saves))
    first, again = open_times(saves[0][1])
    rows = [
        ("parse the feed (lxml fast path)", parse, parse),
        ("build the articles (parse included)", eager, lazy),
        ("pickle round trip of the result", pickle_old, pickle_new),
        ("SQLite save, one transaction", save_old, save_new),
    ]
    total_old = eager + pickle_old + save_old
    total_new = lazy + pickle_new + save_new
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Ingest (issue #18): CPU per feed of 100 full-content items",
        "",
        f"Run {date} with `python bench/bench_ingest.py --feeds {args.feeds} "
        f"--repeat {args.repeat}`; machine: {machine()}. CPU time per feed, best of "
        f"{args.repeat}, on {n} farm feeds (every 5th Atom; 138 KB each).",
        "",
        "| Step | before (Markdown at poll time) | now (Markdown when first read) |",
        "|---|---:|---:|",
        *(f"| {name} | {old:.1f} ms | {new:.1f} ms |" for name, old, new in rows),
        f"| **total for one feed** | **{total_old:.1f} ms** | **{total_new:.1f} ms** |",
        "",
        f"- Worker result pickled: {size_old:.0f} KB before, {size_new:.0f} KB now (the HTML "
        "and a plain search text instead of Markdown)",
        f"- The build without the parse: {eager - parse:.1f} ms → **{lazy - parse:.1f} ms**; "
        "what is left is the gallery (an entry with an `<img` is parsed and scanned as "
        "before), the search text and the entries' fields",
        f"- Opening an article of that cache (`store.article`, {len(first)} articles): "
        f"first (renders and keeps it) {statistics.median(first):.2f} ms median, "
        f"{max(first):.2f} ms max; again {statistics.median(again):.2f} ms median",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("ingest", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
