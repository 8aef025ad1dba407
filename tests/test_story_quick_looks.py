"""The quick looks of the story features (an expression run only on texts holding what its
matches hold) find what the expressions find on every text: the facts, the contact block."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.stories import boilerplate, facts
from newsroom_tui.stories.boilerplate import strip_text
from newsroom_tui.stories.facts import Facts, extract_facts
from newsroom_tui.stories.features import _UPDATE, _says_update

_WORDS = [
    "Am", "3.", "7.11.", "12.03.2024", "September", "ſeptember", "MÄRZ", "Juli", "JULİ",
    "Aprıl", "Mai", "um", "22:40", "Uhr", "Der", "81-jährige", "Mann", "(81)", "20", "Jahre",
    "alt", "Jahr", "zwölf", "Zwölf", "ZWÖLF", "Vier", "helfen", "Nacht", "in", "Herne",
    "Bochum-Riemke", "Wanne-Eickel", "Herner", "Bergkamen", "Sodinger", "Straße", "Lena",
    "K.", "KW", "45", "Kalenderwoche",
    "im", "Alter", "von", "24,", "31", "und", "35", "Jahren", "624.000", "Euro", ".", ",",
    "\n",
]  # fmt: skip


def _every_time(
    pattern: re.Pattern[str], text: str, *needles: str, **looks: object
) -> Iterator[re.Match[str]]:
    return pattern.finditer(text)


def _without_quick_looks(text: str) -> Facts:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "_scan", _every_time)
        return extract_facts(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_the_quick_looks_find_what_the_expressions_find(words: list[str]) -> None:
    text = " ".join(words)
    assert extract_facts(text) == _without_quick_looks(text)


def test_a_month_in_letters_the_expression_takes_for_others_is_read_not_refused() -> None:
    # "ſ" is an "s" and "İ", "ı" an "i" to the date's expression (IGNORECASE); the month's
    # number was looked up by the name in small letters, and such a name was no key
    assert extract_facts("Am 3. ſeptember brannte es.").of("d") == {"3.9"}
    assert extract_facts("Am 4. JULİ brannte es.").of("d") == {"4.7"}
    assert extract_facts("Am 5. Aprıl brannte es.").of("d") == {"5.4"}
    assert extract_facts("Am 6. MÄRZ brannte es.").of("d") == {"6.3"}


def test_number_words_and_ages_are_read_as_before() -> None:
    found = extract_facts("Zwölf Kinder, die Frau ist 20 Jahre alt, Lena K. (81) half.")
    assert found.of("n") == {"12"}
    assert found.of("a") == {"20", "81"}


_CONTACT_PARTS = [
    "Bochum (ots) -", "Ein Mann wurde verletzt.", "Rückfragen bitte an:", "RÜCKFRAGEN AN",
    "Pressekontakt", "PRESSEKONTAKT", "Preſſekontakt", "Kontakt für Medien", "Original-Content von",
    "Orıginal-Content von", "Für Rückfragen", "Polizei Bochum", "\n", ".", "Fragen", "kontaktlos",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CONTACT_PARTS), max_size=12))
def test_the_contact_block_is_found_as_the_expression_finds_it(parts: list[str]) -> None:
    text = " ".join(parts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(boilerplate, "_may_hold_contact", lambda text: True)
        everywhere = strip_text(text)
    assert strip_text(text) == everywhere


_UPDATE_PARTS = [
    "nachtrag", "nachtrage", "zur", "meldung", "korrektur", "wieder", "aufgetaucht", "ist",
    "da", "wohlbehalten", "angetroffen", "updates", "entwarnung", ":", "-", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_UPDATE_PARTS), max_size=10))
def test_an_update_is_told_as_the_expression_tells_it(parts: list[str]) -> None:
    folded = " ".join(parts)
    assert _says_update(folded) == bool(_UPDATE.search(folded))
