"""A poll's articles get their search index after the poll's writes (the index queue): a
search finds the same articles as when each write indexed its own, nothing queued is lost to
a kill, and whatever takes articles out of the index leaves the queued ones alone."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.article_reading import read_article
from newsroom_tui.ingest import poll_writer
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import BodySource, GalleryItem, NewArticle
from newsroom_tui.store import (
    ArticleFilter,
    FeedUpdate,
    SQLiteStore,
    StoreError,
    index_queue,
    open_store,
)
from newsroom_tui.store.retention import Retention
from newsroom_tui.text.search_text import fold_words
from tests.fixture_server import FixtureServer
from tests.test_fold_reference import WORDS
from tests.test_poller import rss
from tests.test_search_folding import TITLES
from tests.test_store import T0

QUERIES = [
    "grün",
    "gruen",
    "Grünflächenamt",
    "grund",
    "Bürgerbüro",
    "strasse",
    "café",
    "münchen",
    "Dieper",
    "Bühne Robert-Brauner",
    "Stadt Herne",
    "Kulturzentrum Dieper",
]


def _articles() -> list[NewArticle]:
    arts = [
        NewArticle(
            guid=guid,
            url=f"http://127.0.0.1/{guid}",
            title=title,
            published=T0,
            body_markdown=f"Die Stadt Herne informiert: {title}.",
        )
        for guid, title in TITLES.items()
    ]
    arts.append(
        NewArticle(
            guid="galerie",
            url="http://127.0.0.1/galerie",
            title="Stadtfest 2026",
            published=T0,
            body_markdown="Das Stadtfest in Wanne-Eickel.",
            gallery=[
                GalleryItem(
                    "http://127.0.0.1/b.jpg", "Bühne am Robert-Brauner-Platz", "Frank Dieper"
                )
            ],
        )
    )
    return arts


def _found(store: SQLiteStore, query: str) -> list[int]:
    return [a.id for a in store.articles(ArticleFilter(search=query), limit=50)]


def _store(path: Path) -> SQLiteStore:
    return open_store(path)


def _deferred_save(
    store: SQLiteStore, arts: list[NewArticle], url: str = "http://127.0.0.1/feed"
) -> int:
    feed, _ = store.add_feed(url)
    with store.deferred_index():
        store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=arts))
    return feed.id


def test_queued_articles_are_found_alike_once_indexed(tmp_path: Path) -> None:
    inline, later = _store(tmp_path / "inline"), _store(tmp_path / "later")
    try:
        feed, _ = inline.add_feed("http://127.0.0.1/feed")
        inline.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=_articles()))
        _deferred_save(later, _articles())
        assert later.index_pending() == len(_articles())
        assert _found(later, "Grünflächenamt") == []  # not yet in the index
        seen: list[tuple[int, int]] = []
        assert later.catch_up_index(lambda done, total: seen.append((done, total))) == 15
        assert seen == [(15, 15)]
        assert later.index_pending() == 0
        for query in QUERIES:
            assert _found(later, query) == _found(inline, query), query
            assert later.count_articles(ArticleFilter(search=query)) == inline.count_articles(
                ArticleFilter(search=query)
            )
        titles = {a.title for a in later.articles(ArticleFilter(search="grün"))}
        assert titles == {TITLES["gruen"], TITLES["gruene"]}  # never the Grundschule
    finally:
        inline.close()
        later.close()


def test_the_indexer_works_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_queue, "INDEX_BATCH", 4)
    store = _store(tmp_path)
    try:
        _deferred_save(store, _articles())
        seen: list[tuple[int, int]] = []
        assert store.catch_up_index(lambda done, total: seen.append((done, total))) == 15
        assert seen == [(4, 15), (8, 15), (12, 15), (15, 15)]
        assert len(_found(store, "Herne")) == 14
    finally:
        store.close()


def test_a_batch_interrupted_by_a_kill_leaves_the_queue_whole(tmp_path: Path) -> None:
    """A kill inside a batch (SQLite interrupted mid-statement): the batch's rows and its
    queue deletion roll back together; the next catch-up indexes everything."""
    store = _store(tmp_path)
    try:
        _deferred_save(store, _articles())
        stop: list[bool] = []
        store._conn.set_trace_callback(lambda s: stop.append("INSERT INTO articles_fts" in s))
        store._conn.set_progress_handler(lambda: 1 if any(stop) else 0, 1)
        with pytest.raises(StoreError, match="interrupted"):
            store.catch_up_index()
        store._conn.set_progress_handler(None, 1)
        store._conn.set_trace_callback(None)
        assert store.index_pending() == 15
        assert _found(store, "Herne") == []
        assert store.catch_up_index() == 15
        assert len(_found(store, "Herne")) == 14
    finally:
        store.close()


def test_an_article_read_before_the_indexer_is_indexed_once(tmp_path: Path) -> None:
    """The first read renders a stored body source and makes the article's full-text row
    from the Markdown; the indexer must not make a second one (a contentless index would
    keep a phantom hit after the article is gone)."""
    store = _store(tmp_path)
    try:
        source = BodySource("", "<p>Die Feuerwehr Bochum übt im Ruhrstadion.</p>", None)
        art = NewArticle(
            guid="uebung",
            url="http://127.0.0.1/uebung",
            title="Übung der Feuerwehr",
            published=T0,
            body_markdown="Die Feuerwehr Bochum übt im Ruhrstadion.",
            source=source.encode(),
        )
        _deferred_save(store, [art])
        article_id = store.articles()[0].id
        assert read_article(store, article_id) is not None  # rendered and kept
        assert store.catch_up_index() == 0
        assert store.count_articles(ArticleFilter(search="Ruhrstadion")) == 1
        assert store.remove_feed("http://127.0.0.1/feed")
        _deferred_save(store, _articles(), url="http://127.0.0.1/other")
        store.catch_up_index()
        assert store.count_articles(ArticleFilter(search="Ruhrstadion")) == 0
        assert _found(store, "uebung") == []
    finally:
        store.close()


def test_queued_articles_removed_before_the_indexer_leave_no_trace(tmp_path: Path) -> None:
    """A feed removed, or articles retired, while its articles wait for the indexer: they
    leave the queue, and the index hands out no hit for them."""
    store = _store(tmp_path)
    try:
        _deferred_save(store, _articles())
        assert store.remove_feed("http://127.0.0.1/feed")
        assert store.index_pending() == 0
        store.retention = Retention(keep_days=0, max_per_feed=1)
        feed_id = _deferred_save(store, _articles()[:3], url="http://127.0.0.1/other")
        with store.deferred_index():
            store.save_feed_update(feed_id, FeedUpdate(polled_at=T0, articles=_articles()[3:6]))
        assert len(store.articles()) == 3  # the first three retired, queued or not
        assert store.index_pending() == 3
        store.catch_up_index()
        kept = {a.id for a in store.articles()}
        assert set(_found(store, "Herne")) == kept
    finally:
        store.close()


async def test_a_poll_ends_with_its_articles_searchable(
    server: FixtureServer, store: SQLiteStore
) -> None:
    items = [(f"gruen-{i}", f"/a/{i}.html") for i in range(4)]
    server.add("/feed.xml", rss(server.base, items), "application/rss+xml")
    store.add_feed(server.url("/feed.xml"))
    heard: list[tuple[int, int]] = []
    report = await poll_feeds(store, on_index=lambda done, total: heard.append((done, total)))
    assert report.new_articles == 4
    assert report.indexed == 4 and heard[-1] == (4, 4)
    assert store.index_pending() == 0
    assert store.count_articles(ArticleFilter(search="Brücke")) == 4


async def test_a_poll_indexes_while_it_stores(
    server: FixtureServer, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once enough articles wait and no feed waits to be saved, the writer indexes them
    during the poll: the poll's end has only the rest left."""
    monkeypatch.setattr(poll_writer, "INDEX_WHILE_POLLING", 5)
    for n in range(4):
        items = [(f"herne-{n}-{i}", f"/a/{n}/{i}.html") for i in range(3)]
        server.add(f"/feed/{n}.xml", rss(server.base, items), "application/rss+xml")
        store.add_feed(server.url(f"/feed/{n}.xml"))
    report = await poll_feeds(store)
    assert report.new_articles == 12
    assert report.indexed <= 7  # five (or more) were indexed during the poll
    assert store.index_pending() == 0
    assert store.count_articles(ArticleFilter(search="Brücke")) == 12


_TEXT = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(" .,;:!?\n"),
        st.characters(exclude_categories=("Cs", "Cc")),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_TEXT, _TEXT, _TEXT, _TEXT), min_size=1, max_size=4), st.data())
def test_any_text_is_found_alike_indexed_later(
    texts: list[tuple[str, str, str, str]], data: st.DataObject
) -> None:
    """Whatever the text (umlauts written either way, ligatures, full-width letters, other
    scripts), a search finds the same articles whether the write indexed them or the indexer
    did later."""
    arts = [
        NewArticle(
            guid=f"meldung-{n}",
            url=f"http://127.0.0.1/{n}",
            title=title or "Stadt Herne",
            published=T0,
            body_markdown=body,
            summary=summary,
            gallery=[GalleryItem(f"http://127.0.0.1/{n}.jpg", caption, "Stadt Herne")],
        )
        for n, (title, body, summary, caption) in enumerate(texts)
    ]
    words = sorted({w for art in arts for w in fold_words(f"{art.title} {art.body_markdown}")})
    queries = ["Herne", "grün", "strasse", *(data.draw(st.sampled_from(words)) for _ in words[:3])]
    with tempfile.TemporaryDirectory() as tmp:
        inline, later = _store(Path(tmp) / "inline"), _store(Path(tmp) / "later")
        try:
            feed, _ = inline.add_feed("http://127.0.0.1/feed")
            inline.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=arts))
            _deferred_save(later, arts)
            later.catch_up_index()
            for query in queries:
                assert _found(later, query) == _found(inline, query), query
        finally:
            inline.close()
            later.close()
