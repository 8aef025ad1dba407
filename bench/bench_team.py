"""Team inbox on PostgreSQL: one poller and N client processes on a loopback feed farm.

    python bench/bench_team.py [--feeds 1000] [--items 20] [--clients 10] [--no-write]

Starts a throwaway PostgreSQL server (initdb/pg_ctl on 127.0.0.1, as the tests do) and the
feed farm (bench/feed_farm.py), subscribes the feeds, then runs ``newsroom --database ...
fetch`` while N client processes, each a person of its own, claim one of the newest articles
about once a second. Every client listens (LISTEN/NOTIFY, as the reader does) and, on hearing
a colleague's claim, reads the article back from the database, as the reader does to show
it. Measured: the time from the start of a claim in one process until the claim has been
read back in another, for every (claim, other client) pair. Clocks are comparable: all
processes run on this machine. Results go to the "team" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from feed_farm import FarmConfig, FarmProcess  # noqa: E402
from report import machine, write_section  # noqa: E402

from newsroom_tui.article_reading import read_article  # noqa: E402
from newsroom_tui.store import ClaimTaken, StoreChange  # noqa: E402
from newsroom_tui.store.postgres import PostgresStore  # noqa: E402
from tests.pg_server import PgServer  # noqa: E402


def client(dsn: str, user: str, stop_file: str, out_file: str, every: float) -> None:
    """One person: claims now and then, hears the others' claims and reads them back."""
    store = PostgresStore(dsn, user=user)
    heard: list[tuple[int, str, str | None, float]] = []

    def on_change(change: StoreChange) -> None:
        if change.kind != "article" or change.article_id is None or change.user == user:
            return
        article = read_article(store, change.article_id)  # what the reader does to show it
        seen = time.time()
        holder = article.claimed_by if article else None
        heard.append((change.article_id, change.user or "", holder, seen))

    listener = store.watch(on_change)
    listener.online.wait(10)
    claims: list[tuple[int, float, float, str]] = []
    rng = random.Random(user)
    stop = Path(stop_file)
    while not stop.exists():
        time.sleep(rng.uniform(0.5, 1.5) * every)
        if stop.exists():  # the others may have stopped listening
            break
        newest = [a for a in store.articles(limit=200) if a.claimed_by is None and not a.done]
        if not newest:
            continue
        target = rng.choice(newest).id
        started = time.time()
        try:
            store.claim(target)
            outcome = "won"
        except ClaimTaken:
            outcome = "taken"
        claims.append((target, started, time.time(), outcome))
    time.sleep(1.0)  # the last claims of the others still arrive
    listener.close()
    store.close()
    Path(out_file).write_text(json.dumps({"user": user, "claims": claims, "heard": heard}))


def tui_client(dsn: str, stop_file: str, out_file: str) -> None:
    """The reader itself, headless (Textual's run_test at 130x40): when has it applied a
    colleague's claim to its list and article pane?"""
    import asyncio

    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.colleagues import ColleaguesChanged
    from newsroom_tui.ui.screens.reader import ReaderScreen

    store = PostgresStore(dsn, user="desk")
    app = NewsroomApp(store, poll_on_start=False)
    shown: list[tuple[int, str, float]] = []
    apply_changes = ReaderScreen.on_colleagues_changed

    def timed_apply(self: ReaderScreen, message: ColleaguesChanged) -> None:
        pending = [(c.article_id, c.user or "") for c in message.changes if c.kind == "article"]
        apply_changes(self, message)
        now = time.time()
        shown.extend((article_id, user, now) for article_id, user in pending if article_id)

    ReaderScreen.on_colleagues_changed = timed_apply  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test(size=(130, 40)) as pilot:
            while not Path(stop_file).exists():
                await pilot.pause(0.2)
            await pilot.pause(1.0)

    asyncio.run(run())
    store.close()
    Path(out_file).write_text(json.dumps({"shown": shown}))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between claims")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="newsroom-team-"))
    server = PgServer().start()
    farm = FarmProcess(FarmConfig(feeds=args.feeds, items=args.items)).start()
    try:
        dsn = server.new_database()
        setup = PostgresStore(dsn, user="setup")
        for url in farm.feed_urls():
            setup.add_feed(url)
        pg_version = setup._query("SHOW server_version")[0][0]
        setup.close()

        stop_file = work / "stop"
        ctx = multiprocessing.get_context("spawn")
        outs = [work / f"client{i}.json" for i in range(args.clients)]
        clients = [
            ctx.Process(
                target=client,
                args=(dsn, f"user{i}", str(stop_file), str(out), args.every),
            )
            for i, out in enumerate(outs)
        ]
        tui_out = work / "tui.json"
        clients.append(ctx.Process(target=tui_client, args=(dsn, str(stop_file), str(tui_out))))
        for c in clients:
            c.start()
        time.sleep(4.0)  # all listening (the reader started) before the first article arrives
        started = time.perf_counter()
        poll = subprocess.run(
            [sys.executable, "-m", "newsroom_tui", "--database", dsn, "fetch", "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        poll_seconds = time.perf_counter() - started
        report = json.loads(poll.stdout) if poll.stdout.strip() else {}
        time.sleep(2.0)
        stop_file.write_text("stop")
        for c in clients:
            c.join(timeout=60)
        results = [json.loads(out.read_text()) for out in outs if out.exists()]
        tui = json.loads(tui_out.read_text()) if tui_out.exists() else {"shown": []}
    finally:
        farm.stop()
        server.cleanup()

    won = {
        (claim[0]): (r["user"], claim[1])
        for r in results
        for claim in r["claims"]
        if claim[3] == "won"
    }
    refused = sum(claim[3] == "taken" for r in results for claim in r["claims"])
    latencies: list[float] = []
    wrong_holder = 0
    for r in results:
        for article_id, claimer, holder, seen in r["heard"]:
            if article_id in won and won[article_id][0] == claimer:
                latencies.append(seen - won[article_id][1])
                wrong_holder += holder != claimer
    expected = len(won) * (len(results) - 1)
    tui_ms = [
        (seen - won[article_id][1]) * 1000
        for article_id, claimer, seen in tui["shown"]
        if article_id in won and won[article_id][0] == claimer
    ]
    lines = [
        "## Team inbox (PostgreSQL)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python bench/bench_team.py --feeds {args.feeds} --items {args.items} "
        f"--clients {args.clients}`.",
        "",
        f"- Machine: {machine()}; PostgreSQL {pg_version} on 127.0.0.1 (fsync off, as in the "
        "tests), started by the benchmark",
        f"- One poller (`newsroom --database … fetch`) on {args.feeds} feeds x {args.items} "
        f"items from the loopback farm, while {len(results)} client processes (one person "
        f"each) claim one of the 200 newest unclaimed articles every ~{args.every:g} s",
        "- Latency: from the start of a claim in one process until another process has heard "
        "the NOTIFY and read the article back (as the reader does before it shows it); every "
        "(claim, other client) pair counts. Besides, one headless reader (the real app under "
        "Textual's `run_test`, user `desk`) notes when it has applied each claim to its list "
        "and article pane (it applies changes every 0.1 s, in one go)",
        "",
        "| What | Measured | Goal |",
        "|---|---:|---:|",
    ]
    if latencies:
        ms = [v * 1000 for v in latencies]
        lines += [
            f"| Claim → seen by another client, median | {statistics.median(ms):.0f} ms | |",
            f"| Claim → seen by another client, 95th percentile | {percentile(ms, 0.95):.0f} ms"
            " | < 1 s |",
            f"| Claim → seen by another client, max | {max(ms):.0f} ms | |",
        ]
    if tui_ms:
        lines += [
            f"| Claim → applied by a headless reader (list and pane), median | "
            f"{statistics.median(tui_ms):.0f} ms | |",
            f"| Claim → applied by a headless reader, 95th percentile / max | "
            f"{percentile(tui_ms, 0.95):.0f} / {max(tui_ms):.0f} ms | < 1 s |",
            f"| Claims applied by the reader / won | {len(tui_ms)} / {len(won)} | all |",
        ]
    lines += [
        f"| Deliveries heard / expected | {len(latencies)} / {expected} | all |",
        f"| Claims won / refused (someone was faster) | {len(won)} / {refused} | |",
        f"| Read back with another holder than the claimer | {wrong_holder} | 0 |",
        f"| Poll of {args.feeds} feeds into PostgreSQL, with the clients running | "
        f"{poll_seconds:.1f} s, {report.get('new_articles', '?')} new articles, "
        f"{len(report.get('failed', []))} failed, exit {poll.returncode} | |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("team", text)
    ok = bool(latencies) and percentile(latencies, 0.95) < 1.0 and poll.returncode == 0
    ok = ok and bool(tui_ms) and percentile(tui_ms, 0.95) < 1000
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
