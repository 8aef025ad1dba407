"""Where a cold poll's CPU goes, per feed of 100 full-content items, before and after.

    python bench/bench_ingest.py [--feeds 20] [--repeat 5] [--baseline DIR]

In one process, on feeds of the farm (bench/feed_farm.py, rendered in memory): parsing the
feed, the worker's build of the articles (parse included), the pickle round trip of a
worker's result, the SQLite save (one feed per transaction, and ten feeds per transaction as
a poll's writer batches them), the search folding of the articles' text, and opening an
article (first: rendering it; again: the cached Markdown). CPU time (``time.process_time``),
best of ``--repeat``: on a shared machine the best run is the one least disturbed.

``--baseline DIR`` runs the same measurements on another checkout's code (a child process
with ``--tree DIR --json``), alternating with this one's, and prints both side by side. The
figures go to the "Ingest" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from feed_farm import render_atom, render_rss
from report import machine, write_section

HERE = Path(__file__).resolve().parent

BASE = "http://127.0.0.1:8000"
BATCH = 10


def best(fn: Callable[[], object], repeat: int) -> float:
    """Least CPU seconds of ``repeat`` runs of ``fn``."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def measure(feeds: int, repeat: int) -> dict[str, float]:
    """CPU ms per feed of each step, with the code of the newsroom_tui on sys.path."""
    from newsroom_tui.ingest import poller
    from newsroom_tui.ingest.feeds import parse_feed
    from newsroom_tui.store import SQLiteStore
    from newsroom_tui.store.base import FeedUpdate
    from newsroom_tui.text.search_text import fold

    docs = [
        render_atom(i, 100, BASE) if i % 5 == 0 else render_rss(i, 100, BASE)
        for i in range(1, feeds + 1)
    ]

    def per_feed(seconds: float) -> float:
        return seconds / len(docs) * 1000

    def build() -> list[Any]:
        return [poller._first_poll_job(d, f"{BASE}/f.xml", None, "auto", None, True) for d in docs]

    results = build()

    def save(batch: int) -> tuple[float, Any]:
        store = SQLiteStore(Path(tempfile.mkdtemp(prefix="bench-ingest-")) / "cache.sqlite3")
        ids = [store.add_feed(f"{BASE}/feed/{i}.xml")[0].id for i in range(len(results))]
        updates = [
            (feed_id, FeedUpdate(datetime.now(UTC), title=r.title, articles=list(r.items)))
            for feed_id, r in zip(ids, results, strict=True)
        ]
        many = getattr(store, "save_feed_updates", None)
        started = time.process_time()
        for start in range(0, len(updates), batch):
            chunk = updates[start : start + batch]
            if many is not None and batch > 1:
                many(chunk)
            else:
                for feed_id, update in chunk:
                    store.save_feed_update(feed_id, update)
        return time.process_time() - started, store

    texts = [f"{a.body_markdown} {a.summary}" for r in results for a in r.items]
    figures = {
        "parse": per_feed(best(lambda: [parse_feed(d, f"{BASE}/f.xml") for d in docs], repeat)),
        "build": per_feed(best(build, repeat)),
        "pickle": per_feed(
            best(lambda: [pickle.loads(pickle.dumps(r, protocol=5)) for r in results], repeat)
        ),
        "fold": per_feed(best(lambda: [fold(t) for t in texts], repeat)),
        "pickled_kb": sum(len(pickle.dumps(r, protocol=5)) for r in results) / len(docs) / 1000,
    }
    figures["save"] = per_feed(min(save(1)[0] for _ in range(repeat)))
    saves = [save(BATCH) for _ in range(repeat)]
    figures["save_batched"] = per_feed(min(seconds for seconds, _ in saves))
    store = saves[0][1]
    ids = [a.id for a in store.articles(limit=200)]
    first, again = [], []
    for target in (first, again):
        for article_id in ids:
            started = time.perf_counter()
            store.article(article_id)
            target.append((time.perf_counter() - started) * 1000)
    figures["open_first_median"] = statistics.median(first)
    figures["open_first_max"] = max(first)
    figures["open_again_median"] = statistics.median(again)
    return figures


def measure_tree(tree: Path, feeds: int, repeat: int) -> dict[str, float]:
    """:func:`measure` with another checkout's code, in a child process."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--tree",
            str(tree),
            "--json",
            "--feeds",
            str(feeds),
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout))


STEPS = [
    ("parse the feed (lxml fast path)", "parse"),
    ("build the articles in the worker (parse included)", "build"),
    ("pickle round trip of the worker's result", "pickle"),
    ("SQLite save, one feed per transaction", "save"),
    (f"SQLite save, {BATCH} feeds per transaction", "save_batched"),
    ("of the save: search folding of the articles' text", "fold"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--baseline", type=Path, help="a checkout to measure side by side")
    parser.add_argument("--tree", type=Path, default=HERE.parent, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json:  # a child process: the code of --tree
        sys.path.insert(0, str(args.tree.resolve()))
        print(json.dumps(measure(args.feeds, args.repeat)))
        return 0
    names = ["now"]
    runs: dict[str, list[dict[str, float]]] = {"now": []}
    if args.baseline:
        names.insert(0, f"baseline ({args.baseline.name})")
        runs[names[0]] = []
    for _ in range(2):  # alternating: before, after, before, after
        for name in names:
            tree = args.baseline if name != "now" else HERE.parent
            runs[name].append(measure_tree(tree, args.feeds, args.repeat))
    figures = {
        name: {key: min(run[key] for run in results) for key in results[0]}
        for name, results in runs.items()
    }

    def total(f: dict[str, float]) -> float:
        return f["build"] + f["pickle"] + f["save_batched"]

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    baseline_flag = f" --baseline {args.baseline}" if args.baseline else ""
    lines = [
        "## Ingest (issue #18): CPU per feed of 100 full-content items",
        "",
        f"Run {date} with `python bench/bench_ingest.py --feeds {args.feeds} "
        f"--repeat {args.repeat}{baseline_flag}`; machine: {machine()}. CPU time per feed, "
        f"best of {args.repeat} in each of two alternating runs per checkout, on {args.feeds} "
        "farm feeds (every 5th Atom; 138 KB each).",
        "",
        "| Step | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        *(
            f"| {label} | " + " | ".join(f"{figures[n][key]:.1f} ms" for n in names) + " |"
            for label, key in STEPS
        ),
        "| **total for one feed** (build + pickle + batched save) | "
        + " | ".join(f"**{total(figures[n]):.1f} ms**" for n in names)
        + " |",
        "",
        "- Worker result pickled: "
        + ", ".join(f"{n} {figures[n]['pickled_kb']:.0f} KB" for n in names),
        *(
            f"- Opening an article of that cache ({n}, `store.article`, 200 articles): first "
            f"(renders and keeps it) {figures[n]['open_first_median']:.2f} ms median, "
            f"{figures[n]['open_first_max']:.2f} ms max; again "
            f"{figures[n]['open_again_median']:.2f} ms median"
            for n in names
        ),
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("ingest", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
