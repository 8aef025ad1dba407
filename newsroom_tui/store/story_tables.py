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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from newsroom_tui.models import ArticleSummary, NewArticle
from newsroom_tui.store.rows import Row, Transaction, summary_from_row, utc_key

if TYPE_CHECKING:
    from newsroom_tui.stories import StoryArticle

# A newly stored article: its feed, its id, the article, when the poll got it
Arrival = tuple[int, int, NewArticle, datetime]

# versions of one story read at most (a story is a handful; a runaway one stays bounded)
MOST_VERSIONS = 200
RELATIONS = ("new", "version", "update")


class StoryAssigner(Protocol):
    """What the store asks, in the transaction storing new articles, for their stories."""

    def decide(self, arrivals: Sequence[Arrival]) -> list[tuple[int, int, str]]:
        """(article id, story id, relation) for each arrival."""
        ...

    def forget(self) -> None:
        """The transaction that stored the articles last decided did not commit."""
        ...


@dataclass(frozen=True)
class StoryVersion:
    """One article of a story and how it tells it ("new": it started the story)."""

    article: ArticleSummary
    relation: str

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"relation {self.relation!r} is none of {RELATIONS}")


@dataclass(frozen=True)
class Story:
    """A story told more than once: its id and its versions, earliest published first (who
    had it first)."""

    id: int
    versions: tuple[StoryVersion, ...]

    @property
    def first(self) -> ArticleSummary:
        return self.versions[0].article

    @property
    def sources(self) -> int:
        """How many feeds tell it."""
        return len({v.article.feed_id for v in self.versions})


def _aware(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class StoryTables:
    """The part of :class:`SQLStore` that keeps stories; it uses the store's hooks."""

    # set by the poll (newsroom_tui/ingest/story_assignment.py); None: each article alone
    story_assigner: StoryAssigner | None = None

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[Row]:
        raise NotImplementedError

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
        tx.executemany(
            "UPDATE articles SET story_id = ?, story_relation = ? WHERE id = ?",
            [(story_id, relation, article_id) for article_id, story_id, relation in decided],
        )

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
        rows = self._query(
            f"""SELECT {self._summary_columns}, a.story_relation FROM articles a
                JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = ?
                ORDER BY a.sort_key, a.id LIMIT ?""",
            (story_id, MOST_VERSIONS),
        )
        return [StoryVersion(summary_from_row(r[:-1]), r[-1]) for r in rows]

    def stories(self, limit: int | None = 20) -> list[Story]:
        """The stories told more than once, the one with the newest version first."""
        rows = self._query(
            f"""SELECT story_id FROM articles WHERE story_relation <> 'new'
                GROUP BY story_id ORDER BY MAX(sort_key) DESC, story_id DESC
                {"LIMIT ?" if limit is not None else ""}""",
            [limit] if limit is not None else [],
        )
        found = []
        for (story_id,) in rows:
            versions = self.story_versions(story_id)
            if len(versions) > 1:
                found.append(Story(story_id, tuple(versions)))
        return found
