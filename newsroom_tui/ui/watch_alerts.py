"""Watchlist alerts in the open reader: the matches of its own polls (heard from the store
right after they are stored) and, on a team store, those of everybody else's polls (heard
through the store's change feed).

The reader's own polls start the matches' ``--run`` commands, as ``newsroom fetch`` does. A
``notify`` watchlist shows a toast, rings the terminal's bell with a desktop notification
(OSC 9 / OSC 777, written to the terminal itself) and calls ``notify-send``."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsroom_tui.models import Article
from newsroom_tui.ui.language import tr

if TYPE_CHECKING:
    from newsroom_tui.watch.alerts import Alerts
    from newsroom_tui.watch_records import Watchlist, WatchMatch

log = logging.getLogger("newsroom.watch")
TOASTS_AT_ONCE = 3  # more matches at once: one toast says how many


def write_to_terminal(sequence: str) -> None:
    """Write a control sequence (bell, notification) to the controlling terminal, past
    Textual's output: one small write, between two of its frames."""
    with contextlib.suppress(OSError):
        fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
        try:
            os.write(fd, sequence.encode("utf-8"))
        finally:
            os.close(fd)


def match_of(article: Article, watchlist: Watchlist) -> WatchMatch:
    """A colleague's match, as the store now holds its article."""
    from newsroom_tui.watch_records import WatchMatch  # at a colleague's first match

    return WatchMatch(
        watchlist=watchlist,
        article_id=article.id,
        feed_id=article.feed_id,
        feed=article.feed,
        title=article.title,
        url=article.url,
        published=article.published,
        summary=article.summary,
        flagged=article.flagged,
        claimed_by=article.claimed_by,
    )


class ReaderAlerts:
    """The alerts of one reader; ``toast`` shows a line in the reader, ``report`` a problem
    (from any thread)."""

    def __init__(
        self,
        toast: Callable[[str], None],
        report: Callable[[str], None],
        *,
        terminal: Callable[[str], None] | None,
    ) -> None:
        self.toast = toast
        self._report, self._terminal = report, terminal
        self._alerts: Alerts | None = None

    @property
    def alerts(self) -> Alerts:
        """The commands' runner and the notifications, made at the first match (not at the
        reader's start: they bring subprocess handling and a thread pool)."""
        if self._alerts is None:
            from newsroom_tui.watch.alerts import Alerts, CommandRunner

            self._alerts = Alerts(CommandRunner(self._report), self._terminal)
        return self._alerts

    def own(self, matches: list[WatchMatch]) -> None:
        """Matches of this reader's poll: commands, and notifications for ``notify`` ones."""
        self.alerts(matches)
        self._toasts([m for m in matches if m.watchlist.notify])

    def colleagues(self, matches: list[WatchMatch], more: int = 0) -> None:
        """Matches of someone else's poll (and ``more`` not looked up): their commands ran
        there; notify here."""
        chosen = [m for m in matches if m.watchlist.notify]
        self.alerts.notify(chosen)
        self._toasts(chosen, more)

    def _toasts(self, matches: list[WatchMatch], more: int = 0) -> None:
        for match in matches[:TOASTS_AT_ONCE]:
            self.toast(f"{match.watchlist.name}: {match.title} ({match.feed})")
        more += max(0, len(matches) - TOASTS_AT_ONCE)
        if more:
            self.toast(tr("… and {n} more watchlist matches", n=more))

    def close(self) -> None:
        if self._alerts is not None:
            self._alerts.flush()
            self._alerts.runner.close(wait=5)
