"""What handing a feed to a worker process costs: a first poll's parse and row building, or a
re-poll's parse, of the same farm feeds in worker processes and in the polling process.

Usage::

    python bench/bench_handover.py [--feeds 100] [--items 100] [--processes 2] [--job parse]

``--job first`` runs :func:`newsroom_tui.ingest.poll_jobs.first_poll_job` on every feed
through a :class:`~newsroom_tui.ingest.worker_pool.Workers` pool of ``--processes`` worker
processes, then of none (a thread of the polling process). ``--job parse`` runs a re-poll's
parse: ``parse_job`` in the worker processes (before), then
:func:`newsroom_tui.ingest.repoll_parse.parse_for_repoll` (here when the document is
ordinary, else a worker). At most twice ``--processes`` feeds at once, as the poller does.
Reported: wall time, CPU of the polling process and of the whole process tree (read from
/proc before the workers are closed), and the pickled size of one feed's result, which is
what crosses the pipe. No network, no store: only the hand-over and the work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_poll import _cpu_seconds, _tree
from feed_farm import render_atom, render_rss

from newsroom_tui.ingest.poll_jobs import first_poll_job, ordinary_parse_job, parse_job
from newsroom_tui.ingest.repoll_parse import parse_for_repoll
from newsroom_tui.ingest.worker_pool import Workers

BASE = "http://127.0.0.1:8123"


def _docs(feeds: int, items: int) -> list[bytes]:
    return [render_atom(i, items, BASE) if i % 5 == 0 else render_rss(i, items, BASE)
            for i in range(feeds)]  # fmt: skip


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _job(kind: str) -> tuple[Callable[..., object], tuple[object, ...]]:
    """The job and its arguments after the document's (data, url, content type)."""
    if kind in ("parse", "repoll"):
        return parse_job, (None,)
    return first_poll_job, ("never", None, False)


async def _run(docs: list[bytes], processes: int, kind: str) -> tuple[float, float, float]:
    fn, rest = _job(kind)
    workers = Workers(processes)
    gate = asyncio.Semaphore(max(processes, 1) * 2)
    # warm up: the fork server and the workers started, the modules imported
    await asyncio.gather(
        *(workers.run(fn, docs[0], BASE, None, *rest) for _ in range(max(processes, 1)))
    )  # fmt: skip
    if kind == "repoll":
        ordinary_parse_job(docs[0], BASE, None)  # the parser imported here too
    tree_before = sum(_cpu_seconds(p) for p in _tree(os.getpid()))
    self_before = _self_cpu()
    start = time.perf_counter()

    async def one(data: bytes) -> None:
        async with gate:
            if kind == "repoll":
                await parse_for_repoll(workers, data, BASE, None, None)
            else:
                await workers.run(fn, data, BASE, None, *rest)

    await asyncio.gather(*(one(d) for d in docs))
    wall = time.perf_counter() - start
    tree = sum(_cpu_seconds(p) for p in _tree(os.getpid())) - tree_before
    own = _self_cpu() - self_before
    await workers.close()
    return wall, own, tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--job", choices=("first", "parse"), default="first",
        help="first: a first poll's parse and rows; parse: a re-poll's parse only, in worker"
        " processes and as the poller now does it (parse_for_repoll)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    docs = _docs(args.feeds, args.items)
    fn, rest = _job(args.job)
    result = fn(docs[1], BASE, None, *rest)
    size = len(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        f"job {args.job}: {args.feeds} feeds x "
        f"{args.items} items; one feed's result pickled: {size / 1e3:.0f} KB"
    )
    print("| mode | wall s | CPU polling process s | CPU all processes s | CPU ms per feed |")
    print("|---|---:|---:|---:|---:|")
    here = ("parse_for_repoll: here, else a worker", args.processes, "repoll")
    if args.job == "first":
        here = ("in the polling process (a thread)", 0, args.job)
    workers = (f"{args.processes} worker processes (before)", args.processes, args.job)
    for name, processes, kind in (workers, here, workers, here):
        wall, own, tree = asyncio.run(_run(docs, processes, kind))
        print(
            f"| {name} | {wall:.2f} | {own:.2f} | {tree:.2f} | {tree * 1000 / args.feeds:.1f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
