"""The watchlist query language: words as prefixes, phrases, OR/NOT, fields, German folding,
and one clear line for a query that cannot be read."""

from __future__ import annotations

import pytest

from newsroom_tui.text.search_query import QueryError, parse_query
from newsroom_tui.watch.article_text import ArticleText, FeedText, Vocabulary

HERNE = FeedText.of("Stadt Herne", "Kommunen/Ruhrgebiet")
POLIZEI = FeedText.of("Polizei Bochum", "Blaulicht")

SPERRUNG = ArticleText(
    HERNE,
    "Vollsperrung der Bahnhofstraße ab Montag",
    "Wegen Kanalarbeiten ist die Bahnhofstraße zwischen Rathaus und Kreuzkirche gesperrt. "
    "Die Umleitung über die Kirchhofstraße ist ausgeschildert.",
    "Die Straßensperrung dauert drei Wochen.",
    ["Thomas Schmidt/Stadt Herne"],
)
BOMBE = ArticleText(
    POLIZEI,
    "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag",
    "Bei Bauarbeiten an der Westenfelder Straße wurde ein Blindgänger aus dem Zweiten "
    "Weltkrieg entdeckt. Der Kampfmittelbeseitigungsdienst entschärft die Bombe am Sonntag.",
    "",
    ["dpa/Bernd Thissen"],
)
UEBUNG = ArticleText(
    POLIZEI,
    "Großübung der Feuerwehr: Bombe im Hauptbahnhof angenommen",
    "Rund 200 Einsatzkräfte üben am Samstag die Räumung des Bahnhofs.",
)
ARTICLES = {"sperrung": SPERRUNG, "bombe": BOMBE, "uebung": UEBUNG}


def matching(query: str) -> set[str]:
    parsed = parse_query(query)
    found = {name for name, text in ARTICLES.items() if parsed.matches(text)}
    # the quick look by trigger words (as on arrival) never rules out a match
    triggers = parsed.triggers
    if triggers is not None:
        vocabulary = Vocabulary(triggers)
        looked = {
            n for n, text in ARTICLES.items() if not triggers.isdisjoint(text.found(vocabulary))
        }
        assert found <= looked, (query, found, looked)
    return found


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # words are prefixes, every word must occur
        ("Bombe", {"bombe", "uebung"}),
        ("Fliegerbomb", {"bombe"}),
        ("Bombe Sonntag", {"bombe"}),
        # German folding: case, ß as ss, umlauts without their dots, both ways
        ("strasse", {"sperrung", "bombe"}),
        ("STRASSENSPERRUNG", {"sperrung"}),
        ("Straßensperrung", {"sperrung"}),
        ("Grossuebung", {"uebung"}),
        ("Grossubung", set()),  # "ü" is "ue": "u" alone makes another word
        ("großübung", {"uebung"}),
        # OR binds tighter than words side by side: either word, in the Herne feed
        ('Sperrung OR Vollsperrung feed:"Stadt Herne"', {"sperrung"}),
        ('Bombe OR Vollsperrung feed:"Stadt Herne"', {"sperrung"}),
        ("Evakuierung OR Räumung", {"bombe", "uebung"}),
        # NOT and a leading minus
        ("Bombe NOT Großübung", {"bombe"}),
        ("Bombe -Feuerwehr", {"bombe"}),
        ("Übung", set()),  # a prefix of words, not a part: "Großübung" is not found
        ("Bombe NOT (Großübung OR Wattenscheid)", set()),
        # phrases: the words in a row, the last one a prefix
        ('"Zweiten Weltkrieg"', {"bombe"}),
        ('"Weltkrieg Zweiten"', set()),
        ('"Bahnhofstraße zwischen Rat"', {"sperrung"}),
        # fields
        ("title:Bombe", {"uebung"}),  # the other title has "Fliegerbombe"
        ("title:Blindgänger", set()),
        ("Blindgänger", {"bombe"}),
        ("credit:dpa", {"bombe"}),
        ("credit:Schmidt", {"sperrung"}),
        ("feed:Polizei Bombe", {"bombe", "uebung"}),
        ("category:Blaulicht Sonntag", {"bombe"}),
        ("category:Ruhrgebiet", {"sperrung"}),
        ("title:(Fliegerbombe OR Vollsperrung) NOT feed:Herne", {"bombe"}),
        # the feed's name is not searched without feed:
        ("Herne Bombe", set()),
        ("Bombe AND Sonntag", {"bombe"}),
    ],
)
def test_query_matches(query: str, expected: set[str]) -> None:
    assert matching(query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty"),
        ('"Stadt Herne', 'the phrase at character 1 has no closing "'),
        ("(Bombe OR Sperrung", "the parenthesis opened at character 1 is not closed"),
        ("Bombe)", "a ) at character 6 closes nothing"),
        ("autor:Schmidt", "unknown field autor: at character 1"),
        ("Bombe OR", "a word is missing at the end"),
        ("OR Bombe", "a word is missing before 'OR' at character 1"),
        ("NOT Sport", "the query only excludes words"),
        ("-Sport -Fußball", "the query only excludes words"),
        ("!!!", "'!!!' at character 1 holds no word to look for"),
    ],
)
def test_a_query_that_cannot_be_read_says_why_in_one_line(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(query)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_trigger_words_are_what_a_match_needs() -> None:
    assert parse_query('Sperrung OR Vollsperrung feed:"Stadt Herne"').triggers == {"stadt"}
    assert parse_query("Bombe OR Blindgänger").triggers == {"bombe", "blindgaenger"}
    assert parse_query("Bombe NOT Übung").triggers == {"bombe"}
    assert parse_query("(Bombe NOT Übung) OR Blindgänger").triggers == {"bombe", "blindgaenger"}


def test_a_field_decided_by_the_feed_is_tested_first() -> None:
    parsed = parse_query("Sperrung feed:Herne")
    assert parsed.root.parts[0].per_feed  # type: ignore[union-attr]


def test_a_watchlist_on_a_word_does_not_match_another_word() -> None:
    gruen = ArticleText(HERNE, "Grünflächenamt pflanzt Bäume", "Der Rasen wird grün.")
    grund = ArticleText(HERNE, "Grundschule erweitert", "Aus gutem Grund: Grundstücke.")
    for query in ("Grün", "grün", "gruen", "title:Grün"):
        parsed = parse_query(query)
        assert parsed.matches(gruen) and not parsed.matches(grund), query
    assert not parse_query("Burg").matches(ArticleText(HERNE, "Bürgerbüro geschlossen"))
