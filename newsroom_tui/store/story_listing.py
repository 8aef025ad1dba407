"""A list of stories, not articles: the SQL that shows a story once (both backends).

An article row holds ``story_size``, how many articles its story had when it last grew (1:
it stands alone; kept by the poll's write in :mod:`.story_tables`, so that the list asks
about a story only where there is one). A list of stories holds, of each story's articles
that the filter holds, one: the newest, at its time (a new version brings the story up, as
a mail client a thread with a new message); the row is unread while any version the filter
holds is. It is the filter's condition and "no newer article of the same story holds it
too", a look-up in the story index (story_id, sort_key, and what a filter reads) made for
articles of a story only, so a page costs what a page of the list of articles does. The
count makes no look-up at all: it counts the distinct stories the filter holds from the
indexes (1,000,000 articles, a tenth in stories of three: 215 ms, against 150 ms for the
list of articles; bench/RESULTS.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsroom_tui.store.base import StoryTotals
from newsroom_tui.store.store_hooks import StoreHooks

if TYPE_CHECKING:
    from newsroom_tui.store.base import ArticleFilter

# what a list row says of the article's story: how many sources tell it, the one that had
# it first, when its newest update came (published, else fetched: never NULL where there is
# one); each a look-up of the story's few articles, for an article of a story only
STORY_COLUMNS = """CASE WHEN a.story_size > 1 THEN (SELECT COUNT(DISTINCT s.feed_id)
        FROM articles s WHERE s.story_id = a.story_id) ELSE 1 END,
    CASE WHEN a.story_size > 1 THEN (SELECT COALESCE(g.title, g.url) FROM articles s
        JOIN feeds g ON g.id = s.feed_id WHERE s.story_id = a.story_id
        ORDER BY s.sort_key, s.id LIMIT 1) END,
    CASE WHEN a.story_size > 1 THEN (SELECT COALESCE(s.published, s.fetched) FROM articles s
        WHERE s.story_id = a.story_id AND s.story_relation = 'update'
        ORDER BY s.sort_key DESC, s.id DESC LIMIT 1) END"""


def story_counts(read: str) -> str:
    """Two columns of a grouped count of articles ``a``: the stories and the unread stories
    (with an article that ``read`` does not hold) among them, each once. An article alone
    (``story_size`` 1) is its own story; the others count by their story id, from the
    same index the count of articles reads."""
    return f"""SUM(CASE WHEN a.story_size = 1 THEN 1 ELSE 0 END)
            + COUNT(DISTINCT CASE WHEN a.story_size > 1 THEN a.story_id END),
        SUM(CASE WHEN a.story_size = 1 AND NOT {read} THEN 1 ELSE 0 END)
            + COUNT(DISTINCT CASE WHEN a.story_size > 1 AND NOT {read} THEN a.story_id END)"""


_OF_A = re.compile(r"\ba\.")


def one_per_story(
    clauses: list[str],
    params: list[object],
    *,
    unread: str | None = None,
    kept: tuple[list[str], list[object]] | None = None,
) -> tuple[list[str], list[object]]:
    """``clauses`` on article ``a`` (with ``params``) and the condition that ``a`` is the
    newest article of its story that they hold; ``unread`` (the backend's condition that
    ``a`` is unread): only a story with an unread version among those ``kept`` (clauses and
    parameters: the filter's but a search's; a story found by a search is unread while a
    version of it is, as in the list), the same row as without it (a story read but for its
    newest version shows where the list of all has it)."""
    newer = _versions(clauses, "(b.sort_key, b.id) > (a.sort_key, a.id)")
    shown = [*clauses, f"(a.story_size = 1 OR NOT EXISTS ({newer}))"]
    if unread is None:
        return shown, [*params, *params]
    among, among_params = kept if kept is not None else (clauses, params)
    return [*shown, any_version_unread(unread, among)], [*params, *params, *among_params]


def any_version_unread(unread: str, clauses: list[str]) -> str:
    """The condition that ``a`` (``unread``: the backend's condition that it is unread) or
    another version of its story that ``clauses`` hold is unread; ``clauses``' parameters
    once."""
    return f"({unread} OR (a.story_size > 1 AND EXISTS ({_versions(clauses, _of_b(unread))})))"


def story_read(read: str, unread: str, clauses: list[str]) -> str:
    """The read column of a list of stories' row ``a``: no version of its story that
    ``clauses`` (the filter's but a search's) hold is unread (a new version of a story
    read makes it unread again); ``clauses``' parameters once."""
    return (
        f"CASE WHEN a.story_size > 1 THEN NOT EXISTS ({_versions(clauses, _of_b(unread))}) "
        f"ELSE {read} END"
    )


def _of_b(clause: str) -> str:
    return _OF_A.sub("b.", clause)


def _versions(clauses: list[str], condition: str) -> str:
    """A SELECT of the articles ``b`` of ``a``'s story (``a`` among them) that ``clauses`` (on
    ``a``) hold and ``condition`` (on ``b``) too."""
    theirs = [_of_b(clause) for clause in clauses]
    probe = " AND ".join(["b.story_id = a.story_id", condition, *theirs])
    return f"SELECT 1 FROM articles b WHERE {probe}"


class StoryListing(StoreHooks):
    """The part of :class:`~newsroom_tui.store.sql_store.SQLStore` that counts a list of
    stories and finds what "all shown" of one covers."""

    # True: the backend counts the distinct story ids of a list in one ordered scan of the
    # story index (SQLite); False: it counts the articles alone and sorts the others' ids
    DISTINCT_BY_INDEX = False
    READ_EXPR: str
    UNREAD_EXPR: str

    def _where(self, where: ArticleFilter) -> tuple[str, list[object]]:
        raise NotImplementedError

    def _conditions(self, where: ArticleFilter) -> tuple[list[str], list[object]]:
        raise NotImplementedError

    def _count_stories_sql(self, where: ArticleFilter) -> tuple[str, list[object]]:
        """The statement that counts as many as the list of stories of ``where`` holds (each
        story with an article ``where`` holds once), from scans of the indexes, with no
        look-up per article."""
        clauses, params = self._conditions(where)
        condition = " AND ".join(clauses) if clauses else "1 = 1"
        if self.DISTINCT_BY_INDEX:
            # an article alone is a story of its own id; one stored without a story (a
            # sync's) has none
            sql = f"""SELECT (SELECT COUNT(DISTINCT a.story_id) FROM articles a
                    WHERE {condition})
                + (SELECT COUNT(*) FROM articles a WHERE a.story_id IS NULL AND {condition})"""
        else:
            sql = f"""SELECT (SELECT COUNT(*) FROM articles a
                    WHERE a.story_size = 1 AND {condition})
                + (SELECT COUNT(DISTINCT a.story_id) FROM articles a
                   WHERE a.story_size > 1 AND {condition})"""
        return sql, [*params, *params]

    def story_totals(self) -> StoryTotals:
        """See :meth:`newsroom_tui.store.base.Store.story_totals`: one statement, the totals
        in a row of their own (no category), then a row per category of the feeds (its
        unread stories)."""
        rows = self._query(self._story_totals_sql)
        totals = next(row for row in rows if row[0] is None)
        return StoryTotals(
            int(totals[1]),
            int(totals[2]),
            {str(row[0]): int(row[2]) for row in rows if row[0] is not None},
        )

    @property
    def _story_totals_sql(self) -> str:
        # An article alone counts as itself: per feed, its articles alone are counted in
        # the feed's stretch of the state index (no article is sorted or kept). Only a
        # story's articles (a tenth, say) are kept, once per feed and story, for the
        # distinct stories of all feeds and of each category's. A category holds its
        # feeds and those of the categories nested in it, as the filter of one does
        # (sql_store.like_prefix, here in SQL).
        unread = f"CASE WHEN {self.READ_EXPR} THEN 0 ELSE 1 END"
        nested = r"(REPLACE(REPLACE(REPLACE(c.name, '\', '\\'), '%', '\%'), '_', '\_') || '/%')"
        return f"""WITH alone AS (
                SELECT a.feed_id, COUNT(*) AS listed, SUM({unread}) AS unread
                FROM articles a WHERE NOT a.done AND a.story_size = 1 GROUP BY a.feed_id),
            told AS (
                SELECT a.feed_id, a.story_id, MAX({unread}) AS unread
                FROM articles a WHERE NOT a.done AND a.story_size > 1
                GROUP BY a.feed_id, a.story_id),
            member AS (
                SELECT c.name, f.id AS feed_id
                FROM (SELECT DISTINCT category AS name FROM feeds
                      WHERE category IS NOT NULL AND category <> '') c
                JOIN feeds f ON f.category = c.name OR f.category LIKE {nested} ESCAPE '\\')
            SELECT NULL,
                (SELECT COALESCE(SUM(listed), 0) FROM alone)
                    + (SELECT COUNT(DISTINCT story_id) FROM told),
                (SELECT COALESCE(SUM(unread), 0) FROM alone)
                    + (SELECT COUNT(DISTINCT story_id) FROM told WHERE unread = 1)
            UNION ALL
            SELECT m.name, NULL, COALESCE(SUM(al.unread), 0) + COALESCE(MAX(st.stories), 0)
            FROM member m LEFT JOIN alone al ON al.feed_id = m.feed_id
            LEFT JOIN (SELECT n.name, COUNT(DISTINCT t.story_id) AS stories
                       FROM member n JOIN told t ON t.feed_id = n.feed_id
                       WHERE t.unread = 1 GROUP BY n.name) st ON st.name = m.name
            GROUP BY m.name"""

    def unread_shown(self, where: ArticleFilter) -> list[int]:
        """The ids of the unread articles "all shown" of ``where`` marks read, in order: what
        an undo of it marks unread again."""
        shown, params = self._shown_ids(where)
        rows = self._query(
            f"SELECT a.id FROM articles a WHERE a.id IN ({shown}) AND {self.UNREAD_EXPR} "
            "ORDER BY a.id",
            params,
        )
        return [int(row[0]) for row in rows]

    def _shown_ids(self, where: ArticleFilter) -> tuple[str, list[object]]:
        """A SELECT of the ids of the articles ``where`` shows (of a story shown once: all
        its versions), with its parameters: what "all shown" marks."""
        clause, params = self._where(where)
        shown = f"SELECT a.id FROM articles a {clause}"
        if not where.stories:
            return shown, params
        return (
            f"""SELECT b.id FROM articles b WHERE b.story_id IN
                (SELECT a.story_id FROM articles a {clause}) UNION {shown}""",
            [*params, *params],
        )
