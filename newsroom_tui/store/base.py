"""The interface every store backend implements (SQLite now, a team server database later)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from newsroom_tui.models import Article, ArticleSummary, Feed, NewArticle


class StoreError(Exception):
    """A store problem explained in one line for the user (what, where, the way out).
    ``broken`` is True when the file itself is damaged or not a database: moving it aside
    (``newsroom --reset-cache``) is the way out."""

    def __init__(self, message: str, *, broken: bool = False) -> None:
        super().__init__(message)
        self.broken = broken


@dataclass
class FeedUpdate:
    """Everything one successful poll of one feed changes; applied in one transaction."""

    polled_at: datetime
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    articles: list[NewArticle] = field(default_factory=list)
    notice: str | None = None  # e.g. "only the newest 1,000 of 10,000 entries kept"


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a list shows; every condition given must hold."""

    unread: bool = False
    flagged: bool = False
    feed_id: int | None = None
    category: str | None = None  # this category and the ones nested in it ("A" covers "A/B")
    search: str | None = None


ALL_ARTICLES = ArticleFilter()


@dataclass(frozen=True)
class FeedCounts:
    feed: Feed
    total: int
    unread: int


class Store(Protocol):
    def close(self) -> None: ...

    # feeds
    def add_feed(
        self, url: str, title: str | None = None, category: str | None = None
    ) -> tuple[Feed, bool]: ...
    def set_feed_category(self, url: str, category: str | None) -> bool: ...
    def remove_feed(self, url: str) -> bool: ...
    def feeds(self) -> list[Feed]: ...
    def feed_counts(self) -> list[FeedCounts]: ...
    def last_success(self) -> datetime | None: ...

    # polling
    def known_guids(self, feed_id: int, guids: Iterable[str]) -> set[str]: ...
    def save_feed_update(self, feed_id: int, update: FeedUpdate) -> int: ...
    def record_not_modified(self, feed_id: int, polled_at: datetime) -> None: ...
    def record_failure(
        self, feed_id: int, polled_at: datetime, error: str, retry_after: datetime | None = None
    ) -> None:
        """One more failed poll in a row: the error, when, and when to try again (None: at
        the next poll). The feed's articles stay."""
        ...

    # articles
    def articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]: ...
    def count_articles(self, where: ArticleFilter = ALL_ARTICLES) -> int: ...
    def article_position(self, where: ArticleFilter, article_id: int) -> int | None:
        """Index of the article in ``articles(where)``, or None when it is not there."""
        ...

    def next_unread_position(self, where: ArticleFilter, after: int) -> int | None:
        """Index of the first unread article after index ``after``, wrapping around."""
        ...

    def article(self, article_id: int) -> Article | None: ...
    def set_read(self, article_id: int, read: bool = True) -> None: ...
    def set_flagged(self, article_id: int, flagged: bool = True) -> None: ...
    def mark_all_read(self, where: ArticleFilter = ALL_ARTICLES) -> int: ...
