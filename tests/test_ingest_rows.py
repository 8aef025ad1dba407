"""Articles cross from a worker process as one marshal blob and come back the same."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone

from newsroom_tui.ingest.article_rows import ArticleList
from newsroom_tui.ingest.feeds import FeedEntry
from newsroom_tui.models import GalleryItem, NewArticle


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
