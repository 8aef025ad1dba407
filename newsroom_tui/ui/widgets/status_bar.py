"""The status line below the reader: poll progress, offline states, totals, what the list
is narrowed to and which feeds failed. Each part is a reactive; the line redraws itself.
The reader's ``view`` is bound to it (``data_bind``): it says itself what the list is
narrowed to."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from newsroom_tui.text.article_format import format_date
from newsroom_tui.ui.counts import narrowing
from newsroom_tui.ui.language import plural, tr
from newsroom_tui.ui.view import View


class Problem(Enum):
    """Why a feed did not give news this time."""

    FAILED = "failed"
    WAITING = "waiting"  # skipped: a server's Retry-After, or back-off after failures


SEARCH_SHOWN_CHARS = 40  # of a long search query, the status line shows the start
REASON_SHOWN_MIN = 20  # the first failed feed's name and reason, where this much room is left


class StatusBar(Static):
    """One row at any width: what matters most comes first (progress, offline, failed
    feeds), and the row is cut at its end, never wrapped."""

    DEFAULT_CSS = "StatusBar { height: 1; }"

    progress: reactive[tuple[int, int] | None] = reactive(None)  # feeds polled, of total
    offline: reactive[bool] = reactive(False)  # the last poll reached no server
    server_offline: reactive[bool] = reactive(False)  # a shared store's server is away
    team_user: reactive[str | None] = reactive(None)  # whose team inbox this is
    last_poll: reactive[datetime | None] = reactive(None)
    # articles, unread (None until counted: the first frame says nothing rather than 0)
    totals: reactive[tuple[int, int] | None] = reactive(None)
    view: reactive[View] = reactive(View)  # what the list shows (bound to the reader's)
    feed_names: reactive[dict[int, str]] = reactive(dict, always_update=True)
    shown: reactive[int] = reactive(0)  # rows in the list
    shown_more: reactive[bool] = reactive(False)  # a search with more hits than it lists
    problems: reactive[dict[str, tuple[Problem, str]]] = reactive(dict, always_update=True)
    stored_failures: reactive[int] = reactive(0)  # feeds whose last poll failed (any poller)

    def watch_offline(self) -> None:
        self.set_class(self.offline or self.server_offline, "offline")

    def watch_server_offline(self) -> None:
        self.set_class(self.offline or self.server_offline, "offline")

    @property
    def narrowing(self) -> tuple[str, ...]:
        """What the list is narrowed to: "filter: unread", "feed: …"."""
        return narrowing(self.view, self.feed_names)

    def render(self) -> Text:
        parts: list[tuple[str, str]] = []
        if self.progress is not None:
            done, total = self.progress
            parts.append((tr("Polling {done}/{total} feeds…", done=done, total=total), ""))
        if self.offline:
            parts.append((tr("OFFLINE — showing cached articles"), "bold"))
        if self.server_offline:
            parts.append((tr("DATABASE UNREACHABLE — reconnecting…"), "bold"))
        kinds = [problem for problem, _ in self.problems.values()]
        # this reader's poll knows why; without one (--no-poll, between polls) the cache does
        failed = kinds.count(Problem.FAILED) if self.problems else self.stored_failures
        if failed:
            parts.append((plural(failed, "{n} feed failed", "{n} feeds failed"), "red"))
        if waiting := kinds.count(Problem.WAITING):
            parts.append((plural(waiting, "{n} feed waiting", "{n} feeds waiting"), "yellow"))
        if narrowed := self.narrowing:
            shown = ", ".join(cut(part, SEARCH_SHOWN_CHARS) for part in narrowed)
            more = "+" if self.shown_more else ""
            parts.append((f"{self.shown}{more} {tr('shown')} ({shown})", ""))
        if self.team_user is not None and not self.server_offline:
            parts.append((tr("team inbox as {user}", user=self.team_user), ""))
        if self.totals is not None:  # counted: the totals and the last poll, read together
            articles, unread = self.totals
            stored = plural(articles, "{n} article", "{n} articles")
            parts.append((f"{stored}, {unread} {tr('unread')}", ""))
            last = self.last_poll
            parts.append((f"{tr('last poll')} {format_date(last) if last else tr('never')}", ""))
        # the first problem's reason last: what a narrow line cuts first
        first = self._first(Problem.FAILED) or self._first(Problem.WAITING)
        used = sum(len(part) for part, _ in parts) + len(" · ") * len(parts)
        if first and (not self.size.width or self.size.width - used >= REASON_SHOWN_MIN):
            parts.append((first, "red"))  # not a lone "✗ St…" at the end of a narrow line
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for index, (part, style) in enumerate(parts):
            if index:
                text.append(" · ")
            text.append(part, style=style)
        return text

    def _first(self, kind: Problem) -> str:
        """The first feed of that kind, with its reason (or nothing)."""
        for name, (problem, message) in self.problems.items():
            if problem is kind:
                return f"✗ {name}: {message}"
        return ""


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
