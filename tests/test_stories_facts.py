"""The facts two tellings of one story share and two look-alikes do not."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsroom_tui.stories import facts
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


# pieces of press texts that make facts, and pieces that come near one (a town's first
# letter, "gering", a lone capital and point)
_PIECES = st.sampled_from(
    [
        "Bochum", "Bochumer", "Bochum-Riemke", "Herne", "Wanne-Eickel", "Wanne", "Hagen", " ",
        "Sodinger Straße", "Bahnhofstr.", "Am Lindenweg", "gering", "Ring", "Kirchplatz",
        "Parkplatz", "Heimweg", "Lena K.", "Lena K", " K. ", "(81)", "(1234)", "81-jährige",
        "80 Jahre alt", "über 80 Jahre alt", "07.11.2023", "7.11.", "3.5", "7. November",
        "zwei", "Zwei", "zweite", "elf", "Elfmeter", "im Alter von 24, 31 und 35 Jahren",
        "9 Uhr", "7.15 Uhr", "45. Kalenderwoche", "KW 46", ",", ".", ")", "\n", "-", "ä",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=25).map("".join))
@example("Unfall am Herner Ring.")
@example("Stau am Hagener Damm, Sperrung am Kanalufer und Am Stadtwall")
@example("Seniorin (81) auf der Bahnhofstr. bestohlen")
@example("Am 7.11. gegen 9 Uhr; Zeugin Lena K., zwei Männer aus Bochum-Riemke")
def test_the_quick_looks_before_each_expression_find_what_it_finds_anywhere(text: str) -> None:
    # every expression run over every text, each in its plain form (without the look at a
    # list's first letters): the facts are the same
    plain = {
        name: re.compile(re.sub(r"^\\b\(\?=\[[^\]]*\]\)", r"\\b", getattr(facts, name).pattern))
        for name in ("_NUMBER_WORD", "_TOWN")
    }
    assert not any(p.pattern.startswith("\\b(?=") for p in plain.values())
    quick = extract_facts(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "_scan", lambda pattern, text, *_, **__: pattern.finditer(text))
        for name, pattern in plain.items():
            patch.setattr(facts, name, pattern)
        assert extract_facts(text) == quick
