"""The status line below the reader: poll progress, offline states, totals, what the list
is narrowed to and which feeds failed. Each part is a reactive; the line redraws itself."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from newsroom_tui.text.article_format import format_date


class Problem(Enum):
    """Why a feed did not give news this time."""

    FAILED = "failed"
    WAITING = "waiting"  # skipped: a server's Retry-After, or back-off after failures


SHOWN_ERRORS = 3  # feeds named with their error under the line


class StatusBar(Static):
    DEFAULT_CSS = "StatusBar { height: auto; }"

    progress: reactive[tuple[int, int] | None] = reactive(None)  # feeds polled, of total
    offline: reactive[bool] = reactive(False)  # the last poll reached no server
    server_offline: reactive[bool] = reactive(False)  # a shared store's server is away
    team_user: reactive[str | None] = reactive(None)  # whose team inbox this is
    last_poll: reactive[datetime | None] = reactive(None)
    totals: reactive[tuple[int, int]] = reactive((0, 0))  # articles, unread
    narrowing: reactive[tuple[str, ...]] = reactive(())  # "filter: unread", "feed: …"
    shown: reactive[int] = reactive(0)  # rows in the list
    problems: reactive[dict[str, tuple[Problem, str]]] = reactive(dict, always_update=True)

    def watch_offline(self) -> None:
        self.set_class(self.offline or self.server_offline, "offline")

    def watch_server_offline(self) -> None:
        self.set_class(self.offline or self.server_offline, "offline")

    def render(self) -> Text:
        parts: list[str] = []
        if self.progress is not None:
            parts.append(f"Polling {self.progress[0]}/{self.progress[1]} feeds…")
        if self.offline:
            parts.append("OFFLINE — showing cached articles")
        if self.server_offline:
            parts.append("DATABASE UNREACHABLE — showing what was loaded; reconnecting…")
        elif self.team_user is not None:
            parts.append(f"team inbox as {self.team_user}")
        last = self.last_poll
        parts.append(f"last poll {format_date(last) if last else 'never'}")
        parts.append(f"{self.totals[0]} articles, {self.totals[1]} unread")
        if self.narrowing:
            parts.append(f"{self.shown} shown ({', '.join(self.narrowing)})")
        kinds = [problem for problem, _ in self.problems.values()]
        if failed := kinds.count(Problem.FAILED):
            parts.append(f"{failed} feed(s) failed")
        if waiting := kinds.count(Problem.WAITING):
            parts.append(f"{waiting} feed(s) waiting")
        text = Text(" · ".join(parts))
        for name, (_, message) in list(self.problems.items())[:SHOWN_ERRORS]:
            text.append("\n")
            text.append(f"✗ {name}: {message}", style="red")
        return text
