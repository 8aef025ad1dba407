"""The reader's triage: moving between articles and feeds, read, flag, claim, done, mark
all read, undo. Each key's answer is shown first; its write follows in a thread
(``ui/write_behind.py``) and is taken back on screen, with a notice, if it fails."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from newsroom_tui.errors import one_line
from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import ArticleFilter, ClaimTaken, StoreError
from newsroom_tui.ui.language import plural, tr

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen


class Triage:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader
        # n or p looking for an unread article in a thread: Enter typed before it answers
        # opens the article it finds, not the one the cursor leaves
        self._finding = 0
        self._open_when_found = False

    @property
    def target(self) -> ArticleSummary | None:
        """The article under the list cursor for a triage key, never read from the store
        (the key answers at once): the pane's copy when it shows it, else the list's row
        (the pane's own read is on its way); None while the row is being read."""
        table = self._reader.article_list
        shown = self._reader.pane.article
        if table.in_gap:
            return shown  # the open article, which left the list
        row = table.loaded_row(table.cursor_row)
        if row is None:
            return None
        if shown is not None and shown.id == row.id:
            return shown
        return row

    def not_saved(self, exc: StoreError) -> None:
        """A write that failed, taken back on screen: its reason in one line; the team
        database out of reach said shortly (its address and the server's words are in the
        outage's own notice's way out, ``newsroom --database URL feeds``)."""
        if exc.unreachable:
            self._reader.server.lost(exc)  # the outage's line and notice, once
            reason = tr("the database is unreachable; the reader retries")
        else:
            reason = one_line(exc)
        self._reader.notify(
            tr("Not saved: {reason}", reason=reason),
            severity="error",
            timeout=10,
            markup=False,
        )

    def story_wide(self, article: ArticleSummary) -> bool:
        """Does a key on ``article`` apply to its whole story? (The list shows stories
        once, and the article is one of a story.)"""
        return self._reader.view.stories and article.story_first is not None

    def _show_state(self, article: ArticleSummary, name: str, value: object) -> None:
        """Show ``name`` (read, flagged, claimed_by, done) of ``article`` as ``value``: its
        list row, and the pane when it shows it."""
        reader = self._reader
        setattr(article, name, value)
        reader.article_list.mark(article.id, **{name: value})
        if name == "read":
            reader.story.versions.mark_read(
                article.id, bool(value), whole_story=self.story_wide(article)
            )
        shown = reader.pane.article
        if shown is not None and (
            shown.id == article.id
            or (self.story_wide(article) and shown.story_id == article.story_id)
        ):  # the article, or another version of its story (``v``)
            setattr(shown, name, value)
            if name in ("claimed_by", "done"):
                reader.pane.show_meta(shown)

    def set_read(self, article: ArticleSummary, read: bool) -> None:
        """Shown at once, written behind (taken back with a notice if the write fails)."""
        reader = self._reader

        def show(value: object) -> None:
            was = article.read
            self._show_state(article, "read", value)
            if was != value:
                reader.feed_list.adjust_unread(article.feed_id, -1 if value else 1)
                reader.counts.show_totals()

        story = self.story_wide(article)
        reader.writes.change(
            (article.id, "read"),
            read,
            article.read,
            partial(
                reader.store.set_story_read if story else reader.store.set_read,
                article.id,
                read,
            ),
            show,
            # a story's versions in other feeds: their feeds' counts are read again
            done=(lambda _: reader.reload_feeds()) if story else None,
            failed=self.not_saved,
        )

    def opened(self) -> None:
        """Enter on a row: its article counts as read at once."""
        article = self.target
        if article is not None and not article.read:
            self._reader.follower.reading.stop()
            self.set_read(article, True)

    # moving ------------------------------------------------------------------------------

    def scroll_article(self, pages: int) -> None:
        pane = self._reader.pane
        if pages > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    def find_unread(self, step: int) -> None:
        """Look for the next (previous) unread article in a thread, after the writes
        asked before (a read mark just given counts), and go there."""
        reader = self._reader
        table = reader.article_list
        find = table.unread_finder(step)
        if find is None:
            self._to_unread(None)
            return
        generation, reading = table.generation, reader.pane.has_focus
        self._finding += 1
        finding = self._finding

        def found(row: object) -> None:
            if table.generation == generation:  # else the list was read again meanwhile
                self._to_unread(row if isinstance(row, int) else None, reading=reading)
            self._found(finding)

        def failed(exc: StoreError) -> None:
            self._found(finding)
            reader.server.lost(exc)

        reader.writes.write(find, done=found, failed=failed)

    def open_when_found(self) -> bool:
        """Enter: True (and it opens once found) while n or p is still looking."""
        if self._finding:
            self._open_when_found = True
        return bool(self._finding)

    def _found(self, finding: int) -> None:
        if finding != self._finding:
            return  # another n or p followed: its answer opens
        self._finding = 0
        if self._open_when_found:
            self._open_when_found = False
            self._reader.article_list.selected()

    def _to_unread(self, row: int | None, *, reading: bool = False) -> None:
        """To the unread article at ``row``: in the article view it opens in place (as in
        newsboat), from the list the cursor goes there."""
        table = self._reader.article_list
        if row is None:
            self._reader.notify(tr("No unread articles here."))
            return
        # from a gap (the open article left the list: a story's row became its new version)
        # to the row at the cursor's place is a move too
        table.move_cursor(row=row, force=table.in_gap)
        if not reading:
            table.focus()

    def to_row(self, row: int) -> None:
        table = self._reader.article_list
        table.move_cursor(row)
        table.focus()

    def step_feed(self, step: int) -> None:
        """Show the next (previous) feed of the feed list, as its Enter would."""
        reader = self._reader
        feeds = reader.feed_list
        ids = [feeds.feed_at(i) for i in range(feeds.row_count)]
        order = [fid for fid in ids if fid is not None]
        if not order:
            return
        current = reader.view.feed_id
        index = order.index(current) + step if current in order else (0 if step > 0 else -1)
        feed_id = order[index % len(order)]
        feeds.move_cursor(ids.index(feed_id))
        reader.navigation.feed(feed_id)
        reader.navigated()

    # read, flag, claim, done, all read, undo ------------------------------------------------

    def undo(self) -> None:
        """Undo the last A (mark all read) or D (done)."""
        undo = self._reader.undo.pop()
        if undo is None:
            self._reader.notify(tr("Nothing to undo."))
            return
        self._reader.notify(undo(), markup=False)  # it may name an article: never markup

    def toggle_read(self) -> None:
        article = self.target
        if article:
            self._reader.follower.reading.stop()
            self.set_read(article, not article.read)

    def toggle_flag(self) -> None:
        article = self.target
        if article is None:
            return
        flagged, store = not article.flagged, self._reader.store
        self._reader.writes.change(
            (article.id, "flagged"),
            flagged,
            article.flagged,
            partial(
                store.set_story_flagged if self.story_wide(article) else store.set_flagged,
                article.id,
                flagged,
            ),
            lambda value: self._show_state(article, "flagged", value),
            failed=self.not_saved,
        )

    def toggle_claim(self) -> None:
        """Claim the article for me, or give my claim up; someone else's claim stays."""
        reader = self._reader
        article = self.target
        if article is None:
            return
        store = reader.store
        me = store.user
        if article.claimed_by and article.claimed_by != me:
            reader.refresh_article(article.id)  # show who has it now
            reader.notify(
                tr("Already claimed by {user}.", user=article.claimed_by),
                severity="warning",
                markup=False,
            )
            return
        article_id, releasing = article.id, article.claimed_by == me
        story = self.story_wide(article)  # every version of the story, or none

        def write() -> str | None:
            if releasing:
                (store.release_story if story else store.release)(article_id)
                return None
            try:
                (store.claim_story if story else store.claim)(article_id)
            except ClaimTaken as taken:  # a colleague was faster
                return taken.holder
            return me

        def answered(holder: object) -> None:
            if holder is not None and holder != me:
                reader.notify(
                    tr("{user} claimed it first.", user=str(holder)),
                    severity="warning",
                    markup=False,
                )

        reader.writes.change(
            (article_id, "claimed_by"),
            None if releasing else me,
            article.claimed_by,
            write,
            lambda value: self._show_state(article, "claimed_by", value),
            stored_as=lambda holder: holder,
            done=answered,
            failed=self.not_saved,
        )

    def toggle_done(self) -> None:
        """Done (for the whole team): it leaves the list, except under the "done" filter.
        The row shows it at once (✓); the list is read again once it is written."""
        reader = self._reader
        article = self.target
        if article is None:
            return
        done, store = not article.done, reader.store
        mark = store.set_story_done if self.story_wide(article) else store.set_done

        def set_done(value: bool, select: int | None = None) -> None:
            def failed(exc: StoreError) -> None:
                reader.undo.discard(undo)  # what was not written is not undone
                self.not_saved(exc)

            reader.writes.change(
                (article.id, "done"),
                value,
                article.done,
                partial(mark, article.id, value),
                lambda shown: self._show_state(article, "done", shown),
                done=lambda _: reader.reload_articles(keep_row=True, select=select),
                failed=failed,
            )

        def undo() -> str:
            # an article back in the list: the cursor goes back to it
            set_done(not done, select=article.id if done else None)
            if done:
                return tr("Not done any more: {title}", title=article.title)
            return tr("Done again: {title}", title=article.title)

        set_done(done)  # the cursor goes on to the next article once the list is read
        reader.undo.push(undo)
        undo_key = reader.key_display.get("undo", "U")
        if done:
            reader.notify(tr("Done. {key} undoes it.", key=undo_key))
        else:
            reader.notify(tr("Not done any more."))

    def mark_all_read(self) -> None:
        from newsroom_tui.ui.screens import dialogs  # when asked, not at start

        reader = self._reader
        shown = reader.article_list.row_count
        if not shown:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_all(reader.view.where)

        question = (
            tr(
                "Mark all {n} shown stories as read (every version)?", n=shown
            )  # a story's versions too
            if reader.view.where.stories
            else tr("Mark all {n} shown articles as read?", n=shown)
        )
        reader.app.push_screen(dialogs.ConfirmScreen(question), answered)

    def _mark_all(self, where: ArticleFilter) -> None:
        reader, store = self._reader, self._reader.store
        unread = replace(where, unread=True)

        def mark() -> tuple[int, list[int]]:
            # the rows marked (a story once) for the notice; for the undo, every article
            # the mark changes (a story's unread versions too, its read ones not)
            rows = store.count_articles(unread)
            ids = store.unread_shown(where)
            store.mark_all_read(where)
            return rows, ids

        def marked(result: object) -> None:
            rows, ids = result if isinstance(result, tuple) else (0, [])
            self._after_marking()
            if where.stories:  # the rows counted are stories (each with all its versions)
                reader.notify(
                    plural(rows, "{n} story marked as read.", "{n} stories marked as read.")
                )
            else:
                reader.notify(
                    plural(rows, "{n} article marked as read.", "{n} articles marked as read.")
                )

            def undo() -> str:
                def unmark() -> None:
                    for article_id in ids:
                        store.set_read(article_id, False)

                reader.writes.write(
                    unmark,
                    done=lambda _: self._after_marking(),
                    failed=self._not_marked,
                )
                return tr("Undone: {n} marked as read.", n=rows)

            reader.undo.push(undo)

        reader.article_list.mark_loaded(read=True)  # at once; the counts follow the write
        reader.writes.write(mark, done=marked, failed=self._not_marked)

    def _not_marked(self, exc: StoreError) -> None:
        self.not_saved(exc)
        self._reader.reload_articles(keep_row=True)  # the rows as the store has them

    def _after_marking(self) -> None:
        reader = self._reader
        reader.reload_feeds()
        reader.reload_articles(keep_row=True)
        reader.colleagues.refresh_shown_article(read=True)
