"""What others change, as the reader shows it: a shared store's colleagues (claims, done,
new articles) and watchlist matches of other pollers."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from newsroom_tui.article_reading import read_article
from newsroom_tui.models import Article
from newsroom_tui.store import ChangeKind, StoreChange, StoreError
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.messages import ArticlesRefreshed, ColleaguesChanged, ColleaguesMatched
from newsroom_tui.ui.watch_alerts import TOASTS_AT_ONCE, match_of

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen
    from newsroom_tui.watch_records import WatchMatch

log = logging.getLogger("newsroom.watch")


class Colleagues:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader

    def watch_problem(self, line: str) -> None:
        """A --run command failed (from its runner thread): say so in the reader."""
        reader = self._reader
        try:
            reader.app.call_from_thread(
                reader.notify, line, severity="warning", timeout=10, markup=False
            )
        except RuntimeError:  # on the app's own thread (closing), or the app is gone
            log.warning("%s", line)

    def _matched(self, changes: list[StoreChange]) -> None:
        """Matches of another poller (cron, a colleague's reader): read in a thread,
        notified by the screen."""
        store = self._reader.store
        try:
            watchlists = {w.name: w for w in store.watchlists()}
            matches: list[WatchMatch] = []
            more = 0
            for change in changes:
                watchlist = watchlists.get(change.watchlist or "")
                if watchlist is None or not watchlist.notify or change.article_id is None:
                    continue
                if len(matches) >= TOASTS_AT_ONCE:  # a colleague's cold poll: not one by one
                    more += 1
                    continue
                article = read_article(store, change.article_id)
                if article is not None:
                    matches.append(match_of(article, watchlist))
        except StoreError:
            self._reader.post_message(ArticlesRefreshed([], failed=True))
            return
        self._reader.post_message(ColleaguesMatched(matches, more))

    def changed(self, message: ColleaguesChanged) -> None:
        """Apply what other clients changed. A claim, flag or done is patched into the list
        and the pane at once; new articles or feeds reload the list at its turn."""
        reader = self._reader
        if message.offline:
            reader.status.server_offline = True
            return
        matched = [c for c in message.changes if c.kind is ChangeKind.MATCH]
        if matched:
            reader.run_worker(
                partial(self._matched, matched),
                thread=True,
                group="colleague-matches",
                exit_on_error=False,
            )
        if matched or ChangeKind.WATCHLISTS in message.kinds:
            reader.reload_feeds(set())  # the watchlists' counts (no feed's)
        if message.everything:  # new feeds, the server back, a colleague's "mark all"
            reader.status.server_offline = False
            reader.reload_feeds()
            reader.reload_articles()
            self.refresh_shown_article()
            return
        if message.feed_ids:
            reader.reload_feeds(message.feed_ids)
            reader.lists.soon()
        for article_id in message.article_ids:
            self.refresh_article(article_id)

    def refresh_article(self, article_id: int) -> None:
        """Read the article again (a colleague changed it) in a worker; the list and the
        pane show what changed."""
        self._read_again([article_id], read=False, in_list=True)

    def refresh_shown_article(self, *, read: bool = False) -> None:
        """Show the pane's article's state (``read`` too) as the store has it now."""
        shown = self._reader.pane.article
        if shown is not None:
            self._read_again([shown.id], read=read, in_list=False)
            self._reader.story.versions.refresh_from(self._reader.store)

    def _read_again(self, article_ids: list[int], *, read: bool, in_list: bool) -> None:
        self._reader.run_worker(
            partial(self._read_articles, article_ids, read, in_list),
            thread=True,
            group="read-again",
            exit_on_error=False,
        )

    def _read_articles(self, article_ids: list[int], read: bool, in_list: bool) -> None:
        store = self._reader.store
        try:
            fresh = [read_article(store, i) for i in article_ids]
        except StoreError:
            self._reader.post_message(ArticlesRefreshed([], failed=True))
            return
        found = [a for a in fresh if a is not None]
        self._reader.post_message(ArticlesRefreshed(found, read=read, in_list=in_list))

    def refreshed(self, message: ArticlesRefreshed) -> None:
        if message.failed:
            self._reader.status.server_offline = True
        for fresh in message.articles:
            self._refreshed(fresh, read=message.read, in_list=message.in_list)

    def _refreshed(self, fresh: Article, *, read: bool, in_list: bool) -> None:
        reader = self._reader
        reader.writes.show_keys(fresh)  # read before a key's write was: as the key showed it
        shown = reader.pane.article
        if not in_list:
            pass  # the pane's article only
        elif reader.view.hides(done=fresh.done, flagged=fresh.flagged):
            # it left the view (done by a colleague, unflagged): the cursor keeps its row,
            # the article being read stays open
            reader.reload_articles(keep_row=True, follow=False)
            if shown is not None and shown.id == fresh.id and fresh.done and not shown.done:
                reader.notify(
                    tr("Marked done by a colleague; it stays open until you move on."),
                    severity="warning",
                )
        else:
            state = {"flagged": fresh.flagged, "claimed_by": fresh.claimed_by, "done": fresh.done}
            reader.article_list.mark(fresh.id, **state)
        if shown is None or fresh.id != shown.id:
            return
        if read:
            shown.read = fresh.read
        shown.flagged, shown.claimed_by, shown.done = fresh.flagged, fresh.claimed_by, fresh.done
        reader.pane.show_meta(shown)
