"""The search folding's shortcut for Latin letters gives what a lookup per letter gives."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.text.search_text import _PLAIN_LATIN, fold

_LATIN = re.compile("[\u00c0-\u024f]")


def _per_letter(text: str) -> str:
    folded = text.casefold()
    if not folded.isascii():
        folded = _LATIN.sub(lambda m: _PLAIN_LATIN[m[0]], folded)
    return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")


@given(st.text(alphabet=st.sampled_from([*"aeouAEOU sSß-„“–…éèçłøÆæŒœĳǢǅ", "ẞ"])))
def test_latin_letters_fold_as_one_lookup_per_letter(text: str) -> None:
    assert fold(text) == _per_letter(text)


def test_german_words_fold() -> None:
    assert fold("Grüße aus Gelsenkirchen – Bürgerbüro") == "grusse aus gelsenkirchen – burgerburo"
    assert fold("Straße") == fold("STRASSE") == "strasse"
