"""The records of stories across sources that every layer passes: a story with its versions,
and what the store asks of the poll's story matching (``StoryAssigner``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsroom_tui.models import ArticleSummary, NewArticle

# A newly stored article: its feed, its id, the article, when the poll got it
Arrival = tuple[int, int, NewArticle, datetime]

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
