"""A shared store's live side in the reader: what colleagues change arrives through the
store's change feed (LISTEN/NOTIFY) and is applied to the list, the counts and the pane."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from newsroom_tui.models import Article
from newsroom_tui.store import ChangeFeed, StoreChange, StoreError
from newsroom_tui.ui.article_list import ArticleList
from newsroom_tui.ui.article_view import ArticleView

if TYPE_CHECKING:
    from textual.app import App

    from newsroom_tui.store import Store

    _Base = App[None]
else:
    _Base = object

CHANGE_REFRESH_SECONDS = 0.1  # colleagues' claims and flags: applied this often
POLL_REFRESH_SECONDS = 0.5  # new articles: the list and the counts reload at most this often


class ColleagueChanges(_Base):
    """Mixed into the reader (``NewsroomApp``), which provides the store, the filter and
    the reloads named below."""

    if TYPE_CHECKING:
        store: Store
        filter_mode: str
        server_offline: bool
        _feeds_due: set[int] | None
        _list_due: bool

        def reload_articles(self) -> None: ...
        def _feed_changed(self, feed_id: int, new_articles: bool) -> None: ...
        def _reload_what_changed(self) -> None: ...
        def update_status(self) -> None: ...

    def _init_colleague_changes(self) -> None:
        self._changes: ChangeFeed | None = None
        self._heard: list[StoreChange] = []
        self._last_reload = 0.0

    def _listen(self) -> None:
        """Start hearing colleagues' changes (after the first frame)."""
        self._changes = self.store.watch(self._heard_in_thread)
        self.set_interval(CHANGE_REFRESH_SECONDS, self._apply_changes)

    def _stop_listening(self) -> None:
        if self._changes is not None:
            self._changes.close()

    def _heard_in_thread(self, change: StoreChange) -> None:
        """From the listener thread: queue the change; the UI takes the queue in turn."""
        self._heard.append(change)

    def _apply_changes(self) -> None:
        """Apply what other clients changed. A claim, flag or done is patched into the list
        and the pane at once (every tick); new articles or feeds reload the list and the
        counts at most every POLL_REFRESH_SECONDS, so a colleague's poll of 1,000 feeds does
        not keep the reader busy reloading, nor delay the claims."""
        heard, self._heard = self._heard, []
        kinds = {c.kind for c in heard}
        if "offline" in kinds and "online" not in kinds:
            self.server_offline = True
            self.update_status()
            return
        for c in heard:
            if c.kind == "articles" and c.feed_id is not None:
                self._feed_changed(c.feed_id, True)
        changed = [c.article_id for c in heard if c.article_id is not None]
        if kinds & {"feeds", "online"}:  # new feeds, or the server back: everything once
            self._feeds_due, self._list_due = None, True
        if len(changed) > 20:  # a colleague's "mark all": one reload is cheaper
            self._feeds_due, self._list_due, changed = None, True, []
        now = time.monotonic()
        reload = self._list_due and (
            "online" in kinds or now - self._last_reload >= POLL_REFRESH_SECONDS
        )
        if not changed and not reload:
            return
        try:
            for article_id in dict.fromkeys(changed):
                self._refresh_article(article_id)
            if reload:
                self._last_reload = now
                self.server_offline = False
                self._reload_what_changed()
                self._refresh_shown_article()
        except StoreError:
            self.server_offline = True
        self.update_status()

    def _refresh_article(self, article_id: int) -> None:
        fresh = self.store.article(article_id)
        if fresh is None:
            return
        hidden = fresh.done != (self.filter_mode == "done") or (
            self.filter_mode == "flagged" and not fresh.flagged
        )
        if hidden:  # it left the current view (done by a colleague, unflagged)
            self.reload_articles()
        else:
            state = {"flagged": fresh.flagged, "claimed_by": fresh.claimed_by, "done": fresh.done}
            self.query_one(ArticleList).mark(article_id, **state)
        self._refresh_shown_article(fresh)

    def _refresh_shown_article(self, fresh: Article | None = None) -> None:
        view = self.query_one(ArticleView)
        shown = view.article
        if shown is None or (fresh is not None and fresh.id != shown.id):
            return
        fresh = fresh or self.store.article(shown.id)
        if fresh is None:
            return
        shown.flagged, shown.claimed_by, shown.done = fresh.flagged, fresh.claimed_by, fresh.done
        view.show_meta(shown)
