"""The name of an article's export file: one spelling of the German letters."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate
from newsroom_tui.store.sqlite import SQLiteStore
from newsroom_tui.ui.screens.reader_handoff import export_name


def test_the_export_name_writes_umlauts_as_it_writes_sharp_s(tmp_path: Path) -> None:
    """ "Bahnhofstraße … eröffnet – Grünflächen" became "…-bahnhofstrasse-eröffnet-grünflächen":
    ß written "ss" (case folding does that), the umlauts kept. German writes both as two
    letters in a file name, as the search folds them."""
    store = SQLiteStore(tmp_path / "cache.db")
    feed, _ = store.add_feed("https://www.herne.de/rss")
    when = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    title = "Stadtgarten an der Bahnhofstraße eröffnet – Grünflächen"
    article = NewArticle("herne-73", "https://www.herne.de/garten", title, when)
    store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=[article]))
    (stored,) = store.articles()
    name = export_name(stored)
    store.close()
    assert (
        name
        == f"2026-12-07-stadtgarten-an-der-bahnhofstrasse-eroeffnet-gruenflaechen-{stored.id}.md"
    )
    assert name.isascii()
