"""A photo inside a feed item's HTML with its credit line beside it (police and city press
feeds write ``<p><img …><br>Caption. Foto: Polizei Bochum</p>``): a gallery entry with caption
and credit, as on pages, and the caption line not again in the body."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.extract import extract_fragment
from newsroom_tui.ingest.article_body import render
from newsroom_tui.ingest.article_build import built_alone
from newsroom_tui.models import BodySource
from newsroom_tui.parse.registry import parse_feed

POLICE_ITEM = (
    "<p>Bei einer Schwerpunktkontrolle haben Beamtinnen und Beamte des Verkehrsdienstes am "
    "Dienstag 412 Fahrzeuge überprüft. 38 Fahrerinnen und Fahrer waren zu schnell.</p>"
    '<p><img src="/pressemitteilungen/bilder/kontrolle-herner-strasse.jpg"><br>'
    "{caption}</p>"
    "<p>Die Polizei kündigt weitere Kontrollen im gesamten Stadtgebiet an.</p>"
)
BASE = "https://bochum.polizei.nrw/presse/kontrollen-herner-strasse"
IMAGE = "https://bochum.polizei.nrw/pressemitteilungen/bilder/kontrolle-herner-strasse.jpg"

FORMS = [
    (
        "Kontrollstelle an der Herner Straße. Foto: Polizei Bochum",
        "Kontrollstelle an der Herner Straße.",
        "Polizei Bochum",
    ),
    (
        "Der neue Spielplatz am Schlosspark Strünkede. © Stadt Herne",
        "Der neue Spielplatz am Schlosspark Strünkede.",
        "Stadt Herne",
    ),
    ("Bild: Thomas Schmidt/Stadt Herne", "", "Thomas Schmidt/Stadt Herne"),
    (
        "Die Preisträgerin Hannelore Wüst (Foto: privat)",
        "Die Preisträgerin Hannelore Wüst",
        "privat",
    ),
    # the credit on a line of its own: a line break is no credit's glue
    (
        "Kontrollstelle an der Herner Straße.<br>Foto: Polizei Bochum",
        "Kontrollstelle an der Herner Straße.",
        "Polizei Bochum",
    ),
    (
        "Der neue Spielplatz am Schlosspark Strünkede<br/>© Stadt Herne",
        "Der neue Spielplatz am Schlosspark Strünkede",
        "Stadt Herne",
    ),
]


def test_a_figcaption_with_its_credit_on_a_line_of_its_own() -> None:
    page = extract_fragment(
        '<p>Der Rat der Stadt Herne tagt am Dienstag.</p><figure><img src="/bilder/rathaus.jpg">'
        "<figcaption>Das Rathaus am Friedrich-Ebert-Platz<br>Foto: Thomas Schmidt/Stadt Herne"
        "</figcaption></figure>",
        "https://www.herne.de/meldungen/rat.html",
    )
    assert [(g.caption, g.credit) for g in page.gallery] == [
        ("Das Rathaus am Friedrich-Ebert-Platz", "Thomas Schmidt/Stadt Herne")
    ]
    assert page.body_markdown == "Der Rat der Stadt Herne tagt am Dienstag."


@pytest.mark.parametrize(("line", "caption", "credit"), FORMS)
def test_an_image_with_its_credit_line_is_a_gallery_entry(
    line: str, caption: str, credit: str
) -> None:
    page = extract_fragment(POLICE_ITEM.format(caption=line), BASE)
    assert [(g.src, g.caption, g.credit) for g in page.gallery] == [(IMAGE, caption, credit)]
    assert "412 Fahrzeuge" in page.body_markdown
    assert "weitere Kontrollen" in page.body_markdown
    assert credit not in page.body_markdown  # the caption line is the gallery's, not the body's
    if caption:
        assert caption.rstrip(".") not in page.body_markdown


def test_an_inline_image_without_a_credit_stays_out_of_the_gallery() -> None:
    page = extract_fragment(POLICE_ITEM.format(caption="Die Kontrollstelle am Dienstag."), BASE)
    assert page.gallery == []
    assert "Die Kontrollstelle am Dienstag." in page.body_markdown


def test_a_long_paragraph_with_an_image_and_a_credit_stays_body_text() -> None:
    long_text = "Die Polizei Bochum hat ihre Kontrollen ausgeweitet. " * 10 + "Foto: Polizei Bochum"
    page = extract_fragment(POLICE_ITEM.format(caption=long_text), BASE)
    assert "Kontrollen ausgeweitet" in page.body_markdown


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Polizei Bochum – Pressemitteilungen</title>
<link>https://bochum.polizei.nrw/</link>
<item><title>POL-BO: Schwerpunktkontrolle an der Herner Straße – 38 Verstöße</title>
  <link>https://bochum.polizei.nrw/presse/kontrollen-herner-strasse</link>
  <guid>pol-bo-5911</guid><pubDate>Wed, 09 Apr 2025 11:20:00 +0200</pubDate>
  <description><![CDATA[{html}]]></description>
</item></channel></rss>"""


@pytest.mark.parametrize("lazy", [False, True])
def test_a_police_feed_item_keeps_its_photo_and_credit(lazy: bool) -> None:
    html = POLICE_ITEM.format(caption=FORMS[0][0])
    entry = parse_feed(RSS.format(html=html).encode(), "https://bochum.polizei.nrw/rss").entries[0]
    article = built_alone(entry, None, lazy=lazy)
    assert [(g.src, g.credit) for g in article.gallery] == [(IMAGE, "Polizei Bochum")]
    body = render(BodySource.decode(article.source))[1] if lazy else article.body_markdown
    assert "412 Fahrzeuge" in body
    assert "Foto: Polizei Bochum" not in body and "Kontrollstelle an der" not in body


_WORDS = st.sampled_from(
    ["Kontrollstelle", "Herner", "Straße", "Rathaus", "Spielplatz", "Grünfläche", "Einsatz"]
)
_NAMES = st.sampled_from(
    ["Polizei Bochum", "Stadt Herne", "Thomas Schmidt/Stadt Herne", "privat", "Feuerwehr Herne"]
)
_MARKERS = st.sampled_from(["Foto: {}", "© {}", "Bild: {}", "(Foto: {})", "Fotos: {}"])


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORDS, min_size=0, max_size=8), name=_NAMES, marker=_MARKERS)
def test_any_caption_line_gives_its_credit_once(words: list[str], name: str, marker: str) -> None:
    line = " ".join([*words, marker.format(name)])
    page = extract_fragment(POLICE_ITEM.format(caption=line), BASE)
    assert [(g.src, g.credit) for g in page.gallery] == [(IMAGE, name)]
    assert name not in page.body_markdown


OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"


@pytest.mark.parametrize("lazy", [False, True])
def test_a_feed_photo_with_escapes_reaches_the_gallery_clean(lazy: bool) -> None:
    """The caption line and the image address of a feed item's photo are text from the network:
    no escape sequence of theirs is stored (the feed's own cleaning takes the escape out of the
    second address before the gallery sees it)."""
    line = f"Kontrollstelle{OSC52} an der Herner Straße. Foto: Polizei{OSC52} Bochum\x9b2J"
    html = (
        POLICE_ITEM.format(caption=line)
        + f'<p><img src="/bilder/zweites.jpg{OSC52}"><br>Zweites Bild. Foto: Polizei Bochum</p>'
    )
    entry = parse_feed(RSS.format(html=html).encode(), "https://bochum.polizei.nrw/rss").entries[0]
    article = built_alone(entry, None, lazy=lazy)
    assert article.gallery[0].src == IMAGE
    stored = " ".join(f"{g.src} {g.caption} {g.credit}" for g in article.gallery)
    body = render(BodySource.decode(article.source))[1] if lazy else article.body_markdown
    for text in (stored, body, article.title):
        assert not any(c in text for c in ("\x1b", "\x07", "\x9b", "\x9d"))
    assert "Polizei Bochum" in stored
