"""extract_page / extract_fragment on realistic German press pages, plus gallery and Markdown."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from newsroom_tui.extract import extract_fragment, extract_page
from newsroom_tui.extract.gallery import find_gallery
from newsroom_tui.extract.markdown import tidy_markdown
from newsroom_tui.extract.title import drop_site_suffix
from newsroom_tui.models import CreditCount, ExtractedPage, GalleryItem

PAGES = Path(__file__).parent / "fixtures" / "pages"
HERNE_URL = "https://www.herne.de/Meldungen/2023/05/kim-fachtag.html"
BOCHUM_URL = "https://www.bochum.de/presse/kita-castroper-strasse"

FIRST_PARAGRAPH = (
    "Am Freitag, 5. Mai 2023, fand der Fachtag zum Kommunalen Integrationsmanagement im "
    "Stadtteilzentrum Pluto statt. Die 75 Teilnehmenden wurden von Andreas Merkendorf, Dezernent "
    "für Schule und Weiterbildung, Kultur, Sport und Integration und Claudia Heinrich, Leiterin "
    "des Kommunalen Integrationszentrums, begrüßt."
)
QUOTE_PARAGRAPH = (
    "Stadtrat Merkendorf sieht im KIM einen klaren Vorteil, denn das Kommunale "
    "Integrationsmanagement biete „Strukturen, die belastbar und immer wieder abzurufen sind. Das "
    "Kommunale Integrationsmanagement beschreibt eine Öffnung der Verwaltung über alle "
    "Fachbereiche Hinweg zum Thema Zuwanderung, all seinen Herausforderungen und all seinen "
    "Chancen.“"
)
LAST_PARAGRAPH = (
    "Eric Freedman vom Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und "
    "Integration des Landes Nordrhein-Westfalen (MKJFGFI), hielt einen Vortrag über das Kommunale "
    "Integrationsmanagement NRW. Anschließend sprach Natalia Weidenbach, KIM-Koordinatorin der "
    "Stadt Herne, zum Thema „Einführung des Kommunalen Integrationsmanagements in Herne -Fragen & "
    'Antworten“. Über die „Interkulturelle Öffnung der Verwaltung" sprach die Autorin, '
    "Kommunalbeamtin und Moderatorin, Souad Lamroubal."
)
NOT_IN_BODY = [
    "Cookie",
    "eTracker",
    "Readspeaker",
    "Homepage / Meldungen",
    "Homepage",
    "Meldung vom",
    "Details der Meldungen",
    "2017-04-26",
    "Impressum",
    "Datenschutz",
    "Impressionen vom Fachtag",
    "Thomas Schmidt",
    "Kommunales Integrationsmanagement eingeführt",
    "Hauptnavigation",
    "Rathaus & Politik",
    "Facebook",
    "Bildergalerie",
]


def _assert_clean(markdown: str) -> None:
    assert "&amp;" not in markdown
    assert "&nbsp;" not in markdown
    assert "\u00a0" not in markdown
    assert "\n\n\n" not in markdown
    assert markdown == markdown.strip()
    assert not re.search(r"[ \t]+$", markdown, re.MULTILINE)


def _herne(name: str) -> ExtractedPage:
    return extract_page((PAGES / name).read_bytes(), url=HERNE_URL)


@pytest.fixture(scope="module", params=["herne-meldung.html", "herne-meldung-latin1.html"])
def herne(request: pytest.FixtureRequest) -> ExtractedPage:
    return _herne(request.param)


# -- the Herne press release (UTF-8 and Latin-1 variants) --------------------------------------


def test_herne_title(herne: ExtractedPage) -> None:
    assert herne.title == "Kommunales Integrationsmanagement eingeführt"


def test_herne_published(herne: ExtractedPage) -> None:
    assert herne.published == datetime(2023, 5, 9, 0, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert herne.published is not None and herne.published.utcoffset() is not None


def test_herne_body_paragraphs(herne: ExtractedPage) -> None:
    body = herne.body_markdown
    assert body.startswith(FIRST_PARAGRAPH)
    assert QUOTE_PARAGRAPH in body
    assert body.endswith(LAST_PARAGRAPH)
    assert "Claudia Heinrich nutze ihr Grußwort" in body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 5


@pytest.mark.parametrize("unwanted", NOT_IN_BODY)
def test_herne_body_has_no_boilerplate(herne: ExtractedPage, unwanted: str) -> None:
    assert unwanted not in herne.body_markdown


def test_herne_body_is_clean(herne: ExtractedPage) -> None:
    _assert_clean(herne.body_markdown)


def test_herne_gallery(herne: ExtractedPage) -> None:
    assert herne.gallery == [
        GalleryItem(
            src=f"https://www.herne.de/bilder/fachtag-{n}.jpg",
            caption="Impressionen vom Fachtag.",
            credit="Thomas Schmidt/Stadt Herne",
        )
        for n in range(1, 7)
    ]


def test_herne_credits(herne: ExtractedPage) -> None:
    assert herne.credits == [CreditCount("Thomas Schmidt/Stadt Herne", 6)]


def test_latin1_variant_yields_the_same() -> None:
    assert _herne("herne-meldung-latin1.html") == _herne("herne-meldung.html")


def test_str_input_and_content_type() -> None:
    data = (PAGES / "herne-meldung-latin1.html").read_bytes()
    from_header = extract_page(data, url=HERNE_URL, content_type="text/html; charset=ISO-8859-1")
    from_text = extract_page(data.decode("cp1252"), url=HERNE_URL)
    assert from_header == from_text == _herne("herne-meldung.html")


def test_without_url_gallery_src_stays_relative() -> None:
    page = extract_page((PAGES / "herne-meldung.html").read_bytes())
    assert page.gallery[0].src == "/bilder/fachtag-1.jpg"
    assert page.title == "Kommunales Integrationsmanagement eingeführt"


# -- figures with credits in other forms ----------------------------------------------------------


@pytest.fixture(scope="module")
def bochum() -> ExtractedPage:
    return extract_page((PAGES / "bochum-kita-figures.html").read_bytes(), url=BOCHUM_URL)


def test_bochum_title_and_date(bochum: ExtractedPage) -> None:
    assert bochum.title == "Neue Kita an der Castroper Straße eröffnet"
    assert bochum.published == datetime(2024, 4, 12, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def test_bochum_gallery(bochum: ExtractedPage) -> None:
    base = "https://www.bochum.de/media/"
    assert bochum.gallery == [
        GalleryItem(f"{base}kita-aussen.jpg", "Die neue Kita von außen.", "Max Müller"),
        GalleryItem(
            f"{base}ob-eroeffnung.jpg", "Oberbürgermeister Thomas Eiskirch bei der Eröffnung", "dpa"
        ),
        GalleryItem(
            f"{base}kita-spielplatz.jpg", "Der Spielplatz im Innenhof.", "Stadt Bochum/Pressestelle"
        ),
        GalleryItem(
            f"{base}kita-gruppenraum.jpg",
            "Ein Gruppenraum im Erdgeschoss",
            "Stadt Bochum/Lutz Leitmann",
        ),
        GalleryItem(f"{base}lageplan-kita.png", "Lageplan der Kita", "Stadt Bochum"),
    ]
    assert [c.credit for c in bochum.credits] == [
        "Max Müller",
        "dpa",
        "Stadt Bochum/Pressestelle",
        "Stadt Bochum/Lutz Leitmann",
        "Stadt Bochum",
    ]


def test_bochum_body_structure(bochum: ExtractedPage) -> None:
    body = bochum.body_markdown
    assert body.startswith("**Bochum.** Nach gut zwei Jahren Bauzeit")
    assert "Platz für 95 Kinder in fünf Gruppen – zwei davon" in body
    assert "## Was die neue Kita bietet" in body
    assert "- eine Mensa mit Frischeküche" in body
    assert "> „Jeder neue Kita-Platz ist eine Investition in die Zukunft unserer Stadt.“" in body
    assert "| Tag | Uhrzeit |" in body
    assert "| Freitag | 7 bis 14 Uhr |" in body
    assert "[Kita-Portal der Stadt Bochum](https://www.bochum.de/kita-portal)" in body
    assert body.endswith("Telefon 0234 910-0.")
    _assert_clean(body)


@pytest.mark.parametrize(
    "unwanted",
    [
        "Cookies",
        "Alle akzeptieren",
        "Startseite",
        "Leichte Sprache",
        "Bürgerservice",
        "Veröffentlicht am",
        "Foto: Max Müller",
        "(c) dpa",
        "Pressestelle",
        "Spielplatz im Innenhof.",
        "Teilen",
        "Impressum",
        "Stand: 01.01.2020",
        "Neue Kita an der Castroper Straße eröffnet",
    ],
)
def test_bochum_body_has_no_boilerplate(bochum: ExtractedPage, unwanted: str) -> None:
    assert unwanted not in bochum.body_markdown


# -- feed content fragments ----------------------------------------------------------------------

FRAGMENT = """
<p>Die Stadt&nbsp;Herne l&auml;dt zum <strong>Tag der offenen T&uuml;r</strong> ein &ndash;
   mit <em>F&uuml;hrungen</em> &amp; Musik.</p>
<h2>Programm</h2>
<ul>
  <li>10 Uhr: Begr&uuml;&szlig;ung</li>
  <li>11 Uhr: Rundgang<ul><li>Ratssaal</li><li>Turm</li></ul></li>
</ul>
<ol start="3"><li>Drittens</li><li>Viertens</li></ol>
<blockquote><p>&bdquo;Wir freuen uns auf Sie.&ldquo;</p></blockquote>
<figure><img src="/img/rathaus.jpg" alt=""><figcaption>Das Rathaus (Foto: Stadt Herne)</figcaption>
</figure>
<table><tr><th>Ort</th><th>Zeit</th></tr><tr><td>Rathaus | Foyer</td><td>10&ndash;16 Uhr</td></tr>
</table>
<p>Mehr auf <a href="/tag-der-offenen-tuer">herne.de</a>.<br>Eintritt frei.</p>


<p><img src="/img/pixel.gif" width="1" height="1"></p>
<script>alert("x")</script>
"""


def test_fragment_markdown() -> None:
    page = extract_fragment(FRAGMENT, base_url="https://www.herne.de/news/")
    assert page.title is None
    assert page.published is None
    assert page.body_markdown == (
        "Die Stadt Herne lädt zum **Tag der offenen Tür** ein – mit *Führungen* & Musik.\n\n"
        "## Programm\n\n"
        "- 10 Uhr: Begrüßung\n"
        "- 11 Uhr: Rundgang\n"
        "  - Ratssaal\n"
        "  - Turm\n\n"
        "3. Drittens\n"
        "4. Viertens\n\n"
        "> „Wir freuen uns auf Sie.“\n\n"
        "| Ort | Zeit |\n"
        "| --- | --- |\n"
        "| Rathaus \\| Foyer | 10–16 Uhr |\n\n"
        "Mehr auf [herne.de](https://www.herne.de/tag-der-offenen-tuer).\\\n"
        "Eintritt frei."
    )
    assert page.gallery == [
        GalleryItem("https://www.herne.de/img/rathaus.jpg", "Das Rathaus", "Stadt Herne")
    ]


def test_fragment_plain_text_and_empty() -> None:
    assert extract_fragment("Nur Text &amp; mehr").body_markdown == "Nur Text & mehr"
    assert extract_fragment("") == ExtractedPage()
    assert extract_fragment("   ") == ExtractedPage()


def test_fragment_gallery_list() -> None:
    html = """<p>Bilder vom Fest:</p>
    <div class="bildergalerie"><h3>Bildergalerie</h3>
      <div class="slide"><a href="/g/1.jpg" data-caption="Bühne ©Ruhrfestival"><img src="/g/1-t.jpg"></a></div>
      <div class="slide"><a href="/g/2.jpg" title="Publikum"><img src="/g/2-t.jpg" data-copyright="Max Müller"></a></div>
      <div class="slide"><a href="/g/2.jpg" title="Publikum"><img src="/g/2-t.jpg"></a></div>
    </div>"""  # noqa: E501
    page = extract_fragment(html, base_url="https://example.org/")
    assert page.body_markdown == "Bilder vom Fest:"
    assert page.gallery == [
        GalleryItem("https://example.org/g/1.jpg", "Bühne", "Ruhrfestival"),
        GalleryItem("https://example.org/g/2.jpg", "Publikum", "Max Müller"),
    ]


# -- gallery details -----------------------------------------------------------------------------


def _gallery(body: str, head: str = "") -> list[GalleryItem]:
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return find_gallery(tree, "https://example.org/a/")


def test_gallery_skips_furniture_and_decoration() -> None:
    body = """
    <header><img src="/logo.png" alt="Logo © Stadt"></header>
    <nav><img src="/nav.jpg" alt="Menü © Stadt"></nav>
    <main>
      <figure><img src="/img/logo-stadt.png"><figcaption>Logo © Stadt</figcaption></figure>
      <figure><img src="/img/icons/print.png"><figcaption>Drucken © Stadt</figcaption></figure>
      <figure><img src="/img/x.gif" width="1" height="1"><figcaption>© Tracker</figcaption></figure>
      <figure><img class="icon" src="/img/y.png"><figcaption>© Icon</figcaption></figure>
      <p><img src="/img/inline.jpg" alt="Ohne Nachweis"></p>
      <figure><img src="/img/real.jpg"><figcaption>Echt © Stadt</figcaption></figure>
    </main>
    <aside><figure><img src="/aside.jpg"><figcaption>Teaser © Stadt</figcaption></figure></aside>
    <footer><img src="/footer.jpg" alt="Partner © Stadt"></footer>"""
    assert _gallery(body) == [GalleryItem("https://example.org/img/real.jpg", "Echt", "Stadt")]


def test_gallery_sources() -> None:
    body = """<main>
      <figure><img src="data:image/gif;base64,AAAA" data-src="lazy.jpg"><figcaption>A</figcaption></figure>
      <figure><img srcset="small.jpg 480w, big.jpg 1200w"><figcaption>B</figcaption></figure>
      <figure><a href="/full/c.webp?x=1"><img src="c-thumb.webp"></a><figcaption>C</figcaption></figure>
      <figure><a href="/artikel.html"><img src="d.jpg"></a><figcaption>D</figcaption></figure>
    </main>"""  # noqa: E501
    assert [item.src for item in _gallery(body)] == [
        "https://example.org/a/lazy.jpg",
        "https://example.org/a/small.jpg",
        "https://example.org/full/c.webp?x=1",
        "https://example.org/a/d.jpg",
    ]


def test_gallery_separate_credit_element() -> None:
    body = """<article><figure><img src="/p.jpg" alt="Alt-Text">
      <figcaption><span class="caption">Der Marktplatz</span>
      <span class="photographer">Anna Schäfer</span></figcaption></figure></article>"""
    assert _gallery(body) == [
        GalleryItem("https://example.org/p.jpg", "Der Marktplatz", "Anna Schäfer")
    ]


def test_image_in_a_text_paragraph_keeps_the_paragraph() -> None:
    text = "Der Rat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. " * 8
    html = f"""<html><body><main><div class="article-body with-images">
      <p>{text}<img src="/h.jpg" alt="Ratssitzung. Foto: Stadt Herne"> Ende.</p>
      <p>Zweiter Absatz mit weiteren Einzelheiten zum Haushalt und zu den Investitionen.</p>
      </div></main></body></html>"""
    page = extract_page(html, url="https://example.org/")
    assert page.gallery == [GalleryItem("https://example.org/h.jpg", "Ratssitzung.", "Stadt Herne")]
    assert "Der Rat hat am Dienstag den Haushalt" in page.body_markdown
    assert "Ende." in page.body_markdown


def test_gallery_caption_from_alt_when_figcaption_is_only_a_credit() -> None:
    body = """<main><figure><img src="/r.jpg" alt="Das Rathaus">
      <figcaption>Foto: Stadt Herne</figcaption></figure></main>"""
    assert _gallery(body) == [
        GalleryItem("https://example.org/r.jpg", "Das Rathaus", "Stadt Herne")
    ]


def test_gallery_jsonld_credit_for_image_on_page() -> None:
    head = """<script type="application/ld+json">[{"@type": "ImageObject",
      "contentUrl": "https://example.org/m/hafen.jpg", "creditText": "Foto: Hafen GmbH"},
      {"@type": "ImageObject", "url": "https://example.org/m/elsewhere.jpg",
       "author": {"name": "Niemand"}}]</script>"""
    body = '<main><p><img src="/m/hafen.jpg" alt="Der Hafen"></p></main>'
    assert _gallery(body, head) == [
        GalleryItem("https://example.org/m/hafen.jpg", "Der Hafen", "Hafen GmbH")
    ]


# -- titles, robustness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        (
            "Kommunales Integrationsmanagement eingeführt | Stadt Herne",
            "",
            "Kommunales Integrationsmanagement eingeführt",
        ),
        ("Neue Kita eröffnet - Stadt Bochum", "", "Neue Kita eröffnet"),
        ("Neue Kita eröffnet – Stadt Bochum", "", "Neue Kita eröffnet"),
        ("Stadt Bochum | Neue Kita eröffnet", "Stadt Bochum", "Neue Kita eröffnet"),
        ("Covid-19-Regeln", "", "Covid-19-Regeln"),
        ("A - B - Site", "", "A - B"),
    ],
)
def test_drop_site_suffix(title: str, site: str, expected: str) -> None:
    assert drop_site_suffix(title, site) == expected


def test_title_fallbacks_and_entities() -> None:
    html = "<html><head><title>Fragen &amp;amp; Antworten  zum\u00a0Haushalt | Stadt X</title></head><body><p>Text</p></body></html>"  # noqa: E501
    assert extract_page(html).title == "Fragen &amp; Antworten zum Haushalt"
    og = '<html><head><meta property="og:title" content="OG &amp; Titel"><title>T | S</title></head><body></body></html>'  # noqa: E501
    assert extract_page(og).title == "OG & Titel"


def test_section_h1_loses_against_article_heading() -> None:
    html = """<html><head><title>Neue Radwege in Wanne | Stadt Herne</title></head><body><main>
      <h1>Pressemitteilungen</h1><h2>Neue Radwege in Wanne</h2>
      <p>Die Stadt baut neue Radwege in Wanne-Eickel, insgesamt zwölf Kilometer bis 2026.</p>
      </main></body></html>"""
    page = extract_page(html)
    assert page.title == "Neue Radwege in Wanne"
    assert "Neue Radwege in Wanne" not in page.body_markdown.split("\n")[0]


@pytest.mark.parametrize(
    "html", ["", "   ", b"", "<html></html>", "<?xml version='1.0' encoding='utf-8'?><p>x</p>"]
)
def test_degenerate_input_does_not_raise(html: str | bytes) -> None:
    page = extract_page(html)
    assert isinstance(page, ExtractedPage)


def test_deeply_nested_markup_is_handled() -> None:
    """Speed is measured in bench/, not here: this checks the output stays sane."""
    for html in ("<table><tr><td>" * 200 + "x", "<blockquote>" * 200 + "x", "<ul><li>" * 200):
        assert isinstance(extract_fragment(html).body_markdown, str)
        assert isinstance(extract_page(html).body_markdown, str)


def test_fallback_when_trafilatura_finds_nothing() -> None:
    page = extract_page("<html><body><div><p>Kurz.</p></div></body></html>")
    assert page.body_markdown == "Kurz."


def test_tidy_markdown() -> None:
    messy = "A&amp;B\u00a0\u00a0C  \n\n\n\n&bdquo;x&ldquo;\u200b\n```\n  code  \n```\n"
    assert tidy_markdown(messy) == "A&B C\n\n„x“\n```\n  code\n```"


@pytest.mark.parametrize(
    ("credit_json", "credit"),
    [
        ('"copyrightHolder": {"@type": "Organization", "name": "Stadt Herne"}', "Stadt Herne"),
        ('"author": [{"@type": "Person", "name": "Frank Dieper"}]', "Frank Dieper"),
        ('"creditText": "© Thomas Schmidt / Stadt Herne"', "Thomas Schmidt/Stadt Herne"),
    ],
)
def test_gallery_jsonld_credit_fields(credit_json: str, credit: str) -> None:
    head = f"""<script type="application/ld+json">{{"@context": "https://schema.org",
      "@type": "NewsArticle", "image": {{"@type": "ImageObject",
      "url": "https://example.org/m/kirmes.jpg", {credit_json}}}}}</script>"""
    body = '<main><p><img src="/m/kirmes.jpg" alt="Die Cranger Kirmes"></p></main>'
    assert _gallery(body, head) == [
        GalleryItem("https://example.org/m/kirmes.jpg", "Die Cranger Kirmes", credit)
    ]


def test_gallery_list_with_lightbox_links_leaves_no_captions_in_the_body() -> None:
    items = "".join(
        f'<li><a href="/b/{n}.jpg" class="lightbox"><img src="/b/{n}-t.jpg" alt=""></a>'
        f"<span>Blick in die Halle {n}. Foto: Anna Schäfer</span></li>"
        for n in range(3)
    )
    text = "<p>" + "Die neue Sporthalle ist eröffnet, mit Platz für drei Klassen. " * 6 + "</p>"
    page = extract_page(
        f'<html><body><article>{text}<ul class="galerie">{items}</ul></article></body></html>',
        url="https://example.org/a/",
    )
    assert [item.caption for item in page.gallery] == [f"Blick in die Halle {n}." for n in range(3)]
    assert {item.credit for item in page.gallery} == {"Anna Schäfer"}
    assert "Blick in die Halle" not in page.body_markdown
    assert page.body_markdown.startswith("Die neue Sporthalle ist eröffnet")
