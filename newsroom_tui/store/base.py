"""The interface every store backend implements: SQLite embedded, PostgreSQL for a team."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from newsroom_tui.errors import NewsroomError
from newsroom_tui.models import Article, ArticleSummary, Feed, NewArticle
from newsroom_tui.records import record
from newsroom_tui.store.retention import Retention
from newsroom_tui.text.sanitize import clean_name

if TYPE_CHECKING:
    from newsroom_tui.store.scan_rows import ScanRow
    from newsroom_tui.store.story_records import Story, StoryAssigner, StoryVersion
    from newsroom_tui.stories import StoryArticle
    from newsroom_tui.watch_records import Watchlist, WatchMatch

MAX_ID = 2**63 - 1  # the largest row id (BIGINT, SQLite's INTEGER)


class StoreError(NewsroomError):
    """A store problem explained in one line for the user (what, where, the way out).
    ``broken`` is True when the file itself is damaged or not a database: moving it aside
    (``newsroom --reset-cache``) is the way out. ``unreachable`` is True when a team
    database's server cannot be reached (it may come back: the reader retries)."""

    exit_code = 3  # EXIT_STORE

    def __init__(self, message: str, *, broken: bool = False, unreachable: bool = False) -> None:
        super().__init__(message)
        self.broken = broken
        self.unreachable = unreachable


@record(frozen=True)
class RefusedPage:
    """A new entry's article page refused for its address: remembered with the address rule
    that refused it (:attr:`AddressPolicy.key`) and the entry's teaser, the summary its
    article is made from again when the page comes (see
    :mod:`newsroom_tui.ingest.refused_pages`)."""

    guid: str
    url: str
    teaser: str
    under: str


@record
class FeedUpdate:
    """Everything one successful poll of one feed changes; applied in one transaction."""

    polled_at: datetime
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    articles: list[NewArticle] = field(default_factory=list)
    notice: str | None = None  # e.g. "only the newest 1,000 of 10,000 entries kept"
    # the GUIDs the feed carries now (the new ones and the known ones): retention keeps them
    in_feed: frozenset[str] = frozenset()
    # the new entries whose pages were refused for their address, tried at a later poll
    refused: tuple[RefusedPage, ...] = ()


@record(frozen=True)
class ArticleFilter:
    """Which articles a list shows; every condition given must hold."""

    unread: bool = False
    flagged: bool = False
    feed_id: int | None = None
    category: str | None = None  # this category and the ones nested in it ("A" covers "A/B")
    search: str | None = None
    done: bool | None = None  # None: done or not; False: hide done ones; True: only done ones
    watchlist: str | None = None  # the articles that matched this watchlist on arrival
    # one row per story: of a story's articles that the other conditions hold, the newest
    # (unread while any of them is; ``unread``: the stories with an unread one); False:
    # every article apart
    stories: bool = False


ALL_ARTICLES = ArticleFilter()


@record(frozen=True)
class FeedCounts:
    """A feed with its articles counted: all of them, and those not read."""

    feed: Feed
    total: int
    unread: int


class ChangeKind(StrEnum):
    """What kind of change another client made (the value travels in NOTIFY payloads)."""

    ARTICLE = "article"  # flag, claim, release or done of ``article_id``
    ARTICLES = "articles"  # a poll stored new articles of ``feed_id``
    FEEDS = "feeds"  # subscriptions changed
    OFFLINE = "offline"  # the server is out of reach
    ONLINE = "online"  # back again; anything may have changed
    MATCH = "match"  # new ``article_id`` matched ``watchlist`` (``user``: claimed for whom)
    WATCHLISTS = "watchlists"  # watchlists added or removed


@record(frozen=True)
class StoreChange:
    """What another client changed, as a shared store announces it."""

    kind: ChangeKind
    article_id: int | None = None
    feed_id: int | None = None
    user: str | None = None
    watchlist: str | None = None

    def __post_init__(self) -> None:
        # built from a payload's text too (anyone who can connect may NOTIFY): anything but
        # a known kind, ids a database can hold and names (made plain) raises ValueError
        object.__setattr__(self, "kind", ChangeKind(self.kind))
        for name in ("article_id", "feed_id"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or not 0 <= value <= MAX_ID):
                raise ValueError(f"{name} must be a row id, not {type(value).__name__}")
        for name in ("user", "watchlist"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be a name, not {type(value).__name__}")
            object.__setattr__(self, name, clean_name(value))


class ClaimTaken(NewsroomError):
    """The article is claimed by someone else; ``holder`` says who."""

    def __init__(self, article_id: int, holder: str) -> None:
        holder = clean_name(holder) or "?"  # read from a shared database: a plain name
        super().__init__(f"article {article_id} is already claimed by {holder}")
        self.article_id = article_id
        self.holder = holder


@record(frozen=True)
class WatchCounts:
    """A watchlist with its matches counted: all of them, and those not read (of a list of
    stories: the stories with such a match, each once, as the watchlist's list shows them)."""

    watchlist: Watchlist
    total: int  # matches still in the list (not done)
    unread: int


@record(frozen=True)
class StoryTotals:
    """What the list of stories of every feed holds (done articles left out): its stories,
    the unread ones (with an unread article) and, per category of the feeds, its unread
    stories (its sub-categories' too), each story once."""

    stories: int
    unread: int
    categories: dict[str, int]


@record(frozen=True)
class ScreenCounts:
    """The numbers around a reader's list: per feed, per watchlist, and the status line's."""

    feeds: list[FeedCounts]
    last_success: datetime | None  # the last poll that reached a feed
    watchlists: list[WatchCounts]
    stored: int | None  # every article, done or not (None: not counted)


@record(frozen=True)
class FirstScreen:
    """What a reader's first frame shows of a list (:meth:`Store.first_screen`)."""

    count: int  # articles in the list
    rows: list[ArticleSummary]  # its first rows, newest first
    # the first row's article when reading it is all it takes (``article_at_hand``)
    article: Article | None
    has_feeds: bool  # any feed subscribed
    counts: ScreenCounts | None  # None: not asked for

    def __post_init__(self) -> None:
        if self.article is not None and (not self.rows or self.rows[0].id != self.article.id):
            raise ValueError("the first screen's article must be its first row's")


class ArrivalHit(Protocol):
    """A new article that matched ``watchlist`` (what an :class:`AfterSave` hook finds)."""

    @property
    def watchlist(self) -> Watchlist: ...
    @property
    def article_id(self) -> int: ...
    @property
    def article(self) -> NewArticle: ...


class AfterSave(Protocol):
    """Called by a write, in its transaction, once per feed that got new articles: which of
    the ``new`` articles (id, article) of the feed (its name and category) match which of
    ``watchlists``. The store records the hits (match, flag, claim) in that transaction and
    tells its match listeners after the commit. The poll passes the watch package's
    matching; the store itself never matches."""

    def __call__(
        self,
        watchlists: Sequence[Watchlist],
        feed_name: str | None,
        category: str | None,
        new: Sequence[tuple[int, NewArticle]],
    ) -> Sequence[ArrivalHit]: ...


# hears the matches of each stored write (from the writing thread, after the commit)
MatchListener = Callable[[list["WatchMatch"]], object]  # (its module: imported where used)


class ChangeFeed(Protocol):
    """A running subscription to a store's changes; ``close`` ends it."""

    def close(self) -> None: ...


class Store(Protocol):
    """Everything the rest of newsroom asks of a store (SQLite, PostgreSQL): feeds, polls'
    writes, articles and their triage, stories, watchlists. A backend's further powers are
    :class:`SharedStore` and :class:`LocalChanges`."""

    user: str  # whose read state this store reads and writes; who claims
    # True: a NewArticle's BodySource is stored as it is, and made Markdown when first read by
    # the reading layer (newsroom_tui.article_reading), which keeps it (keep_rendered); False:
    # the poll renders every body before it saves
    lazy_bodies: bool
    # True: the poll's workers fold each NewArticle's full-text columns (its ``index``)
    worker_index: bool
    # what each poll's write removes of its feed's older articles (the CLI sets the config's)
    retention: Retention
    # decides the stories of the articles a write stores (each poll sets its own); None: each
    # article stands alone
    story_assigner: StoryAssigner | None

    def close(self) -> None: ...

    # feeds
    def add_feed(
        self, url: str, title: str | None = None, category: str | None = None, kind: str = "feed"
    ) -> tuple[Feed, bool]:
        """Subscribe (``kind``: "feed", or "page" for a listing page); False if already."""
        ...

    def set_feed_category(self, url: str, category: str | None) -> bool: ...
    def rename_feed(self, url: str, name: str | None) -> bool:
        """A name of the user's for the feed, kept over its own title (None: its title)."""
        ...

    def remove_feed(self, url: str) -> bool: ...
    def feeds(self) -> list[Feed]: ...
    def feed_counts(
        self, feed_ids: Collection[int] | None = None, *, stories: bool = False
    ) -> list[FeedCounts]:
        """Per feed, its articles not done and the unread ones (``stories``: the stories
        with such an article in the feed, each once: what the feed's list of stories holds)."""
        ...

    def last_success(self) -> datetime | None: ...

    # polling
    def known_guids(self, feed_id: int, guids: Iterable[str]) -> set[str]: ...
    def save_feed_update(
        self, feed_id: int, update: FeedUpdate, *, after_save: AfterSave | None = None
    ) -> int: ...
    def save_feed_updates(
        self,
        updates: Sequence[tuple[int, FeedUpdate]],
        not_modified: Sequence[tuple[int, datetime]] = (),
        *,
        after_save: AfterSave | None = None,
    ) -> list[int]:
        """Several feeds' updates (and feeds found unchanged) in one transaction; the
        articles each update added. ``after_save`` matches each feed's new articles against
        the watchlists in that transaction (None: nothing is matched)."""
        ...

    def deferred_index(self) -> AbstractContextManager[None]:
        """While this lasts (a poll's writes), the stored articles may be queued for the
        search index instead of indexed in the write: :meth:`catch_up_index` indexes them."""
        ...

    def catch_up_index(
        self, progress: Callable[[int, int], None] | None = None, most: int | None = None
    ) -> int:
        """Index the queued articles, in batches; ``progress`` hears (indexed, of all)
        after each; ``most``: one batch of at most that many. How many were indexed."""
        ...

    def record_not_modified(self, feed_id: int, polled_at: datetime) -> None: ...
    def record_failure(
        self,
        feed_id: int,
        polled_at: datetime,
        error: str,
        retry_after: datetime | None = None,
        *,
        counted: bool = True,
    ) -> None:
        """One more failed poll in a row: the error, when, and when to try again (None: at
        the next poll). The feed's articles stay. ``counted`` False: the error is kept but
        the failures in a row stay as they were (this machine was offline, not the feed)."""
        ...

    # articles
    def articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]: ...
    def count_articles(
        self, where: ArticleFilter = ALL_ARTICLES, *, at_most: int | None = None
    ) -> int:
        """How many articles ``where`` holds; counting stops at ``at_most`` (a search with
        500,000 hits is "1,000+" at once, not its exact count seconds later)."""
        ...

    def article_position(self, where: ArticleFilter, article_id: int) -> int | None:
        """Index of the article in ``articles(where)``, or None when it is not there."""
        ...

    def next_unread_position(self, where: ArticleFilter, after: int) -> int | None:
        """Index of the first unread article after index ``after``, wrapping around."""
        ...

    def first_screen(self, where: ArticleFilter, rows: int, *, counts: bool = True) -> FirstScreen:
        """What a reader's first frame shows of ``where`` (no search): how many articles
        it holds, its first ``rows`` rows, the first one's article (as
        :meth:`article_at_hand` gives it), whether any feed is subscribed and, with
        ``counts``, the feed list's, watchlists' and status line's numbers. A server is
        asked all of it in one round trip."""
        ...

    def article(self, article_id: int) -> Article | None:
        """The article as stored: one stored with its body source only (:attr:`lazy_bodies`,
        a poll's, never opened) has its plain search text as body. The reader and the
        commands read it through :func:`newsroom_tui.article_reading.read_article`, which
        makes it Markdown and keeps that."""
        ...

    def article_at_hand(self, article_id: int) -> Article | None:
        """The article if reading it is all it takes; None (as for a missing one) when it
        must first be made Markdown and kept (a poll's, never opened): that is the work of
        :func:`~newsroom_tui.article_reading.read_article`, for a caller that may wait."""
        ...

    def body_source(self, article_id: int) -> str | None:
        """The encoded :class:`~newsroom_tui.models.BodySource` the article was stored
        with, while it is not made Markdown; None when it is (or is not there)."""
        ...

    def keep_rendered(self, article_id: int, summary: str, body: str) -> None:
        """Keep the Markdown made of the article's body source in its place (and search it
        from now on); nothing when that was done meanwhile. Only for a :attr:`lazy_bodies`
        store."""
        ...

    def set_read(self, article_id: int, read: bool = True) -> None: ...
    def set_flagged(self, article_id: int, flagged: bool = True) -> None: ...
    def mark_all_read(self, where: ArticleFilter = ALL_ARTICLES) -> int: ...
    def unread_shown(self, where: ArticleFilter) -> list[int]:
        """The ids of the unread articles that :meth:`mark_all_read` of ``where`` would
        mark (of a story shown once: its unread versions too)."""
        ...

    # shared triage: one claim per article, done for everybody
    def claim(self, article_id: int) -> None:
        """Claim the article for :attr:`user`: one conditional UPDATE, so of two people
        claiming at once exactly one wins. Raises :class:`ClaimTaken` for the other (and
        whenever someone else holds it); claiming one's own claim again is a no-op."""
        ...

    def release(self, article_id: int) -> bool:
        """Give up :attr:`user`'s claim; False when the claim was not ours (or none)."""
        ...

    def set_done(self, article_id: int, done: bool = True) -> None: ...

    # a story's triage: what the methods above do to one article, to every article of the
    # story of ``article_id``, in one transaction (see newsroom_tui/store/story_triage.py)
    def set_story_read(self, article_id: int, read: bool = True) -> None: ...
    def set_story_flagged(self, article_id: int, flagged: bool = True) -> None: ...
    def claim_story(self, article_id: int) -> None:
        """Claim every article of the story, or none (:class:`ClaimTaken`)."""
        ...

    def release_story(self, article_id: int) -> bool: ...
    def set_story_done(self, article_id: int, done: bool = True) -> None: ...

    def feed(self, feed_id: int) -> Feed | None: ...

    # stories across sources (see newsroom_tui/store/story_tables.py)
    def story_window(
        self, now: datetime, window: timedelta, most: int, after: int = 0
    ) -> list[tuple[StoryArticle, int]]:
        """The newest ``most`` articles of ``window`` before the newest one stored (never
        later than ``now``; of an id above ``after``), oldest first, with their story ids."""
        ...

    def story_versions(self, story_id: int) -> list[StoryVersion]: ...
    def stories(self, limit: int | None = 20) -> list[Story]:
        """The stories told more than once, the one with the newest version first."""
        ...

    def story_totals(self) -> StoryTotals:
        """The totals of the list of stories of every feed and its categories, in one
        statement (see newsroom_tui/store/story_listing.py)."""
        ...

    # watchlists (see newsroom_tui/store/watchlists.py)
    # "store" (the local cache: its watchlists' commands run) or "team" (a shared database:
    # its watchlists never run a command)
    watchlist_origin: str

    # the config file's watchlists, given when the store is opened: matched as the stored ones
    @property
    def extra_watchlists(self) -> tuple[Watchlist, ...]: ...

    def watchlists(self) -> list[Watchlist]:
        """The store's watchlists, then the extra ones (a name the store has wins)."""
        ...

    def add_watchlist(self, watchlist: Watchlist) -> bool:
        """Store ``watchlist``; False when one of that name exists. ValueError
        (:class:`~newsroom_tui.watch_records.TeamCommandRefused`) for a command on a team's."""
        ...

    def remove_watchlist(self, name: str) -> bool:
        """Remove the stored watchlist ``name`` and its matches; False when there is none."""
        ...

    def watch_counts(self, *, stories: bool = False) -> list[WatchCounts]:
        """Each watchlist with its matches not done and the unread ones (``stories``: the
        stories with such a match, each once: what the watchlist's list of stories holds)."""
        ...

    def watch_names(self, article_id: int) -> list[str]:
        """The watchlists the article matched on arrival."""
        ...

    def on_watch_match(self, listener: MatchListener) -> Callable[[], None]:
        """Call ``listener`` with the matches of each stored write (from the thread that
        stored it, after the commit); returns a function that stops it."""
        ...

    def scan_rows(self) -> Iterator[ScanRow]:
        """Every cached article's text, by id (a query tried on the whole cache)."""
        ...

    def summaries(self, ids: Sequence[int]) -> list[ArticleSummary]:
        """The list rows of the articles ``ids`` still stored, in no order."""
        ...


@runtime_checkable
class SharedStore(Store, Protocol):
    """What only a store that others use at once can do (the team's PostgreSQL): hear
    their changes live, and take a feed for polling so that two pollers never fetch it at once.
    The reader and the poller ask ``isinstance(store, SharedStore)``."""

    def watch(self, on_change: Callable[[StoreChange], None]) -> ChangeFeed:
        """Call ``on_change`` (from another thread) for each change another client makes."""
        ...

    # one poller per feed at a time, across machines
    def lock_feed(self, feed_id: int) -> bool:
        """Try to take the feed for polling; False when another poller has it now."""
        ...

    def unlock_feed(self, feed_id: int) -> None: ...


@runtime_checkable
class LocalChanges(Protocol):
    """A store that other processes write without telling (a cron ``newsroom fetch``
    beside the reader): it can say cheaply whether anything changed since it last looked.
    The reader asks ``isinstance(store, LocalChanges)``."""

    def changed_since(self, token: object) -> CacheChanges:
        """Whether anyone (this store's own writes, another process) committed since
        ``token`` was taken, whether another process did, and the token for the next
        question; ``token`` None: the first look."""
        ...


@record(frozen=True)
class CacheChanges:
    """What :meth:`LocalChanges.changed_since` found since the last look."""

    changed: bool  # anyone committed: this store's own writes too
    by_others: bool  # another process (another connection to the file) committed
    token: object  # for the next look
