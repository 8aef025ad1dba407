"""What the search folding costs ("gruen" finds "Grün", "Grund" stays another word): the
fold itself against the one before, side by side in one run (the one of ``--base DIR``, an
older checkout, or else case only); storing articles (every one indexed through the fold);
the migration that indexes a cache of the schema before again; and searches on that cache.
Figures go to the "Search folding" section of RESULTS.md.

    python bench/bench_search_fold.py --articles 20000 --data-dir DIR [--base DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_ui import build_cache
from newsroom_tui.store import ArticleFilter, StoreError, open_store
from newsroom_tui.text.search_text import fold


def old_fold(text: str | None) -> str:
    """The folding before issue 16: case only (the tokenizer removed the diacritics)."""
    return (text or "").casefold()


def base_fold(base: Path) -> Callable[[str | None], str]:
    """The fold of the checkout in ``base`` (its search_text module uses the standard
    library only)."""
    path = base / "newsroom_tui" / "text" / "search_text.py"
    spec = importlib.util.spec_from_file_location("base_search_text", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fold


def best_of(run, repeat: int = 7) -> float:
    """The least CPU time of ``repeat`` runs (CPU, not wall time: the machine is shared)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--base", type=Path, default=None, help="an older checkout")
    args = parser.parse_args(argv)
    before = base_fold(args.base) if args.base else old_fold
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nr-fold-"))

    sample = [
        "Grünflächenamt: Bürgerbüro öffnet samstags – Straßensperrung an der Bahnhofstraße. "
        "Die Feuerwehr übt am Rathaus, Poetry Slam mit Michael aus Israel. " * 20
    ] * 1000
    # an ordinary press release: 2 KB, a few umlauts a sentence
    article = (
        "Die Stadtverwaltung informiert über Baustellen, Öffnungszeiten und Förderprogramme. "
        "Die Polizei Bochum sucht Zeugen eines Unfalls an der Herner Straße. "
    ) * 13
    press = [article] * 1000
    fold(sample[0])  # the table is made at the first fold
    fold_old = best_of(lambda: [before(t) for t in sample])
    fold_new = best_of(lambda: [fold(t) for t in sample])
    per_old = best_of(lambda: [before(t) for t in press]) / len(press)
    per_new = best_of(lambda: [fold(t) for t in press]) / len(press)
    chars = sum(map(len, sample))

    # Storing through either fold, taking turns (the machine is shared: load drifts)
    import newsroom_tui.store.sqlite as sqlite_store

    builds: dict[str, list[float]] = {"before": [], "now": []}
    for turn, (side, fn) in enumerate([("before", before), ("now", fold)] * 2):
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
    conn.commit()
    conn.close()
    start = time.perf_counter()
    migrate: float | None
    try:
        store = open_store(data_dir)
        migrate = time.perf_counter() - start
    except StoreError:  # the version before adds more than the index: not a re-index alone
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        store, migrate = open_store(data_dir), None

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
    side = f"`{args.base.name}`" if args.base else "case only"
    print(f"| What | {side} (before) | umlauts as ae, oe, ue (now) |")
    print("|---|---:|---:|")
    print(
        f"| Folding {chars / 1e6:.1f} M characters dense with umlauts, CPU, best of 7 |"
        f" {fold_old * 1000:.0f} ms | {fold_new * 1000:.0f} ms |"
    )
    print(
        f"| Folding one press release of {len(article):,} characters, CPU, best of 7 |"
        f" {per_old * 1e6:.1f} µs | {per_new * 1e6:.1f} µs |"
    )
    before, now = (" / ".join(f"{t:.1f}" for t in builds[side]) for side in ("before", "now"))
    print(f"| Storing {args.articles} articles in 1000 feeds (each indexed through the fold), "
          f"two turns each | {before} s | {now} s |")  # fmt: skip
    print("\n| What | now |\n|---|---:|")
    if migrate is not None:
        print(f"| Migration of that cache from the version before (index made again) |"
              f" {migrate:.1f} s |")  # fmt: skip
    for query, (seconds, hits) in searches.items():
        print(f"| Search `{query}` ({hits} hits; count + first 200), median of 5 |"
              f" {seconds * 1000:.0f} ms |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
