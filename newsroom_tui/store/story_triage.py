"""Triage of a whole story (both backends): read, flag, claim, done of an article apply to
every article of its story, in one transaction. The reader's list shows a story once;
what a key does to its row it does to the story."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from newsroom_tui.store.base import ChangeKind, ClaimTaken, StoreChange
from newsroom_tui.store.rows import Transaction, to_db_time
from newsroom_tui.store.store_hooks import StoreHooks

# the articles of the story of article ``?`` (twice: its id), on article ``a``; an article
# without a story (a sync's) is one alone
OF_STORY = "(a.story_id = (SELECT story_id FROM articles WHERE id = ?) OR a.id = ?)"


class StoryTriage(StoreHooks):
    """The part of :class:`~newsroom_tui.store.sql_store.SQLStore` that marks a story."""

    user: str

    def _mark_story_read(self, tx: Transaction, article_id: int, read: bool) -> None:
        """Set this user's read state of the story of ``article_id`` (the backend's way)."""
        raise NotImplementedError

    def _queue_story_flag(self, tx: Transaction, article_id: int, flagged: bool) -> None:
        """Before a story's flag changes: what a backend keeps of it besides (a sync's)."""

    def _story_update(
        self,
        tx: Transaction,
        article_id: int,
        sets: str,
        params: Sequence[object],
        only: str,
        only_params: Sequence[object] = (),
    ) -> list[int]:
        """``UPDATE articles SET {sets}`` (with ``params``) of the articles of the story of
        ``article_id`` that ``only`` (on article ``a``, with ``only_params``) holds; every
        article it changed is announced. The ids changed."""
        ids = [
            int(row[0])
            for row in tx.execute(
                f"SELECT a.id FROM articles a WHERE {OF_STORY} AND ({only}) ORDER BY a.id",
                (article_id, article_id, *only_params),
            ).fetchall()
        ]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        tx.execute(f"UPDATE articles SET {sets} WHERE id IN ({marks})", (*params, *ids))
        for changed in ids:
            self._announce(tx, StoreChange(ChangeKind.ARTICLE, article_id=changed, user=self.user))
        return ids

    def set_story_read(self, article_id: int, read: bool = True) -> None:
        """Read (unread) every article of the story of ``article_id``, for :attr:`user`."""
        with self._transaction() as tx:
            self._mark_story_read(tx, article_id, read)

    def set_story_flagged(self, article_id: int, flagged: bool = True) -> None:
        with self._transaction() as tx:
            self._queue_story_flag(tx, article_id, flagged)
            self._story_update(
                tx, article_id, "flagged = ?", (flagged,), "a.flagged <> ?", (flagged,)
            )

    def claim_story(self, article_id: int) -> None:
        """Claim every article of the story for :attr:`user`, or none: raises
        :class:`ClaimTaken` when someone else holds one of them (a colleague was faster:
        of two claiming at once, one wins, as for one article). KeyError: no such article."""
        now = to_db_time(datetime.now(UTC))
        with self._transaction() as tx:
            if (holder := self._other_claim(tx, article_id)) is not None:
                raise ClaimTaken(article_id, holder)
            self._story_update(
                tx,
                article_id,
                "claimed_by = ?, claimed_at = ?",
                (self.user, now),
                "a.claimed_by IS NULL",
            )
            # a colleague's claim committed meanwhile (PostgreSQL: the UPDATE waited for it)
            if (holder := self._other_claim(tx, article_id)) is not None:
                raise ClaimTaken(article_id, holder)  # rolls this claim back
        if not self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
            raise KeyError(article_id)

    def _other_claim(self, tx: Transaction, article_id: int) -> str | None:
        """Who else than :attr:`user` holds a claim on an article of the story, if anyone."""
        row = tx.execute(
            f"""SELECT a.claimed_by FROM articles a WHERE {OF_STORY}
                AND a.claimed_by <> ? LIMIT 1""",
            (article_id, article_id, self.user),
        ).fetchone()
        return row[0] if row else None

    def release_story(self, article_id: int) -> bool:
        """Give up :attr:`user`'s claims of the story; False when none was ours."""
        with self._transaction() as tx:
            return bool(
                self._story_update(
                    tx,
                    article_id,
                    "claimed_by = NULL, claimed_at = NULL",
                    (),
                    "a.claimed_by = ?",
                    (self.user,),
                )
            )

    def set_story_done(self, article_id: int, done: bool = True) -> None:
        """Done (not done) for every article of the story: it leaves the list whole."""
        with self._transaction() as tx:
            self._story_update(
                tx,
                article_id,
                "done = ?, done_by = ?",
                (done, self.user if done else None),
                "a.done <> ?",
                (done,),
            )
