"""Where the reader is, through its keys: each Escape takes one step back, in the order the
navigation keeps (the article, the search, the single feed), and q quits only at the top."""

from __future__ import annotations

from pathlib import Path

from newsroom_tui.store import SQLiteStore
from newsroom_tui.ui.navigation import Place
from newsroom_tui.ui.view import View
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from newsroom_tui.ui.widgets.search_box import SearchBox
from tests.pilot_waits import pane_shown, until
from tests.test_ui_triage import SIZE, app_for, cache

__all__ = ["cache"]  # the sample cache, the fixture the triage tests use


async def test_each_escape_is_one_step_back_and_q_quits_at_the_top(
    cache: SQLiteStore, tmp_path: Path
) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        table, pane = app.query_one(ArticleList), app.query_one(ArticleView)
        await pane_shown(pilot)
        await pilot.press("J")  # Stadt Herne's feed alone
        herne = reader.view.feed_id
        await until(pilot, lambda: table.row_count == 3, what="the feed's three articles")
        await pilot.press("slash", *"Straße", "enter")  # kept, on that feed
        await until(pilot, lambda: table.row_count == 1, what="the one hit")
        await pilot.press("enter")  # the hit opened
        await pane_shown(pilot)
        assert pane.has_focus and pane.article is not None
        assert "Straßensperrung" in pane.article.title
        assert [s.place for s in reader.navigation.steps] == [
            Place.FEED,
            Place.SEARCH,
            Place.ARTICLE,
        ]
        await pilot.press("escape")  # back to the hit, the search still kept
        assert table.has_focus and reader.view == View(feed_id=herne, search="Straße")
        assert reader.search_box.display and reader.search_box.value == "Straße"
        await pilot.press("escape")  # the search left: the feed's three again
        await until(pilot, lambda: table.row_count == 3, what="the feed's list")
        assert reader.view == View(feed_id=herne) and not reader.search_box.display
        await pilot.press("q")  # q steps back too: all feeds
        await until(pilot, lambda: table.row_count == 6, what="every feed's list")
        assert reader.view == View() and app.is_running
        await pilot.press("q")
    assert not app.is_running  # at the top q quits


async def test_the_search_field_is_mounted_at_the_first_search_and_takes_the_keys(
    cache: SQLiteStore, tmp_path: Path
) -> None:
    """Not at start (its widget and CSS would hold back the first frame): the first / mounts
    it, above the list, and what is typed right after lands in it."""
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ArticleList)
        await pane_shown(pilot)
        assert not app.query(SearchBox)
        await pilot.press("slash", *"Straße")
        await until(pilot, lambda: table.row_count == 1, what="the one hit")
        box = app.query_one(SearchBox)
        assert box.has_focus and box.value == "Straße"
        assert box.parent is table.parent and box.parent.children.index(box) + 1 == (
            box.parent.children.index(table)
        )
