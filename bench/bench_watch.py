"""Watchlist benchmark: 50 watchlists over the cold poll of the feed farm, and the time from
an article stored to its alert (in the reader's process, and on the team store).

    python bench/bench_watch.py [--feeds 1000 --items 100] [--no-write]

1. Matching alone: the farm's articles against 50 watchlists in this process (µs/article).
2. The cold poll of the farm by ``newsroom fetch --json`` into two fresh caches, one without
   and one with the 50 watchlists, one after the other (wall time, CPU of the process tree).
3. Stored -> alert: single new articles saved one after the other; in the reader's process
   (SQLite: the match listener writing the alert sequence) and on the team store (PostgreSQL:
   a second client's LISTEN connection hearing the match).

Results go to the "watch" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_poll import measure, newsroom_command, subscribe  # noqa: E402
from feed_farm import FarmConfig, FarmProcess, make_item  # noqa: E402
from report import machine, write_section  # noqa: E402

from newsroom_tui.models import GalleryItem, NewArticle  # noqa: E402
from newsroom_tui.store import FeedUpdate, Store, StoreChange, open_store  # noqa: E402
from newsroom_tui.watch.alerts import Alerts, CommandRunner  # noqa: E402
from newsroom_tui.watch.arrivals import match_arrivals, usable  # noqa: E402
from newsroom_tui.watch.on_arrival import match_new_articles  # noqa: E402
from newsroom_tui.watch.watchlist import checked_watchlist  # noqa: E402
from newsroom_tui.watch_records import WatchMatch  # noqa: E402

# What a press desk might watch, in the farm's words and beyond (names, places, fields).
QUERIES = [
    "Straßensperrung OR Vollsperrung",
    '"Bahnhofstraße" Umleitung',
    "Feuerwehr Großeinsatz",
    "Bombe OR Blindgänger OR Kampfmittel",
    "Hochwasser OR Pegel OR Starkregen",
    "Evakuierung",
    'feed:"Stadt Herne" Haushaltsentwurf',
    "feed:Bochum Brücke",
    "title:Jugendamt",
    "title:(Gesundheitsamt OR Ordnungsamt) NOT Jubiläum",
    "credit:Öztürk",
    "credit:Kühn feed:Köln",
    '"Oberbürgermeister Jördis"',
    "Betrugsmaschen Telefon",
    "Förderprogramm Familien NOT Senioren",
    "Emscher Brücke saniert",
    "Ehrenamtliche Sommerferien",
    '"Klimaschutz hat der Vorlage"',
    "Stadtwerke Störung",
    "Stromausfall OR Gasleck OR Wasserrohrbruch",
    "Schulverwaltung Anmeldung",
    "Tiefbauamt Kanalarbeiten",
    "Kämmerei Haushalt",
    "Rathaus Politik Ausschuss",
    "title:Bürgerdialog",
    "Seniorenbüro Sprechstunde",
    "Volkshochschule Kurs",
    "Musikschule Konzert",
    "Grünflächenamt Bäume",
    "Stadtbibliothek Öffnungszeiten feed:Münster",
    "Auszubildende begrüßt",
    "Polizei Festnahme",
    "Unfall A40 OR A42 OR A43",
    "Demonstration OR Kundgebung",
    "Streik Verdi",
    "Messerangriff OR Schüsse",
    "Razzia",
    "Vermisst OR Vermisstensuche",
    "Brandstiftung",
    "Kita Schließung",
    "Corona OR Grippewelle",
    "Wahl Oberbürgermeister",
    "Baustelle Innenstadt -Bahnhofstraße",
    "feed:Tübingen Sperrung",
    "feed:Nürnberg title:Feuerwehr",
    "credit:Weiß title:Stadtwerke",
    "Jülich OR Lübeck Jubiläum",
    "category:Blaulicht",
    "Gelsenkirchen Großeinsatz Bilanz",
    "Heinrich Bäcker",
]
assert len(QUERIES) == 50
WATCHLISTS = [checked_watchlist(f"W{i:02d}", q, flag=i % 3 == 0) for i, q in enumerate(QUERIES)]


def farm_article(feed: int, index: int) -> NewArticle:
    item = make_item(feed, index)
    return NewArticle(
        guid=f"{feed}-{index}",
        url=None,
        title=item.title,
        published=item.published,
        summary=item.summary,
        body_markdown="\n\n".join(item.paragraphs),
        gallery=[
            GalleryItem(src=f"/b/{n}.jpg", caption="", credit=c) for n, c in enumerate(item.credits)
        ],
    )


def matching_cost(feeds: int = 50, items: int = 100) -> tuple[float, int, int]:
    """CPU µs per article for matching the farm's articles against the 50 watchlists."""
    parsed = usable(WATCHLISTS)
    batches = [
        (f"Stadt Feed {f}", [(f * items + i, farm_article(f, i)) for i in range(items)])
        for f in range(feeds)
    ]
    started = time.process_time()  # CPU time: the other engineers' load does not count
    found = sum(len(match_arrivals(parsed, name, None, new)) for name, new in batches)
    elapsed = time.process_time() - started
    return elapsed / (feeds * items) * 1e6, found, feeds * items


def cold_polls(farm: FarmProcess, work: Path) -> tuple[object, object, int]:
    urls = farm.feed_urls()
    plain, watched = work / "plain", work / "watched"
    subscribe(plain, urls)
    subscribe(watched, urls)
    for w in WATCHLISTS:
        subprocess.run(
            [*newsroom_command(), "--data-dir", str(watched), "watch", "add", w.name, w.query]
            + ["--flag"] * w.flag,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    without = measure([*newsroom_command(), "--data-dir", str(plain), "fetch", "--json"])
    with_lists = measure([*newsroom_command(), "--data-dir", str(watched), "fetch", "--json"])
    matches = len(json.loads(with_lists.stdout)["matches"])
    return without, with_lists, matches


def _update(n: int) -> FeedUpdate:
    art = NewArticle(
        guid=f"alarm-{n}",
        url=f"https://www.herne.de/presse/{n}",
        title=f"Vollsperrung der Bahnhofstraße wegen Bombenfund ({n})",
        published=datetime.now(UTC),
        body_markdown="Der Kampfmittelräumdienst ist vor Ort; Anwohner werden evakuiert.",
    )
    return FeedUpdate(polled_at=datetime.now(UTC), articles=[art])


def _watching(store: Store) -> int:
    """A feed in ``store`` watched by the 50 watchlists and one that notifies; its id."""
    feed, _ = store.add_feed("https://www.herne.de/presse/feed.rss", "Stadt Herne")
    alarm = checked_watchlist("Alarm", "Vollsperrung OR Bombenfund", notify=True, claim_for="anna")
    for watchlist in (alarm, *WATCHLISTS):
        store.add_watchlist(watchlist)
    return feed.id


def reader_latency(work: Path, samples: int) -> list[float]:
    """SQLite, the reader's own poll: from the save call to the alert being written."""
    store = open_store(work / "reader")
    feed_id = _watching(store)
    seen: list[float] = []
    runner = CommandRunner()
    alerts = Alerts(runner, lambda _sequence: None, env={})

    def alert(matches: list[WatchMatch]) -> None:  # the reader's listener: alert, then note
        alerts(matches)
        seen.append(time.perf_counter())

    store.on_watch_match(alert)
    delays = []
    for n in range(samples):
        started = time.perf_counter()
        store.save_feed_update(feed_id, _update(n), after_save=match_new_articles)
        delays.append(seen[-1] - started)
    runner.close()
    store.close()
    return delays


async def _toast_delays(app_store: Store, saver: Store, feed_id: int, samples: int) -> list[float]:
    """The reader itself (headless, 130x40) on ``app_store``: from ``saver``'s save call (in
    a thread, as a poll stores) to the reader's toast of the match."""
    from newsroom_tui.ui.app import NewsroomApp

    app = NewsroomApp(app_store, poll_on_start=False)
    seen: list[float] = []
    delays: list[float] = []
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause(0.5)  # first paint; the team listener starts after it
        app.reader.watch_alerts.toast = lambda _line: seen.append(time.perf_counter())
        for n in range(samples):
            before = len(seen)
            started = time.perf_counter()
            await asyncio.to_thread(
                saver.save_feed_update,
                feed_id,
                _update(10_000 + n),
                after_save=match_new_articles,
            )
            for _ in range(1000):
                if len(seen) > before:
                    break
                await pilot.pause(0.002)
            delays.append(seen[before] - started)
    return delays


def reader_app_latency(work: Path, samples: int) -> list[float]:
    store = open_store(work / "reader-app")
    feed_id = _watching(store)
    try:
        return asyncio.run(_toast_delays(store, store, feed_id, samples))
    finally:
        store.close()


def team_latency(samples: int) -> tuple[list[float], list[float], str]:
    """PostgreSQL: from the poller's save call to another client hearing the match, and to
    another reader's toast."""
    from newsroom_tui.store.postgres import PostgresStore
    from tests.pg_server import PgServer

    server = PgServer().start()
    try:
        dsn = server.new_database()
        poller, reader = PostgresStore(dsn, user="cron"), PostgresStore(dsn, user="desk")
        version = poller._query("SHOW server_version")[0][0]
        feed_id = _watching(poller)
        heard: dict[int, float] = {}
        got = threading.Event()

        def on_change(change: StoreChange) -> None:
            if change.kind == "match" and change.watchlist == "Alarm":
                heard[len(heard)] = time.perf_counter()
                got.set()

        listener = reader.watch(on_change)
        listener.online.wait(10)
        delays = []
        for n in range(samples):
            got.clear()
            started = time.perf_counter()
            poller.save_feed_update(feed_id, _update(n), after_save=match_new_articles)
            got.wait(5)
            delays.append(heard[len(heard) - 1] - started)
            time.sleep(0.02)
        listener.close()
        in_app = asyncio.run(_toast_delays(reader, poller, feed_id, min(samples, 50)))
        poller.close()
        reader.close()
        return delays, in_app, version
    finally:
        server.cleanup()


def _stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {max(values) * 1000:.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--samples", type=int, default=200, help="stored -> alert samples")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsroom-watch-"))

    per_article, found, articles = matching_cost()
    print(f"matching: {per_article:.1f} µs/article ({found} matches in {articles} articles)")
    reader = reader_latency(work, args.samples)
    print(f"reader: {_stats(reader)}")
    reader_app = reader_app_latency(work, min(args.samples, 50))
    print(f"reader app: {_stats(reader_app)}")
    team, team_app, pg_version = team_latency(args.samples)
    print(f"team: {_stats(team)}; team reader: {_stats(team_app)}")
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[0]
    with FarmProcess(FarmConfig(feeds=args.feeds, items=args.items)) as farm:
        without, with_lists, matches = cold_polls(farm, work)
    print(f"cold poll without: {without.wall:.2f} s, with: {with_lists.wall:.2f} s")  # type: ignore[attr-defined]

    w0, w1 = without.wall, with_lists.wall  # type: ignore[attr-defined]
    c0, c1 = without.cpu_s, with_lists.cpu_s  # type: ignore[attr-defined]
    farm_size = f"{args.feeds} x {args.items}"
    wall_change = f"{(w1 / w0 - 1) * 100:+.1f} %"
    text = f"""## Watchlists

Machine: {machine()}; load average {load} at the start (other engineers' work shares the
cores). Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Command:
`python bench/bench_watch.py --feeds {args.feeds} --items {args.items} --samples {args.samples}`

50 watchlists (bench_watch.QUERIES: words, phrases, OR/NOT, feed:/title:/credit:/category:).

| | without watchlists | with 50 watchlists |
|---|---|---|
| cold poll {farm_size} (`fetch --json`), wall | {w0:.2f} s | {w1:.2f} s ({wall_change}) |
| CPU of the process tree | {c0:.1f} s | {c1:.1f} s ({(c1 / c0 - 1) * 100:+.1f} %) |
| matches reported | – | {matches} |

- Matching alone: **{per_article:.1f} µs per article** against 50 watchlists ({found} matches
  in {articles} farm articles), in the transaction that stores the article.
- Stored -> alert, reader's process (SQLite; from the save call to the alert delivered by
  the match listener, with the 50 watchlists and one notify watchlist): {_stats(reader)}
  ({args.samples} articles); to the toast in the reader itself (headless, 130x40):
  {_stats(reader_app)} ({len(reader_app)} articles).
- Stored -> alert, team store (PostgreSQL {pg_version}; from the poller's save call to a
  second client hearing the match over LISTEN): {_stats(team)} ({args.samples} articles);
  to the toast in a colleague's reader (headless): {_stats(team_app)} ({len(team_app)}
  articles). Goal under 1 s.
"""
    print(text)
    if not args.no_write:
        write_section("watch", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
