"""The reader: feeds and articles on the left, the article on the right, poll status below."""

from __future__ import annotations

import asyncio
import importlib
import re
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static

from newsroom_tui.article_format import article_text, credits_text, format_date
from newsroom_tui.config import Config, apply_feed_settings
from newsroom_tui.models import Article
from newsroom_tui.store import ArticleFilter, ClaimTaken, Store, StoreError
from newsroom_tui.ui.article_list import ArticleList
from newsroom_tui.ui.article_view import SAFE_LINK_SCHEMES, ArticleView
from newsroom_tui.ui.colleague_changes import POLL_REFRESH_SECONDS, ColleagueChanges
from newsroom_tui.ui.dialogs import ConfirmScreen, HelpScreen
from newsroom_tui.ui.feed_list import FeedList
from newsroom_tui.ui.gallery_strip import detect_graphics
from newsroom_tui.ui.ui_state import UiState

FILTER_MODES = ("all", "unread", "flagged", "done")  # done articles show only under "done"
READ_AFTER_SECONDS = 1.0


class NewsroomApp(ColleagueChanges, App[None]):
    TITLE = "newsroom"
    CSS_PATH = "newsroom.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("n", "next_unread", "Next unread", id="next_unread"),
        Binding("m", "toggle_read", "Read/unread", id="toggle_read"),
        Binding("s", "toggle_flag", "Flag", id="toggle_flag"),
        Binding("a", "toggle_claim", "Claim", id="toggle_claim"),
        Binding("D", "toggle_done", "Done", id="toggle_done"),
        # priority: handled before later keys are passed on, so "/foo" typed fast all lands
        # in the search box rather than "f" reaching the list
        Binding("slash", "search", "Search", id="search", priority=True),
        Binding("f", "cycle_filter", "Filter", id="cycle_filter"),
        Binding("r", "poll", "Poll", id="poll"),
        Binding("o", "open_link", "Open", show=False, id="open_link"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy_link"),
        Binding("c", "copy_credits", "Copy credits", show=False, id="copy_credits"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("A", "mark_all_read", "All read", show=False, id="mark_all_read"),
        Binding("escape", "escape", "Back", show=False),
    ]

    def __init__(
        self,
        store: Store,
        *,
        poll_on_start: bool = True,
        export_dir: Path | None = None,
        config: Config | None = None,
        state_file: Path | None = None,
        images: bool | None = None,
        image_dir: Path | None = None,
    ) -> None:
        super().__init__()
        # Gallery thumbnails (None: where the terminal can show images). The terminal is
        # asked now: once the app runs, Textual reads the answer as keys.
        self.images = images
        if images is not False:
            detect_graphics(force=images is True)
        if image_dir is None and state_file is not None:
            image_dir = state_file.parent / "images"  # the data dir, beside the database
        self.image_dir = image_dir
        self.store = store
        self.config = config or Config()
        self.ui_state = UiState(state_file)
        self.poll_on_start = poll_on_start
        self.export_dir = export_dir or Path.cwd()
        self.polling = False
        self.poll_progress: str | None = None
        self.offline = False
        self.poll_errors: dict[str, str] = {}
        self.read_delay = READ_AFTER_SECONDS
        self._read_timer: Timer | None = None
        self.filter_mode = "all"
        self.feed_id: int | None = None
        self.category: str | None = None
        self.search = ""
        self._pending_search = ""
        self._search_scheduled = False
        self.server_offline = False  # a shared store's server is out of reach
        self._init_colleague_changes()
        self._last_success: datetime | None = None
        self._pane_due = False  # the pane follows the list after the next frame
        # What a poll (ours, or a colleague's) changed since the list was last reloaded
        self._feeds_due: set[int] | None = set()  # feeds whose counts changed (None: all)
        self._list_due = False  # new articles: the list reloads

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield FeedList(id="feeds")
                yield Input(placeholder="Suche: Titel, Text, Bildnachweis…", id="search")
                yield ArticleList(id="articles")
            yield ArticleView(id="detail", images=self.images, image_dir=self.image_dir)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.set_keymap(self.config.keys)
        theme = self.config.theme or self.ui_state.get("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        elif self.config.theme:
            self.notify(f"Unknown theme in the config file: {self.config.theme}", markup=False)
        if self.config.poll_interval:
            self.set_interval(self.config.poll_interval * 60, self.action_poll)
        self.query_one("#search").display = False
        self.query_one(ArticleList).focus()
        self.reload_articles()
        # The titles first, they are what one reads; then feed counts and the poll.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self.store.shared:
            self._listen()
        self.reload_feeds()
        if self.poll_on_start and self.store.feeds():
            self.action_poll()

    def on_unmount(self) -> None:
        self._stop_listening()

    # what the list shows -----------------------------------------------------------------

    @property
    def current_filter(self) -> ArticleFilter:
        return ArticleFilter(
            unread=self.filter_mode == "unread",
            flagged=self.filter_mode == "flagged",
            feed_id=self.feed_id,
            category=self.category,
            search=self.search or None,
            done=self.filter_mode == "done",
        )

    @property
    def narrowed(self) -> bool:
        """Has the reader narrowed the list (filter, feed, category or search)?"""
        return (
            self.filter_mode != "all"
            or bool(self.search)
            or self.feed_id is not None
            or (self.category is not None)
        )

    def _server_lost(self, exc: StoreError) -> None:
        """A shared store's server went away: keep what is on screen and say so (the
        listener reconnects and reloads); a local cache's fault stays an error."""
        if not self.store.shared:
            raise exc
        if not self.server_offline:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
        self.server_offline = True
        self.update_status()

    def reload_feeds(self, only: Collection[int] | None = None) -> None:
        """The feed list's counts: all of them, or ``only`` those feeds (during a poll);
        a feed the list does not show yet rebuilds it."""
        feed_list = self.query_one(FeedList)
        try:
            if only is None or not feed_list.update_counts(self.store.feed_counts(only)):
                feed_list.show_counts(self.store.feed_counts())
        except StoreError as exc:
            self._server_lost(exc)
            return
        self.update_status()

    def _feed_changed(self, feed_id: int, new_articles: bool) -> None:
        """A poll (ours or a colleague's) saved this feed: recount it, and reload the list
        when articles came, at the next refresh."""
        if self._feeds_due is not None:
            self._feeds_due.add(feed_id)
        self._list_due = self._list_due or new_articles

    def _reload_what_changed(self) -> None:
        """Counts of the feeds marked due (all of them when None; not of every feed: over
        the whole cache that took 150 ms at 100,000 articles while a poll wrote) and the
        list after new articles."""
        feeds, self._feeds_due = self._feeds_due, set()
        if feeds is None or feeds:
            self.reload_feeds(feeds)
        if self._list_due:
            self._list_due = False
            self.reload_articles()

    def reload_articles(self) -> None:
        table = self.query_one(ArticleList)
        try:
            table.show(self.store, self.current_filter)
        except StoreError as exc:
            self._server_lost(exc)
            return
        if table.row_count:
            self._follow_list()
        else:
            view = self.query_one(ArticleView)
            if not self.store.feeds():
                view.show_message("No feeds yet. Subscribe from the shell: newsroom add URL")
            elif self.narrowed:
                view.show_message(
                    "Nothing matches. Escape clears the search; f changes the filter."
                )
            else:
                view.show_message("No articles yet. Press r to poll.")
        self.update_status()

    @property
    def article(self) -> Article | None:
        """The article under the list cursor. Keys can arrive before the highlight message
        that follows a cursor move, so sync the pane first rather than act on a stale one."""
        self.show_current()
        return self.query_one(ArticleView).article

    def show_current(self) -> None:
        article_id = self.query_one(ArticleList).current_id
        view = self.query_one(ArticleView)
        if article_id is None or (view.article and view.article.id == article_id):
            return
        try:
            article = self.store.article(article_id)
        except StoreError as exc:
            self._server_lost(exc)
            return
        if article is None:
            return
        view.show_article(article)
        self._schedule_read(article)

    def _schedule_read(self, article: Article) -> None:
        """An article counts as read once it has been on screen for ``read_delay`` seconds
        (or at once when opened with Enter): skimming past with j/k, or a filter that shows
        an article for an instant, does not undo an explicit "mark unread"."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if article.read:
            return
        if self.read_delay <= 0:
            self.set_read(article, True)
            return

        def still_shown() -> None:
            views = self.query(ArticleView)  # none while the app shuts down
            if views and views.first().article is article and not article.read:
                self.set_read(article, True)

        self._read_timer = self.set_timer(self.read_delay, still_shown)

    def _saved(self, write: Callable[[], object]) -> bool:
        """Run a store write; a cache that cannot be written (read-only, disk full) is said
        in one line and the reader carries on, showing what it has."""
        try:
            write()
        except StoreError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10, markup=False)
            return False
        return True

    def set_read(self, article: Article, read: bool) -> None:
        if not self._saved(lambda: self.store.set_read(article.id, read)):
            return
        article.read = read
        self.query_one(ArticleList).mark(article.id, read=read)
        self.query_one(FeedList).adjust_unread(article.feed_id, -1 if read else 1)
        self.update_status()

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        self._follow_list()

    def _follow_list(self) -> None:
        """The pane follows the list cursor. While a search is being typed, it does so once
        the narrowed list is on screen: the list is what one watches then, and rendering
        the pane first would hold it back a frame at every keystroke."""
        if not self.query_one("#search", Input).has_focus:
            self.show_current()
        elif not self._pane_due:
            self._pane_due = True
            self.call_after_refresh(self._show_when_due)

    def _show_when_due(self) -> None:
        self._pane_due = False
        self.show_current()

    def on_article_list_selected(self, event: ArticleList.Selected) -> None:
        self.show_current()
        article = self.query_one(ArticleView).article
        if article is not None and not article.read:
            self.set_read(article, True)
        self.query_one(ArticleView).focus()

    def on_feed_list_selected(self, event: FeedList.Selected) -> None:
        self.feed_id = event.feed_id
        self.category = event.category
        self.reload_articles()
        self.query_one(ArticleList).focus()

    # triage actions ----------------------------------------------------------------------

    def action_scroll_article(self, pages: int) -> None:
        view = self.query_one(ArticleView)
        if pages > 0:
            view.scroll_page_down(animate=False)
        else:
            view.scroll_page_up(animate=False)

    def action_next_unread(self) -> None:
        table = self.query_one(ArticleList)
        row = table.next_unread_row()
        if row is None:
            self.notify("No unread articles here.")
            return
        table.move_cursor(row=row)
        table.focus()

    def action_toggle_read(self) -> None:
        article = self.article
        if article:
            if self._read_timer is not None:
                self._read_timer.stop()
                self._read_timer = None
            self.set_read(article, not article.read)

    def action_toggle_flag(self) -> None:
        article = self.article
        if article is None:
            return
        flagged = not article.flagged
        if not self._saved(lambda: self.store.set_flagged(article.id, flagged)):
            return
        article.flagged = flagged
        self.query_one(ArticleList).mark(article.id, flagged=flagged)
        self.update_status()

    def action_toggle_claim(self) -> None:
        """Claim the article for me, or give my claim up; someone else's claim stays."""
        article = self.article
        if article is None:
            return
        me = self.store.user
        if article.claimed_by and article.claimed_by != me:
            self._refresh_article(article.id)  # show who has it now
            self.notify(f"Already claimed by {article.claimed_by}.", severity="warning")
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
            self.notify(f"{taken.holder} claimed it first.", severity="warning", markup=False)
        except StoreError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10, markup=False)
            return
        self.query_one(ArticleList).mark(article.id, claimed_by=article.claimed_by)
        self.query_one(ArticleView).show_meta(article)

    def action_toggle_done(self) -> None:
        """Done (for the whole team): it leaves the list, except under the "done" filter."""
        article = self.article
        if article is None:
            return
        done = not article.done
        if not self._saved(lambda: self.store.set_done(article.id, done)):
            return
        article.done = done
        self.reload_articles()
        self.notify("Done." if done else "Not done any more.")

    def action_mark_all_read(self) -> None:
        shown = self.query_one(ArticleList).row_count
        if not shown:
            return

        def answered(yes: bool | None) -> None:
            changed: list[int] = []
            if yes and self._saved(
                lambda: changed.append(self.store.mark_all_read(self.current_filter))
            ):
                self.reload_feeds()
                self.reload_articles()
                self.notify(f"{changed[0]} articles marked as read.")

        self.push_screen(ConfirmScreen(f"Mark all {shown} shown articles as read?"), answered)

    def action_cycle_filter(self) -> None:
        index = FILTER_MODES.index(self.filter_mode)
        self.filter_mode = FILTER_MODES[(index + 1) % len(FILTER_MODES)]
        self.reload_articles()

    def action_search(self) -> None:
        if self.screen is not self.screen_stack[0]:
            return  # a dialog is open
        box = self.query_one("#search", Input)
        box.display = True
        # Focus now, not via focus()'s call_later: keys typed right after / are already queued
        # and would otherwise reach the list ("f" cycling the filter instead of being typed).
        self.screen.set_focus(box)

    @on(Input.Changed, "#search")
    def narrow(self, event: Input.Changed) -> None:
        """Keystrokes typed faster than the list can follow are coalesced: only the latest
        text is searched."""
        self._pending_search = event.value.strip()
        if not self._search_scheduled:
            self._search_scheduled = True
            self.call_later(self._apply_search)

    def _apply_search(self) -> None:
        self._search_scheduled = False
        if self._pending_search != self.search:
            self.search = self._pending_search
            self.reload_articles()

    @on(Input.Submitted, "#search")
    def keep_search(self, event: Input.Submitted) -> None:
        self.query_one(ArticleList).focus()

    def action_escape(self) -> None:
        box = self.query_one("#search", Input)
        if box.has_focus or (box.display and self.search):
            box.value = ""
            box.display = False
            self.search = ""
            self.reload_articles()
        self.query_one(ArticleList).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    # hand-off actions --------------------------------------------------------------------

    def _link(self) -> str | None:
        url = self.article.url if self.article else None
        if not url:
            self.notify("This article has no link.", severity="warning")
            return None
        if not url.lower().startswith(SAFE_LINK_SCHEMES):
            self.notify("Only http and https links are opened.", severity="warning")
            return None
        return url

    def action_open_link(self) -> None:
        url = self._link()
        if url:
            self.open_url(url)

    def action_copy_link(self) -> None:
        url = self._link()
        if url:
            self.copy_to_clipboard(url)
            self.notify(Text(f"Copied: {url}").plain, markup=False)

    def action_copy_credits(self) -> None:
        if not self.article:
            return
        line = credits_text(self.article.credits)
        if not line:
            self.notify("This article has no photo credits.", severity="warning")
            return
        self.copy_to_clipboard(line)
        self.notify(f"Copied: {line}", markup=False)

    def action_export(self) -> None:
        article = self.article
        if article is None:
            return
        meta = [
            ("Feed", article.feed),
            ("Datum", format_date(article.published)),
            ("Link", article.url or ""),
        ]
        text = article_text(
            article.title, article.body_markdown, article.gallery, article.credits, meta
        )
        path = self.export_dir / export_name(article)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Export failed: {exc.strerror or exc}", severity="error", markup=False)
            return
        self.notify(f"Exported to {path}", markup=False)

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen in the command palette for the next start."""
        if self.is_mounted and not self.config.theme:
            self.ui_state.set("theme", theme)

    # command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action not in ("quit", "escape"):
                yield SystemCommand(
                    binding.description,
                    f"key: {binding.key}",
                    lambda action=binding.action: self.run_action(action),
                )
        yield SystemCommand("All feeds", "show articles of every feed", self.go_to_feed)
        feeds = self.query_one(FeedList)
        for category in feeds.categories:
            yield SystemCommand(
                f"Go to category: {category}",
                "show the feeds of this category",
                lambda c=category: self.go_to_feed(category=c),
            )
        for feed_id, name in feeds.names.items():
            yield SystemCommand(
                f"Go to feed: {name}", "show only this feed", lambda f=feed_id: self.go_to_feed(f)
            )

    def go_to_feed(self, feed_id: int | None = None, category: str | None = None) -> None:
        self.feed_id, self.category = feed_id, category
        self.reload_articles()

    # polling -----------------------------------------------------------------------------

    def action_poll(self) -> None:
        if not self.polling:
            self.run_worker(self.poll(), group="poll", exclusive=True)

    async def poll(self) -> None:
        self.polling = True
        # The poller brings httpx, lxml and trafilatura (~0.4 s of imports): load it in a
        # thread so the first keys after start are not kept waiting.
        poller = await asyncio.to_thread(importlib.import_module, "newsroom_tui.poller")
        from newsroom_tui.fetcher import Fetcher
        from newsroom_tui.poller import FeedOutcome

        poll_feeds = poller.poll_feeds
        self.poll_errors = {}
        total = len(self.store.feeds())
        state = {"done": 0}
        self.poll_progress = f"Polling 0/{total} feeds…"
        self.update_status()

        def progress(outcome: FeedOutcome, done: int, total: int) -> None:
            # a colleague's poller had the feed: nothing failed, nothing to wait for
            if outcome.error and outcome.error != poller.ANOTHER_POLLER:
                self.poll_errors[outcome.feed.display_name] = outcome.error
            state["done"] = done
            self._feed_changed(outcome.feed.id, bool(outcome.new_articles))

        def refresh() -> None:
            """At most a few times a second, however many feeds finish: the keys stay fast."""
            self._reload_what_changed()
            self.poll_progress = f"Polling {state['done']}/{total} feeds…"
            self.update_status()

        ticker = self.set_interval(POLL_REFRESH_SECONDS, refresh)
        feeds = apply_feed_settings(self.store.feeds(), self.config)
        try:
            # httpx loads the CA certificates as the client is made (~0.1 s): in a thread
            fetcher = await asyncio.to_thread(Fetcher, concurrency=self.config.concurrency)
            async with fetcher:
                report = await poll_feeds(self.store, feeds, fetcher=fetcher, on_progress=progress)
        except StoreError as exc:
            self.notify(f"Poll stopped: {exc}", severity="error", timeout=15, markup=False)
            return
        finally:
            ticker.stop()
            self.polling = False
            self.poll_progress = None
        self.offline = report.offline
        self._feeds_due = None  # at the end, every count
        self._reload_what_changed()
        self.update_status()

    def update_status(self) -> None:
        parts: list[str] = []
        if self.poll_progress:
            parts.append(self.poll_progress)
        if self.offline:
            parts.append("OFFLINE — showing cached articles")
        if self.server_offline:
            parts.append("DATABASE UNREACHABLE — showing what was loaded; reconnecting…")
        elif self.store.shared:
            parts.append(f"team inbox as {self.store.user}")
        try:
            last = self._last_success = self.store.last_success()
        except StoreError:
            last = self._last_success
        parts.append(f"last poll {format_date(last) if last else 'never'}")
        feeds = self.query_one(FeedList)
        parts.append(f"{feeds.total} articles, {feeds.total_unread} unread")
        shown = [f"filter: {self.filter_mode}"] if self.filter_mode != "all" else []
        if self.feed_id is not None:
            shown.append(f"feed: {feeds.names.get(self.feed_id, '?')}")
        if self.category is not None:
            shown.append(f"category: {self.category}")
        if self.search:
            shown.append(f"search: {self.search}")
        if shown:
            parts.append(f"{self.query_one(ArticleList).row_count} shown ({', '.join(shown)})")
        if self.poll_errors:
            # skipped feeds (Retry-After, back-off) come as "retry after 14:30 (last error: …)"
            waiting = sum(e.startswith("retry after") for e in self.poll_errors.values())
            if len(self.poll_errors) > waiting:
                parts.append(f"{len(self.poll_errors) - waiting} feed(s) failed")
            if waiting:
                parts.append(f"{waiting} feed(s) waiting")
        text = Text(" · ".join(parts))
        for name, error in list(self.poll_errors.items())[:3]:
            text.append("\n")
            text.append(f"✗ {name}: {error}", style="red")
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(self.offline or self.server_offline, "offline")


def export_name(article: Article) -> str:
    day = article.published.strftime("%Y-%m-%d") if article.published else "undatiert"
    slug = re.sub(r"[^\w]+", "-", article.title.casefold()).strip("-")[:60] or "artikel"
    return f"{day}-{slug}-{article.id}.md"
