"""The poll's HTTP client side by side: the httpx fetcher and the libcurl one (pycurl), on the
loopback feed farm, in one run, taking turns (the machine is shared: load drifts).

Each turn GETs every feed of the farm with a fresh fetcher (cold: new connections, full
bodies), then again with the ETag and Last-Modified of the first answers (all 304). Wall time
and this process's CPU time (the farm runs in a child process of its own); the figures are the
best of the turns of each client. With ``--poll`` each client also polls the farm into an empty
cache (the whole pipeline: ``poll_feeds`` with that fetcher), wall time and the CPU time of the
main process (where the fetching is; the worker processes parse).

    python bench/bench_fetch_client.py [--feeds 1000] [--items 100] [--turns 2] [--poll N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from feed_farm import FarmConfig, FarmProcess  # noqa: E402
from report import machine  # noqa: E402

from newsroom_tui.net.fetcher import Fetcher, FetchResult  # noqa: E402


def _client(name: str) -> Callable[..., Fetcher]:
    if name == "curl":
        from newsroom_tui.net.curl_fetcher import CurlFetcher

        return CurlFetcher
    return Fetcher


async def _fetch_all(make: Callable[..., Fetcher], urls: list[str]) -> tuple[float, float, int]:
    """(cold seconds, re-poll seconds, bytes) of wall time for GETting ``urls`` twice."""
    async with make() as fetcher:
        started = time.perf_counter()
        first: list[FetchResult] = await asyncio.gather(*(fetcher.get(u) for u in urls))
        cold = time.perf_counter() - started
    size = sum(len(r.content) for r in first)
    async with make() as fetcher:
        started = time.perf_counter()
        again = await asyncio.gather(
            *(
                fetcher.get(u, etag=r.etag, last_modified=r.last_modified)
                for u, r in zip(urls, first, strict=True)
            )
        )
        repoll = time.perf_counter() - started
    assert all(r.status == 304 for r in again), "the farm answered a re-poll with a body"
    return cold, repoll, size


def fetch_turn(name: str, urls: list[str]) -> dict[str, float]:
    make = _client(name)
    cpu0 = time.process_time()
    cold, repoll, size = asyncio.run(_fetch_all(make, urls))
    cpu = time.process_time() - cpu0
    return {"cold": cold, "repoll": repoll, "cpu": cpu, "bytes": size}


def poll_turn(name: str, urls: list[str]) -> dict[str, float]:
    """A cold poll of ``urls`` into an empty cache with this client."""
    from newsroom_tui.ingest.poller import poll_feeds
    from newsroom_tui.store import open_store

    make = _client(name)
    with tempfile.TemporaryDirectory(prefix="nr-client-") as data:
        store = open_store(Path(data))
        for url in urls:
            store.add_feed(url)

        async def poll() -> int:
            async with make() as fetcher:
                report = await poll_feeds(store, fetcher=fetcher)
            assert not report.failed, report.failed[0].error
            return report.new_articles

        cpu0 = time.process_time()
        started = time.perf_counter()
        new = asyncio.run(poll())
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu0
        store.close()
    return {"wall": wall, "cpu": cpu, "articles": new}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument("--poll", type=int, default=0, help="also poll this many feeds")
    args = parser.parse_args(argv)
    clients = ["httpx", "curl"]
    load_before = os.getloadavg()
    fetches: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
    polls: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
    with FarmProcess(FarmConfig(feeds=args.feeds, items=args.items)) as farm:
        urls = farm.feed_urls()
        for name in clients:  # imports and the farm's first answers out of the timing
            fetch_turn(name, urls[:20])
        for _ in range(args.turns):
            for name in clients:
                fetches[name].append(fetch_turn(name, urls))
                print(name, fetches[name][-1], file=sys.stderr)
        if args.poll:
            for _ in range(args.turns):
                for name in clients:
                    polls[name].append(poll_turn(name, urls[: args.poll]))
                    print(name, "poll", polls[name][-1], file=sys.stderr)
    load_after = os.getloadavg()

    def best(rows: list[dict[str, float]], key: str) -> float:
        return min(row[key] for row in rows)

    size = fetches["httpx"][0]["bytes"]
    print(
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/bench_fetch_client.py "
        f"--feeds {args.feeds} --items {args.items} --turns {args.turns}"
        + (f" --poll {args.poll}" if args.poll else "")
        + f"`; machine: {machine()}; load average before "
        f"{' '.join(f'{x:.2f}' for x in load_before)}, after "
        f"{' '.join(f'{x:.2f}' for x in load_after)}. The farm: {args.feeds:,} feeds x "
        f"{args.items} items, {size / 1e6:.0f} MB over loopback HTTP/1.1 (16 hosts), served "
        "by a child process; best of the turns, clients taking turns.\n"
    )
    print("| What | httpx | libcurl (pycurl) |")
    print("|---|---:|---:|")
    for label, key in (
        ("GET every feed, cold: wall", "cold"),
        ("GET every feed again, all 304: wall", "repoll"),
        ("CPU of this process for both", "cpu"),
    ):
        row = [best(fetches[c], key) for c in clients]
        print(f"| {label} | {row[0]:.2f} s | {row[1]:.2f} s |")
    per_feed = [best(fetches[c], "cpu") / (2 * args.feeds) * 1000 for c in clients]
    print(f"| CPU per GET (cold and 304 averaged) | {per_feed[0]:.2f} ms | {per_feed[1]:.2f} ms |")
    if args.poll:
        for label, key in (("wall", "wall"), ("CPU of the main process", "cpu")):
            row = [best(polls[c], key) for c in clients]
            print(
                f"| Cold poll of {args.poll} feeds into an empty cache: {label} |"
                f" {row[0]:.1f} s | {row[1]:.1f} s |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
