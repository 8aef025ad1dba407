"""One article's text as watchlists read it: each field's words folded once, on demand."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsroom_tui.search_text import fold

TEXT_FIELDS = ("title", "text", "credit")  # what a word without a field looks in
_WORD = re.compile(r"\w+")
# The marks NFKD splits off Latin, Greek and Cyrillic letters ("ü" -> "u" + U+0308): removed
# by one regex in C, where search_text.fold_words tests every character in Python. For the
# text of news in European languages both give the same words.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def plain_words(text: str | None) -> list[str]:
    """The words of ``text`` folded as search folds them: case, ``ß``, and diacritics
    removed ("Straßensperrung" -> "strassensperrung", "Müll" -> "mull")."""
    folded = fold(text)
    if not folded.isascii():
        folded = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
    return _WORD.findall(folded)


class FieldWords:
    """The folded words of one field: in order (for phrases) and sorted (for prefixes)."""

    __slots__ = ("_in_order", "_sorted")

    def __init__(self, words: list[str]) -> None:
        self._in_order = words
        self._sorted: list[str] | None = None

    @classmethod
    def of(cls, *texts: str | None) -> FieldWords:
        words: list[str] = []
        for text in texts:
            words += plain_words(text)
        return cls(words)

    def has_prefix(self, prefix: str) -> bool:
        """A word of the field starts with ``prefix``."""
        if self._sorted is None:
            self._sorted = sorted(set(self._in_order))
        at = bisect_left(self._sorted, prefix)
        return at < len(self._sorted) and self._sorted[at].startswith(prefix)

    def has_phrase(self, words: Sequence[str]) -> bool:
        """``words`` occur in a row (the last one as a prefix)."""
        if len(words) == 1:
            return self.has_prefix(words[0])
        if not self.has_prefix(words[-1]):
            return False
        seq = self._in_order
        first, last, n = words[0], words[-1], len(words)
        for start in range(len(seq) - n + 1):
            if (
                seq[start] == first
                and list(seq[start + 1 : start + n - 1]) == list(words[1:-1])
                and seq[start + n - 1].startswith(last)
            ):
                return True
        return False


@dataclass
class FeedText:
    """The fields of a feed, folded once for all its articles."""

    name: FieldWords
    category: FieldWords

    @classmethod
    def of(cls, name: str | None, category: str | None) -> FeedText:
        return cls(FieldWords.of(name), FieldWords.of(category))


@dataclass
class ArticleText:
    """What a query is matched against; each field is folded the first time it is asked for."""

    feed: FeedText
    title: str
    body: str = ""
    summary: str = ""
    credits: Iterable[str] = ()
    _fields: dict[str, FieldWords] = field(default_factory=dict, repr=False)

    def words(self, name: str) -> FieldWords:
        if name == "feed":
            return self.feed.name
        if name == "category":
            return self.feed.category
        found = self._fields.get(name)
        if found is None:
            if name == "title":
                found = FieldWords.of(self.title)
            elif name == "text":
                found = FieldWords.of(self.body, self.summary)
            else:
                found = FieldWords.of(" ".join(self.credits))
            self._fields[name] = found
        return found

    def has_phrase(self, name: str, words: Sequence[str]) -> bool:
        return self.words(name).has_phrase(words)
