"""Stories in the store (both backends): each article's story, decided when it is stored.

Every article row holds ``story_id`` (the id of the article that started its story; its own
id when it stands alone) and ``story_relation`` ("new", "version", "update"). The poll
decides them in the transaction that stores the articles (:meth:`_assign_stories`, as the
watchlists match there), through the :class:`StoryAssigner` it gave the store; without one,
each article stands alone. The store also hands out what a starting process needs to
rebuild its story index (:meth:`story_window`) and the stories with their versions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from newsroom_tui.store.rows import Transaction, summary_from_row, to_db_time, utc_key
from newsroom_tui.store.store_hooks import StoreHooks

if TYPE_CHECKING:  # the records: imported where they are made (not at the reader's start)
    from newsroom_tui.store.story_records import Arrival, Story, StoryAssigner, StoryVersion
    from newsroom_tui.stories import StoryArticle

# versions of one story read at most (a story is a handful; a runaway one stays bounded)
MOST_VERSIONS = 200


def _aware(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class StoryTables(StoreHooks):
    """The part of :class:`SQLStore` that keeps stories; it uses the store's hooks."""

    # set by the poll (newsroom_tui/ingest/story_assignment.py); None: each article alone
    story_assigner: StoryAssigner | None = None
    # True: the backend's insert writes each article standing alone (``story_id`` its own
    # id, relation "new"), so only the articles the assigner joins to a story are updated
    STANDS_ALONE_ON_INSERT = False

    @property
    def _summary_columns(self) -> str:
        raise NotImplementedError

    # writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _stories_kept(self) -> Iterator[None]:
        """Around a transaction that assigns stories: when it does not commit, the assigner
        forgets what it decided (those ids may be given to other articles)."""
        try:
            yield
        except BaseException:
            assigner = self.story_assigner
            if assigner is not None:
                assigner.forget()
            raise

    def _assign_stories(self, tx: Transaction, arrivals: Sequence[Arrival]) -> None:
        """Give the articles just inserted in ``tx`` their stories."""
        if not arrivals:
            return
        assigner = self.story_assigner
        if assigner is None:
            decided = [(article_id, article_id, "new") for _, article_id, _, _ in arrivals]
        else:
            decided = assigner.decide(arrivals)
        alone = self.STANDS_ALONE_ON_INSERT
        tx.executemany(
            "UPDATE articles SET story_id = ?, story_relation = ? WHERE id = ?",
            [
                (story_id, relation, article_id)
                for article_id, story_id, relation in decided
                if not (alone and story_id == article_id and relation == "new")
            ],
        )
        grown = sorted({story_id for _, story_id, relation in decided if relation != "new"})
        # the list asks about a story only where ``story_size`` says there is one
        tx.executemany(
            """UPDATE articles SET story_size = (SELECT COUNT(*) FROM articles b
               WHERE b.story_id = ?) WHERE story_id = ?""",
            [(story_id, story_id) for story_id in grown],
        )
        feed_of = {article_id: feed_id for feed_id, article_id, _, _ in arrivals}
        for article_id, story_id, relation in decided:
            if relation == "update":
                self._claim_for_story(tx, article_id, feed_of[article_id], story_id)

    def _claim_for_story(
        self, tx: Transaction, article_id: int, feed_id: int, story_id: int
    ) -> None:
        """An update joins a story one of whose articles someone claimed (the first claim of
        it, if several): the update is claimed for that person, and every reader told."""
        row = tx.execute(
            """SELECT claimed_by FROM articles
               WHERE story_id = ? AND id <> ? AND claimed_by IS NOT NULL
               ORDER BY claimed_at, id LIMIT 1""",
            (story_id, article_id),
        ).fetchone()
        if row is None:
            return
        claimed = tx.execute(
            """UPDATE articles SET claimed_by = ?, claimed_at = ?
               WHERE id = ? AND claimed_by IS NULL""",
            (row[0], to_db_time(datetime.now(UTC)), article_id),
        ).rowcount
        if claimed:
            # base imports this module: its names are taken when first needed
            from newsroom_tui.store.base import ChangeKind, StoreChange

            change = StoreChange(
                ChangeKind.ARTICLE, article_id=article_id, feed_id=feed_id, user=row[0]
            )
            self._announce(tx, change)

    # reading -----------------------------------------------------------------------------

    def story_window(
        self, now: datetime, window: timedelta, most: int, after: int = 0
    ) -> list[tuple[StoryArticle, int]]:
        """The articles of ``window`` before the newest one stored (by their date, or when
        fetched; never later than ``now``), the newest ``most`` of them, oldest first, each
        with its story id: what a story index is rebuilt from
        (:meth:`newsroom_tui.stories.StoryIndex.remember`). With ``after``, only those of a
        larger id (stored since an index was made)."""
        from newsroom_tui.stories import StoryArticle

        newest = self._query("SELECT MAX(sort_key) FROM articles")[0][0]
        if newest is None:
            return []
        end = min(datetime.fromisoformat(newest).replace(tzinfo=UTC), now)
        rows = self._query(
            """SELECT id, feed_id, title, CASE WHEN body <> '' THEN body ELSE summary END,
                      published, fetched, COALESCE(story_id, id)
               FROM articles WHERE sort_key >= ? AND id > ?
               ORDER BY sort_key DESC, id DESC LIMIT ?""",
            (utc_key(end - window), after, most),
        )
        found = []
        for article_id, feed_id, title, text, published, fetched, story_id in rows:
            seen = _aware(fetched) or datetime.now(UTC)
            when = min(_aware(published) or seen, seen)
            found.append((StoryArticle(article_id, feed_id, title, text, when), story_id))
        found.sort(key=lambda pair: (pair[0].published, pair[0].id))
        return found

    def story_versions(self, story_id: int) -> list[StoryVersion]:
        """The articles of a story, earliest first (at most :data:`MOST_VERSIONS`)."""
        from newsroom_tui.store.story_records import StoryVersion

        rows = self._query(
            f"""SELECT {self._summary_columns}, a.story_relation FROM articles a
                JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = ?
                ORDER BY a.sort_key, a.id LIMIT ?""",
            (story_id, MOST_VERSIONS),
        )
        return [StoryVersion(summary_from_row(r[:-1]), r[-1]) for r in rows]

    def stories(self, limit: int | None = 20) -> list[Story]:
        """The stories told more than once, the one with the newest version first, each with
        its versions earliest first (at most :data:`MOST_VERSIONS`): one query for all."""
        from newsroom_tui.store.story_records import Story, StoryVersion

        rows = self._query(
            f"""WITH shown AS (
                    SELECT story_id, MAX(sort_key) AS newest FROM articles
                    WHERE story_relation <> 'new' GROUP BY story_id
                    ORDER BY newest DESC, story_id DESC
                    {"LIMIT ?" if limit is not None else ""}),
                ranked AS (
                    SELECT a.id, s.newest, ROW_NUMBER() OVER (
                        PARTITION BY a.story_id ORDER BY a.sort_key, a.id) AS n
                    FROM shown s JOIN articles a ON a.story_id = s.story_id)
                SELECT {self._summary_columns}, a.story_relation, a.story_id
                FROM ranked r JOIN articles a ON a.id = r.id JOIN feeds f ON f.id = a.feed_id
                WHERE r.n <= ?
                ORDER BY r.newest DESC, a.story_id DESC, a.sort_key, a.id""",
            [*([limit] if limit is not None else []), MOST_VERSIONS],
        )
        by_story: dict[int, list[StoryVersion]] = {}
        for *summary, relation, story_id in rows:
            version = StoryVersion(summary_from_row(tuple(summary)), relation)
            by_story.setdefault(story_id, []).append(version)
        return [
            Story(story_id, tuple(versions))
            for story_id, versions in by_story.items()
            if len(versions) > 1
        ]
