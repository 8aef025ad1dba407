"""The reader's counts (the feed list's and the status line's) as the store reads them, of
articles and of stories, in ms, median of five:

    python bench/bench_story_counts.py CACHE [--build N]

``--build N`` first makes CACHE (a data dir) of N articles of 200 feeds (bench_open_article's
cache) with a tenth of them in stories of three, as a desk's week (the ids 3k, 3k+1 and 3k+2
of the first tenth: often of different feeds). The counts: every feed's articles and unread
ones, and the totals of the list of all feeds (done ones left out, unread ones), as articles
and as stories.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def put_in_stories(cache: Path) -> None:
    conn = sqlite3.connect(cache / "newsroom.sqlite3", isolation_level=None)
    top = conn.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    conn.execute(
        """UPDATE articles SET story_id = id - ((id - 1) % 3),
               story_relation = CASE WHEN (id - 1) % 3 = 0 THEN 'new' ELSE 'version' END,
               story_size = 3 WHERE id <= ?""",
        (top // 10 - (top // 10) % 3,),
    )
    conn.execute("UPDATE articles SET read = 1 WHERE id % 4 = 0")
    conn.close()


def timed(call: Callable[[], object]) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cache", type=Path)
    parser.add_argument("--build", type=int)
    args = parser.parse_args()
    from newsroom_tui.store import ArticleFilter, open_store

    if args.build:
        from bench.bench_open_article import build_cache

        build_cache(args.cache, args.build)
        open_store(args.cache).close()  # migrated: story_size is there
        put_in_stories(args.cache)
    store = open_store(args.cache)
    print("| counted | feeds | rows | unread | feed list | totals |")
    print("|---|---:|---:|---:|---:|---:|")
    for stories in (False, True):
        counts = store.feed_counts(stories=stories)
        listed = ArticleFilter(done=False, stories=stories)
        unread = ArticleFilter(done=False, unread=True, stories=stories)
        total = store.count_articles(listed)
        left = store.count_articles(unread)
        feeds = timed(lambda: store.feed_counts(stories=stories))  # noqa: B023
        totals = timed(lambda: (store.count_articles(listed), store.count_articles(unread)))  # noqa: B023
        name = "stories" if stories else "articles"
        print(f"| {name} | {len(counts)} | {total:,} | {left:,} | {feeds:.1f} | {totals:.1f} |")
    store.close()


if __name__ == "__main__":
    main()
