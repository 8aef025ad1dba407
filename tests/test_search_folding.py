"""Search folds "ue", "oe", "ae" like "ü", "ö", "ä", searches gallery captions, and tells
the reader which words matched (for highlighting); caches of the older folding migrate."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, Store, open_store
from newsroom_tui.store.migrations import MIGRATIONS, SCHEMA_VERSION
from newsroom_tui.text.search_text import fold, match_spans, matched_terms
from tests.test_store import T0

TITLES = {
    "gruen": "Grünflächenamt pflanzt 200 Bäume",
    "buero": "Bürgerbüro Wanne öffnet samstags",
    "feuer": "Feuerwehr übt am Rathaus",
    "poet": "Poetry Slam im Kulturzentrum",
    "israel": "Städtepartnerschaft mit Israel",
    "michael": "Michael Schulte neuer Dezernent",
    "strasse": "Sperrung der Bahnhofstraße",
}


def _article(guid: str, title: str, caption: str = "", credit: str | None = None) -> NewArticle:
    return NewArticle(
        guid=guid,
        url=f"http://127.0.0.1/{guid}",
        title=title,
        published=T0,
        body_markdown="Die Stadt Herne informiert.",
        gallery=[GalleryItem(f"http://127.0.0.1/{guid}.jpg", caption, credit)] if caption else [],
    )


@pytest.fixture
def searchable(any_store: Store) -> Store:
    feed, _ = any_store.add_feed("http://127.0.0.1/feed")
    arts = [_article(guid, title) for guid, title in TITLES.items()]
    arts.append(
        _article("galerie", "Stadtfest 2026", "Bühne am Robert-Brauner-Platz", "Frank Dieper")
    )
    any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=arts))
    return any_store


def _found(store: Store, query: str) -> set[str]:
    return {a.title for a in store.articles(ArticleFilter(search=query))}


@pytest.mark.parametrize(
    ("query", "guid"),
    [
        ("gruen", "gruen"),
        ("Grün", "gruen"),
        ("grun", "gruen"),
        ("Buergerbuero", "buero"),
        ("Bürgerbüro", "buero"),
        ("oeffnet", "buero"),
        ("baeume", "gruen"),
        ("Bahnhofstrasse", "strasse"),
        ("Feuer", "feuer"),
        ("Feuerwehr", "feuer"),
        ("Poetry", "poet"),
        ("Poe", "poet"),
        ("Israel", "israel"),
        ("Michael", "michael"),
        ("Michae", "michael"),
    ],
)
def test_umlaut_spellings_find_each_other_and_real_ue_words_themselves(
    searchable: Store, query: str, guid: str
) -> None:
    assert TITLES[guid] in _found(searchable, query)


def test_gallery_captions_and_credits_are_searched(searchable: Store) -> None:
    assert _found(searchable, "Buehne") == {"Stadtfest 2026"}
    assert _found(searchable, "Robert-Brauner") == {"Stadtfest 2026"}
    assert _found(searchable, "Dieper") == {"Stadtfest 2026"}
    assert _found(searchable, "Kulturzentrum Dieper") == set()


def test_removing_a_feed_unindexes_its_captions(searchable: Store) -> None:
    assert searchable.remove_feed("http://127.0.0.1/feed")
    searchable.add_feed("http://127.0.0.1/feed")
    assert _found(searchable, "Buehne") == set()


def test_fold_is_prefix_preserving() -> None:
    for word in ("Feuerwehr", "Bürgerbüro", "Buergerbuero", "Poetry", "Israel", "Michael"):
        folded = fold(word)
        for end in range(1, len(word) + 1):
            assert folded.startswith(fold(word[:end])), (word, end)


def test_match_spans_give_the_hits_in_the_original_text() -> None:
    text = "Die Grünen im Bürgerbüro: grün ist die Hoffnung."
    spans = match_spans("gruen buerger", text)
    assert [text[s:e] for s, e in spans] == ["Grünen", "Bürgerbüro", "grün"]
    assert matched_terms("GRUEN", text) == ["Grünen", "grün"]
    assert match_spans("", text) == [] and match_spans("!!", text) == []
    assert match_spans("feuer", "Das Feuer und die Feuerwehr, nicht Feier") == [(4, 9), (18, 27)]


def _old_cache(data_dir: Path) -> Path:
    """A cache of schema 7, indexed with the folding before: case only (the tokenizer took
    the diacritics) and the credits without the captions."""
    old_row = """a.id, lower(a.title), lower(a.body || ' ' || a.summary),
        lower((SELECT COALESCE(group_concat(credit, ' '), '') FROM (SELECT g.credit
            FROM gallery_items g WHERE g.article_id = a.id AND g.credit IS NOT NULL
            ORDER BY g.position)))"""
    data_dir.mkdir(parents=True)
    path = data_dir / "newsroom.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:7]:
        for statement in script.format(fts_row=old_row).split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 7")
    conn.execute(
        "INSERT INTO feeds (id, url, title, added) VALUES (1, 'http://127.0.0.1/f', 'Alt', 'x')"
    )
    conn.execute(
        """INSERT INTO articles (id, feed_id, guid, title, sort_key, body, fetched)
           VALUES (1, 1, 'g', 'Grüne Welle am Westring', '2026-11-29T00:00:00', 'Text', 'x')"""
    )
    conn.execute(
        """INSERT INTO gallery_items (article_id, position, src, caption, credit)
           VALUES (1, 0, 'http://127.0.0.1/1.jpg', 'Ampel am Westring', 'Stadt Herne')"""
    )
    conn.execute(f"INSERT INTO articles_fts (rowid, title, body, credits) SELECT {old_row} "
                 "FROM articles a")  # fmt: skip
    conn.close()
    return path


def test_a_schema_7_cache_is_indexed_again(data_dir: Path) -> None:
    path = _old_cache(data_dir)
    store = open_store(data_dir)
    assert [a.title for a in store.articles(ArticleFilter(search="gruene"))] == [
        "Grüne Welle am Westring"
    ]
    assert store.count_articles(ArticleFilter(search="Ampel")) == 1  # a caption
    assert store.feeds()[0].name_set is False
    store.remove_feed("http://127.0.0.1/f")  # the new index rows delete cleanly
    assert store.count_articles(ArticleFilter(search="Welle")) == 0
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_a_schema_2_team_database_is_indexed_again(pg_dsn: str) -> None:
    import psycopg

    from newsroom_tui.store.pg_migrations import MIGRATIONS as PG_MIGRATIONS
    from newsroom_tui.store.postgres import PostgresStore

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for script in PG_MIGRATIONS[:2]:
            assert isinstance(script, str)
            conn.execute(script)
        conn.execute("CREATE TABLE newsroom_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO newsroom_schema VALUES (2)")
        conn.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'http://x/f', 'A', 'x')")
        conn.execute(
            """INSERT INTO articles (id, feed_id, guid, title, sort_key, body, fetched, search)
               VALUES (1, 1, 'g', 'Grüne Welle', '2026', 'Text', 'x',
                       to_tsvector('simple', 'grune welle text'))"""
        )
        conn.execute(
            """INSERT INTO gallery_items (article_id, position, src, caption, credit)
               VALUES (1, 0, 'http://x/1.jpg', 'Ampel am Westring', 'Stadt Herne')"""
        )
        conn.execute(  # more than one batch of the migration
            """INSERT INTO articles (id, feed_id, guid, title, sort_key, body, fetched, search)
               SELECT n, 1, 'g' || n, 'Grünes Licht ' || n, '2026', 'Text', 'x',
                      to_tsvector('simple', 'grunes licht')
               FROM generate_series(2, 2500) AS n"""
        )
    store = PostgresStore(pg_dsn, user="anna")
    try:
        assert store.count_articles(ArticleFilter(search="gruenes licht")) == 2499
        assert store.count_articles(ArticleFilter(search="gruene")) == 2500
        assert store.count_articles(ArticleFilter(search="Ampel Herne")) == 1
        assert store.feeds()[0].name_set is False
    finally:
        store.close()
