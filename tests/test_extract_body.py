"""The article body: our Readability-style main-content finder and what it keeps or drops."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from newsroom_tui.extract import extract_page
from newsroom_tui.extract.candidate_scores import class_weight
from newsroom_tui.extract.main_content import find_article
from newsroom_tui.extract.markdown import html_to_markdown
from newsroom_tui.models import ExtractedPage

PAGES = Path(__file__).parent / "fixtures" / "pages"
MUELHEIM_URL = "https://www.muelheim.example/presse/meldung.aspx?id=4711"

PARAGRAPH = (
    "Die Stadtverwaltung informiert über die neuen Öffnungszeiten der Bürgerämter, die ab "
    "dem kommenden Monat gelten. Termine können online, telefonisch oder vor Ort vereinbart "
    "werden, auch am Samstagvormittag."
)


def _page(body: str, head: str = "") -> ExtractedPage:
    return extract_page(f"<html><head>{head}</head><body>{body}</body></html>")


@pytest.fixture(scope="module")
def muelheim() -> ExtractedPage:
    """A Windows-1252 ASP.NET page: the whole page sits in one <form>."""
    data = (PAGES / "muelheim-aspnet-cp1252.html").read_bytes()
    return extract_page(data, url=MUELHEIM_URL)


def test_form_wrapped_page_keeps_its_article(muelheim: ExtractedPage) -> None:
    body = muelheim.body_markdown
    assert body.startswith("**Mülheim.** Wegen Kanalarbeiten wird die Brückenstraße")
    assert "„Wir wissen, dass die Sperrung" in body
    assert "## Umleitung über die Ruhrstraße" in body
    assert "- Die Haltestelle „Brückenstraße“ entfällt während der Bauzeit." in body
    assert body.endswith("montags bis freitags von 8 bis 16 Uhr.")


@pytest.mark.parametrize(
    "unwanted",
    [
        "Cookies",
        "Alle akzeptieren",
        "Bürgerservice",
        "Pressemitteilungen",
        "Weitere Meldungen",
        "Wochenmarkt zieht um",
        "Kommentare",
        "Katastrophe",
        "Newsletter",
        "Impressum",
        "Meldung vom",
        "Sperrung der Brückenstraße ab Montag",
    ],
)
def test_form_wrapped_page_drops_furniture(muelheim: ExtractedPage, unwanted: str) -> None:
    assert unwanted not in muelheim.body_markdown


def test_form_wrapped_page_meta(muelheim: ExtractedPage) -> None:
    assert muelheim.title == "Sperrung der Brückenstraße ab Montag"
    assert muelheim.published == datetime(2024, 4, 12, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def test_repeated_paragraphs_are_kept() -> None:
    repeat = "<p>Achtung: Die Anmeldung ist nur bis Freitag, 12 Uhr, möglich.</p>"
    page = _page(
        f"<article><p>{PARAGRAPH}</p>{repeat}<p>{PARAGRAPH} Nachtrag.</p>{repeat}</article>"
    )
    assert page.body_markdown.count("Die Anmeldung ist nur bis Freitag") == 2


def test_loose_text_in_divs_is_content() -> None:
    page = _page(
        f"<div class='text'><p>{PARAGRAPH}</p></div>"
        f"<div>Zweiter Absatz ohne p-Element, aber mit genug Text, um zu zählen.<br>"
        f"Und eine zweite Zeile, die zum selben Absatz gehört, mit Komma, wie üblich.</div>"
    )
    assert "Zweiter Absatz ohne p-Element" in page.body_markdown
    assert "Und eine zweite Zeile" in page.body_markdown


def test_text_after_the_article_element_is_not_taken() -> None:
    page = _page(
        f"<main><article><h1>Titel</h1><div class='text'><p>{PARAGRAPH}</p>"
        f"<p>{PARAGRAPH}</p></div></article>"
        "<div class='info'><h2>Details</h2><p>Kennung 2017-04-26, Ablage intern</p></div></main>"
    )
    assert PARAGRAPH in page.body_markdown
    assert "Kennung" not in page.body_markdown
    assert "Details" not in page.body_markdown


@pytest.mark.parametrize(
    "hidden",
    [
        '<div style="display: none">Versteckter Hinweis für Suchmaschinen</div>',
        '<div style="visibility:hidden">Versteckter Hinweis für Suchmaschinen</div>',
        "<div hidden>Versteckter Hinweis für Suchmaschinen</div>",
        '<p aria-hidden="true">Versteckter Hinweis für Suchmaschinen</p>',
    ],
)
def test_hidden_elements_are_dropped(hidden: str) -> None:
    page = _page(f"<article><p>{PARAGRAPH}</p>{hidden}<p>{PARAGRAPH}</p></article>")
    assert PARAGRAPH in page.body_markdown
    assert "Versteckter Hinweis" not in page.body_markdown


def test_link_boxes_inside_the_article_are_dropped_data_tables_kept() -> None:
    links = " | ".join(f"<a href='/m/{n}'>Meldung Nummer {n} aus dem Archiv</a>" for n in range(6))
    table = (
        "<table><tr><th>Tag</th><th>Uhrzeit</th></tr><tr><td>Montag</td><td>8 bis 16 Uhr</td></tr>"
        "</table>"
    )
    page = _page(
        f"<article><p>{PARAGRAPH}</p><div class='box'>{links}</div>{table}"
        f"<p>{PARAGRAPH}</p></article>"
    )
    assert "Meldung Nummer" not in page.body_markdown
    assert "| Montag | 8 bis 16 Uhr |" in page.body_markdown


def test_lists_of_links_in_the_article_stay() -> None:
    """As in Readability: a list is content even when it is all links (downloads, sources)."""
    items = "".join(
        f"<li><a href='/d/{n}.pdf'>Antragsformular Teil {n} (PDF)</a></li>" for n in range(3)
    )
    page = _page(f"<article><p>{PARAGRAPH}</p><p>Downloads:</p><ul>{items}</ul></article>")
    assert "- [Antragsformular Teil 0 (PDF)](/d/0.pdf)" in page.body_markdown


def test_share_and_comment_sections_are_dropped() -> None:
    page = _page(
        f"<div class='artikel'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"
        "<div class='share-buttons'><a href='https://facebook.example/share'>Teilen</a></div>"
        "<section id='comments'><h2>3 Kommentare</h2><p>Das ist ein Leserkommentar mit "
        "einer Meinung, die nicht zum Artikel gehört, lang genug zum Zählen.</p></section></div>"
    )
    assert page.body_markdown.count(PARAGRAPH) == 2
    assert "Teilen" not in page.body_markdown
    assert "Leserkommentar" not in page.body_markdown


def test_the_author_box_after_the_text_is_dropped() -> None:
    html = (
        f"<html><body><article class='post'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"
        "<section class='author-bio clr'><h3>Jana Roth</h3><p>Jana Roth leitet seit 2019 "
        "die Lokalredaktion, sie studierte Geschichte in Leipzig und schreibt über "
        "Stadtentwicklung.</p></section></article></body></html>"
    )
    body = lxml.html.document_fromstring(html).find("body")
    text = "\n\n".join(html_to_markdown(node) for node in find_article(body))
    assert text.count(PARAGRAPH) == 2
    assert "Lokalredaktion" not in text
    assert "Jana Roth" not in text


def test_a_heading_named_as_a_jump_target_stays() -> None:
    # "nav_..." ids on headings are the targets of the page's table of contents
    page = _page(
        f"<article><p>{PARAGRAPH}</p><h3 class='subheading' id='nav_nur_die_folie__1'>"
        f"Nur die Folie bleibt zurück</h3><p>{PARAGRAPH}</p></article>"
    )
    assert "### Nur die Folie bleibt zurück" in page.body_markdown


def test_a_comparison_table_with_check_mark_icons_stays() -> None:
    rows = "".join(
        f"<tr><td><img src='/i/ja.svg' alt=''></td><td>Vorteil {n}: niedrige Raten bei "
        f"längerer Laufzeit</td><td><img src='/i/nein.svg' alt=''></td></tr>"
        for n in range(3)
    )
    table = (
        "<div class='wrapper'><table><thead><tr><th>Leasing</th><th>Merkmal</th>"
        f"<th>Kauf</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
    text = f"<p>{PARAGRAPH}</p>" * 3
    page = _page(f"<article>{text}{table}{text}</article>")
    assert "Vorteil 2: niedrige Raten" in page.body_markdown


def test_mathml_keeps_its_symbols() -> None:
    page = _page(
        f"<article><p>{PARAGRAPH}</p><p>Wenn <math><mi>a</mi><mo>≠</mo><mn>0</mn></math> gilt, "
        "hat die Gleichung <math alttext='ax^2+bx+c=0'><mi>a</mi></math> zwei Lösungen.</p>"
        "</article>"
    )
    assert "Wenn a ≠ 0 gilt" in page.body_markdown
    assert "Gleichung ax^2+bx+c=0 zwei Lösungen" in page.body_markdown


def test_headline_in_page_header_wins_over_caption_h1() -> None:
    page = _page(
        "<header><h1>Hafenfest lockt 20.000 Gäste an die Ruhr</h1></header>"
        f"<main><div class='slideshow'><h1>Foto: Blick auf die Bühne am Abend</h1></div>"
        f"<p>{PARAGRAPH}</p></main>",
        head="<title>Hafenfest lockt 20.000 Gäste an die Ruhr - Stadtportal</title>",
    )
    assert page.title == "Hafenfest lockt 20.000 Gäste an die Ruhr"


def test_find_article_returns_the_content_container() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><div id='nav'><a href='/'>Start</a></div>"
        f"<div id='content'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div></body></html>"
    )
    nodes = find_article(tree.find("body"))
    assert [node.get("id") for node in nodes] == ["content"]
    assert html_to_markdown(nodes[0]) == f"{PARAGRAPH}\n\n{PARAGRAPH}"


@pytest.mark.parametrize(
    ("attrs", "weight"),
    [
        ({"class": "article-body"}, 25),
        ({"class": "sidebar"}, -25),
        ({"class": "artikel", "id": "kommentare"}, 0),
        ({"class": "Meldung__Text"}, 25),
        ({}, 0),
    ],
)
def test_class_weight(attrs: dict[str, str], weight: int) -> None:
    assert class_weight(lxml.html.Element("div", attrs)) == weight


def _post(number: int, heading: str, date: str, paragraphs: list[str]) -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<div id="post-{number}" class="post-{number} post type-post hentry">'
        f'<h2 class="entry-title"><a href="/blog/{number}">{heading}</a></h2>'
        f'<div class="entry-meta">Veröffentlicht am {date} von redaktion</div>'
        f'<div class="entry-content">{text}</div></div>'
    )


def test_a_blog_front_page_gives_its_first_post_not_its_longest() -> None:
    first = [
        "Der Ortsverband lädt am Samstag zum Frühjahrsputz im Stadtpark ein, Handschuhe, "
        "Zangen und Säcke stellt die Stadtreinigung, Treffpunkt ist um zehn Uhr am Teich."
    ] * 4
    longest = [
        "Im Herbst haben wir über die Radwege in der Innenstadt gesprochen, über Lücken, "
        "Ampeln und Baustellen, und viele Anregungen an die Verwaltung weitergegeben."
    ] * 12
    third = ["Ein kurzer Rückblick auf das Sommerfest, mit Dank an alle Helferinnen, Helfer."]
    posts = (
        _post(31, "Frühjahrsputz im Stadtpark", "14. März 2024", first)
        + _post(27, "Radwege in der Innenstadt", "2. November 2023", longest)
        + _post(22, "Sommerfest", "20. August 2023", third * 3)
    )
    body = _page(f'<div id="content">{posts}</div>').body_markdown
    assert "Frühjahrsputz im Stadtpark ein" in body
    assert "Radwege in der Innenstadt gesprochen" not in body
    assert "Sommerfest, mit Dank" not in body


_FRUEHJAHRSPUTZ = (
    "Der Ortsverband lädt am Samstag zum Frühjahrsputz im Stadtpark ein, Handschuhe, "
    "Zangen und Säcke stellt die Stadtreinigung, Treffpunkt ist um zehn Uhr am Teich."
)
_RADWEGE = (
    "Im Herbst haben wir über die Radwege in der Innenstadt gesprochen, über Lücken, "
    "Ampeln und Baustellen, und viele Anregungen an die Verwaltung weitergegeben."
)
_SOMMERFEST = (
    "Beim Sommerfest im Bürgerhaus gab es Musik, Kuchen und viele Gespräche, wir danken "
    "allen Helferinnen und Helfern, die mitgeholfen haben."
)
_VERSAMMLUNG = (
    "Die Mitgliederversammlung hat einen neuen Vorstand gewählt, die Kasse geprüft und den "
    "Haushalt für das kommende Jahr beschlossen."
)


def test_a_blog_front_page_of_alike_posts_gives_the_first_even_when_it_is_the_shortest() -> None:
    # Four posts score alike, so their common parent is the best candidate: the first post
    # is still the article, and the container's own text before it stays.
    posts = (
        _post(31, "Frühjahrsputz im Stadtpark", "14. März 2024", [_FRUEHJAHRSPUTZ] * 4)
        + _post(27, "Radwege in der Innenstadt", "2. November 2023", [_RADWEGE] * 5)
        + _post(22, "Sommerfest", "20. August 2023", [_SOMMERFEST] * 6)
        + _post(19, "Mitgliederversammlung", "3. Juni 2023", [_VERSAMMLUNG] * 7)
    )
    intro = (
        "<p>Neuigkeiten aus dem Ortsverband, jede Woche neu, geschrieben vom Vorstand und "
        "von unseren Mitgliedern.</p>"
    )
    body = _page(f'<div id="content">{intro}{posts}</div>').body_markdown
    assert "Neuigkeiten aus dem Ortsverband" in body
    assert "Frühjahrsputz im Stadtpark ein" in body
    assert "Radwege in der Innenstadt gesprochen" not in body
    assert "Sommerfest im Bürgerhaus" not in body
    assert "Mitgliederversammlung hat" not in body


def _article_posts(heading: str) -> str:
    """Three ``<article>`` posts, the newest first and the second the longest; ``heading``
    makes a post's heading and link from its ``number`` and ``title``."""
    posts = [
        (31, "Frühjahrsputz", "14. März 2024", [_FRUEHJAHRSPUTZ] * 4),
        (27, "Radwege", "2. November 2023", [_RADWEGE] * 12),
        (22, "Sommerfest", "20. August 2023", [_SOMMERFEST] * 3),
    ]
    return "".join(
        f'<article id="post-{number}" class="post-{number} post">'
        + heading.format(number=number, title=title)
        + f"<p>Veröffentlicht am {date}</p>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article>"
        for number, title, date, paragraphs in posts
    )


def test_a_blog_front_page_of_article_posts_gives_the_first_post_alone() -> None:
    posts = _article_posts('<h2><a href="/blog/{number}">{title}</a></h2>')
    pages = '<div class="pagination"><a href="/seite/2">Ältere Beiträge</a></div>'
    body = _page(f"<main>{posts}{pages}</main>").body_markdown
    assert "Frühjahrsputz im Stadtpark ein" in body
    assert "Radwege in der Innenstadt gesprochen" not in body
    assert "Sommerfest im Bürgerhaus" not in body


_SECTIONS = [
    (
        "Die Arbeiten",
        "Ab dem 3. Juni 2024 erneuert die Stadt die Fahrbahn der Bahnhofstraße zwischen "
        "Marktplatz und Rathaus, dazu die Gehwege, die Beleuchtung und die Bushaltestellen. "
        "Die Arbeiten dauern voraussichtlich bis zum Herbst und werden in drei Abschnitten "
        "ausgeführt, damit die Geschäfte erreichbar bleiben.",
    ),
    (
        "Umleitung",
        "Vom 3. Juni 2024 bis zum Ende der Arbeiten wird der Verkehr über die Ringstraße "
        "umgeleitet; die Buslinien 312 und 320 halten an Ersatzhaltestellen in der Kirchstraße.",
    ),
    (
        "Bürgerversammlung",
        "Am 28. Mai 2024 stellt das Tiefbauamt die Pläne um 18 Uhr im Ratssaal vor und "
        "beantwortet Fragen der Anwohnerinnen und Anwohner, eine Anmeldung ist nicht nötig.",
    ),
    ("Kontakt", "Fragen beantwortet das Tiefbauamt unter 02323 16-2345 oder per E-Mail."),
]


@pytest.mark.parametrize(
    "heading",
    ["<h2>{}</h2>", '<h2 id="abschnitt-{n}"><a href="#abschnitt-{n}">{}</a></h2>'],
    ids=["plain-headings", "anchored-headings"],
)
def test_a_press_release_of_dated_sections_keeps_its_sections(heading: str) -> None:
    # headed and dated alike, like the posts of a blog's front page, but their headings
    # link to no other page: one article in sections, not a run of posts
    def section(n: int, title: str, paragraphs: str) -> str:
        return f'<section class="abschnitt">{heading.format(title, n=n)}{paragraphs}</section>'

    # the first section long enough to stand alone as an article
    first = "".join(f"<p>{_SECTIONS[0][1]}</p>" for _ in range(4))
    sections = section(0, _SECTIONS[0][0], first) + "".join(
        section(n, h, f"<p>{t}</p>") for n, (h, t) in enumerate(_SECTIONS[1:], 1)
    )
    body = _page(
        f"<main><h1>Bahnhofstraße wird erneuert</h1>{sections}</main>",
        "<title>Bahnhofstraße wird erneuert</title>",
    ).body_markdown
    for heading, text in _SECTIONS[:3]:  # (a last contact frame is cut as before: not here)
        assert heading in body
        assert text[:60] in body


def test_a_blog_front_page_whose_links_wrap_the_headings_gives_its_first_post() -> None:
    # card themes put the link around the heading, not inside it
    posts = _article_posts('<a href="/blog/{number}"><h2>{title}</h2></a>')
    body = _page(f"<main>{posts}</main>").body_markdown
    assert "Frühjahrsputz im Stadtpark ein" in body
    assert "Radwege in der Innenstadt gesprochen" not in body


def test_an_article_among_teasers_of_other_articles_stays_the_article() -> None:
    teaser = (
        '<article class="teaser"><h3><a href="/a{n}">Weitere Meldung {n}</a></h3>'
        "<time>3. Mai 2024</time><p>Kurz gemeldet aus dem Rathaus, mehr dazu im Artikel.</p>"
        "</article>"
    )
    main = (
        '<article class="teaser"><h3>Neue Öffnungszeiten</h3><time>4. Mai 2024</time>'
        + f"<p>{PARAGRAPH}</p>" * 5
        + "</article>"
    )
    teasers = "".join(teaser.format(n=n) for n in range(3))
    body = _page(f"<main>{teasers}{main}</main>").body_markdown
    assert "Die Stadtverwaltung informiert" in body
    assert "Kurz gemeldet" not in body
