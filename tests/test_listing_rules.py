"""Listing detection's rules against article pages: what is an item, how few make a list,
and a refusal that says why in one line."""

from __future__ import annotations

import pytest

from newsroom_tui.parse.listing import ListingError, detect_listing
from tests.listing_site import LISTINGS

PAGE = "https://www.holzwickede.de/neuigkeiten/"


def _two_teasers(first: str, second: str) -> str:
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Neuigkeiten | Gemeinde Holzwickede</title></head><body><main>
<h1>Neuigkeiten aus dem Rathaus</h1><div class="news-list">{first}{second}</div>
</main></body></html>"""


_FRUEHJAHR = """<article class="news-teaser"><time datetime="2025-03-14">14. März 2025</time>
<h2><a href="/neuigkeiten/fruehjahrsputz-2025.html">Frühjahrsputz: Gemeinde sucht Helfer</a></h2>
<p>Am Samstag, 29. März, räumen Vereine und Schulen die Grünflächen am Emscherquellhof auf.</p>
</article>"""
_BUERGERBUERO = """<article class="news-teaser"><time datetime="2025-03-10">10. März 2025</time>
<h2><a href="/neuigkeiten/buergerbuero.html">Bürgerbüro: geänderte Öffnungszeiten</a></h2>
<p>Wegen einer Schulung öffnet das Bürgerbüro am Gründonnerstag erst um 10 Uhr.</p>
</article>"""


def test_two_dated_heading_links_are_a_list() -> None:
    listing = detect_listing(_two_teasers(_FRUEHJAHR, _BUERGERBUERO), PAGE)
    assert [a.url for a in listing.announcements] == [
        "https://www.holzwickede.de/neuigkeiten/fruehjahrsputz-2025.html",
        "https://www.holzwickede.de/neuigkeiten/buergerbuero.html",
    ]
    assert listing.announcements[1].teaser.startswith("Wegen einer Schulung")


@pytest.mark.parametrize(
    ("second", "why"),
    [
        # undated: two blocks are a list only when each is dated
        (_BUERGERBUERO.replace('<time datetime="2025-03-10">10. März 2025</time>', ""), "only 2"),
        # linking another site
        (_BUERGERBUERO.replace("/neuigkeiten/", "https://www.kreis-unna.de/"), "only 2"),
        # linking the page itself: the page's own article
        (_BUERGERBUERO.replace("/neuigkeiten/buergerbuero.html", PAGE), "own article"),
    ],
)
def test_two_blocks_that_are_not_both_releases_are_refused(second: str, why: str) -> None:
    with pytest.raises(ListingError, match=why):
        detect_listing(_two_teasers(_FRUEHJAHR, second), PAGE)


def test_a_refusal_says_why_in_one_line() -> None:
    data = (LISTINGS / "refuse-comments.html").read_bytes()
    with pytest.raises(ListingError) as caught:
        detect_listing(data, "https://www.stadtgefluester.de/2024/08/cranger-kirmes-rundgang/")
    message = str(caught.value)
    assert "\n" not in message
    assert "without a link to another page of the site" in message


def test_furniture_teasers_are_no_announcements() -> None:
    """ "Seitenanfang" and "Zurück zur Übersicht" blocks beside real releases are dropped."""
    junk = """<article class="news-teaser"><h2><a href="/neuigkeiten/">Zurück zur Übersicht</a>
</h2><p>Alle Meldungen der Gemeinde Holzwickede im Überblick.</p></article>
<article class="news-teaser"><h2><a href="#top">Seitenanfang</a></h2></article>"""
    third = _BUERGERBUERO.replace("buergerbuero", "ostermarkt").replace(
        "Bürgerbüro: geänderte Öffnungszeiten", "Ostermarkt auf dem Marktplatz"
    )
    page = _two_teasers(_FRUEHJAHR, _BUERGERBUERO + third + junk)
    titles = [a.title for a in detect_listing(page, PAGE).announcements]
    assert titles == [
        "Frühjahrsputz: Gemeinde sucht Helfer",
        "Bürgerbüro: geänderte Öffnungszeiten",
        "Ostermarkt auf dem Marktplatz",
    ]


def _article_with_related(teasers: int) -> str:
    items = "".join(
        f"""<div class="related"><time datetime="2025-03-0{i + 1}">0{i + 1}.03.2025</time>
<h3><a href="/meldungen/2025/03/meldung-{i}.html">Weitere Meldung Nummer {i} aus dem Rathaus</a>
</h3><p>Die Stadt Herne informiert über Baustellen, Sperrungen und Umleitungen im März; die
Arbeiten dauern voraussichtlich bis zum Sommer, Anwohnerinnen erhalten Post.</p></div>"""
        for i in range(teasers)
    )
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Sanierung der Cranger Brücke beginnt | Stadt Herne</title></head><body><main>
<h1>Sanierung der Cranger Brücke beginnt</h1>
<p>Am Montag beginnt die Sanierung der Cranger Brücke. Die Arbeiten dauern bis Oktober.</p>
<p>Umleitungen über die Dorstener Straße sind ausgeschildert. Die Buslinien 311 und 323
fahren während der Bauzeit über die Bahnhofstraße; die Haltestelle Cranger Tor entfällt.</p>
<p>Die Kosten von 2,4 Millionen Euro trägt zum größten Teil das Land Nordrhein-Westfalen. Eine
Informationsveranstaltung für Anwohnerinnen und Anwohner findet am 12. März im Rathaus statt.</p>
<h2>Weitere Meldungen</h2><div class="related-list">{items}</div></main></body></html>"""


def test_a_page_whose_address_is_its_title_is_that_article() -> None:
    """An article with a list of related releases under it: its address is its title."""
    page = _article_with_related(4)
    article = "https://www.herne.de/meldungen/2025/03/sanierung-der-cranger-bruecke-beginnt.html"
    with pytest.raises(ListingError, match="a single page"):
        detect_listing(page, article)
    # the same blocks on a page whose address names no title are a list
    listing = detect_listing(page, "https://www.herne.de/meldungen/")
    assert len(listing.announcements) == 4
