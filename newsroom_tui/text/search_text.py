"""Text folding for search: case, umlauts and ß fold so "strasse" finds "Straße" and
"gruen" finds "Grün".

The folding is applied to the indexed text and to the query alike, so a word written
either way ("Bürgerbüro", "Buergerbuero", "Burgerburo") finds the others, and a word that
really holds "ue", "oe" or "ae" ("Feuer", "Poet", "Israel", "Michael") still finds itself.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"\w+")
# the combining diacritical marks (accents, umlaut dots, cedillas) that NFKD splits off; one
# regular expression over the text, much faster than a test per character
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Latin letters with diacritics ("ü", "é", "ł" stays): their plain form, looked up per letter
_LATIN = re.compile("[\u00c0-\u024f]")
_PLAIN_LATIN = {
    chr(cp): _COMBINING.sub("", unicodedata.normalize("NFKD", chr(cp))) for cp in range(0xC0, 0x250)
}
# those whose plain form differs (none of which holds such a letter again)
_FOLDING_LATIN = re.compile(
    "[" + "".join(letter for letter, plain in _PLAIN_LATIN.items() if plain != letter) + "]"
)
# what else NFKD changes: combining marks, Greek, Cyrillic and Vietnamese letters with
# accents, ligatures, full-width forms, superscripts. German text ("„", "–", "…") has none,
# and skips the decomposition of the whole text, which took 3x the time of the rest.
_NEEDS_NFKD = re.compile(
    "[\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u0250-\u04ff\u1ab0-\u1fff"
    "\u2070-\u209f\u20d0-\u20ff\u2100-\u218f\u2460-\u24ff\u3000-\u33ff\uf900-\uffef]"
)


def fold(text: str | None) -> str:
    """Case-folded (which also makes ``ß`` ``ss``), diacritics removed ("ü" -> "u") and
    "ae", "oe", "ue" written as "a", "o", "u": "Grün" and "gruen" both become "grun".

    Folding a prefix of a word gives a prefix of the folded word, so prefix search holds."""
    folded = (text or "").casefold()
    if not folded.isascii():
        if _NEEDS_NFKD.search(folded):
            folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
        else:
            # one replace per distinct letter (German text has a handful), not a call per
            # letter: a third of the time for a feed of 100 press releases
            found = _FOLDING_LATIN.search(folded)
            while found:
                folded = folded.replace(found[0], _PLAIN_LATIN[found[0]])
                found = _FOLDING_LATIN.search(folded, found.start())
    # "ae" -> "a", "oe" -> "o", "ue" -> "u": three plain replaces, faster than one
    # regular expression with a group, and the same (no pass sees a pair another one made)
    return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word of ``text`` must occur, as a word prefix."""
    words = fold_words(text)
    return " ".join(f'"{w}"*' for w in words) or None


def fold_words(text: str | None) -> list[str]:
    """The words of ``text`` folded as :func:`fold` folds them ("Müllabfuhr" ->
    "mullabfuhr"), for indexes that tokenize in Python."""
    return _WORD.findall(fold(text))


def match_spans(query: str, text: str, *, min_chars: int = 1) -> list[tuple[int, int]]:
    """Where the words of ``query`` occur in ``text`` as a search finds them (each word of
    ``text`` that starts with a query word, folded alike): ``(start, end)`` offsets into
    ``text``, in order, for highlighting the hits. Empty when the query has no words (of
    ``min_chars`` folded characters or more)."""
    return HitFinder(query, min_chars=min_chars).spans(text)


class HitFinder:
    """:func:`match_spans` for one query over many texts (the parts of an article).

    Only the words that can fold to a query word's first letter are folded (found by one
    regular expression), each distinct one once: a long article stays cheap."""

    def __init__(self, query: str, *, min_chars: int = 1) -> None:
        self.wanted = tuple(w for w in dict.fromkeys(fold_words(query)) if len(w) >= min_chars)
        starts = "".join(sorted({_starting_with(w[0]) for w in self.wanted}))
        self._candidates = re.compile(rf"(?<!\w)[{starts}]\w*") if starts else None
        self._seen: dict[str, bool] = {}

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self._candidates is None:
            return []
        wanted, seen = self.wanted, self._seen
        spans = []
        for m in self._candidates.finditer(text):
            word = m[0]
            hit = seen.get(word)
            if hit is None:
                hit = seen[word] = any(w.startswith(wanted) for w in fold_words(word))
            if hit:
                spans.append(m.span())
        return spans


@functools.cache
def _starting_with(letter: str) -> str:
    """A character class body for the first characters of the words whose fold can start
    with ``letter``: the Latin letters that fold to it ("G", "g", "Ĝ"…) and, as they are
    not looked at one by one, every character past Latin (Greek, Cyrillic, ligatures)."""
    latin = (chr(cp) for cp in range(0x250) if fold(chr(cp))[:1] == letter)
    return "".join(re.escape(c) for c in latin) + "\u0250-\U0010ffff"


def matched_terms(query: str, text: str) -> list[str]:
    """The words of ``text`` that ``query`` matched, each once, in order of appearance."""
    return list(dict.fromkeys(text[start:end] for start, end in match_spans(query, text)))


def fts_columns(
    title: str, body: str, summary: str, gallery: Iterable[tuple[str, str | None]]
) -> tuple[str, str, str]:
    """The folded columns of an article's row in SQLite's full-text index: the title, the
    body with the summary, and the gallery's captions with their credits (``(caption,
    credit)`` pairs), as the store's SQL makes them from the stored row."""
    credits = " ".join(f"{caption} {credit or ''}" for caption, credit in gallery)
    return fold(title), fold(f"{body} {summary}"), fold(credits)


def search_document(
    title: str, body: str, summary: str, gallery: Iterable[str | None]
) -> tuple[str, str]:
    """An article's text as an index that tokenizes in Python takes it: the folded words of
    the title, and those of body, summary and the gallery's captions and credits."""
    rest = " ".join([body, summary, *(t for t in gallery if t)])
    return " ".join(fold_words(title)), " ".join(fold_words(rest))
