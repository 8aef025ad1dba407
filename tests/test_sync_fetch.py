"""``newsroom fetch`` with a sync account: the server's items in synced feeds, the outbox
pushed before the pull, a change on both sides, a server down or answering garbage; on the
local cache and, where it applies, on the team store (``place``)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK
from newsroom_tui.ingest.synced_articles import synced_article
from newsroom_tui.store import ArticleFilter, Store, open_store
from newsroom_tui.store.sync_side import SQLiteSyncSide, waiting_changes
from newsroom_tui.sync.account_sync import sync_saved_account
from tests.fixture_server import FixtureServer
from tests.hostile_faults_site import item, rss
from tests.sync_kit import Place, _secret_in_file, account, herne_feed, place, polizei_feed
from tests.sync_server import SyncServer, answer_with

__all__ = ["_secret_in_file", "account", "place"]  # the fixtures, imported to be found

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"


def newsroom(
    where: Path | Place, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    capsys.readouterr()
    old = __import__("sys").stdin
    __import__("sys").stdin = io.StringIO(stdin)
    place = where if isinstance(where, Place) else Place(where)
    try:
        code = main([*place.args(), *args])
    finally:
        __import__("sys").stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def log_in(
    data_dir: Path | Place, capsys: pytest.CaptureFixture[str], server: SyncServer, way: str
) -> None:
    if way == "miniflux-rest":
        args = ("sync", "login", server.base, "--token-stdin", "--no-sync")
        code, _, err = newsroom(data_dir, capsys, *args, stdin=server.api_key + "\n")
    else:
        args = (
            "sync",
            "login",
            server.base,
            "--user",
            server.user,
            "--password-stdin",
            "--no-sync",
        )
        code, _, err = newsroom(data_dir, capsys, *args, stdin=server.password + "\n")
    assert code == EXIT_OK, err


def desk(server: SyncServer) -> dict[str, int]:
    """Two subscriptions, three unread items, one read and starred."""
    polizei, herne = polizei_feed(server), herne_feed(server)
    return {
        "unfall": server.add_item(
            polizei,
            "Verkehrsunfall auf der A43: Polizei Bochum sucht Zeugen",
            "https://www.presseportal.de/blaulicht/pm/11530/1",
        ),
        "einbruch": server.add_item(
            polizei,
            "Einbruch in Wattenscheider Bäckerei – Täter flüchtig",
            "https://www.presseportal.de/blaulicht/pm/11530/2",
        ),
        "sperrung": server.add_item(
            herne,
            "Stadt Herne: Bahnhofstraße ab Montag gesperrt",
            "https://www.herne.de/meldungen/sperrung.html",
        ),
        "archiv": server.add_item(
            herne,
            "Stadt Herne: Sprechstunde des Oberbürgermeisters",
            "https://www.herne.de/meldungen/sprechstunde.html",
            read=True,
            starred=True,
        ),
    }


def fetch_json(data_dir: Path | Place, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code, out, err = newsroom(data_dir, capsys, "fetch", "--json")
    return code, json.loads(out), err


def cache(where: Path | Place) -> Store:
    return where.store() if isinstance(where, Place) else open_store(where)


def article_id(data_dir: Path | Place, title_start: str) -> int:
    store = cache(data_dir)
    try:
        return next(a.id for a in store.articles() if a.title.startswith(title_start))
    finally:
        store.close()


def test_fetch_stores_the_servers_items_in_synced_feeds(
    account: tuple[SyncServer, str], place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    server, way = account
    desk(server)
    log_in(place, capsys, server, way)
    code, report, err = fetch_json(place, capsys)
    assert code == EXIT_OK, err
    assert report["sync"]["error"] is None
    assert report["sync"]["new_articles"] == 4
    assert report["failed"] == []
    store = cache(place)
    try:
        feeds = {feed.title: feed for feed in store.feeds()}
        polizei = feeds["Polizei Bochum – Pressemeldungen"]
        assert polizei.kind == "synced" and polizei.category == "Polizei"
        assert feeds["Stadt Herne: Pressemitteilungen"].kind == "synced"
        rows = {a.title: a for a in store.articles()}
        assert set(rows) == {
            "Verkehrsunfall auf der A43: Polizei Bochum sucht Zeugen",
            "Einbruch in Wattenscheider Bäckerei – Täter flüchtig",
            "Stadt Herne: Bahnhofstraße ab Montag gesperrt",
            "Stadt Herne: Sprechstunde des Oberbürgermeisters",
        }
        archived = rows["Stadt Herne: Sprechstunde des Oberbürgermeisters"]
        assert archived.read and archived.flagged
        assert store.count_articles(ArticleFilter(unread=True)) == 3
        body = store.article(rows["Stadt Herne: Bahnhofstraße ab Montag gesperrt"].id)
        assert body is not None and "Bahnhofstraße ab Montag gesperrt" in body.body_markdown
    finally:
        store.close()
    # a second fetch with nothing changed adds nothing and sends nothing
    code, report, _ = fetch_json(place, capsys)
    assert code == EXIT_OK
    assert report["sync"]["new_articles"] == 0 and report["sync"]["pushed"] == 0


def test_read_then_fetch_pushes_the_read_state_before_the_pull(
    account: tuple[SyncServer, str], place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    server, way = account
    items = desk(server)
    log_in(place, capsys, server, way)
    assert fetch_json(place, capsys)[0] == EXIT_OK
    unfall = article_id(place, "Verkehrsunfall")
    assert newsroom(place, capsys, "read", str(unfall))[0] == EXIT_OK
    assert newsroom(place, capsys, "flag", str(article_id(place, "Einbruch")))[0] == 0
    assert place.waiting() == 2
    code, out, _ = newsroom(place, capsys, "sync", "status")
    assert "waiting:    2 changes" in out
    server.log.clear()
    code, report, err = fetch_json(place, capsys)
    assert code == EXIT_OK, err
    assert report["sync"]["pushed"] == 2
    assert server.items[items["unfall"]].read
    assert server.items[items["einbruch"]].starred
    routes = server.routes()
    push = next(i for i, r in enumerate(routes) if "edit-tag" in r or r == "PUT /v1/entries")
    pull = next(
        i for i, r in enumerate(routes) if "stream/items/ids" in r or r == "GET /v1/entries"
    )
    assert push < pull, routes
    assert place.waiting() == 0
    # (the article itself, read and dated 2024, is retention's now: keep_days is 90)


def test_a_change_on_both_sides_keeps_the_local_one(
    account: tuple[SyncServer, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Elsewhere the item is starred; here it is read while the sync runs (after the engine
    looked at the outbox): the pull takes the star and keeps the local read; the next sync
    sends it."""
    server, way = account
    items = desk(server)
    log_in(data_dir, capsys, server, way)
    assert fetch_json(data_dir, capsys)[0] == EXIT_OK
    unfall = article_id(data_dir, "Verkehrsunfall")
    server.set_state(items["unfall"], starred=True)
    store = cache(data_dir)

    class Meanwhile(SQLiteSyncSide):
        def pending(self):  # type: ignore[no-untyped-def]
            store.set_read(unfall, True)  # the desk reads it just now
            return super().pending()

    try:
        asyncio.run(sync_saved_account(data_dir, Meanwhile(store, article_of=synced_article)))
        after = store.article(unfall)
        assert after is not None and after.read and after.flagged
        assert waiting_changes(data_dir) == 1
        assert not server.items[items["unfall"]].read
        asyncio.run(sync_saved_account(data_dir, SQLiteSyncSide(store, article_of=synced_article)))
        assert server.items[items["unfall"]].read
        after = store.article(unfall)
        assert after is not None and after.read and after.flagged
    finally:
        store.close()


@pytest.mark.parametrize("trouble", ["down", "garbage"])
def test_a_server_down_or_broken_leaves_cache_and_outbox_whole(
    trouble: str, place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = place
    server = SyncServer("freshrss").start()
    try:
        items = desk(server)
        log_in(data_dir, capsys, server, "freshrss")
        assert fetch_json(data_dir, capsys)[0] == EXIT_OK
        unfall = article_id(data_dir, "Verkehrsunfall")
        newsroom(data_dir, capsys, "read", str(unfall))
        server.set_state(items["sperrung"], read=True)  # not to be seen
        if trouble == "down":
            server.stop()
        else:
            server.behaviours["stream/items/ids"] = answer_with(200, b"<html>Wartung</html>")
        store = cache(data_dir)
        before = [(a.id, a.title, a.read, a.flagged) for a in store.articles()]
        store.close()
        code, _, err = newsroom(data_dir, capsys, "fetch")
        assert code == EXIT_FAILED
        failures = [line for line in err.splitlines() if line.startswith("failed:")]
        assert len(failures) == 1 and "sync with FreshRSS" in failures[0], err
        assert "Traceback" not in err
        store = cache(data_dir)
        try:
            assert [(a.id, a.title, a.read, a.flagged) for a in store.articles()] == before
        finally:
            store.close()
        # a server that is down took nothing: the change waits; one that broke after taking
        # it (the pull failed, the push did not) has it, and only that left the outbox
        waiting = 1 if trouble == "down" else 0
        assert place.waiting() == waiting
        if trouble == "garbage":
            assert server.items[items["unfall"]].read
        code, status, _ = newsroom(data_dir, capsys, "sync", "status", "--json")
        assert json.loads(status)["last_error"].startswith("sync with FreshRSS")
        assert json.loads(status)["waiting"] == waiting
    finally:
        if trouble != "down":
            server.stop()


def test_a_local_feed_is_polled_beside_the_account_even_when_it_is_down(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The account's feeds come from the server; a feed added here is fetched here, as
    without an account, and brings its news while the account's server is down."""
    site = FixtureServer().start()
    server = SyncServer("freshrss").start()
    try:
        site.add(
            "/herne.xml",
            rss("Stadt Herne – Presse", [item("fest-1", "Stadtfest in Herne-Mitte am Samstag")]),
            "application/rss+xml",
        )
        desk(server)
        log_in(data_dir, capsys, server, "freshrss")
        assert newsroom(data_dir, capsys, "add", site.url("/herne.xml"))[0] == EXIT_OK
        assert fetch_json(data_dir, capsys)[0] == EXIT_OK
        server.stop()
        site.add(
            "/herne.xml",
            rss(
                "Stadt Herne – Presse",
                [
                    item("fest-2", "Stadtfest: Sperrungen rund um den Europaplatz"),
                    item("fest-1", "Stadtfest in Herne-Mitte am Samstag"),
                ],
            ),
            "application/rss+xml",
        )
        code, report, err = fetch_json(data_dir, capsys)
    finally:
        site.stop()
        server.stop()
    assert code == EXIT_FAILED
    assert [f["url"] for f in report["failed"]] == [server.endpoint], report["failed"]
    assert report["sync"]["error"].startswith("sync with FreshRSS")
    assert "Traceback" not in err
    store = cache(data_dir)
    try:
        local = next(feed for feed in store.feeds() if feed.url == site.url("/herne.xml"))
        assert local.kind != "synced"
        titles = {a.title for a in store.articles() if a.feed_id == local.id}
        assert titles == {
            "Stadtfest in Herne-Mitte am Samstag",
            "Stadtfest: Sperrungen rund um den Europaplatz",
        }
        assert len([a for a in store.articles() if a.feed_id != local.id]) == 4
    finally:
        store.close()


def test_hostile_titles_from_the_server_reach_the_cache_clean(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = SyncServer("freshrss").start()
    try:
        feed = server.add_feed(f"Polizei Bochum{OSC52}", "https://www.presseportal.de/rss/1.rss")
        server.add_item(
            feed,
            f"Festnahme in Herne{OSC52}\x1b[2J",
            "https://www.presseportal.de/blaulicht/pm/11530/9",
            html=f"<p>Die Polizei nahm einen Mann fest.{OSC52}</p>"
            + "<p>Mehr dazu folgt.</p>" * 20,
        )
        log_in(data_dir, capsys, server, "freshrss")
        assert fetch_json(data_dir, capsys)[0] == EXIT_OK
    finally:
        server.stop()
    store = cache(data_dir)
    try:
        texts = [f.title or "" for f in store.feeds()]
        (row,) = store.articles()
        article = store.article(row.id)
        assert article is not None
        texts += [row.title, row.feed, article.body_markdown]
    finally:
        store.close()
    assert row.title.startswith("Festnahme in Herne")
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text, repr(text)
