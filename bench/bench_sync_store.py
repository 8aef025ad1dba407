"""A first sync into the SQLite cache as ``newsroom fetch`` runs it (the poll's side of the
store, the items made as feed entries: those with a photo built in the worker processes),
from a loopback fake FreshRSS in its own process; then a sync with nothing changed.
``--photos N``: every N-th item carries a photo with its credit line (0: none).
``--baseline DIR`` measures another checkout's client too, alternating with this one, against
the same fake server (this checkout's tests/sync_server.py). ``--team`` syncs into the team
store too (a throwaway PostgreSQL started by the benchmark, tests/pg_server.py; a new database
each round), alternating with the SQLite cache (and with ``--baseline``, the other checkout's
client on the team store too). ``build``: the first sync's time in making the new items'
articles (the worker processes), ``write``: in writing its pull to the store.

    python bench/bench_sync_store.py [--items 10000] [--photos 10] [--rounds 2] [--baseline DIR]
        [--team]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SERVE = """
import json, sys
sys.path.insert(0, {root!r})
from tests.sync_server import SyncServer
server = SyncServer("freshrss").start()
feed = server.add_feed("Stadt Herne", "https://www.herne.de/rss.xml", "Lokales")
photo = ('<p><img src="https://www.herne.de/bilder/{{n}}.jpg"><br>Die Baustelle an der '
         'Bahnhofstraße. Foto: Stadt Herne</p>')
for n in range({items}):
    text = (f"<p>Meldung {{n}}. Die Bahnhofstraße bleibt bis Freitag gesperrt; Umleitungen "
            "sind ausgeschildert. Die Stadt Herne bittet Anwohnerinnen und Anwohner um "
            "Verständnis; Rückfragen beantwortet die Pressestelle montags bis freitags von "
            "8 bis 16 Uhr.</p>")  # over 200 characters: the whole text, no page is fetched
    if {photos} and n % {photos} == 0:
        text += photo.format(n=n)
    server.add_item(feed, f"Meldung {{n}}: Sperrung", f"https://www.herne.de/m/{{n}}.html", text)
print(json.dumps({{"base": server.base}}), flush=True)
sys.stdin.read()
"""

_CLIENT = """
import asyncio, json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {tree!r})
from newsroom_tui.ingest.account_side import CountingSide
from newsroom_tui.store import open_store
from newsroom_tui.sync.detect import detect
from newsroom_tui.sync.engine import sync
from newsroom_tui.sync.transport import SyncHttp

async def once():
    with tempfile.TemporaryDirectory() as d:
        dsn = {dsn!r}
        if dsn:
            from newsroom_tui.store.pg_sync_side import save_team_account
            from newsroom_tui.store.postgres import PostgresStore

            store = PostgresStore(dsn, "bench")
            account = save_team_account(
                store, server="FreshRSS", api="greader", endpoint={base!r}, user="redaktion",
                secret_in="file", host="bench",
            )
            side = CountingSide(store, account_id=account)
        else:
            store = open_store(Path(d))
            side = CountingSide(store)
        phases = {{"build": 0.0, "write": 0.0}}  # the first sync's items made, its pull written

        def timed(name, call):
            def run(*args):
                t = time.perf_counter()
                try:
                    return call(*args)
                finally:
                    phases[name] += time.perf_counter() - t
            return run

        async def build(items, made=getattr(side, "before_write", None)):
            t = time.perf_counter()
            await made(items)
            phases["build"] += time.perf_counter() - t

        side.apply_pull = timed("write", side.apply_pull)
        extra = {{"before_write": build}} if hasattr(side, "before_write") else {{}}
        async with SyncHttp() as http:
            _, remote = await detect(http, {base!r}, user="redaktion", password="api-passwort-42")
            t, c = time.perf_counter(), time.process_time()
            await sync(remote, side, **extra)
            first = [time.perf_counter() - t, time.process_time() - c]
            first += [phases["build"], phases["write"]]
            t = time.perf_counter()
            await sync(remote, side, **extra)
            again = time.perf_counter() - t
        rows = store._query("SELECT COUNT(*) FROM articles")[0][0]
        credits = store._query("SELECT COUNT(*) FROM gallery_items WHERE credit IS NOT NULL")[0][0]
        store.close()
        return [*first, again, rows, credits]

if __name__ == "__main__":
    print(json.dumps(asyncio.run(once())))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--team", action="store_true", help="the team store (PostgreSQL) too")
    args = parser.parse_args()
    pg = None
    if args.team:
        sys.path.insert(0, str(ROOT))
        from tests.pg_server import PgServer

        pg = PgServer().start()
    code = _SERVE.format(root=str(ROOT), items=args.items, photos=args.photos)
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdin is not None and server.stdout is not None
    base = json.loads(server.stdout.readline())["base"]
    trees = [("this checkout", ROOT, False)]
    trees += [("baseline", args.baseline, False)] if args.baseline else []
    if pg:
        trees += [("team store", ROOT, True)]
        trees += [("team baseline", args.baseline, True)] if args.baseline else []
    print(
        f"{'client':14} {'first sync':>10} {'CPU':>6} {'build':>6} {'write':>6} {'re-sync':>8} "
        f"{'articles':>8} {'credits':>7}"
    )
    try:
        for _ in range(args.rounds):
            for name, tree, team in trees:
                script = Path(f"/tmp/bench_sync_store_{os.getpid()}.py")
                dsn = pg.new_database() if team and pg else ""
                script.write_text(_CLIENT.format(tree=str(tree.resolve()), base=base, dsn=dsn))
                try:
                    out = subprocess.run(
                        [sys.executable, str(script)], capture_output=True, text=True, check=True
                    ).stdout
                finally:
                    script.unlink()
                first, cpu, build, write, again, rows, credits = json.loads(out.splitlines()[-1])
                print(
                    f"{name:14} {first:>9.2f}s {cpu:>5.2f}s {build:>5.2f}s {write:>5.2f}s "
                    f"{again:>7.3f}s {rows:>8,} {credits:>7,}"
                )
    finally:
        server.stdin.close()
        server.wait(10)
        if pg is not None:
            pg.cleanup()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
