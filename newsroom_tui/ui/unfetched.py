"""What a feed's own view says while it holds no article because it was never fetched: its
last error and when it is tried again, instead of a bare "Nothing here yet."."""

from __future__ import annotations

from datetime import datetime

from newsroom_tui.models import Feed
from newsroom_tui.ui.language import tr


def unfetched_text(feed: Feed | None, now: datetime | None = None) -> str | None:
    """The empty view of ``feed`` when it has never been fetched and its polls failed, e.g.
    "Not fetched yet: cannot connect: connection refused by 127.0.0.1 — retry after 21:36;
    r polls now"; None for any other feed. The error is stored text (English); it shows in
    the interface's language where its shape is known (``failure_text``), as the words
    around it."""
    if feed is None or feed.last_success is not None or not feed.error:
        return None
    from newsroom_tui.ui.failure_text import shown_reason  # (when a feed failed: not at start)

    clock = feed.retry_clock(now) if feed.waiting(now) else None
    error = shown_reason(feed.error)
    if clock is None:
        return tr("Not fetched yet: {error}; r polls now", error=error)
    return tr("Not fetched yet: {error} — retry after {time}; r polls now", error=error, time=clock)
