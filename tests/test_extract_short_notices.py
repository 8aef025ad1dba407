"""Short municipal notices (a sentence or two under a headline, a gallery, share buttons) from
four CMS styles: the body is the notice's paragraphs alone, the date line, headline,
captions, share buttons, cookie layer and navigation stay out of it, and the gallery's
credits are still found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.extract import extract_page
from newsroom_tui.models import CreditCount
from tests.listing_site import detail_page, detail_paragraphs

PAGES = Path(__file__).parent / "fixtures" / "pages"
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Notice:
    page: str
    url: str
    title: str
    day: date
    paragraphs: list[str]
    credits: list[CreditCount]
    not_in_body: list[str]


NOTICES = [
    Notice(
        "herne-kurzmeldung.html",
        "https://www.herne.de/Meldungen/2024/05/stadtbibliothek-fronleichnam.html",
        "Stadtbibliothek: Geänderte Öffnungszeiten an Fronleichnam",
        date(2024, 5, 29),
        [
            "Die Stadtbibliothek im Kulturzentrum bleibt am Donnerstag, 30. Mai, geschlossen.",
            "Medien können am Rückgabeautomaten abgegeben werden.",
        ],
        [CreditCount("Frank Dieper/Stadt Herne", 2)],
        [
            "Meldung vom",
            "Geänderte Öffnungszeiten",
            "Lesesaal",
            "Frank Dieper",
            "teilen",
            "Facebook",
            "Cookie",
            "Hauptnavigation",
            "Rathaus",
            "Impressum",
        ],
    ),
    Notice(
        "bochum-drupal-kurzmeldung.html",
        "https://www.bochum.de/presse/sperrung-kortumstrasse",
        "Sperrung der Kortumstraße am Samstag",
        date(2024, 6, 14),
        [
            "Wegen Kranarbeiten wird die Kortumstraße am Samstag, 15. Juni, von 7 bis 18 Uhr "
            "gesperrt.",
            "Fußgänger werden über die Viktoriastraße umgeleitet.",
        ],
        [CreditCount("Stadt Bochum, Presseamt", 2)],
        [
            "Freitag, 14. Juni",
            "Sperrung der",
            "Bochumer Innenstadt",
            "Umleitungsschild",
            "Presseamt",
            "teilen",
            "Facebook",
            "Cookies",
            "Startseite",
            "Impressum",
        ],
    ),
    Notice(
        "witten-wordpress-kurzmeldung.html",
        "https://www.witten.de/2024/05/16/freibad-annen/",
        "Freibad Annen öffnet am Samstag",
        date(2024, 5, 16),
        [
            "Das Freibad Annen startet am Samstag, 18. Mai, in die Saison. Geöffnet ist "
            "täglich von 7 bis 20 Uhr."
        ],
        [CreditCount("Stadt Witten/Jürgen Theobald", 1)],
        [
            "Veröffentlicht",
            "öffnet am Samstag",
            "Kassenhäuschen",
            "Theobald",
            "teilen",
            "twittern",
            "Cookies",
            "Wochenmarkt",
            "Freizeit",
            "Impressum",
        ],
    ),
]


# TYPO3's news extension: the headline an <h3 itemprop="headline">, the date in a box called
# "footer" under it, the caption a paragraph after the image's box
TYPO3 = Notice(
    "gelsenkirchen-typo3-kurzmeldung.html",
    "https://www.gelsenkirchen.de/de/aktuelles/gruenschnittannahme/",
    "Grünschnittannahme: Neue Öffnungszeiten ab Juli",
    date(2024, 6, 20),
    [
        "Die Grünschnittannahme an der Adenauerallee öffnet ab dem 1. Juli auch samstags von "
        "8 bis 14 Uhr.",
        "Gartenabfälle werden bis zu zwei Kubikmetern kostenlos angenommen.",
    ],
    [CreditCount("Gelsendienste", 1)],
    ["20.06.2024", "Neue Öffnungszeiten", "Anlieferung", "Foto:", "Teilen", "WhatsApp",
     "Cookies", "Zurück", "Startseite", "Impressum"],
)  # fmt: skip


@pytest.mark.parametrize("notice", [*NOTICES, TYPO3], ids=lambda notice: notice.page)
def test_a_short_notice_is_its_paragraphs_alone(notice: Notice) -> None:
    page = extract_page((PAGES / notice.page).read_bytes(), url=notice.url)
    assert page.title == notice.title
    assert page.published is not None
    assert page.published.astimezone(BERLIN).date() == notice.day
    assert page.body_markdown == "\n\n".join(notice.paragraphs)
    for text in notice.not_in_body:
        assert text not in page.body_markdown
    assert page.credits == notice.credits


@pytest.mark.parametrize(
    ("body", "photos"),
    [
        ("Das Bürgerbüro Mitte bleibt am Montag geschlossen.", 3),
        ("Das Bürgerbüro Mitte bleibt am Montag geschlossen.", 0),
        ("Heute geschlossen.", 1),
        ("Die Dorstener Straße wird gesperrt. Busse fahren häufiger.", 2),
        (
            "Die Dorstener Straße wird zwischen Crange und der Autobahnauffahrt voll gesperrt. "
            "Zusätzliche Buslinien fahren im Zehn-Minuten-Takt zum Festplatz.",
            3,
        ),
    ],
)
def test_the_shorter_the_notice_the_more_furniture_around_it_stays_out(
    body: str, photos: int
) -> None:
    """However short the notice, the page's furniture around it (a cookie layer longer than
    the notice, the share buttons, the footer) does not take its place nor join it."""
    item = {
        "title": "Bürgerbüro Mitte geschlossen",
        "date": "2024-06-17",
        "detail": {"body": body, "photos": photos, "credit": "Thomas Schmidt/Stadt Herne"},
    }
    page = extract_page(detail_page(item, "Stadt Herne"), "https://www.herne.de/m/1.html")
    assert page.body_markdown == "\n\n".join(detail_paragraphs(item))
    expected = [CreditCount("Thomas Schmidt/Stadt Herne", photos)] if photos else []
    assert page.credits == expected
