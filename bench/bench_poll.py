"""Polling benchmark: cold poll, re-poll (all 304), newsboat side by side, summary-only pages.

    python bench/bench_poll.py [--feeds 1000 --items 100] [--summary-feeds 50 --summary-items 20]
                               [--baseline DIR]

``--baseline DIR`` runs the newsroom of another checkout (``git worktree add DIR c6da7c1``)
on the same farm, interleaved with this one (its cold poll, ours, its re-poll, ours), and
times opening articles of both caches: before and after, side by side in one run.

Starts the feed farm (bench/feed_farm.py) in its own process, runs ``newsroom fetch`` as a
child process (wall time; peak memory of the process tree, sampled from /proc, and the largest
single process from wait4), then the same poll again (every feed answers 304), then newsboat's
cold poll of the same URLs when ``newsboat`` is on PATH, then a summary-only run whose article
pages are fetched and extracted. The figures go to the "Polling" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from feed_farm import FarmConfig, FarmProcess
from report import RESULTS, machine, write_section

ADD_BATCH = 500


# Measuring a child process --------------------------------------------------------------


@dataclass
class Run:
    command: str
    wall: float
    returncode: int
    max_rss_mb: float  # the largest single process (wait4 / ru_maxrss)
    tree_rss_mb: float  # peak of the summed RSS of the process tree (sampled)
    tree_pss_mb: float  # peak of the summed PSS (shared pages split between processes)
    cpu_s: float = 0.0  # user + system CPU time of the whole tree (sampled per process)
    main_cpu_s: float = 0.0  # of which the newsroom process itself (wait4, exact)
    stdout: str = ""
    stderr: str = ""
    farm: dict[str, object] = field(default_factory=dict)
    # CPU s by process, summed over processes of one kind (poller, fork server, workers, ...)
    by_process: dict[str, float] = field(default_factory=dict)
    farm_cpu_s: float = 0.0  # the feed farm's CPU during the run (not in cpu_s)
    processes: dict[str, int] = field(default_factory=dict)  # how many of each kind ran

    def counts(self) -> dict[str, int]:
        raw = self.farm.get("counts", {})
        return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return found


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        seen.append(current)
        todo += _children(current)
    return seen


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def _kind(pid: int, root: int) -> str:
    """What a process of the polling tree is: the poller itself, multiprocessing's fork
    server and resource tracker, or a worker (forked by the fork server)."""
    if pid == root:
        return "poller"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "forkserver" in cmdline:
        # the workers are forked from the fork server and share its command line
        try:
            with open(f"/proc/{pid}/stat") as fh:
                parent = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            parent = root
        return "fork server" if parent == root else "workers"
    if "resource_tracker" in cmdline:
        return "resource tracker"
    return "other"


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; zeros when it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.cpu: dict[int, float] = {}
        self.kinds: dict[int, str] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss = pss = 0
            for pid in _tree(self.pid):
                r, p = _memory_kb(pid)
                rss, pss = rss + r, pss + p
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))
                if pid not in self.kinds:
                    self.kinds[pid] = _kind(pid, self.pid)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.done.wait(self.interval)


def measure(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    farm_pid: int | None = None,
) -> Run:
    farm_before = _cpu_seconds(farm_pid) if farm_pid else 0.0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=cwd)
        sampler = _Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        # The root's own figure from wait4 is exact (and includes the children it reaped).
        root_cpu = usage.ru_utime + usage.ru_stime
        # Only the root's own CPU: wait4's figure also holds the children it reaped, which
        # the sampler counts already (a fork server reaps its workers, not the root).
        root_own = usage.ru_utime + usage.ru_stime
        others = sum(v for pid, v in sampler.cpu.items() if pid != proc.pid)
        by_process: dict[str, float] = {"poller": root_own}
        processes: dict[str, int] = {"poller": 1}
        for pid, cpu in sampler.cpu.items():
            if pid != proc.pid:
                kind = sampler.kinds.get(pid, "other")
                by_process[kind] = by_process.get(kind, 0.0) + cpu
                processes[kind] = processes.get(kind, 0) + 1
        farm_cpu = _cpu_seconds(farm_pid) - farm_before if farm_pid else 0.0
        out.seek(0)
        err.seek(0)
        return Run(
            command=" ".join(args[:6]) + (" …" if len(args) > 6 else ""),
            wall=wall,
            returncode=proc.returncode,
            max_rss_mb=usage.ru_maxrss / 1024,
            tree_rss_mb=sampler.peak_rss / 1024,
            tree_pss_mb=sampler.peak_pss / 1024,
            cpu_s=root_cpu + others,
            main_cpu_s=root_cpu,
            stdout=out.read(),
            stderr=err.read(),
            by_process=by_process,
            processes=processes,
            farm_cpu_s=farm_cpu,
        )


# The runs -------------------------------------------------------------------------------


def newsroom_command() -> list[str]:
    exe = shutil.which("newsroom")
    return [exe] if exe else [sys.executable, "-m", "newsroom_tui"]


@dataclass(frozen=True)
class Newsroom:
    """A newsroom to run: this checkout (``tree`` None) or another one's sources."""

    name: str
    tree: Path | None = None

    @property
    def python(self) -> str:
        """The checkout's own venv (its own dependencies) when it has one."""
        own = self.tree / ".venv" / "bin" / "python" if self.tree else None
        return str(own) if own and own.exists() else sys.executable

    def command(self) -> list[str]:
        return [self.python, "-m", "newsroom_tui"] if self.tree else newsroom_command()

    @property
    def cwd(self) -> Path | None:
        """Where it runs: another checkout in its own directory, since ``python -m`` and
        ``python -c`` put the working directory first on ``sys.path`` (run from this
        checkout, the baseline imported this checkout's package, not its own)."""
        return self.tree

    def env(self) -> dict[str, str]:
        from loopback_pages import loopback_env

        tree = {"PYTHONPATH": str(self.tree)} if self.tree else {}
        return {**os.environ, **tree, **loopback_env(self.tree)}


OURS = Newsroom("newsroom")

# Opens articles of a polled cache the way the reader does (read_article), each twice.
_OPEN_SCRIPT = """
import json, statistics, sys, time
from pathlib import Path
from newsroom_tui.store import SQLiteStore, open_store
if hasattr(SQLiteStore, "body_source"):
    from newsroom_tui.article_reading import read_article
else:  # a tree from before the reading layer: its store renders on read
    def read_article(store, article_id):
        return store.article(article_id)
store = open_store(Path(sys.argv[1]))
ids = [a.id for a in store.articles()]
ids = ids[:: max(1, len(ids) // int(sys.argv[2]))]
times = {"first": [], "again": []}
for key in times:
    for i in ids:
        t = time.perf_counter()
        read_article(store, i)
        times[key].append((time.perf_counter() - t) * 1000)
print(json.dumps({k: [statistics.median(v), sorted(v)[int(len(v) * 0.95)], max(v)]
                  for k, v in times.items()}))
"""


def open_times(newsroom: Newsroom, data_dir: Path, count: int = 200) -> dict[str, list[float]]:
    """Median, 95th percentile and maximum ms of opening ``count`` articles, first and again."""
    out = subprocess.run(
        [newsroom.python, "-c", _OPEN_SCRIPT, str(data_dir), str(count)],
        capture_output=True,
        text=True,
        check=True,
        env=newsroom.env(),
        cwd=newsroom.cwd,
    )
    return dict(json.loads(out.stdout))


def subscribe(data_dir: Path, urls: list[str], newsroom: Newsroom = OURS) -> None:
    for start in range(0, len(urls), ADD_BATCH):
        subprocess.run(
            [
                *newsroom.command(),
                "--data-dir",
                str(data_dir),
                "add",
                "--force",  # the farm's feeds are known; add need not look at each first
                *urls[start : start + ADD_BATCH],
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env=newsroom.env(),
            cwd=newsroom.cwd,
        )


def newsroom_fetch(farm: FarmProcess, data_dir: Path, newsroom: Newsroom = OURS) -> Run:
    farm.reset_stats()
    run = measure(
        [*newsroom.command(), "--data-dir", str(data_dir), "fetch", "--json"],
        env=newsroom.env(),
        cwd=newsroom.cwd,
        farm_pid=farm.pid,
    )
    run.farm = farm.stats()
    return run


def newsboat_fetch(farm: FarmProcess, urls: list[str], work: Path, threads: int) -> Run:
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    (work / "urls").write_text("\n".join(urls) + "\n")
    (work / "config").write_text(f"reload-threads {threads}\n")
    env = {**os.environ, "HOME": str(home)}
    farm.reset_stats()
    run = measure(
        [
            "newsboat",
            "-x",
            "reload",
            "-u",
            str(work / "urls"),
            "-c",
            str(work / "cache.db"),
            "-C",
            str(work / "config"),
        ],
        env=env,
        cwd=work,
    )
    run.farm = farm.stats()
    return run


def _json_out(run: Run) -> dict[str, object]:
    try:
        return dict(json.loads(run.stdout))
    except (ValueError, TypeError):
        return {}


def describe(name: str, run: Run) -> str:
    return (
        f"{name}: {run.wall:.2f} s, CPU {run.cpu_s:.1f} s (main process {run.main_cpu_s:.1f} s), "
        f"exit {run.returncode}, "
        f"peak tree RSS {run.tree_rss_mb:.0f} MB "
        f"(PSS {run.tree_pss_mb:.0f} MB, largest process {run.max_rss_mb:.0f} MB), "
        f"farm {run.counts()}\n"
        f"  CPU by process: "
        + ", ".join(
            f"{k} {v:.1f} s ({run.processes.get(k, 0)})" for k, v in sorted(run.by_process.items())
        )
        + f"; the feed farm (not counted above) {run.farm_cpu_s:.2f} s"
    )


# Machine and report ---------------------------------------------------------------------


def newsboat_version() -> str:
    try:
        out = subprocess.run(["newsboat", "-v"], capture_output=True, text=True, check=False)
    except OSError:
        return "?"
    first = out.stdout.splitlines()[0] if out.stdout else "newsboat ?"
    return first.split(" - ")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--summary-feeds", type=int, default=50)
    parser.add_argument("--summary-items", type=int, default=20)
    parser.add_argument("--newsboat-threads", type=int, default=16)
    parser.add_argument("--no-newsboat", action="store_true", help="skip newsboat")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument(
        "--baseline", type=Path, help="a checkout to run side by side (before/after)"
    )
    args = parser.parse_args(argv)
    base = Newsroom(f"baseline ({args.baseline.name})", args.baseline) if args.baseline else None

    config = FarmConfig(
        feeds=args.feeds,
        items=args.items,
        summary_feeds=args.summary_feeds,
        summary_items=args.summary_items,
    )
    print(f"machine: {machine()}", flush=True)
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f}", flush=True)
    lines: list[str] = []
    with FarmProcess(config) as farm, tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
        work = Path(tmp)
        urls = farm.feed_urls()
        print(
            f"farm {farm.base}: {args.feeds} feeds x {args.items} items, "
            f"{farm.feed_bytes / 1e6:.1f} MB of feed XML",
            flush=True,
        )
        subscribe(work / "ours", urls)
        if base:
            subscribe(work / "base", urls, base)

        base_cold = base_again = None
        if base:
            base_cold = newsroom_fetch(farm, work / "base", base)
            print(describe(f"{base.name} cold", base_cold), flush=True)
        cold = newsroom_fetch(farm, work / "ours")
        print(describe("newsroom cold", cold), flush=True)
        cold_json = _json_out(cold)
        print(f"  {cold_json.get('new_articles')} new articles", flush=True)
        index = cold_json.get("search_index")
        if isinstance(index, dict):  # the search index made after the articles were stored
            stored = cold.wall - float(index["seconds"])
            print(
                f"  stored after {stored:.2f} s; search index of {index['indexed']} articles "
                f"made after that in {float(index['seconds']):.2f} s",
                flush=True,
            )
        if base:
            base_again = newsroom_fetch(farm, work / "base", base)
            print(describe(f"{base.name} re-poll", base_again), flush=True)
        again = newsroom_fetch(farm, work / "ours")
        print(describe("newsroom re-poll", again), flush=True)
        opens = {"newsroom": open_times(OURS, work / "ours")}
        if base:
            opens[base.name] = open_times(base, work / "base")
        for name, figures in opens.items():
            print(f"{name} opening articles (median, p95, max ms): {figures}", flush=True)

        boat: Run | None = None
        if not args.no_newsboat and shutil.which("newsboat"):
            boat = newsboat_fetch(farm, urls, work / "newsboat", args.newsboat_threads)
            print(describe("newsboat cold", boat), flush=True)

        summary: Run | None = None
        pages = 0
        if args.summary_feeds:
            subscribe(work / "summary", farm.summary_urls())
            summary = newsroom_fetch(farm, work / "summary")
            pages = summary.counts().get("page_200", 0)
            print(describe("newsroom summary-only", summary), flush=True)
            print(
                f"  {pages} pages in {summary.wall:.2f} s = {pages / summary.wall:.1f} pages/s; "
                f"distinct {summary.farm.get('pages_distinct')}, "
                f"max fetches of one page {summary.farm.get('pages_max_hits')}",
                flush=True,
            )

        ratio = cold.wall / boat.wall if boat else None
        if ratio is not None:
            print(f"ratio newsroom/newsboat cold: {ratio:.2f}", flush=True)
        print(f"re-poll / cold: {again.wall / cold.wall:.1%}", flush=True)

        date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines += [
            "## Polling",
            "",
            f"Run {date} with `python bench/bench_poll.py --feeds {args.feeds} "
            f"--items {args.items} --summary-feeds {args.summary_feeds} "
            f"--summary-items {args.summary_items}`.",
            "",
            f"- Machine: {machine()}",
            f"- Farm: loopback (`bench/feed_farm.py`, own process), {args.feeds} feeds x "
            f"{args.items} items with full content ({farm.feed_bytes / 1e6:.0f} MB of XML, "
            "every 5th feed Atom), ETag + Last-Modified",
            "- Memory: peak of the summed RSS of the polling process tree, sampled every 50 ms "
            "(PSS counts pages shared by forked workers once)",
            f"- Load average before the run: {load_before[0]:.2f}; after: "
            f"{os.getloadavg()[0]:.2f} (other work on the machine slows both clients)",
            "",
            "| Run | Wall time | CPU (user+sys) | of it the main process | Peak RSS (tree) "
            "| Peak PSS (tree) | Requests |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]

        def row(name: str, run: Run) -> str:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts().items()))
            return (
                f"| {name} | {run.wall:.2f} s | {run.cpu_s:.1f} s | {run.main_cpu_s:.1f} s | "
                f"{run.tree_rss_mb:.0f} MB | "
                f"{run.tree_pss_mb:.0f} MB | {counts} |"
            )

        if base and base_cold and base_again:
            lines.append(row(f"{base.name} cold poll", base_cold))
        lines.append(row("newsroom cold poll", cold))
        if base and base_again:
            lines.append(row(f"{base.name} re-poll (unchanged)", base_again))
        lines.append(row("newsroom re-poll (unchanged)", again))
        if boat:
            lines.append(
                row(f"{newsboat_version()} cold (`reload-threads {args.newsboat_threads}`)", boat)
            )
        if summary:
            lines.append(
                row(
                    f"newsroom summary-only, {args.summary_feeds} x {args.summary_items} "
                    "with pages",
                    summary,
                )
            )
        lines.append("")
        if ratio is not None:
            lines.append(f"- Cold poll ratio newsroom / newsboat: **{ratio:.2f}** (goal ≤ 1.0)")
        lines.append(
            f"- Re-poll / cold: **{again.wall / cold.wall:.1%}** (goal < 10 %); "
            f"peak memory cold **{cold.tree_rss_mb:.0f} MB** RSS / "
            f"{cold.tree_pss_mb:.0f} MB PSS (goal ≤ 300 MB)"
        )
        lines.append(f"- New articles stored by the cold poll: {cold_json.get('new_articles')}")
        if base and base_cold:
            lines.append(
                f"- Cold poll {base.name} → newsroom: {base_cold.wall:.2f} s → "
                f"**{cold.wall:.2f} s** wall, {base_cold.cpu_s:.1f} s → **{cold.cpu_s:.1f} s** CPU"
            )
        for name, figures in opens.items():
            first, again_ = figures["first"], figures["again"]
            lines.append(
                f"- Opening an article ({name}, 200 of the cold cache, `store.article`): "
                f"first {first[0]:.2f} ms median / {first[1]:.2f} ms p95 / {first[2]:.2f} ms max, "
                f"again {again_[0]:.2f} ms median"
            )
        if summary:
            lines.append(
                f"- Summary-only feeds: **{pages / summary.wall:.1f} pages/s** fetched and "
                f"extracted ({pages} pages, each fetched at most "
                f"{summary.farm.get('pages_max_hits')} time(s))"
            )
        failed = [r for r in (cold, again, summary) if r and r.returncode != 0]
        for r in failed:
            lines.append(f"- `{r.command}` exited {r.returncode}: {r.stderr.strip()[:300]}")

    if not args.no_write:
        write_section("polling", "\n".join(lines))
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
