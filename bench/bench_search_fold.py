"""What the search folding of issue 16 costs ("gruen" finds "Grün", captions searched): the
fold itself against the one before (case only), side by side in one run; storing articles
(every one indexed through the fold); the migration that indexes a cache of schema 7 again;
and searches on that cache. Figures go to the "Search folding" section of RESULTS.md.

    python bench/bench_search_fold.py --articles 20000 --data-dir DIR
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_ui import build_cache
from newsroom_tui.store import ArticleFilter, open_store
from newsroom_tui.text.search_text import fold


def old_fold(text: str | None) -> str:
    """The folding before issue 16: case only (the tokenizer removed the diacritics)."""
    return (text or "").casefold()


def best_of(run, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nr-fold-"))

    sample = [
        "Grünflächenamt: Bürgerbüro öffnet samstags – Straßensperrung an der Bahnhofstraße. "
        "Die Feuerwehr übt am Rathaus, Poetry Slam mit Michael aus Israel. " * 20
    ] * 1000
    fold_old = best_of(lambda: [old_fold(t) for t in sample])
    fold_new = best_of(lambda: [fold(t) for t in sample])
    chars = sum(map(len, sample))

    # Storing through either fold, taking turns (the machine is shared: load drifts)
    import newsroom_tui.store.sqlite as sqlite_store

    builds: dict[str, list[float]] = {"before": [], "now": []}
    for turn, (side, fn) in enumerate([("before", old_fold), ("now", fold)] * 2):
        sqlite_store.fold = fn  # the function the cache registers as nr_fold
        target = data_dir / f"{side}-{turn}"
        start = time.perf_counter()
        build_cache(target, args.articles)
        builds[side].append(time.perf_counter() - start)
    sqlite_store.fold = fold
    data_dir = data_dir / "now-3"

    path = data_dir / "newsroom.sqlite3"
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version - 1}")  # as a cache of the version before
    conn.execute("ALTER TABLE feeds DROP COLUMN name_set")
    conn.commit()
    conn.close()
    start = time.perf_counter()
    store = open_store(data_dir)
    migrate = time.perf_counter() - start

    searches = {}
    for query in ("Feuerwehr", "Foerderprogramme", "Förderprogramme", "gruen", "nr333x3"):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            hits = store.count_articles(ArticleFilter(search=query))
            store.articles(ArticleFilter(search=query), limit=200)
            times.append(time.perf_counter() - start)
        searches[query] = (statistics.median(times), hits)
    store.close()

    cpu = platform.processor() or platform.machine()
    print("## Search folding (issue 16)\n")
    print(
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/bench_search_fold.py "
        f"--articles {args.articles} --data-dir DIR`; {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}.\n"
    )
    print("| What | case only (before) | umlaut spellings folded (now) |")
    print("|---|---:|---:|")
    print(
        f"| Folding {chars / 1e6:.1f} M characters of German text, best of 5 |"
        f" {fold_old * 1000:.0f} ms | {fold_new * 1000:.0f} ms |"
    )
    before, now = (" / ".join(f"{t:.1f}" for t in builds[side]) for side in ("before", "now"))
    print(f"| Storing {args.articles} articles in 1000 feeds (each indexed through the fold), "
          f"two turns each | {before} s | {now} s |")  # fmt: skip
    print("\n| What | now |\n|---|---:|")
    print(
        f"| Migration of that cache from the version before (index made again) | {migrate:.1f} s |"
    )
    for query, (seconds, hits) in searches.items():
        print(f"| Search `{query}` ({hits} hits; count + first 200), median of 5 |"
              f" {seconds * 1000:.0f} ms |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
