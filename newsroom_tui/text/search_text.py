"""Text folding for search: case, umlauts and ß fold so "strasse" finds "Straße"."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """Case-fold (which also makes ``ß`` ``ss``); the FTS5 tokenizer then strips diacritics
    (``ä`` to ``a``), for the indexed text and the query alike."""
    return (text or "").casefold()


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word of ``text`` must occur, as a word prefix."""
    words = _WORD.findall(fold(text))
    return " ".join(f'"{w}"*' for w in words) or None


def fold_words(text: str | None) -> list[str]:
    """The words of ``text`` folded as the SQLite index folds them (case, ``ß``, and
    diacritics removed: "Müllabfuhr" -> "mullabfuhr"), for indexes without that tokenizer."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain)
