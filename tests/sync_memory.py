"""The cache's side of a sync account, in memory: what the store will do, for the engine's
tests and the bench."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsroom_tui.sync_records import (
    Flag,
    ItemId,
    ItemState,
    Pull,
    RemoteFeed,
    RemoteItem,
    StateChange,
)


@dataclass
class MemoryLocal:
    feeds: dict[str, RemoteFeed] = field(default_factory=dict)
    items: dict[ItemId, RemoteItem] = field(default_factory=dict)
    states: dict[ItemId, ItemState] = field(default_factory=dict)
    changes: list[StateChange] = field(default_factory=list)
    saved_cursor: str | None = None
    pulls: int = 0
    # called once when the engine makes that call ("item_states", "pending"): a test makes a
    # change "meanwhile"
    hooks: dict[str, Callable[[], None]] = field(default_factory=dict)
    _seq: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- what newsroom does: a key press --------------------------------------------------------

    def mark(self, item: ItemId, flag: Flag, on: bool) -> None:
        """The reader sets read or starred: the cache changes now, the outbox remembers it."""
        with self._lock:
            before = self.states[item]
            if flag is Flag.READ:
                self.states[item] = ItemState(on, before.starred)
            else:
                self.states[item] = ItemState(before.read, on)
            self._seq += 1
            self.changes.append(StateChange(item, flag, on, self._seq))

    def id_of(self, number: int) -> ItemId:
        return next(item for item in self.items if item.number == number)

    # -- LocalSide ------------------------------------------------------------------------------

    def outbox(self, limit: int) -> list[StateChange]:
        with self._lock:
            return self.changes[:limit]

    def drop_pushed(self, changes: Sequence[StateChange]) -> None:
        gone = {change.seq for change in changes}
        with self._lock:
            self.changes = [change for change in self.changes if change.seq not in gone]

    def pending(self) -> set[tuple[ItemId, Flag]]:
        self._hook("pending")
        with self._lock:
            return {(change.item, change.flag) for change in self.changes}

    def item_states(self) -> dict[ItemId, ItemState]:
        self._hook("item_states")
        with self._lock:
            return dict(self.states)

    def cursor(self) -> str | None:
        return self.saved_cursor

    def apply_pull(self, pull: Pull) -> None:
        with self._lock:
            waiting = {(change.item, change.flag) for change in self.changes}
            for feed in pull.feeds:
                self.feeds[feed.id] = feed
            for item in pull.new_items:
                self.items[item.id] = item
                self.states[item.id] = item.state
            for item, state in pull.updates.items():
                before = self.states[item]
                read = before.read if (item, Flag.READ) in waiting else state.read
                starred = before.starred if (item, Flag.STARRED) in waiting else state.starred
                self.states[item] = ItemState(read, starred)
            self.saved_cursor = pull.cursor
            self.pulls += 1

    def _hook(self, name: str) -> None:
        hook = self.hooks.pop(name, None)
        if hook is not None:
            hook()

    def snapshot(self) -> tuple:
        with self._lock:
            return (dict(self.items), dict(self.states), list(self.changes), self.saved_cursor)
