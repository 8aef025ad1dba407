"""Every triage key, pressed through Pilot, checked in the UI and in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.store import ArticleFilter, SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.dialogs import ConfirmScreen, HelpScreen
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from newsroom_tui.ui.widgets.feed_list import FeedList
from tests.fixture_server import FEED_PATH, FixtureServer
from tests.pilot_waits import pane_shown, until, writes_done
from tests.sample_cache import build_sample_cache
from tests.test_ui import settled

SIZE = (130, 40)


@pytest.fixture
def cache(tmp_path: Path) -> SQLiteStore:
    store = build_sample_cache(tmp_path / "data")
    yield store
    store.close()


def app_for(store: SQLiteStore, tmp_path: Path) -> NewsroomApp:
    """Articles count as read as soon as shown (the delay has a test of its own)."""
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    app.read_delay = 0
    return app


def titles(app: NewsroomApp) -> list[str]:
    table = app.query_one(ArticleList)
    return [row.title for i in range(table.row_count) if (row := table.row_at(i))]


def marks(app: NewsroomApp, index: int) -> str:
    """The mark column (unread ●, flag ⚑) as the user sees it."""
    return app.query_one(ArticleList).get_line_plain(index)[:2].strip()


async def test_flag_and_toggle_read(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("j", "s")
        assert marks(app, 1) == "⚑"
        await writes_done(pilot)
        second = cache.articles()[1]
        assert second.flagged and second.read
        await pilot.press("m")
        await writes_done(pilot)
        assert not cache.articles()[1].read
        assert marks(app, 1) == "●⚑"
        await pilot.press("s", "m")
        await writes_done(pilot)
        assert not cache.articles()[1].flagged and cache.articles()[1].read


async def test_next_unread_skips_read_and_wraps(cache: SQLiteStore, tmp_path: Path) -> None:
    ids = [a.id for a in cache.articles()]
    cache.set_read(ids[1])
    cache.set_read(ids[2])
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        table = app.query_one(ArticleList)
        await pilot.press("n")
        await writes_done(pilot)  # n and p look in a thread
        await pane_shown(pilot)
        assert table.current_id == ids[3]
        for _ in range(3):
            await pilot.press("n")
            await writes_done(pilot)  # n and p look in a thread
            await pane_shown(pilot)
        assert cache.count_articles(ArticleFilter(unread=True)) == 0
        await pilot.press("n")
        await writes_done(pilot)  # n and p look in a thread
        assert "No unread" in str(list(app._notifications)[-1].message)


async def test_filter_cycles_all_unread_flagged_done(cache: SQLiteStore, tmp_path: Path) -> None:
    ids = [a.id for a in cache.articles()]
    cache.set_flagged(ids[4])
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        assert len(titles(app)) == 6  # the first, highlighted at start, is not read
        await pilot.press("f")
        assert app.reader.view.show == "unread" and len(titles(app)) == 6
        await pane_shown(pilot)
        assert cache.count_articles(ArticleFilter(unread=True)) == 6  # nor the filter's first
        await pilot.press("f")
        assert titles(app) == [cache.article(ids[4]).title]  # type: ignore[union-attr]
        await pilot.press("f")
        assert app.reader.view.show == "done" and titles(app) == []
        await pilot.press("f")
        assert len(titles(app)) == 6


async def test_search_narrows_live_and_escape_restores(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("slash")
        assert app.query_one("#search").has_focus
        await pilot.press(*"strasse")  # the search's list is read in a worker: until it shows
        await until(pilot, lambda: titles(app) == ["Straßensperrung an der Bahnhofstraße"])
        await pilot.press("backspace", *"e", "space", *"schmidt")  # nothing has both
        await until(pilot, lambda: titles(app) == [])
        for _ in range(len("strassee schmidt")):
            await pilot.press("backspace")
        await pilot.press(*"dieper")  # a photographer: found through the credits
        library = "Stadtbibliothek verlängert Öffnungszeiten & startet Lesesommer"
        await until(pilot, lambda: titles(app) == [library])
        await pilot.press("enter")
        assert app.query_one(ArticleList).has_focus
        assert len(titles(app)) == 1
        await pilot.press("escape")
        assert len(titles(app)) == 6
        assert not app.query_one("#search").display


async def test_mark_all_shown_read_asks_first(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("slash", *"agentur", "enter")
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await writes_done(pilot)  # n and p look in a thread
        assert cache.count_articles(ArticleFilter(unread=True)) == 6
        await pilot.press("A", "y")
        await writes_done(pilot)
        await settled(app, pilot)
        unread = cache.articles(ArticleFilter(unread=True))
        assert len(unread) == 3 and all("Herne" in a.feed for a in unread)
        assert app.query_one(FeedList).total_unread == 3


async def test_feed_list_narrows_and_counts(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await settled(app, pilot)  # the counts are read in a worker
        feeds = app.query_one(FeedList)
        labels = [feeds.get_line_plain(i) for i in range(feeds.row_count)]
        assert labels == [
            "All feeds (6)",
            "Stadt Herne – Pressemeldungen (3)",
            "Ruhr-Nachrichten Agentur (3)",
        ]
        feeds.focus()
        await pilot.press("down", "enter")
        assert app.query_one(ArticleList).has_focus
        assert len(titles(app)) == 3 and all("Ruhr" not in t for t in titles(app))
        await pilot.press("shift+tab", "up", "enter")
        assert len(titles(app)) == 6


async def test_command_palette_goes_to_feed(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"go to feed ruhr")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert titles(app) and all(t in titles(app) for t in titles(app)[:3])
        assert len(titles(app)) == 3
        assert app.reader.view.feed_id == cache.feeds()[1].id


async def test_links_credits_and_export(cache: SQLiteStore, tmp_path: Path) -> None:
    opened: list[str] = []
    app = app_for(cache, tmp_path)
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    app.browser_available = lambda: True  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("slash", *"integrationsmanagement", "enter")
        await pilot.press("o")
        assert opened == ["https://www.herne.example/meldungen/kim.html"]
        await pilot.press("y")
        assert app.clipboard == "https://www.herne.example/meldungen/kim.html"
        await pilot.press("c")
        assert app.clipboard == "Fotos: Thomas Schmidt/Stadt Herne"
        await pilot.press("e")
        (exported,) = tmp_path.glob("*.md")
        assert exported.name.startswith("2023-05-09-kommunales-integrationsmanagement")
        text = exported.read_text("utf-8")
        assert text.startswith("# Kommunales Integrationsmanagement eingeführt")
        assert "Thomas Schmidt/Stadt Herne ×6" in text


async def test_unsafe_links_are_not_opened(store: SQLiteStore, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from newsroom_tui.models import NewArticle
    from newsroom_tui.store import FeedUpdate

    feed, _ = store.add_feed("http://127.0.0.1/feed")
    when = datetime(2024, 1, 1, tzinfo=UTC)
    store.save_feed_update(
        feed.id,
        FeedUpdate(polled_at=when, articles=[NewArticle("g", "javascript:alert(1)", "Böse", when)]),
    )
    opened: list[str] = []
    app = NewsroomApp(store, poll_on_start=False)
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("o", "y")
        assert opened == [] and app.clipboard == ""


async def test_help_screen_and_quit(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert not app.is_running


async def test_state_survives_restart(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("j", "s", "q")
    again = app_for(cache, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        assert marks(again, 1) == "⚑"
        assert marks(again, 2) == "●"


async def test_space_and_pagedown_scroll_the_article(cache: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=(130, 24)) as pilot:
        await pilot.press("slash", *"integrationsmanagement", "enter")
        await pane_shown(pilot)
        view = app.query_one(ArticleView)
        table = app.query_one(ArticleList)
        assert view.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        after_space = view.scroll_y
        assert after_space > 0 and table.has_focus
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > after_space
        await pilot.press("pageup")
        await pilot.pause()
        assert view.scroll_y < view.max_scroll_y
        assert table.current_id == cache.articles(ArticleFilter(search="integration"))[0].id


async def test_r_polls_now(herne: FixtureServer, data_dir: Path, tmp_path: Path) -> None:
    from newsroom_tui.store import open_store

    store = open_store(data_dir)
    store.add_feed(herne.url(FEED_PATH))
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        assert app.query_one(ArticleList).row_count == 0
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(ArticleList).row_count == 3
        assert herne.requests_for(FEED_PATH) == [200]
        await pilot.press("r")
        await app.workers.wait_for_complete()
        assert herne.requests_for(FEED_PATH) == [200, 304]
    assert store.count_articles() == 3
    store.close()


async def test_read_after_a_moment_on_screen_or_at_once_with_enter(
    cache: SQLiteStore, tmp_path: Path
) -> None:
    app = NewsroomApp(cache, poll_on_start=False, export_dir=tmp_path)
    app.read_delay = 1.5  # generous: key presses on a loaded machine stay well below it
    ids = [a.id for a in cache.articles()]
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("j", "j")  # skimmed past the first two
        await pane_shown(pilot)
        await pilot.pause(2.0)  # the third stayed on screen
        read = {a.id: a.read for a in cache.articles()}
        assert [read[i] for i in ids[:3]] == [False, False, True]
        await pilot.press("m")  # marked unread again: no timer is left to undo that
        await writes_done(pilot)
        await pilot.pause(0.1)
        assert not cache.article(ids[2]).read  # type: ignore[union-attr]
        await pilot.press("j", "enter")  # Enter opens: read at once
        await writes_done(pilot)
        assert cache.article(ids[3]).read  # type: ignore[union-attr]


async def test_categories_in_the_feed_list(cache: SQLiteStore, tmp_path: Path) -> None:
    cache.set_feed_category("https://agentur.example/ruhr.xml", "Agenturen")
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await settled(app, pilot)
        feeds = app.query_one(FeedList)
        assert [feeds.get_line_plain(i).rstrip() for i in range(feeds.row_count)] == [
            "All feeds (6)",
            "▾ Agenturen (3)",
            "  Ruhr-Nachrichten Agentur (3)",
            "Stadt Herne – Pressemeldungen (3)",
        ]
        feeds.focus()
        await pilot.press("down", "enter")
        assert len(titles(app)) == 3 and app.reader.view.category == "Agenturen"
        assert "category: Agenturen" in str(app.query_one("#status").render())


async def test_a_cache_that_cannot_be_written_is_said_not_crashed(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom_tui.store import StoreError

    def refuse(*args: object) -> None:
        raise StoreError("cannot write the cache /x/newsroom.sqlite3: disk is full")

    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        monkeypatch.setattr(cache, "set_flagged", refuse)
        monkeypatch.setattr(cache, "set_read", refuse)
        await pilot.press("s", "m")
        await pilot.pause()
        assert app.is_running
        assert (
            marks(app, 0) == "●"
        )  # unread, unflagged: nothing shown as changed that was not saved
        messages = [str(n.message) for n in app._notifications]
        assert any("Not saved" in m and "disk is full" in m for m in messages)


async def test_export_writes_into_the_configured_folder(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``export_dir`` in the config (with ~, made when missing): e writes there, not into
    the directory the reader was started in (a checkout, the home folder)."""
    from newsroom_tui.config import Config

    home, started = tmp_path / "home", tmp_path / "started-here"
    started.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(started)
    app = NewsroomApp(cache, poll_on_start=False, config=Config(export_dir="~/Dokumente/Presse"))
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("e")
        await until(pilot, lambda: any((home / "Dokumente" / "Presse").glob("*.md")))
    assert list(started.iterdir()) == []
