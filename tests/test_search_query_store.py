"""Search (``/``, ``newsroom search``) reads the query language of watchlists on both
backends: what ``search Q`` finds is what ``watch test Q`` counts on the same cache."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, Store
from newsroom_tui.text.search_query import QueryError, parse_query
from newsroom_tui.watch.scan import scan_matches
from tests.test_store import T0

# (feed, category, [(title, body, summary, [(caption, credit)])]) of a small German desk
DESK = [
    (
        "Stadt Herne",
        "Kommunen/Ruhrgebiet",
        [
            (
                "Vollsperrung der Bahnhofstraße ab Montag",
                "Wegen Kanalarbeiten ist die Bahnhofstraße gesperrt. Die Umleitung ist "
                "ausgeschildert.",
                "Die Straßensperrung dauert drei Wochen.",
                [("Die Baustelle an der Bahnhofstraße.", "Thomas Schmidt/Stadt Herne")],
            ),
            (
                "Grünflächenamt pflanzt 200 Bäume im Stadtgarten",
                "Das Grünflächenamt und die Grundschule an der Kirchhofstraße pflanzen Bäume.",
                "",
                [],
            ),
            (
                "Müllabfuhr verschiebt sich wegen Feiertag",
                "Die Abfuhr kommt einen Tag später, auch in Wanne-Eickel.",
                "Müll bitte erst am Mittwoch an die Straße stellen.",
                [],
            ),
        ],
    ),
    (
        "Polizei Bochum",
        "Blaulicht",
        [
            (
                "Fliegerbombe in Stahlhausen gefunden: Evakuierung am Sonntag",
                "Bei Bauarbeiten wurde ein Blindgänger entdeckt. Kampfmittel gefunden, "
                "Sperrung ab 8 Uhr. Im Notfall: Notruf 110.",
                "",
                [("Der Fundort in Stahlhausen.", "Polizei Bochum")],
            ),
            (
                "Polizei sucht Zeugen nach Unfall in Wattenscheid",
                "Ein Radfahrer wurde verletzt; die Polizei bittet um Hinweise unter 0234 909.",
                "",
                [],
            ),
            (
                "Großübung der Feuerwehr: Bombe im Hauptbahnhof angenommen",
                "Rund 200 Einsatzkräfte üben am Samstag, der Notruf bleibt erreichbar.",
                "",
                [("Übung am Hauptbahnhof.", "dpa/Bernd Thissen")],
            ),
        ],
    ),
    (
        "WAZ Bochum",
        "Presse",
        [
            (
                "Straßensperrung in Bochum: Umleitung über die Wittener Straße",
                "Die Straße ist bis Freitag gesperrt, meldet die Stadt Bochum.",
                "",
                [("Die gesperrte Wittener Straße.", "Foto: WAZ")],
            ),
            (
                "Grüne fordern mehr Radwege in Herne",
                "Die Grünen im Rat der Stadt Herne wollen neue Radwege; die Polizei zählt Unfälle.",
                "",
                [("Ein Radweg an der Bahnhofstraße.", None)],
            ),
        ],
    ),
]


def fill(store: Store) -> None:
    hour = 0
    for n, (name, category, articles) in enumerate(DESK):
        feed, _ = store.add_feed(f"http://127.0.0.1/{n}.xml", name, category)
        news = []
        for title, body, summary, gallery in articles:
            hour += 1
            news.append(
                NewArticle(
                    guid=f"{n}-{hour}",
                    url=f"http://127.0.0.1/{n}/{hour}.html",
                    title=title,
                    published=T0 + timedelta(hours=hour),
                    summary=summary,
                    body_markdown=body,
                    gallery=[
                        GalleryItem(f"http://127.0.0.1/{hour}.jpg", caption, credit)
                        for caption, credit in gallery
                    ],
                )
            )
        store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=news))


def found(store: Store, query: str, **more: object) -> list[str]:
    """The titles a search finds, newest first; the store's first page (SQLite's newest
    hits without sorting them all) and its whole list agree, and so does its count."""
    where = ArticleFilter(search=query, **more)  # type: ignore[arg-type]
    whole = [a.title for a in store.articles(where)]
    assert [a.title for a in store.articles(where, limit=3)] == whole[:3]
    assert [a.title for a in store.articles(where, limit=2, offset=1)] == whole[1:3]
    assert store.count_articles(where) == len(whole)
    assert store.count_articles(where, at_most=2) == min(len(whole), 2)
    return whole


def watch_test(store: Store, query: str) -> list[str]:
    count, shown = scan_matches(store, parse_query(query), limit=None)
    assert count == len(shown)
    return [a.title for a in shown]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the newcomer's queries: OR, a leading -, NOT (not a prefix of "Notruf")
        (
            "Sperrung OR gesperrt",
            ["Straßensperrung in Bochum", "Fliegerbombe", "Vollsperrung"],
        ),
        ("Polizei -Bochum", ["Grüne fordern", "Polizei sucht"]),
        ("Polizei NOT Bochum", ["Grüne fordern", "Polizei sucht"]),
        ("Notruf NOT Übung", ["Fliegerbombe"]),
        # phrases: words in a row, the last a prefix
        ('"Stadt Herne"', ["Grüne fordern", "Vollsperrung"]),
        ('"Wittener Str"', ["Straßensperrung in Bochum"]),
        ('"Straße Wittener"', []),
        # fields: the feed's name and category (decided per feed), the title, the gallery
        ('Sperrung feed:"Stadt Herne"', []),
        ('Straßensperrung OR Vollsperrung feed:"Stadt Herne"', ["Vollsperrung"]),
        ("category:Blaulicht Bombe", ["Großübung"]),
        ("category:Blaulicht Fliegerbombe OR Unfall", ["Polizei sucht", "Fliegerbombe"]),
        ("title:Polizei", ["Polizei sucht"]),
        ("credit:dpa", ["Großübung"]),
        ("credit:Stahlhausen", ["Fliegerbombe"]),
        ('credit:"Polizei Bochum" OR credit:WAZ', ["Straßensperrung in Bochum", "Fliegerbombe"]),
        ("Radweg -credit:Radweg", []),
        ("(Bombe OR Blindgänger) NOT Übung", ["Fliegerbombe"]),
        ("Stahlhausen (Notruf OR NOT Kampfmittel)", ["Fliegerbombe"]),
        ("Bahnhofstr (Radweg OR NOT Herne)", ["Grüne fordern"]),
        ("Stadt (Radweg OR NOT Herne)", ["Grüne", "Straßensperrung in Bochum", "Grünflächenamt"]),
        ("Bahnhofstr NOT feed:Herne", ["Grüne fordern"]),
        ("feed:Polizei OR Radweg", ["Grüne fordern", "Großübung", "Polizei sucht", "Fliegerb"]),
        ("Wanne-Eickel", ["Müllabfuhr"]),
        # folding as before: "grün" finds Grün and the Grünflächenamt, never the Grundschule
        ("grün", ["Grüne fordern", "Grünflächenamt"]),
        ("gruen -grüne", ["Grünflächenamt"]),
        ("Grund", ["Grünflächenamt"]),
        ("MUELL", ["Müllabfuhr"]),
        ("Mull", []),
        ("strasse OR Müll", ["Straßensperrung in", "Müllabfuhr", "Vollsperrung"]),
    ],
)
def test_search_reads_the_watchlist_query_language(
    any_store: Store, query: str, expected: list[str]
) -> None:
    fill(any_store)
    titles = found(any_store, query)
    assert len(titles) == len(expected), titles
    assert all(t.startswith(e) for t, e in zip(titles, expected, strict=True)), titles
    assert titles == watch_test(any_store, query)
    # a story once: each story's newest hit
    assert set(found(any_store, query, stories=True)) <= set(titles)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ('"Kampfmittel gefunden', 'the phrase at character 1 has no closing "'),
        ("Sperrung OR", "a word is missing at the end"),
        ("NOT Sport", "the query only excludes words"),
        ("ort:Herne", "unknown field ort:"),
        ("(Bombe OR Blindgänger", "the parenthesis opened at character 1 is not closed"),
        ("…", "holds no word to look for"),
    ],
)
def test_a_query_that_cannot_be_read_is_an_error(any_store: Store, query: str, error: str) -> None:
    fill(any_store)
    for where in (ArticleFilter(search=query), ArticleFilter(search=query, stories=True)):
        with pytest.raises(QueryError, match=error.replace("(", r"\(")):
            any_store.articles(where, limit=50)
        with pytest.raises(QueryError):
            any_store.count_articles(where, at_most=1001)
        with pytest.raises(QueryError):
            any_store.articles(where)


# Queries made of the desk's words, their prefixes and other spellings, joined as a desk
# would join them: side by side, OR, NOT, -, phrases, parentheses, fields.
_WORDS = [
    "Sperrung", "gesperrt", "Straße", "strasse", "Bahnhofstr", "Müll", "muell", "Mull",
    "grün", "Grund", "Polizei", "Bochum", "Notruf", "Not", "Übung", "Bombe", "Herne",
    "Stadt", "Radweg", "dpa", "Foto", "Wittener", "Umleitung", "200", "Stahlhausen",
    "Wanne-Eickel", "Feuerwehr", "Zeugen", "Bäume",
]  # fmt: skip
_FIELDS = ["", "", "", "title:", "credit:", "feed:", "category:"]


def _term() -> st.SearchStrategy[str]:
    word = st.sampled_from(_WORDS)
    phrase = st.lists(word, min_size=2, max_size=3).map(lambda w: '"' + " ".join(w) + '"')
    return st.tuples(st.sampled_from(_FIELDS), st.one_of(word, word, phrase)).map("".join)


queries = st.recursive(
    _term(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(" ".join),
        st.lists(inner, min_size=2, max_size=3).map(" OR ".join),
        inner.map(lambda q: f"NOT {q}"),
        inner.map(lambda q: f"-{q}"),
        inner.map(lambda q: f"({q})"),
    ),
    max_leaves=6,
)


def test_search_and_watch_test_agree_on_any_query(any_store: Store) -> None:
    """Property: on the same cache ``search Q`` finds what ``watch test Q`` counts, or both
    refuse the query."""
    fill(any_store)

    @settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(queries)
    def agree(query: str) -> None:
        try:
            expected = watch_test(any_store, query)
        except QueryError:
            with pytest.raises(QueryError):
                any_store.articles(ArticleFilter(search=query), limit=50)
            return
        assert found(any_store, query) == expected, query
        unread = ArticleFilter(search=query, unread=True)
        assert [a.title for a in any_store.articles(unread, limit=50)] == expected

    agree()


def test_blank_search_is_no_search(any_store: Store) -> None:
    fill(any_store)
    everything = [a.title for a in any_store.articles()]
    assert [a.title for a in any_store.articles(ArticleFilter(search="  "))] == everything
    where = replace(ArticleFilter(search="  "), unread=True)
    assert any_store.count_articles(where, at_most=1001) == len(everything)


def test_a_watchlist_reads_the_gallery_as_search_does(any_store: Store) -> None:
    """A new article's captions count as search counts them (they were left out on arrival:
    a watchlist missed what the search of the same query found)."""
    from newsroom_tui.watch.arrivals import match_arrivals
    from newsroom_tui.watch.watchlist import checked_watchlist

    fill(any_store)
    query = "credit:Baustelle OR Fundort"
    watchlist = checked_watchlist("Baustellen", query)
    new = [
        (n, NewArticle(str(n), None, title, T0, body_markdown=body, gallery=gallery))
        for n, (title, body, gallery) in enumerate(
            [
                ("Sperrung", "Kanalarbeiten", [GalleryItem("x.jpg", "Die Baustelle.", None)]),
                ("Bombe", "Evakuierung", [GalleryItem("y.jpg", "Der Fundort.", "Polizei")]),
                ("Baustelle", "Keine Bilder", []),
            ]
        )
    ]
    arrived = match_arrivals([(watchlist, parse_query(query))], "Stadt Herne", None, new)
    assert [a.article_id for a in arrived] == [0, 1]
    assert len(found(any_store, query)) == 2  # the stored ones: the Bahnhofstraße, Stahlhausen
