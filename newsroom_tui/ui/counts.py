"""The reader's counts as plain values (no Textual): what came since the last full count,
and what the status line says the list is narrowed to."""

from __future__ import annotations

from collections.abc import Mapping

from newsroom_tui.ui.language import tr
from newsroom_tui.ui.view import Show, View


class NewsCounter:
    """Counts the cache's articles from one full count to the next: the first count only
    sets the mark; a later, larger one says how many came (a poll, another process)."""

    def __init__(self) -> None:
        self._known: int | None = None

    @property
    def known(self) -> int | None:
        return self._known

    def counted(self, total: int) -> int:
        """Take a full count; return how many articles came since the last one."""
        if total < 0:
            raise ValueError(f"a count of articles is never negative: {total}")
        known, self._known = self._known, total
        return total - known if known is not None and total > known else 0


def narrowing(view: View, feed_names: Mapping[int, str]) -> tuple[str, ...]:
    """What the status line says the list is narrowed to ("filter: unread", "feed: …")."""
    shown = [f"{tr('filter')}: {tr(view.show)}"] if view.show is not Show.ALL else []
    if view.feed_id is not None:
        shown.append(f"{tr('feed')}: {feed_names.get(view.feed_id, '?')}")
    if view.category is not None:
        shown.append(f"{tr('category')}: {view.category}")
    if view.search:
        shown.append(f"{tr('search')}: {view.search}")
    if view.watchlist is not None:
        shown.append(f"{tr('watchlist')}: {view.watchlist}")
    return tuple(shown)
