"""CPU of importing what the reader's start imports of this package, again and again in one
process: Textual and the standard library stay loaded, our modules are dropped and imported
anew each time (the regular-expression cache purged, the collector off, as at the start):

    cd /tmp && PYTHONPATH=/path/to/checkout python /path/to/bench/bench_ui_imports.py [--runs 30]

Prints how many of our modules the start imports and the min and median CPU of importing
them; compare checkouts in turns (min moves least with the machine's load). Modules only ours
bring in (tomllib, shlex) stay loaded after the first round and are not counted.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import re
import statistics
import sys
import time

START = ("newsroom_tui.cli", "newsroom_tui.ui.app")


def ours() -> list[str]:
    return [m for m in sys.modules if m == "newsroom_tui" or m.startswith("newsroom_tui.")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    gc.disable()
    for name in START:  # the first round loads Textual and the standard library
        importlib.import_module(name)
    times = []
    for _ in range(args.runs):
        for name in ours():
            del sys.modules[name]
        re.purge()
        start = time.process_time()
        for name in START:
            importlib.import_module(name)
        times.append(time.process_time() - start)
        gc.collect()
    print(
        f"{len(ours())} modules: min {min(times) * 1000:.1f} ms, "
        f"median {statistics.median(times) * 1000:.1f} ms ({args.runs} runs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
