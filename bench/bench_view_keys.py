"""The keys that change what the list shows, with a slow store: time from the key to its
first visible answer and to the new list.

    python bench/bench_view_keys.py [--presses 10] [--delay 0.025] [--code DIR]

The sample cache (tests/sample_cache.py) in a temporary directory; every store method the
reader calls waits ``--delay`` seconds first, in whatever thread calls it (a database across
town: 50 ms a round trip at 0.025). The reader runs headless under Pilot at 130x40. For
``f`` (the filter, round to "all" again between presses, not timed), ``J`` (the next feed;
Escape back, not timed) and one letter typed after ``/`` (Escape back, not timed) it times,
from the key, until the status line says what the list is narrowed to (the first visible
answer) and until the list shows the rows read for it. Medians and maxima in ms.

``--code DIR``: the reader of another checkout (``--code /path/to/main``: the code before).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOT_QUERIES = {"on_watch_match", "watch", "close", "user"}


def slowed(store: Any, delay: float) -> None:
    """Every public method of ``store`` waits ``delay`` seconds before it runs."""
    for name in dir(type(store)):
        if name.startswith("_") or name in NOT_QUERIES or not callable(getattr(store, name)):
            continue
        real = getattr(store, name)

        def slow(*args: object, _real: Callable[..., object] = real, **kw: object) -> object:
            time.sleep(delay)
            return _real(*args, **kw)

        setattr(store, name, slow)


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> float:
    """The time (perf_counter) when ``condition()`` first held; looked at every 0.5 ms."""
    end = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > end:
            raise AssertionError("not shown in time")
        await asyncio.sleep(0.0005)
    return time.perf_counter()


async def measure(presses: int, delay: float) -> dict[str, tuple[list[float], list[float]]]:
    from newsroom_tui.ui.app import NewsroomApp
    from tests.sample_cache import build_sample_cache

    results: dict[str, tuple[list[float], list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = build_sample_cache(Path(folder) / "data")
        slowed(store, delay)
        app = NewsroomApp(store, poll_on_start=False)
        app.read_delay = 60
        async with app.run_test(size=(130, 40)) as pilot:
            await pilot.pause(1.0)
            await app.workers.wait_for_complete()
            reader = app.reader
            status, table = reader.status, reader.article_list

            def changed(generation: int) -> bool:
                return bool(table.generation != generation)

            async def timed(
                key: list[str], said: str, back: list[str], first: tuple[str, ...] = ()
            ) -> None:
                answers, lists = results.setdefault(" ".join([*first, *key]), ([], []))
                for _ in range(presses):
                    if first:  # not timed: "/" opens the box, the letter is timed
                        await pilot.press(*first)
                        await pilot.pause(0.2)
                    before = table.generation
                    started = time.perf_counter()
                    # not awaited first: Pilot's press returns once the app is idle, and
                    # the answer is to be seen as soon as the event loop can show it
                    pressing = asyncio.ensure_future(pilot.press(*key))
                    shown = await until(lambda: any(said in p for p in status.narrowing))
                    listed = await until(partial(changed, before))
                    await pressing
                    answers.append((shown - started) * 1000)
                    lists.append((listed - started) * 1000)
                    await pilot.press(*back)
                    await until(lambda: not status.narrowing)
                    await pilot.pause(0.3)
                    await app.workers.wait_for_complete()

            await timed(["f"], "filter", ["f", "f", "f"])
            await timed(["J"], "feed", ["escape"])
            await timed(["s"], "search", ["escape"], first=("slash",))
        store.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.025)
    parser.add_argument("--code", type=Path, help="the checkout whose reader runs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str((args.code or HERE.parent).resolve()))
    results = asyncio.run(measure(args.presses, args.delay))
    print(f"store delay {args.delay * 1000:.0f} ms a call, {args.presses} presses each")
    print("| key | first answer, median (max) ms | list, median (max) ms |")
    for key, (answers, lists) in results.items():
        print(
            f"| `{key}` | {statistics.median(answers):.1f} ({max(answers):.1f}) "
            f"| {statistics.median(lists):.1f} ({max(lists):.1f}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
