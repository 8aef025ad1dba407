"""What tests/test_hostile_third_faults.py needs in other processes (issue #24, faults): a
parse worker held in one long regex (C code that keeps the GIL: no Python thread of the
worker runs meanwhile), and a cache left at an older schema version."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

from newsroom_tui.ingest import worker_pool
from newsroom_tui.store import migrations
from newsroom_tui.store.sqlite import FTS_ROW
from newsroom_tui.text.search_text import fold

# Backtracking over 64 a's: about 10^13 steps, far longer than any test waits.
ENDLESS_PATTERN = re.compile(r"(?:a|aa)*b")


def stuck_in_regex(marker: str) -> bool:
    """A job that says it started, then stays in the regex engine."""
    Path(marker).touch()
    return ENDLESS_PATTERN.fullmatch("a" * 64) is not None


def busy_pool(folder: str, workers: int = 2) -> None:
    """Run ``workers`` parse workers, each stuck in a regex (the process a test kills)."""

    async def run() -> None:
        pool = worker_pool.Workers(workers)
        jobs = [pool.run(stuck_in_regex, str(Path(folder) / f"worker-{n}")) for n in range(workers)]
        await asyncio.gather(*jobs)

    asyncio.run(run())


def cache_at_version(path: Path, version: int, articles: int = 3) -> None:
    """A cache migrated up to ``version`` only, with a feed of the Stadt Herne and articles."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.create_function("nr_fold", 1, fold, deterministic=True)
    for step in migrations.MIGRATIONS[:version]:
        conn.execute("BEGIN")
        if callable(step):  # a step written in Python (the search index's rebuild)
            step(conn, {"fts_row": FTS_ROW}, None)
        else:
            for statement in step.format(fts_row=FTS_ROW).split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute("COMMIT")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO feeds (url, title, added) VALUES (?, ?, ?)",
        ("https://www.herne.de/rss", "Stadt Herne", "2026-12-01T08:00:00+00:00"),
    )
    for n in range(articles):
        conn.execute(
            "INSERT INTO articles (feed_id, guid, title, sort_key, fetched, body)"
            " VALUES (1, ?, ?, ?, ?, ?)",
            (
                f"herne-{n}",
                f"Grünflächenamt Herne: Baumfällungen im Stadtgarten, Teil {n}",
                f"2026-12-01T08:{n % 60:02d}:00",
                "2026-12-01T09:00:00+00:00",
                "Das Grünflächenamt der Stadt Herne lässt kranke Bäume fällen. " * 20,
            ),
        )
    conn.close()
