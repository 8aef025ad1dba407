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

``--floor`` measures instead the cheapest Python pipeline that still does what issue #18
asks, piece by piece (CPU per feed): a plain httpx GET from a loopback farm, the fastest
parser (fastfeedparser when installed), the sanitising security needs (titles, links, guids,
credits), the search text and its folding, and one transaction of ``executemany`` into our
SQLite schema with its full-text index; the gallery scan apart (what credits in the index
cost); and what that means for 1,000 feeds on 2 cores. Section "Ingest floor".
"""

from __future__ import annotations

import argparse
import contextlib
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
    try:
        from newsroom_tui.ingest.poll_jobs import first_poll_job
        from newsroom_tui.parse.registry import parse_feed
    except ImportError:  # a checkout from before newsroom_tui/parse/ (--baseline)
        from newsroom_tui.ingest.feeds import parse_feed  # type: ignore[no-redef]

        from newsroom_tui.ingest.poller import (  # type: ignore[no-redef]
            _first_poll_job as first_poll_job,
        )
    from newsroom_tui.store import SQLiteStore
    from newsroom_tui.store.base import FeedUpdate
    from newsroom_tui.text.search_text import fold

    if hasattr(SQLiteStore, "body_source"):
        from newsroom_tui.article_reading import read_article
    else:  # a tree from before the reading layer: its store renders on read

        def read_article(store: Any, article_id: int) -> Any:
            return store.article(article_id)

    docs = [
        render_atom(i, 100, BASE) if i % 5 == 0 else render_rss(i, 100, BASE)
        for i in range(1, feeds + 1)
    ]

    def per_feed(seconds: float) -> float:
        return seconds / len(docs) * 1000

    # the worker folds the full-text columns where the code does so (SQLite's worker_index)
    extra = {"index": True} if getattr(SQLiteStore, "worker_index", False) else {}

    def build() -> list[Any]:
        return [first_poll_job(d, f"{BASE}/f.xml", None, "auto", None, True, **extra) for d in docs]

    results = build()

    blobs = [pickle.dumps(r, protocol=5) for r in results]

    def save(batch: int, unpickle: bool = False) -> tuple[float, Any, float]:
        """The save as a poll makes it, and the CPU seconds of the search index made after
        it where the code does so (0 where the save indexes); ``unpickle``: with the main
        process's unpickling of the results."""
        store = SQLiteStore(Path(tempfile.mkdtemp(prefix="bench-ingest-")) / "cache.sqlite3")
        deferred = getattr(store, "deferred_index", None)
        ids = [store.add_feed(f"{BASE}/feed/{i}.xml")[0].id for i in range(len(results))]
        started = time.process_time()
        got = [pickle.loads(b) for b in blobs] if unpickle else results
        updates = [
            (feed_id, FeedUpdate(datetime.now(UTC), title=r.title, articles=list(r.items)))
            for feed_id, r in zip(ids, got, strict=True)
        ]
        many = getattr(store, "save_feed_updates", None)
        with deferred() if deferred is not None else contextlib.nullcontext():
            for start in range(0, len(updates), batch):
                chunk = updates[start : start + batch]
                if many is not None and batch > 1:
                    many(chunk)
                else:
                    for feed_id, update in chunk:
                        store.save_feed_update(feed_id, update)
        saved = time.process_time()
        if deferred is not None:
            store.catch_up_index()
        return saved - started, store, time.process_time() - saved

    texts = [f"{a.body_markdown} {a.summary}" for r in results for a in r.items]
    try:
        from newsroom_tui.ingest.article_build import _gallery_of
    except ImportError:  # a checkout from before the cheap body path: no such piece
        _gallery_of = None  # type: ignore[assignment]
    entries = [e for d in docs for e in parse_feed(d, f"{BASE}/f.xml").entries]

    def galleries() -> None:
        """The build's gallery scan, as the cheap body path makes it (content, else summary)."""
        assert _gallery_of is not None
        for e in entries:
            base = e.base_url or e.url
            if not (e.content_html and _gallery_of(e.content_html, base)) and e.summary_html:
                _gallery_of(e.summary_html, base)

    figures = {
        "parse": per_feed(best(lambda: [parse_feed(d, f"{BASE}/f.xml") for d in docs], repeat)),
        "build": per_feed(best(build, repeat)),
        "pickle": per_feed(
            best(lambda: [pickle.loads(pickle.dumps(r, protocol=5)) for r in results], repeat)
        ),
        "fold": per_feed(best(lambda: [fold(t) for t in texts], repeat)),
        "gallery": per_feed(best(galleries, repeat)) if _gallery_of is not None else 0.0,
        "pickled_kb": sum(len(pickle.dumps(r, protocol=5)) for r in results) / len(docs) / 1000,
    }
    figures["save"] = per_feed(min(save(1)[0] for _ in range(repeat)))
    saves = [save(BATCH) for _ in range(repeat)]
    figures["save_batched"] = per_feed(min(seconds for seconds, _, _ in saves))
    figures["index_after"] = per_feed(min(index for _, _, index in saves))
    figures["main"] = per_feed(min(save(BATCH, unpickle=True)[0] for _ in range(repeat)))
    store = saves[0][1]
    ids = [a.id for a in store.articles(limit=200)]
    first, again = [], []
    for target in (first, again):
        for article_id in ids:
            started = time.perf_counter()
            read_article(store, article_id)
            target.append((time.perf_counter() - started) * 1000)
    figures["open_first_median"] = statistics.median(first)
    figures["open_first_max"] = max(first)
    figures["open_again_median"] = statistics.median(again)
    return figures


def _floor_fetch(feeds: int) -> tuple[float, float]:
    """CPU ms per feed of GETting the farm's feeds over loopback: plain httpx (4 at a time,
    as our per-host limit), and our Fetcher (bounded decoding, conditional GET headers)."""
    import asyncio

    import httpx
    from feed_farm import FarmConfig, FarmProcess

    from newsroom_tui.net.fetcher import Fetcher

    async def plain(urls: list[str]) -> None:
        gate = asyncio.Semaphore(4)
        async with httpx.AsyncClient() as client:

            async def one(url: str) -> None:
                async with gate:
                    (await client.get(url)).raise_for_status()

            await asyncio.gather(*(one(u) for u in urls))

    async def ours(urls: list[str]) -> None:
        async with Fetcher() as fetcher:
            await asyncio.gather(*(fetcher.get(u) for u in urls))

    with FarmProcess(FarmConfig(feeds=feeds, items=100)) as farm:
        urls = farm.feed_urls()
        asyncio.run(plain(urls[:2]))  # imports and the first connection out of the timing
        costs = []
        for fetch in (plain, ours):
            started = time.process_time()
            asyncio.run(fetch(urls))
            costs.append((time.process_time() - started) / feeds * 1000)
    return costs[0], costs[1]


def measure_floor(feeds: int, repeat: int) -> dict[str, float]:
    """CPU ms per feed of each piece of the cheapest pipeline (see the module's doc)."""
    import html
    import marshal
    import re

    from newsroom_tui.ingest.article_body import search_text
    from newsroom_tui.models import BodySource

    try:
        from newsroom_tui.ingest.article_build import _gallery_of
        from newsroom_tui.parse.entity_guard import refuse_entity_attacks
        from newsroom_tui.parse.registry import parse_feed
    except ImportError:  # a checkout from before newsroom_tui/parse/ (--baseline)
        from newsroom_tui.ingest.feeds import (  # type: ignore[no-redef]
            parse_feed,
            refuse_entity_attacks,
        )

        from newsroom_tui.ingest.poller import _gallery_of  # type: ignore[no-redef]
    from newsroom_tui.store import SQLiteStore
    from newsroom_tui.text.sanitize import TITLE_MAX_CHARS, clean_line, clean_url, clip
    from newsroom_tui.text.search_text import fts_columns

    try:
        import fastfeedparser

        parser_name = f"fastfeedparser {fastfeedparser.__version__}"
    except ImportError:  # not installed: our own lxml fast path
        fastfeedparser = None
        parser_name = "our lxml fast path"
    docs = [
        render_atom(i, 100, BASE) if i % 5 == 0 else render_rss(i, 100, BASE)
        for i in range(1, feeds + 1)
    ]
    tag = re.compile(r"<[^<>]+>")

    def per_feed(seconds: float) -> float:
        return seconds / len(docs) * 1000

    def parse() -> list[list[dict[str, Any]]]:
        if fastfeedparser is None:
            return [
                [
                    {
                        "id": e.guid,
                        "link": e.url,
                        "title": e.title,
                        "published": e.published.isoformat() if e.published else None,
                        "description": e.summary_html,
                        "content": [{"value": e.content_html or ""}],
                        "media_content": [{"url": m.src, "credit": m.credit} for m in e.media],
                    }
                    for e in parse_feed(d, f"{BASE}/f.xml").entries
                ]
                for d in docs
            ]
        entries = []
        for d in docs:
            refuse_entity_attacks(d)  # XXE and entity expansion: refused before parsing
            entries.append(fastfeedparser.parse(d).entries)
        return entries

    parsed = parse()

    def sanitise() -> list[list[tuple[Any, ...]]]:
        """What security needs before anything is stored: one clean line for titles, guids
        and credits, refused URLs for links and images; the HTML is kept as it came (it is
        sanitised when it is rendered, at the first read)."""
        feeds_rows = []
        for entries in parsed:
            rows = []
            for e in entries:
                url = clean_url(e.get("link"))
                media = [
                    (src, "", clean_line(m.get("credit")) or None)
                    for m in e.get("media_content") or []
                    if (src := clean_url(m.get("url")))
                ]
                title = e.get("title") or ""
                if "<" in title or "&" in title:
                    title = html.unescape(tag.sub("", title))
                rows.append(
                    (
                        clean_line(e.get("id")) or url,
                        url,
                        clip(clean_line(title) or "(untitled)", TITLE_MAX_CHARS),
                        e.get("published"),
                        e.get("description") or "",
                        "\n".join(c.get("value", "") for c in e.get("content") or []) or None,
                        media,
                    )
                )
            feeds_rows.append(rows)
        return feeds_rows

    rows = sanitise()

    def texts() -> list[list[str]]:
        return [
            [search_text(BodySource(r[4], r[5], None)) for r in feed_rows] for feed_rows in rows
        ]

    bodies = texts()

    def folds() -> list[list[tuple[str, str, str]]]:
        return [
            [
                fts_columns(r[2], text, "", [g[1:] for g in r[6]])
                for r, text in zip(fr, tx, strict=True)
            ]
            for fr, tx in zip(rows, bodies, strict=True)
        ]

    folded = folds()

    def galleries() -> None:
        for feed_rows in rows:
            for r in feed_rows:
                if r[5]:
                    _gallery_of(r[5], None)

    def transfer() -> None:
        for feed_rows, tx, fo in zip(rows, bodies, folded, strict=True):
            marshal.loads(marshal.dumps([feed_rows, tx, fo]))

    def insert() -> float:
        store = SQLiteStore(Path(tempfile.mkdtemp(prefix="bench-floor-")) / "cache.sqlite3")
        ids = [store.add_feed(f"{BASE}/feed/{i}.xml")[0].id for i in range(len(rows))]
        conn = store._conn
        started = time.process_time()
        conn.execute("BEGIN IMMEDIATE")
        now = datetime.now(UTC).isoformat()
        for feed_id, feed_rows, tx, fo in zip(ids, rows, bodies, folded, strict=True):
            floor = conn.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
            conn.executemany(
                """INSERT INTO articles (feed_id, guid, url, title, published, sort_key,
                   summary, body, fetched, source) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?)
                   ON CONFLICT (feed_id, guid) DO NOTHING""",
                [
                    (feed_id, r[0], r[1], r[2], r[3], (r[3] or now)[:19], t, now, r[5])
                    for r, t in zip(feed_rows, tx, strict=True)
                ],
            )
            conn.executemany(
                """INSERT INTO gallery_items (article_id, position, src, caption, credit)
                   VALUES (?, ?, ?, ?, ?)""",
                [
                    (floor + 1 + n, pos, *item)
                    for n, r in enumerate(feed_rows)
                    for pos, item in enumerate(r[6])
                ],
            )
            conn.executemany(
                "INSERT INTO articles_fts (rowid, title, body, credits) VALUES (?, ?, ?, ?)",
                [(floor + 1 + n, *f) for n, f in enumerate(fo)],
            )
        conn.execute("COMMIT")
        seconds = time.process_time() - started
        assert store.count_articles() == sum(len(r) for r in rows)
        store.close()
        return seconds

    figures = {
        "parse": per_feed(best(parse, repeat)),
        "sanitise": per_feed(best(sanitise, repeat)),
        "search_text": per_feed(best(texts, repeat)),
        "fold": per_feed(best(folds, repeat)),
        "transfer": per_feed(best(transfer, repeat)),
        "insert": per_feed(min(insert() for _ in range(repeat))),
        "gallery": per_feed(best(galleries, repeat)),
    }
    figures["fetch"], figures["fetch_ours"] = _floor_fetch(len(docs))
    figures["parser"] = parser_name  # type: ignore[assignment]
    return figures


FLOOR_PIECES = [
    (
        "GET of the feed over loopback, our Fetcher (client side: size cap, bounded decoding)",
        "fetch_ours",
    ),
    ("parse ({parser}), after the XML entity guard", "parse"),
    ("sanitise titles, guids, links, image URLs, credits", "sanitise"),
    ("search text of each entry's HTML (tags out, entities, links)", "search_text"),
    ("fold the full-text columns", "fold"),
    ("hand the rows to the writer (marshal round trip)", "transfer"),
    ("insert: articles, gallery, FTS5 rows; one transaction (single writer)", "insert"),
]


def floor_report(feeds: int, repeat: int) -> list[str]:
    f = measure_floor(feeds, repeat)
    keys = [key for _, key in FLOOR_PIECES]
    total = sum(f[k] for k in keys)
    serial = f["insert"]  # one writer: the transaction cannot be shared between cores
    with_gallery = total + f["gallery"]
    wall = max(total * 1000 / 2, serial * 1000) / 1000
    wall_gallery = max(with_gallery * 1000 / 2, serial * 1000) / 1000
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        "## Ingest floor (issue #18): the cheapest Python pipeline, CPU per feed",
        "",
        f"Run {date} with `python bench/bench_ingest.py --floor --feeds {feeds} --repeat "
        f"{repeat}`; machine: {machine()}; load average before: {_load()}. CPU time per feed "
        f"of 100 full-content items (farm feeds, every 5th Atom), best of {repeat}.",
        "",
        "| Piece | CPU per feed |",
        "|---|---:|",
        *(
            f"| {label.format(parser=f['parser'])} | {f[key]:.2f} ms |"
            for label, key in FLOOR_PIECES
        ),
        f"| **total** | **{total:.2f} ms** |",
        f"| gallery scan of entries with `<img>` (captions, credits for the index) | "
        f"{f['gallery']:.2f} ms |",
        f"| (plain httpx instead of our Fetcher, for comparison) | {f['fetch']:.2f} ms |",
        "",
        f"- 1,000 feeds on 2 cores, perfectly parallel, the insert on one core: at least "
        f"**{wall:.1f} s** ({total:.1f} ms x 1,000 / 2; the single writer alone "
        f"{serial * 1000 / 1000:.1f} s); with the gallery scan {wall_gallery:.1f} s.",
    ]


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


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
    ("of the build: the gallery scan of the entries (content, else summary)", "gallery"),
    ("pickle round trip of the worker's result", "pickle"),
    ("SQLite save, one feed per transaction", "save"),
    (f"SQLite save, {BATCH} feeds per transaction", "save_batched"),
    (
        "search folding of the articles' text, alone (the worker's before; the indexer's now)",
        "fold",
    ),
    (f"main process: unpickle the results, save {BATCH} feeds per transaction", "main"),
    ("search index made after the writes (`catch_up_index`; 0: in the save)", "index_after"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--baseline", type=Path, help="a checkout to measure side by side")
    parser.add_argument("--tree", type=Path, default=HERE.parent, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help="the cheapest pipeline, per piece")
    args = parser.parse_args(argv)
    if args.floor:
        lines = floor_report(args.feeds, args.repeat)
        print("\n".join(lines))
        if not args.no_write:
            write_section("ingest-floor", "\n".join(lines))
        return 0
    if args.json:  # a child process: the code of --tree
        sys.path.insert(0, str(args.tree.resolve()))
        print(json.dumps(measure(args.feeds, args.repeat)))
        return 0
    load_before = _load()
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
        name: {
            key: min(run.get(key, 0.0) for run in results)
            for key in {*results[0], "index_after", "gallery"}
        }
        for name, results in runs.items()
    }

    def path(f: dict[str, float]) -> float:
        return f["build"] + f["pickle"] + f["save_batched"]

    def total(f: dict[str, float]) -> float:
        return path(f) + f["index_after"]

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    baseline_flag = f" --baseline {args.baseline}" if args.baseline else ""
    lines = [
        "## Ingest (issue #18): CPU per feed of 100 full-content items",
        "",
        f"Run {date} with `python bench/bench_ingest.py --feeds {args.feeds} "
        f"--repeat {args.repeat}{baseline_flag}`; machine: {machine()}. CPU time per feed, "
        f"best of {args.repeat} in each of two alternating runs per checkout, on {args.feeds} "
        f"farm feeds (every 5th Atom; 138 KB each). Load average before: {load_before}, "
        f"after: {_load()}.",
        "",
        "| Step | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        *(
            f"| {label} | " + " | ".join(f"{figures[n][key]:.1f} ms" for n in names) + " |"
            for label, key in STEPS
        ),
        "| **on the poll's path, one feed** (build + pickle + batched save) | "
        + " | ".join(f"**{path(figures[n]):.1f} ms**" for n in names)
        + " |",
        "| **total for one feed** (the same and the index made after) | "
        + " | ".join(f"**{total(figures[n]):.1f} ms**" for n in names)
        + " |",
        "",
        "- Worker result pickled: "
        + ", ".join(f"{n} {figures[n]['pickled_kb']:.0f} KB" for n in names),
        *(
            f"- Opening an article of that cache ({n}, as the reader opens it, 200 articles): "
            f"first (renders and keeps it) {figures[n]['open_first_median']:.2f} ms median, "
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
