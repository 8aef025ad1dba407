"""Text folding for search: case, umlauts and ß fold so "strasse" finds "Straße"."""

from __future__ import annotations

import re

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """Lower-case, ``ß`` to ``ss``, umlauts to their base letter (other accents: FTS5 folds)."""
    return (text or "").casefold().translate(_UMLAUTS)


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word of ``text`` must occur, as a word prefix."""
    words = _WORD.findall(fold(text))
    return " ".join(f'"{w}"*' for w in words) or None
