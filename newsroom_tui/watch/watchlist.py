"""A watchlist checked as the user gives it (command line, config file)."""

from __future__ import annotations

import shlex

from newsroom_tui.text.sanitize import clean_name
from newsroom_tui.watch_records import NAME_MAX_CHARS, Watchlist

RUN_MAX_ARGS = 64


def checked_watchlist(
    name: str,
    query: str,
    *,
    flag: bool = False,
    claim_for: str | None = None,
    notify: bool = False,
    run: str | list[str] | tuple[str, ...] | None = None,
    origin: str = "store",
) -> Watchlist:
    """A valid watchlist, or ValueError in one line (what is wrong). ``run`` as a string is
    split like a shell would split it (quotes), but no shell ever runs it."""
    plain = " ".join(name.split())
    if not plain or clean_name(plain, NAME_MAX_CHARS) != plain:
        raise ValueError(
            f"the watchlist name {plain[:40]!r} must be plain text of at most "
            f"{NAME_MAX_CHARS} characters"
        )
    from newsroom_tui.text.search_query import QueryError, parse_query  # when one is checked

    try:
        parse_query(query)
    except QueryError as exc:
        raise ValueError(f"watchlist {plain!r}: {exc}") from None
    if claim_for is not None:
        from newsroom_tui.store.login import checked_user_name  # the store imports this module

        try:
            claim_for = checked_user_name(claim_for)
        except ValueError as exc:
            raise ValueError(f"watchlist {plain!r}: --claim-for: {exc}") from None
    argv: tuple[str, ...] = ()
    if run:
        try:
            argv = tuple(shlex.split(run) if isinstance(run, str) else run)
        except ValueError as exc:
            raise ValueError(f"watchlist {plain!r}: --run: {exc}") from None
        if not argv or len(argv) > RUN_MAX_ARGS or not all(isinstance(a, str) for a in argv):
            raise ValueError(f"watchlist {plain!r}: --run needs a command (at most 64 words)")
        if any("\x00" in a for a in argv):
            raise ValueError(f"watchlist {plain!r}: --run holds a NUL character")
    return Watchlist(plain, query.strip(), flag, claim_for, notify, argv, origin)
