"""A story in the reader, pressed through Pilot: once in the list with its sources, its
versions under the article (``v`` reads the next), read/flag/claim/done for the whole story,
``S`` and the config's ``stories = false`` for every article apart, a search's story once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

from newsroom_tui.config import Config
from newsroom_tui.store import SQLiteStore
from newsroom_tui.text.article_format import format_list_date
from newsroom_tui.ui import language
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.story_versions import StoryVersions
from newsroom_tui.ui.widgets.watch_list import WatchList
from newsroom_tui.watch.watchlist import checked_watchlist
from tests.pilot_waits import pane_shown, until, writes_done
from tests.story_desk import (
    CITY_TITLE,
    FESTIVAL_TITLE,
    PAPER_TITLE,
    POLICE_TITLE,
    UPDATE_AT,
    UPDATE_TITLE,
    desk_cache,
    store_update,
)

SIZE = (130, 40)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = desk_cache(tmp_path / "data")
    yield store
    store.close()


def app_for(store: SQLiteStore, tmp_path: Path, **config: object) -> NewsroomApp:
    app = NewsroomApp(
        store,
        poll_on_start=False,
        export_dir=tmp_path,
        config=Config(**config),  # type: ignore[arg-type]
    )
    app.read_delay = 0
    return app


def lines(app: NewsroomApp) -> list[str]:
    table = app.query_one(ArticleList)
    return [table.get_line_plain(i) for i in range(table.row_count)]


def versions_text(app: NewsroomApp) -> str:
    return app.query_one(StoryVersions).plain


async def search_the_fire(pilot: Pilot[None], app: NewsroomApp) -> None:
    """Search for the fire's story and wait for its one row in the pane."""
    await pilot.press("slash", *"wattenscheid", "enter")
    await until(pilot, lambda: len(lines(app)) == 1, what="the story once")
    await pane_shown(pilot)


async def test_a_story_shows_once_with_its_sources(desk: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        shown = lines(app)
        assert len(shown) == 3
        assert [FESTIVAL_TITLE in shown[1], "Sperrung der Brücke" in shown[2]] == [True, True]
        fire = shown[0]
        # the paper's version is the newest: it is the row, its name in the feed column
        assert "WAZ Bochum" in fire and "3 sources · Brand in Wattenscheid: Feu" in fire
        assert "3 sources" not in shown[1]


async def test_enter_shows_the_versions_and_v_reads_the_next(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: versions_text(app).count("\n") == 3, what="the versions")
        text = versions_text(app)
        assert "v: read the next" in text
        # earliest first: source, time, title; the one shown marked
        assert text.index("Polizei Bochum") < text.index("Stadt Bochum") < text.index("WAZ")
        assert f"▸ WAZ Bochum · 2026-12-07 07:50 {PAPER_TITLE}" in text
        pane = app.reader.pane
        await pilot.press("v")  # round to the first
        await until(pilot, lambda: pane.article is not None and pane.article.title == POLICE_TITLE)
        await pilot.press("v")
        await until(pilot, lambda: pane.article is not None and pane.article.title == CITY_TITLE)
        await until(pilot, lambda: "▸ Stadt Bochum" in versions_text(app), what="the mark")
        await pilot.press("v")
        await until(pilot, lambda: pane.article is not None and pane.article.title == PAPER_TITLE)


async def test_an_article_alone_shows_no_versions(desk: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("j")  # the festival's row (the fire's is the first)
        await until(
            pilot,
            lambda: (
                app.reader.pane.article is not None
                and app.reader.pane.article.title == FESTIVAL_TITLE
            ),
        )
        await pilot.pause()
        assert versions_text(app) == ""
        await pilot.press("v")
        await pilot.pause()
        assert "stands alone" in str(list(app._notifications)[-1].message)


async def test_triage_keys_apply_to_the_whole_story(desk: SQLiteStore, tmp_path: Path) -> None:
    fire = {a.id for a in desk.articles() if a.title.startswith("Brand")}
    app = app_for(desk, tmp_path)

    def versions() -> list[object]:
        return [a for a in desk.articles() if a.id in fire]

    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("j", "k")  # to the fire's row, the first
        await pane_shown(pilot)
        await writes_done(pilot)
        assert all(a.read for a in versions())  # shown (read delay 0): the story read
        await pilot.press("s", "a")
        await writes_done(pilot)
        assert all(a.flagged and a.claimed_by == "anna" for a in versions())
        assert not any(a.flagged for a in desk.articles() if a.id not in fire)
        await pilot.press("a")
        await writes_done(pilot)
        assert not any(a.claimed_by for a in versions())
        await pilot.press("D")
        await writes_done(pilot)
        await until(pilot, lambda: len(lines(app)) == 2, what="the story leaving the list")
        assert all(a.done for a in versions())
        assert not any("Brand" in line for line in lines(app))


async def test_a_story_someone_else_claimed_is_not_claimed(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    city = next(a.id for a in desk.articles() if a.title == CITY_TITLE)
    desk.user = "ben"
    desk.claim(city)
    desk.user = "anna"
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("a")  # on the fire's row, the first
        await writes_done(pilot)
        assert "ben claimed it first" in str(list(app._notifications)[-1].message)
        assert not any(a.claimed_by == "anna" for a in desk.articles())


async def test_s_and_the_config_list_every_article_apart(desk: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("S")
        await until(pilot, lambda: len(lines(app)) == 5, what="every article apart")
        assert not any("sources" in line for line in lines(app))
        # a key on one article is for that article alone
        await pilot.press("G")
        await pane_shown(pilot)
        await pilot.press("s")
        await writes_done(pilot)
        assert [a.title for a in desk.articles() if a.flagged] == [POLICE_TITLE]
        await pilot.press("S")
        await until(pilot, lambda: len(lines(app)) == 3, what="each story once")
    apart = app_for(desk, tmp_path, stories=False)
    async with apart.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        assert len(lines(apart)) == 5


async def test_a_search_shows_the_story_once(desk: SQLiteStore, tmp_path: Path) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await search_the_fire(pilot, app)
        # the paper's version, the newest hit; the title keeps most of the row
        assert (
            "WAZ Bochum" in lines(app)[0] and "3 sources · Brand in Wattenscheid" in lines(app)[0]
        )


async def test_the_versions_go_with_the_last_story_of_the_list(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await search_the_fire(pilot, app)
        await until(pilot, lambda: versions_text(app) != "", what="the versions")
        await pilot.press("D")
        await writes_done(pilot)
        await until(pilot, lambda: not lines(app), what="an empty list")
        assert versions_text(app) == ""


async def test_the_counts_count_the_stories_the_list_shows(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    """The status line's totals and the feed list's "All feeds" are the rows listed (the
    fire once, not three times), and every article apart again after ``S``."""
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        status = app.reader.status
        await until(pilot, lambda: status.totals is not None, what="the counts")
        assert status.totals == (len(lines(app)), 3) == (3, 3)
        assert "3 stories, 3 unread" in str(status.render())
        feeds = app.reader.feed_list
        assert "All feeds (3)" in str(feeds.render_row(0, 60))
        # the festival's row, then the fire's (the first), each read when shown: the fire's
        # story is read
        await pilot.press("j", "k")
        await pane_shown(pilot)
        await writes_done(pilot)
        await until(pilot, lambda: status.totals == (3, 1), what="the story read")
        # the city's feed: its version of the fire was read with the story
        city = next(c for c in feeds.counts.values() if c.feed.display_name == "Stadt Bochum")
        assert (city.total, city.unread) == (2, 1)
        await pilot.press("S")
        await until(pilot, lambda: len(lines(app)) == 5, what="every article apart")
        await until(pilot, lambda: status.totals == (5, 1), what="the articles counted")
        assert "5 articles, 1 unread" in str(status.render())


@pytest.mark.parametrize(
    ("environ", "told", "apart"),
    [
        ({"LANG": "C.UTF-8"}, "3 stories, 3 unread", "5 articles, 5 unread"),
        ({"LANG": "de_DE.UTF-8"}, "3 Themen, 3 ungelesen", "5 Artikel, 5 ungelesen"),
    ],
)
async def test_the_status_line_names_what_it_counts_at_80_columns(
    desk: SQLiteStore, tmp_path: Path, environ: dict[str, str], told: str, apart: str
) -> None:
    """Stories when a story shows once, articles when S lists every article apart: in both
    languages, whole on a line of 80 columns."""
    app = app_for(desk, tmp_path)
    app.read_delay = 60.0  # nothing read by being shown
    language.use_language(environ)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pane_shown(pilot)
            status = app.reader.status
            await until(pilot, lambda: status.totals == (3, 3), what="the stories counted")
            shown = str(status.render())
            assert told in shown and cell_len(shown) <= 80
            await pilot.press("S")
            await until(pilot, lambda: status.totals == (5, 5), what="the articles counted")
            shown = str(status.render())
            assert apart in shown and cell_len(shown) <= 80
    finally:
        language.use_language({"LANG": "C.UTF-8"})


async def test_the_status_line_names_what_was_counted_until_s_is_counted(
    desk: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S shows every article at once; until they are counted (a thread's read, held here)
    the line keeps the stories' totals and says so: never "3 articles" for three stories."""
    app = app_for(desk, tmp_path)
    app.read_delay = 60.0
    answer = threading.Event()
    read = desk.feed_counts

    def held(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            answer.wait(10)
        return read(*args, **kwargs)

    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        status = app.reader.status
        await until(pilot, lambda: status.totals == (3, 3), what="the stories counted")
        monkeypatch.setattr(desk, "feed_counts", held)
        await pilot.press("S")
        await until(pilot, lambda: len(lines(app)) == 5, what="every article apart")
        assert "3 stories, 3 unread" in str(status.render())
        answer.set()
        await until(pilot, lambda: status.totals == (5, 5), what="the articles counted")
        assert "5 articles, 5 unread" in str(status.render())


async def test_a_watchlist_counts_a_story_once_and_every_article_after_s(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    """The watchlist matched the fire's three versions: one story, as its list shows it;
    three matches once S lists every article apart."""
    desk.add_watchlist(checked_watchlist("Brände", "Wattenscheid"))
    with desk._transaction() as tx:
        for article in desk.articles():
            if article.title.startswith("Brand"):
                tx.execute(
                    "INSERT INTO watch_matches (watchlist, article_id, matched) VALUES (?, ?, ?)",
                    ("Brände", article.id, "2026-12-07T07:00:00+00:00"),
                )
    app = app_for(desk, tmp_path)
    app.read_delay = 60.0
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        watch = app.query_one(WatchList)
        await until(pilot, lambda: watch.get_line_plain(0) == "◆ Brände (1)", what="one story")
        assert [(c.total, c.unread) for c in watch.counts] == [(1, 1)]
        await pilot.press("S")
        await until(pilot, lambda: watch.get_line_plain(0) == "◆ Brände (3)", what="three")
        assert [(c.total, c.unread) for c in watch.counts] == [(3, 3)]


async def test_undo_of_all_read_marks_unread_what_it_marked_read(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    """A on a list of stories reads every version of the stories shown; U makes exactly
    those unread again: the versions too, and not the city's, which was read before."""
    city = next(a.id for a in desk.articles() if a.title == CITY_TITLE)
    desk.set_read(city)
    app = app_for(desk, tmp_path)
    app.read_delay = 60.0  # nothing read by being shown
    before = {a.id: a.read for a in desk.articles()}
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await pilot.press("A", "y")
        await writes_done(pilot)
        await until(pilot, lambda: all(a.read for a in desk.articles()), what="all read")
        await pilot.press("U")
        await writes_done(pilot)
        await until(pilot, lambda: {a.id: a.read for a in desk.articles()} == before, what="undone")
        assert "Undone: 3 marked as read." in str(list(app._notifications)[-1].message)


async def test_a_storys_row_shows_its_newest_update(desk: SQLiteStore, tmp_path: Path) -> None:
    """The police's Nachtrag: the story's newest development is its row, which says it is
    an update; the versions under the article mark it as the update."""
    store_update(desk)
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        shown = lines(app)
        assert len(shown) == 3
        assert format_list_date(UPDATE_AT) in shown[0]  # at the update's time, the first
        assert "Polizei Bochum" in shown[0] and "3 sources · Brand in Wattenscheid: Na" in shown[0]
        await pilot.press("enter")
        await pane_shown(pilot)
        await until(pilot, lambda: versions_text(app).count("\n") == 4, what="the versions")
        assert f"{UPDATE_TITLE} (update)" in versions_text(app).splitlines()[-1]


async def test_a_story_unread_but_for_its_newest_version_is_read_when_opened(
    desk: SQLiteStore, tmp_path: Path
) -> None:
    """The paper's version (the row) read apart, the police's and the city's not: the row is
    unread, and opening it reads the story."""
    paper = next(a.id for a in desk.articles() if a.title == PAPER_TITLE)
    desk.set_read(paper)
    app = app_for(desk, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        assert lines(app)[0].startswith("●") and PAPER_TITLE[:26] in lines(app)[0]
        await pilot.press("enter")
        await writes_done(pilot)
        await until(
            pilot,
            lambda: all(a.read for a in desk.articles() if a.title.startswith("Brand")),
            what="the story read",
        )
        assert not lines(app)[0].startswith("●")


async def test_all_read_names_what_it_counts(desk: SQLiteStore, tmp_path: Path) -> None:
    """A on a list of stories asked "Mark all 3 shown articles as read?" and said "3 articles
    marked as read." where it read five articles of three stories: it counts stories, and
    says so; after S it counts articles."""
    from newsroom_tui.ui.screens.dialogs import ConfirmScreen

    app = app_for(desk, tmp_path)
    app.read_delay = 60.0  # nothing read by being shown
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        stories = app.reader.article_list.row_count
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        question = app.screen.question  # type: ignore[attr-defined]
        assert question == f"Mark all {stories} shown stories as read (every version)?"
        await pilot.press("y")
        await writes_done(pilot)
        await until(
            pilot,
            lambda: "marked as read" in str(list(app._notifications)[-1].message),
            what="the notice",
        )
        assert f"{stories} stories marked as read." in str(list(app._notifications)[-1].message)
        assert all(a.read for a in desk.articles())
        await pilot.press("U")
        await writes_done(pilot)
        await pilot.press("S")
        await until(pilot, lambda: app.reader.article_list.row_count > stories, what="S")
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        articles = app.reader.article_list.row_count
        assert app.screen.question == f"Mark all {articles} shown articles as read?"  # type: ignore[attr-defined]


async def test_the_versions_mark_the_unread_ones(desk: SQLiteStore, tmp_path: Path) -> None:
    """The versions under the article mark the unread ones as the list does (●), the one
    shown with ▸; a version read by being shown (``v``) loses its mark."""
    paper = next(a.id for a in desk.articles() if a.title == PAPER_TITLE)
    desk.set_read(paper)
    app = app_for(desk, tmp_path, stories=False)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await until(pilot, lambda: versions_text(app).count("\n") == 3, what="the versions")
        text = versions_text(app)
        assert f"▸ WAZ Bochum · 2026-12-07 07:50 {PAPER_TITLE}" in text
        assert "● Polizei Bochum" in text and "● Stadt Bochum" in text
        await pilot.press("v")  # the police's version, read by being shown
        await until(pilot, lambda: "▸ Polizei Bochum" in versions_text(app), what="the police")
        await pilot.press("v")  # the city's
        await until(pilot, lambda: "▸ Stadt Bochum" in versions_text(app), what="the city")
        await writes_done(pilot)
        text = versions_text(app)
        assert "● Polizei Bochum" not in text and "  Polizei Bochum" in text
        assert "  WAZ Bochum" in text
    police = next(a for a in desk.articles() if a.title == POLICE_TITLE)
    assert police.read
