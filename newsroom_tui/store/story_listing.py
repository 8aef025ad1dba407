"""A list of stories, not articles: the SQL that shows a story once (both backends).

An article row holds ``story_size``, how many articles its story had when it last grew (1:
it stands alone; kept by the poll's write in :mod:`.story_tables`, so that the list asks
about a story only where there is one). A list of stories holds, of each story's articles
that the filter holds, one: the earliest (a search: the newest hit). It is the filter's
condition and "no earlier article of the same story holds it too", a look-up in the index
(story_id, sort_key, id) made for articles of a story only: a cache of 1,000,000 articles,
most of them alone, is counted and paged as its list of articles is.
"""

from __future__ import annotations

import re

# what a list row says of the article's story: how many sources tell it, the one that had
# it first (each a look-up of the story's few articles, for an article of a story only)
STORY_COLUMNS = """CASE WHEN a.story_size > 1 THEN (SELECT COUNT(DISTINCT s.feed_id)
        FROM articles s WHERE s.story_id = a.story_id) ELSE 1 END,
    CASE WHEN a.story_size > 1 THEN (SELECT COALESCE(g.title, g.url) FROM articles s
        JOIN feeds g ON g.id = s.feed_id WHERE s.story_id = a.story_id
        ORDER BY s.sort_key, s.id LIMIT 1) END"""

_OF_A = re.compile(r"\ba\.")


def one_per_story(
    clauses: list[str], params: list[object], *, newest: bool = False
) -> tuple[list[str], list[object]]:
    """``clauses`` on article ``a`` (with ``params``) and the condition that ``a`` is the
    earliest article of its story that they hold (``newest``: the newest one)."""
    theirs = [_OF_A.sub("b.", clause) for clause in clauses]
    before = ">" if newest else "<"
    probe = " AND ".join(
        [
            "b.story_id = a.story_id",
            f"(b.sort_key, b.id) {before} (a.sort_key, a.id)",
            *theirs,
        ]
    )
    alone = f"(a.story_size = 1 OR NOT EXISTS (SELECT 1 FROM articles b WHERE {probe}))"
    return [*clauses, alone], [*params, *params]


def count_stories(condition: str, params: list[object]) -> tuple[str, list[object]]:
    """How many rows a list of stories of ``condition`` (on article ``a``, with ``params``)
    has, and its parameters: its articles alone, and the stories of the others, each
    counted once. As many as :func:`one_per_story` lists (each story that holds an article
    of the condition once), read from two scans of the indexes, with no look-up per
    article of a story."""
    sql = f"""SELECT (SELECT COUNT(*) FROM articles a WHERE a.story_size = 1 AND {condition})
        + (SELECT COUNT(DISTINCT a.story_id) FROM articles a
           WHERE a.story_size > 1 AND {condition})"""
    return sql, [*params, *params]
