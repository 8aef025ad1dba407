"""Furniture inside the text column stays out of the body: captions belong to the gallery,
once; collapse toggles, report-an-error links, script-drawn video rails, paywall and share
teasers and a photo credit line before the dateline are no text of the article."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.extract import extract_fragment, extract_page
from newsroom_tui.extract.body_furniture import drop_body_furniture
from newsroom_tui.extract.caption_blocks import settle_captions, without_toggle
from newsroom_tui.extract.credits import credit_of_line
from newsroom_tui.models import GalleryItem

PAGES = Path(__file__).parent / "fixtures" / "pages"


def _page(name: str, url: str):  # type: ignore[no-untyped-def]
    return extract_page((PAGES / name).read_bytes(), url=url)


def test_caption_toggles_and_its_repetition_go_to_the_gallery_once() -> None:
    page = _page(
        "en-hanoi-caption-toggles.html",
        "https://www.worldnewsdesk.example/world/biden-vietnam-trong",
    )
    assert page.gallery == [
        GalleryItem(
            src="https://img.worldnewsdesk.example/2023/09/hanoi-handshake.jpg",
            caption="President Joe Biden and General Secretary Nguyen Phu Trong shake hands in "
            "Hanoi, Vietnam, on Sunday, Sept. 10, 2023, after their meeting at the Communist "
            "Party headquarters.",
            credit="AP Photo/Evan Vucci",
        )
    ]
    body = page.body_markdown
    assert body.startswith("HANOI, Vietnam (AP) — President Joe Biden")
    assert "shake hands" not in body
    assert "AP Photo" not in body
    assert "Report Error" not in body
    assert "false" not in body and "Top Video" not in body
    blocks = [block.strip() for block in body.split("\n\n")]
    assert "less" not in blocks and "more" not in blocks
    assert blocks[-1].startswith("Biden is scheduled to meet Prime Minister")


def test_paywall_teaser_under_an_empty_gallery_heading_goes() -> None:
    page = _page(
        "lokalzeitung-plus-teaser.html", "https://www.herner-rundschau.de/herne/fahrradstrasse"
    )
    body = page.body_markdown
    for furniture in ("PLUS", "0,99", "Abonnent", "Bildergalerie", "Monatlich kündbar"):
        assert furniture not in body
    assert body.endswith("Überholen ist verboten.")
    assert "Baudezernent Karlheinz Friedrichs" in body


def test_symbolfoto_credit_before_the_dateline_is_the_photos_credit() -> None:
    page = _page(
        "polizei-bochum-symbolfoto.html",
        "https://bochum.polizei.nrw/presse/zeugen-nach-unfallflucht-in-wattenscheid-gesucht",
    )
    assert page.body_markdown.startswith("Bochum (ots) – Nach einer Unfallflucht")
    assert "Symbolfoto" not in page.body_markdown
    assert page.body_markdown.endswith("Telefon: 0234 909-1021")
    assert [(item.caption, item.credit) for item in page.gallery] == [
        ("Streifenwagen bei Nacht", "Polizei Bochum")
    ]


def test_municipal_share_line_error_link_and_repeated_caption_go() -> None:
    page = _page("herne-meldung-teilen.html", "https://www.herne.de/stadtgarten")
    body = page.body_markdown
    assert "teilen" not in body
    assert "Fehler" not in body
    assert "Kinder testen das neue Klettergerüst" not in body
    assert body.startswith("Im Stadtgarten Wanne-Eickel stehen ab sofort neue Spielgeräte.")
    assert [(item.caption, item.credit) for item in page.gallery] == [
        (
            "Kinder testen das neue Klettergerüst im Stadtgarten Wanne-Eickel.",
            "Frank Dieper/Stadt Herne",
        )
    ]


def test_feed_content_loses_a_video_rail_of_script_values() -> None:
    page = extract_fragment(
        "<p>HANOI, Vietnam (AP) — President Joe Biden and Vietnam's top leader agreed on "
        "Sunday to deepen ties between the former foes.</p>"
        "<p><a href='https://corrections.wirefeed.example/report?story=1'>Report Error</a></p>"
        "<h2>Top Video</h2><ul>"
        "<li><a href='https://video.wirefeed.example/v/biden-arrives-in-hanoi'>false</a></li>"
        "<li><a href='https://video.wirefeed.example/v/g20-summit-new-delhi'>false</a></li>"
        "</ul>",
        "https://www.worldnewsdesk.example/",
    )
    assert page.body_markdown == (
        "HANOI, Vietnam (AP) — President Joe Biden and Vietnam's top leader agreed on "
        "Sunday to deepen ties between the former foes."
    )


def test_sentences_about_errors_subscriptions_and_sharing_stay() -> None:
    markdown = "\n\n".join(
        [
            "Wer einen Fehler im Stadtplan findet, kann ihn im Bürgerbüro melden.",
            "Die Sanierung der Turnhalle dauert 8 Wochen für rund 90.000 Euro.",
            "Bereits Abonnenten der Ruhrbahn zahlen ab Mai mehr.",
            "Teilen Sie uns Ihre Meinung mit: leserbriefe@herner-rundschau.de",
            "- [Stadtgarten](https://www.herne.de/stadtgarten)\n"
            "- [false](https://video.wirefeed.example/v/1)",
            "Mehr",
        ]
    )
    kept = drop_body_furniture(markdown).split("\n\n")
    assert kept[:4] == markdown.split("\n\n")[:4]
    assert kept[4] == "- [Stadtgarten](https://www.herne.de/stadtgarten)"
    assert len(kept) == 5  # the lone toggle went


def test_a_body_of_furniture_only_is_kept_whole() -> None:
    assert drop_body_furniture("Artikel teilen:") == "Artikel teilen:"


@given(
    st.lists(
        st.sampled_from(
            [
                "Die Stadt Herne saniert das Rathaus.",
                "## Top Video",
                "- [false](https://video.example/v/1)",
                "Report Error",
                "Lesen Sie weiter mit PLUS – jetzt 4 Wochen für 0,99 €",
                "Sie sind bereits Abonnent? [Hier anmelden](https://example.de/login)",
                "Alle Artikel in der App.",
                "Artikel teilen: [Facebook](https://facebook.com/x)",
                "… more",
                "## Bildergalerie",
                "Foto: Stadt Herne",
            ]
        ),
        max_size=12,
    )
)
def test_furniture_removal_keeps_blocks_in_order_and_is_stable(blocks: list[str]) -> None:
    markdown = "\n\n".join(blocks)
    once = drop_body_furniture(markdown)
    kept = once.split("\n\n") if once else []
    remaining = iter(blocks)
    assert all(any(block == other for other in remaining) for block in kept)
    assert drop_body_furniture(once) == once


def test_collapse_toggles_leave_captions() -> None:
    assert without_toggle("Leaders shake hands in Hanoi … more") == "Leaders shake hands in Hanoi …"
    assert without_toggle("Das Rathaus am Abend. weniger") == "Das Rathaus am Abend."
    assert without_toggle("There is nothing more") == "There is nothing more"


def test_a_caption_shown_once_in_the_gallery_and_the_text_keeps_its_paragraph() -> None:
    item = GalleryItem("https://www.herne.de/rathaus.jpg", "Das Rathaus der Stadt Herne am Abend")
    body = "Das Rathaus der Stadt Herne am Abend\n\nDer Rat tagt am Dienstag im Ratssaal."
    # an alt text the paragraph repeats: the paragraph is the text's own
    assert settle_captions(body, [item])[0] == body
    # a caption the page shows: once, in the gallery
    assert settle_captions(body, [item], {item.src})[0] == "Der Rat tagt am Dienstag im Ratssaal."


def test_credit_lines_in_english_wire_and_german_police_forms() -> None:
    assert credit_of_line("(AP Photo/Evan Vucci)") == "AP Photo/Evan Vucci"
    assert credit_of_line("Photo by Linh Pham/Getty Images") == "Linh Pham/Getty Images"
    assert credit_of_line("Symbolfoto: Polizei Bochum") == "Polizei Bochum"
    assert credit_of_line("*Archivbild: Stadt Herne*") == "Stadt Herne"
    assert credit_of_line("AP Photo shows the leaders in Hanoi.") is None
    assert credit_of_line("Photo by the river: a quiet evening in Herne.") is None


def test_read_on_labels_consent_placeholders_and_site_notices_go() -> None:
    article = "Die Stadt Herne saniert bis Herbst die Turnhalle an der Bahnhofstraße."
    markdown = "\n\n".join(
        [
            "Veröffentlicht am 2. Februar 2022",
            article,
            "*(Alle Angaben ohne Gewähr)*",
            "## Twitter freischalten",
            "Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis "
            "keine Verbindung zu Twitter her.",
            "[Datenschutzeinstellungen verwalten](https://www.herne.de/datenschutz)",
            "Um den Artikel kommentieren zu können, müssen Sie eingeloggt sein.",
            "Sie möchten nichts verpassen? Hier geht es zu unserem "
            "[Stadtnewsletter](https://www.herne.de/newsletter)!",
            "Das Thema könnte dich auch interessieren:",
            "***Auch lesen:*** [Neue Kita in Wanne](https://www.herne.de/kita-wanne)",
            "## Entdecke weitere *Meldungen*",
            "Klicke dich durch die Meldungen der Stadt Herne.",
        ]
    )
    assert drop_body_furniture(markdown) == article


def test_a_read_on_heading_over_a_long_section_goes_alone() -> None:
    section = "### Dekarbonisierung des Fliegens\n\n" + "Die Airlines planen langfristig." * 10
    assert drop_body_furniture("## Entdecken Sie jetzt\n\n" + section) == section.strip()


def test_a_lightbox_caption_written_as_html_is_read_as_text() -> None:
    page = extract_page(
        "<html><body><article><h1>Schneehöhen aus dem All</h1>"
        "<p>Die Schneehöhe lässt sich inzwischen aus Satellitendaten ableiten, auch im "
        "Hochgebirge rund um den Aletschgletscher und im Mattertal.</p>"
        "<a href='/bilder/aletsch.png' data-sub-html='<div class=\"lb_text\">Vergleich auf "
        "dem Aletschgletscher</div>'><img src='/bilder/aletsch-klein.png'></a>"
        "</article></body></html>",
        url="https://www.gipfelbuch.ch/artikel/schneehoehen",
    )
    assert [item.caption for item in page.gallery] == ["Vergleich auf dem Aletschgletscher"]


def test_a_credit_line_may_end_with_a_full_stop() -> None:
    assert credit_of_line("Beitragsbild: Titelseite der FAZ vom 2.4.2019, Ausriss.") == (
        "Titelseite der FAZ vom 2.4.2019, Ausriss"
    )
    assert (
        credit_of_line(
            "Quelle: Das Statistische Landesamt hat die Zahlen für das Jahr 2023 am Montag in "
            "Düsseldorf vorgestellt."
        )
        is None
    )
