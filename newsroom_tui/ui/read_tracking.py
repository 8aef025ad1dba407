"""When an article counts as read: a plain object (no Textual; the timer is handed in),
so the rule is tested without a screen.

An article counts as read once the user chose it (moved to it, opened it) and it stayed on
screen for ``delay`` seconds (at once with a delay of 0): not the one highlighted at start,
nor the top hit while a search is typed, nor the first row after a filter change; skimming
past with j/k does not undo an explicit "mark unread"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Readable(Protocol):
    """What read tracking needs of an article."""

    @property
    def id(self) -> int: ...
    @property
    def read(self) -> bool: ...


# schedule(seconds, callback) -> cancel: the screen's timer (set_timer), a fake one in tests
Schedule = Callable[[float, Callable[[], None]], Callable[[], None]]


class ReadTracker:
    """``mark_read(article)`` once a chosen article stayed ``delay`` seconds on screen;
    ``still_shown(article)`` says whether it is still the one on screen then."""

    def __init__(
        self,
        delay: float,
        schedule: Schedule,
        *,
        still_shown: Callable[[Readable], bool],
        mark_read: Callable[[Readable], None],
    ) -> None:
        if delay < 0:
            raise ValueError(f"an article cannot count as read {delay} s before it is shown")
        self.delay = delay
        self._schedule = schedule
        self._still_shown, self._mark_read = still_shown, mark_read
        self._cancel: Callable[[], None] | None = None
        self._pending: int | None = None  # the article the timer is for

    @property
    def pending(self) -> int | None:
        """The article that will count as read when the timer runs out."""
        return self._pending

    def chosen(self, article: Readable) -> None:
        """The user chose ``article`` and it is on screen: start its timer (or mark it
        read now, with no delay). An article read already, or timed already, is left."""
        if article.read or self._pending == article.id:
            return
        self.stop()
        if self.delay <= 0:
            self._mark_read(article)
            return

        def due() -> None:
            self._cancel = self._pending = None
            if not article.read and self._still_shown(article):
                self._mark_read(article)

        self._pending = article.id
        self._cancel = self._schedule(self.delay, due)

    def showing(self, article_id: int | None) -> None:
        """``article_id`` is on screen now (or about to be): the timer of another one stops."""
        if self._pending != article_id:
            self.stop()

    def stop(self) -> None:
        """No article counts as read by the timer (a key set its read state itself)."""
        if self._cancel is not None:
            self._cancel()
        self._cancel = self._pending = None
