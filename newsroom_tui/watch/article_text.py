"""One article's text as watchlists read it: each field folded once, on demand.

Matching many watchlists against one article takes two steps. First a quick look, all
watchlists at once: which of their trigger words (:class:`Vocabulary`) occur in the article
at all, as bytes of its ASCII skeleton. Then only the watchlists whose trigger words occur
are asked properly, word by word, on the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsroom_tui.text.search_query import TEXT_FIELDS, phrase_found
from newsroom_tui.text.search_text import fold

_WORD = re.compile(r"\w+")


def plain_text(text: str | None) -> str:
    """``text`` folded as search folds it: case, ``ß`` as "ss", umlauts as "ae", "oe", "ue",
    other diacritics removed ("Straßensperrung" -> "strassensperrung", "Müll" -> "muell")."""
    return fold(text)


def skeleton(text: str | None) -> bytes:
    """The ASCII letters, digits and signs of ``text`` folded (everything else dropped).
    Dropping characters keeps every substring a substring: a word that occurs in the
    folded text occurs in the skeleton, so the skeleton can rule words out, never in."""
    return fold(text).encode("ascii", "ignore")


class Vocabulary:
    """The trigger words of many watchlists, looked for in an article all at once."""

    def __init__(self, words: Iterable[str]) -> None:
        self._needles = {word: skeleton(word) for word in sorted(set(words))}

    def found_in(self, text: bytes) -> set[str]:
        """The words that may occur in the text of skeleton ``text`` (each one byte search
        in C; a word whose skeleton does not occur is certainly not there)."""
        return {word for word, needle in self._needles.items() if needle in text}


class FieldWords:
    """One field's folded text, with its words listed the first time a phrase asks."""

    __slots__ = ("_found", "_words", "plain")

    def __init__(self, raw: str) -> None:
        self.plain = plain_text(raw)
        self._words: list[str] | None = None
        self._found: tuple[Vocabulary, set[str]] | None = None

    @property
    def skeleton(self) -> bytes:
        return self.plain.encode("ascii", "ignore")

    def found(self, vocabulary: Vocabulary) -> set[str]:
        """:meth:`Vocabulary.found_in` for this field (kept: a feed's name is asked for
        each of its articles)."""
        if self._found is None or self._found[0] is not vocabulary:
            self._found = (vocabulary, vocabulary.found_in(self.skeleton))
        return self._found[1]

    def has_phrase(self, words: Sequence[str]) -> bool:
        """``words`` occur in a row (the last one as a prefix of a word)."""
        return phrase_found(self.plain, words, self._listed)

    def _listed(self) -> list[str]:
        if self._words is None:
            self._words = _WORD.findall(self.plain)
        return self._words


@dataclass
class FeedText:
    """The fields of a feed, folded once for all its articles."""

    name: FieldWords
    category: FieldWords

    @classmethod
    def of(cls, name: str | None, category: str | None) -> FeedText:
        return cls(FieldWords(name or ""), FieldWords(category or ""))


@dataclass
class ArticleText:
    """What a query is matched against; each field is folded the first time it is asked for."""

    feed: FeedText
    title: str
    body: str = ""
    summary: str = ""
    credits: Iterable[str] = ()  # the gallery: captions and credits
    _fields: dict[str, FieldWords] = field(default_factory=dict, repr=False)

    def words(self, name: str) -> FieldWords:
        if name == "feed":
            return self.feed.name
        if name == "category":
            return self.feed.category
        found = self._fields.get(name)
        if found is None:
            found = self._fields[name] = FieldWords(self._raw(name))
        return found

    def _raw(self, name: str) -> str:
        if name == "title":
            return self.title
        if name == "text":
            return f"{self.body}\n{self.summary}"
        return "\n".join(self.credits)

    def found(self, vocabulary: Vocabulary) -> set[str]:
        """The words of ``vocabulary`` that may occur in the article or its feed's fields."""
        own = b"\n".join(self.words(name).skeleton for name in TEXT_FIELDS)
        return (
            vocabulary.found_in(own)
            | self.feed.name.found(vocabulary)
            | self.feed.category.found(vocabulary)
        )

    def has_phrase(self, name: str, words: Sequence[str]) -> bool:
        return self.words(name).has_phrase(words)
