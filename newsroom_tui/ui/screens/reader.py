"""The reader: feeds and articles on the left, the article on the right, status below.

The screen is a composition. The widgets own their state (the list its cursor and
read-ahead, the status bar its counts, the article view its article); where the reader is
(a single feed, a search typed or kept, the article or the feed list having the keys) is
one explicit state, ``navigation`` (see ``ui/navigation.py``), and what the list shows,
``view``, follows from it and is bound down to the status bar. The screen's work is done
by objects it holds, one module each: ``reader_lists`` (the list, read in thread
workers), ``reader_pane`` (the pane following the list, and when an article counts as
read), ``reader_counts`` (counts, another process's writes), ``reader_triage`` (moving,
read/flag/claim/done, mark all, undo), ``reader_handoff`` (links, credits, export),
``reader_poll`` (the poll worker), ``reader_story`` (a story's versions),
``reader_colleagues`` (a team's changes, watchlist alerts) and ``reader_server`` (a team
server lost and found again). Every store call runs in a thread; the answers come back as
messages (``ui/messages.py``), handled here."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input

from newsroom_tui.keymap import ACTIONS
from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import LocalChanges, SharedStore, Store
from newsroom_tui.ui.colleagues import Listener
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.later_imports import import_later
from newsroom_tui.ui.messages import (
    ArticleForAction,
    ArticleRead,
    ArticlesAhead,
    ArticlesRefreshed,
    ColleaguesChanged,
    ColleaguesMatched,
    FeedsPolled,
    IndexProgressed,
    ListRead,
    PaneDue,
    ServerAnswered,
    WatchMatched,
)
from newsroom_tui.ui.navigation import Navigation, Place
from newsroom_tui.ui.palette import ReaderCommands
from newsroom_tui.ui.reader_settings import ReaderSettings
from newsroom_tui.ui.screens.reader_colleagues import Colleagues
from newsroom_tui.ui.screens.reader_counts import Counting
from newsroom_tui.ui.screens.reader_handoff import HandOff
from newsroom_tui.ui.screens.reader_lists import ListReads
from newsroom_tui.ui.screens.reader_pane import PaneFollower
from newsroom_tui.ui.screens.reader_poll import Polling
from newsroom_tui.ui.screens.reader_server import ServerWatch
from newsroom_tui.ui.screens.reader_story import StoryReading, VersionRead
from newsroom_tui.ui.screens.reader_triage import Triage
from newsroom_tui.ui.undo import UndoStack
from newsroom_tui.ui.view import View
from newsroom_tui.ui.watch_alerts import ReaderAlerts, write_to_terminal
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from newsroom_tui.ui.widgets.feed_list import FeedList
from newsroom_tui.ui.widgets.key_bar import KeyBar
from newsroom_tui.ui.widgets.status_bar import StatusBar
from newsroom_tui.ui.widgets.watch_list import WatchList
from newsroom_tui.ui.write_behind import WriteBehind

if TYPE_CHECKING:
    from newsroom_tui.ui.widgets.search_box import SearchBox
    from newsroom_tui.watch_records import WatchMatch

CHANGES_SECONDS = 2.0  # how often the reader looks whether another process wrote the cache
NARROW_COLUMNS = 100  # below this the list takes the full width; Enter shows the article


class ReaderScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                a.keys,
                a.id,
                tr(a.label),
                show=a.footer,
                id=a.id,
                # priority for search: "/foo" typed fast lands in the box, "f" not in the list
                priority=a.id == "search",
            )
            for a in ACTIONS
        ),
        Binding("escape,backspace", "escape", tr("Back"), show=False),
    ]
    COMMANDS = {ReaderCommands}

    view: reactive[View] = reactive(View, init=False)

    def __init__(self, store: Store, settings: ReaderSettings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or ReaderSettings()
        self.navigation = Navigation(stories=self.settings.config.stories)
        self.painted = asyncio.Event()  # set once the first frame is on screen
        # a key's write follows its answer on screen, in a thread (write_behind)
        self.writes = WriteBehind(self._start_writes)
        self.undo = UndoStack()  # U undoes the last A or D
        self.server = ServerWatch(self)
        self.lists = ListReads(self)
        self.follower = PaneFollower(self)
        self.counts = Counting(self)
        self.triage = Triage(self)
        self.story = StoryReading(self)
        self.hand_off = HandOff(self)
        self.poller = Polling(self)
        self.colleagues = Colleagues(self)
        self.watch_alerts = self._alerts(terminal=False)
        self._listener: Listener | None = None
        self._search_box: SearchBox | None = None  # mounted at the first search (/)
        self._stop_matches: Callable[[], None] = lambda: None

    def _alerts(self, *, terminal: bool) -> ReaderAlerts:
        return ReaderAlerts(
            lambda line: self.notify(line, title=tr("Watchlist"), timeout=8, markup=False),
            self.colleagues.watch_problem,
            terminal=write_to_terminal if terminal else None,
        )

    def _start_writes(self, drain: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """The writes start once the key's answer is painted."""
        self.call_after_refresh(lambda: self.run_worker(drain(), group="writes"))

    @property
    def key_display(self) -> Mapping[str, str]:
        return self.settings.key_display

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

    @property
    def search_box(self) -> SearchBox:
        """The search field, mounted (hidden) when first asked for: not at start, where its
        widget and CSS would hold back the first frame."""
        box = self._search_box
        if box is None:
            from newsroom_tui.ui.widgets.search_box import SearchBox  # its module too

            box = SearchBox(placeholder=tr("Search: titles, text, photo credits…"), id="search")
            box.display = False
            self.query_one("#sidebar").mount(box, before=self.article_list)
            self._search_box = box
        return box

    def search_typing(self) -> bool:
        """Has the search field the keys (False before the first search)?"""
        return self._search_box is not None and self._search_box.has_focus

    def compose(self) -> ComposeResult:
        settings = self.settings
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                with Horizontal(id="lists"):  # one line; the one focused (Tab) opens
                    watch_list = WatchList(id="watchlists")
                    watch_list.display = False  # until a watchlist is counted: styled once
                    yield watch_list
                    yield FeedList(id="feeds")
                yield ArticleList(id="articles")
            yield ArticleView(
                id="detail",
                images=settings.images,
                image_dir=settings.image_dir,
                open_key=self.key_display.get("open_link", "o"),
                first_frame=self.painted,
            )
        yield StatusBar(id="status").data_bind(ReaderScreen.view)
        # one line, not a widget per key: see key_bar
        yield KeyBar(id="footer", labels=self.key_label)

    async def on_mount(self) -> None:
        self.set_class(self.size.width < NARROW_COLUMNS, "narrow")  # the first frame too
        if self.settings.config.poll_interval:
            self.set_interval(self.settings.config.poll_interval * 60, self.poller.timed)
        self.article_list.focus()
        self.watch_alerts = self._alerts(terminal=not self.app.is_headless)

        # matches of this reader's own polls, from the thread that stores them
        def matched(matches: list[WatchMatch]) -> None:
            self.post_message(WatchMatched(list(matches)))

        self._stop_matches = self.store.on_watch_match(matched)
        if isinstance(self.store, SharedStore):
            self.status.team_user = self.store.user
            self.watch(self.status, "server_offline", self.server.offline_changed, init=False)
        elif isinstance(self.store, LocalChanges):
            # another process (cron's `newsroom fetch`) writing the cache: seen within seconds
            self.set_interval(CHANGES_SECONDS, self.counts.look_for_changes)
        # The titles and the article under the cursor, read in a thread before the first
        # frame; then the counts, the listener and the poll (each waits for that frame).
        await self.lists.first_frame()
        self.run_worker(self.counts.first_counts(), group="counts")
        self.run_worker(self._warm_renderer(), group="warm")
        self.call_after_refresh(self.painted.set)
        self.call_after_refresh(self.article_list.read_neighbours)  # the first j's article
        self.call_after_refresh(self._listen)
        if self.settings.poll_on_start:
            self.poller.poll(on_start=True)

    async def _warm_renderer(self) -> None:
        """Articles a poll stored are made Markdown when first opened, which brings the
        extractor (trafilatura): import it in a thread after the first frame, not on the
        event loop at the first article opened."""
        await self.painted.wait()
        await import_later("newsroom_tui.ingest.article_body")

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

    @property
    def pane_on_screen(self) -> bool:
        return not self.has_class("narrow") or self.has_class("reading")

    # where the reader is: one state, one step back a pop ----------------------------------

    def on_articles_ahead(self, message: ArticlesAhead) -> None:
        self.pane.prepare(message.articles)  # their lines rendered before j or k asks

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Focus moved (a key, a click): the navigation takes it as a step."""
        navigation, focused = self.navigation, self.focused
        if focused is self.pane:
            navigation.go_to(Place.ARTICLE)
        elif focused is self.feed_list or focused is self.watch_list:
            navigation.go_to(Place.FEEDS)
        elif focused is not None and focused is self._search_box:
            if navigation.top is not Place.TYPING:
                navigation.typed(self.search_box.value.strip())
        elif focused is self.article_list:
            navigation.leave(Place.FEEDS, Place.ARTICLE)
            navigation.keep_search()
        self.set_class(self.pane.has_focus, "reading")
        self.navigated(focus=False)

    def navigated(self, *, focus: bool = True) -> None:
        """Show where the navigation is: the view, the search box, and (``focus``) the
        widget that has the keys there."""
        navigation = self.navigation
        if navigation.search_open or self._search_box is not None:
            box = self.search_box
            box.display = navigation.search_open
            if not navigation.search_open and box.value:
                box.value = ""
        self.view = navigation.view
        self.refresh_bindings()  # the keys line: q is Back below the top, Quit at it
        if not focus:
            return
        top = navigation.top or Place.FEED
        target: Widget = (
            self.search_box
            if top is Place.TYPING
            else {Place.ARTICLE: self.pane, Place.FEEDS: self.feed_list}.get(top, self.article_list)
        )
        if target is self.pane:
            self.add_class("reading")  # at once: the pane must be shown to take the focus
        target.focus()

    def key_label(self, action: str) -> str | None:
        """What a key does where the reader is, where its binding's label does not say it:
        q quits from the top and steps back from everywhere else."""
        if action == "quit" and self.navigation.top is not None:
            return tr("Back")
        return None

    def step_back(self) -> bool:
        """Leave the search being typed, the open article (back to the list, a kept
        search's hits too), the kept search, or a single feed's (category's, watchlist's)
        view, in that order; False when there was nothing to leave."""
        step = self.navigation.back()
        if step is None:
            return False
        if step.place is Place.FEED:
            self.feed_list.move_cursor(0)
        self.navigated()
        return True

    def action_escape(self) -> None:
        """One step back: out of the search, out of the article, back to all feeds."""
        self.step_back()

    def action_quit(self) -> None:
        """q steps back (article, search, a feed's view) and quits from the top, as in
        newsboat."""
        if not self.step_back():
            self.app.exit()

    def action_cycle_filter(self) -> None:
        self.navigation.cycle_filter()
        self.navigated(focus=False)

    def action_search(self) -> None:
        if not self.is_current:
            return  # a dialog is open
        box = self.search_box
        self.navigation.typed(box.value.strip())
        box.display = True
        # Focus now, not via focus()'s call_later: keys typed right after / are already queued
        # and would otherwise reach the list ("f" cycling the filter instead of being typed).
        self.set_focus(box)

    def on_search_box_changed(self, event: SearchBox.Changed) -> None:
        if self.navigation.step(Place.TYPING) is not None:
            self.navigation.typed(event.value.strip())
            self.navigated(focus=False)

    @on(Input.Submitted, "#search")
    def keep_search(self, event: Input.Submitted) -> None:
        self.navigation.keep_search()
        self.navigated()

    def on_feed_list_selected(self, event: FeedList.Selected) -> None:
        self.navigation.feed(event.feed_id, event.category)
        self.navigation.leave(Place.FEEDS)
        self.navigated()

    def on_watch_list_selected(self, event: WatchList.Selected) -> None:
        self.navigation.watchlist(event.name)
        self.navigation.leave(Place.FEEDS)
        self.navigated()

    def go_to_feed(self, feed_id: int | None = None, category: str | None = None) -> None:
        self.navigation.feed(feed_id, category)
        self.navigated(focus=False)

    def go_to_watchlist(self, name: str) -> None:
        self.navigation.watchlist(name)
        self.navigated(focus=False)

    def action_help(self) -> None:
        from newsroom_tui.ui.screens.dialogs import HelpScreen  # when asked, not at start

        self.app.push_screen(HelpScreen(self.key_display))

    # what the list shows -----------------------------------------------------------------

    def watch_view(self, old: View, new: View) -> None:
        if new.search and old.searching(new.search) == new:
            # a search typed: its list is read in a thread, the newest keystroke's wins
            self.lists.read_search(new)
        else:
            self.lists.reload()

    def reload_articles(
        self, *, keep_row: bool = False, follow: bool = True, select: int | None = None
    ) -> None:
        """Read the list again, in a thread. ``keep_row``: when the article under the
        cursor left the list, the cursor stays on its row (the next article), else it goes
        to the top. ``follow``: the pane shows the article under the cursor (else it keeps
        its own). ``select``: the cursor goes to this article (one back in the list) rather
        than staying on the one under it."""
        self.lists.reload(keep_row=keep_row, follow=follow, select=select)

    def reload_feeds(self, only: list[int] | set[int] | None = None) -> None:
        """The feed list's counts, read in a thread (all, or ``only`` those feeds)."""
        self.counts.reload_feeds(only)

    def refresh_article(self, article_id: int) -> None:
        """Read the article again (a colleague changed it): the list and pane follow."""
        self.colleagues.refresh_article(article_id)

    @property
    def read_ahead(self) -> set[int]:
        """The articles read ahead, beside the one shown."""
        return self.article_list.read_ahead

    @property
    def target(self) -> ArticleSummary | None:
        """The article under the list cursor for a triage key (see Triage.target)."""
        return self.triage.target

    # the answers of the workers, the listener and the poll ---------------------------------

    def on_list_read(self, message: ListRead) -> None:
        self.lists.answered(message)

    async def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        if event.follow:
            shown = self.pane.article
            self.follower.follow(chosen=event.chosen)
            if self.pane.article is not shown and self.pane_on_screen:
                await self.pane.settled()  # shown at once (read ahead): in the cursor's frame

    def on_pane_due(self, message: PaneDue) -> None:
        self.follower.show_current()

    def on_article_read(self, message: ArticleRead) -> None:
        self.follower.answered(message)

    def on_article_list_selected(self, event: ArticleList.Selected) -> None:
        if self.triage.open_when_found():  # Enter typed right after n: the article n finds
            return
        self.triage.opened()
        self.navigation.go_to(Place.ARTICLE)
        self.navigated()

    def on_version_read(self, message: VersionRead) -> None:
        self.story.answered(message)

    def on_article_for_action(self, message: ArticleForAction) -> None:
        self.hand_off.answered(message)

    def on_feeds_polled(self, message: FeedsPolled) -> None:
        self.poller.progressed(message)

    def on_index_progressed(self, message: IndexProgressed) -> None:
        self.poller.indexed(message)

    def on_watch_matched(self, message: WatchMatched) -> None:
        """Matches of this reader's own poll: alerts at once, counts at the list's turn."""
        self.watch_alerts.own(message.matches)

    def on_colleagues_matched(self, message: ColleaguesMatched) -> None:
        self.watch_alerts.colleagues(message.matches, message.more)

    def on_colleagues_changed(self, message: ColleaguesChanged) -> None:
        self.colleagues.changed(message)

    def on_articles_refreshed(self, message: ArticlesRefreshed) -> None:
        self.colleagues.refreshed(message)

    def on_server_answered(self, message: ServerAnswered) -> None:
        self.server.answered(message)

    # the keys ------------------------------------------------------------------------------

    def action_scroll_article(self, pages: int) -> None:
        self.triage.scroll_article(pages)

    def action_next_unread(self) -> None:
        self.triage.find_unread(1)

    def action_previous_unread(self) -> None:
        self.triage.find_unread(-1)

    def action_first_article(self) -> None:
        self.triage.to_row(0)

    def action_last_article(self) -> None:
        self.triage.to_row(self.article_list.row_count - 1)

    def action_next_feed(self) -> None:
        self.triage.step_feed(1)

    def action_previous_feed(self) -> None:
        self.triage.step_feed(-1)

    def action_undo(self) -> None:
        self.triage.undo()

    def action_toggle_read(self) -> None:
        self.triage.toggle_read()

    def action_toggle_flag(self) -> None:
        self.triage.toggle_flag()

    def action_toggle_claim(self) -> None:
        self.triage.toggle_claim()

    def action_toggle_done(self) -> None:
        self.triage.toggle_done()

    def action_next_version(self) -> None:
        self.story.next_version()

    def action_toggle_stories(self) -> None:
        self.story.toggle()

    def action_mark_all_read(self) -> None:
        self.triage.mark_all_read()

    def action_poll(self) -> None:
        self.poller.poll_now()

    def action_open_link(self) -> None:
        self.hand_off.open_link()

    def action_links(self) -> None:
        self.hand_off.links()

    def action_copy_link(self) -> None:
        self.hand_off.copy_link()

    def action_copy_credits(self) -> None:
        self.hand_off.copy_credits()

    def action_export(self) -> None:
        self.hand_off.export()
