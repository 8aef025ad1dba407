"""Where a cold poll's CPU goes, by process: the poller's parts and the workers' functions.

    python bench/profile_poll.py [--feeds 200] [--items 100] [--top 30]

Starts the feed farm, subscribes a fresh cache to its feeds and runs ``newsroom fetch`` once,
in a child process of its own (this checkout's code, first on ``PYTHONPATH``), with two
probes that the package knows nothing of:

- in the poller, the thread CPU time spent inside its parts (the writer's transactions, the
  search index, the hand-over to and from the workers, the stories' decisions) is summed
  around those methods, and printed with the process's whole CPU: what is left is the event
  loop, the fetches and the start-up;
- in each worker (a child of multiprocessing's fork server), cProfile runs on its main
  thread with the thread's CPU time as its clock, and dumps its stats after every fifth
  reply (the workers are killed at the poll's end, so nothing waits for ``atexit``); the
  workers' stats are merged and printed by cumulative time. cProfile about doubles the
  workers' time: read the shares, not the seconds.

The probes are a ``sitecustomize`` module in a temporary directory put first on the child's
``PYTHONPATH`` (it acts only in the fork server's children and in the run's poller).
"""

from __future__ import annotations

import argparse
import glob
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_poll import newsroom_command, subscribe
from feed_farm import FarmConfig, FarmProcess
from loopback_pages import loopback_env

ROOT = Path(__file__).resolve().parent.parent

_SITE = """
import os, sys

_WORKERS = os.environ.get("PROFILE_POLL_WORKERS")
_PARTS = os.environ.get("PROFILE_POLL_PARTS")

if _WORKERS and sys.argv[:1] == ["-c"]:  # the fork server: profile each child it forks
    def _child():
        import cProfile, time
        from multiprocessing import connection

        prof = cProfile.Profile(time.thread_time)
        out = os.path.join(_WORKERS, f"w-{os.getpid()}.prof")
        send = connection.Connection.send
        sent = [0]

        def counted(self, obj):
            send(self, obj)
            sent[0] += 1
            if sent[0] % 5 == 0:
                prof.dump_stats(out)
                prof.enable()

        connection.Connection.send = counted
        prof.enable()

    os.register_at_fork(after_in_child=_child)

elif _PARTS and os.environ.pop("PROFILE_POLL_ROOT", None):  # the poller, not its children
    import atexit, time
    from collections import defaultdict

    _spent = defaultdict(float)
    _calls = defaultdict(int)

    def _wrap(owner, name, label):
        fn = getattr(owner, name)

        def wrapped(*args, **kwargs):
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                _spent[label] += time.thread_time() - started
                _calls[label] += 1

        setattr(owner, name, wrapped)

    def _install():
        from newsroom_tui.ingest import story_assignment, worker_pool
        from newsroom_tui.store.sqlite import SQLiteStore

        _wrap(SQLiteStore, "save_feed_updates", "save: transactions (articles, stories, watch)")
        _wrap(SQLiteStore, "catch_up_index", "search index (fold, FTS5 insert)")
        _wrap(worker_pool._Process, "call", "hand-over (send the job, receive the result)")
        _wrap(story_assignment.PollStories, "decide", "of the save: the stories' decisions")

    def _report():
        cpu = time.process_time()
        with open(_PARTS, "w") as out:
            out.write(f"process\\t{cpu:.3f}\\t1\\n")
            for label, seconds in _spent.items():
                out.write(f"{label}\\t{seconds:.3f}\\t{_calls[label]}\\n")

    _install()
    atexit.register(_report)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    with (
        FarmProcess(FarmConfig(feeds=args.feeds, items=args.items)) as farm,
        tempfile.TemporaryDirectory(prefix="profile-poll-") as tmp,
    ):
        work = Path(tmp)
        (work / "site").mkdir()
        (work / "site" / "sitecustomize.py").write_text(_SITE)
        (work / "workers").mkdir()
        subscribe(work / "cache", farm.feed_urls())
        path = os.pathsep.join([str(work / "site"), os.environ.get("PYTHONPATH") or str(ROOT)])
        env = {
            **os.environ,
            **loopback_env(None),
            "PYTHONPATH": path,
            "PROFILE_POLL_WORKERS": str(work / "workers"),
            "PROFILE_POLL_PARTS": str(work / "parts.tsv"),
            "PROFILE_POLL_ROOT": "1",
        }
        print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [*newsroom_command(), "--data-dir", str(work / "cache"), "fetch", "--json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"{args.feeds} x {args.items} cold poll: {time.perf_counter() - started:.2f} s wall, "
            f"load average after {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        print("\nthe poller (thread CPU inside each part):")
        for line in (work / "parts.tsv").read_text().splitlines():
            label, seconds, calls = line.split("\t")
            per_feed = float(seconds) / args.feeds * 1000
            if label == "process":
                print(f"  the whole process: {float(seconds):.2f} s, start-up included")
            else:
                print(
                    f"  {label}: {float(seconds):.2f} s ({per_feed:.1f} ms a feed, {calls} calls)"
                )
        dumps = glob.glob(str(work / "workers" / "*.prof"))
        if not dumps:
            print("\nno worker stats (fewer than five jobs a worker?)")
            return 0
        out = io.StringIO()
        stats = pstats.Stats(*dumps, stream=out)
        total = float(getattr(stats, "total_tt", 0.0))
        print(f"\nthe workers ({len(dumps)}), cProfile, {total:.2f} s in all:")
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue().split("\n", 4)[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
