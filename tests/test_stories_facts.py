"""The facts two tellings of one story share and two look-alikes do not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.stories.facts import _NUMBER, extract_facts, numbers_in


def test_times_ages_dates_and_weeks() -> None:
    facts = extract_facts(
        "Am Dienstag, 7. November, gegen 7.15 Uhr erfasste ein 46-jähriger Herner eine 81 "
        "Jahre alte Fußgängerin; die Straße war bis 9 Uhr gesperrt (Meldung vom 07.11.2023). "
        "Kontrollen der 45. Kalenderwoche."
    )
    assert facts.of("t") == {"7:15", "9:00"}
    assert facts.of("a") == {"46", "81"}
    assert facts.of("d") == {"7.11"}
    assert facts.of("w") == {"45"}


def test_a_vague_age_is_no_age() -> None:
    assert not extract_facts("Ein Radfahrer beraubte die über 80 Jahre alte Frau.").of("a")
    assert extract_facts("Die Seniorin (83) stürzte.").of("a") == {"83"}


def test_ages_of_several_people() -> None:
    facts = extract_facts(
        "Den Männern im Alter von 24, 31 und 35 Jahren wird Einbruch vorgeworfen."
    )
    assert facts.of("a") == {"24", "31", "35"}
    assert not facts.of("n")


def test_streets_people_and_places_fold() -> None:
    facts = extract_facts(
        "Lena K. verließ die Wohnung an der Mont-Cenis-Straße in Herne-Sodingen und ging zur "
        "Sodinger Strasse; ein Herner Zeuge sah sie an der Hochstraße."
    )
    assert facts.of("s") == {"mont-cenis-strasse", "sodinger strasse", "hochstrasse"}
    assert facts.of("p") == {"lena k"}
    assert facts.of("o") == {"herne", "sodingen"}


def test_numbers_written_out_agree_with_digits() -> None:
    written = extract_facts("Zwölf Kinder klagten über Augenbrennen, vier kamen in Kliniken.")
    digits = extract_facts("12 Kinder wurden verletzt, 4 von ihnen kamen in eine Klinik.")
    assert written.of("n") == digits.of("n") == {"12", "4"}


def test_thousands_and_decimals() -> None:
    facts = extract_facts("Beute im Wert von rund 25.000 Euro, Kosten von 3,2 Millionen Euro.")
    assert facts.of("n") == {"25000", "3,2"}


@given(st.text(alphabet="0123456789.,  aÄ-\n١٢", max_size=40))
def test_numbers_read_by_runs_are_those_the_expression_finds_anywhere(text: str) -> None:
    # numbers are read from the start of each run of digits, points and commas; the
    # expression tried at every character finds the same ones
    assert numbers_in(text) == [m[0] for m in _NUMBER.finditer(text)]


def test_numbers_in_a_press_text() -> None:
    text = "Stadt Herne: 458.000 Euro, 3,5 Prozent mehr, 12 Ideen, Version 1.2.3 und 2026 im Plan."
    assert numbers_in(text) == ["458.000", "3,5", "12", "2026"]
