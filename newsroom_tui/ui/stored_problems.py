"""The status line's failed and waiting feeds once another process polled (a cron
``newsroom fetch`` beside the reader): this reader's own poll named them and why, the store's
feed state says whether they still fail. A plain function, tested without a screen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from newsroom_tui.models import Feed
from newsroom_tui.ui.widgets.status_bar import Problem

Problems = dict[str, tuple[Problem, str]]


def stored_problem(feed: Feed, now: datetime | None = None) -> tuple[Problem, str] | None:
    """What the store says of ``feed``: waiting (a server's Retry-After, back-off), failed
    at its last poll (with the error), or None: polled without error."""
    if feed.waiting(now):
        return Problem.WAITING, feed.waiting_reason
    if feed.error:
        return Problem.FAILED, feed.error
    return None


def problems_in_store(
    problems: Problems,
    feeds: Iterable[Feed],
    named: Mapping[int, str] | None = None,
    now: datetime | None = None,
) -> Problems:
    """``problems`` (this reader's last poll's, by feed name) as the store's ``feeds`` have
    them now: a feed polled since without error drops out, one that fails or waits there and
    was not named comes in with the store's reason; the others keep the reason this reader's
    poll gave, in its order, under the feed's name now. ``named``: the names the problems
    were given under, by feed (a feed's first poll names it: its address before). Without
    problems of its own the reader shows the store's count already: none are made up."""
    if not problems:
        return {}
    by_name = {(named or {}).get(feed.id, feed.display_name): feed for feed in feeds}
    shown: Problems = {}
    for name, problem in problems.items():  # the poll's order: its first failure says why
        feed = by_name.get(name)
        if feed is None:
            shown[name] = problem  # a feed not counted: as the poll said
        elif stored_problem(feed, now) is not None:
            shown[feed.display_name] = problem
    for name, feed in by_name.items():
        stored = stored_problem(feed, now)
        if name not in problems and stored is not None:
            shown.setdefault(feed.display_name, stored)
    return shown
