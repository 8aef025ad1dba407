"""The reader at a real terminal size (80x24 and 200x50), with a newsboat user's habits:
layout, read state, cursor, keys, paste, language (issue #16)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.events import Paste
from textual.widgets import Static

from newsroom_tui.models import NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, open_store
from newsroom_tui.text.article_format import set_date_format
from newsroom_tui.ui import language
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.dialogs import HelpScreen, LinksScreen
from newsroom_tui.ui.widgets.article_list import ArticleList, column_widths
from newsroom_tui.ui.widgets.article_pane import ArticleView
from newsroom_tui.ui.widgets.feed_list import FeedList
from newsroom_tui.ui.widgets.status_bar import Problem
from tests.fixture_server import FEED_PATH, FixtureServer
from tests.pilot_waits import pane_shown, until, writes_done
from tests.test_ui import settled

SIZES = [(80, 24), (200, 50)]
UNREAD = ArticleFilter(unread=True)
NOW = datetime.now(UTC).replace(microsecond=0)
TITLES = [
    "Eilmeldung: Vollsperrung der A43 zwischen Herne-Eickel und Bochum-Riemke ab Freitag",
    "Stadtbibliothek verlängert Öffnungszeiten und startet den Lesesommer 2026",
    "Kommunales Integrationsmanagement: Fachtag im Stadtteilzentrum Pluto",
    "Bürgerbüro Wanne am Montag wegen Umbau geschlossen",
    "Kulturrucksack: Ferienworkshops für Zehn- bis Vierzehnjährige",
    "Emschertal-Museum zeigt Fotografien aus hundert Jahren Bergbau",
]


def desk_article(index: int, published: datetime) -> NewArticle:
    guid = f"m{index}"
    return NewArticle(
        guid=guid,
        url=f"https://www.herne.example/meldungen/{guid}.html",
        title=TITLES[index],
        published=published,
        body_markdown=(
            f"Die Stadt Herne teilt mit: {TITLES[index]}.\n\n"
            "Weitere Informationen gibt es [beim Fachbereich Kultur]"
            "(https://www.herne.example/kultur) und unter https://www.herne.example/presse/kontakt."
        ),
    )


def fill_desk(store: SQLiteStore) -> None:
    """Two feeds whose names differ only at their end, six articles, the newest today."""
    presse, _ = store.add_feed("https://www.herne.example/presse.rss", title="Stadt Herne – Presse")
    kultur, _ = store.add_feed("https://www.herne.example/kultur.rss", title="Stadt Herne – Kultur")
    dates = [NOW - timedelta(days=d, hours=d) for d in (0, 1, 2, 3, 4, 5)]
    for feed, indexes in ((presse, (0, 2, 3)), (kultur, (1, 4, 5))):
        update = FeedUpdate(polled_at=NOW, articles=[desk_article(i, dates[i]) for i in indexes])
        store.save_feed_update(feed.id, update)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = open_store(tmp_path / "data")
    fill_desk(store)
    yield store
    store.close()


def app_for(store: SQLiteStore, tmp_path: Path, read_delay: float = 0) -> NewsroomApp:
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    app.read_delay = read_delay
    return app


def row(app: NewsroomApp, index: int) -> str:
    return app.query_one(ArticleList).get_line_plain(index)


def last_notice(app: NewsroomApp) -> str:
    return str(list(app._notifications)[-1].message)


def status(app: NewsroomApp) -> str:
    return str(app.query_one("#status").render())


# layout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_titles_get_the_width_and_the_list_shows_times(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    set_date_format("%d.%m.%Y %H:%M")  # the README's example
    try:
        app = app_for(desk, tmp_path)
        async with app.run_test(size=size) as pilot:
            await settled(app, pilot)
            table = app.query_one(ArticleList)
            assert table.region.width >= size[0] * 0.55  # the list has most of the width
            articles = desk.articles()
            for index, article in enumerate(articles):
                line = row(app, index)
                shown = article.title[:40]
                assert shown in line, (size, line)  # at least 40 characters of the title
                local = article.published.astimezone()  # type: ignore[union-attr]
                # today: the time only (the newest is dated when the tests started: after
                # midnight it is yesterday's, and the list gives its date)
                if local.date() == datetime.now(UTC).astimezone().date():
                    assert index == 0
                    assert f"  {local:%H:%M}  " in line and f"{local:%d.%m.%Y}" not in line
                else:
                    assert f"{local:%d.%m.%Y %H:%M}" in line
            date_width, feed_width, _ = column_widths(table.scrollable_content_region.width)
            start = 3 + date_width + 2
            feeds = {row(app, i)[start : start + feed_width].strip() for i in range(6)}
            assert len(feeds) == 2  # "…Presse" and "…Kultur" look different
            if size[0] >= 200:
                assert "Stadt Herne – Presse" in feeds and "Stadt Herne – Kultur" in feeds
                assert articles[0].title[:70] in row(app, 0)  # most of a long headline
    finally:
        set_date_format("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("size", SIZES)
async def test_one_feeds_list_gives_the_feed_column_to_titles(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        assert "Stadt Herne" in row(app, 0)  # all feeds: each row names its feed
        await pilot.press("J")  # one feed's view, as newsboat's article list
        await until(pilot, lambda: app.reader.view.feed_id is not None, 5, "a feed's view")
        await settled(app, pilot)
        rows = [row(app, i) for i in range(app.query_one(ArticleList).row_count)]
        assert rows and not any("Stadt Herne –" in line for line in rows), rows
        feed_id = app.reader.view.feed_id
        titles = [a.title for a in desk.articles(ArticleFilter(feed_id=feed_id))]
        width = app.query_one(ArticleList).scrollable_content_region.width
        _, feed_width, title_width = column_widths(width, feed=False)
        assert feed_width == 0 and title_width >= (57 if size[0] == 80 else 90)
        for index, title in enumerate(titles):
            assert title[: min(len(title), title_width - 1)] in rows[index]


@pytest.mark.parametrize("size", SIZES)
async def test_status_line_is_one_row_with_a_long_search_and_failed_feeds(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    feed = desk.feeds()[0]
    desk.record_failure(feed.id, NOW, "HTTP 503 Service Unavailable")
    app = app_for(desk, tmp_path)  # as with --no-poll: the cache knows the failure
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        bar = app.query_one("#status")
        assert "1 feed failed" in status(app)
        await pilot.press("slash", *("vollsperrung " * 4))  # longer than the line shows
        await pilot.pause()
        assert bar.region.height == 1
        text = status(app)
        visible = text[: bar.content_region.width]  # what the one row shows
        assert "1 feed failed" in visible and "\n" not in text
        # the counts and the last poll stay whole; the search gives way (the box shows it)
        assert "6 stories, 6 unread · last poll" in visible, visible
        if size[0] > 80:
            assert "search: vollsperrung vollsperrung" in visible and "…" in visible


@pytest.mark.parametrize("size", SIZES)
async def test_status_line_names_the_failed_feed_where_there_is_room(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        bar = app.reader.status
        bar.problems = {"Stadt Herne – Presse": (Problem.FAILED, "HTTP 503 Service Unavailable")}
        await pilot.pause()
        visible = status(app)[: bar.content_region.width].rstrip()
        assert "1 feed failed" in visible
        if size[0] >= 200:
            assert "✗ Stadt Herne – Presse: HTTP 503" in visible
        else:  # no room: no lone "✗" cut off at the end of the row
            assert "✗" not in visible, visible


@pytest.mark.parametrize("size", SIZES)
async def test_status_line_names_a_failed_sync_apart_from_the_feeds(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        bar = app.reader.status
        reason = "sync with FreshRSS at rss.herne.de failed: not JSON"
        bar.problems = {
            "Stadt Herne – Presse": (Problem.FAILED, "HTTP 503 Service Unavailable"),
            "FreshRSS account": (Problem.SYNC_FAILED, reason),
        }
        await pilot.pause()
        visible = status(app)[: bar.content_region.width].rstrip()
        assert "sync failed · 1 feed failed" in visible, visible
        if size[0] >= 200:
            assert visible.endswith(f"✗ FreshRSS account: {reason}"), visible


@pytest.mark.parametrize("size", SIZES)
async def test_help_scrolls_to_its_last_line(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#dialog")
        assert box.region.bottom <= size[1]
        for _ in range(6):
            await pilot.press("space")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y  # the end is reachable
        end = app.screen.query_one("#help-end")
        assert "closes this help" in str(end.render())
        assert box.region.contains_region(end.region)  # its last line on screen
        await pilot.press("q")
        assert not isinstance(app.screen, HelpScreen) and app.is_running


async def test_narrow_terminal_opens_the_article_in_place_of_the_list(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ArticleView)
        articles = app.query_one(ArticleList)
        assert not pane.visible and articles.region.width >= 78  # the list alone
        await pilot.press("j", "enter")
        await pilot.pause()
        assert pane.visible and pane.has_focus and pane.region.width >= 76
        assert pane.region.contains_region(articles.region)  # the article over the list
        await pilot.press("q")  # one step back, not quit
        assert app.is_running and articles.has_focus and not pane.visible
        assert articles.region.width >= 78


# read state and cursor -------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_only_what_the_user_chose_is_read(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path, read_delay=0.3)
    ids = [a.id for a in desk.articles()]
    async with app.run_test(size=size) as pilot:
        await pane_shown(pilot)
        await pilot.pause(0.6)
        assert desk.count_articles(UNREAD) == 6  # highlighted at start: not read
        await pilot.press("slash", *"bürgerbüro")
        await pane_shown(pilot)
        await pilot.pause(0.6)
        assert desk.count_articles(UNREAD) == 6  # the top hit while typing: not read
        await pilot.press("escape", "f")
        await pane_shown(pilot)
        await pilot.pause(0.6)
        assert desk.count_articles(UNREAD) == 6  # the first row after a filter change
        await pilot.press("f", "f", "f", "j")  # back to all; the user moves to the second
        await pane_shown(pilot)
        await pilot.pause(0.6)
        if size[0] < 100:  # the list alone on screen: an article is read when opened
            assert desk.count_articles(UNREAD) == 6
            await pilot.press("enter")
        assert [a.id for a in desk.articles(UNREAD)] == [ids[0], *ids[2:]]


@pytest.mark.parametrize("size", SIZES)
async def test_done_moves_on_to_the_next_article_and_undo_brings_it_back(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    ids = [a.id for a in desk.articles()]
    async with app.run_test(size=size) as pilot:
        table = app.query_one(ArticleList)
        await pane_shown(pilot)
        await pilot.press("j", "j", "D")
        await pane_shown(pilot)
        assert desk.article(ids[2]).done  # type: ignore[union-attr]
        assert table.cursor_row == 2 and table.current_id == ids[3]  # the next, not the top
        await pilot.press("U")
        await pane_shown(pilot)
        assert not desk.article(ids[2]).done  # type: ignore[union-attr]
        title = desk.article(ids[2]).title  # type: ignore[union-attr]
        assert table.row_count == 6 and last_notice(app) == f"Not done any more: {title}"
        unread = desk.count_articles(UNREAD)
        await pilot.press("A", "y")
        await settled(app, pilot)
        assert desk.count_articles(UNREAD) == 0
        await pilot.press("U")
        await settled(app, pilot)
        assert desk.count_articles(UNREAD) == unread  # those A marked, no more
        await pilot.press("U")
        assert last_notice(app) == "Nothing to undo."


async def test_a_colleagues_done_leaves_my_article_open(desk: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(desk, tmp_path)
    ids = [a.id for a in desk.articles()]
    async with app.run_test(size=(200, 50)) as pilot:
        table = app.query_one(ArticleList)
        await pane_shown(pilot)
        await pilot.press("j", "j")
        await pane_shown(pilot)
        colleague = SQLiteStore(desk.path, user="ben")
        colleague.set_done(ids[2])
        colleague.close()
        app.reader.refresh_article(ids[2])  # as the team store's listener reports it
        await until(pilot, lambda: table.row_count == 5, what="the colleague's done")
        await until(pilot, lambda: not table.cursor_row_pending, what="the list read again")
        assert app.query_one(ArticleView).article.id == ids[2]  # type: ignore[union-attr]
        assert table.row_count == 5 and table.cursor_row == 2 and table.in_gap
        assert "colleague" in last_notice(app)
        await pilot.press("j")  # on to the article after it, not the one after that
        await pane_shown(pilot)
        assert app.query_one(ArticleView).article.id == ids[3]  # type: ignore[union-attr]
        assert not table.in_gap


async def test_articles_stored_by_another_process_appear_without_a_key(
    desk: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom_tui.ui.screens import reader

    monkeypatch.setattr(reader, "CHANGES_SECONDS", 0.1)
    app = app_for(desk, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        await pilot.pause(0.3)
        await pilot.press("D")  # one leaves the list just before: still one new
        cron = SQLiteStore(desk.path)  # `newsroom fetch` from cron: its own connection
        feed = cron.feeds()[0]
        new = [desk_article(0, NOW) for _ in range(1)]
        new[0].guid, new[0].title = "cron1", "Neu: Hitzewarnung für Herne"
        cron.save_feed_update(feed.id, FeedUpdate(polled_at=NOW, articles=new))
        cron.close()
        table = app.query_one(ArticleList)
        for _ in range(40):
            await pilot.pause(0.1)
            if table.row_count == 6 and table.row_at(0).title.startswith("Neu:"):  # type: ignore[union-attr]
                break
        assert table.row_count == 6 and table.row_at(0).title.startswith("Neu:")  # type: ignore[union-attr]
        assert "1 new article" in [str(n.message) for n in app._notifications]


async def test_an_article_marked_done_is_no_new_article(desk: SQLiteStore, tmp_path: Path) -> None:
    # the count of all articles holds the done ones already: a D adds none to it
    app = app_for(desk, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        table = app.query_one(ArticleList)
        rows = table.row_count
        await app.reader.counts.recount(None)  # the mark the next count is compared with
        await pilot.press("D")
        await until(pilot, lambda: table.row_count == rows - 1, what="the done one gone")
        await app.reader.counts.recount(None)  # as after another process's change
        await pilot.pause()  # (a notice reaches the app as a message)
        assert not [n for n in app._notifications if "new article" in str(n.message)]


async def test_d_says_how_to_undo_and_u_brings_the_cursor_back(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    """D's notice names the key that undoes it; U puts the article back and the cursor on
    it (it stayed on the article after, where D had left it)."""
    app = app_for(desk, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        table = app.query_one(ArticleList)
        rows = table.row_count
        await pilot.press("j")
        second = table.current_id
        await pilot.press("D")
        await until(pilot, lambda: table.row_count == rows - 1, what="the done one gone")
        assert table.current_id != second
        assert "Done. U undoes it." in [str(n.message) for n in app._notifications]
        await pilot.press("U")
        await until(pilot, lambda: table.row_count == rows, what="back in the list")
        await until(pilot, lambda: table.current_id == second, what="the cursor back on it")


# keys and habits -------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_escape_backspace_and_q_step_back_as_in_newsboat(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        feeds = app.query_one(FeedList)
        await pilot.press("J")  # next feed
        first = app.reader.view.feed_id
        assert first is not None and app.query_one(ArticleList).row_count == 3
        await pilot.press("J")
        assert app.reader.view.feed_id not in (None, first)
        await pilot.press("K")
        assert app.reader.view.feed_id == first
        await pilot.press("escape")
        assert app.reader.view.feed_id is None and feeds.cursor_row == 0
        await pilot.press("J", "backspace")
        assert app.reader.view.feed_id is None
        await pilot.press("J", "q")  # q from a feed's view: back to all feeds
        assert app.is_running and app.reader.view.feed_id is None
        await pilot.press("tab")
        assert app.query_one(ArticleView).has_focus or size[0] < 100
        await pilot.press("q")
        if app.is_running:
            await pilot.press("q")
    assert not app.is_running  # q at the top quits


@pytest.mark.parametrize("size", SIZES)
async def test_first_last_and_previous_unread(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    ids = [a.id for a in desk.articles()]
    desk.set_read(ids[3])
    desk.set_read(ids[4])
    app = app_for(desk, tmp_path, read_delay=60)  # passing by reads nothing here
    async with app.run_test(size=size) as pilot:
        table = app.query_one(ArticleList)
        await pane_shown(pilot)
        await pilot.press("G")
        await pane_shown(pilot)
        assert table.cursor_row == 5
        await pilot.press("p")
        await writes_done(pilot)  # n and p look in a thread
        await pane_shown(pilot)
        assert table.current_id == ids[2]  # skipped the two read ones
        await pilot.press("g")
        await pane_shown(pilot)
        assert table.cursor_row == 0
        await pilot.press("p")  # wraps around to the bottom
        await writes_done(pilot)  # n and p look in a thread
        await pane_shown(pilot)
        assert table.current_id == ids[5]


@pytest.mark.parametrize("size", SIZES)
async def test_numbered_links_open_or_copy(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    opened: list[str] = []
    app = app_for(desk, tmp_path)
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    app.browser_available = lambda: True  # type: ignore[method-assign]
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.press("u")
        assert isinstance(app.screen, LinksScreen)
        # the hint says what the keys do: a number alone answers when no other link starts
        # with it, so it must not ask for an Enter the reader would take for its own
        hint = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "number: open" in hint and "Enter" not in hint
        assert [url for _, url in app.screen.links] == [
            "https://www.herne.example/meldungen/m0.html",
            "https://www.herne.example/kultur",
            "https://www.herne.example/presse/kontakt",
        ]
        await pilot.press("2")
        assert opened == ["https://www.herne.example/kultur"]
        await pilot.press("u", "y", "3")
        assert copied == ["https://www.herne.example/presse/kontakt"]
        await pilot.press("u", "escape")
        assert not isinstance(app.screen, LinksScreen)


async def test_o_without_a_browser_says_so_and_copies(desk: SQLiteStore, tmp_path: Path) -> None:
    opened: list[str] = []
    app = app_for(desk, tmp_path)
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    app.browser_available = lambda: False  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        assert opened == []
        assert last_notice(app).startswith("No browser found")


@pytest.mark.parametrize("size", SIZES)
async def test_a_huge_paste_with_escape_codes_is_one_clean_capped_insertion(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("slash")
        box = app.reader.search_box
        box.post_message(Paste("\x1b[31mBürger\u202ebüro\x1b[0m\x07"))
        await pilot.pause()
        assert box.value == "Bürgerbüro"
        table = app.query_one(ArticleList)  # the search's list is read in a worker
        await until(pilot, lambda: table.row_count == 1, what="the one hit of the paste")
        box.value = ""
        box.post_message(Paste("Herne " * 30_000))  # 180 KB
        await pilot.pause()
        assert len(box.value) == 500 and box.value.startswith("Herne Herne")
        box.value = ""
        caret, bracket = "circumflex_accent", "left_square_bracket"
        await pilot.press(caret, bracket, bracket, *"31mPluto")  # tmux types it, ESC as ^[
        assert box.value == "Pluto"


async def test_plurals_and_the_german_catalogue(desk: SQLiteStore, tmp_path: Path) -> None:
    assert language.plural(1, "{n} new article", "{n} new articles") == "1 new article"
    assert language.plural(12, "{n} new article", "{n} new articles") == "12 new articles"
    language.use_language({"LANG": "de_DE.UTF-8"})
    try:
        assert language.plural(12, "{n} new article", "{n} new articles") == "12 neue Artikel"
        app = app_for(desk, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settled(app, pilot)
            assert app.query_one(FeedList).get_line_plain(0).startswith("Alle Feeds")
    finally:
        language.use_language({"LANG": "C.UTF-8"})
    app = app_for(desk, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        assert app.query_one(FeedList).get_line_plain(0).startswith("All feeds")
        assert app.reader.search_box.placeholder.startswith("Search:")


@pytest.mark.parametrize("size", SIZES)
async def test_search_hits_stand_out_in_the_article(
    desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("slash", *"kulturruck", "enter")
        await pane_shown(pilot)
        pane = app.query_one(ArticleView)
        assert pane.article is not None and pane.article.title.startswith("Kulturrucksack")
        body = pane.body.source
        assert "**Kulturrucksack**" in body
        assert "(https://www.herne.example/kultur)" in body  # the link target untouched
        meta = app.query_one("#meta", Static).content
        assert isinstance(meta, Text)
        hits = [meta.plain[span.start : span.end] for span in meta.spans if span.style == "reverse"]
        assert hits == ["Kulturrucksack"]


async def test_r_retries_feeds_in_back_off(
    herne: FixtureServer, data_dir: Path, tmp_path: Path
) -> None:
    store = open_store(data_dir)
    feed, _ = store.add_feed(herne.url(FEED_PATH))
    store.record_failure(feed.id, NOW, "HTTP 503", retry_after=NOW + timedelta(hours=2))
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert herne.requests_for(FEED_PATH) == [200]  # not left waiting for two hours
        assert app.query_one(ArticleList).row_count == 3
        assert "3 new articles" in [str(n.message) for n in app._notifications]
    store.close()
