"""The watchlist records every layer passes around: a watchlist (a named standing search and
what a match of it does) and one match of it. The store keeps them, the config file and the
command line make them (:func:`newsroom_tui.watch.watchlist.checked_watchlist`), the watch
package matches and alerts them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsroom_tui.text.sanitize import clean_line

NAME_MAX_CHARS = 80
# Where a watchlist comes from: the local cache (yours alone), the team's database (anyone with
# access writes there), the config file of this machine.
ORIGINS = ("store", "team", "config")


class TeamCommandRefused(ValueError):
    """A command for a watchlist of the team database: it would run on every colleague's
    machine, with their environment, so it is never stored there nor run from there."""


@dataclass(frozen=True)
class Watchlist:
    """``flag``: flag each match; ``claim_for``: claim it for that person (when nobody holds
    it yet); ``notify``: bell and desktop notification in every open reader; ``run``: a
    command (no shell) started with the match as JSON on its standard input.

    A watchlist of the team's database (``origin`` "team") never holds a command: commands
    come only from this machine's own config file or its own cache. ``run_refused`` says
    that the team's row held one anyway (an older newsroom, a hand-written row): it is
    shown, never run."""

    name: str
    query: str
    flag: bool = False
    claim_for: str | None = None
    notify: bool = False
    run: tuple[str, ...] = ()
    origin: str = "store"  # "store": the local cache's; "team": the team's; "config"
    run_refused: bool = False

    def __post_init__(self) -> None:
        if self.origin not in ORIGINS:
            raise ValueError(f"unknown watchlist origin {self.origin!r}")
        # the query is printed by every member's watch list: no escape sequence or control
        if not isinstance(self.query, str) or clean_line(self.query) != " ".join(
            self.query.split()
        ):
            raise ValueError(
                f"watchlist {self.name!r}: the query holds control characters or escape sequences"
            )
        if self.origin == "team" and self.run:
            raise TeamCommandRefused(
                f"watchlist {self.name!r}: --run is refused on the team database (the command "
                "would run on every colleague's machine); put it in your config file: "
                f'[watch."{self.name}"] run = [...]'
            )

    @property
    def actions(self) -> list[str]:
        import shlex  # shown by the watch command, not at the reader's start

        done = ["flag"] * self.flag + [f"claim for {self.claim_for}"] * bool(self.claim_for)
        done += ["notify"] * self.notify + [f"run {shlex.join(self.run)}"] * bool(self.run)
        done += ["stored command not run (team database)"] * self.run_refused
        return done


@dataclass(frozen=True)
class WatchMatch:
    """One new article that matched one watchlist, as stored (flag and claim applied)."""

    watchlist: Watchlist
    article_id: int
    feed_id: int
    feed: str
    title: str
    url: str | None
    published: datetime | None
    summary: str
    flagged: bool
    claimed_by: str | None

    def to_json(self) -> dict[str, Any]:
        """What ``--run`` gets on its standard input and ``fetch --json`` reports."""
        return {
            "watchlist": self.watchlist.name,
            "query": self.watchlist.query,
            "id": self.article_id,
            "feed_id": self.feed_id,
            "feed": self.feed,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "summary": self.summary,
            "flagged": self.flagged,
            "claimed_by": self.claimed_by,
        }
