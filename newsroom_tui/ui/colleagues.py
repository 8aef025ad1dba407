"""A shared store's live side in the reader: what colleagues change arrives through the
store's change feed (LISTEN/NOTIFY, in the listener's thread) and is posted to the reader as
messages. Messages that queue up while the reader is busy merge into one, so a colleague's
poll of 1,000 feeds costs one reload, not a thousand."""

from __future__ import annotations

from textual.message import Message
from textual.message_pump import MessagePump

from newsroom_tui.store import ChangeKind, SharedStore, StoreChange

MANY_ARTICLES = 20  # more changed articles at once (a colleague's "mark all"): reload all


class ColleaguesChanged(Message):
    def __init__(self, changes: list[StoreChange]) -> None:
        super().__init__()
        self.changes = changes

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, ColleaguesChanged):
            return False
        message.changes[:0] = self.changes  # the later message carries both, in order
        return True

    @property
    def kinds(self) -> set[ChangeKind]:
        return {c.kind for c in self.changes}

    @property
    def offline(self) -> bool:
        """The server is out of reach (and did not come back in the meantime)."""
        return ChangeKind.OFFLINE in self.kinds and ChangeKind.ONLINE not in self.kinds

    @property
    def article_ids(self) -> list[int]:
        """Articles flagged, claimed, released or done, each once, in order."""
        return list(dict.fromkeys(c.article_id for c in self.changes if c.article_id is not None))

    @property
    def feed_ids(self) -> set[int]:
        """Feeds a poll stored new articles in."""
        return {
            c.feed_id
            for c in self.changes
            if c.kind is ChangeKind.ARTICLES and c.feed_id is not None
        }

    @property
    def everything(self) -> bool:
        """New feeds, the server back, or so many articles that one reload is cheaper."""
        return bool(self.kinds & {ChangeKind.FEEDS, ChangeKind.ONLINE}) or (
            len(self.article_ids) > MANY_ARTICLES
        )


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
