"""Search on a large cache (issue #24, "Scale"): `newsroom search stadt --limit 50` as a
whole process, on a cache of 1,000,000 articles, on this checkout and (with ``--base DIR``,
e.g. ``git archive b8e6e9c | tar -x -C DIR``) on older code, taking turns.

    python bench/bench_search_scale.py [--articles 1000000] [--cache DIR] [--base DIR]

The cache is made once by ``--base``'s code when given (else this checkout's) and kept in
``--cache`` (default /tmp/newsroom-search-scale-N): building 1,000,000 articles takes many
minutes. Articles arrive as polls do, in rounds of one article per feed (so ids grow with
time), a few dated days back; titles and bodies are German press-release text in which
"Stadt" words are common and "Grün"/"Grund" words meet. This checkout opens a copy of that
cache (its first start may migrate it: that time is reported too).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEEDS = 1000
TOPICS = [
    "Stadtrat beschließt Haushalt",
    "Baustelle an der Bahnhofstraße",
    "Kita-Plätze für Wanne-Eickel",
    "Neue Öffnungszeiten im Bürgerbüro",
    "Müllabfuhr verschiebt sich",
    "Radweg am Westring fertig",
    "Förderprogramm für Vereine",
    "Grünflächenamt pflanzt Bäume",
    "Grundschule an der Schillerstraße erweitert",
    "Polizei Bochum sucht Zeugen",
    "Feuerwehr übt am Rathaus",
    "Klimaschutz: Förderung für Solaranlagen",
    "Schwimmbad öffnet nach Sanierung",
    "Stadtbibliothek zeigt Ausstellung",
    "Grundstücke im Gewerbegebiet vergeben",
    "Sperrung der Herner Straße",
]
SENTENCES = [
    "Die Stadt Herne informiert über die Arbeiten.",
    "Die Stadtverwaltung bittet um Verständnis.",
    "Anwohnerinnen und Anwohner können sich im Bürgerbüro melden.",
    "Das Grünflächenamt kümmert sich um die Beete am Rathaus.",
    "Der Grund dafür sind Leitungsarbeiten der Stadtwerke.",
    "Die Polizei bittet Zeugen, sich unter der bekannten Nummer zu melden.",
    "Der Rat entscheidet in seiner nächsten Sitzung über die Vorlage.",
    "Fragen beantwortet die Pressestelle montags bis freitags.",
    "Die Feuerwehr war mit zwei Löschzügen vor Ort.",
    "Für Kinder gibt es ein eigenes Programm.",
    "Weitere Informationen stehen auf der Internetseite.",
    "Die Maßnahme kostet rund 250.000 Euro.",
]


def build(cache: Path, articles: int) -> None:
    """The cache, made by the code on ``sys.path`` (run in a process of its own)."""
    from newsroom_tui.models import NewArticle
    from newsroom_tui.store import FeedUpdate, open_store

    rng = random.Random(24)
    store = open_store(cache)
    feeds = [store.add_feed(f"http://127.0.0.1:9/feed/{f}.xml")[0].id for f in range(FEEDS)]
    base = datetime(2024, 1, 1, tzinfo=UTC)
    rounds = max(1, articles // FEEDS)
    for r in range(rounds):
        polled = base + timedelta(minutes=10 * r)
        updates = []
        for n, feed_id in enumerate(feeds):
            late = rng.random() < 0.05  # a few arrive days after they were published
            published = polled - timedelta(days=rng.randint(1, 30) if late else 0, minutes=n % 10)
            body = " ".join(rng.choice(SENTENCES) for _ in range(6))
            title = f"{rng.choice(TOPICS)} ({r}-{n})"
            updates.append(
                (
                    feed_id,
                    FeedUpdate(
                        polled_at=polled,
                        title=f"Stadt {n}" if n % 3 else f"Polizei {n}",
                        articles=[NewArticle(f"{r}-{n}", None, title, published, "", body)],
                    ),
                )
            )
        store.save_feed_updates(updates)
        if r % 50 == 0:
            print(f"built {(r + 1) * FEEDS:,} of {rounds * FEEDS:,}", file=sys.stderr, flush=True)
    store.close()


def newsroom(code: Path, data_dir: Path, *args: str) -> tuple[float, float, str, str]:
    """One `newsroom` process of the code in ``code``: its wall time, its CPU time (user and
    system: the machine may be shared), stdout and stderr."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=data_dir,  # not this checkout: `python -m` would import its package first
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout, done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--base", type=Path, default=None)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--query", default="stadt")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cache = args.cache or Path(f"/tmp/newsroom-search-scale-{args.articles}")
    if args.build_only:
        build(cache, args.articles)
        return 0
    made_by = args.base or ROOT
    if not (cache / "newsroom.sqlite3").exists():
        env = {**os.environ, "PYTHONPATH": str(made_by)}
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, __file__, "--build-only", "--articles", str(args.articles),
             "--cache", str(cache)],
            env=env,
            check=True,
            cwd=cache,
        )  # fmt: skip
    sides: dict[str, tuple[Path, Path]] = {}
    if args.base:
        sides["base"] = (args.base, cache)
    mine = cache.with_name(cache.name + "-this")
    if not (mine / "newsroom.sqlite3").exists():
        shutil.copytree(cache, mine)
    migrate, migrate_cpu, _, _ = newsroom(ROOT, mine, "feeds")  # the first start migrates
    sides["this"] = (ROOT, mine)

    query = ["search", args.query, "--limit", "50"]
    times: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
    hits: dict[str, str] = {}
    for _ in range(args.turns):
        for side, (code, data_dir) in sides.items():
            wall, cpu, out, _ = newsroom(code, data_dir, *query)
            times[side].append((wall, cpu))
            hits[side] = out.splitlines()[0] if out else "(none)"
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
        f"{args.articles:,} articles"
    )
    print(
        f"first start of this checkout on the cache (migration, `feeds`): {migrate:.1f} s "
        f"wall, {migrate_cpu:.1f} s CPU"
    )
    for side, values in times.items():
        walls = [wall for wall, _ in values]
        cpus = [cpu for _, cpu in values]
        print(
            f"{side}: `newsroom {' '.join(query)}` median {statistics.median(walls):.2f} s wall "
            f"({' / '.join(f'{v:.2f}' for v in walls)}), {statistics.median(cpus):.2f} s CPU "
            f"({' / '.join(f'{v:.2f}' for v in cpus)}); first row: {hits[side]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
