"""bench_ui's reader figures (first paint, `j`, search keystroke) for two checkouts on one
cache, taking turns, so that a change is compared with the code before it in one run:

    git archive 42db60a | tar -x -C /tmp/base
    python bench/bench_ui_turns.py --base /tmp/base --data-dir /tmp/ui-cache [--turns 2]
        [--poll-feeds 100 --poll-items 20] [--paint-pairs 30]

Each side runs as ``python -m newsroom_tui`` with its own checkout first on PYTHONPATH.
``--paint-pairs N`` times first paints only: the two sides launched one after the other N
times, each going first in every other pair (a pair sees the same load, where a turn's nine
launches of one side and then nine of the other may not); it prints each side's median,
the median of the pairs' differences and in how many pairs this checkout's first paint was
at or below the base's.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ui

from newsroom_tui.store import open_store

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--data-dir", type=Path, required=True, help="the cache (built if new)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument(
        "--poll-feeds", type=int, default=0, help="also time j while the reader polls a farm"
    )
    parser.add_argument("--poll-items", type=int, default=20)
    parser.add_argument(
        "--paint-pairs", type=int, default=0, help="only first paints, sides launched in pairs"
    )
    parser.add_argument(
        "--base-data-dir",
        type=Path,
        help="the base's own cache, for a base too old to read this checkout's schema "
        "(this checkout reads a migrated copy of it in --data-dir, made if missing)",
    )
    args = parser.parse_args(argv)
    if args.base_data_dir and not (args.data_dir / "newsroom.sqlite3").exists():
        shutil.copytree(args.base_data_dir, args.data_dir, dirs_exist_ok=True)
    if not (args.data_dir / "newsroom.sqlite3").exists():
        start = time.perf_counter()
        bench_ui.build_cache(args.data_dir, args.articles)
        print(f"cache built in {time.perf_counter() - start:.1f} s", flush=True)
    store = open_store(args.data_dir)
    newest = [a.title for a in store.articles(limit=11)]
    store.close()
    sides = {"base": args.base.resolve(), "this checkout": HERE.parent}
    caches = {"base": args.base_data_dir or args.data_dir, "this checkout": args.data_dir}
    for root in sides.values():
        compileall.compile_dir(root / "newsroom_tui", quiet=1)  # as `pip install .` leaves it
    # drive_tui kills its session between launches; with no other session the tmux server
    # exits then, and the next launch can race its shutdown (an empty screen, a timeout)
    keep = f"newsroom-bench-keep-{os.getpid()}"
    bench_ui.tmux("new-session", "-d", "-s", keep, "sleep 3600")
    try:
        if args.paint_pairs:
            paint_pairs(sides, caches, newest[0], args.paint_pairs)
            return 0
        for turn in range(args.turns):
            for name, root in sides.items():
                os.environ["PYTHONPATH"] = str(root)
                r = bench_ui.drive_tui(caches[name], newest)
                polled = ""
                if args.poll_feeds:
                    p = bench_ui.keys_during_poll(args.poll_feeds, args.poll_items)
                    polled = (
                        f", j during a poll {p['median'] * 1000:.0f} / {p['max'] * 1000:.0f} ms"
                        f" ({p['samples']})"
                    )
                print(
                    f"{name}, turn {turn + 1}: first paint {r['first_paint']:.2f} s, "
                    f"j {r['move_median'] * 1000:.0f} ms, "
                    f"search keystroke {r['search_keystroke'] * 1000:.0f} ms{polled}",
                    flush=True,
                )
    finally:
        bench_ui.tmux("kill-session", "-t", keep)
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


def paint_pairs(sides: dict[str, Path], caches: dict[str, Path], title: str, pairs: int) -> None:
    paints: dict[str, list[float]] = {name: [] for name in sides}
    for pair in range(pairs):
        order = list(sides.items())
        for name, root in order if pair % 2 == 0 else order[::-1]:  # who goes first, in turn
            os.environ["PYTHONPATH"] = str(root)
            command = bench_ui.reader_command(caches[name])
            bench_ui.tmux("kill-session", "-t", bench_ui.SESSION)
            start = time.perf_counter()
            bench_ui.tmux(
                "new-session", "-d", "-s", bench_ui.SESSION, "-x", "130", "-y", "40", command
            )
            paints[name].append(bench_ui.wait_for(title[:30]) - start)
    bench_ui.tmux("kill-session", "-t", bench_ui.SESSION)
    median = statistics.median
    for name, values in paints.items():
        print(f"{name}: first paint median {median(values):.3f} s, min {min(values):.3f} s")
    pairs_timed = zip(paints["base"], paints["this checkout"], strict=True)
    differences = [ours - base for base, ours in pairs_timed]
    print(
        f"this checkout minus base, per pair: median {median(differences) * 1000:+.0f} ms; "
        f"at or below the base in {sum(d <= 0 for d in differences)} of {pairs} pairs",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
