"""The counts around a list of stories on both backends: the totals of every feed's list and
each category's unread stories in one statement (``story_totals``), the same numbers as a
count of each category's list; a watchlist's count of stories, each once, as its list shows
them (``watch_counts(stories=True)``), and of every article apart without."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.models import NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, Store, StoryTotals, open_store
from newsroom_tui.watch.on_arrival import match_new_articles
from newsroom_tui.watch.watchlist import checked_watchlist
from tests.story_desk import ByFirstWord

MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
LISTED = ArticleFilter(done=False, stories=True)
UNREAD = replace(LISTED, unread=True)

# (feed, category): nested categories, one with a LIKE wildcard in its name (it holds
# "Blaulicht_Feuerwehr/…", not "Blaulicht-Feuerwehr/…"), and a feed with none
FEEDS = (
    ("Polizei Bochum", "Blaulicht"),
    ("Polizei Herne", "Blaulicht/Herne"),
    ("Feuerwehr Bochum", "Blaulicht_Feuerwehr"),
    ("Feuerwehr Herne", "Blaulicht-Feuerwehr/Herne"),
    ("Stadt Bochum", "Rathaus"),
    ("Stadt Herne", "Rathaus/Herne"),
    ("WAZ Bochum", None),
)

# (feed, title): stories by their title's first word, told by feeds of several categories
TOLD = (
    ("Polizei Bochum", "Brand in Wattenscheid: Polizei sucht Zeugen"),
    ("Stadt Bochum", "Brand in Wattenscheid – Stadt richtet Notunterkunft ein"),
    ("WAZ Bochum", "Brand in Wattenscheid: Feuerwehr rettet zwei Menschen"),
    ("Polizei Herne", "Unfall auf der Bahnhofstraße in Herne-Mitte"),
    ("Stadt Herne", "Unfall auf der Bahnhofstraße: Stadt sperrt die Kreuzung"),
    ("Polizei Herne", "Unfall auf der Bahnhofstraße: Nachtrag zur Meldung"),
    ("Feuerwehr Bochum", "Gasgeruch in Linden: Häuser geräumt"),
    ("Polizei Bochum", "Gasgeruch in Linden: Polizei sperrt die Hattinger Straße"),
    ("Feuerwehr Herne", "Feuer im Keller in Herne-Sodingen"),
    ("Stadt Herne", "Weihnachtsmarkt öffnet am Robert-Brauner-Platz"),
    ("Stadt Bochum", "Sperrung der Brücke an der Herner Straße"),
    ("WAZ Bochum", "Schützenfest in Höntrop abgesagt"),
    ("Polizei Bochum", "Vermisste Seniorin aus Linden"),
    ("Polizei Herne", "Vermisste Seniorin aus Linden wohlbehalten angetroffen"),
)


def _store_told(store: Store) -> dict[str, int]:
    """The articles of :data:`TOLD` in ``store``, each stored by its own feed's poll (the
    watchlists matched); title -> id."""
    store.story_assigner = ByFirstWord()
    feeds = {
        name: store.add_feed(f"http://127.0.0.1:9/{n}.rss", name, category)[0].id
        for n, (name, category) in enumerate(FEEDS)
    }
    for minutes, (feed, title) in enumerate(TOLD):
        text = f"{title}. Die Redaktion berichtet aus dem Ruhrgebiet."
        art = NewArticle(
            guid=title,
            url=None,
            title=title,
            summary=text,
            body_markdown=text,
            published=MONDAY + timedelta(minutes=minutes),
        )
        update = FeedUpdate(polled_at=MONDAY + timedelta(hours=1), articles=[art])
        store.save_feed_update(feeds[feed], update, after_save=match_new_articles)
    store.story_assigner = None
    return {a.title: a.id for a in store.articles()}


def _counted_apart(store: Store) -> StoryTotals:
    """The totals as a count of each list gives them, one statement per category."""
    categories = {feed.category for feed in store.feeds() if feed.category}
    return StoryTotals(
        store.count_articles(LISTED),
        store.count_articles(UNREAD),
        {name: store.count_articles(replace(UNREAD, category=name)) for name in categories},
    )


def test_the_story_totals_are_the_counts_of_each_list(any_store: Store) -> None:
    ids = _store_told(any_store)
    totals = any_store.story_totals()
    # eight stories of fourteen articles; the fire counts in Blaulicht and Rathaus, once each
    assert (totals.stories, totals.unread) == (8, 8)
    assert totals.categories == {
        "Blaulicht": 4,  # the fire, the accident (Herne's, nested), the gas, the missing woman
        "Blaulicht/Herne": 2,
        "Blaulicht_Feuerwehr": 1,
        "Blaulicht-Feuerwehr/Herne": 1,
        "Rathaus": 4,
        "Rathaus/Herne": 2,
    }
    assert totals == _counted_apart(any_store)
    # states spread over a story's versions: read here, done there
    any_store.set_read(ids["Brand in Wattenscheid: Polizei sucht Zeugen"])
    any_store.set_story_read(ids["Gasgeruch in Linden: Häuser geräumt"])
    any_store.set_done(ids["Unfall auf der Bahnhofstraße: Stadt sperrt die Kreuzung"])
    any_store.set_story_done(ids["Weihnachtsmarkt öffnet am Robert-Brauner-Platz"])
    totals = any_store.story_totals()
    assert (totals.stories, totals.unread) == (7, 6)
    assert totals.categories == {
        "Blaulicht": 2,  # the fire is unread in Rathaus only, the gas read everywhere
        "Blaulicht/Herne": 2,
        "Blaulicht_Feuerwehr": 0,
        "Blaulicht-Feuerwehr/Herne": 1,
        "Rathaus": 2,  # the accident's version there is done
        "Rathaus/Herne": 0,
    }
    assert totals == _counted_apart(any_store)
    any_store.mark_all_read(LISTED)
    assert any_store.story_totals() == StoryTotals(7, 0, dict.fromkeys(totals.categories, 0))


def test_a_store_without_articles_has_no_stories(any_store: Store) -> None:
    any_store.add_feed("http://127.0.0.1:9/leer.rss", "Stadt Herne", "Rathaus")
    assert any_store.story_totals() == StoryTotals(0, 0, {"Rathaus": 0})


def test_a_watchlist_counts_its_stories_once_and_every_article_apart(any_store: Store) -> None:
    """The fire matched in three versions is one story of the watchlist's list; read by one
    version's feed, it stays unread while a version it matched is unread."""
    any_store.add_watchlist(checked_watchlist("Einsätze", "Brand OR Gasgeruch OR Sperrung"))
    ids = _store_told(any_store)

    def counts(stories: bool) -> tuple[int, int]:
        (watched,) = any_store.watch_counts(stories=stories)
        return watched.total, watched.unread

    listed = replace(LISTED, watchlist="Einsätze")
    assert counts(True) == (3, 3) == (any_store.count_articles(listed),) * 2
    assert counts(False) == (6, 6)
    assert counts(False)[0] == any_store.count_articles(replace(listed, stories=False))
    assert [c.total for c in any_store.watch_counts()] == [6]  # every article apart, as before
    any_store.set_read(ids["Brand in Wattenscheid: Polizei sucht Zeugen"])
    any_store.set_story_read(ids["Gasgeruch in Linden: Häuser geräumt"])
    assert counts(True) == (3, 2) == (3, any_store.count_articles(replace(listed, unread=True)))
    assert counts(False) == (6, 3)
    any_store.set_story_done(ids["Sperrung der Brücke an der Herner Straße"])
    assert counts(True) == (2, 1)
    assert counts(False) == (5, 2)


def test_the_first_frame_counts_a_watchlist_as_its_list_does(any_store: Store) -> None:
    any_store.add_watchlist(checked_watchlist("Einsätze", "Brand OR Gasgeruch"))
    _store_told(any_store)
    for stories in (True, False):
        screen = any_store.first_screen(replace(LISTED, stories=stories), 5)
        assert screen.counts is not None
        assert screen.counts.watchlists == any_store.watch_counts(stories=stories)
        (watched,) = screen.counts.watchlists
        assert (watched.total, watched.unread) == ((2, 2) if stories else (5, 5))


# a desk's categories: nested ones, LIKE's wildcards in a name, one that only starts alike
CATEGORIES = [
    None,
    "Blaulicht",
    "Blaulicht/Herne",
    "Blaulicht_Feuerwehr",
    "Blaulicht-Feuerwehr/Herne",
    "Blaulichter",
    "Rathaus",
    "Rathaus/Herne/Sodingen",
]
# an article: its feed, its story (None: alone), read, done
ARTICLES = st.tuples(
    st.integers(min_value=0, max_value=3),
    st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
    st.booleans(),
    st.booleans(),
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(st.sampled_from(CATEGORIES), min_size=4, max_size=4),
    st.lists(ARTICLES, min_size=1, max_size=14),
)
def test_the_story_totals_are_the_counts_of_each_list_whatever_the_desk(
    categories: list[str | None], articles: list[tuple[int, int | None, bool, bool]]
) -> None:
    """Any feeds' categories, any stories over them, read and done anywhere: the one
    statement says what a count of each list says."""
    with tempfile.TemporaryDirectory() as data_dir:
        store = open_store(Path(data_dir), user="anna")
        try:
            store.story_assigner = ByFirstWord()
            feeds = [
                store.add_feed(f"http://127.0.0.1:9/{n}.rss", f"Stadt Herne {n}", category)[0].id
                for n, category in enumerate(categories)
            ]
            for n, (feed, story, _, _) in enumerate(articles):
                word = f"Meldung{n}" if story is None else f"Thema{story}"
                art = NewArticle(
                    guid=str(n),
                    url=None,
                    title=f"{word} aus Herne ({n})",
                    summary="",
                    body_markdown="Die Stadt Herne teilt mit.",
                    published=MONDAY + timedelta(minutes=n),
                )
                store.save_feed_update(feeds[feed], FeedUpdate(polled_at=MONDAY, articles=[art]))
            ids = {a.title: a.id for a in store.articles()}
            for n, (_, story, read, done) in enumerate(articles):
                word = f"Meldung{n}" if story is None else f"Thema{story}"
                store.set_read(ids[f"{word} aus Herne ({n})"], read)
                store.set_done(ids[f"{word} aus Herne ({n})"], done)
            assert store.story_totals() == _counted_apart(store)
        finally:
            store.close()
