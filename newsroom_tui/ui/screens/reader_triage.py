"""The reader's triage: moving between articles and feeds, read, flag, claim, done, mark
all read, undo; and when an article counts as read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from newsroom_tui.errors import one_line
from newsroom_tui.models import Article
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

    def _saved(self, write: Callable[[], object]) -> bool:
        """Run a store write; a cache that cannot be written (read-only, disk full) is said
        in one line and the reader carries on, showing what it has."""
        try:
            write()
        except StoreError as exc:
            self._not_saved(exc)
            return False
        return True

    def _not_saved(self, exc: StoreError) -> None:
        self.notify(
            tr("Not saved: {reason}", reason=one_line(exc)),
            severity="error",
            timeout=10,
            markup=False,
        )

    def set_read(self, article: Article, read: bool) -> None:
        if not self._saved(lambda: self.store.set_read(article.id, read)):
            return
        article.read = read
        self.article_list.mark(article.id, read=read)
        self.feed_list.adjust_unread(article.feed_id, -1 if read else 1)
        self._show_totals()

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
        """To the unread article at ``row``: in the article view it opens in place (as in
        newsboat), from the list the cursor goes there."""
        table = self.article_list
        if row is None:
            self.notify(tr("No unread articles here."))
            return
        reading = self.pane.has_focus
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
            self._not_saved(exc)
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
            if done:
                return tr("Not done any more: {title}", title=article.title)
            return tr("Done again: {title}", title=article.title)

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
            dialogs.ConfirmScreen(tr("Mark all {n} shown articles as read?", n=shown)), answered
        )

    def _after_marking(self) -> None:
        self.reload_feeds()
        self.reload_articles(keep_row=True)
        self.refresh_shown_article(read=True)
