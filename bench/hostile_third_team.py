"""Issue #24, the team store and the watchlists: a colleague's command stored in the shared
database, unbounded work in watchlists, and what the team store reads from others.

The cases on PostgreSQL start a throwaway server of their own (tests/pg_server.py); where
PostgreSQL is not installed they say so and are skipped."""

from __future__ import annotations

import resource
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from hostile_third_kit import Case, Side, last_line

from tests import pg_server
from tests.watch_feeds import press_offices

SKIPPED = "skipped: PostgreSQL (initdb, pg_ctl) is not installed"


@contextmanager
def _team_database() -> Iterator[str | None]:
    """The connection string of a fresh database on a server of the case's own (None where
    PostgreSQL is not installed)."""
    if not pg_server.available():
        yield None
        return
    server = pg_server.PgServer().start()
    try:
        yield server.new_database()
    finally:
        server.cleanup()


def _insert_command(dsn: str, name: str, query: str, argv: list[str]) -> None:
    """The row an older newsroom's ``watch add --run`` (or a hand-written INSERT) leaves."""
    import json

    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO watchlists (name, query, run, created, created_by)
               VALUES (%s, %s, %s, '2025-04-11T09:00:00+00:00', 'anna')""",
            (name, query, json.dumps(argv)),
        )


def _team_command(side: Side) -> str:
    with _team_database() as dsn:
        if dsn is None:
            return SKIPPED
        anna = ["--database", dsn, "--user", "anna"]
        side.run([*anna, "add", "--force", *press_offices(side.server)])
        stolen = side.work / "stolen"
        leak = f"import os; open({str(stolen)!r}, 'w').write(os.environ.get('PGPASSWORD', ''))"
        argv = [sys.executable, "-c", leak]
        added = side.run(
            [*anna, "watch", "add", "Kampfmittel", "Fliegerbombe", "--run", shlex.join(argv)]
        )
        how = "watch add --run stored it"
        if added.returncode != 0:  # refused: the row an older newsroom would write
            _insert_command(dsn, "Kampfmittel", "Fliegerbombe", argv)
            how = f"watch add --run refused ({last_line(added.stderr)[:60]}…), row written by hand"
        env = {**side.env, "PGPASSWORD": "geheim-ben"}
        fetched = side.run(["--database", dsn, "--user", "ben", "fetch", "--json"], env=env)
        if stolen.exists():
            return f"broken: {how}; ben's fetch ran it (read PGPASSWORD={stolen.read_text()!r})"
        if fetched.returncode not in (0, 1):
            return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stderr)}"
        if "Kampfmittel" not in fetched.stdout:
            return "case error: ben's fetch matched nothing (the case proves nothing)"
        return f"held: {how}; ben's fetch matched and did not run it"


FLOOD_MB = 500  # the report saw 1.5 GB grow newsroom to 4.66 GB; 500 MB shows it


def _stderr_flood(side: Side) -> str:
    """A watchlist command of the config file writes 500 MB to stderr, then fails."""
    flood = (
        "import sys\n"
        f"for _ in range({FLOOD_MB}): sys.stderr.buffer.write(b'Fehler ' * 149796 + b'\\n')\n"
        "sys.exit('Kanal nicht erreichbar')"
    )
    config = side.work / "config.toml"
    config.write_text(
        '[watch."Kampfmittel"]\nquery = "Fliegerbombe"\n'
        f"run = [{sys.executable!r}, '-c', {flood!r}]\n",
        "utf-8",
    )
    env = {**side.env, "NEWSROOM_CONFIG": str(config)}
    side.run(["add", "--force", *press_offices(side.server)], env=env)
    fetched = side.run(["fetch"], env=env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    said = "exited with status 1: Kanal nicht erreichbar" in fetched.stderr
    if fetched.returncode not in (0, 1):
        return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stderr)}"
    if peak_mb > 300 or not said:
        return f"broken: {FLOOD_MB:,} MB of stderr, newsroom peaked at {peak_mb:,} MB"
    return f"held: {FLOOD_MB:,} MB of stderr, newsroom peaked at {peak_mb} MB, error line kept"


def _deep_query(side: Side) -> str:
    """A config watchlist whose query is 990 parentheses deep."""
    config = side.work / "config.toml"
    deep = "(" * 990 + "Fliegerbombe" + ")" * 990
    config.write_text(f'[watch."Tief"]\nquery = "{deep}"\n', "utf-8")
    env = {**side.env, "NEWSROOM_CONFIG": str(config)}
    listed = side.run(["list"], env=env)
    err = listed.stderr.strip()
    if "Traceback" in err or "RecursionError" in err:
        return f"broken: a traceback ({last_line(err)[:80]})"
    if listed.returncode != 2 or err.count("\n") or "config error" not in err:
        return f"broken: exit {listed.returncode}: {last_line(err)[:80]}"
    return f"held: exit 2, one line: …{err[-70:]}"


CASES = [
    Case("team watchlist `--run` reads a colleague's PGPASSWORD in his poll", _team_command),
    Case("watchlist command writes 500 MB to stderr", _stderr_flood),
    Case("config watchlist query nested 990 parentheses deep", _deep_query),
]
