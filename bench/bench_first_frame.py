"""CPU time from launch until the reader's first frame holding the newest title is on the
terminal, for checkouts taking turns (and a bare Textual app with a header, a 40-row list
and a footer, as the floor: issue #25's), each launched in tmux at 130x40 with --no-poll
(--poll: polling on start, as a user starts it):

    cd /tmp && python /path/to/bench/bench_first_frame.py CACHE_DIR [--runs 8] TREE[=CACHE]...

Each TREE is a checkout, first on PYTHONPATH; ``TREE=CACHE`` runs it on a cache of its own
(a checkout too old for today's schema, on its own copy of the cache). Prints, per side, the
medians of the wall time and of the process's CPU time (all its threads) until Textual's
writer thread has flushed that frame to the terminal, and the CPU time spent before and after
``App.run``. CPU time moves less than the wall clock with the machine's load, so sides
compare within one run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOCKET = f"newsroom-first-frame-{os.getpid()}"

# Runs inside the launched process, which imports Textual as the reader would (the
# command's own start may come first): wraps the file Textual's Linux driver writes to, and
# at the flush that puts the first frame holding the title on the terminal (in Textual's
# writer thread) writes "wall cpu cpu-at-App.run" and exits at once.
PROBE = r"""
import importlib.machinery, os, sys, time
T0, OUT, WANT = float(sys.argv[1]), sys.argv[2], sys.argv[3]
at_run = []
class Terminal:
    def __init__(self, file):
        self.file, self.due = file, False
    def __getattr__(self, name):
        return getattr(self.file, name)
    def write(self, text):
        self.due = self.due or WANT in text
        return self.file.write(text)
    def flush(self):
        self.file.flush()
        if self.due:
            with open(OUT, "w") as f:
                f.write(f"{time.time() - T0} {time.process_time()} {at_run[0]}\n")
            os._exit(0)
sys.__stderr__ = Terminal(sys.__stderr__)
def probed(App):
    run = App.run
    def probed_run(self, *args, **kwargs):
        at_run.append(time.process_time())
        return run(self, *args, **kwargs)
    App.run = probed_run
class Probe:  # patches App.run once textual.app is imported, whoever imports it
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "textual.app":
            return None
        sys.meta_path.remove(Probe)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        exec_module = spec.loader.exec_module
        def exec_probed(module):
            exec_module(module)
            probed(module.App)
        spec.loader.exec_module = exec_probed
        return spec
sys.meta_path.insert(0, Probe)
if sys.argv[4] == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, OptionList
    class Bare(App):
        BINDINGS = [("q", "quit", "Quit")]
        def compose(self):
            yield Header()
            yield OptionList(WANT, *(f"Meldung {n} der Stadt Herne" for n in range(1, 40)))
            yield Footer()
    Bare().run()
else:
    from newsroom_tui.cli import main
    sys.argv = ["newsroom", "--data-dir", sys.argv[4], *sys.argv[5:]]
    main()
"""


def tmux(*args: str) -> None:
    subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, check=False)


def launch(probe: Path, side: str, cache: Path, title: str, poll: bool) -> list[float]:
    tree, _, own_cache = side.partition("=")
    cache = Path(own_cache) if own_cache else cache
    with tempfile.TemporaryDirectory(prefix="newsroom-first-frame-") as tmp:
        out = Path(tmp) / "out"
        env = f"env PYTHONPATH={shlex.quote(tree)} " if tree != "bare" else ""
        target = "bare" if tree == "bare" else str(cache)
        command = env + shlex.join(
            [sys.executable, str(probe), str(time.time()), str(out), title, target]
            + ([] if poll else ["--no-poll"])
        )
        tmux("new-session", "-d", "-s", "probe", "-x", "130", "-y", "40", command)
        deadline = time.monotonic() + 60
        while not (out.exists() and out.read_text().endswith("\n")):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{tree}: no title on the terminal within 60 s")
            time.sleep(0.02)
        tmux("kill-session", "-t", "probe")
        return [float(x) for x in out.read_text().split()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path, help="a data dir with a cache (bench_ui builds one)")
    parser.add_argument("trees", nargs="+", help="checkouts to compare ('bare': the floor)")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument(
        "--poll", action="store_true", help="poll on start, as a user starts it (bench_ui)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from newsroom_tui.store import open_store  # the newest title, as the cache has it

    store = open_store(args.cache)
    title = store.articles(limit=1)[0].title[:30]
    store.close()
    for side in args.trees:
        if side != "bare":
            compileall.compile_dir(Path(side.partition("=")[0]) / "newsroom_tui", quiet=1)
    results: dict[str, list[list[float]]] = {tree: [] for tree in args.trees}
    with tempfile.TemporaryDirectory(prefix="newsroom-first-frame-") as tmp:
        probe = Path(tmp) / "probe.py"
        probe.write_text(PROBE)
        tmux("new-session", "-d", "-s", "keep", "sleep 3600")  # the server outlives each run
        try:
            for _ in range(args.runs):
                for tree in args.trees:
                    results[tree].append(launch(probe, tree, args.cache, title, args.poll))
        finally:
            tmux("kill-server")
    median = statistics.median
    for tree, rows in results.items():
        print(
            f"{tree}: wall {median(r[0] for r in rows):.3f} s, CPU {median(r[1] for r in rows):.3f}"
            f" s (before App.run {median(r[2] for r in rows):.3f}, after"
            f" {median(r[1] - r[2] for r in rows):.3f}), medians of {len(rows)}"
        )
    if "bare" in results:  # each side against the floor (issue #25's goal: at most 1.3x)
        floor = results["bare"]
        for tree, rows in results.items():
            if tree != "bare":
                wall = median(r[0] for r in rows) / median(r[0] for r in floor)
                cpu = median(r[1] for r in rows) / median(r[1] for r in floor)
                print(f"{tree}: {wall:.2f}x the floor's wall time, {cpu:.2f}x its CPU time")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
