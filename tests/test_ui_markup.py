"""Network and user text never reaches Textual as markup, and remapped keys show everywhere.

Feed titles, categories, article titles, user names (claims) and search text are drawn in
the feed list, the article list, the pane, the status line, the palette and notifications:
each with hostile names, the reader must neither crash (MarkupError) nor run them
(``[@click=app.quit]``), and must show them literally."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot

from newsroom_tui.config import Config
from newsroom_tui.models import NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, open_store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.dialogs import HelpScreen
from newsroom_tui.ui.widgets.feed_list import FeedList
from tests.pilot_waits import writes_done
from tests.sample_cache import build_sample_cache
from tests.test_ui import settled

HOSTILE = ["[@click=app.quit]Klick[/]", "[bold", "[/]", "]]Presse[[ [b]Amt[/b"]
SIZE = (140, 40)
WHEN = datetime(2025, 6, 2, 7, 45, tzinfo=UTC)


def plain(renderable: object) -> str:
    return str(getattr(renderable, "plain", renderable))


def palette_lines(app: NewsroomApp) -> list[str]:
    commands = app.screen.query_one(CommandList)
    return [plain(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def open_palette(pilot: Pilot[None], query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.3)  # the palette searches in a worker of its own
    await pilot.pause()


@pytest.fixture
def hostile_cache(data_dir: Path) -> SQLiteStore:
    """One feed per hostile name, in a category of that name, with an article of that title
    claimed by a colleague of that name."""
    store = open_store(data_dir, user="anna")
    for index, name in enumerate(HOSTILE):
        feed, _ = store.add_feed(f"http://127.0.0.1/feed{index}.xml", category=name)
        article = NewArticle(f"g{index}", f"http://127.0.0.1/{index}", name, WHEN, "Text.")
        store.save_feed_update(feed.id, FeedUpdate(polled_at=WHEN, title=name, articles=[article]))
        colleague = open_store(data_dir, user=name)
        colleague.claim(colleague.articles(ArticleFilter(feed_id=feed.id))[0].id)
        colleague.close()
    yield store
    store.close()


async def test_hostile_names_everywhere_are_literal(hostile_cache: SQLiteStore) -> None:
    app = NewsroomApp(hostile_cache, poll_on_start=False)
    app.read_delay = 0
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        feeds = app.query_one(FeedList)
        feed_rows = [feeds.get_line_plain(i) for i in range(feeds.row_count)]
        for name in HOSTILE:
            assert any(f"▾ {name}" in row for row in feed_rows)
            assert any(row.strip().startswith(name) for row in feed_rows)

        for index, name in enumerate(hostile_cache.articles()):
            # someone else's claim: the warning names them
            app.reader.article_list.move_cursor(index)
            await pilot.press("a")
            holder = name.claimed_by or ""
            assert f"Already claimed by {holder}." in plain(list(app._notifications)[-1].message)
            await pilot.pause()

        # the palette lists every feed and category, literally; choosing one goes there
        await open_palette(pilot, "go to")
        lines = palette_lines(app)
        for name in HOSTILE:
            assert any(line.startswith(f"Go to feed: {name}") for line in lines)
            assert any(line.startswith(f"Go to category: {name}") for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)  # the palette with no query: every command discovered
        discovered = palette_lines(app)
        assert any(line.startswith(f"Go to feed: {HOSTILE[0]}") for line in discovered)
        await pilot.press("escape")
        await pilot.pause()

        feed_id = hostile_cache.feeds()[0].id
        app.reader.go_to_feed(feed_id)
        await pilot.pause()
        status = plain(app.query_one("#status").render())
        assert f"feed: {hostile_cache.feeds()[0].display_name}" in status
        app.reader.go_to_feed(category=HOSTILE[1])
        await pilot.press("slash", *"[bold", "enter")
        await pilot.pause()
        status = plain(app.query_one("#status").render())
        assert f"category: {HOSTILE[1]}" in status and "search: [bold" in status

        app.reader.feed_list.focus()  # opened: every feed's and category's row drawn
        await pilot.pause()
        svg = app.export_screenshot().replace("&#160;", " ")
        assert app.is_running
        assert HOSTILE[1] in svg and HOSTILE[3].split()[0] in svg  # drawn, not parsed
    assert not app.is_running  # ended by the test, not by [@click=app.quit]


async def test_remapped_keys_show_in_help_and_palette(tmp_path: Path) -> None:
    store = build_sample_cache(tmp_path / "data")
    keys = {"toggle_flag": "x", "cycle_filter": "F,ctrl+r"}
    app = NewsroomApp(store, poll_on_start=False, config=Config(keys=keys))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {action: key for key, action in app.screen.rows}  # the help table's rows
        assert rows["flag / unflag for follow-up"] == "x"
        assert rows["cycle filter: all / unread / flagged / done"] == "F / ^r"
        assert rows["next unread article"] == "n"  # the others as they were
        await pilot.press("escape")
        await open_palette(pilot, "flag")
        lines = palette_lines(app)
        assert any(line.startswith("Flag") and "key: x" in line for line in lines)
        assert not any("key: s" in line for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")  # and the key does it
        await writes_done(pilot)
        assert store.articles()[0].flagged
    store.close()
