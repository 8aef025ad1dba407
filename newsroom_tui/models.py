"""Plain data records shared by every layer (no I/O, no UI)."""

from __future__ import annotations

from collections import Counter
from dataclasses import field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from newsroom_tui.records import record


@record(frozen=True)
class GalleryItem:
    """One image of an article: where it is, what it shows, who made it."""

    src: str
    caption: str
    credit: str | None = None


@record(frozen=True)
class CreditCount:
    """A photo credit and how many gallery images name it."""

    credit: str
    count: int


@record
class ExtractedPage:
    """What extraction gets out of one article page or feed content fragment."""

    title: str | None = None
    published: datetime | None = None
    body_markdown: str = ""
    gallery: list[GalleryItem] = field(default_factory=list)

    @property
    def credits(self) -> list[CreditCount]:
        return count_credits(self.gallery)


def count_credits(gallery: list[GalleryItem]) -> list[CreditCount]:
    """Each distinct credit once, with how many images carry it, in order of first appearance."""
    counts = Counter(item.credit for item in gallery if item.credit)
    return [CreditCount(credit, n) for credit, n in counts.items()]


class PollStatus(StrEnum):
    """What polling one feed came to."""

    UPDATED = "updated"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"
    SKIPPED = "skipped"  # left alone this time: waiting (retry_after), or another poller has it


@record(frozen=True)
class Feed:
    """A subscription as the cache holds it: its address, its state of polling and its
    settings."""

    id: int
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    error: str | None = None
    full_page: str = "auto"
    category: str | None = None
    failures: int = 0  # failed polls in a row; 0 after a success
    last_error_at: datetime | None = None  # when ``error`` happened
    retry_after: datetime | None = None  # not polled before this (Retry-After or back-off)
    notice: str | None = None  # a remark on the last successful poll ("only the newest …")
    # "feed": RSS, Atom or JSON Feed; "page": an HTML listing of announcements (a page source)
    kind: str = "feed"
    # a page source's CSS selectors from the config file: ("items", "div.meldung"), ...
    selectors: tuple[tuple[str, str], ...] = ()
    # ``title`` is a name the user set (OPML, newsboat "~Name", `newsroom rename`): polls keep it
    name_set: bool = False

    @property
    def display_name(self) -> str:
        return self.title or self.url

    def waiting(self, now: datetime | None = None) -> bool:
        """True while the feed is to be left alone (a server's Retry-After, or back-off)."""
        return self.retry_after is not None and self.retry_after > (now or datetime.now(UTC))

    @property
    def retry_text(self) -> str | None:
        """The wait as text, "retry after 14:30" (local time, with the date when it is not
        today), or None."""
        clock = self.retry_clock()
        return None if clock is None else f"retry after {clock}"

    @property
    def waiting_reason(self) -> str:
        """Why a waiting feed is left alone, as a skipped poll and the reader's status line
        give it: "retry after 14:30 (last error: …)"."""
        last = f" (last error: {self.error})" if self.error else ""
        return f"{self.retry_text}{last}"

    def retry_clock(self, now: datetime | None = None) -> str | None:
        """When the feed is tried again, "14:30" (local time, with the date when it is not
        today: "09.12. 14:30"), or None."""
        if self.retry_after is None:
            return None
        when = self.retry_after.astimezone()
        if when.date() == (now or datetime.now(UTC)).astimezone().date():
            return f"{when:%H:%M}"
        return f"{when:%d.%m. %H:%M}"


@record(bulk=True)
class ArticleSummary:
    """One row of the article list."""

    id: int
    feed_id: int
    feed: str
    url: str | None
    title: str
    published: datetime | None
    read: bool
    flagged: bool = False
    claimed_by: str | None = None  # who writes it up (shared inbox); None: nobody yet
    done: bool = False  # written up or dealt with (shared inbox)
    watched: bool = False  # matched a watchlist on arrival
    done_by: str | None = None  # who marked it done (the name chosen, as claimed_by)
    # the team database's account (role) that claimed it / marked it done: names are chosen
    # (--user), the role is what the server authenticated; None on the local cache
    claimed_role: str | None = None
    done_role: str | None = None
    # the story it is a version of: the id of the article that started it (its own id when it
    # stands alone; None where no story is kept)
    story_id: int | None = None
    # how many sources (feeds) tell its story, and the one that had it first (None: the
    # article stands alone)
    story_sources: int = 1
    story_first: str | None = None
    # when the story's newest update ("Nachtrag", "Korrektur") came out; None: it has none
    story_update: datetime | None = None


@record(bulk=True)
class Article(ArticleSummary):
    """An article with everything the detail pane shows."""

    summary: str = ""
    body_markdown: str = ""
    gallery: list[GalleryItem] = field(default_factory=list)

    @property
    def credits(self) -> list[CreditCount]:
        return count_credits(self.gallery)


@record(frozen=True)
class BodySource:
    """What an entry's body and summary are made from (HTML as the feed had it)."""

    summary_html: str
    content_html: str | None
    base_url: str | None

    def encode(self) -> str:
        import json  # where bodies are made (a poll), not at the reader's start

        return json.dumps([self.summary_html, self.content_html, self.base_url])

    @classmethod
    def decode(cls, text: str) -> BodySource:
        import json

        summary_html, content_html, base_url = json.loads(text)
        return cls(summary_html, content_html, base_url)

    @property
    def size(self) -> int:
        return len(self.summary_html) + len(self.content_html or "")


@record(bulk=True)
class NewArticle:
    """An article parsed from a feed (and maybe its page), ready to be stored.

    With ``source`` set (a :class:`BodySource`, encoded: one string crosses from the worker
    process cheaply), the Markdown is not made yet (see :mod:`newsroom_tui.ingest.article_body`):
    ``summary`` is empty and ``body_markdown`` holds the plain search text until the store
    renders the source, when the article is first read."""

    guid: str
    url: str | None
    title: str
    published: datetime | None
    summary: str = ""
    body_markdown: str = ""
    gallery: list[GalleryItem] = field(default_factory=list)
    source: str | None = None
    # its story matching's features, made by the worker process that built it (a
    # newsroom_tui.stories.features.FeatureRow); None: the poll's writer makes them
    story_features: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    # its full-text columns already folded (title, body and summary, gallery text:
    # newsroom_tui.text.search_text.fts_columns), made by the worker process that built it
    # for a store that asks (Store.worker_index); None: the store folds
    index: tuple[str, str, str] | None = field(default=None, compare=False, repr=False)
