"""Text folding for search: case, umlauts and ß fold so "strasse" finds "Straße" and
"gruen" finds "Grün".

The folding is applied to the indexed text and to the query alike, so a word written
either way ("Bürgerbüro", "Buergerbuero", "Burgerburo") finds the others, and a word that
really holds "ue", "oe" or "ae" ("Feuer", "Poet", "Israel", "Michael") still finds itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"\w+")
# the German spellings of ä, ö, ü without the umlaut: the "e" goes, as the diacritic does
_UMLAUT_SPELLING = re.compile(r"([aou])e")


def fold(text: str | None) -> str:
    """Case-folded (which also makes ``ß`` ``ss``), diacritics removed ("ü" -> "u") and
    "ae", "oe", "ue" written as "a", "o", "u": "Grün" and "gruen" both become "grun".

    Folding a prefix of a word gives a prefix of the folded word, so prefix search holds."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _UMLAUT_SPELLING.sub(r"\1", plain)


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word of ``text`` must occur, as a word prefix."""
    words = fold_words(text)
    return " ".join(f'"{w}"*' for w in words) or None


def fold_words(text: str | None) -> list[str]:
    """The words of ``text`` folded as :func:`fold` folds them ("Müllabfuhr" ->
    "mullabfuhr"), for indexes that tokenize in Python."""
    return _WORD.findall(fold(text))


def match_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Where the words of ``query`` occur in ``text`` as a search finds them (each word of
    ``text`` that starts with a query word, folded alike): ``(start, end)`` offsets into
    ``text``, in order, for highlighting the hits. Empty when the query has no words."""
    wanted = tuple(dict.fromkeys(fold_words(query)))
    if not wanted:
        return []
    return [
        m.span()
        for m in _WORD.finditer(text)
        if any(w.startswith(wanted) for w in fold_words(m[0]))
    ]


def matched_terms(query: str, text: str) -> list[str]:
    """The words of ``text`` that ``query`` matched, each once, in order of appearance."""
    return list(dict.fromkeys(text[start:end] for start, end in match_spans(query, text)))


def search_document(
    title: str, body: str, summary: str, gallery: Iterable[str | None]
) -> tuple[str, str]:
    """An article's text as an index that tokenizes in Python takes it: the folded words of
    the title, and those of body, summary and the gallery's captions and credits."""
    rest = " ".join([body, summary, *(t for t in gallery if t)])
    return " ".join(fold_words(title)), " ".join(fold_words(rest))
