"""Triage keys with the team database next door and far away: time from a key to its row.

    python bench/bench_key_latency.py [--presses 15] [--delay 0.025] [--code DIR]

Starts a throwaway PostgreSQL server (tests/pg_server.py) with the sample articles and a
loopback TCP proxy in front of it that holds every chunk ``--delay`` seconds each way (a
database across town: 50 ms a round trip). The reader runs headless under Pilot at 130x40,
once straight on the server and once through the proxy; for s (flag), m (read/unread),
a (claim/release) and D (done; U puts it back between presses, not timed) it times from the
key until the row under the cursor shows something else (its flag, its mark, the initials,
the tick, or the next article where the done one left); for j until the pane shows the next
article (k goes back between presses, not timed), for / until the search box shows (Escape
closes it, not timed). "first screen": from the start of the app until the list and the
article under its cursor are shown, ``--launches`` times on each side, the sides taking
turns (near, far, near, ...: the machine's load moves between them). Medians and maxima
in ms.

``--code DIR``: the reader of another checkout (``--code /work/main``: the code before),
with this checkout's server and sample data.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tests.loopback_proxy import LoopbackProxy  # noqa: E402

KEYS = ("j", "s", "m", "a", "D", "/")
UNDONE_BY = {"j": "k", "D": "U", "/": "escape"}  # between two presses, not timed


class DelayProxy(LoopbackProxy):
    """127.0.0.1:port -> 127.0.0.1:target, every chunk held ``delay`` seconds each way
    (chunks keep their order and are not held behind one another)."""

    def __init__(self, target: int, delay: float) -> None:
        self.delay = delay
        super().__init__(target)

    async def _pipe(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, side: str
    ) -> None:
        loop = asyncio.get_running_loop()
        held: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await held.get()
                await asyncio.sleep(max(0.0, due - loop.time()))
                if not data:
                    sink.close()
                    return
                sink.write(data)
                await sink.drain()

        delivering = asyncio.ensure_future(deliver())
        with contextlib.suppress(ConnectionError):
            while data := await source.read(65536):
                held.put_nowait((loop.time() + self.delay, data))
        held.put_nowait((loop.time() + self.delay, b""))
        with contextlib.suppress(ConnectionError):
            await delivering


async def measure(dsn: str, presses: int) -> dict[str, list[float]]:
    from newsroom_tui.store.postgres import PostgresStore
    from newsroom_tui.ui.app import NewsroomApp
    from tests.pilot_waits import pane_shown

    store = PostgresStore(dsn, user="anna")
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0
    times: dict[str, list[float]] = {key: [] for key in (*KEYS, "first screen")}
    async with app.run_test(size=(130, 40)) as pilot:
        await pane_shown(pilot)  # (the first launch of a process imports more: not timed)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        table = app.reader.article_list

        async def settle() -> None:
            await app.workers.wait_for_complete()
            await pilot.pause(0.15)
            await app.workers.wait_for_complete()
            await pane_shown(pilot)

        pane, box = app.reader.pane, app.reader.search_box

        def answer(key: str) -> Callable[[], object]:
            """What the key changes on screen, read before and watched after it."""
            if key == "j":
                return lambda: pane.article and pane.article.id
            if key == "/":
                return lambda: box.display
            row = table.cursor_row
            return lambda: table.get_line_plain(row)

        for key in KEYS:
            for _ in range(presses):
                shown = answer(key)
                before = shown()
                started = time.perf_counter()
                pressing = asyncio.ensure_future(pilot.press(key))  # watched while it runs
                deadline = started + 10
                while shown() == before and time.perf_counter() < deadline:
                    await asyncio.sleep(0.0005)
                times[key].append((time.perf_counter() - started) * 1000)
                await pressing
                await settle()
                if key in UNDONE_BY:
                    await pilot.press(UNDONE_BY[key])
                    await settle()
    store.close()
    return times


async def first_screen(dsn: str) -> float:
    """ms from the app's start until the list and the article under its cursor are shown."""
    from newsroom_tui.store.postgres import PostgresStore
    from newsroom_tui.ui.app import NewsroomApp
    from tests.pilot_waits import pane_shown

    store = PostgresStore(dsn, user="anna")
    app = NewsroomApp(store, poll_on_start=False)
    launched = time.perf_counter()
    async with app.run_test(size=(130, 40)) as pilot:
        await pane_shown(pilot)
        shown = (time.perf_counter() - launched) * 1000
    store.close()
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=15)
    parser.add_argument("--launches", type=int, default=4, help="first screens a side")
    parser.add_argument("--delay", type=float, default=0.025, help="seconds each way")
    parser.add_argument("--code", type=Path, help="the checkout whose reader is measured")
    args = parser.parse_args()
    if args.code is not None:
        sys.path.insert(0, str(args.code.resolve()))
    import newsroom_tui
    from tests.pg_server import PgServer
    from tests.sample_cache import fill_sample

    print(f"reader from {Path(newsroom_tui.__file__).parent.parent}")
    server = PgServer().start()
    try:
        dsn = server.new_database()
        from newsroom_tui.store.postgres import PostgresStore

        seed = PostgresStore(dsn, user="ben")
        fill_sample(seed)
        seed.close()
        proxy = DelayProxy(server.port, args.delay)
        far = dsn.replace(f":{server.port}/", f":{proxy.port}/")
        sides = (("next door", dsn), (f"{args.delay * 2000:.0f} ms away", far))
        times = {name: asyncio.run(measure(where, args.presses)) for name, where in sides}
        for _ in range(args.launches):  # in turns
            for name, where in sides:
                times[name]["first screen"].append(asyncio.run(first_screen(where)))
        rows = [
            (name, key, statistics.median(times[name][key]), max(times[name][key]))
            for name, _ in sides
            for key in (*KEYS, "first screen")
        ]
        print(f"{'database':<12} {'key':<12} {'median ms':>10} {'max ms':>8}")
        for name, key, median, most in rows:
            print(f"{name:<12} {key:<12} {median:>10.1f} {most:>8.1f}")
        near = {key: median for name, key, median, _ in rows if name == "next door"}
        print("far minus next door (medians; goal: keys within 15 ms, first screen 250 ms):")
        for name, key, median, _ in rows:
            if name != "next door":
                print(f"  {key:<12} {median - near[key]:+8.1f} ms")
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
