"""The search folding: German umlauts as German writes them without the dots ("ü" -> "ue"),
other diacritics dropped; the per-text shortcuts give what the definition per letter gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.text.search_text import fold

LATIN = [*"aeouAEOU sSß-„“–…éèçłøÆæŒœĳǢǅäöüÄÖÜëïÿÉ", "ẞ", "u\u0308", "a\u0308", "e\u0301"]
# texts of those letters (some are two characters: a letter and its combining mark)
TEXTS = st.lists(st.sampled_from(LATIN)).map("".join)


def _per_letter(text: str) -> str:
    """The definition: case folded, each letter decomposed, a, o and u with the diaeresis
    written with an "e", every other mark dropped."""
    out = []
    for letter in unicodedata.normalize("NFKD", text.casefold()):
        if letter == "\u0308" and out and out[-1] in "aou":
            out.append("e")
        elif not unicodedata.combining(letter):
            out.append(letter)
    return "".join(out).casefold()


@given(TEXTS)
def test_latin_letters_fold_as_the_definition_per_letter(text: str) -> None:
    assert fold(text) == _per_letter(text)


@given(TEXTS)
def test_composed_and_decomposed_spellings_fold_alike(text: str) -> None:
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


@given(TEXTS, TEXTS)
def test_the_fold_of_a_prefix_is_a_prefix(head: str, tail: str) -> None:
    assert fold(head + tail).startswith(fold(head))


def test_german_words_fold() -> None:
    folded = "gruesse aus gelsenkirchen – buergerbuero"
    assert fold("Grüße aus Gelsenkirchen – Bürgerbüro") == folded
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert fold("Grün") == fold("gruen") == fold("GRÜN") == "gruen"
    assert fold("Grund") == "grund"
    assert fold("München") == fold("Muenchen") == "muenchen"
    assert fold("Café Noël, Łódź") == "cafe noel, łodz"
    assert fold("Feuer Poet Israel Michael") == "feuer poet israel michael"
