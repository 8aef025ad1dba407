"""Matching on arrival: each new article once, as it is stored, in the poll that stores it;
flag and claim; alerts through --run with the article as JSON on stdin, no shell."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.store import ArticleFilter, SQLiteStore
from newsroom_tui.watch.alerts import Alerts, CommandRunner
from newsroom_tui.watch.watchlist import checked_watchlist
from newsroom_tui.watch_records import WatchMatch
from tests.fixture_server import FixtureServer
from tests.watch_feeds import CITY_ITEMS, CITY_PATH, press_offices, serve

# A command that keeps its standard input in the file named by its first argument.
KEEP_STDIN = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())"


def subscribe(store: SQLiteStore, server: FixtureServer) -> None:
    city, police = press_offices(server)
    store.add_feed(city)
    store.add_feed(police, category="Blaulicht")


def heard(store: SQLiteStore) -> list[WatchMatch]:
    found: list[WatchMatch] = []
    store.on_watch_match(found.extend)
    return found


async def test_each_new_article_is_matched_once_and_never_again_on_repoll(
    server: FixtureServer, store: SQLiteStore
) -> None:
    subscribe(store, server)
    store.add_watchlist(checked_watchlist("Sperrungen", "Sperrung OR Vollsperrung", flag=True))
    store.add_watchlist(checked_watchlist("Kampfmittel", "Fliegerbombe OR Blindgänger"))
    matches = heard(store)

    report = await poll_feeds(store)
    assert report.new_articles == 4
    assert sorted((m.watchlist.name, m.title) for m in matches) == [
        ("Kampfmittel", "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag"),
        ("Sperrungen", "Vollsperrung der Bahnhofstraße ab Montag"),
    ]
    flagged = store.articles(ArticleFilter(flagged=True))
    assert [a.title for a in flagged] == ["Vollsperrung der Bahnhofstraße ab Montag"]
    assert {a.title: a.watched for a in store.articles()} == {
        "Vollsperrung der Bahnhofstraße ab Montag": True,
        "Stadtbibliothek verlängert Öffnungszeiten": False,
        "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag": True,
        "Zeugen nach Verkehrsunfall auf der A40 gesucht": False,
    }

    # the same feeds again (304), then a changed feed whose old items are known: only the
    # one new item is matched
    await poll_feeds(store)
    assert len(matches) == 2
    new_item = (
        "herne-2025-0413",
        "Sperrung der Cranger Straße wegen Kirmesaufbau",
        "Vom 1. bis 14. August ist die Cranger Straße gesperrt.",
    )
    serve(server, CITY_PATH, "Stadt Herne", [new_item, *CITY_ITEMS])
    report = await poll_feeds(store)
    assert report.new_articles == 1
    assert [m.title for m in matches[2:]] == [new_item[1]]
    counts = {c.watchlist.name: (c.total, c.unread) for c in store.watch_counts()}
    assert counts == {"Kampfmittel": (1, 1), "Sperrungen": (2, 2)}
    listed = store.articles(ArticleFilter(watchlist="Sperrungen"))
    assert [a.title for a in listed] == [new_item[1], "Vollsperrung der Bahnhofstraße ab Montag"]


async def test_a_match_is_claimed_for_a_person_and_the_first_claim_wins(
    server: FixtureServer, store: SQLiteStore
) -> None:
    subscribe(store, server)
    store.add_watchlist(checked_watchlist("Blaulicht", "category:Blaulicht", claim_for="ben"))
    store.add_watchlist(checked_watchlist("Bomben", "Fliegerbombe", claim_for="carla"))
    matches = heard(store)
    await poll_feeds(store)
    claimed = {a.title: a.claimed_by for a in store.articles() if a.claimed_by}
    assert claimed == {
        "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag": "ben",
        "Zeugen nach Verkehrsunfall auf der A40 gesucht": "ben",
    }
    assert {m.claimed_by for m in matches} == {"ben"}


async def test_config_watchlists_match_and_a_broken_stored_query_is_skipped(
    server: FixtureServer, store: SQLiteStore
) -> None:
    subscribe(store, server)
    with store._transaction() as tx:  # as a newer newsroom or a hand edit might leave it
        tx.execute("INSERT INTO watchlists (name, query, created) VALUES ('kaputt', '(Bombe', 'x')")
    config = checked_watchlist("Unfälle", "Verkehrsunfall feed:Polizei", origin="config")
    with closing(SQLiteStore(store.path, extra_watchlists=[config])) as configured:
        matches = heard(configured)
        report = await poll_feeds(configured)
    assert report.new_articles == 4 and not report.failed
    assert [(m.watchlist.name, m.watchlist.origin) for m in matches] == [("Unfälle", "config")]


async def test_run_gets_the_article_as_json_on_stdin(
    server: FixtureServer, store: SQLiteStore, tmp_path: Path
) -> None:
    subscribe(store, server)
    out = tmp_path / "alert.json"
    command = [sys.executable, "-c", KEEP_STDIN, str(out)]
    store.add_watchlist(checked_watchlist("Kampfmittel", "Blindgänger", run=command))
    runner = CommandRunner()
    store.on_watch_match(Alerts(runner))
    await poll_feeds(store)
    runner.close()
    sent = json.loads(out.read_text("utf-8"))
    assert sent["watchlist"] == "Kampfmittel"
    assert sent["title"] == "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag"
    assert sent["feed"] == "Polizei Bochum"
    assert sent["url"] == server.url("/meldung/pol-bo-5521")
    assert store.article(sent["id"]).title == sent["title"]  # type: ignore[union-attr]


async def test_a_hostile_title_never_reaches_a_shell(
    server: FixtureServer, store: SQLiteStore, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    hostile = f"Sperrung $(touch {marker}) `touch {marker}`; touch {marker} | echo '\"&& id"
    serve(server, CITY_PATH, "Stadt Herne", [("evil-1", hostile, "Sperrung; rm -rf ~")])
    store.add_feed(server.url(CITY_PATH))
    out = tmp_path / "alert.json"
    # even a command that is a shell gets the title only on stdin, never in its script
    script = f'cat > "{out}"'
    store.add_watchlist(checked_watchlist("Sperrungen", "Sperrung", run=["sh", "-c", script]))
    runner = CommandRunner()
    store.on_watch_match(Alerts(runner))
    await poll_feeds(store)
    runner.close()
    assert json.loads(out.read_text("utf-8"))["title"] == hostile
    assert not marker.exists()


async def test_failing_and_slow_commands_are_reported_and_never_hold_up_the_poll(
    server: FixtureServer, store: SQLiteStore, tmp_path: Path
) -> None:
    subscribe(store, server)
    late = tmp_path / "late"
    failing = [sys.executable, "-c", "import sys; sys.exit('Kanal nicht erreichbar')"]
    slow = [
        sys.executable,
        "-c",
        f"import time, pathlib; time.sleep(60); pathlib.Path({str(late)!r}).touch()",
    ]
    store.add_watchlist(checked_watchlist("Kaputt", "Vollsperrung", run=failing))
    store.add_watchlist(checked_watchlist("Langsam", "Fliegerbombe", run=slow))
    reports: list[str] = []
    runner = CommandRunner(reports.append, timeout=0.5)
    store.on_watch_match(Alerts(runner))
    report = await poll_feeds(store)
    assert report.new_articles == 4 and not report.failed
    assert not late.exists()  # the poll is over while the slow command still sleeps
    runner.close(wait=30)
    assert not late.exists()  # ended at its time limit
    assert sorted(reports) == [
        f"watch 'Kaputt': {sys.executable} exited with status 1: Kanal nicht erreichbar",
        f"watch 'Langsam': {sys.executable} took longer than 0.5 s and was ended",
    ]


def test_a_command_that_cannot_start_is_one_line() -> None:
    reports: list[str] = []
    runner = CommandRunner(reports.append)
    runner.start(["/nonexistent/an-den-kanal"], b"{}", "watch 'X'")
    runner.close()
    assert reports == [
        "watch 'X': cannot start /nonexistent/an-den-kanal: No such file or directory"
    ]
