"""The reader's triage: moving between articles and feeds, read, flag, claim, done, mark
all read, undo; and when an article counts as read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from newsroom_tui.errors import one_line
from newsroom_tui.models import Article, ArticleSummary
from newsroom_tui.store import ClaimTaken, StoreError
from newsroom_tui.ui.language import plural, tr
from newsroom_tui.ui.screens.reader_parts import ReaderPart


class ReaderTriage(ReaderPart):
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
            shown = self.is_mounted and self.pane_on_screen and self.pane.article is article
            if shown and not article.read:
                self.set_read(article, True)

        self._read_pending = article.id
        self._read_timer = self.set_timer(self.app.read_delay, still_shown)

    def _stop_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
        self._read_timer = self._read_pending = None

    @property
    def target(self) -> ArticleSummary | None:
        """The article under the list cursor for a triage key, never read from the store
        (the key answers at once): the pane's copy when it shows it, else the list's row
        (the pane's own read is on its way); None while the row is being read."""
        table = self.article_list
        shown = self.pane.article
        if table.in_gap:
            return shown  # the open article, which left the list
        row = table.loaded_row(table.cursor_row)
        if row is None:
            return None
        if shown is not None and shown.id == row.id:
            return shown
        return row

    def _not_saved(self, exc: StoreError) -> None:
        self.notify(
            tr("Not saved: {reason}", reason=one_line(exc)),
            severity="error",
            timeout=10,
            markup=False,
        )

    def _show_state(self, article: ArticleSummary, name: str, value: object) -> None:
        """Show ``name`` (read, flagged, claimed_by, done) of ``article`` as ``value``: its
        list row, and the pane when it shows it."""
        setattr(article, name, value)
        self.article_list.mark(article.id, **{name: value})
        shown = self.pane.article
        if shown is not None and shown.id == article.id:
            setattr(shown, name, value)
            if name in ("claimed_by", "done"):
                self.pane.show_meta(shown)

    def set_read(self, article: ArticleSummary, read: bool) -> None:
        """Shown at once, written behind (taken back with a notice if the write fails)."""

        def show(value: object) -> None:
            was = article.read
            self._show_state(article, "read", value)
            if was != value:
                self.feed_list.adjust_unread(article.feed_id, -1 if value else 1)
                self._show_totals()

        self.writes.change(
            (article.id, "read"),
            read,
            article.read,
            lambda: self.store.set_read(article.id, read),
            show,
            failed=self._not_saved,
        )

    # triage actions ----------------------------------------------------------------------

    def action_scroll_article(self, pages: int) -> None:
        if pages > 0:
            self.pane.scroll_page_down(animate=False)
        else:
            self.pane.scroll_page_up(animate=False)

    def action_next_unread(self) -> None:
        self._find_unread(1)

    def action_previous_unread(self) -> None:
        self._find_unread(-1)

    def _find_unread(self, step: int) -> None:
        """Look for the next (previous) unread article in a thread, after the writes
        asked before (a read mark just given counts), and go there."""
        table = self.article_list
        find = table.unread_finder(step)
        if find is None:
            self._to_unread(None)
            return
        generation, reading = table.generation, self.pane.has_focus

        def found(row: object) -> None:
            if table.generation == generation:  # else the list was read again meanwhile
                self._to_unread(row if isinstance(row, int) else None, reading=reading)

        self.writes.write(find, done=found, failed=self._server_lost)

    def _to_unread(self, row: int | None, *, reading: bool = False) -> None:
        """To the unread article at ``row``: in the article view it opens in place (as in
        newsboat), from the list the cursor goes there."""
        table = self.article_list
        if row is None:
            self.notify(tr("No unread articles here."))
            return
        table.move_cursor(row=row)
        if not reading:
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
        self.notify(undo(), markup=False)  # it may name an article: never markup

    def action_toggle_read(self) -> None:
        article = self.target
        if article:
            self._stop_read_timer()
            self.set_read(article, not article.read)

    def action_toggle_flag(self) -> None:
        article = self.target
        if article is None:
            return
        flagged = not article.flagged
        self.writes.change(
            (article.id, "flagged"),
            flagged,
            article.flagged,
            lambda: self.store.set_flagged(article.id, flagged),
            lambda value: self._show_state(article, "flagged", value),
            failed=self._not_saved,
        )

    def action_toggle_claim(self) -> None:
        """Claim the article for me, or give my claim up; someone else's claim stays."""
        article = self.target
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
        article_id, releasing = article.id, article.claimed_by == me

        def write() -> str | None:
            if releasing:
                self.store.release(article_id)
                return None
            try:
                self.store.claim(article_id)
            except ClaimTaken as taken:  # a colleague was faster
                return taken.holder
            return me

        def answered(holder: object) -> None:
            if holder is not None and holder != me:
                self.notify(
                    tr("{user} claimed it first.", user=str(holder)),
                    severity="warning",
                    markup=False,
                )

        self.writes.change(
            (article_id, "claimed_by"),
            None if releasing else me,
            article.claimed_by,
            write,
            lambda value: self._show_state(article, "claimed_by", value),
            stored_as=lambda holder: holder,
            done=answered,
            failed=self._not_saved,
        )

    def action_toggle_done(self) -> None:
        """Done (for the whole team): it leaves the list, except under the "done" filter.
        The row shows it at once (✓); the list is read again once it is written."""
        article = self.target
        if article is None:
            return
        done = not article.done

        def set_done(value: bool, then: Callable[[], None] | None = None) -> None:
            def failed(exc: StoreError) -> None:
                if self._undo is undo:
                    self._undo = None  # what was not written is not undone
                self._not_saved(exc)

            self.writes.change(
                (article.id, "done"),
                value,
                article.done,
                lambda: self.store.set_done(article.id, value),
                lambda shown: self._show_state(article, "done", shown),
                done=lambda _: self.reload_articles_behind(keep_row=True),
                failed=failed,
            )

        def undo() -> str:
            set_done(not done)
            if done:
                return tr("Not done any more: {title}", title=article.title)
            return tr("Done again: {title}", title=article.title)

        set_done(done)  # the cursor goes on to the next article once the list is read
        self._undo = undo
        self.notify(tr("Done.") if done else tr("Not done any more."))

    def action_mark_all_read(self) -> None:
        from newsroom_tui.ui.screens import dialogs  # when asked, not at start

        shown = self.article_list.row_count
        if not shown:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            where = self.view.where
            unread = replace(where, unread=True)

            def mark() -> list[int]:
                ids = [a.id for a in self.store.articles(unread)]
                self.store.mark_all_read(where)
                return ids

            def marked(result: object) -> None:
                ids = list(result) if isinstance(result, list) else []
                self._after_marking()
                self.notify(
                    plural(len(ids), "{n} article marked as read.", "{n} articles marked as read.")
                )

                def undo() -> str:
                    self.writes.write(
                        lambda: [self.store.set_read(i, False) for i in ids],
                        done=lambda _: self._after_marking(),
                        failed=self._not_marked,
                    )
                    return tr("Undone: {n} marked as read.", n=len(ids))

                self._undo = undo

            self.article_list.mark_loaded(read=True)  # at once; the counts follow the write
            self.writes.write(mark, done=marked, failed=self._not_marked)

        self.app.push_screen(
            dialogs.ConfirmScreen(tr("Mark all {n} shown articles as read?", n=shown)), answered
        )

    def _not_marked(self, exc: StoreError) -> None:
        self._not_saved(exc)
        self.reload_articles_behind(keep_row=True)  # the rows as the store has them

    def _after_marking(self) -> None:
        self.reload_feeds()
        self.reload_articles_behind(keep_row=True)
        self.refresh_shown_article(read=True)
