"""Enter to the settled article (80x24: the article opens in the list's place) and j to the
settled next article (120x40: the pane beside the list follows), on a cache of 10,000
articles, for checkouts side by side in one run:

    python bench/bench_open_article.py [--articles 10000] [--runs 12] [--turns 1]
        [--only 80x24|120x40] TREE[=CACHE]...

Builds the cache once (press releases of 2-8 KB with headings, lists and links, 200 feeds;
``--data-dir`` keeps it), then launches each TREE (a checkout, first on PYTHONPATH) in tmux
with --no-poll (``TREE=CACHE``: on a cache of its own, a copy for a checkout of another
schema). Inside the process a probe notes the time of every write Textual's writer
thread flushes to the terminal; a key is sent (tmux send-keys) and the answer is settled at
the last flush within ``--window`` seconds (shorter than the one second after which an
article shown counts as read). Prints, per side and key, the medians and maxima in ms of the
first flush after the key (its first visible answer) and of the last (settled). ``Escape``
goes back between two Enters, ``j`` moves on, so each Enter opens another article. With
``--turns N`` the sides take turns N times (``--runs`` keys each time), as the machine's
load moves.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SOCKET = f"newsroom-open-{os.getpid()}"
FEEDS = 200

# Runs inside the launched process: every flush of the terminal file, with its time, goes
# to OUT (one line each: wall-clock time and characters written since the last flush).
PROBE = r"""
import os, sys, time
OUT = sys.argv[1]
log = open(OUT, "a", buffering=1)
class Terminal:
    def __init__(self, file):
        self.file, self.written = file, 0
    def __getattr__(self, name):
        return getattr(self.file, name)
    def write(self, text):
        self.written += len(text)
        return self.file.write(text)
    def flush(self):
        self.file.flush()
        if self.written:
            log.write(f"{time.time()} {self.written}\n")
            self.written = 0
sys.__stderr__ = Terminal(sys.__stderr__)
from newsroom_tui.cli import main
sys.argv = ["newsroom", "--data-dir", sys.argv[2], "--no-poll"]
main()
"""

PARAGRAPH = (
    "Die Stadt Herne informiert über die Baustelle an der Bahnhofstraße: Ab Montag ist die "
    "Fahrbahn zwischen Westring und Kirchhofstraße gesperrt, Umleitungen sind ausgeschildert. "
    "Auskunft gibt das [Bürgerbüro](https://www.herne.example/buergerbuero) montags bis "
    "freitags von 8 bis 16 Uhr; Anliegerinnen und Anlieger erreichen ihre Grundstücke."
)


def body(n: int) -> str:
    blocks = []
    for p in range(4 + n % 12):
        if p % 4 == 3:
            blocks.append(f"## Abschnitt {p // 4 + 1}: Öffnungszeiten und Förderprogramme")
        blocks.append(PARAGRAPH)
        if p % 5 == 2:
            blocks.append("- Ort: Stadtteilzentrum Pluto\n- Zeit: 10 Uhr\n- Eintritt frei")
    return "\n\n".join(blocks)


def build_cache(data_dir: Path, articles: int) -> None:
    from bench.bench_ui import fill_cache

    fill_cache(
        data_dir,
        articles,
        FEEDS,
        lambda f, i: f"Stadt {f}: Meldung {i} über Baustellen und Öffnungszeiten",
        lambda f, i: body(f + i),
    )


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    return done.stdout


def flushes(log: Path) -> list[float]:
    return [float(line.split()[0]) for line in log.read_text().splitlines() if line.strip()]


def quiet(log: Path, seconds: float = 0.5, deadline: float = 60.0) -> None:
    """Until nothing was flushed for ``seconds``."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        times = flushes(log)
        if times and time.time() - times[-1] > seconds:
            return
        time.sleep(0.05)
    raise TimeoutError("the reader never went quiet")


def press(log: Path, key: str, window: float) -> tuple[float, float] | None:
    """(first, last) flush after ``key`` within ``window``, in seconds; None: no answer."""
    sent = time.time()
    tmux("send-keys", "-t", "probe", key)
    time.sleep(window)
    after = [t - sent for t in flushes(log) if sent < t <= sent + window]
    return (after[0], after[-1]) if after else None


def run_side(
    probe: Path,
    tree: str,
    cache: Path,
    size: tuple[int, int],
    keys: list[str],
    runs: int,
    window: float,
) -> dict[str, list[tuple[float, float]]]:
    with tempfile.TemporaryDirectory(prefix="newsroom-open-") as tmp:
        log = Path(tmp) / "flushes"
        log.touch()
        command = f"env PYTHONPATH={shlex.quote(tree)} " + shlex.join(
            [sys.executable, str(probe), str(log), str(cache)]
        )
        width, height = size
        tmux("new-session", "-d", "-s", "probe", "-x", str(width), "-y", str(height), command)
        try:
            time.sleep(1.0)
            quiet(log, 1.0)
            results: dict[str, list[tuple[float, float]]] = {key: [] for key in keys}
            for _ in range(runs):
                for key in keys:
                    answer = press(log, key, window)
                    if answer is not None:
                        results[key].append(answer)
                    quiet(log, 0.3)
            return results
        finally:
            tmux("kill-session", "-t", "probe")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", help="checkouts to compare")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, help="reuse (or keep) the cache here")
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--window", type=float, default=0.8)
    parser.add_argument("--only", choices=["80x24", "120x40"], help="one size's case alone")
    parser.add_argument(
        "--turns", type=int, default=1, help="the sides take turns this often (--runs each)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsroom-open-") as tmp:
        cache = args.data_dir or Path(tmp) / "cache"
        if not cache.exists():
            build_cache(cache, args.articles)
        probe = Path(tmp) / "probe.py"
        probe.write_text(PROBE)
        tmux("new-session", "-d", "-s", "keep", "sleep 3600")
        cases = [("80x24", (80, 24), ["Enter", "Escape", "j"]), ("120x40", (120, 40), ["j"])]
        cases = [case for case in cases if args.only in (None, case[0])]
        answers: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
        try:
            for label, size, keys in cases:
                for _ in range(args.turns):
                    for tree in args.trees:
                        checkout, _, own = tree.partition("=")
                        side_cache = Path(own) if own else cache
                        found = run_side(
                            probe, checkout, side_cache, size, keys, args.runs, args.window
                        )
                        for key in keys:
                            if key in ("Enter", "j") and not (label == "80x24" and key == "j"):
                                answers.setdefault((label, tree, key), []).extend(found[key])
        finally:
            tmux("kill-server")
    median = statistics.median
    rows = [(label, tree, key, found) for (label, tree, key), found in answers.items()]
    runs = args.runs * args.turns
    print(f"{'size':7} {'key':6} {'first answer':>19} {'settled':>19}  tree (ms: median / max)")
    for label, tree, key, found in rows:
        if not found:
            print(f"{label:7} {key:6} {'no answer':>19} {'':>19}  {tree}")
            continue
        first = [f for f, _ in found]
        last = [s for _, s in found]
        print(
            f"{label:7} {key:6} {median(first) * 1000:9.1f} / {max(first) * 1000:6.1f}"
            f" {median(last) * 1000:9.1f} / {max(last) * 1000:6.1f}  {tree}"
            f" ({len(found)} of {runs} answered within {args.window:g} s)"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
