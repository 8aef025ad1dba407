"""The reader: feeds and articles on the left, the article on the right, status below.

What the list shows is one reactive value, ``view`` (see ``ui/view.py``): every reload of
the list follows from a change of it. Feed counts, the list's rows and the article shown
are read in thread workers that answer with messages (the articles beside the shown one are
read ahead, so j and k need not wait for one; the first frame's page and article are read in
place); so do a poll and a shared store's listener, and their messages coalesce when they
come faster than the reader redraws.

This module holds the layout, the view and the list-to-pane wiring; the screen's other work
is in its base classes, one module each: ``reader_counts`` (counts, another process's
writes), ``reader_triage`` (moving, read/flag/claim/done, mark all, undo),
``reader_handoff`` (links, credits, export), ``reader_poll`` (the poll worker),
``reader_colleagues`` (a team's changes, watchlist alerts) and ``reader_lists`` (the list
read in a thread: a search being typed, the list after a key's write)."""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Callable, Coroutine
from dataclasses import fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Header, Input

from newsroom_tui.keymap import ACTIONS
from newsroom_tui.models import Article, ArticleSummary
from newsroom_tui.store import (
    LocalChanges,
    SharedStore,
    Store,
    StoreError,
)
from newsroom_tui.ui.colleagues import Listener
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.screens.reader_colleagues import ReaderColleagues
from newsroom_tui.ui.screens.reader_counts import ReaderCounts
from newsroom_tui.ui.screens.reader_handoff import ReaderHandOff
from newsroom_tui.ui.screens.reader_lists import ReaderLists
from newsroom_tui.ui.screens.reader_poll import LIST_RELOAD_SECONDS, ReaderPolling
from newsroom_tui.ui.screens.reader_triage import ReaderTriage
from newsroom_tui.ui.view import View
from newsroom_tui.ui.watch_alerts import (
    ReaderAlerts,
    WatchMatched,
    write_to_terminal,
)
from newsroom_tui.ui.widgets.article_list import ArticleList, Listing
from newsroom_tui.ui.widgets.article_pane import ArticleView
from newsroom_tui.ui.widgets.feed_list import FeedList
from newsroom_tui.ui.widgets.key_bar import KeyBar
from newsroom_tui.ui.widgets.search_box import SearchBox
from newsroom_tui.ui.widgets.status_bar import StatusBar
from newsroom_tui.ui.widgets.watch_list import WatchList
from newsroom_tui.ui.write_behind import WriteBehind

if TYPE_CHECKING:
    from newsroom_tui.ui.app import NewsroomApp

CHANGES_SECONDS = 2.0  # how often the reader looks whether another process wrote the cache
RECONNECT_SECONDS = 2.0  # how often the reader tries a team server it lost
NARROW_COLUMNS = 100  # below this the list takes the full width; Enter shows the article


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


# what a list row says of its article: a read-ahead copy that differs from it is stale
_ROW_FIELDS = tuple(f.name for f in fields(ArticleSummary))
_KEYED_FIELDS = ("read", "flagged", "claimed_by", "done")  # what the triage keys change


class PaneDue(Message):
    """The pane should follow the list cursor (after the list is drawn)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PaneDue)


class ReaderScreen(
    ReaderTriage, ReaderHandOff, ReaderPolling, ReaderColleagues, ReaderCounts, ReaderLists
):
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
        self._follow_reload = False  # the pane follows the cursor once a reload put it
        self._follow_chosen = False  # ... and the user had moved it there
        self._wanted: int | None = None  # the article being read for the pane
        self._chosen: int | None = None  # the same, when the user moved to it
        self._painted = asyncio.Event()  # set once the first frame is on screen
        self._reconnecting: Timer | None = None  # tries the lost server until it answers
        self._ahead: dict[int, Article] = {}  # the articles beside the shown one, read ahead
        # a key's write follows its answer on screen, in a thread (write_behind)
        self.writes = WriteBehind(self._start_writes)

    def _start_writes(self, drain: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """The writes start once the key's answer is painted."""
        self.call_after_refresh(lambda: self.run_worker(drain(), group="writes"))

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
                with Horizontal(id="lists"):  # one line; the one focused (Tab) opens
                    yield WatchList(id="watchlists")
                    yield FeedList(id="feeds")
                yield SearchBox(placeholder=tr("Search: titles, text, photo credits…"), id="search")
                yield ArticleList(id="articles")
            yield ArticleView(id="detail", images=self.app.images, image_dir=self.app.image_dir)
        yield StatusBar(id="status")
        yield KeyBar(id="footer")  # one line, not a widget per key: see key_bar

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW_COLUMNS, "narrow")  # the first frame too
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
            self.watch(self.status, "server_offline", self._server_offline_changed, init=False)
        elif isinstance(self.store, LocalChanges):
            # another process (cron's `newsroom fetch`) writing the cache: seen within seconds
            self.set_interval(CHANGES_SECONDS, self._look_for_changes)
        self.watch_view()
        self._show_first_article()
        # The titles first, they are what one reads; then the counts, the listener and
        # the poll (each waits for the first frame).
        self.run_worker(self._first_counts(), group="counts")
        self.run_worker(self._warm_renderer(), group="warm")
        self.call_after_refresh(self._painted.set)
        self.call_after_refresh(self._read_neighbours)  # the first j's article, ahead
        self.call_after_refresh(self._listen)
        if self.app.poll_on_start:
            self.poll(on_start=True)

    def _show_first_article(self) -> None:
        """The article under the cursor, read now (a fraction of a millisecond): the first
        frame shows it beside the list, rather than a frame later through the worker. One
        a poll stored and nobody opened yet is made Markdown first (the extractor's import,
        a write that may wait for cron's poll): that one comes through the worker."""
        article_id = self.article_list.current_id
        if article_id is None:
            return
        try:
            article = self.store.article_at_hand(article_id)
        except StoreError as exc:
            self._server_lost(exc)
            return
        if article is not None:
            self._show(article)

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
        self.writes.flush()  # the writes of the last keys, before the store is closed
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

    # what the list shows -----------------------------------------------------------------

    def watch_view(self, old: View | None = None, new: View | None = None) -> None:
        if old is not None and new is not None and new.search and old.searching(new.search) == new:
            # a search typed: its list is read in a thread, the newest keystroke's wins
            self._read_search(new, self.article_list.keep_id)
        else:
            self.reload_articles()

    def _server_lost(self, exc: StoreError) -> None:
        """A shared store's server went away: keep what is on screen and say so (the
        listener reconnects and reloads); a local cache's fault stays an error."""
        if not isinstance(self.store, SharedStore):
            raise exc
        if not self.status.server_offline:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
        self.status.server_offline = True

    def _server_offline_changed(self, offline: bool) -> None:
        """While the team's server is away, try it every RECONNECT_SECONDS. The listener's
        "back" alone is not enough: the first read after it may still meet the connection
        the restart closed, and say "unreachable" again with nobody to take it back."""
        if offline and self._reconnecting is None:
            self._reconnecting = self.set_interval(RECONNECT_SECONDS, self._try_server)
        elif not offline and self._reconnecting is not None:
            self._reconnecting.stop()
            self._reconnecting = None

    def _try_server(self) -> None:
        if not any(w.group == "reconnect" for w in self.workers):
            self.run_worker(self._server_back(), group="reconnect")

    async def _server_back(self) -> None:
        """One read in a thread; when it answers, what is shown is read again."""
        try:
            await asyncio.to_thread(self.store.last_success)
        except StoreError:
            return
        self.status.server_offline = False
        self.reload_feeds()
        self.reload_articles(keep_row=True)  # the pane follows the cursor, read meanwhile
        self.refresh_shown_article()

    def reload_articles(
        self,
        *,
        keep_row: bool = False,
        follow: bool = True,
        listing: Listing | None = None,
        has_feeds: bool = True,
        fallback_row: int = 0,
    ) -> None:
        """Read the list again. ``keep_row``: when the article under the cursor left the
        list, the cursor stays on its row (the next article), else it goes to the top.
        ``follow``: the pane shows the article under the cursor (else it keeps its own).
        ``listing``: the list read already, by a worker (with ``has_feeds``, and the row
        it was read for, ``fallback_row``)."""
        if self._list_timer is not None:
            self._list_timer.stop()
            self._list_timer = None
        self._list_reloaded = time.monotonic()
        table = self.article_list
        try:
            if listing is not None:
                table.show_listing(
                    self.store,
                    listing,
                    fallback_row=fallback_row if keep_row else 0,
                    hold=keep_row and not follow,
                )
            else:
                table.show(
                    self.store,
                    self.view.where,
                    fallback_row=table.cursor_row if keep_row else 0,
                    hold=keep_row and not follow,  # the pane keeps its article, the list its place
                )
                has_feeds = bool(table.row_count) or bool(self.store.feeds())
        except StoreError as exc:
            self._server_lost(exc)
            return
        if table.row_count:
            # the pane follows once the cursor's row is read (a message, "No articles
            # yet", goes too)
            self._follow_reload = self._follow_reload or follow or self.pane.article is None
        else:
            if not has_feeds:
                empty = tr("No feeds yet. Subscribe from the shell: newsroom add URL")
            elif self.view.narrowed:
                empty = tr("Nothing matches. Escape clears the search; f changes the filter.")
            else:
                empty = tr("No articles yet. Press r to poll.")
            # the list says it too: a narrow terminal shows the list alone
            table.empty_text = empty
            self.pane.show_message(empty)
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

    def show_current(self, *, chosen: bool = False) -> None:
        """The pane shows the article under the cursor, read in a worker; ``chosen``: the
        user moved there, so it counts as read once it stayed on screen (_schedule_read)."""
        article_id = self.article_list.current_id
        if article_id is None:
            if self.article_list.cursor_row_pending:  # a reload reads it again: follow then
                self._follow_reload = True
                self._follow_chosen = self._follow_chosen or chosen
            return
        shown = self.pane.article
        if shown is not None and shown.id == article_id:
            if self.pane.search != self.view.search:  # its marks follow the query typed
                self.pane.show_article(shown, self.view.search)
            if chosen and self.pane_on_screen:
                self._schedule_read(shown)
            return
        if self._read_pending != article_id:
            self._stop_read_timer()  # the cursor left the one it was for: not read
        self._wanted = article_id
        self._chosen = article_id if chosen else None
        ahead = self._read_ahead_copy(article_id)
        if ahead is not None:  # j or k to a neighbour: shown now, no worker to wait for
            self._show(ahead)
            if chosen and self.pane_on_screen:
                self._schedule_read(ahead)
            return
        self._read_article(article_id, chosen)

    def _read_ahead_copy(self, article_id: int) -> Article | None:
        """The article as read ahead, if its list row still says the same of it (read,
        flagged, claimed, done, title: the row follows every change the reader sees)."""
        ahead = self._ahead.pop(article_id, None)
        row = self.article_list.loaded_row(self.article_list.cursor_row)
        if ahead is None or row is None or row.id != article_id:
            return None
        if any(getattr(ahead, name) != getattr(row, name) for name in _ROW_FIELDS):
            return None
        return ahead

    def _read_neighbours(self) -> None:
        """Read the articles above and below the cursor in a worker, for the next j or k."""
        table = self.article_list
        ids = []
        for index in (table.cursor_row + 1, table.cursor_row - 1):
            row = table.loaded_row(index)
            if row is not None:
                ids.append(row.id)
        wanted = [i for i in ids if i not in self._ahead]
        self._ahead = {i: a for i, a in self._ahead.items() if i in ids}
        if wanted:
            self._read_articles_ahead(wanted)

    @work(thread=True, exclusive=True, group="ahead", exit_on_error=False)
    def _read_articles_ahead(self, article_ids: list[int]) -> None:
        try:
            found = [self.store.article(i) for i in article_ids]
        except StoreError:
            return  # read when moved to, as without the read-ahead
        self.post_message(ArticlesAhead([a for a in found if a is not None]))

    def on_articles_ahead(self, message: ArticlesAhead) -> None:
        for article in message.articles:
            self._ahead[article.id] = article
        self.pane.prepare(message.articles)  # their lines rendered before j or k asks

    @property
    def read_ahead(self) -> set[int]:
        """The articles read ahead, beside the one shown."""
        return set(self._ahead)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _read_article(self, article_id: int, chosen: bool) -> None:
        try:
            article = self.store.article(article_id)
        except StoreError as exc:
            self.post_message(ArticleRead(None, chosen=chosen, error=exc))
            return
        self.post_message(ArticleRead(article, chosen=chosen))

    def on_article_read(self, message: ArticleRead) -> None:
        if message.error is not None:
            self._server_lost(message.error)
            return
        article = message.article
        # the cursor's row may be being read again (a poll's reload keeps the cursor on it)
        current = self.article_list.current_id
        if article is None or article.id != self._wanted or current not in (None, article.id):
            return  # the cursor moved on (j j j shows only the last)
        shown = self.pane.article
        if shown is None or shown.id != article.id:
            self._show(article)
        if message.chosen and self.pane_on_screen:
            self._schedule_read(self.pane.article or article)

    def _show(self, article: Article) -> None:
        for name in _KEYED_FIELDS:  # a key's write still under way: what the key showed
            setattr(article, name, self.writes.intended((article.id, name), getattr(article, name)))
        self.pane.show_article(article, self.view.search)
        if self._read_pending != article.id:
            self._stop_read_timer()  # the one it was for is off screen now
        if self._painted.is_set():  # (the first frame's article: the counts come first)
            self.call_after_refresh(self._read_neighbours)  # once it is drawn

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        # a reload's cursor is followed when reload_articles asked for it
        if event.chosen or self._follow_reload:
            chosen = event.chosen or self._follow_chosen
            self._follow_reload = self._follow_chosen = False
            self._follow_list(chosen=chosen)

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
        article = self.target
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

    # the view: filter, search, one step back ----------------------------------------------

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
        """Leave the search being typed, the open article (back to the list, a kept
        search's hits too), the kept search, or a single feed's (category's, watchlist's)
        view, in that order; False when there was nothing to leave."""
        box = self.search_box
        if box.has_focus:
            self._leave_search()
        elif self.pane.has_focus or self.feed_list.has_focus:
            pass  # back to the list
        elif box.display and self.view.search:
            self._leave_search()
        elif self.view.feed_id is not None or self.view.category is not None or self.view.watchlist:
            self.view = self.view.at(None, None)  # all feeds (a watchlist's view too)
            self.feed_list.move_cursor(0)
        else:
            return False
        self.article_list.focus()
        return True

    def _leave_search(self) -> None:
        box = self.search_box
        box.value = ""
        box.display = False
        self.view = self.view.searching("")

    def action_quit(self) -> None:
        """q steps back (article, search, a feed's view) and quits from the top, as in
        newsboat."""
        if not self.step_back():
            self.app.exit()

    def action_help(self) -> None:
        from newsroom_tui.ui.screens.dialogs import HelpScreen  # when asked, not at start

        self.app.push_screen(HelpScreen(self.key_display))
