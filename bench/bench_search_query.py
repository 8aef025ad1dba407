"""The reader's read of a search (its count to 1,001 and its first page of 50, as
``read_listing`` asks the store) for queries of the watchlist language, on a cache of
100,000 articles, this checkout against older code (``--base DIR``, e.g. ``git archive main
| tar -x -C DIR``), taking turns, each side in a process of its own.

    python bench/bench_search_query.py --base DIR [--articles 100000] [--runs 5]

The cache is the one of ``bench_search_scale.py`` (German press releases; feeds named
"Stadt N" and "Polizei N"), made once by ``--base``'s code and kept in /tmp. Older code reads
OR, NOT and fields as plain words: its hits differ (the count is shown), its time is what
those words cost there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "stadt",
    "Polizei Zeugen",
    "Stadt NOT Grund",
    "Stadt -Grund",
    "Sperrung OR Baustelle",
    '"Stadt Herne"',
    "Stadt feed:Polizei",
    "(Grünflächenamt OR Feuerwehr) NOT Rathaus",
    "title:Radweg OR credit:Stadt",
    "Feuerwehr OR feed:Polizei",  # no FTS5 query every hit matches: every hit sorted
]

_PROBE = """
import json, sys, time
from newsroom_tui.store import ArticleFilter, open_store
from pathlib import Path
store = open_store(Path(sys.argv[1]))
runs = int(sys.argv[2])
out = {}
for query in json.loads(sys.argv[3]):
    where = ArticleFilter(search=query)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        count = store.count_articles(where, at_most=1001)
        first = store.articles(where, limit=50)
        times.append(time.perf_counter() - start)
    plan = getattr(store, "_search_plan", None)
    fast = plan(query).match is not None if plan else True
    out[query] = [times, count, len(first), fast]
print(json.dumps(out))
"""


def probe(code: Path, cache: Path, runs: int) -> dict[str, list[object]]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(cache), str(runs), json.dumps(QUERIES)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=cache,
    )
    result: dict[str, list[object]] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--turns", type=int, default=2)
    args = parser.parse_args(argv)
    cache = Path(f"/tmp/newsroom-search-scale-{args.articles}")
    if not (cache / "newsroom.sqlite3").exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "bench_search_scale.py"), "--build-only",
             "--articles", str(args.articles), "--cache", str(cache)],
            env={**os.environ, "PYTHONPATH": str(args.base)},
            check=True,
            cwd=cache,
        )  # fmt: skip
    sides = {"before": args.base, "now": ROOT}
    copies = {}
    for side in sides:
        copy = cache.with_name(f"{cache.name}-{side}")
        if not (copy / "newsroom.sqlite3").exists():
            shutil.copytree(cache, copy)
        copies[side] = copy
    times: dict[str, dict[str, list[float]]] = {side: {q: [] for q in QUERIES} for side in sides}
    counts: dict[str, dict[str, tuple[int, bool]]] = {side: {} for side in sides}
    for _ in range(args.turns):
        for side, code in sides.items():
            for query, (walls, count, _, fast) in probe(code, copies[side], args.runs).items():
                times[side][query] += walls  # type: ignore[arg-type]
                counts[side][query] = (count, fast)  # type: ignore[assignment]
    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{os.getloadavg()[0]:.1f}; {args.articles:,} articles; count to 1,001 + first 50, "
        f"median (min) of {args.runs * args.turns} reads"
    )
    print("| query | before: ms (min), hits | now: ms (min), hits, newest-hits path |")
    print("|---|---:|---:|")
    for query in QUERIES:
        cells = []
        for side in sides:
            walls = times[side][query]
            count, fast = counts[side][query]
            shown = f"{statistics.median(walls) * 1000:.1f} ({min(walls) * 1000:.1f}), {count}"
            cells.append(shown + (f", {'yes' if fast else 'no'}" if side == "now" else ""))
        print(f"| `{query}` | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
