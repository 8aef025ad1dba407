"""The query language of search (``/``, ``newsroom search``) and of watchlists: words,
phrases, OR, NOT and fields.

    Sperrung OR Vollsperrung feed:"Stadt Herne"
    Bombe NOT Übung
    "Kampfmittel gefunden" OR Blindgänger category:Blaulicht
    credit:dpa title:(Hochwasser OR Pegel)

Words match as word prefixes, folded as the search folds them ("strasse" finds "Straße",
"Muell" finds "Müll", "Mull" does not); a phrase is its words in a row (the last as a
prefix). Words side by side must all match; ``OR`` joins the two next to it (binding tighter
than words side by side, as in web search: the first example wants the Herne feed for either
word), ``NOT`` (or a leading ``-``) negates what follows, parentheses group. Without a field a
word matches the title, the text or the gallery (captions and photo credits, as the search
index holds them); ``feed:`` the feed's name, ``category:`` its category, ``credit:`` the
gallery, ``title:`` the title alone. The store makes a query SQL
(:mod:`newsroom_tui.store.search_sql`); a watchlist matches it in Python (:meth:`Query.matches`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from newsroom_tui.text.search_text import fold_words

FIELDS = ("feed", "category", "credit", "title")
TEXT_FIELDS = ("title", "text", "credit")  # what a word without a field looks in
PER_FEED = ("feed", "category")  # the fields the feed alone decides
QUERY_MAX_CHARS = 2_000
# Parentheses, NOT (or -) and fields inside each other: a real query needs a handful; 999
# levels ran the parser (and later the matching) out of Python's stack.
QUERY_MAX_DEPTH = 50

_TOKEN = re.compile(
    r"""
    \s*(?:
        (?P<open>\()
      | (?P<close>\))
      | (?P<field>[^\W\d_]+):(?=\S)
      | "(?P<phrase>[^"]*)(?P<closed>"?)
      | (?P<minus>-)(?=[\w"(])
      | (?P<word>[^\s()"]+)
    )
    """,
    re.VERBOSE,
)


class QueryError(ValueError):
    """A query that cannot be read, in one line (what is wrong, where)."""


_WORD = re.compile(r"\w+")


def starts_a_word(text: str, prefix: str) -> bool:
    """``prefix`` occurs in ``text`` at the start of a word (str.find in C; a regex with a
    look-behind tries every position, 10x slower)."""
    at = text.find(prefix)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            return True
        at = text.find(prefix, at + 1)
    return False


def phrase_found(
    plain: str, words: Sequence[str], listed: Callable[[], list[str]] | None = None
) -> bool:
    """``words`` occur in a row in the folded text ``plain``, the last as a prefix of a word
    (``listed``: the words of ``plain``, when they are kept)."""
    if not starts_a_word(plain, words[-1]):
        return False
    if len(words) == 1:
        return True
    seq = listed() if listed is not None else _WORD.findall(plain)
    first, middle, last, n = words[0], list(words[1:-1]), words[-1], len(words)
    return any(
        seq[start] == first
        and seq[start + 1 : start + n - 1] == middle
        and seq[start + n - 1].startswith(last)
        for start in range(len(seq) - n + 1)
    )


class FieldText(Protocol):
    """What a query is matched against: an article's fields (or a feed's), folded."""

    def has_phrase(self, name: str, words: Sequence[str]) -> bool:
        """``words`` occur in a row in the field ``name``, the last as a word's prefix."""
        ...


@dataclass(frozen=True)
class Term:
    """Words in a row (one word: a plain word) in ``fields``; the last word is a prefix."""

    words: tuple[str, ...]
    fields: tuple[str, ...]

    def matches(self, text: FieldText) -> bool:
        return any(text.has_phrase(name, self.words) for name in self.fields)

    @property
    def per_feed(self) -> bool:
        """Decided by the feed alone (feed name, category): the same for all its articles."""
        return all(name in PER_FEED for name in self.fields)


@dataclass(frozen=True)
class Not:
    part: Node

    def matches(self, text: FieldText) -> bool:
        return not self.part.matches(text)

    @property
    def per_feed(self) -> bool:
        return self.part.per_feed


@dataclass(frozen=True)
class All:
    parts: tuple[Node, ...]

    def matches(self, text: FieldText) -> bool:
        return all(part.matches(text) for part in self.parts)

    @property
    def per_feed(self) -> bool:
        return all(part.per_feed for part in self.parts)


@dataclass(frozen=True)
class Any_:
    parts: tuple[Node, ...]

    def matches(self, text: FieldText) -> bool:
        return any(part.matches(text) for part in self.parts)

    @property
    def per_feed(self) -> bool:
        return all(part.per_feed for part in self.parts)


Node = Term | Not | All | Any_


@dataclass(frozen=True)
class Query:
    """A parsed query; :meth:`matches` tells whether one article is a match."""

    text: str
    root: Node

    def matches(self, text: FieldText) -> bool:
        return self.root.matches(text)

    @property
    def triggers(self) -> frozenset[str] | None:
        """Words of which an article must hold at least one (in any field) to match, or
        None when no such set can be told (a part that matches by missing a word)."""
        return _triggers(self.root)

    @property
    def marked(self) -> tuple[frozenset[str], frozenset[str]]:
        """The words a hit shows: those it looks for in the article's own text (not under
        NOT, not the feed's name or category), as (prefixes, whole words). A phrase's words
        are whole words but its last, a prefix as a lone word is."""
        prefixes: set[str] = set()
        whole: set[str] = set()
        todo: list[tuple[Node, bool]] = [(self.root, False)]
        while todo:
            node, negated = todo.pop()
            if isinstance(node, Term):
                if not negated and not node.per_feed:
                    whole.update(node.words[:-1])
                    prefixes.add(node.words[-1])
            elif isinstance(node, Not):
                todo.append((node.part, not negated))
            else:
                todo += [(part, negated) for part in node.parts]
        return frozenset(prefixes), frozenset(whole - prefixes)

    @property
    def words(self) -> list[str]:
        """Every word the query looks for (in phrases too)."""
        found: list[str] = []
        todo: list[Node] = [self.root]
        while todo:
            node = todo.pop()
            if isinstance(node, Term):
                found += node.words
            elif isinstance(node, Not):
                todo.append(node.part)
            else:
                todo += node.parts
        return found


@dataclass
class _Token:
    kind: str  # open, close, field, phrase, minus, word, or, and, not
    value: str
    at: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - every character is some token
            raise QueryError(f"cannot read the query at character {pos + 1}")
        kind = match.lastgroup or "word"
        if kind == "closed":  # the phrase's last group: it may have matched nothing
            kind = "phrase"
        if kind == "phrase":
            at = match.start("phrase") - 1  # the opening quote
            if not match.group("closed"):
                raise QueryError(f'the phrase at character {at + 1} has no closing "')
        else:
            at = match.start(kind)
        value = match.group(kind)
        if kind == "word" and value in ("OR", "AND", "NOT"):
            kind = value.lower()
        tokens.append(_Token(kind, value, at + 1))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.depth = 0  # parentheses, NOT and fields the parser is inside of

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > QUERY_MAX_DEPTH:
            raise QueryError(
                f"the query is nested deeper than {QUERY_MAX_DEPTH} levels "
                "(parentheses, NOT, fields)"
            )

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.all_of(FIELDS_ANY)
        token = self.peek()
        if token is not None:
            raise QueryError(f"a ) at character {token.at} closes nothing")
        return node

    def all_of(self, fields: tuple[str, ...]) -> Node:
        """Parts side by side (or joined by AND): all must match."""
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind != "close":
            if token.kind == "and":
                self.take()
                continue
            parts.append(self.any_of(fields))
        if not parts:
            raise QueryError(self.missing())
        # what the feed alone decides first: it is known once per feed, not per article
        parts.sort(key=lambda part: not part.per_feed)
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def any_of(self, fields: tuple[str, ...]) -> Node:
        """Parts joined by OR (binding tighter than words side by side, as in web search:
        ``Sperrung OR Vollsperrung feed:Herne`` wants Herne for either word)."""
        parts = [self.unary(fields)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            parts.append(self.unary(fields))
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def missing(self) -> str:
        token = self.peek()
        where = f"before {_shown(token)} at character {token.at}" if token else "at the end"
        return f"a word is missing {where}"

    def unary(self, fields: tuple[str, ...]) -> Node:
        token = self.peek()
        if token is None or token.kind in ("or", "and", "close"):
            raise QueryError(self.missing())
        self.take()
        if token.kind in ("not", "minus", "field", "open"):
            self.deeper()
            node = self.nested(token, fields)
            self.depth -= 1
            return node
        words = tuple(fold_words(token.value))
        if not words:
            raise QueryError(f"{_shown(token)} at character {token.at} holds no word to look for")
        return Term(words, fields)

    def nested(self, token: _Token, fields: tuple[str, ...]) -> Node:
        """What a NOT, a field or an opening parenthesis (``token``, taken) applies to."""
        if token.kind in ("not", "minus"):
            return Not(self.unary(fields))
        if token.kind == "field":
            name = token.value.casefold()
            if name not in FIELDS:
                raise QueryError(
                    f"unknown field {token.value}: at character {token.at} "
                    f"(fields: {', '.join(f + ':' for f in FIELDS)})"
                )
            return self.unary((name,))
        node = self.all_of(fields)
        closing = self.peek()
        if closing is None or closing.kind != "close":
            raise QueryError(f"the parenthesis opened at character {token.at} is not closed")
        self.take()
        return node


FIELDS_ANY = TEXT_FIELDS  # a word without a field: title, text or the gallery


def _shown(token: _Token) -> str:
    value = token.value if token.kind != "phrase" else f'"{token.value}"'
    return repr(value[:40])


def _positive(node: Node, negated: bool = False) -> bool:
    """True when ``node`` can only match by finding a word (not by missing one)."""
    if isinstance(node, Term):
        return not negated
    if isinstance(node, Not):
        return _positive(node.part, not negated)
    combine: Callable[[Iterable[object]], bool] = any if isinstance(node, All) != negated else all
    return combine(_positive(part, negated) for part in node.parts)


def _triggers(node: Node) -> frozenset[str] | None:
    if isinstance(node, Term):
        return frozenset(node.words[:1])
    if isinstance(node, Not):
        return None
    parts = [_triggers(part) for part in node.parts]
    if isinstance(node, All):  # any one part that must match will do: the smallest
        known = [p for p in parts if p is not None]
        return min(known, key=len) if known else None
    if any(p is None for p in parts):
        return None
    return frozenset().union(*(p for p in parts if p is not None))


def _depth(root: Node) -> int:
    """How many levels the tree has (a lone word: 1), without recursion."""
    deepest, todo = 0, [(root, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Not):
            todo.append((node.part, depth + 1))
        elif isinstance(node, All | Any_):
            todo += [(part, depth + 1) for part in node.parts]
    return deepest


@lru_cache(maxsize=512)
def parse_query(text: str) -> Query:
    """The query ``text`` parsed, or :class:`QueryError` (one line). A query must look for
    at least one word: ``NOT Sport`` alone would match nearly everything."""
    if len(text) > QUERY_MAX_CHARS:
        raise QueryError(f"the query is longer than {QUERY_MAX_CHARS:,} characters")
    if not text.strip():
        raise QueryError("the query is empty")
    root = _Parser(text).parse()
    if _depth(root) > QUERY_MAX_DEPTH + 1:  # OR and AND inside parentheses add levels too
        raise QueryError(
            f"the query is nested deeper than {QUERY_MAX_DEPTH} levels (parentheses, NOT, fields)"
        )
    if not _positive(root):
        raise QueryError("the query only excludes words: give at least one word to look for")
    return Query(text, root)


def query_problem(text: str) -> str | None:
    """Why a search for ``text`` cannot be read (one line: a phrase not closed, OR at the
    end), None when it can or holds blanks alone (no search)."""
    if not text.strip():
        return None
    try:
        parse_query(text)
    except QueryError as exc:
        return str(exc)
    return None
