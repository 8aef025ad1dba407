"""Store writes behind the screen: a key's answer is shown first, its write follows in a
thread, one write at a time in the order the keys came, and a write that fails is taken
back on screen.

A change is kept per ``key`` (an article and what changed of it: ``(7, "flagged")``): what
the store holds is known from the last write that succeeded, so when a write fails the
screen goes back to that, and only once no later write for the same key is still to come
(s s s with the first failing: the third decides)."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import field
from typing import Any

from newsroom_tui.models import Article, ArticleSummary
from newsroom_tui.records import record
from newsroom_tui.store import StoreError

# an article's states that keys write behind, each keyed ``(article id, name)``
ARTICLE_STATES = ("read", "flagged", "claimed_by", "done")


@record
class _Write:
    """A write queued by a key, and what to call when it is done or failed."""

    write: Callable[[], object]
    done: Callable[[object], None] | None
    failed: Callable[[StoreError], None] | None


@record
class _Change:
    """The writes pending on one value, and what the screen shows of it."""

    stored: object  # what the store holds, as far as the writes that answered tell
    pending: int = 0
    intended: object = None  # what the latest key asked for
    show: Callable[[object], None] = field(default=lambda value: None)


class WriteBehind:
    """The writes a screen's keys asked for, run in a thread one after the other.
    ``start(drain)`` runs ``drain()`` as the screen's worker, best once the key's answer
    is painted (a thread started at once competes with the paint for the GIL)."""

    def __init__(self, start: Callable[[Callable[[], Coroutine[Any, Any, None]]], object]) -> None:
        self._start = start
        self._queue: deque[_Write] = deque()
        self._running = False
        self._lock = threading.Lock()  # held by the write being run
        self._changes: dict[Hashable, _Change] = {}

    @property
    def busy(self) -> bool:
        """Is a write waiting or running?"""
        return self._running or bool(self._queue)

    def write(
        self,
        write: Callable[[], object],
        *,
        done: Callable[[object], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
    ) -> None:
        """Run ``write`` after the writes asked before it; then ``done(result)`` or
        ``failed(error)`` on the event loop."""
        self._queue.append(_Write(write, done, failed))
        if not self._running:
            self._running = True
            self._start(self._drain)

    def change(
        self,
        key: Hashable,
        value: object,
        shown: object,
        write: Callable[[], object],
        show: Callable[[object], None],
        *,
        stored_as: Callable[[object], object] | None = None,
        done: Callable[[object], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
    ) -> None:
        """Show ``value`` now (``show``), write it behind. ``shown``: what the screen
        showed before, which the store holds unless a write for ``key`` is under way.
        ``stored_as(result)``: what the store holds after the write answered (a claim
        someone else won: their name), when not ``value``."""
        change = self._changes.get(key)
        if change is None:
            change = self._changes[key] = _Change(stored=shown)
        change.pending += 1
        change.intended = value
        change.show = show
        show(value)

        def answered(stored: object, error: StoreError | None, result: object = None) -> None:
            change.stored = stored
            change.pending -= 1
            if not change.pending:
                del self._changes[key]
                if stored != change.intended:
                    change.show(stored)  # the last key's value is not what the store holds
            if error is not None:
                if failed is not None:
                    failed(error)
            elif done is not None:
                done(result)

        def succeeded(result: object) -> None:
            answered(value if stored_as is None else stored_as(result), None, result)

        def went_wrong(error: StoreError) -> None:
            answered(change.stored, error)

        self.write(write, done=succeeded, failed=went_wrong)

    def intended(self, key: Hashable, default: object) -> object:
        """What the screen shows for ``key`` while its writes are under way."""
        change = self._changes.get(key)
        return default if change is None else change.intended

    def show_keys(self, article: Article | ArticleSummary) -> None:
        """Give ``article`` (read from the store: a row, the pane's) the states keys showed
        while their writes are under way: read a moment before a write, it shows what the
        key did, not what the store held then."""
        if not self._changes:  # no write under way (most list reads): nothing to give
            return
        for name in ARTICLE_STATES:
            setattr(article, name, self.intended((article.id, name), getattr(article, name)))

    async def _drain(self) -> None:
        try:
            while self._queue:
                item = self._queue.popleft()
                try:
                    result = await asyncio.to_thread(self._run, item.write)
                except StoreError as exc:
                    if item.failed is not None:
                        item.failed(exc)
                    continue
                if item.done is not None:
                    item.done(result)
        finally:
            self._running = False

    def _run(self, write: Callable[[], object]) -> object:
        with self._lock:
            return write()

    def flush(self) -> None:
        """Run what is still queued, here, after the write under way (the screen is
        closing: no key's write is lost). Blocks; failures are not said any more."""
        with self._lock:
            while self._queue:
                item = self._queue.popleft()
                try:
                    item.write()
                except StoreError:
                    continue
