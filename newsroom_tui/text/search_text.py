"""Text folding for search: case, umlauts and ß fold as German writes them without the
dots, so "strasse" finds "Straße", "gruen" finds "Grün", and "Grund" stays another word.

The folding is applied to the indexed text and to the query alike: "ä", "ö", "ü" become
"ae", "oe", "ue" ("Bürgerbüro" and "Buergerbuero" find each other; "Burg" is another word, as
"Grund" is not "Grün"), "ß" becomes "ss", and the diacritics of other languages are dropped
("Café" and "cafe", "Noël" and "Noel" meet).
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
# a, o and u with the diaeresis, decomposed: German writes them "ae", "oe", "ue"
_UMLAUT = re.compile("([aouAOU])\u0308")


def _fold_letter(letter: str) -> str:
    """One character folded: decomposed (NFKD: "é" -> "e" + U+0301, "ﬁ" -> "fi"), the
    umlauts written with an "e", other marks dropped, case folded."""
    decomposed = _UMLAUT.sub(r"\1e", unicodedata.normalize("NFKD", letter))
    return _COMBINING.sub("", decomposed).casefold()


# Each character of the blocks where NFKD changes something a reader of the news meets
# (Latin letters with diacritics, combining marks, Greek, Cyrillic, Vietnamese, punctuation
# and ligatures, full-width forms) mapped to its fold. Made at the first fold (5 ms), not at
# import: the reader starts without it.
_BLOCKS = (
    (0x80, 0x500),
    (0x1AB0, 0x2500),
    (0x3000, 0x3100),
    (0xFB00, 0xFB07),
    (0xFE20, 0xFE30),
    (0xFF00, 0xFFF0),
)


@functools.cache
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    """The folds, and a regular expression for the characters that have one."""
    table = {
        letter: folded
        for first, end in _BLOCKS
        for letter in map(chr, range(first, end))
        if unicodedata.decomposition(letter) or unicodedata.combining(letter)
        if (folded := _fold_letter(letter)) != letter
    }
    return table, re.compile(f"[{re.escape(''.join(table))}]")


def fold(text: str | None) -> str:
    """Case-folded (which also makes ``ß`` ``ss``), "ä", "ö", "ü" written "ae", "oe", "ue"
    and other diacritics removed ("é" -> "e"): "Grün" and "gruen" both become "gruen",
    "Grund" stays "grund".

    Folding a prefix of a word gives a prefix of the folded word, so prefix search holds."""
    text = text or ""
    if text.isascii():
        return text.casefold()
    if "\u0308" in text:  # decomposed umlauts ("u" + U+0308, as macOS writes them)
        return _folded_by_table(_UMLAUT.sub(r"\1e", text.casefold()))
    # Without a loose U+0308 every character folds on its own. str.casefold() looks up each
    # character of a text that is not all ASCII (half the time of the whole fold); the ASCII
    # letters are lowered as UTF-8 bytes instead (in C, a table per byte; the bytes of other
    # characters are never ASCII), and each distinct other character is folded once (a
    # handful in German text) and replaced in one pass of str.replace.
    raw = text.encode("utf-8", "surrogatepass")
    folded = raw.lower().decode("utf-8", "surrogatepass")
    for letter in set(raw.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")):
        letter_folded = _letter_fold(letter)
        if letter_folded != letter:
            folded = folded.replace(letter, letter_folded)
    return folded


_ASCII_BYTES = bytes(range(128))


@functools.lru_cache(maxsize=4096)
def _letter_fold(letter: str) -> str:
    """The fold of one character other than U+0308, as the table makes it."""
    return _folded_by_table(letter.casefold())


def _folded_by_table(folded: str) -> str:
    """Case-folded text with every character that has a fold in the table replaced by it."""
    if folded.isascii():
        return folded
    # one replace (in C) per distinct character with a fold: German text has a handful; a
    # third of the time of str.translate, which looks up every character
    table, folding = _table()
    found = folding.search(folded)
    while found:
        folded = folded.replace(found[0], table[found[0]])
        found = folding.search(folded, found.start())
    return folded


def fold_words(text: str | None) -> list[str]:
    """The words of ``text`` folded as :func:`fold` folds them ("Müllabfuhr" ->
    "muellabfuhr"), for indexes that tokenize in Python."""
    return _WORD.findall(fold(text))


def match_spans(query: str, text: str, *, min_chars: int = 1) -> list[tuple[int, int]]:
    """Where the words of ``query`` occur in ``text`` as a search finds them (each word of
    ``text`` that starts with a query word, folded alike): ``(start, end)`` offsets into
    ``text``, in order, for highlighting the hits. Empty when the query has no words (of
    ``min_chars`` folded characters or more)."""
    return HitFinder(query, min_chars=min_chars).spans(text)


def marked_words(query: str) -> tuple[list[str], list[str]]:
    """The folded words whose hits a search for ``query`` shows, as (prefixes, whole
    words): not those under NOT, nor ``feed:`` and ``category:`` (not in the article's
    text); a phrase's words but its last are whole words. A query that cannot be read:
    each of its words a prefix."""
    if not query.strip():  # no search (an article shown unsearched): nothing is marked
        return [], []
    from newsroom_tui.text.search_query import QueryError, parse_query  # it folds with this

    try:
        prefixes, whole = parse_query(query).marked
    except QueryError:
        return list(dict.fromkeys(fold_words(query))), []
    return sorted(prefixes), sorted(whole)


class HitFinder:
    """:func:`match_spans` for one query over many texts (the parts of an article).

    Only the words that can fold to a query word's first letter are folded (found by one
    regular expression), each distinct one once: a long article stays cheap."""

    def __init__(self, query: str, *, min_chars: int = 1) -> None:
        prefixes, whole = marked_words(query)
        self.wanted = tuple(w for w in prefixes if len(w) >= min_chars)
        self.whole = frozenset(w for w in whole if len(w) >= min_chars)
        firsts = {w[0] for w in (*self.wanted, *self.whole)}
        starts = "".join(sorted({_starting_with(first) for first in firsts}))
        self._candidates = re.compile(rf"(?<!\w)[{starts}]\w*") if starts else None
        self._seen: dict[str, bool] = {}

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self._candidates is None:
            return []
        wanted, whole, seen = self.wanted, self.whole, self._seen
        spans = []
        for m in self._candidates.finditer(text):
            word = m[0]
            hit = seen.get(word)
            if hit is None:
                hit = seen[word] = any(w.startswith(wanted) or w in whole for w in fold_words(word))
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
