"""What others change, as the reader shows it: a shared store's colleagues (claims, done,
new articles) and watchlist matches, this reader's own and other pollers'."""

from __future__ import annotations

import logging
from typing import Any

from textual import work
from textual.message import Message

from newsroom_tui.article_reading import read_article
from newsroom_tui.models import Article
from newsroom_tui.store import ChangeKind, StoreChange, StoreError
from newsroom_tui.ui.colleagues import ColleaguesChanged
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.screens.reader_parts import ReaderPart
from newsroom_tui.ui.watch_alerts import TOASTS_AT_ONCE, WatchMatched, match_of

log = logging.getLogger("newsroom.watch")


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


class ColleaguesMatched(Message):
    """Watchlist matches of another poller, read in a worker: shown as alerts."""

    def __init__(self, matches: list[Any], more: int) -> None:
        super().__init__()
        self.matches, self.more = matches, more


class ReaderColleagues(ReaderPart):
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

    @work(thread=True, group="colleague-matches", exit_on_error=False)
    def _colleagues_matched(self, changes: list[StoreChange]) -> None:
        """Matches of another poller (cron, a colleague's reader): read in a thread,
        notified here."""
        try:
            watchlists = {w.name: w for w in self.store.watchlists()}
            matches, more = [], 0
            for change in changes:
                watchlist = watchlists.get(change.watchlist or "")
                if watchlist is None or not watchlist.notify or change.article_id is None:
                    continue
                if len(matches) >= TOASTS_AT_ONCE:  # a colleague's cold poll: not one by one
                    more += 1
                    continue
                article = read_article(self.store, change.article_id)
                if article is not None:
                    matches.append(match_of(article, watchlist))
        except StoreError:
            self.post_message(ArticlesRefreshed([], failed=True))
            return
        self.post_message(ColleaguesMatched(matches, more))

    def on_colleagues_matched(self, message: ColleaguesMatched) -> None:
        self.watch_alerts.colleagues(message.matches, message.more)

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
        """Read the article again (a colleague changed it) in a worker; the list and the
        pane show what changed."""
        self._read_again([article_id], read=False, in_list=True)

    def refresh_shown_article(self, *, read: bool = False) -> None:
        """Show the pane's article's state (``read`` too) as the store has it now."""
        shown = self.pane.article
        if shown is not None:
            self._read_again([shown.id], read=read, in_list=False)

    @work(thread=True, group="read-again", exit_on_error=False)
    def _read_again(self, article_ids: list[int], *, read: bool, in_list: bool) -> None:
        try:
            fresh = [read_article(self.store, i) for i in article_ids]
        except StoreError:
            self.post_message(ArticlesRefreshed([], failed=True))
            return
        found = [a for a in fresh if a is not None]
        self.post_message(ArticlesRefreshed(found, read=read, in_list=in_list))

    def on_articles_refreshed(self, message: ArticlesRefreshed) -> None:
        if message.failed:
            self.status.server_offline = True
        for fresh in message.articles:
            self._refreshed(fresh, read=message.read, in_list=message.in_list)

    def _refreshed(self, fresh: Article, *, read: bool, in_list: bool) -> None:
        shown = self.pane.article
        if not in_list:
            pass  # the pane's article only
        elif self.view.hides(done=fresh.done, flagged=fresh.flagged):
            # it left the view (done by a colleague, unflagged): the cursor keeps its row,
            # the article being read stays open
            self.reload_articles(keep_row=True, follow=False)
            if shown is not None and shown.id == fresh.id and fresh.done and not shown.done:
                self.notify(
                    tr("Marked done by a colleague; it stays open until you move on."),
                    severity="warning",
                )
        else:
            state = {"flagged": fresh.flagged, "claimed_by": fresh.claimed_by, "done": fresh.done}
            self.article_list.mark(fresh.id, **state)
        if shown is None or fresh.id != shown.id:
            return
        if read:
            shown.read = fresh.read
        shown.flagged, shown.claimed_by, shown.done = fresh.flagged, fresh.claimed_by, fresh.done
        self.pane.show_meta(shown)
