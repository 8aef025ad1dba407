"""split_credit: captions with photo credits in the forms German press pages use."""

from __future__ import annotations

import pytest

from newsroom_tui.extract import extract_page, normalise_credit, split_credit
from newsroom_tui.extract.credits import is_credit_line


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        # The Herne press page form: caption keeps its own final period.
        (
            "Impressionen vom Fachtag. ©Thomas Schmidt/Stadt Herne",
            "Impressionen vom Fachtag.",
            "Thomas Schmidt/Stadt Herne",
        ),
        (
            "Impressionen vom Fachtag. © Thomas Schmidt / Stadt Herne",
            "Impressionen vom Fachtag.",
            "Thomas Schmidt/Stadt Herne",
        ),
        ("Das Rathaus am Abend ©Stadt Herne.", "Das Rathaus am Abend", "Stadt Herne"),
        ("Die neue Kita von außen. Foto: Max Müller", "Die neue Kita von außen.", "Max Müller"),
        ("Der Neubau Foto: Stadt Bochum", "Der Neubau", "Stadt Bochum"),
        (
            "Blick auf die Baustelle. Fotos: Anna Schäfer",
            "Blick auf die Baustelle.",
            "Anna Schäfer",
        ),
        (
            "Spielplatz im Innenhof. Bild: Stadt Bochum / Pressestelle",
            "Spielplatz im Innenhof.",
            "Stadt Bochum/Pressestelle",
        ),
        (
            "Oberbürgermeister bei der Eröffnung (c) dpa",
            "Oberbürgermeister bei der Eröffnung",
            "dpa",
        ),
        (
            "Oberbürgermeister bei der Eröffnung (C) dpa",
            "Oberbürgermeister bei der Eröffnung",
            "dpa",
        ),
        ("Karte der Innenstadt. Quelle: OpenStreetMap", "Karte der Innenstadt.", "OpenStreetMap"),
        ("Sunset over the Ruhr. Photo: Jane Doe", "Sunset over the Ruhr.", "Jane Doe"),
        ("Team photo. Credit: Reuters", "Team photo.", "Reuters"),
        ("Der Stadtgarten. Copyright Klaus Weber", "Der Stadtgarten.", "Klaus Weber"),
        ("Der Stadtgarten. Copyright: Klaus Weber", "Der Stadtgarten.", "Klaus Weber"),
        ("Copyright © Stadt Herne", "", "Stadt Herne"),
        ("Der Stadtgarten (Copyright Klaus Weber)", "Der Stadtgarten", "Klaus Weber"),
        # In parentheses.
        ("Rathaus (Foto: Stadt Herne)", "Rathaus", "Stadt Herne"),
        ("Rathaus (Foto: Stadt Herne).", "Rathaus.", "Stadt Herne"),
        (
            "Die Cranger Kirmes [©Stadt Herne/Frank Dieper]",
            "Die Cranger Kirmes",
            "Stadt Herne/Frank Dieper",
        ),
        # Credit alone.
        ("Foto: Max Müller", "", "Max Müller"),
        ("© dpa", "", "dpa"),
        ("(c) dpa", "", "dpa"),
        ("Foto: © dpa", "", "dpa"),
        ("© 2023 Stadt Herne", "", "Stadt Herne"),
        # Whitespace soup and trailing punctuation.
        ("Der  Marktplatz.\u00a0 Foto:\u00a0 Max   Müller ,", "Der Marktplatz.", "Max Müller"),
        (
            "Ein Gruppenraum | Foto: Lutz Leitmann/Stadt Bochum",
            "Ein Gruppenraum",
            "Lutz Leitmann/Stadt Bochum",
        ),
        ("Foto: Max Müller | Das Rathaus", "Das Rathaus", "Max Müller"),
    ],
)
def test_split_credit(text: str, caption: str, credit: str) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    "text",
    [
        "Das Bild zeigt den neuen Rathausplatz.",
        "Bildung ist der Schlüssel zur Integration.",
        "Impressionen vom Fachtag.",
        "Der Fotograf stand auf dem Dach.",
        "Ein Bild sagt mehr als tausend Worte",
        "Das Copyright liegt bei der Stadt Herne.",
        "Rathaus Bildung Fotografie Quellen",
    ],
)
def test_no_credit(text: str) -> None:
    assert split_credit(text) == (text, None)


def test_empty_and_whitespace() -> None:
    assert split_credit("") == ("", None)
    assert split_credit("  \n ") == ("", None)


def test_whitespace_folded_without_credit() -> None:
    assert split_credit("  Das   Rathaus\n am Abend ") == ("Das Rathaus am Abend", None)


def test_marker_without_name_is_no_credit() -> None:
    assert split_credit("Der Marktplatz ©")[1] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thomas Schmidt / Stadt Herne", "Thomas Schmidt/Stadt Herne"),
        ("  ©  dpa. ", "dpa"),
        ("Foto: Max  Müller,", "Max Müller"),
        ("(Stadt Bochum)", "Stadt Bochum"),
        ("", None),
        ("©", None),
    ],
)
def test_normalise_credit(text: str, expected: str | None) -> None:
    assert normalise_credit(text) == expected


@pytest.mark.parametrize(
    "block",
    ["Foto: Sean Gallup/Getty Images", "*Quelle: dpa-AFX*", "(Bild: Audi)", "© Getty Images"],
)
def test_lone_credit_lines_are_recognised(block: str) -> None:
    assert is_credit_line(block)


@pytest.mark.parametrize(
    "block",
    [
        "Copyright Notice",  # a heading, no marker sign
        "Der Neubau an der Ruhr. Foto: Stadt Bochum",  # a caption with its credit
        "Quelle: Die Stadt hat die Zahlen am Montag veröffentlicht.",  # a sentence
        "Foto: [Stadt Herne](https://www.herne.de/)",  # a link is more than a credit
        "# Foto: Blick auf die Bühne",
    ],
)
def test_text_with_a_credit_marker_is_not_a_credit_line(block: str) -> None:
    assert not is_credit_line(block)


def test_lone_credit_lines_leave_the_body() -> None:
    paragraph = (
        "Die Stadt Herne hat am Montag den neuen Spielplatz im Stadtgarten eröffnet. Kinder "
        "aus drei Kitas weihten die Geräte ein, die Eltern hatten sie mitgeplant. "
    )
    html = (
        "<html><body><main><article><h1>Neuer Spielplatz</h1>"
        f"<p>{paragraph * 3}</p><p>Foto: Thomas Schmidt/Stadt Herne</p>"
        f"<p>{paragraph * 2}</p><p>Quelle: Stadt Herne</p></article></main></body></html>"
    )
    body = extract_page(html, url="https://www.herne.de/spielplatz").body_markdown
    assert "Die Stadt Herne hat am Montag" in body
    assert "Thomas Schmidt" not in body
    assert "Quelle:" not in body


def test_elements_classed_as_credits_leave_the_body() -> None:
    paragraph = (
        "Der Bundesrat hat am Freitag das Gesetz zur Wohngeldreform gebilligt. Die Länder "
        "hatten zuvor Nachbesserungen bei der Finanzierung verlangt. "
    )
    html = (
        "<html><body><main><article><h1>Wohngeld</h1>"
        f"<p>{paragraph * 3}</p>"
        "<div class='image-Credit'>© Bundesrat | Frank Bräuer</div>"
        f"<p>{paragraph * 2}</p><span class='copyright'>Presseamt/Jesco Denzel</span>"
        "</article></main></body></html>"
    )
    body = extract_page(html, url="https://www.bundesrat.de/wohngeld").body_markdown
    assert "Der Bundesrat hat am Freitag" in body
    assert "Bräuer" not in body
    assert "Denzel" not in body
