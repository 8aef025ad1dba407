"""The source boilerplate that makes one source's releases alike is stripped before
comparing: blue-light prefixes, datelines, the city's header, contact blocks, phone numbers,
e-mail and web addresses."""

from __future__ import annotations

import re

from newsroom_tui.stories.boilerplate import strip_text, strip_title
from newsroom_tui.stories.features import make_features
from tests.story_set import load

POLICE = (
    "Bochum (ots) - Unbekannte haben in der Nacht zu Montag an der Hochstraße in "
    "Bochum-Wattenscheid einen Zigarettenautomaten aufgebrochen. Hinweise bitte unter 0234 "
    "909-4441.\n\nRückfragen bitte an:\n\nPolizei Bochum\nPressestelle\nTelefon: 0234 909-1021\n"
    "E-Mail: pressestelle.bochum@polizei.nrw.de\nhttps://bochum.polizei.nrw\n\n"
    "Original-Content von: Polizei Bochum, übermittelt durch news aktuell"
)
CITY = (
    "Meldung vom 09. Mai 2023\n\nDie Stadt Herne pflanzt im Stadtgarten 40 neue Bäume. Die "
    "Arbeiten beginnen am Montag.\n\nStadt Herne\nFachbereich Presse und Öffentlichkeitsarbeit\n"
    "Telefon: 02323 16-2888\nE-Mail: presse@herne.de"
)


def test_a_police_release_loses_dateline_contact_block_and_phone_numbers() -> None:
    body = strip_text(POLICE)
    assert body.startswith("Unbekannte haben in der Nacht zu Montag an der Hochstraße")
    assert "aufgebrochen." in body
    for gone in ("(ots)", "Rückfragen", "Pressestelle", "909", "@", "https", "news aktuell"):
        assert gone not in body


def test_a_city_release_loses_its_header_and_address_lines() -> None:
    body = strip_text(CITY)
    assert body == (
        "Die Stadt Herne pflanzt im Stadtgarten 40 neue Bäume. Die Arbeiten beginnen am Montag."
    )


def test_a_wire_dateline_goes_and_the_place_stays_in_the_text() -> None:
    body = strip_text("Herne (dpa/lnw) - In Herne brennt ein Lagerhaus an der Bahnhofstraße.")
    assert body == "In Herne brennt ein Lagerhaus an der Bahnhofstraße."


def test_blue_light_prefixes_leave_the_title() -> None:
    assert strip_title("POL-BO: Verkehrsunfall mit Leichtverletzten") == (
        "Verkehrsunfall mit Leichtverletzten"
    )
    assert strip_title("FW-HER: Brand in Mehrfamilienhaus") == "Brand in Mehrfamilienhaus"
    assert strip_title("Stadt Herne: Straßensperrung") == "Stadt Herne: Straßensperrung"


def test_no_boilerplate_is_left_in_the_compared_text() -> None:
    releases = [a for a in load() if a.feed in ("police", "city")]
    boilerplate = ("Rückfragen", "Pressestelle", "Original-Content", "(ots)", "Meldung vom")
    for a in releases:
        body = strip_text(a.text)
        assert not any(word in body for word in boilerplate), a.title
        assert not re.search(r"\d{3} \d{3}-\d{4}|@|Telefon", body), a.title
        assert body.rstrip().endswith((".", "!", "?", "“")), a.title


def test_facts_come_from_the_text_not_the_contact_block() -> None:
    facts = make_features("POL-BO: Automat aufgebrochen", POLICE).facts
    assert facts.of("s") == {"hochstrasse"}
    assert "wattenscheid" in facts.of("o")
    assert not any("909" in n or "1021" in n for n in facts.of("n"))


def test_a_contact_block_run_into_the_text_goes_too() -> None:
    """A plain-text feed description is stored on one line (its line breaks made spaces):
    the contact block after the last sentence still goes, or every release of the police
    would share it."""
    text = (
        "Zeugen werden gebeten, sich beim Verkehrskommissariat zu melden. Rückfragen bitte an: "
        "Polizei Bochum Pressestelle Telefon: 0234 909-1021 E-Mail: "
        "pressestelle.bochum@polizei.nrw.de Original-Content von: Polizei Bochum, übermittelt "
        "durch news aktuell"
    )
    assert strip_text(text) == "Zeugen werden gebeten, sich beim Verkehrskommissariat zu melden."
