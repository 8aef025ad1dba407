"""The command palette lists each thing once, and tells apart feeds of the same name."""

from __future__ import annotations

from pathlib import Path

from newsroom_tui.models import Feed
from newsroom_tui.store import open_store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.palette import feed_labels, reader_commands
from tests.pilot_waits import pane_shown


def feed(feed_id: int, url: str, title: str, category: str | None = None) -> Feed:
    return Feed(id=feed_id, url=url, title=title, category=category)


def test_feeds_of_the_same_name_are_told_apart() -> None:
    labels = feed_labels(
        {
            1: feed(1, "https://www.herne.de/presse.rss", "Pressemitteilungen"),
            2: feed(2, "https://www.bochum.de/presse.rss", "Pressemitteilungen"),
            3: feed(3, "https://polizei.example/bochum.rss", "Polizei", "Blaulicht"),
            4: feed(4, "https://polizei.example/herne.rss", "Polizei", "Lokales"),
            5: feed(5, "https://stadt.example/a.rss", "Termine"),
            6: feed(6, "https://stadt.example/b.rss", "termine"),
            7: feed(7, "https://ruhr.example/agentur.xml", "Ruhr-Nachrichten Agentur"),
        }
    )
    assert labels == {
        1: "Pressemitteilungen (herne.de)",
        2: "Pressemitteilungen (bochum.de)",
        3: "Polizei (Blaulicht)",
        4: "Polizei (Lokales)",
        5: "Termine (stadt.example/a.rss)",
        6: "termine (stadt.example/b.rss)",
        7: "Ruhr-Nachrichten Agentur",  # alone with its name: as it is
    }


async def test_the_palette_lists_help_once_and_each_feed_distinctly(data_dir: Path) -> None:
    """Textual's "Keys" beside the reader's "Help"; two "Go to feed: Pressemitteilungen"."""
    store = open_store(data_dir)
    for url in ("https://www.herne.de/presse.rss", "https://www.bochum.de/presse.rss"):
        store.add_feed(url, title="Pressemitteilungen")
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_shown(pilot)
        system = [command.title for command in app.get_system_commands(app.screen)]
        commands = {title: help for title, help, _ in reader_commands(app.reader, app.key_display)}
        own = list(commands)
        # "First", "Last" alone said little: each action with what it does, and its key
        assert commands["First"] == "first article of the list · key: g"
        assert "Keys" not in system and "Help" in own  # Textual's "Keys" panel: left out
        assert "Theme" in system and "Quit" in system
        feeds = [title for title in own if title.startswith("Go to feed:")]
        assert sorted(feeds) == [
            "Go to feed: Pressemitteilungen (bochum.de)",
            "Go to feed: Pressemitteilungen (herne.de)",
        ]
    store.close()
