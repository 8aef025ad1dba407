"""Drive the reader with Textual's Pilot."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, open_store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_body import ArticleBody
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from newsroom_tui.ui.widgets.feed_list import FeedList
from tests.fixture_server import FEED_PATH, FixtureServer
from tests.pilot_waits import pane_shown, until

UNREAD = ArticleFilter(unread=True)


async def subscribe(server: FixtureServer, data_dir: Path, *, poll: bool) -> SQLiteStore:
    store = open_store(data_dir)
    store.add_feed(server.url(FEED_PATH))
    if poll:
        report = await poll_feeds(store)
        assert report.new_articles == 3 and not report.failed
    return store


async def settled(app: NewsroomApp, pilot: Pilot[None]) -> None:
    """Until the reader's workers (feed counts, a poll, the list's rows, the article) are
    done and their results shown."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pane_shown(pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()


def static_text(app: NewsroomApp, selector: str) -> str:
    content = app.query_one(selector, Static).render()
    return str(content.plain if hasattr(content, "plain") else content)


def rendered_text(app: NewsroomApp, selector: str, width: int) -> str:
    """What a Static holding any renderable (a table) shows at ``width``, as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(app.query_one(selector, Static).content)
    return console.export_text()


async def test_move_open_read_credits_and_quit(herne: FixtureServer, data_dir: Path) -> None:
    store = await subscribe(herne, data_dir, poll=True)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 60  # skimming reads nothing here, however slow the machine; Enter does
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(ArticleList)
        assert table.has_focus and table.row_count == 3
        view = app.query_one(ArticleView)
        await pane_shown(pilot)
        assert view.article is not None
        assert view.article.title == "Straßensperrung an der Bahnhofstraße"

        await pilot.press("j", "down")
        await pane_shown(pilot)
        assert view.article.title == "Kommunales Integrationsmanagement eingeführt"
        meta = static_text(app, "#meta")
        assert "Stadt Herne – Pressemeldungen" in meta
        assert "2023-05-09 10:15" in meta
        credits = static_text(app, "#credits")
        assert "Photo credits" in credits
        assert "Thomas Schmidt/Stadt Herne ×6" in credits
        assert "Impressionen vom Fachtag." in rendered_text(app, "#captions", 60)
        body = app.query_one("#body", ArticleBody).source
        assert "Stadtteilzentrum Pluto" in body

        await pilot.press("k")
        await pane_shown(pilot)
        assert view.article.title.startswith("Stadtbibliothek")

        await pilot.press("enter")
        assert view.has_focus
        await pilot.press("escape")
        assert table.has_focus
        await pilot.press("q")
    assert not app.is_running
    read = {a.title: a.read for a in store.articles()}
    assert read["Stadtbibliothek verlängert Öffnungszeiten & startet Lesesommer"] is True  # Enter
    assert read["Kommunales Integrationsmanagement eingeführt"] is False  # only skimmed
    assert store.count_articles(UNREAD) == 2
    store.close()


async def test_startup_polls_in_background(herne: FixtureServer, data_dir: Path) -> None:
    store = await subscribe(herne, data_dir, poll=False)
    app = NewsroomApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "last poll 20" in static_text(app, "#status"), what="a poll")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(ArticleList).row_count == 3
        status = static_text(app, "#status")
        assert "last poll 20" in status and "3 stories" in status
        assert "OFFLINE" not in status
    store.close()


async def test_offline_start_shows_cache(herne: FixtureServer, data_dir: Path) -> None:
    store = await subscribe(herne, data_dir, poll=True)
    herne.stop()
    app = NewsroomApp(store)
    # wide enough for the failed feed's reason at the end of the status line
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: "OFFLINE" in static_text(app, "#status"), what="OFFLINE")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = static_text(app, "#status")
        assert "OFFLINE" in status
        assert "cannot connect" in status
        assert app.query_one(ArticleList).row_count == 3
        assert app.query_one("#status").has_class("offline")
    store.close()


async def test_empty_cache_explains_how_to_start(data_dir: Path) -> None:
    store = open_store(data_dir)
    app = NewsroomApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(ArticleList)
        await until(pilot, lambda: "newsroom add URL" in table.empty_text)
    store.close()


async def test_markup_in_titles_is_shown_literally(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed", title="[red]Feed[/red]")
    evil = "[bold]Fett[/bold] [@click=app.quit]Klick[/] [/"
    when = datetime(2024, 1, 1, tzinfo=UTC)
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=when, articles=[NewArticle("g", None, evil, when)])
    )
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        table = app.query_one(ArticleList)
        assert evil[:20] in table.get_line_plain(0)
        row = table.row_at(0)
        assert row is not None and row.title == evil
        assert evil in static_text(app, "#meta")
        assert "[red]Feed[/red]" in static_text(app, "#meta")
        await pilot.click("#meta")
        assert app.is_running


async def test_long_article_renders_progressively(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    when = datetime(2024, 1, 1, tzinfo=UTC)
    body = "\n\n".join(f"Absatz {i} über Baustellen in Herne." for i in range(2000))
    long_one = NewArticle("g", None, "Lang", when, "", body)
    store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=[long_one]))
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_shown(pilot)
        view = app.query_one(ArticleView)
        rendered = app.query_one("#body", ArticleBody).source
        assert "Absatz 0 " in rendered and "Absatz 1999 " not in rendered
        assert not view.fully_rendered
        await pilot.press("enter")
        for _ in range(5):
            await pilot.press("end")
            await pilot.pause(0.05)
        assert len(app.query_one("#body", ArticleBody).source) > len(rendered)


async def test_counts_of_some_feeds_update_in_place(data_dir: Path) -> None:
    """During a poll only the finished feeds are counted again; a feed the list does not
    show yet makes it rebuild."""
    store = open_store(data_dir)
    one, _ = store.add_feed("http://127.0.0.1/eins")
    two, _ = store.add_feed("http://127.0.0.1/zwei")
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(app, pilot)
        feeds = app.query_one(FeedList)
        assert feeds.row_count == 3 and feeds.total_unread == 0
        now = datetime.now(UTC)
        new = [
            NewArticle(guid=f"g{i}", url=None, title=f"Meldung {i}", published=None)
            for i in range(4)
        ]
        store.save_feed_update(two.id, FeedUpdate(polled_at=now, articles=new))
        app.reader.reload_feeds(only=[two.id])
        await settled(app, pilot)
        assert feeds.counts[two.id].unread == 4 and feeds.counts[one.id].unread == 0
        assert feeds.row_count == 3
        three, _ = store.add_feed("http://127.0.0.1/drei")
        app.reader.reload_feeds(only=[three.id])
        await settled(app, pilot)
        assert feeds.row_count == 4 and feeds.total_unread == 4
    store.close()


async def test_empty_list_says_why(data_dir: Path) -> None:
    """The list says why it is empty; the pane beside it stays empty (it said the same)."""
    store = open_store(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(ArticleList)
        await until(pilot, lambda: "No feeds yet" in table.empty_text)
        assert static_text(app, "#meta") == ""
    store.add_feed("http://127.0.0.1/feed")
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(ArticleList)
        await until(pilot, lambda: table.empty_text == "No articles yet. Press r to poll.")
        await pilot.press("f")  # unread: still nothing, and now because of the filter
        await until(pilot, lambda: table.empty_text.startswith("Nothing"))
        # no search is typed: the hint names the filter only
        assert table.empty_text == "Nothing matches this filter; f changes it."
        assert static_text(app, "#meta") == ""
    store.close()


TITLES = ["Baustelle Bahnhofstraße", "Kita-Anmeldung startet", "Stadtfest am Wochenende"]


def three_articles(store: SQLiteStore) -> list[int]:
    """One feed with TITLES, newest first; their ids in the list's order."""
    feed, _ = store.add_feed("http://127.0.0.1/feed", title="Stadt Herne")
    when = datetime(2024, 5, 1, tzinfo=UTC)
    articles = [
        NewArticle(f"g{i}", None, title, when.replace(hour=10 - i))
        for i, title in enumerate(TITLES)
    ]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=articles))
    return [a.id for a in store.articles()]


class HeldRead:
    """A store read (``store.article``, ``store.articles``) that answers, from its worker
    thread, only once ``answer`` is set: a way to order a worker's answer after keys."""

    def __init__(self, store: SQLiteStore, name: str) -> None:
        self.store, self.name = store, name
        self.read = getattr(store, name)
        self.answer = threading.Event()
        self.answer.set()

    def held(self, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():  # the loop's reads go
            self.answer.wait(10)
        return self.read(*args, **kwargs)

    def __enter__(self) -> threading.Event:
        setattr(self.store, self.name, self.held)
        return self.answer

    def __exit__(self, *exc: object) -> None:
        self.answer.set()
        setattr(self.store, self.name, self.read)


async def test_a_key_during_a_polls_reload_still_shows_its_article(store: SQLiteStore) -> None:
    three_articles(store)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        view = app.query_one(ArticleView)
        with HeldRead(store, "article") as answer:
            for title in TITLES[1:]:
                # j, and before its article is read, a poll's reload (new articles): the
                # list's rows are read again while the article's answer is on its way
                answer.clear()
                await pilot.press("j")
                app.reader.reload_articles(keep_row=True, follow=False)
                answer.set()
                await pane_shown(pilot)
                assert view.article is not None and view.article.title == title


async def test_a_move_reloaded_before_the_pane_followed_it_is_shown(store: SQLiteStore) -> None:
    three_articles(store)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        view = app.query_one(ArticleView)
        with HeldRead(store, "articles") as rows:
            for row, title in enumerate(TITLES[1:], start=1):
                # a key moved the cursor, and a poll's reload came before the pane followed
                rows.clear()
                app.reader.article_list.move_cursor(row)
                app.reader.reload_articles(keep_row=True, follow=False)
                await pilot.pause()
                rows.set()
                await pane_shown(pilot)
                assert view.article is not None and view.article.title == title


async def test_j_shows_the_article_read_ahead_without_waiting_for_a_store_read(
    store: SQLiteStore,
) -> None:
    """The articles beside the one shown are read ahead in a worker: j shows the next one at
    once, even while the store's reads of the moment are held back."""
    ids = three_articles(store)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        view = app.query_one(ArticleView)
        await until(pilot, lambda: ids[1] in app.reader.read_ahead, what="the read-ahead")
        with HeldRead(store, "article") as answer:
            answer.clear()
            await pilot.press("j")
            await until(pilot, lambda: view.article is not None and view.article.id == ids[1])
            assert not answer.is_set()  # shown without a read of the store now
        assert view.article is not None and view.article.title == TITLES[1]


async def test_an_article_read_ahead_whose_row_changed_is_read_again(store: SQLiteStore) -> None:
    """A copy read ahead that the list row contradicts (flagged since, by a colleague or
    this reader) is not shown: the article is read again."""
    ids = three_articles(store)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        await until(pilot, lambda: ids[1] in app.reader.read_ahead, what="the read-ahead")
        store.set_flagged(ids[1], True)
        app.reader.article_list.mark(ids[1], flagged=True)  # as a colleague's change does
        await pilot.press("j")
        await pane_shown(pilot)
        shown = app.query_one(ArticleView).article
        assert shown is not None and shown.id == ids[1] and shown.flagged


async def test_leaving_an_article_before_the_next_is_read_does_not_mark_it(
    store: SQLiteStore,
) -> None:
    ids = three_articles(store)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0.3
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        await pilot.press("j")  # the second: read once it stayed 0.3 s on screen
        await pane_shown(pilot)
        with HeldRead(store, "article") as answer:
            answer.clear()
            await pilot.press("j")  # moved on at once; the third's answer is slow to come
            await pilot.pause(0.6)
            answer.set()
            await pane_shown(pilot)
    assert not store.article(ids[1]).read  # type: ignore[union-attr]
