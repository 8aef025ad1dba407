"""Search folds "ü", "ö", "ä" as German writes them without the dots ("ue", "oe", "ae"), so
"grün" and "gruen" meet and "Grund" stays another word; other diacritics are dropped ("Café"
and "cafe" meet). Gallery captions are searched, the reader is told which words matched (for
highlighting), and caches of an older folding are indexed again."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, Store, open_store
from newsroom_tui.store.migrations import MIGRATIONS, SCHEMA_VERSION
from newsroom_tui.store.sqlite import FTS_ROW
from newsroom_tui.text.search_text import fold, match_spans, matched_terms
from newsroom_tui.watch.on_arrival import match_new_articles
from tests.test_store import T0

TITLES = {
    "gruen": "Grünflächenamt pflanzt 200 Bäume",
    "buero": "Bürgerbüro Wanne öffnet samstags",
    "feuer": "Feuerwehr übt am Rathaus",
    "poet": "Poetry Slam im Kulturzentrum",
    "israel": "Städtepartnerschaft mit Israel",
    "michael": "Michael Schulte neuer Dezernent",
    "strasse": "Sperrung der Bahnhofstraße",
    "grundschule": "Grundschule an der Schillerstraße erweitert",
    "grundstuecke": "Grundstücke im Gewerbegebiet vergeben",
    "grund": "Aus gutem Grund: Stadtwerke erneuern Leitungen",
    "burg": "Burg Blankenstein öffnet wieder",
    "muenchen": "Städtetag tagt in München",
    "cafe": "Café am Rathaus eröffnet",
    "gruene": "Die Grünen im Rat: grün ist die Hoffnung",
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
        ("GRÜN", "gruene"),
        ("Grünflächenamt", "gruen"),
        ("gruenflaechen", "gruen"),
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
        ("Muenchen", "muenchen"),
        ("München", "muenchen"),
        ("cafe", "cafe"),
        ("Café", "cafe"),
        ("Grundschule", "grundschule"),
        ("Burg", "burg"),
    ],
)
def test_umlaut_spellings_find_each_other_and_real_ue_words_themselves(
    searchable: Store, query: str, guid: str
) -> None:
    assert TITLES[guid] in _found(searchable, query)


@pytest.mark.parametrize("query", ["grün", "gruen", "Grün", "GRUEN", "grü"])
def test_gruen_finds_gruen_and_never_grund(searchable: Store, query: str) -> None:
    assert _found(searchable, query) == {TITLES["gruen"], TITLES["gruene"]}


@pytest.mark.parametrize(
    ("query", "guids"),
    [
        ("Burg", {"burg"}),  # not "Bürgerbüro"
        ("grun", {"grundschule", "grundstuecke", "grund"}),  # not "Grün" (that is "gruen")
        ("Grund", {"grundschule", "grundstuecke", "grund"}),
        ("Munchen", set()),  # "München" is "Muenchen"
    ],
)
def test_a_word_without_its_umlaut_is_another_word(
    searchable: Store, query: str, guids: set[str]
) -> None:
    assert _found(searchable, query) == {TITLES[guid] for guid in guids}


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
    text = "Grundschule und Grünflächenamt: aus gutem Grund grün"
    assert matched_terms("grün", text) == matched_terms("gruen", text) == ["Grünflächenamt", "grün"]
    assert matched_terms("Burg", "Bürgerbüro an der Burg") == ["Burg"]
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


def test_a_watchlist_on_a_word_does_not_alert_on_another_word(store: SQLiteStore) -> None:
    from newsroom_tui.watch.watchlist import checked_watchlist

    store.add_watchlist(checked_watchlist("Grün", "Grün", flag=True))
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    arts = [_article(guid, TITLES[guid]) for guid in ("gruen", "grundschule", "grund", "burg")]
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=T0, articles=arts), after_save=match_new_articles
    )
    assert _found_flagged(store) == {TITLES["gruen"]}


def _found_flagged(store: Store) -> set[str]:
    return {a.title for a in store.articles(ArticleFilter(flagged=True))}


def _old_fold(text: str | None) -> str:
    """The folding of schema 10: diacritics dropped and "ae", "oe", "ue" written as "a",
    "o", "u" ("Grün" and "Grund" both began "grun")."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")


OLD_ARTICLES = [
    ("Grünflächenamt pflanzt Bäume", "Am Westring", "Bühne am Rathaus"),
    ("Grundschule an der Schillerstraße erweitert", "Aus gutem Grund", "Grundstein"),
    ("Feuerwehr übt", "Die Feuerwehr übt am Rathaus", "Übung"),
]


def _schema_10_cache(data_dir: Path) -> Path:
    """A cache of schema 10, its full-text index made with the folding before."""
    data_dir.mkdir(parents=True)
    path = data_dir / "newsroom.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("nr_fold", 1, _old_fold, deterministic=True)
    for script in MIGRATIONS[:10]:
        for statement in script.format(fts_row=FTS_ROW).split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 10")
    conn.execute(
        "INSERT INTO feeds (id, url, title, added) VALUES (1, 'http://127.0.0.1/f', 'Alt', 'x')"
    )
    for n, (title, body, caption) in enumerate(OLD_ARTICLES, 1):
        conn.execute(
            """INSERT INTO articles (id, feed_id, guid, title, sort_key, body, fetched)
               VALUES (?, 1, ?, ?, '2026-11-29T00:00:00', ?, 'x')""",
            (n, f"g{n}", title, body),
        )
        conn.execute(
            """INSERT INTO gallery_items (article_id, position, src, caption, credit)
               VALUES (?, 0, 'http://127.0.0.1/1.jpg', ?, 'Stadt Herne')""",
            (n, caption),
        )
    conn.execute(f"INSERT INTO articles_fts (rowid, title, body, credits) SELECT {FTS_ROW} "
                 "FROM articles a")  # fmt: skip
    assert conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"grun\"*'"
    ).fetchone() == (2,)
    conn.close()
    return path


def test_a_cache_folded_before_is_indexed_again_with_progress(data_dir: Path) -> None:
    path = _schema_10_cache(data_dir)
    seen: list[tuple[int, int]] = []
    store = open_store(data_dir, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (3, 3)
    assert _found(store, "grün") == _found(store, "gruen") == {"Grünflächenamt pflanzt Bäume"}
    assert _found(store, "Buehne") == {"Grünflächenamt pflanzt Bäume"}  # a caption
    assert _found(store, "Grund") == {"Grundschule an der Schillerstraße erweitert"}
    assert _found(store, "uebung") == {"Feuerwehr übt"}
    assert store.remove_feed("http://127.0.0.1/f")  # the new index rows delete cleanly
    assert store.count_articles(ArticleFilter(search="Rathaus")) == 0
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()
    # opened again: nothing left to do
    seen.clear()
    open_store(data_dir, progress=lambda done, total: seen.append((done, total))).close()
    assert seen == []


def test_an_index_rebuild_cut_short_leaves_the_cache_as_it_was(data_dir: Path) -> None:
    path = _schema_10_cache(data_dir)

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        open_store(data_dir, progress=interrupted)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10
    assert conn.execute(  # the old index, whole
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"grun\"*'"
    ).fetchone() == (2,)
    conn.close()
    store = open_store(data_dir)
    assert _found(store, "grün") == {"Grünflächenamt pflanzt Bäume"}
    assert store.remove_feed("http://127.0.0.1/f")
    store.close()


def test_the_command_line_shows_the_rebuild(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    from newsroom_tui.cli import main

    _schema_10_cache(data_dir)
    assert main(["--data-dir", str(data_dir), "search", "grün"]) == 0
    out, err = capsys.readouterr()
    assert "Grünflächenamt pflanzt Bäume" in out and "Grundschule" not in out
    assert "search index" in err and "3 of 3 articles" in err


def test_a_team_database_folded_before_is_indexed_again(pg_dsn: str) -> None:
    import psycopg

    from newsroom_tui.store.pg_migrations import MIGRATIONS as PG_MIGRATIONS
    from newsroom_tui.store.postgres import PostgresStore

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for script in PG_MIGRATIONS[:4]:
            if callable(script):
                script(conn, None)
            else:
                conn.execute(script)
        conn.execute("CREATE TABLE newsroom_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO newsroom_schema VALUES (4)")
        conn.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'http://x/f', 'A', 'x')")
        for n, (title, body, _caption) in enumerate(OLD_ARTICLES, 1):
            conn.execute(
                """INSERT INTO articles (id, feed_id, guid, title, sort_key, body, fetched, search)
                   VALUES (%s, 1, %s, %s, '2026', %s, 'x', to_tsvector('simple', %s))""",
                (n, f"g{n}", title, body, _old_fold(f"{title} {body}")),
            )
    seen: list[tuple[int, int]] = []
    store = PostgresStore(pg_dsn, user="anna", progress=lambda d, t: seen.append((d, t)))
    try:
        assert seen[-1] == (3, 3)
        assert _found(store, "grün") == {"Grünflächenamt pflanzt Bäume"}
        assert _found(store, "Grund") == {"Grundschule an der Schillerstraße erweitert"}
    finally:
        store.close()
