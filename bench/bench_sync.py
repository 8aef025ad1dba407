"""Sync of a desk's account from a loopback fake server (tests/sync_server.py, run in its own
process so that it does not share the client's interpreter): a first sync of N unread items
(goal: 10,000 in under 10 s, nothing lost) and a sync with nothing changed (goal: under
0.5 s), for FreshRSS, Miniflux by its Google Reader API and Miniflux by its REST API. The
cache's side is the in-memory one of the tests (tests/sync_memory.py): this measures the
protocol and the engine, not the store.

    python bench/bench_sync.py [--items 10000] [--rounds 3] [--way freshrss ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom_tui.sync.detect import detect  # noqa: E402
from newsroom_tui.sync.engine import sync  # noqa: E402
from newsroom_tui.sync.transport import SyncHttp  # noqa: E402
from tests.sync_memory import MemoryLocal  # noqa: E402

WAYS = ["freshrss", "miniflux-greader", "miniflux-rest"]

_SERVE = """
import json, sys, time
sys.path.insert(0, {root!r})
from tests.sync_server import SyncServer
server = SyncServer({flavour!r}).start()
feeds = [server.add_feed("Polizei Bochum", "https://www.bochum.de/rss.xml", "Polizei"),
         server.add_feed("Stadt Herne", "https://www.herne.de/rss.xml", "Lokales")]
for n, feed in enumerate(feeds):
    server.add_items(feed, {items} // 2 + n * ({items} % 2), prefix=f"Feed {{n}}")
print(json.dumps({{"base": server.base, "items": len(server.items)}}), flush=True)
start = time.process_time()
for line in sys.stdin:
    print(f"{{time.process_time() - start:.3f}}", flush=True)  # the server's CPU since
    start = time.process_time()
"""


def serve(way: str, items: int) -> tuple[subprocess.Popen[str], dict[str, object]]:
    flavour = "freshrss" if way == "freshrss" else "miniflux"
    code = _SERVE.format(root=str(ROOT), flavour=flavour, items=items)
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    return child, json.loads(child.stdout.readline())


def server_cpu(child: subprocess.Popen[str]) -> float:
    """The server process's CPU seconds since the last ask."""
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("\n")
    child.stdin.flush()
    return float(child.stdout.readline())


async def one_round(way: str, base: str, child: subprocess.Popen[str]) -> list[float]:
    """Wall and CPU seconds (client, server) of a first sync and of a sync with nothing
    changed, and how many items came."""
    local = MemoryLocal()
    async with SyncHttp() as http:
        if way == "miniflux-rest":
            _, remote = await detect(http, base, token="miniflux-schluessel-0815")
        else:
            _, remote = await detect(http, base, user="redaktion", password="api-passwort-42")
        server_cpu(child)
        started, cpu = time.perf_counter(), time.process_time()
        await sync(remote, local)
        first = [time.perf_counter() - started, time.process_time() - cpu, server_cpu(child)]
        started, cpu = time.perf_counter(), time.process_time()
        again = await sync(remote, local)
        second = [time.perf_counter() - started, time.process_time() - cpu, server_cpu(child)]
    assert (again.new_items, again.updated) == (0, 0), again
    return [*first, *second, len(local.items)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--way", action="append", choices=WAYS)
    args = parser.parse_args()
    print(
        f"{'way':17} {'items':>6}  {'first sync: wall':>16} {'client':>6} {'server':>6}"
        f"  {'re-sync: wall':>13} {'client':>6} {'server':>6}  (median of {args.rounds}; CPU s)"
    )
    for way in args.way or WAYS:
        rounds = []
        child, info = serve(way, args.items)
        try:
            time.sleep(2)  # the items are older than the first sync (Miniflux's changed_after)
            for _ in range(args.rounds):
                numbers = asyncio.run(one_round(way, str(info["base"]), child))
                if numbers[-1] != info["items"]:
                    raise SystemExit(f"{way}: {numbers[-1]:.0f} of {info['items']} items synced")
                rounds.append(numbers)
        finally:
            child.stdin.close()  # type: ignore[union-attr]
            child.wait(10)
        m = [statistics.median(column) for column in zip(*rounds, strict=True)]
        print(
            f"{way:17} {m[6]:>6,.0f}  {m[0]:>15.2f}s {m[1]:>6.2f} {m[2]:>6.2f}"
            f"  {m[3]:>12.3f}s {m[4]:>6.3f} {m[5]:>6.3f}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
