"""The pane following j: one layout of the screen a key, however long the articles."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.strip import Strip

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, open_store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import RENDERER, ArticleView
from tests.pilot_waits import pane_shown, until

PARAGRAPH = (
    "Die Stadt Herne informiert über die Baustelle an der Bahnhofstraße: Ab Montag ist die "
    "Fahrbahn zwischen Westring und Kirchhofstraße gesperrt, Umleitungen sind ausgeschildert."
)


@pytest.fixture
def store(data_dir: Path) -> Iterator[SQLiteStore]:
    """Articles of different lengths: longer than the pane, and one shorter (the third)."""
    s = open_store(data_dir)
    feed, _ = s.add_feed("https://www.herne.de/feed.rss", title="Stadt Herne")
    when = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    articles = [
        NewArticle(
            f"herne-{i}",
            None,
            f"Baustelle Bahnhofstraße, Meldung {i}",
            when.replace(hour=9 - i),
            body_markdown="\n\n".join([PARAGRAPH] * (2 if i == 2 else 20 + 7 * i)),
        )
        for i in range(5)
    ]
    s.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=articles))
    yield s
    s.close()


async def test_j_lays_the_screen_out_once(store: SQLiteStore) -> None:
    """The pane's new height is set by the layout that places the article: Textual's own
    reactive asked for a second layout a frame later (and drew the pane again), and so did
    an article that needs scrolling after one that does not (or the other way round)."""
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_shown(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader
        layouts: list[object] = []
        reader.screen_layout_refresh_signal.subscribe(reader, layouts.append, immediate=True)
        for row in range(1, 5):
            layouts.clear()
            await pilot.press("j")
            await pane_shown(pilot)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
            shown = reader.pane.article
            assert shown is not None and shown.title.endswith(f"Meldung {row}")
            assert len(layouts) == 1


async def test_credits_follow_j_between_articles_with_and_without_photos(
    data_dir: Path,
) -> None:
    """The credits and captions are drawn again only when the gallery (or the search)
    differs from the article before: they still change with it."""
    from newsroom_tui.models import GalleryItem

    s = open_store(data_dir)
    feed, _ = s.add_feed("https://www.herne.de/feed.rss", title="Stadt Herne")
    when = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    photo = GalleryItem("https://www.herne.de/rathaus.jpg", "Das Rathaus", "Thomas Schmidt")
    galleries = [[photo], [], [], [photo]]
    articles = [
        NewArticle(
            f"herne-{i}",
            None,
            f"Meldung {i}",
            when.replace(hour=9 - i),
            body_markdown=PARAGRAPH,
            gallery=gallery,
        )
        for i, gallery in enumerate(galleries)
    ]
    s.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=articles))
    app = NewsroomApp(s, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        credits = app.reader.pane.query_one("#credits")
        for row, gallery in enumerate(galleries):
            if row:
                await pilot.press("j")
            await pane_shown(pilot)
            shown = str(credits.render())
            assert ("Thomas Schmidt" in shown) == bool(gallery), row
    s.close()


async def test_the_markdown_renderer_is_imported_once_the_first_frame_is_painted() -> None:
    """Its import, in a thread, would compete with the reader's first frame for the
    interpreter: the pane shows the plain preview until that frame is on screen."""
    first_frame = asyncio.Event()

    class OnePane(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleView(first_frame=first_frame)

    app = OnePane()
    async with app.run_test() as pilot:
        pane = app.query_one(ArticleView)
        await asyncio.to_thread(importlib.import_module, RENDERER)  # in memory: no wait
        await pilot.pause()
        await pilot.pause()
        assert not pane.renderer_loaded
        first_frame.set()
        await until(pilot, lambda: pane.renderer_loaded, what="the Markdown renderer")


async def test_j_draws_the_cursor_and_its_article_in_one_frame(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The article read ahead is in the pane when the list's new cursor is first drawn:
    one frame for both. Drawn a frame after the cursor, the article waited for Textual's
    next frame (17-33 ms: it draws at most every 1/60 s), most of what j took to settle."""
    drawn: list[tuple[int | None, int | None]] = []  # (cursor's article, the pane's)
    draw_line = ArticleList.render_line

    def render_line(self: ArticleList, y: int) -> Strip:
        if round(self.scroll_y) + y == self.cursor_row:
            shown = self.screen.query_one(ArticleView).article
            drawn.append((self.current_id, shown.id if shown is not None else None))
        return draw_line(self, y)

    monkeypatch.setattr(ArticleList, "render_line", render_line)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_shown(pilot)
        await app.workers.wait_for_complete()
        table = app.reader.article_list
        ids = [article.id for article in store.articles(limit=4)]  # the list's order
        for row in range(1, 4):
            following = ids[row]
            await until(pilot, lambda: following in table.read_ahead)  # noqa: B023
            drawn.clear()
            await pilot.press("j")
            await pane_shown(pilot)
            await pilot.pause()
            assert drawn and drawn[0] == (following, following)
