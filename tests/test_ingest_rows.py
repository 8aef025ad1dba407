"""Articles cross from a worker process as one marshal blob and come back the same."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from newsroom_tui.ingest.article_rows import ArticleList
from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.store import SQLiteStore
from newsroom_tui.store.base import ArticleFilter, FeedUpdate
from newsroom_tui.store.sqlite import FTS_ROW
from newsroom_tui.text.search_text import fts_columns


def test_articles_and_waiting_entries_come_back_in_their_places() -> None:
    berlin = timezone(timedelta(hours=1))
    items = ArticleList(
        [
            NewArticle(
                guid="herne-1",
                url="https://www.herne.de/presse/1",
                title="Müllabfuhr verschiebt sich – Feiertag",
                published=datetime(2025, 3, 5, 14, 30, 15, 250, tzinfo=berlin),
                body_markdown="Die Abfuhr verschiebt sich um einen Tag.",
                gallery=[
                    GalleryItem("https://www.herne.de/b.jpg", "Rathaus", "Stadt Herne"),
                    GalleryItem("https://www.herne.de/c.jpg", "", None),
                ],
                source='["<p>Kurz</p>", "<p>Lang</p>", "https://www.herne.de/"]',
            ),
            FeedEntry("bochum-2", "https://www.bochum.de/2", "Nur Anriss", None, "Anriss"),
            NewArticle("fuerth-3", None, "(untitled)", None, "Zusammenfassung", "Text\ud800"),
            NewArticle("utc-4", "https://x.de/4", "UTC", datetime(2025, 1, 1, tzinfo=UTC)),
        ]
    )
    back = pickle.loads(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(back, ArticleList)
    assert back == items
    assert [type(i) for i in back] == [NewArticle, FeedEntry, NewArticle, NewArticle]
    assert back[0].published.utcoffset() == timedelta(hours=1)
    assert back[0].published.isoformat() == items[0].published.isoformat()


def test_an_empty_list_crosses_too() -> None:
    assert pickle.loads(pickle.dumps(ArticleList())) == []


def test_the_full_text_columns_folded_in_python_are_the_ones_the_store_makes(
    tmp_path: Path,
) -> None:
    """The columns folded in Python (what a delete from the contentless index hands over)
    are the ones the store's SQL makes from the stored row, and searching finds the article
    by every part, umlauts written either way."""
    art = NewArticle(
        guid="gruen-1",
        url="https://www.stadt.de/1",
        title="Grünflächenamt: Straße gesperrt",
        published=None,
        summary="Bürgerbüro geschlossen",
        body_markdown="Die Überprüfung dauert bis Ostern.",
        gallery=[
            GalleryItem("https://www.stadt.de/a.jpg", "Baumfällung", "Foto: Jörg Weiß"),
            GalleryItem("https://www.stadt.de/b.jpg", "Ölspur", None),
        ],
    )
    folded = fts_columns(
        art.title, art.body_markdown, art.summary, ((g.caption, g.credit) for g in art.gallery)
    )
    assert folded == (
        "gruenflaechenamt: strasse gesperrt",
        "die ueberpruefung dauert bis ostern. buergerbuero geschlossen",
        "baumfaellung foto: joerg weiss oelspur ",
    )
    store = SQLiteStore(tmp_path / "cache.sqlite3")
    feed, _ = store.add_feed("https://www.stadt.de/feed.xml")
    store.save_feed_update(feed.id, FeedUpdate(datetime.now(UTC), articles=[art]))
    made = store._conn.execute(f"SELECT {FTS_ROW} FROM articles a").fetchall()
    assert made == [(1, *folded)]
    for query in ("gruenflaechen", "buergerbuero", "ueberpruefung", "joerg weiss", "oelspur"):
        assert store.count_articles(ArticleFilter(search=query)) == 1, query
