"""The reader: feeds and articles on the left, the article on the right, status below.

What the list shows is one reactive value, ``view`` (see ``ui/view.py``): every reload of
the list follows from a change of it. Feed counts are read in thread workers; a poll and a
shared store's listener report as messages, which coalesce when they come faster than the
reader redraws."""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
import time
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Key, Paste, Resize
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input

from newsroom_tui.config import apply_feed_settings
from newsroom_tui.errors import NewsroomError, one_line
from newsroom_tui.keymap import ACTIONS
from newsroom_tui.models import Article, PollStatus
from newsroom_tui.store import (
    ALL_ARTICLES,
    ArticleFilter,
    ChangeKind,
    ClaimTaken,
    FeedCounts,
    LocalChanges,
    SharedStore,
    Store,
    StoreChange,
    StoreError,
)
from newsroom_tui.text.article_format import article_text, credits_text, format_date
from newsroom_tui.text.sanitize import strip_escapes
from newsroom_tui.ui.colleagues import ColleaguesChanged, Listener
from newsroom_tui.ui.language import plural, tr
from newsroom_tui.ui.screens.dialogs import ConfirmScreen, HelpScreen, LinksScreen
from newsroom_tui.ui.view import View
from newsroom_tui.ui.watch_alerts import (
    TOASTS_AT_ONCE,
    ReaderAlerts,
    WatchMatched,
    match_of,
    write_to_terminal,
)
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import SAFE_LINK_SCHEMES, ArticleView, article_links
from newsroom_tui.ui.widgets.feed_list import FeedList
from newsroom_tui.ui.widgets.status_bar import Problem, StatusBar
from newsroom_tui.ui.widgets.watch_list import WatchList

if TYPE_CHECKING:
    from newsroom_tui.ingest.poller import FeedOutcome
    from newsroom_tui.ui.app import NewsroomApp

log = logging.getLogger("newsroom.watch")
DONE = ArticleFilter(done=True)
LIST_RELOAD_SECONDS = 0.5  # new articles (a poll, a colleague's): the list reloads this often
CHANGES_SECONDS = 2.0  # how often the reader looks whether another process wrote the cache
NARROW_COLUMNS = 100  # below this the list takes the full width; Enter shows the article
SEARCH_MAX_CHARS = 500
# what a paste into the search loses: C0 and C1 controls, DEL, bidi and invisible marks
_UNTYPABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


# an escape sequence as a terminal multiplexer pastes it, made visible ("^[[31m")
_CARET_ESCAPE = re.compile(r"\^\[\[?[0-?]*[ -/]*[@-Z\\\]-~]")  # final byte: not "["


def pasted_text(text: str, room: int) -> str:
    """A paste as the search takes it: escape sequences (also in tmux's visible form) and
    control and bidi characters dropped, line breaks as spaces, at most ``room`` chars."""
    text = strip_escapes(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
    return _CARET_ESCAPE.sub("", _UNTYPABLE.sub("", text))[: max(0, room)]


class SearchBox(Input):
    """The search field: at most SEARCH_MAX_CHARS; a paste is one insertion of its text
    without control or bidi characters (a 180 KB paste is cut, never typed key by key)."""

    class Changed(Input.Changed):
        def can_replace(self, message: Message) -> bool:
            # typed faster than the list follows: only the latest text is searched
            return isinstance(message, SearchBox.Changed)

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, max_length=SEARCH_MAX_CHARS)

    def on_paste(self, event: Paste) -> None:
        event.prevent_default()
        event.stop()
        text = pasted_text(event.text, SEARCH_MAX_CHARS - len(self.value))
        if text:
            self.insert_text_at_cursor(text)

    def on_key(self, event: Key) -> None:
        """A terminal that does not bracket pastes (tmux's paste-buffer) types them key by
        key: control and bidi characters are dropped here, a full field takes no more."""
        character = event.character
        if (
            character
            and event.is_printable
            and (_UNTYPABLE.search(character) or len(self.value) >= SEARCH_MAX_CHARS)
        ):
            event.prevent_default()
            event.stop()

    def watch_value(self, value: str) -> None:
        # an escape sequence typed in its visible form ("^[[31m") goes once it is complete
        cleaned = _CARET_ESCAPE.sub("", value)
        if cleaned != value:
            self.value = cleaned


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
            self.problems[name] = (Problem.FAILED, outcome.error or "failed")
        elif outcome.status is PollStatus.SKIPPED and outcome.retry_after is not None:
            self.problems[name] = (Problem.WAITING, outcome.error or "waiting")

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, FeedsPolled):
            return False
        message.feed_ids |= self.feed_ids
        message.new_articles = message.new_articles or self.new_articles
        message.problems = {**self.problems, **message.problems}
        return True


class PaneDue(Message):
    """The pane should follow the list cursor (after the list is drawn)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PaneDue)


class ReaderScreen(Screen[None]):
    BINDINGS = [
        Binding(
            a.keys,
            a.id,
            tr(a.label),
            show=a.footer,
            id=a.id,
            # priority for search: "/foo" typed fast all lands in the box, "f" not in the list
            priority=a.id == "search",
        )
        for a in ACTIONS
    ] + [Binding("escape,backspace", "escape", tr("Back"), show=False)]

    view: reactive[View] = reactive(View, init=False)

    app: NewsroomApp  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._read_timer: Timer | None = None
        self._read_pending: int | None = None  # the article the read timer is for
        self._undo: Callable[[], str] | None = None  # undoes the last A or D, says what
        self._change_token: object = None  # the cache's change counter, last seen
        self._known_total: int | None = None  # articles in the cache, at the last count
        self._listener: Listener | None = None
        self._list_timer: Timer | None = None  # a list reload waiting for its turn
        self._list_reloaded = 0.0  # when (monotonic)
        self.polling = False
        self._painted = asyncio.Event()  # set once the first frame is on screen

    @property
    def store(self) -> Store:
        return self.app.store

    @property
    def key_display(self) -> dict[str, str]:
        return self.app.key_display

    # the widgets, looked up once: they live as long as the screen
    @cached_property
    def feed_list(self) -> FeedList:
        return self.query_one(FeedList)

    @cached_property
    def watch_list(self) -> WatchList:
        return self.query_one(WatchList)

    @cached_property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @cached_property
    def pane(self) -> ArticleView:
        return self.query_one(ArticleView)

    @cached_property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @cached_property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield WatchList(id="watchlists")
                yield FeedList(id="feeds")
                yield SearchBox(placeholder=tr("Search: titles, text, photo credits…"), id="search")
                yield ArticleList(id="articles")
            yield ArticleView(id="detail", images=self.app.images, image_dir=self.app.image_dir)
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.config.poll_interval:
            self.set_interval(self.app.config.poll_interval * 60, self._timed_poll)
        self.search_box.display = False
        self.watch_list.display = False
        self.article_list.focus()
        self.watch_alerts = ReaderAlerts(
            lambda line: self.notify(line, title=tr("Watchlist"), timeout=8, markup=False),
            self._watch_problem,
            terminal=None if self.app.is_headless else write_to_terminal,
        )
        # matches of this reader's own polls, from the thread that stores them
        self._stop_matches = self.store.on_watch_match(
            lambda matches: self.post_message(WatchMatched(list(matches)))
        )
        if isinstance(self.store, SharedStore):
            self.status.team_user = self.store.user
        elif isinstance(self.store, LocalChanges):
            # another process (cron's `newsroom fetch`) writing the cache: seen within seconds
            self.set_interval(CHANGES_SECONDS, self._look_for_changes)
        self.watch_view()
        # The titles first, they are what one reads; then the counts, the listener and
        # the poll (each waits for the first frame).
        self.run_worker(self._first_counts(), group="counts")
        self.run_worker(self._warm_renderer(), group="warm")
        self.call_after_refresh(self._painted.set)
        self.call_after_refresh(self._listen)
        if self.app.poll_on_start and self.store.feeds():
            self._timed_poll()

    async def _warm_renderer(self) -> None:
        """Articles a poll stored are made Markdown when first opened, which brings the
        extractor (trafilatura): import it in a thread after the first frame, not on the
        event loop at the first article opened."""
        await self._painted.wait()
        await asyncio.to_thread(importlib.import_module, "newsroom_tui.ingest.article_body")

    def _listen(self) -> None:
        if isinstance(self.store, SharedStore):
            self._listener = Listener(self.store, self)

    def on_unmount(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self._stop_matches()
        self.watch_alerts.close()

    # layout ------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        """Under NARROW_COLUMNS the list takes the whole width (a title keeps 40 of 80
        columns) and the article shows in its place once opened, as in newsboat."""
        self.set_class(event.size.width < NARROW_COLUMNS, "narrow")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.set_class(self.pane.has_focus, "reading")

    @property
    def pane_on_screen(self) -> bool:
        return not self.has_class("narrow") or self.has_class("reading")

    # changes by another process ----------------------------------------------------------

    def _look_for_changes(self) -> None:
        # during our own poll its messages keep the list and counts up to date
        if not self.polling and not any(w.group == "changes" for w in self.workers):
            self.run_worker(self._changes(), group="changes")

    async def _changes(self) -> None:
        store = self.store
        assert isinstance(store, LocalChanges)
        try:
            changed, self._change_token = await asyncio.to_thread(
                store.changed_since, self._change_token
            )
        except StoreError:
            return
        if changed:
            await self._recount(None)

    # what the list shows -----------------------------------------------------------------

    def watch_view(self) -> None:
        self.reload_articles()

    def _server_lost(self, exc: StoreError) -> None:
        """A shared store's server went away: keep what is on screen and say so (the
        listener reconnects and reloads); a local cache's fault stays an error."""
        if not isinstance(self.store, SharedStore):
            raise exc
        if not self.status.server_offline:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
        self.status.server_offline = True

    def reload_feeds(self, only: Collection[int] | None = None) -> None:
        """The feed list's counts, read in a thread: all of them, or ``only`` those feeds
        (during a poll: counting every feed costs more the larger the cache)."""
        self.run_worker(self._recount(None if only is None else set(only)), group="counts")

    async def _first_counts(self) -> None:
        await self._painted.wait()
        await self._recount(None)

    async def _recount(self, only: set[int] | None) -> None:
        store = self.store

        def read() -> tuple[list[FeedCounts], datetime | None, Any, int | None]:
            # all articles, done or not: what a D takes from the list is no news gone
            stored = None
            if only is None:
                stored = store.count_articles(ALL_ARTICLES) + store.count_articles(DONE)
            return store.feed_counts(only), store.last_success(), store.watch_counts(), stored

        try:
            counts, last, watched, stored = await asyncio.to_thread(read)
        except StoreError as exc:
            self._server_lost(exc)
            return
        self.status.last_poll = last
        self.watch_list.show_counts(watched)
        feeds = self.feed_list
        if only is None:
            feeds.show_counts(counts)
        elif not feeds.update_counts(counts):  # a feed the list does not show yet
            await self._recount(None)
            return
        if stored is not None:
            self._count_news(stored)
        self._show_totals()

    def _count_news(self, total: int) -> None:
        """Say how many articles came since the last full count (a poll, another
        process); the first count at start only sets the mark."""
        known, self._known_total = self._known_total, total
        if known is not None and total > known:
            self.notify(plural(total - known, "{n} new article", "{n} new articles"))
            self.reload_articles_soon()

    def _show_totals(self) -> None:
        feeds = self.feed_list
        self.status.totals = (feeds.total, feeds.total_unread)
        view = self.view
        shown = [f"{tr('filter')}: {tr(view.show)}"] if view.show != "all" else []
        if view.feed_id is not None:
            shown.append(f"{tr('feed')}: {feeds.names.get(view.feed_id, '?')}")
        if view.category is not None:
            shown.append(f"{tr('category')}: {view.category}")
        if view.search:
            shown.append(f"{tr('search')}: {view.search}")
        if view.watchlist is not None:
            shown.append(f"{tr('watchlist')}: {view.watchlist}")
        self.status.shown = self.article_list.row_count
        self.status.narrowing = tuple(shown)
        self.status.stored_failures = sum(1 for c in feeds.counts.values() if c.feed.error)

    def reload_articles(self, *, keep_row: bool = False, follow: bool = True) -> None:
        """Read the list again. ``keep_row``: when the article under the cursor left the
        list, the cursor stays on its row (the next article), else it goes to the top.
        ``follow``: the pane shows the article under the cursor (else it keeps its own)."""
        if self._list_timer is not None:
            self._list_timer.stop()
            self._list_timer = None
        self._list_reloaded = time.monotonic()
        table = self.article_list
        try:
            table.show(
                self.store, self.view.where, fallback_row=table.cursor_row if keep_row else 0
            )
        except StoreError as exc:
            self._server_lost(exc)
            return
        if table.row_count:
            if follow or self.pane.article is None:  # a message ("No articles yet") goes
                self._follow_list(chosen=False)
        elif not self.store.feeds():
            self.pane.show_message(tr("No feeds yet. Subscribe from the shell: newsroom add URL"))
        elif self.view.narrowed:
            self.pane.show_message(
                tr("Nothing matches. Escape clears the search; f changes the filter.")
            )
        else:
            self.pane.show_message(tr("No articles yet. Press r to poll."))
        self._show_totals()

    def reload_articles_soon(self) -> None:
        """New articles came: reload the list now, or when its turn comes (at most every
        LIST_RELOAD_SECONDS, so a poll of 1,000 feeds does not keep the reader reloading)."""
        wait = self._list_reloaded + LIST_RELOAD_SECONDS - time.monotonic()
        if wait <= 0:
            self.reload_articles(keep_row=True, follow=False)
        elif self._list_timer is None:

            def due() -> None:
                self._list_timer = None
                self.reload_articles(keep_row=True, follow=False)

            self._list_timer = self.set_timer(wait, due)

    @property
    def article(self) -> Article | None:
        """The article under the list cursor. Keys can arrive before the highlight message
        that follows a cursor move, so sync the pane first rather than act on a stale one."""
        self.show_current()
        return self.pane.article

    def show_current(self, *, chosen: bool = False) -> None:
        """The pane shows the article under the cursor; ``chosen``: the user moved there,
        so it counts as read once it stayed on screen (see _schedule_read)."""
        article_id = self.article_list.current_id
        view = self.pane
        if article_id is None:
            return
        if not (view.article and view.article.id == article_id and view.search == self.view.search):
            try:
                article = self.store.article(article_id)
            except StoreError as exc:
                self._server_lost(exc)
                return
            if article is None:
                return
            view.show_article(article, self.view.search)
            if self._read_pending != article_id:
                self._stop_read_timer()  # the one it was for is off screen now
        if chosen and view.article is not None and self.pane_on_screen:
            self._schedule_read(view.article)

    def _schedule_read(self, article: Article) -> None:
        """An article counts as read once the user chose it (moved to it, opened it) and it
        has been on screen for ``read_delay`` seconds (or at once when opened with Enter):
        not the one highlighted at start, nor the top hit while a search is typed, nor
        the first row after a filter change; skimming past with j/k does not undo an
        explicit "mark unread"."""
        if article.read or self._read_pending == article.id:
            return
        self._stop_read_timer()
        if self.app.read_delay <= 0:
            self.set_read(article, True)
            return

        def still_shown() -> None:
            self._read_timer = self._read_pending = None
            if self.is_mounted and self.pane.article is article and not article.read:
                self.set_read(article, True)

        self._read_pending = article.id
        self._read_timer = self.set_timer(self.app.read_delay, still_shown)

    def _stop_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
        self._read_timer = self._read_pending = None

    def _saved(self, write: Callable[[], object]) -> bool:
        """Run a store write; a cache that cannot be written (read-only, disk full) is said
        in one line and the reader carries on, showing what it has."""
        try:
            write()
        except StoreError as exc:
            self.notify(
                tr("Not saved: {reason}", reason=one_line(exc)),
                severity="error",
                timeout=10,
                markup=False,
            )
            return False
        return True

    def set_read(self, article: Article, read: bool) -> None:
        if not self._saved(lambda: self.store.set_read(article.id, read)):
            return
        article.read = read
        self.article_list.mark(article.id, read=read)
        self.feed_list.adjust_unread(article.feed_id, -1 if read else 1)
        self._show_totals()

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        # a reload's cursor is followed (or not) by reload_articles itself
        if event.chosen:
            self._follow_list(chosen=True)

    def _follow_list(self, *, chosen: bool) -> None:
        """The pane follows the list cursor. While a search is being typed, it does so once
        the narrowed list is on screen: the list is what one watches then, and rendering
        the pane first would hold it back a frame at every keystroke."""
        if not self.search_box.has_focus:
            self.show_current(chosen=chosen)
        else:
            self.call_after_refresh(self.post_message, PaneDue())

    def on_pane_due(self, message: PaneDue) -> None:
        self.show_current()

    def on_article_list_selected(self, event: ArticleList.Selected) -> None:
        self.show_current()
        article = self.pane.article
        if article is not None and not article.read:
            self._stop_read_timer()
            self.set_read(article, True)
        self.add_class("reading")  # at once: the pane must be shown to take the focus
        self.pane.focus()

    def on_feed_list_selected(self, event: FeedList.Selected) -> None:
        self.view = self.view.at(event.feed_id, event.category)
        self.article_list.focus()

    def go_to_feed(self, feed_id: int | None = None, category: str | None = None) -> None:
        self.view = self.view.at(feed_id, category)

    def on_watch_list_selected(self, event: WatchList.Selected) -> None:
        self.go_to_watchlist(event.name)
        self.article_list.focus()

    def go_to_watchlist(self, name: str) -> None:
        self.view = self.view.watching(name)

    # watchlist alerts --------------------------------------------------------------------

    def on_watch_matched(self, message: WatchMatched) -> None:
        """Matches of this reader's own poll: alerts at once, counts at the list's turn."""
        self.watch_alerts.own(message.matches)

    def _watch_problem(self, line: str) -> None:
        """A --run command failed (from its runner thread): say so in the reader."""
        try:
            self.app.call_from_thread(
                self.notify, line, severity="warning", timeout=10, markup=False
            )
        except RuntimeError:  # on the app's own thread (closing), or the app is gone
            log.warning("%s", line)

    def _colleagues_matched(self, changes: list[StoreChange]) -> None:
        """Matches of another poller (cron, a colleague's reader): notify here."""
        watchlists = {w.name: w for w in self.store.watchlists()}
        matches, more = [], 0
        for change in changes:
            watchlist = watchlists.get(change.watchlist or "")
            if watchlist is None or not watchlist.notify or change.article_id is None:
                continue
            if len(matches) >= TOASTS_AT_ONCE:  # a colleague's cold poll: not read one by one
                more += 1
                continue
            article = self.store.article(change.article_id)
            if article is not None:
                matches.append(match_of(article, watchlist))
        self.watch_alerts.colleagues(matches, more)

    # triage actions ----------------------------------------------------------------------

    def action_scroll_article(self, pages: int) -> None:
        if pages > 0:
            self.pane.scroll_page_down(animate=False)
        else:
            self.pane.scroll_page_up(animate=False)

    def action_next_unread(self) -> None:
        self._to_unread(self.article_list.next_unread_row())

    def action_previous_unread(self) -> None:
        self._to_unread(self.article_list.previous_unread_row())

    def _to_unread(self, row: int | None) -> None:
        table = self.article_list
        if row is None:
            self.notify(tr("No unread articles here."))
            return
        table.move_cursor(row=row)
        table.focus()

    def action_first_article(self) -> None:
        self.article_list.move_cursor(0)
        self.article_list.focus()

    def action_last_article(self) -> None:
        self.article_list.move_cursor(self.article_list.row_count - 1)
        self.article_list.focus()

    def action_next_feed(self) -> None:
        self._step_feed(1)

    def action_previous_feed(self) -> None:
        self._step_feed(-1)

    def _step_feed(self, step: int) -> None:
        """Show the next (previous) feed of the feed list, as its Enter would."""
        feeds = self.feed_list
        ids = [feeds.feed_at(i) for i in range(feeds.row_count)]
        order = [fid for fid in ids if fid is not None]
        if not order:
            return
        current = self.view.feed_id
        index = order.index(current) + step if current in order else (0 if step > 0 else -1)
        feed_id = order[index % len(order)]
        feeds.move_cursor(ids.index(feed_id))
        self.view = self.view.at(feed_id)
        self.article_list.focus()

    def action_undo(self) -> None:
        """Undo the last A (mark all read) or D (done)."""
        undo, self._undo = self._undo, None
        if undo is None:
            self.notify(tr("Nothing to undo."))
            return
        self.notify(undo())

    def action_toggle_read(self) -> None:
        article = self.article
        if article:
            self._stop_read_timer()
            self.set_read(article, not article.read)

    def action_toggle_flag(self) -> None:
        article = self.article
        if article is None:
            return
        flagged = not article.flagged
        if not self._saved(lambda: self.store.set_flagged(article.id, flagged)):
            return
        article.flagged = flagged
        self.article_list.mark(article.id, flagged=flagged)

    def action_toggle_claim(self) -> None:
        """Claim the article for me, or give my claim up; someone else's claim stays."""
        article = self.article
        if article is None:
            return
        me = self.store.user
        if article.claimed_by and article.claimed_by != me:
            self.refresh_article(article.id)  # show who has it now
            self.notify(
                tr("Already claimed by {user}.", user=article.claimed_by),
                severity="warning",
                markup=False,
            )
            return
        try:
            if article.claimed_by == me:
                self.store.release(article.id)
                article.claimed_by = None
            else:
                self.store.claim(article.id)
                article.claimed_by = me
        except ClaimTaken as taken:  # a colleague was faster
            article.claimed_by = taken.holder
            self.notify(
                tr("{user} claimed it first.", user=taken.holder), severity="warning", markup=False
            )
        except StoreError as exc:
            self.notify(
                tr("Not saved: {reason}", reason=one_line(exc)),
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.article_list.mark(article.id, claimed_by=article.claimed_by)
        self.pane.show_meta(article)

    def action_toggle_done(self) -> None:
        """Done (for the whole team): it leaves the list, except under the "done" filter."""
        article = self.article
        if article is None:
            return
        done = not article.done
        if not self._saved(lambda: self.store.set_done(article.id, done)):
            return
        article.done = done
        self.reload_articles(keep_row=True)  # the cursor goes on to the next article

        def undo() -> str:
            self._saved(lambda: self.store.set_done(article.id, not done))
            article.done = not done
            self.reload_articles(keep_row=True)
            return tr("Undone: done.")

        self._undo = undo
        self.notify(tr("Done.") if done else tr("Not done any more."))

    def action_mark_all_read(self) -> None:
        shown = self.article_list.row_count
        if not shown:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            where = self.view.where
            unread = replace(where, unread=True)
            ids: list[int] = []

            def mark() -> None:
                ids.extend(a.id for a in self.store.articles(unread))
                self.store.mark_all_read(where)

            if self._saved(mark):
                self._after_marking()
                self.notify(
                    plural(len(ids), "{n} article marked as read.", "{n} articles marked as read.")
                )

                def undo() -> str:
                    self._saved(lambda: [self.store.set_read(i, False) for i in ids])
                    self._after_marking()
                    return tr("Undone: {n} marked as read.", n=len(ids))

                self._undo = undo

        self.app.push_screen(
            ConfirmScreen(tr("Mark all {n} shown articles as read?", n=shown)), answered
        )

    def _after_marking(self) -> None:
        self.reload_feeds()
        self.reload_articles(keep_row=True)
        shown = self.pane.article
        if shown is not None:
            fresh = self.store.article(shown.id)
            shown.read = fresh.read if fresh else shown.read

    def action_cycle_filter(self) -> None:
        self.view = self.view.cycled()

    def action_search(self) -> None:
        if self.app.screen is not self:
            return  # a dialog is open
        box = self.search_box
        box.display = True
        # Focus now, not via focus()'s call_later: keys typed right after / are already queued
        # and would otherwise reach the list ("f" cycling the filter instead of being typed).
        self.set_focus(box)

    def on_search_box_changed(self, event: SearchBox.Changed) -> None:
        self.view = self.view.searching(event.value.strip())

    @on(Input.Submitted, "#search")
    def keep_search(self, event: Input.Submitted) -> None:
        self.article_list.focus()

    def action_escape(self) -> None:
        """One step back: out of the search, out of the article, back to all feeds."""
        self.step_back()

    def step_back(self) -> bool:
        """Leave the search, the open article or a single feed's (category's, watchlist's)
        view, in that order; False when there was nothing to leave."""
        box = self.search_box
        if box.has_focus or (box.display and self.view.search):
            box.value = ""
            box.display = False
            self.view = self.view.searching("")
        elif self.pane.has_focus or self.feed_list.has_focus:
            pass  # back to the list
        elif self.view.feed_id is not None or self.view.category is not None or self.view.watchlist:
            self.view = self.view.at(None, None)  # all feeds (a watchlist's view too)
            self.feed_list.move_cursor(0)
        else:
            return False
        self.article_list.focus()
        return True

    def action_quit(self) -> None:
        """q steps back (article, search, a feed's view) and quits from the top, as in
        newsboat."""
        if not self.step_back():
            self.app.exit()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.key_display))

    # hand-off actions --------------------------------------------------------------------

    def _link(self) -> str | None:
        url = self.article.url if self.article else None
        if not url:
            self.notify(tr("This article has no link."), severity="warning")
            return None
        if not url.lower().startswith(SAFE_LINK_SCHEMES):
            self.notify(tr("Only http and https links are opened."), severity="warning")
            return None
        return url

    def action_open_link(self) -> None:
        url = self._link()
        if url:
            self.open_url(url)

    def open_url(self, url: str) -> None:
        """Open ``url`` in the browser; without one, copy it and say so."""
        if not self.app.browser_available():
            self.app.copy_to_clipboard(url)
            self.notify(tr("No browser found; the link is copied: {url}", url=url), markup=False)
            return
        self.app.open_url(url)

    def action_links(self) -> None:
        article = self.article
        links = article_links(article) if article else []
        if not links:
            self.notify(tr("This article has no links."), severity="warning")
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            how, url = answer
            if how == "copy":
                self.app.copy_to_clipboard(url)
                self.notify(tr("Copied: {text}", text=url), markup=False)
            elif url.lower().startswith(SAFE_LINK_SCHEMES):
                self.open_url(url)
            else:
                self.notify(tr("Only http and https links are opened."), severity="warning")

        self.app.push_screen(LinksScreen(links), chosen)

    def action_copy_link(self) -> None:
        url = self._link()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(tr("Copied: {text}", text=url), markup=False)

    def action_copy_credits(self) -> None:
        if not self.article:
            return
        line = credits_text(self.article.credits)
        if not line:
            self.notify(tr("This article has no photo credits."), severity="warning")
            return
        self.app.copy_to_clipboard(line)
        self.notify(tr("Copied: {text}", text=line), markup=False)

    def action_export(self) -> None:
        article = self.article
        if article is None:
            return
        meta = [
            (tr("Feed"), article.feed),
            (tr("Date"), format_date(article.published)),
            (tr("Link"), article.url or ""),
        ]
        text = article_text(
            article.title, article.body_markdown, article.gallery, article.credits, meta
        )
        path = self.app.export_dir / export_name(article)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(
                tr("Export failed: {reason}", reason=exc.strerror or exc),
                severity="error",
                markup=False,
            )
            return
        self.notify(tr("Exported to {path}", path=path), markup=False)

    # polling -----------------------------------------------------------------------------

    def action_poll(self) -> None:
        """r: poll now, feeds in back-off too (the timer's polls leave those waiting)."""
        if not self.polling:
            self.poll(retry=True)

    def _timed_poll(self) -> None:
        if not self.polling:
            self.poll()

    @work(group="poll", exclusive=True)
    async def poll(self, retry: bool = False) -> None:
        self.polling = True
        await self._painted.wait()
        # The poller brings httpx, lxml and trafilatura: import it in a thread so the
        # first keys after start are not kept waiting.
        poller = await asyncio.to_thread(importlib.import_module, "newsroom_tui.ingest.poller")
        from newsroom_tui.net.fetcher import Fetcher

        feeds = apply_feed_settings(self.store.feeds(), self.app.config)
        if retry:
            feeds = [replace(feed, retry_after=None) for feed in feeds]
        self.status.problems = {}
        self.status.progress = (0, len(feeds))
        batch = FeedsPolled(len(feeds))
        problems: dict[str, tuple[Problem, str]] = {}  # of the whole poll

        def progress(outcome: FeedOutcome, done: int, total: int) -> None:
            batch.add(outcome, done)

        def send() -> None:
            nonlocal batch
            if batch.feed_ids:
                problems.update(batch.problems)
                batch.problems = dict(problems)
                self.post_message(batch)
                batch = FeedsPolled(len(feeds))

        ticker = self.set_interval(LIST_RELOAD_SECONDS, send)
        try:
            # httpx loads the CA certificates as the client is made: in a thread
            fetcher = await asyncio.to_thread(Fetcher, concurrency=self.app.config.concurrency)
            async with fetcher:
                report = await poller.poll_feeds(
                    self.store, feeds, fetcher=fetcher, on_progress=progress
                )
        except NewsroomError as exc:
            self.notify(
                tr("Poll stopped: {reason}", reason=one_line(exc)),
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        finally:
            ticker.stop()
            self.polling = False
            self.status.progress = None
        send()
        self.status.offline = report.offline
        await self._recount(None)  # at the end, every count
        if report.new_articles:
            self.reload_articles()

    def on_feeds_polled(self, message: FeedsPolled) -> None:
        if self.polling:
            self.status.progress = message.progress
        self.status.problems = message.problems
        self.reload_feeds(message.feed_ids)
        if message.new_articles:
            self.reload_articles_soon()

    # colleagues (a shared store) ---------------------------------------------------------

    def on_colleagues_changed(self, message: ColleaguesChanged) -> None:
        """Apply what other clients changed. A claim, flag or done is patched into the list
        and the pane at once; new articles or feeds reload the list at its turn."""
        if message.offline:
            self.status.server_offline = True
            return
        try:
            matched = [c for c in message.changes if c.kind is ChangeKind.MATCH]
            if matched:
                self._colleagues_matched(matched)
            if matched or ChangeKind.WATCHLISTS in message.kinds:
                self.reload_feeds(set())  # the watchlists' counts (no feed's)
            if message.everything:  # new feeds, the server back, a colleague's "mark all"
                self.status.server_offline = False
                self.reload_feeds()
                self.reload_articles()
                self.refresh_shown_article()
                return
            if message.feed_ids:
                self.reload_feeds(message.feed_ids)
                self.reload_articles_soon()
            for article_id in message.article_ids:
                self.refresh_article(article_id)
        except StoreError:
            self.status.server_offline = True

    def refresh_article(self, article_id: int) -> None:
        fresh = self.store.article(article_id)
        if fresh is None:
            return
        if self.view.hides(done=fresh.done, flagged=fresh.flagged):
            # it left the view (done by a colleague, unflagged): the cursor keeps its row,
            # the article being read stays open
            self.reload_articles(keep_row=True, follow=False)
            shown = self.pane.article
            if shown is not None and shown.id == article_id and fresh.done and not shown.done:
                self.notify(
                    tr("Marked done by a colleague; it stays open until you move on."),
                    severity="warning",
                )
        else:
            state = {"flagged": fresh.flagged, "claimed_by": fresh.claimed_by, "done": fresh.done}
            self.article_list.mark(article_id, **state)
        self.refresh_shown_article(fresh)

    def refresh_shown_article(self, fresh: Article | None = None) -> None:
        shown = self.pane.article
        if shown is None or (fresh is not None and fresh.id != shown.id):
            return
        fresh = fresh or self.store.article(shown.id)
        if fresh is None:
            return
        shown.flagged, shown.claimed_by, shown.done = fresh.flagged, fresh.claimed_by, fresh.done
        self.pane.show_meta(shown)


def export_name(article: Article) -> str:
    day = article.published.strftime("%Y-%m-%d") if article.published else "undatiert"
    slug = re.sub(r"[^\w]+", "-", article.title.casefold()).strip("-")[:60] or "artikel"
    return f"{day}-{slug}-{article.id}.md"
