"""A search's query as SQL: the query language of watchlists (:mod:`~newsroom_tui.text.
search_query`: words as folded prefixes, phrases, OR, NOT, parentheses, ``feed:``,
``category:``, ``credit:``, ``title:``) made a condition on article ``a`` of each backend,
so that a search finds exactly the articles a watchlist of the same query matches.

The words go to the backend's full-text index: SQLite's FTS5 (columns ``title``, ``body``
with the summary, ``credits`` with the gallery's captions) and PostgreSQL's search vector
(the title weighted ``A``, the rest ``D``). FTS5 has no NOT of its own, only ``x NOT y``, so a
part of the query is written either as an FTS5 query or as the NOT of one (``Polizei NOT
Bochum`` is ``"polizei"* NOT "bochum"*``; ``Feuer OR NOT Bochum`` the NOT of ``"bochum"* NOT
"feuer"*``): every query that looks for a word is a positive FTS5 query when the feed's
fields are left aside. ``feed:`` and ``category:`` are decided per feed, in Python, as a
watchlist decides them: a list of feed ids. PostgreSQL's vector cannot tell the credits from
the body: ``credit:`` there reads the gallery of the articles whose vector holds the words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from newsroom_tui.text.search_query import (
    TEXT_FIELDS,
    All,
    Any_,
    Node,
    Not,
    Query,
    Term,
    phrase_found,
)
from newsroom_tui.text.search_text import fold

QueryRows = Callable[[str, Sequence[object]], list[Any]]
FEEDS_SQL = "SELECT id, COALESCE(title, url), category FROM feeds"
# the FTS5 column of each field a word may have (a word without one: every column)
_FTS_COLUMNS = {"title": "title", "credit": "credits"}
_FTS_HITS = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


@dataclass(frozen=True)
class SearchPlan:
    """A search as SQL: ``match``, an FTS5 query every hit matches (SQLite's; None: the
    query has none, or PostgreSQL), and ``condition`` on article ``a`` ("" for none) with
    ``params``."""

    match: str | None
    condition: str
    params: tuple[object, ...]

    def clause(self) -> tuple[str, list[object]]:
        """The whole search as one condition on article ``a``."""
        parts, params = [], list(self.params)
        if self.match is not None:
            parts.append(f"a.id IN ({_FTS_HITS})")
            params.insert(0, self.match)
        if self.condition:
            parts.append(f"({self.condition})")
        return " AND ".join(parts), params


class _FeedFields:
    """A feed's name and category folded, asked as an article's fields are."""

    def __init__(self, name: str | None, category: str | None) -> None:
        self._plain = {"feed": fold(name), "category": fold(category)}

    def has_phrase(self, name: str, words: Sequence[str]) -> bool:
        return phrase_found(self._plain[name], words)


class _Translation:
    """The SQL of one query; ``indexed`` tells the terms the backend's index answers."""

    def __init__(self, rows: QueryRows) -> None:
        self.rows = rows
        self._feeds: list[tuple[int, _FeedFields]] | None = None

    def indexed(self, term: Term) -> bool:
        return not term.per_feed

    def index_sql(self, node: Node) -> tuple[str, list[object]]:
        raise NotImplementedError

    def all_indexed(self, node: Node) -> bool:
        if isinstance(node, Term):
            return self.indexed(node)
        if isinstance(node, Not):
            return self.all_indexed(node.part)
        return all(self.all_indexed(part) for part in node.parts)

    def sql(self, node: Node) -> tuple[str, list[object]]:
        if node.per_feed:
            return self.feed_sql(node)
        if self.all_indexed(node):
            return self.index_sql(node)
        if isinstance(node, Not):
            inner, params = self.sql(node.part)
            return f"NOT ({inner})", params
        assert isinstance(node, All | Any_)
        joined = All if isinstance(node, All) else Any_
        groups: list[Node] = []
        feed_parts = [part for part in node.parts if part.per_feed]
        indexed = [p for p in node.parts if not p.per_feed and self.all_indexed(p)]
        rest = [p for p in node.parts if not p.per_feed and not self.all_indexed(p)]
        for group in (feed_parts, indexed):
            if group:
                groups.append(group[0] if len(group) == 1 else joined(tuple(group)))
        parts = [self.sql(part) for part in (*groups, *rest)]
        glue = " AND " if joined is All else " OR "
        return glue.join(f"({s})" for s, _ in parts), [p for _, ps in parts for p in ps]

    def feed_sql(self, node: Node) -> tuple[str, list[object]]:
        """A part the feed alone decides: the ids of the feeds it matches."""
        if self._feeds is None:
            self._feeds = [
                (feed_id, _FeedFields(name, category))
                for feed_id, name, category in self.rows(FEEDS_SQL, ())
            ]
        ids = [feed_id for feed_id, fields in self._feeds if node.matches(fields)]
        if not ids:
            return "1 = 0", []
        return f"a.feed_id IN ({', '.join('?' * len(ids))})", list(ids)


def _fts_phrase(term: Term) -> str:
    column = "" if term.fields == TEXT_FIELDS else f"{_FTS_COLUMNS[term.fields[0]]} : "
    return f'{column}"{" ".join(term.words)}"*'


def fts_form(node: Node) -> tuple[bool, str]:
    """``node`` as (True, an FTS5 query that matches as it does) or (False, one whose NOT
    does). FTS5 knows ``x NOT y`` alone: a NOT joins a positive part or stays outside."""
    if isinstance(node, Term):
        return True, _fts_phrase(node)
    if isinstance(node, Not):
        positive, expr = fts_form(node.part)
        return not positive, expr
    forms = [fts_form(part) for part in node.parts]
    pos = [f"({expr})" for positive, expr in forms if positive]
    neg = [f"({expr})" for positive, expr in forms if not positive]
    if isinstance(node, All):  # a AND b AND NOT c AND NOT d: (a AND b) NOT (c OR d)
        if not pos:
            return False, " OR ".join(neg)
        both = " AND ".join(pos)
        return True, f"({both}) NOT ({' OR '.join(neg)})" if neg else both
    if not neg:
        return True, " OR ".join(pos)
    # NOT c OR NOT d OR a: NOT ((c AND d) NOT a)
    either = " AND ".join(neg)
    return False, f"({either}) NOT ({' OR '.join(pos)})" if pos else either


class _SQLiteTranslation(_Translation):
    def index_sql(self, node: Node) -> tuple[str, list[object]]:
        positive, expr = fts_form(node)
        return f"a.id {'' if positive else 'NOT '}IN ({_FTS_HITS})", [expr]


def sqlite_plan(query: Query, rows: QueryRows) -> SearchPlan:
    """``query`` on SQLite: its FTS5 query when the whole query (or, of words side by side,
    those the index answers) is one, for the index's newest hits first (see
    :mod:`.newest_hits`); the feed's fields and what else there is as a condition."""
    translation = _SQLiteTranslation(rows)
    root = query.root
    parts = root.parts if isinstance(root, All) else (root,)
    indexed = [p for p in parts if not p.per_feed and translation.all_indexed(p)]
    if indexed:
        positive, match = fts_form(indexed[0] if len(indexed) == 1 else All(tuple(indexed)))
        if positive:
            rest = [p for p in parts if not any(p is i for i in indexed)]
            if not rest:
                return SearchPlan(match, "", ())
            condition, params = translation.sql(rest[0] if len(rest) == 1 else All(tuple(rest)))
            return SearchPlan(match, condition, tuple(params))
    condition, params = translation.sql(root)
    return SearchPlan(None, condition, tuple(params))


def _ts_phrase(term: Term, weight: str = "") -> str:
    """A term as tsquery: its words in a row (``<->``), the last a prefix; ``weight``: the
    title's ``A`` or the rest's ``D``."""
    words = [f"'{w}':{weight}" if weight else f"'{w}'" for w in term.words[:-1]]
    words.append(f"'{term.words[-1]}':*{weight}")
    return " <-> ".join(words)


def ts_query(node: Node) -> str:
    """``node`` as a PostgreSQL tsquery over the search vector (no ``credit:`` in it)."""
    if isinstance(node, Term):
        if node.fields == ("title",):
            return _ts_phrase(node, "A")
        if len(node.words) == 1:
            return _ts_phrase(node)
        # a phrase stays within the title or within the rest, as in a watchlist
        return f"({_ts_phrase(node, 'A')}) | ({_ts_phrase(node, 'D')})"
    if isinstance(node, Not):
        return f"!({ts_query(node.part)})"
    glue = " & " if isinstance(node, All) else " | "
    return glue.join(f"({ts_query(part)})" for part in node.parts)


class _PostgresTranslation(_Translation):
    def indexed(self, term: Term) -> bool:
        return term.fields != ("credit",) and not term.per_feed

    def sql(self, node: Node) -> tuple[str, list[object]]:
        if isinstance(node, Term) and node.fields == ("credit",):
            return self.credit_sql(node)
        return super().sql(node)

    def index_sql(self, node: Node) -> tuple[str, list[object]]:
        return "a.search @@ to_tsquery('simple', ?)", [ts_query(node)]

    def credit_sql(self, term: Term) -> tuple[str, list[object]]:
        """``credit:``: the articles whose vector holds the words, their gallery's captions
        and credits read as a watchlist reads them."""
        rows = self.rows(
            """SELECT g.article_id, string_agg(g.caption || ' ' || COALESCE(g.credit, ''),
                   ' ' ORDER BY g.position)
               FROM gallery_items g WHERE g.article_id IN
                   (SELECT a.id FROM articles a WHERE a.search @@ to_tsquery('simple', ?))
               GROUP BY g.article_id""",
            (_ts_phrase(Term(term.words, TEXT_FIELDS)),),
        )
        ids = [article_id for article_id, text in rows if phrase_found(fold(text), term.words)]
        if not ids:
            return "1 = 0", []
        return "a.id = ANY(?)", [ids]


def postgres_plan(query: Query, rows: QueryRows) -> SearchPlan:
    """``query`` on PostgreSQL: one condition on the search vector (and the feeds')."""
    condition, params = _PostgresTranslation(rows).sql(query.root)
    return SearchPlan(None, condition, tuple(params))
