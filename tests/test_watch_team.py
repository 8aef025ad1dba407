"""Watchlists on the team store: the team's table, a match announced to every open reader,
a claim-for visible to everyone with the article."""

from __future__ import annotations

import json
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.store import StoreChange
from newsroom_tui.watch.delivery import watch_alerts
from newsroom_tui.watch.watchlist import checked_watchlist
from newsroom_tui.watch_records import WatchMatch
from tests.fixture_server import FixtureServer
from tests.watch_feeds import press_offices

pytest.importorskip("psycopg")
from newsroom_tui.store.postgres import PostgresStore


async def test_a_match_reaches_the_other_reader_claimed_for_him(
    server: FixtureServer, pg_dsn: str
) -> None:
    with (
        closing(PostgresStore(pg_dsn, user="anna")) as anna,
        closing(PostgresStore(pg_dsn, user="ben")) as ben,
    ):
        await _match_reaches_ben(server, anna, ben)


async def _match_reaches_ben(
    server: FixtureServer, anna: PostgresStore, ben: PostgresStore
) -> None:
    city, police = press_offices(server)
    anna.add_feed(city)
    anna.add_feed(police)
    changes: list[StoreChange] = []
    matched = threading.Event()

    def on_change(change: StoreChange) -> None:
        changes.append(change)
        if change.kind == "match":
            matched.set()

    listener = ben.watch(on_change)
    assert listener.online.wait(5)
    try:
        watchlist = checked_watchlist(
            "Kampfmittel", "Fliegerbombe OR Blindgänger", claim_for="ben", notify=True
        )
        assert anna.add_watchlist(watchlist)
        assert [w.name for w in ben.watchlists()] == ["Kampfmittel"]  # the team's
        own: list[WatchMatch] = []
        anna.on_watch_match(own.extend)
        await poll_feeds(anna)
        assert matched.wait(5), "ben's reader heard no match"
        [match] = [c for c in changes if c.kind == "match"]
        assert match.watchlist == "Kampfmittel" and match.user == "ben"
        article = ben.article(match.article_id)  # type: ignore[arg-type]
        assert article is not None and article.claimed_by == "ben" and article.watched
        assert [m.article_id for m in own] == [match.article_id]  # the poller, first-hand
        assert any(c.kind == "watchlists" for c in changes)
        counts = {c.watchlist.name: (c.total, c.unread) for c in ben.watch_counts()}
        assert counts == {"Kampfmittel": (1, 1)}
        # a second poll stores nothing new and matches nothing
        changes.clear()
        await poll_feeds(anna)
        assert len(own) == 1
        assert ben.remove_watchlist("Kampfmittel")
        assert anna.watchlists() == []
    finally:
        listener.close()


def _hand_written_command(dsn: str, name: str, query: str, argv: list[str]) -> None:
    """A team watchlist row holding a command, as an older newsroom (or a hand-written
    INSERT) leaves it in the shared database."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO watchlists (name, query, run, created, created_by)
               VALUES (%s, %s, %s, '2025-04-11T09:00:00+00:00', 'anna')""",
            (name, query, json.dumps(argv)),
        )


async def test_a_command_in_the_team_database_is_not_run_by_a_colleagues_poll(
    server: FixtureServer, pg_dsn: str, tmp_path: Path
) -> None:
    """anna's command, stored in the shared database, would run on ben's machine with ben's
    environment ($PGPASSWORD, his keys): ben's poll matches, flags and notifies, but never
    starts it. A command of ben's own config file still runs there."""
    stolen = tmp_path / "stolen"
    own = tmp_path / "own"
    with (
        closing(PostgresStore(pg_dsn, user="anna")) as anna,
        closing(PostgresStore(pg_dsn, user="ben")) as ben,
    ):
        city, police = press_offices(server)
        anna.add_feed(city)
        anna.add_feed(police)
    leak = f"import os; open({str(stolen)!r}, 'w').write(os.environ.get('PGPASSWORD', '-'))"
    _hand_written_command(pg_dsn, "Kampfmittel", "Fliegerbombe", [sys.executable, "-c", leak])
    configured = checked_watchlist(
        "Sperrungen",
        "Vollsperrung",
        run=[sys.executable, "-c", f"open({str(own)!r}, 'w').write('x')"],
        origin="config",
    )
    with closing(PostgresStore(pg_dsn, user="ben", extra_watchlists=[configured])) as ben:
        [team] = [w for w in ben.watchlists() if w.name == "Kampfmittel"]
        assert team.run == () and team.origin == "team" and team.run_refused
        with watch_alerts(ben, quiet=True) as matches:
            await poll_feeds(ben)
        assert sorted(m.watchlist.name for m in matches) == ["Kampfmittel", "Sperrungen"]
    assert own.exists(), "the config file's command did not run (the test proves nothing)"
    assert not stolen.exists(), "a command from the team database ran on ben's machine"


def test_a_team_watchlist_cannot_hold_a_command(pg_dsn: str) -> None:
    with pytest.raises(ValueError, match="team database"):
        checked_watchlist("Kampfmittel", "Fliegerbombe", run="touch /tmp/x", origin="team")
    with closing(PostgresStore(pg_dsn, user="anna")) as anna:
        local = checked_watchlist("Kampfmittel", "Fliegerbombe", run="touch /tmp/x")
        with pytest.raises(ValueError, match="team database"):
            anna.add_watchlist(local)
        assert anna.watchlists() == []
        assert anna.add_watchlist(checked_watchlist("Kampfmittel", "Fliegerbombe", notify=True))
        [stored] = anna.watchlists()
        assert stored.origin == "team" and stored.notify and stored.run == ()


def test_watch_add_run_on_the_team_database_is_refused_in_one_line(
    pg_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command = "/usr/local/bin/an-den-kanal --kanal eilmeldungen"
    team = ["--database", pg_dsn, "--user", "anna"]
    code = main(
        [*team, "watch", "add", "Kampfmittel", "Fliegerbombe", "--notify", "--run", command]
    )
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "--run" in err and "config file" in err
    assert main(["--database", pg_dsn, "watch", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


async def test_a_watchlist_row_with_a_hostile_name_is_skipped_and_the_poll_goes_on(
    server: FixtureServer, pg_dsn: str
) -> None:
    """A row written by hand: a name and a claim-for holding escape sequences would reach
    every terminal (watch list, the claim) and could not be announced; it is left out, the
    team's other watchlists match."""
    import psycopg

    with closing(PostgresStore(pg_dsn, user="anna")) as anna:
        city, police = press_offices(server)
        anna.add_feed(city)
        anna.add_feed(police)
        assert anna.add_watchlist(checked_watchlist("Sperrungen", "Vollsperrung", flag=True))
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for name, claim_for in (("Kampf\x1b]0;x\x07mittel", None), ("Bombe", "ben\x1b[2J")):
                conn.execute(
                    """INSERT INTO watchlists (name, query, claim_for, created)
                       VALUES (%s, 'Fliegerbombe', %s, '2025-04-11T09:00:00+00:00')""",
                    (name, claim_for),
                )
        heard: list[WatchMatch] = []
        anna.on_watch_match(heard.extend)
        report = await poll_feeds(anna)
        assert not report.failed and report.new_articles == 4
        assert [m.watchlist.name for m in heard] == ["Sperrungen"]
        assert [w.name for w in anna.watchlists()] == ["Sperrungen"]
        assert all(a.claimed_by is None for a in anna.articles())


def test_a_query_with_escape_sequences_never_reaches_a_colleagues_terminal(
    pg_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A watchlist's query is printed by every member's watch list: one with an OSC 52
    clipboard write is refused at watch add (one line, exit 2), and a row holding one
    (an older newsroom, a hand-written INSERT) is left out of ben's list, the others shown."""
    import psycopg

    hostile = "Fliegerbombe \x1b]52;c;cm0gLXJmIH4=\x07 Herne"
    team = ["--database", pg_dsn, "--user", "anna"]
    assert main([*team, "watch", "add", "Kampfmittel", hostile]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "\x1b" not in err + out
    assert main([*team, "watch", "add", "Sperrungen", "Vollsperrung"]) == 0
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO watchlists (name, query, created)
               VALUES ('Kampfmittel', %s, '2025-04-11T09:00:00+00:00')""",
            (hostile,),
        )
    capsys.readouterr()
    assert main(["--database", pg_dsn, "--user", "ben", "watch", "list"]) == 0
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out
    assert "Sperrungen: Vollsperrung" in out
