"""A feed whose polls failed before it was ever fetched: its own view says the error and when
it is tried again, in the reader's language, instead of "Nothing here yet."; and once it is
removed from a shell, the open reader stops naming it as failed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.models import Feed
from newsroom_tui.store import FeedUpdate, SQLiteStore, open_store
from newsroom_tui.ui import language
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.unfetched import unfetched_text
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from tests.fixture_server import FixtureServer
from tests.pilot_waits import until

REFUSED = "cannot connect: connection refused by 127.0.0.1"
NOW = datetime(2026, 12, 7, 20, 21, tzinfo=UTC)  # 21:21 in Berlin


def clock(when: datetime) -> str:
    """The local time of a wait as the reader writes it (the date added on another day)."""
    local = when.astimezone()
    if local.date() == datetime.now(UTC).astimezone().date():
        return f"{local:%H:%M}"
    return f"{local:%d.%m. %H:%M}"


def test_the_text_of_an_unfetched_feed() -> None:
    feed = Feed(1, "http://127.0.0.1:8799/feed.rss", error=REFUSED, failures=1)
    assert unfetched_text(feed, NOW) == f"Not fetched yet: {REFUSED}; r polls now"
    waiting = Feed(1, feed.url, error=REFUSED, failures=2, retry_after=NOW + timedelta(minutes=15))
    assert unfetched_text(waiting, NOW) == (
        f"Not fetched yet: {REFUSED} — retry after 21:36; r polls now"
    )
    past = Feed(1, feed.url, error=REFUSED, retry_after=NOW - timedelta(minutes=1))
    assert unfetched_text(past, NOW) == f"Not fetched yet: {REFUSED}; r polls now"
    fetched_once = Feed(1, feed.url, error=REFUSED, last_success=NOW - timedelta(days=1))
    assert unfetched_text(fetched_once, NOW) is None  # its articles are gone, not never come
    assert unfetched_text(Feed(1, feed.url), NOW) is None  # not polled yet: nothing to say
    assert unfetched_text(None, NOW) is None


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[SQLiteStore, int, datetime]]:
    """Stadt Herne, fetched, and a feed on this machine whose server refused twice."""
    store = open_store(tmp_path / "data")
    herne, _ = store.add_feed("https://www.herne.example/presse.rss", title="Stadt Herne")
    store.save_feed_update(herne.id, FeedUpdate(polled_at=datetime.now(UTC), articles=[]))
    failed, _ = store.add_feed("http://127.0.0.1:8799/feed.rss")
    retry = datetime.now(UTC) + timedelta(hours=1)
    store.record_failure(failed.id, datetime.now(UTC), REFUSED)
    store.record_failure(failed.id, datetime.now(UTC), REFUSED, retry)
    yield store, failed.id, retry
    store.close()


async def _empty_view(store: SQLiteStore, feed_id: int) -> tuple[str, str]:
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one(ArticleList)
        await until(pilot, lambda: app.reader.feed_list.counted, what="the feed list")
        app.reader.go_to_feed(feed_id)
        await until(pilot, lambda: "127.0.0.1" in table.empty_text, what="the feed's empty view")
        meta = app.query_one(ArticleView).query_one("#meta").render()
        return table.empty_text, str(getattr(meta, "plain", meta))


async def test_the_feeds_view_says_why_it_is_empty(
    desk: tuple[SQLiteStore, int, datetime],
) -> None:
    store, feed_id, retry = desk
    empty, pane = await _empty_view(store, feed_id)
    assert empty == f"Not fetched yet: {REFUSED} — retry after {clock(retry)}; r polls now"
    assert pane == ""  # said once, by the list: the pane beside it stays empty


async def test_the_feeds_view_says_it_in_german(desk: tuple[SQLiteStore, int, datetime]) -> None:
    store, feed_id, retry = desk
    language.use_language({"LANG": "de_DE.UTF-8"})
    try:
        empty, _ = await _empty_view(store, feed_id)
    finally:
        language.use_language({"LANG": "C.UTF-8"})
    # the stored reason in German too (it is stored in English)
    refused = "keine Verbindung: von 127.0.0.1 abgelehnt"
    assert empty == (
        f"Noch nicht abgerufen: {refused} — nächster Versuch ab {clock(retry)}; r ruft jetzt ab"
    )


async def test_a_feed_removed_from_a_shell_leaves_the_status_line(
    server: FixtureServer, data_dir: Path
) -> None:
    server.add(
        "/herne.rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Stadt Herne</title>'
        "<item><title>Straßensperrung</title><guid>herne-1</guid></item></channel></rss>",
        "application/rss+xml",
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.rss"  # nobody listens
    store = open_store(data_dir)
    store.add_feed(server.url("/herne.rss"))
    store.add_feed(refused)
    app = NewsroomApp(store)  # polls on start

    def status() -> str:
        shown = app.query_one("#status").render()
        return str(getattr(shown, "plain", shown))

    async with app.run_test(size=(160, 30)) as pilot:
        await until(pilot, lambda: "1 feed failed" in status(), what="the failed feed")
        await until(pilot, lambda: not app.reader.poller.running, what="the poll's end")
        assert f"✗ {refused}" in status()
        # the reader looks at the cache's changes every 2 s after its poll: the first look
        # only marks where it is
        await until(pilot, lambda: app.reader.counts.looked, what="the first look")
        # another process unsubscribes it (the cache's data_version moves)
        assert main(["--data-dir", str(data_dir), "remove", refused]) == 0
        await until(pilot, lambda: "failed" not in status(), what="the feed gone from it")
        assert refused not in status()
    store.close()
