"""parse_german_date and the page date finder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from newsroom_tui.extract import parse_german_date
from newsroom_tui.extract.dates import find_date_line, find_page_date

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meldung vom 09. Mai 2023", berlin(2023, 5, 9)),
        ("Meldung vom 09.\u00a0Mai\u00a02023", berlin(2023, 5, 9)),
        ("12.04.2024", berlin(2024, 4, 12)),
        ("1.4.2024", berlin(2024, 4, 1)),
        ("12.04.24", berlin(2024, 4, 12)),
        ("5. März 2025, 14:30 Uhr", berlin(2025, 3, 5, 14, 30)),
        ("5. März 2025 um 14.30 Uhr", berlin(2025, 3, 5, 14, 30)),
        ("12.04.2024, 09:15 Uhr", berlin(2024, 4, 12, 9, 15)),
        ("Stand: 12.04.2024 14.30 Uhr", berlin(2024, 4, 12, 14, 30)),
        ("3. Maerz 2025", berlin(2025, 3, 3)),
        ("3. Marz 2025", berlin(2025, 3, 3)),
        ("3. MÄRZ 2025", berlin(2025, 3, 3)),
        ("1. Jan. 2024", berlin(2024, 1, 1)),
        ("14. Feb. 2024", berlin(2024, 2, 14)),
        ("12. Sept. 2023", berlin(2023, 9, 12)),
        ("12. Sep 2023", berlin(2023, 9, 12)),
        ("7. Okt. 2022", berlin(2022, 10, 7)),
        ("24. Dez. 2022", berlin(2022, 12, 24)),
        ("2. Jänner 2021", berlin(2021, 1, 2)),
        ("Freitag, 5. Mai 2023", berlin(2023, 5, 5)),
        ("Veröffentlicht am 30. Juni 2023", berlin(2023, 6, 30)),
        ("2023-05-09", berlin(2023, 5, 9)),
        ("2023-05-09T10:00:00+02:00", berlin(2023, 5, 9, 10)),
        ("2023-05-09T08:00:00Z", berlin(2023, 5, 9, 10)),
        ("2023-05-09T10:00:00.123+0200", berlin(2023, 5, 9, 10)),
        ("2023-05-09 10:00", berlin(2023, 5, 9, 10)),
        ("2024-01-15T12:00:00-05:00", berlin(2024, 1, 15, 18)),
        ("May 9, 2023", berlin(2023, 5, 9)),
        # Winter time: midnight is +01:00.
        ("15.01.2024", datetime(2024, 1, 15, tzinfo=timezone(timedelta(hours=1)))),
        # A number after the date is no time of day.
        ("09.05.2023, 10.000 Besucher", berlin(2023, 5, 9)),
    ],
)
def test_parse_german_date(text: str, expected: datetime) -> None:
    value = parse_german_date(text)
    assert value == expected
    assert value is not None and value.tzinfo is not None


@pytest.mark.parametrize(
    "text",
    ["", "kein Datum", "31.02.2023", "2023-13-01", "Kapitel 1.2.3", "Mai 2023", "32. Mai 2023"],
)
def test_parse_german_date_none(text: str) -> None:
    assert parse_german_date(text) is None


def test_date_only_is_local_midnight() -> None:
    value = parse_german_date("Meldung vom 09. Mai 2023")
    assert value is not None
    assert (value.hour, value.minute) == (0, 0)
    assert value.utcoffset() == timedelta(hours=2)
    assert value.astimezone(UTC) == datetime(2023, 5, 8, 22, 0, tzinfo=UTC)


def test_other_timezone() -> None:
    value = parse_german_date("12.04.2024", tz="America/New_York")
    assert value == datetime(2024, 4, 12, tzinfo=ZoneInfo("America/New_York"))


def test_unknown_timezone_falls_back_to_utc() -> None:
    assert parse_german_date("12.04.2024", tz="Nowhere/Atlantis") == datetime(
        2024, 4, 12, tzinfo=UTC
    )


def _tree(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_meta_published_time_wins() -> None:
    tree = _tree(
        "<p>Meldung vom 01.01.2020</p>",
        '<meta property="article:published_time" content="2023-05-09T10:00:00+02:00">',
    )
    assert find_page_date(tree) == berlin(2023, 5, 9, 10)


@pytest.mark.parametrize(
    "head",
    [
        '<meta name="date" content="2023-05-09">',
        '<meta name="DC.date" content="2023-05-09">',
        '<meta name="dcterms.date" content="2023-05-09">',
        '<meta name="pubdate" content="2023-05-09">',
        '<meta property="og:published_time" content="2023-05-09">',
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
        '[{"@type": "NewsArticle", "datePublished": "2023-05-09"}]}</script>',
    ],
)
def test_markup_dates(head: str) -> None:
    assert find_page_date(_tree("<p>Text</p>", head)) == berlin(2023, 5, 9)


def test_time_element() -> None:
    tree = _tree('<article><time datetime="2023-05-09T08:30:00+02:00">9. Mai</time></article>')
    assert find_page_date(tree) == berlin(2023, 5, 9, 8, 30)


def test_broken_jsonld_is_ignored() -> None:
    tree = _tree(
        '<p class="date">12.04.2024</p>', '<script type="application/ld+json">{oops</script>'
    )
    assert find_page_date(tree) == berlin(2024, 4, 12)


def test_date_line_in_content_not_footer() -> None:
    tree = _tree(
        '<nav>Stand: 01.01.2019</nav><main><p class="meta">Meldung vom <b>09. Mai 2023</b></p>'
        "<p>Am Freitag, 5. Mai 2023, fand der Fachtag statt.</p></main>"
        "<footer>Stand: 01.01.2024</footer>"
    )
    found = find_date_line(tree)
    assert found is not None
    assert found[0] == berlin(2023, 5, 9)
    assert found[1].get("class") == "meta"


def test_footer_date_is_never_taken() -> None:
    tree = _tree("<main><p>Kein Datum hier.</p></main><footer><p>Stand: 01.01.2024</p></footer>")
    assert find_page_date(tree) is None


def test_the_articles_own_date_counts_in_a_box_called_footer_a_teasers_does_not() -> None:
    """TYPO3's news writes the date under the headline in a ``div.footer``: the
    ``datePublished`` of the item holding the ``articleBody`` is the page's date; that of a
    related article's teaser in the sidebar never is."""
    teaser = (
        '<aside class="sidebar"><div itemscope itemtype="http://schema.org/Article">'
        '<time itemprop="datePublished" datetime="2024-05-02">02.05.2024</time>'
        '<a href="/wochenmarkt">Wochenmarkt</a></div></aside>'
    )
    article = (
        '<div itemscope itemtype="http://schema.org/Article"><h3 itemprop="headline">Grünschnitt'
        '</h3><div class="footer"><time itemprop="datePublished" datetime="2024-06-20">'
        '20.06.2024</time></div><div itemprop="articleBody"><p>Ab Juli auch samstags.</p></div>'
        "</div>"
    )
    assert find_page_date(_tree(article + teaser)) == berlin(2024, 6, 20)
    assert find_page_date(_tree(teaser + article.replace("articleBody", "description"))) is None


@pytest.mark.parametrize(
    "line",
    [
        "Veröffentlicht am 12.04.2024",
        "Pressemitteilung vom 12. April 2024",
        "Stand: 12.04.2024",
        "Datum: 12.04.2024",
        "Erstellt am 12.04.2024",
    ],
)
def test_labelled_date_lines(line: str) -> None:
    assert find_page_date(_tree(f"<div><p>{line}</p><p>Text.</p></div>")) == berlin(2024, 4, 12)


def test_long_paragraph_with_date_is_not_a_date_line() -> None:
    text = "Die Meldung vom 12.04.2024 " + "wurde vielfach gelesen und kommentiert. " * 5
    assert find_date_line(_tree(f"<p>{text}</p>")) is None
