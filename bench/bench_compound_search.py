"""Search inside German compounds ("sperrung" finding "Straßensperrung", "markt" finding
"Wochenmarkt"): what it would cost on a cache of 100,000 articles, beside today's word-prefix
search, on both stores. Nothing here changes the stores; each design is built beside
today's index in a copy (SQLite) or in the benchmark's own database (PostgreSQL).

    python bench/bench_compound_search.py [--articles 100000] [--cache DIR] [--no-postgres]

Designs measured:

- SQLite today: the contentless FTS5 table (unicode61), a query word is a prefix ("sperrung"*).
- SQLite A: a second contentless FTS5 table with the trigram tokenizer over the same folded
  text; a word is a substring ("sperrung" as a phrase of trigrams). Its size is the file's
  growth after VACUUM.
- SQLite B: no new index: the terms of today's index (an fts5vocab table) holding the query
  word anywhere are looked up, and the search is those terms, each as a prefix, OR-ed.
- PostgreSQL today: the tsvector column with its GIN index, ``'sperrung':*``.
- PostgreSQL A: pg_trgm's GIN index on the same vector's text (``search::text``, no new
  column), queried with ``LIKE '%sperrung%'``.

The articles are German press-release titles and bodies in which compounds are common
(Straßensperrung, Vollsperrung, Wochenmarkt, Weihnachtsmarkt, Stadtrat, Beratung …).
Times are medians of ``--turns`` runs of each query, on one connection each, after one run
to warm the caches; hits are counted whole (no limit) and as the reader's first page (the
newest 50).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom_tui.text.search_text import fold, fold_words  # noqa: E402

FEEDS = 500
ROUNDS = 4  # polls of every feed
QUERIES = ["sperrung", "markt", "rat", "stadt", "gruen"]
TOPICS = [
    "Straßensperrung an der Bahnhofstraße",
    "Vollsperrung der A40 am Wochenende",
    "Sperrung der Herner Straße",
    "Wochenmarkt zieht auf den Rathausplatz",
    "Weihnachtsmarkt öffnet am Montag",
    "Markt in Wanne fällt aus",
    "Stadtrat beschließt Haushalt",
    "Beratung für Mieterinnen im Bürgerbüro",
    "Grünflächenamt pflanzt Bäume",
    "Grundschule an der Schillerstraße erweitert",
    "Polizei Bochum sucht Zeugen",
    "Feuerwehr übt am Rathaus",
    "Kita-Plätze für Wanne-Eickel",
    "Radweg am Westring fertig",
]
SENTENCES = [
    "Die Stadt Herne informiert über die Arbeiten.",
    "Die Umleitung ist ausgeschildert; die Baustellenampel regelt den Verkehr.",
    "Während der Bauarbeiten gilt eine Teilsperrung der Fahrbahn.",
    "Die Händlerinnen und Händler des Wochenmarkts ziehen für zwei Wochen um.",
    "Der Seniorenbeirat berät in seiner nächsten Sitzung über die Vorlage.",
    "Das Grünflächenamt kümmert sich um die Beete am Rathaus.",
    "Der Grund dafür sind Leitungsarbeiten der Stadtwerke.",
    "Die Polizei bittet Zeugen, sich unter der bekannten Nummer zu melden.",
    "Fragen beantwortet die Pressestelle montags bis freitags.",
    "Die Maßnahme kostet rund 250.000 Euro.",
    "Für Kinder gibt es ein eigenes Programm.",
    "Weitere Informationen stehen auf der Internetseite der Stadtverwaltung.",
]


SYLLABLES = (
    *("ber", "bo", "chum", "dort", "gel", "her", "ne", "wan", "eick", "witt", "en", "hat"),
    *("tin", "gen", "cas", "trop", "rau", "xel", "ha", "mund", "sen", "kir", "chen", "lin"),
    *("den", "feld", "brock", "hau", "horst", "mar", "bach", "tal", "berg", "dorf"),
)


def build(cache: Path, articles: int, store_of: Callable[[], object] | None = None) -> object:
    """The articles, stored as polls store them, by this checkout's store (SQLite at
    ``cache``, or the store ``store_of`` makes)."""
    from newsroom_tui.models import NewArticle
    from newsroom_tui.store import FeedUpdate, open_store

    rng = random.Random(25)
    store = store_of() if store_of else open_store(cache)
    feeds = [store.add_feed(f"http://127.0.0.1:9/f/{f}.xml")[0].id for f in range(FEEDS)]  # type: ignore[attr-defined]
    base = datetime(2025, 1, 1, tzinfo=UTC)
    each = max(1, articles // (FEEDS * ROUNDS))  # a feed's new articles in one poll
    for r in range(ROUNDS):
        polled = base + timedelta(hours=r)
        updates = []
        for n, feed_id in enumerate(feeds):
            new = []
            for i in range(each):
                body = " ".join(rng.choice(SENTENCES) for _ in range(6))
                # the names and numbers that make a real cache's vocabulary large
                names = " ".join(
                    "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() for _ in range(3)
                )
                body += f" Ansprechpartner: {names}, Aktenzeichen {rng.randrange(10**6)}."
                title = f"{rng.choice(TOPICS)} ({r}-{n}-{i})"
                published = polled - timedelta(seconds=n * each + i)
                new.append(NewArticle(f"{r}-{n}-{i}", None, title, published, "", body))
            updates.append((feed_id, FeedUpdate(polled_at=polled, articles=new)))
        store.save_feed_updates(updates)  # type: ignore[attr-defined]
    if hasattr(store, "catch_up_index"):
        store.catch_up_index()
    return store


def median_ms(run: Callable[[], object], turns: int) -> tuple[float, object]:
    result = run()  # warm
    times = []
    for _ in range(turns):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def sqlite_side(cache: Path, articles: int, turns: int) -> list[str]:
    db = cache / "newsroom.sqlite3"
    if not db.exists():
        cache.mkdir(parents=True, exist_ok=True)
        build(cache, articles).close()  # type: ignore[attr-defined]
    lines = []
    work = cache.with_name(cache.name + "-designs")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()

    def copy(name: str) -> Path:
        path = work / f"{name}.sqlite3"
        shutil.copy(db, path)
        return path

    def size_after(path: Path, sql: str) -> int:
        conn = sqlite3.connect(path)
        conn.create_function("nr_fold", 1, fold, deterministic=True)
        conn.executescript(sql)
        conn.commit()
        conn.execute("VACUUM")
        conn.close()
        return path.stat().st_size

    base = size_after(copy("today"), "")
    without = size_after(copy("without"), "DROP TABLE articles_fts;")
    from newsroom_tui.store.sqlite import FTS_ROW

    start = time.perf_counter()
    tri_path = copy("trigram")
    tri = size_after(
        tri_path,
        f"""CREATE VIRTUAL TABLE articles_tri USING fts5 (
            title, body, credits, content='', tokenize='trigram');
        INSERT INTO articles_tri (rowid, title, body, credits) SELECT {FTS_ROW} FROM articles a;
        CREATE VIRTUAL TABLE articles_vocab USING fts5vocab('articles_fts', 'row');""",
    )
    built = time.perf_counter() - start
    lines.append(
        f"SQLite file {base / 1e6:.1f} MB; today's FTS5 index {(base - without) / 1e6:.1f} MB; "
        f"trigram table (A) +{(tri - base) / 1e6:.1f} MB, built in {built:.1f} s"
    )
    conn = sqlite3.connect(tri_path)
    terms = conn.execute("SELECT count(*) FROM articles_vocab").fetchone()[0]
    lines.append(f"distinct terms in today's index (B scans them): {terms:,}")
    lines.append("| query | design | hits | all hits, ms | newest 50, ms |")
    lines.append("|---|---|---:|---:|---:|")
    for word in QUERIES:
        q = fold_words(word)[0]

        def count(table: str, match: str) -> Callable[[], object]:
            sql = f"SELECT count(*) FROM {table} WHERE {table} MATCH ?"
            return lambda: conn.execute(sql, [match]).fetchone()[0]

        def page(table: str, match: str) -> Callable[[], object]:
            sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 50"
            return lambda: conn.execute(sql, [match]).fetchall()

        def vocab_match(q: str = q) -> str:
            found = conn.execute(
                "SELECT term FROM articles_vocab WHERE instr(term, ?) > 0", [q]
            ).fetchall()
            return " OR ".join(f'"{t}"*' for (t,) in found) or f'"{q}"*'

        def b_count() -> object:
            return count("articles_fts", vocab_match())()

        def b_page() -> object:
            return page("articles_fts", vocab_match())()

        for design, all_hits, first in [
            ("today (prefix)", count("articles_fts", f'"{q}"*'), page("articles_fts", f'"{q}"*')),
            ("A trigram", count("articles_tri", f'"{q}"'), page("articles_tri", f'"{q}"')),
            ("B vocabulary", b_count, b_page),
        ]:
            all_ms, hits = median_ms(all_hits, turns)
            page_ms, _ = median_ms(first, turns)
            lines.append(f"| {word} | {design} | {hits:,} | {all_ms:.1f} | {page_ms:.1f} |")
    conn.close()
    return lines


def postgres_side(articles: int, turns: int) -> list[str]:
    from newsroom_tui.store.postgres import PostgresStore
    from tests import pg_server

    server = pg_server.PgServer().start()
    try:
        dsn = server.new_database()
        start = time.perf_counter()
        store = build(Path(), articles, lambda: PostgresStore(dsn, user="bench"))
        store.close()  # type: ignore[attr-defined]
        stored = time.perf_counter() - start
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            conn.execute("VACUUM ANALYZE articles")
            gin = int(
                conn.execute(
                    "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index "
                    "WHERE indrelid = 'articles'::regclass "
                    "AND pg_get_indexdef(indexrelid) LIKE '%(search)%'"
                ).fetchone()[0]
            )
            table = int(conn.execute("SELECT pg_table_size('articles')").fetchone()[0])
            start = time.perf_counter()
            conn.execute(
                "CREATE INDEX articles_search_trgm ON articles "
                "USING gin ((search::text) gin_trgm_ops)"
            )
            made = time.perf_counter() - start
            conn.execute("ANALYZE articles")
            trgm = conn.execute("SELECT pg_relation_size('articles_search_trgm')").fetchone()[0]
            lines = [
                f"PostgreSQL 15: {articles:,} articles stored in {stored:.0f} s; table "
                f"{table / 1e6:.1f} MB; today's GIN index on the vector {gin / 1e6:.1f} MB; "
                f"pg_trgm GIN index on search::text (A) {trgm / 1e6:.1f} MB, made in {made:.1f} s",
                "| query | design | hits | all hits, ms | newest 50, ms |",
                "|---|---|---:|---:|---:|",
            ]
            for word in QUERIES:
                q = fold_words(word)[0]
                today = "search @@ to_tsquery('simple', %s)"
                trigram = "search::text LIKE %s"
                for design, where, arg in [
                    ("today (prefix)", today, f"'{q}':*"),
                    ("A pg_trgm", trigram, f"%{q}%"),
                ]:
                    count_sql = f"SELECT count(*) FROM articles WHERE {where}"
                    page_sql = f"SELECT id FROM articles WHERE {where} ORDER BY id DESC LIMIT 50"
                    all_ms, hits = median_ms(
                        lambda s=count_sql, a=arg: conn.execute(s, [a]).fetchone()[0], turns
                    )
                    page_ms, _ = median_ms(
                        lambda s=page_sql, a=arg: conn.execute(s, [a]).fetchall(), turns
                    )
                    lines.append(f"| {word} | {design} | {hits:,} | {all_ms:.1f} | {page_ms:.1f} |")
            return lines
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    cache = args.cache or Path(f"/tmp/newsroom-compound-{args.articles}")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, load average "
        f"{os.getloadavg()[0]:.1f}; {args.articles:,} articles"
    )
    for line in sqlite_side(cache, args.articles, args.turns):
        print(line)
    if not args.no_postgres:
        for line in postgres_side(args.articles, args.turns):
            print(line)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
