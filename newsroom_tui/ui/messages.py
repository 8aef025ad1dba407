"""The reader's messages, all in one place: what a thread worker, the store's listener or
a poll tells the reader screen. They go up (to the screen); nothing is pushed down by a
message. Messages that may queue up faster than the reader redraws merge (``can_replace``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from newsroom_tui.models import Article, Feed, PollStatus
from newsroom_tui.store import ChangeKind, StoreChange, StoreError
from newsroom_tui.ui.view import View
from newsroom_tui.ui.widgets.status_bar import Problem

if TYPE_CHECKING:
    from newsroom_tui.ingest.poller import FeedOutcome
    from newsroom_tui.ui.widgets.article_list import Listing
    from newsroom_tui.watch_records import WatchMatch

MANY_ARTICLES = 20  # more changed articles at once (a colleague's "mark all"): reload all


class ArticleRead(Message):
    """The article a worker read for the pane (None: it is gone; ``error``: the store
    could not be read); ``chosen``: the user moved to it."""

    def __init__(
        self, article: Article | None, *, chosen: bool, error: StoreError | None = None
    ) -> None:
        super().__init__()
        self.article, self.chosen, self.error = article, chosen, error


class ArticlesAhead(Message):
    """The articles beside the one shown, read ahead by a worker for the next j or k."""

    def __init__(self, articles: list[Article]) -> None:
        super().__init__()
        self.articles = articles


class IndexProgressed(Message):
    """How far the search index of the poll's stored articles is (``done`` of ``total``);
    posted from the poll's thread, the newest replaces one not yet handled."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgressed)


class PaneDue(Message):
    """The pane should follow the list cursor (after the list is drawn)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PaneDue)


class ListRead(Message):
    """The list for ``view``, read by a worker as read number ``number``; shown with the
    cursor on ``listing.keep`` or else on ``fallback_row`` (when ``keep_row``). ``follow``:
    the pane follows the cursor; ``has_feeds``: any feed is subscribed (said when nothing
    matches); ``feed``: the view's feed, read when its list is empty (a feed never fetched
    says why); ``error``: the store could not be read; ``unreadable``: why the search's
    query cannot be read (its list is empty)."""

    def __init__(
        self,
        number: int,
        view: View,
        listing: Listing | None,
        fallback_row: int = 0,
        *,
        keep_row: bool = False,
        follow: bool = True,
        has_feeds: bool = True,
        feed: Feed | None = None,
        error: StoreError | None = None,
        unreadable: str | None = None,
    ) -> None:
        super().__init__()
        self.number = number
        self.view, self.listing, self.fallback_row = view, listing, fallback_row
        self.keep_row, self.follow = keep_row, follow
        self.has_feeds, self.feed, self.error = has_feeds, feed, error
        self.unreadable = unreadable


class ArticleForAction(Message):
    """The article under the cursor, read by a worker for a key that needs all of it (its
    links, credits, text): ``act`` on it (None: it is gone; ``error``: not read)."""

    def __init__(
        self,
        article: Article | None,
        act: Callable[[Article], None],
        *,
        error: StoreError | None = None,
    ) -> None:
        super().__init__()
        self.article, self.act, self.error = article, act, error


class ArticlesRefreshed(Message):
    """Articles read again after someone changed them (a colleague, mark all read).
    ``in_list``: patch the list too (or reload it, when they left the view); ``read``: the
    pane takes their read state too; ``failed``: the store was out of reach."""

    def __init__(
        self,
        articles: list[Article],
        *,
        read: bool = False,
        in_list: bool = False,
        failed: bool = False,
    ) -> None:
        super().__init__()
        self.articles, self.read, self.in_list, self.failed = articles, read, in_list, failed


class ServerAnswered(Message):
    """The lost team server answered a read again (``back``), or not yet."""

    def __init__(self, back: bool) -> None:
        super().__init__()
        self.back = back


class WatchMatched(Message):
    """Matches of the reader's own poll (posted from the thread that stored them)."""

    def __init__(self, matches: list[WatchMatch]) -> None:
        super().__init__()
        self.matches = matches

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, WatchMatched):
            return False
        message.matches[:0] = self.matches
        return True


class ColleaguesMatched(Message):
    """Watchlist matches of another poller, read in a worker: shown as alerts."""

    def __init__(self, matches: list[WatchMatch], more: int) -> None:
        super().__init__()
        self.matches, self.more = matches, more


class FeedsPolled(Message):
    """What a poll (ours) finished since its last message: the feeds, whether new articles
    came, the progress and the feeds that failed so far. The poll sends one such message
    per LIST_RELOAD_SECONDS, however many feeds finished: the reader shares the event loop
    with the poll, and redrawing after every feed would slow both. Messages that queue up
    merge into the later one."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.feed_ids: set[int] = set()
        self.new_articles = False
        self.progress = (0, total)
        self.problems: dict[str, tuple[Problem, str]] = {}

    def add(self, outcome: FeedOutcome, done: int) -> None:
        self.feed_ids.add(outcome.feed.id)
        self.new_articles = self.new_articles or bool(outcome.new_articles)
        self.progress = (done, self.progress[1])
        name = outcome.feed.display_name
        if outcome.status is PollStatus.FAILED:
            kind = Problem.FAILED
            if outcome.account:
                kind = Problem.UNREACHABLE if outcome.network_error else Problem.SYNC_FAILED
            self.problems[name] = (kind, outcome.error or "failed")
        elif outcome.status is PollStatus.SKIPPED and outcome.retry_after is not None:
            self.problems[name] = (Problem.WAITING, outcome.error or "waiting")

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, FeedsPolled):
            return False
        message.feed_ids |= self.feed_ids
        message.new_articles = message.new_articles or self.new_articles
        message.problems = {**self.problems, **message.problems}
        return True


class ColleaguesChanged(Message):
    """What other clients of a shared store changed, heard by its listener."""

    def __init__(self, changes: list[StoreChange]) -> None:
        super().__init__()
        self.changes = changes

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, ColleaguesChanged):
            return False
        message.changes[:0] = self.changes  # the later message carries both, in order
        return True

    @property
    def kinds(self) -> set[ChangeKind]:
        return {c.kind for c in self.changes}

    @property
    def offline(self) -> bool:
        """The server is out of reach (and did not come back in the meantime)."""
        return ChangeKind.OFFLINE in self.kinds and ChangeKind.ONLINE not in self.kinds

    @property
    def article_ids(self) -> list[int]:
        """Articles flagged, claimed, released or done, each once, in order."""
        return list(dict.fromkeys(c.article_id for c in self.changes if c.article_id is not None))

    @property
    def feed_ids(self) -> set[int]:
        """Feeds a poll stored new articles in."""
        return {
            c.feed_id
            for c in self.changes
            if c.kind is ChangeKind.ARTICLES and c.feed_id is not None
        }

    @property
    def everything(self) -> bool:
        """New feeds, the server back, or so many articles that one reload is cheaper."""
        return bool(self.kinds & {ChangeKind.FEEDS, ChangeKind.ONLINE}) or (
            len(self.article_ids) > MANY_ARTICLES
        )
