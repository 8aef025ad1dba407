"""Text folding for search: case, umlauts and ß fold so "strasse" finds "Straße"."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """Case-fold (which also makes ``ß`` ``ss``); the FTS5 tokenizer then strips diacritics
    (``ä`` to ``a``), for the indexed text and the query alike."""
    return (text or "").casefold()


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word of ``text`` must occur, as a word prefix."""
    words = _WORD.findall(fold(text))
    return " ".join(f'"{w}"*' for w in words) or None
