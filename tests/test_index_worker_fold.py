"""The poll's workers fold the search text of the articles they build, and the index made
after the poll's writes takes their columns: the cache's full-text index holds exactly the
text SQLite's fold of the stored rows makes, term by term and position by position."""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.ingest.article_rows import article_list
from newsroom_tui.ingest.poll_jobs import first_poll_job
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, index_queue, open_store
from newsroom_tui.text.search_text import fold, fts_columns
from tests.fixture_server import FEED_PATH, FixtureServer, herne_site
from tests.test_fold_reference import WORDS
from tests.test_index_queue import QUERIES
from tests.test_poller import rss
from tests.test_store import T0

_Rows = list[tuple[str, str, str, int]]


def _index_rows(store: SQLiteStore) -> _Rows:
    """Every term of the full-text index with its article (by its guid: the feeds of a poll
    are stored in the order they answer, so two polls may number the same article apart),
    column and position."""
    conn = sqlite3.connect(store.path)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, articles_fts, instance)")
        return conn.execute(
            """SELECT v.term, a.guid, v.col, v."offset" FROM temp.v v
               JOIN articles a ON a.id = v.doc ORDER BY 1, 2, 3, 4"""
        ).fetchall()
    finally:
        conn.close()


def _counting_fold(store: SQLiteStore) -> list[int]:
    """SQLite's fold of the stored rows, counted: how often the index called it."""
    calls = [0]

    def counted(text: str | None) -> str:
        calls[0] += 1
        return fold(text)

    store._conn.create_function("nr_fold", 1, counted, deterministic=True)
    return calls


def _serve(server: FixtureServer) -> None:
    """The city's press feed with its pages, and two feeds of the police's reports."""
    herne_site(server)
    for n in range(2):
        items = [(f"polizei-bochum-{n}-{i}", f"/polizei/{n}/{i}.html") for i in range(6)]
        server.add(f"/polizei/{n}.xml", rss(server.base, items), "application/rss+xml")


async def test_a_poll_indexes_the_same_text_with_the_workers_folding(
    server: FixtureServer, tmp_path: Path
) -> None:
    _serve(server)
    urls = [server.url(FEED_PATH), server.url("/polizei/0.xml"), server.url("/polizei/1.xml")]
    stores = {folded: open_store(tmp_path / str(folded)) for folded in (True, False)}
    try:
        calls = {}
        for folded, store in stores.items():
            store.worker_index = folded
            calls[folded] = _counting_fold(store)
            for url in urls:
                store.add_feed(url)
            report = await poll_feeds(store)
            assert report.new_articles == 15 and store.index_pending() == 0
        assert calls[True][0] == 0  # every column came folded from the workers
        assert calls[False][0] == 3 * 15  # title, body, credits of each, by SQLite
        with_workers, by_sqlite = (_index_rows(stores[f]) for f in (True, False))
        assert with_workers == by_sqlite
        assert len({row[1] for row in with_workers}) == 15
        for query in [*QUERIES, "Polizei", "Öffnungszeiten", "Integrationsmanagement"]:
            found = [
                sorted(a.url or "" for a in s.articles(ArticleFilter(search=query)))
                for s in stores.values()
            ]
            assert found[0] == found[1], query
    finally:
        for store in stores.values():
            store.close()


def test_the_worker_hands_back_the_folded_columns() -> None:
    feed = rss("http://127.0.0.1:1", [("gruen-1", "/a/1.html"), ("gruen-2", "/a/2.html")])
    first = first_poll_job(
        feed.encode(), "http://127.0.0.1:1/f.xml", None, "never", None, True, False, None, True
    )
    (back,) = [pickle.loads(pickle.dumps(first.items))]
    assert len(back) == 2
    for art in back:
        gallery = ((g.caption, g.credit) for g in art.gallery)
        assert art.index == fts_columns(art.title, art.body_markdown, art.summary, gallery)
    plain = first_poll_job(feed.encode(), "http://127.0.0.1:1/f.xml", None, "never")
    assert all(art.index is None for art in plain.items)


def _deferred(store: SQLiteStore, arts: list[NewArticle], url: str) -> None:
    feed, _ = store.add_feed(url)
    with store.deferred_index():
        store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=arts))


def test_an_id_taken_again_never_gets_the_columns_of_the_article_before() -> None:
    """A queued article removed with its feed; the next article stored takes its id, from a
    write whose articles came without folded columns: the index folds that one's row."""
    old = article_list(
        [NewArticle("alt", None, "Grünflächenamt Herne", T0, body_markdown="Baumschnitt")],
        index=True,
    )
    new = [NewArticle("neu", None, "Polizei Bochum", T0, body_markdown="Zeugen gesucht")]
    with tempfile.TemporaryDirectory() as tmp:
        later, inline = open_store(Path(tmp) / "later"), open_store(Path(tmp) / "inline")
        try:
            _deferred(later, list(old), "http://127.0.0.1/stadt")
            assert later.remove_feed("http://127.0.0.1/stadt")
            _deferred(later, new, "http://127.0.0.1/polizei")
            assert later.catch_up_index() == 1
            feed, _ = inline.add_feed("http://127.0.0.1/polizei")
            inline.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=new))
            assert later.articles()[0].id == inline.articles()[0].id
            assert _index_rows(later) == _index_rows(inline)
            assert later.count_articles(ArticleFilter(search="Grünflächenamt")) == 0
        finally:
            later.close()
            inline.close()


_TEXT = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(" .,;:!?\n"),
        st.characters(exclude_categories=("Cs", "Cc")),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_TEXT, _TEXT, _TEXT, _TEXT, st.booleans()), min_size=1, max_size=6),
    st.integers(1, 4),
)
def test_any_text_is_indexed_alike_folded_by_the_workers_or_by_sqlite(
    texts: list[tuple[str, str, str, str, bool]], batch: int
) -> None:
    """Whatever the text, and whichever articles came folded (a batch may mix both), the
    index holds the same terms at the same positions as when SQLite folds every row."""
    arts = [
        NewArticle(
            guid=f"meldung-{n}",
            url=f"http://127.0.0.1/{n}",
            title=title,
            published=T0,
            body_markdown=body,
            summary=summary,
            gallery=[GalleryItem(f"http://127.0.0.1/{n}.jpg", caption, "Stadt Herne")],
        )
        for n, (title, body, summary, caption, _) in enumerate(texts)
    ]
    folded = pickle.loads(pickle.dumps(article_list(arts, index=True)))
    for art, (*_, keep) in zip(folded, texts, strict=True):
        art.index = art.index if keep else None
    with tempfile.TemporaryDirectory() as tmp:
        workers, sqlite = open_store(Path(tmp) / "workers"), open_store(Path(tmp) / "sqlite")
        try:
            _deferred(workers, folded, "http://127.0.0.1/feed")
            _deferred(sqlite, arts, "http://127.0.0.1/feed")
            while workers.catch_up_index(None, batch):
                pass
            sqlite.catch_up_index()
            assert workers.index_pending() == 0
            assert _index_rows(workers) == _index_rows(sqlite)
        finally:
            workers.close()
            sqlite.close()


def test_the_batch_takes_the_folded_columns_it_uses() -> None:
    folded: index_queue.Folded = {}
    index_queue.keep_folded(folded, [(1, ("a", "b", "c")), (2, None)])
    index_queue.keep_folded(folded, [(1, None)])
    assert folded == {}
