"""A fixed cache built from the fixture pages (no network): for snapshots and screenshots."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsroom_tui.extract import extract_page
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, Store, open_store
from newsroom_tui.text.sanitize import clean_page

FIXTURES = Path(__file__).parent / "fixtures"
CEST = timezone(timedelta(hours=2))
POLLED = datetime(2025, 6, 2, 7, 45, tzinfo=CEST)


def build_sample_cache(data_dir: Path) -> SQLiteStore:
    store = open_store(data_dir)
    fill_sample(store)
    return store


def fill_sample(store: Store) -> None:
    """The sample feeds and articles, into any store."""
    herne, _ = store.add_feed("https://www.herne.example/feeds/pressemeldungen.rss")
    pages = [
        ("pages/herne-meldung.html", "kim", datetime(2023, 5, 9, 10, 15, tzinfo=CEST)),
        (
            "site/stadtbibliothek-oeffnungszeiten.html",
            "bib",
            datetime(2024, 4, 12, 9, 30, tzinfo=CEST),
        ),
    ]
    articles = []
    for path, guid, published in pages:
        url = f"https://www.herne.example/meldungen/{guid}.html"
        page = clean_page(extract_page((FIXTURES / path).read_bytes(), url))
        articles.append(
            NewArticle(
                guid, url, page.title or guid, published, "", page.body_markdown, page.gallery
            )
        )
    articles.append(
        NewArticle(
            "sperrung",
            "https://www.herne.example/meldungen/sperrung.html",
            "Straßensperrung an der Bahnhofstraße",
            datetime(2025, 3, 5, 14, 30, tzinfo=CEST),
            summary="Wegen Kanalarbeiten ist die Bahnhofstraße vom 10. bis 21. März gesperrt.",
        )
    )
    store.save_feed_update(
        herne.id,
        FeedUpdate(polled_at=POLLED, title="Stadt Herne – Pressemeldungen", articles=articles),
    )
    agency, _ = store.add_feed("https://agentur.example/ruhr.xml")
    store.save_feed_update(
        agency.id,
        FeedUpdate(
            polled_at=POLLED,
            title="Ruhr-Nachrichten Agentur",
            articles=[
                NewArticle(
                    f"agentur-{n}",
                    f"https://agentur.example/{n}",
                    title,
                    datetime(2025, 5, 28 - n, 11, 0, tzinfo=CEST),
                    body_markdown=f"Meldung {n} der Agentur.",
                )
                for n, title in enumerate(
                    [
                        "Bochum: Neue Radwege an der Universitätsstraße",
                        "Gelsenkirchen ehrt Ehrenamtliche",
                        "Dortmunder Hafen feiert 125 Jahre",
                    ]
                )
            ],
        ),
    )


def build_team_sample(data_dir: Path) -> SQLiteStore:
    """The sample cache as a desk sees it in the morning: colleagues have claimed two
    articles and finished one; the store returned is anna's."""
    fill = build_sample_cache(data_dir)
    ids = [a.id for a in fill.articles()]
    fill.close()
    ben = open_store(data_dir, user="ben.mueller")
    ben.claim(ids[2])
    ben.set_done(ids[1])
    ben.close()
    carla = open_store(data_dir, user="carla.weber")
    carla.claim(ids[4])
    carla.set_flagged(ids[4])
    carla.close()
    return open_store(data_dir, user="anna.schmidt")
