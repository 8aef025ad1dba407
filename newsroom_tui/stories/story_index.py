"""Stories across sources: each new article joins the story of the stored article it tells
again (a version) or updates, or starts a story of its own.

The poll calls :meth:`StoryIndex.assign` for each new article and stores the decision's
story id and relation with it; the story id of a new story is the article's own id, so the
earliest article of a story names it. A process that starts (a reader, a second poller)
rebuilds the index from the stored articles of the last :data:`WINDOW` with
:meth:`StoryIndex.remember`, giving each its stored story id.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newsroom_tui.models import NewArticle
from newsroom_tui.stories.features import Features, make_features, story_text
from newsroom_tui.stories.index import MOST, CandidateIndex
from newsroom_tui.stories.matcher import Verdict, judge

WINDOW = timedelta(hours=48)
# candidates judged in full for each new article, the best by shared rare keys
CANDIDATES = 16
# a shingle in more articles than this is a source's boilerplate, not a shared text
BOILERPLATE_SHINGLE = 6
RELATIONS = ("new", "version", "update")


@dataclass(frozen=True)
class StoryArticle:
    """What story matching needs of an article: its key in the store (``id``), the feed,
    title, plain text (body or summary) and when it was published (or first seen)."""

    id: Hashable
    feed: Hashable
    title: str
    text: str
    published: datetime

    def __post_init__(self) -> None:
        if self.published.tzinfo is None:
            raise ValueError(f"article {self.id!r}: published needs a time zone")

    @classmethod
    def of_new_article(
        cls, article_id: Hashable, feed_id: Hashable, article: NewArticle, seen: datetime
    ) -> StoryArticle:
        """An article parsed by the poll and stored as ``article_id``: its body's plain text
        (or the summary), published when it says, but never later than ``seen`` (when the
        poll got it): a date in the future would push the window past every other article."""
        published = min(article.published or seen, seen)
        return cls(article_id, feed_id, article.title, story_text(article), published)


@dataclass(frozen=True)
class StoryDecision:
    """The story an article belongs to: ``story_id`` (the id of the story's earliest
    article), ``relation`` ("new": it starts the story; "version": it tells it again;
    "update": it adds to it) and the stored article it matched (None for "new")."""

    story_id: Hashable
    relation: str
    matched_article_id: Hashable | None = None
    reason: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"relation {self.relation!r} is none of {RELATIONS}")
        if (self.relation == "new") != (self.matched_article_id is None):
            raise ValueError("a new story matches no article; a version or update matches one")


class StoryIndex:
    """The articles of the last 48 hours (before the newest one seen; at most ``most``, the
    oldest leave first) and their stories. With ``count_only`` the articles stay until
    ``most`` newer ones push them out (a poll stores a feed's week before the next feed's:
    the newest article is not the last one to come); an article still matches only those
    within ``window`` of it."""

    def __init__(
        self, window: timedelta = WINDOW, most: int = MOST, *, count_only: bool = False
    ) -> None:
        self._index = CandidateIndex(window, most, count_only=count_only)
        self._features: dict[Hashable, Features] = {}
        self._story: dict[Hashable, Hashable] = {}

    def __len__(self) -> int:
        return len(self._index)

    def assign(self, article: StoryArticle, features: Features | None = None) -> StoryDecision:
        """The story of a new article, and the article remembered with it. An article is
        assigned once, when it is stored; its id assigned again is decided anew.
        ``features``: the article's, made already (by the worker process that built it)."""
        if features is None:
            features = make_features(article.title, article.text)
        best: tuple[Verdict, Hashable] | None = None
        candidates, common = self._index.candidates(
            features.keys, article.published, CANDIDATES, BOILERPLATE_SHINGLE
        )
        # the article's shingles but those many stored articles have (a source's
        # boilerplate the stripping did not know)
        rare = features.shingles - common if common else features.shingles
        for entry in candidates:
            if entry == article.id:
                continue
            verdict = judge(features, self._features[entry], rare)
            # candidates come best first: of equal verdicts, the first one (taken in earlier)
            if verdict.relation and (best is None or verdict.score > best[0].score):
                best = (verdict, entry)
        if best is None:
            decision = StoryDecision(article.id, "new")
        else:
            verdict, entry = best
            decision = StoryDecision(
                self._story[entry], verdict.relation or "version", entry, verdict.reason
            )
        self._add(article, features, decision.story_id)
        return decision

    def remember(self, article: StoryArticle, story_id: Hashable) -> None:
        """Take in a stored article with the story id it was given (rebuilding the index)."""
        self._add(article, make_features(article.title, article.text), story_id)

    def trim(self) -> None:
        """Forget the articles older than the window before the newest one (an index made
        with ``count_only`` keeps them until then)."""
        for gone in self._index.trim():
            self._features.pop(gone, None)
            self._story.pop(gone, None)

    def story_of(self, article_id: Hashable) -> Hashable | None:
        """The story of an article still in the window, or None."""
        return self._story.get(article_id) if article_id in self._index else None

    def _add(self, article: StoryArticle, features: Features, story_id: Hashable) -> None:
        self._features[article.id] = features
        self._story[article.id] = story_id
        for gone in self._index.add(article.id, article.published, features.keys):
            self._features.pop(gone, None)
            self._story.pop(gone, None)
