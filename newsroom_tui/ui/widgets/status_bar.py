"""The status line below the reader: poll progress, offline states, totals, what the list
is narrowed to and which feeds failed. Each part is a reactive; the line redraws itself.
The reader's ``view`` is bound to it (``data_bind``): it says itself what the list is
narrowed to."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from newsroom_tui.text.article_format import format_date, format_list_date
from newsroom_tui.ui.counts import narrowing
from newsroom_tui.ui.language import plural, tr
from newsroom_tui.ui.view import View


class Problem(Enum):
    """Why a feed did not give news this time."""

    FAILED = "failed"
    WAITING = "waiting"  # skipped: a server's Retry-After, or back-off after failures
    UNREACHABLE = "unreachable"  # the sync account: its server could not be reached
    SYNC_FAILED = "sync failed"  # the sync account: its server answered, the sync failed


# whose reason the line ends with, where there is room: the account's, else the first feed's
REASON_ORDER = (Problem.UNREACHABLE, Problem.SYNC_FAILED, Problem.FAILED, Problem.WAITING)
SEARCH_SHOWN_CHARS = 40  # of a long search query, the status line shows the start
REASON_SHOWN_MIN = 20  # the first failed feed's name and reason, where this much room is left
NARROWING_SHOWN_MIN = 12  # what the list is narrowed to, cut no shorter than this
SEPARATOR = " · "
# A team database away, longest first: every form says that the reader reconnects (80
# columns beside the counts and the last poll used to show "DATABASE UNREACHABLE" alone).
UNREACHABLE_FORMS = (
    "DATABASE UNREACHABLE — reconnecting…",
    "DB UNREACHABLE — reconnecting…",
    "DB UNREACHABLE, retrying…",
    "DB: RECONNECTING…",
)
# How the line gives way when it is too long, step by step: (part, its shortest form at that
# step, counted from the end). Today's last poll is its time alone, what the list is
# narrowed to is cut, then the team inbox goes, then the narrowing is its count alone, then
# progress, the search index's, offline and sync account notices are short, and last the
# narrowing's count goes.
# The counts never give way (the sync account's failure is short at most), the last poll
# never goes: before the narrowing's count goes the failed and waiting feeds are their
# numbers alone ("6 failed").
GIVE_WAY = (
    ("last_poll", -1),
    ("narrowing", -3),
    ("team", -1),
    ("narrowing", -2),
    ("progress", -1),
    ("indexing", -1),
    ("offline", -1),
    ("server", -1),
    ("account", -1),
    ("failed", -1),
    ("waiting", -1),
    ("narrowing", -1),
)


class StatusBar(Static):
    """One row at any width: what matters most comes first (progress, offline, failed
    feeds), and the row is cut at its end, never wrapped."""

    DEFAULT_CSS = "StatusBar { height: 1; }"

    progress: reactive[tuple[int, int] | None] = reactive(None)  # feeds polled, of total
    # the poll's articles put in the search index after it stored them, of all
    indexing: reactive[tuple[int, int] | None] = reactive(None)
    offline: reactive[bool] = reactive(False)  # the last poll reached no server
    server_offline: reactive[bool] = reactive(False)  # a shared store's server is away
    team_user: reactive[str | None] = reactive(None)  # whose team inbox this is
    last_poll: reactive[datetime | None] = reactive(None)
    # the list's rows and the unread ones (None until counted: the first frame says nothing
    # rather than 0); stories (each once) or, False, articles apart: as they were counted
    # (after S the list's view changes at once, its counts come a moment later)
    totals: reactive[tuple[int, int] | None] = reactive(None)
    stories_counted: reactive[bool] = reactive(True)
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
        parts: dict[str, Part] = {}
        if self.progress is not None:
            done, total = self.progress
            parts["progress"] = Part(
                tr("Polling {done}/{total} feeds…", done=done, total=total),
                tr("Polling {done}/{total}", done=done, total=total),
            )
        if self.indexing is not None:
            done, total = self.indexing
            parts["indexing"] = Part(
                tr("indexing {done}/{total} for search…", done=done, total=total),
                tr("index {done}/{total}", done=done, total=total),
            )
        if self.offline:
            offline = (tr("OFFLINE — showing cached articles"), tr("OFFLINE"))
            parts["offline"] = Part(*offline, style="bold")
        if self.server_offline:
            parts["server"] = Part(*(tr(form) for form in UNREACHABLE_FORMS), style="bold")
        kinds = [problem for problem, _ in self.problems.values()]
        if Problem.UNREACHABLE in kinds:  # the account is no feed: named, never counted
            unreachable = (tr("sync account unreachable"), tr("sync unreachable"))
            parts["account"] = Part(*unreachable, style="red")
        elif Problem.SYNC_FAILED in kinds:
            parts["account"] = Part(tr("sync failed"), style="red")
        # this reader's poll knows why; without one (--no-poll, between polls) the cache does
        failed = kinds.count(Problem.FAILED) if self.problems else self.stored_failures
        if failed:
            fails = plural(failed, "{n} feed failed", "{n} feeds failed")
            parts["failed"] = Part(fails, tr("{n} failed", n=failed), style="red")
        if waiting := kinds.count(Problem.WAITING):
            waits = plural(waiting, "{n} feed waiting", "{n} feeds waiting")
            parts["waiting"] = Part(waits, tr("{n} waiting", n=waiting), style="yellow")
        if narrowed := self.narrowing:
            count = f"{self.shown}{'+' if self.shown_more else ''} {tr('shown')}"
            inner = ", ".join(cut(part, SEARCH_SHOWN_CHARS) for part in narrowed)
            cuts = [cut(inner, n) for n in range(len(inner) - 1, NARROWING_SHOWN_MIN - 1, -1)]
            forms = [f"{count} ({shown})" for shown in [inner, *cuts]]
            parts["narrowing"] = Part(*forms, count, "")
        if self.team_user is not None and not self.server_offline:
            parts["team"] = Part(tr("team inbox as {user}", user=self.team_user), "")
        if self.totals is not None:  # counted: the totals and the last poll, read together
            listed, unread = self.totals
            # what was counted: each story once, or (S) every article apart
            if self.stories_counted:
                counted = plural(listed, "{n} story", "{n} stories")
            else:
                counted = plural(listed, "{n} article", "{n} articles")
            parts["totals"] = Part(f"{counted}, {unread} {tr('unread')}")
            last = self.last_poll
            when = format_date(last) if last else tr("never")
            today = format_list_date(last) if last else when  # today's: the time alone
            parts["last_poll"] = Part(f"{tr('last poll')} {when}", f"{tr('last poll')} {today}")
        shown = fit(parts, self.size.width)
        # the first problem's reason last: what a narrow line cuts first
        first = next(filter(None, map(self._first, REASON_ORDER)), "")
        used = line_length(shown)
        if first and (not self.size.width or self.size.width - used >= REASON_SHOWN_MIN):
            shown.append((first, "red"))  # not a lone "✗ St…" at the end of a narrow line
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for index, (part, style) in enumerate(shown):
            if index:
                text.append(SEPARATOR)
            text.append(part, style=style)
        return text

    def _first(self, kind: Problem) -> str:
        """The first feed of that kind, with its reason (or nothing)."""
        for name, (problem, message) in self.problems.items():
            if problem is kind:  # (the reasons' words imported when a feed failed)
                from newsroom_tui.ui.failure_text import shown_reason

                return f"✗ {name}: {shown_reason(message)}"
        return ""


class Part:
    """One part of the status line: its forms, longest first (an empty one: left out)."""

    def __init__(self, *forms: str, style: str = "") -> None:
        if not forms:
            raise ValueError("a part of the status line needs a form")
        self.forms = forms
        self.style = style


def line_length(parts: list[tuple[str, str]]) -> int:
    """The cells ``parts`` take as one line, separators included."""
    shown = [text for text, _ in parts]
    return sum(cell_len(text) for text in shown) + len(SEPARATOR) * max(0, len(shown) - 1)


def fit(parts: dict[str, Part], width: int) -> list[tuple[str, str]]:
    """The parts in their order, each in the longest form that lets the line fit ``width``
    (0: unknown, all of them whole): what matters (counts, last poll, failures) stays whole,
    the rest gives way in the order of :data:`GIVE_WAY`."""
    level = dict.fromkeys(parts, 0)

    def line() -> list[tuple[str, str]]:
        chosen = [(part.forms[level[name]], part.style) for name, part in parts.items()]
        return [(text, style) for text, style in chosen if text]

    for name, last in GIVE_WAY:
        part = parts.get(name)
        if part is None:
            continue
        limit = max(0, len(part.forms) + last)
        while width and line_length(line()) > width and level[name] < limit:
            level[name] += 1
    return line()


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
