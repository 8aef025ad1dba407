"""The reader's counts (the feed list's and the status line's) as the store reads them, of
articles and of stories, in ms, median of five:

    python bench/bench_story_counts.py CACHE [--build N]

``--build N`` first makes CACHE (a data dir) of N articles of 200 feeds (bench_open_article's
cache) with a tenth of them in stories of three, as a desk's week (the ids 3k, 3k+1 and 3k+2
of the first tenth: often of different feeds), its feeds in 12 categories (four of them
nested in others: "Ressort 1/Lokal" in "Ressort 1"). The counts: every feed's articles and
unread ones, and the totals of the list of all feeds (done ones left out, unread ones), as
articles and as stories. Then the reader's counts of a list of stories (its totals and each
category's unread stories) as one count per list (as the reader did before: 2 + one per
category) and as the store's one statement (``story_totals``), with the answers compared.
``--postgres DSN`` copies CACHE into that empty database and counts on PostgreSQL.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsroom_tui.store import ArticleFilter, Store, StoryTotals, open_store


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
    conn.execute(
        """UPDATE feeds SET category = 'Ressort ' || (id % 8)
               || CASE WHEN id % 16 BETWEEN 1 AND 4 THEN '/Lokal' ELSE '' END"""
    )
    conn.close()


def per_category(store: Store) -> StoryTotals:
    """The totals as the reader counted them before: one count per list (both totals, and
    each category's unread stories)."""
    listed = ArticleFilter(done=False, stories=True)
    unread = replace(listed, unread=True)
    categories = {f.category for f in store.feeds() if f.category}
    return StoryTotals(
        store.count_articles(listed),
        store.count_articles(unread),
        {name: store.count_articles(replace(unread, category=name)) for name in categories},
    )


ROUNDS = 15  # of each way of counting the stories' totals, in turn


def timed(call: Callable[[], object]) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def copied_to_postgres(cache: Path, dsn: str) -> Store:
    """A team's store at ``dsn`` (an empty database) holding CACHE's feeds and articles as
    they are (stories, categories, done), read for the bench's user where they are read."""
    import psycopg

    from newsroom_tui.store.postgres import PostgresStore

    PostgresStore(dsn).close()  # the schema
    source = sqlite3.connect(cache / "newsroom.sqlite3")
    feeds = "id, url, title, category, added"
    articles = (
        "id, feed_id, guid, title, sort_key, fetched, done, story_id, story_relation, story_size"
    )
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY feeds ({feeds}) FROM STDIN") as copy:
            for row in source.execute(f"SELECT {feeds} FROM feeds"):
                copy.write_row(row)
        with cur.copy(f"COPY articles ({articles}) FROM STDIN") as copy:
            for row in source.execute(f"SELECT {articles} FROM articles"):
                copy.write_row((*row[:6], bool(row[6]), *row[7:]))
        with cur.copy("COPY reads (user_name, article_id) FROM STDIN") as copy:
            for (article_id,) in source.execute("SELECT id FROM articles WHERE read"):
                copy.write_row(("bench", article_id))
        cur.execute("ANALYZE")
    source.close()
    return PostgresStore(dsn, user="bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cache", type=Path)
    parser.add_argument("--build", type=int)
    parser.add_argument(
        "--postgres", metavar="DSN", help="copy CACHE into this empty database and count there"
    )
    args = parser.parse_args()
    if args.build:
        from bench.bench_open_article import build_cache

        build_cache(args.cache, args.build)
        open_store(args.cache).close()  # migrated: story_size is there
        put_in_stories(args.cache)
    store = (
        copied_to_postgres(args.cache, args.postgres) if args.postgres else open_store(args.cache)
    )
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
    print()
    apart = per_category(store)
    together = store.story_totals()
    assert together == apart, (together, apart)
    # the two in turn, so that a change of the machine's load meets both alike
    rounds: dict[str, list[float]] = {"one per list": [], "story_totals": []}
    for _ in range(ROUNDS):
        for name, call in (
            ("one per list", lambda: per_category(store)),
            ("story_totals", store.story_totals),
        ):
            start = time.perf_counter()
            call()
            rounds[name].append((time.perf_counter() - start) * 1000)
    print(f"| story counts (median of {ROUNDS}, in turn) | statements | categories | ms |")
    print("|---|---:|---:|---:|")
    for name, statements in (("one per list", 2 + len(apart.categories)), ("story_totals", 1)):
        median = statistics.median(rounds[name])
        print(f"| {name} | {statements} | {len(apart.categories)} | {median:.1f} |")
    store.close()


if __name__ == "__main__":
    main()
