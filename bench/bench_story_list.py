"""The reader's list as the store reads it, for checkouts side by side, each on its own cache:
the count of the default list (done ones left out), its first page, a page halfway down and
the position of an article there (what a reload reads), in ms, median of five:

    python bench/bench_story_list.py TREE=CACHE... [--grow CACHE]

Each TREE (a checkout, first on PYTHONPATH) reads its CACHE (a data dir, e.g. one that
bench_open_article or bench_ui built; a checkout of a newer schema on its own copy); one that
knows stories reads the list of stories and the list of articles apart. ``--grow CACHE``
first makes CACHE ten times as large (nine more copies of each article, dated a week apart
each, bodies left out: the list reads none; their stories copied with them).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SIDE = r"""
import statistics, sys, time
from dataclasses import fields
from pathlib import Path
from newsroom_tui.store import ArticleFilter, open_store
store = open_store(Path(sys.argv[1]))
kinds = [("articles", {})]
if "stories" in {f.name for f in fields(ArticleFilter)}:
    kinds = [("stories", {"stories": True}), ("apart", {"stories": False})]
def timed(call):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
for name, extra in kinds:
    where = ArticleFilter(done=False, **extra)
    count = store.count_articles(where)
    half = store.articles(where, limit=1, offset=count // 2)[0].id
    print(name, count, *(f"{t:.1f}" for t in (
        timed(lambda: store.count_articles(where)),
        timed(lambda: store.articles(where, limit=200)),
        timed(lambda: store.articles(where, limit=200, offset=count // 2)),
        timed(lambda: store.article_position(where, half)),
    )))
"""


def grow(cache: Path, times: int = 10) -> None:
    conn = sqlite3.connect(cache / "newsroom.sqlite3", isolation_level=None)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] != "id"]
    top = conn.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    made = {
        "guid": "guid || '-{k}'",
        "sort_key": "strftime('%Y-%m-%dT%H:%M:%S', sort_key, '-{days} days')",
        "body": "''",
        "summary": "''",
        "source": "NULL",
        "story_id": "story_id + {shift}",
    }
    conn.execute("BEGIN")
    for k in range(1, times):
        values = [made.get(c, c).format(k=k, days=7 * k, shift=k * top) for c in columns]
        conn.execute(
            f"INSERT INTO articles (id, {', '.join(columns)}) "
            f"SELECT id + {k * top}, {', '.join(values)} FROM articles WHERE id <= {top}"
        )
    conn.execute("COMMIT")
    conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sides", nargs="*", help="TREE=CACHE")
    parser.add_argument("--grow", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    for cache in args.grow:
        grow(cache)
    print(f"{'list':9} {'rows':>8} {'count':>7} {'page 1':>7} {'halfway':>8} {'position':>9}  tree")
    for side in args.sides:
        tree, _, cache = side.partition("=")
        env = {**os.environ, "PYTHONPATH": tree}
        done = subprocess.run(
            [sys.executable, "-c", SIDE, cache], env=env, capture_output=True, text=True, check=True
        )
        for line in done.stdout.splitlines():
            name, rows, *times = line.split()
            print(f"{name:9} {int(rows):>8,} " + " ".join(f"{t:>7}" for t in times) + f"  {tree}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
