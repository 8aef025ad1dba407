"""A shared store's live side in the reader: what colleagues change arrives through the
store's change feed (LISTEN/NOTIFY, in the listener's thread) and is posted to the reader as
messages. Messages that queue up while the reader is busy merge into one, so a colleague's
poll of 1,000 feeds costs one reload, not a thousand."""

from __future__ import annotations

from textual.message_pump import MessagePump

from newsroom_tui.store import SharedStore, StoreChange
from newsroom_tui.ui.messages import MANY_ARTICLES, ColleaguesChanged

__all__ = ["MANY_ARTICLES", "ColleaguesChanged", "Listener"]


class Listener:
    """Hears a shared store's changes and posts them to ``target`` until closed."""

    def __init__(self, store: SharedStore, target: MessagePump) -> None:
        self._target = target
        self._feed = store.watch(self._heard)

    def _heard(self, change: StoreChange) -> None:
        """From the listener's thread: post_message is safe from any thread."""
        self._target.post_message(ColleaguesChanged([change]))

    def close(self) -> None:
        self._feed.close()
