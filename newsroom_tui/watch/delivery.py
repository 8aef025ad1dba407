"""Alerts for the matches of one command-line poll (``newsroom fetch``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsroom_tui.watch.alerts import Alerts, CommandRunner, stream_terminal
from newsroom_tui.watch_records import WatchMatch


@contextmanager
def watch_alerts(store: Any, *, quiet: bool = False) -> Iterator[list[WatchMatch]]:
    """While the block runs, the matches of ``store``'s new articles are collected (the list
    yielded) and alerted: ``--run`` commands, and for ``notify`` watchlists the bell and a
    notification on stderr when it is a terminal (not with ``quiet``) and ``notify-send``.
    On leaving, the commands still running get their time to finish."""
    runner = CommandRunner(lambda line: print(f"newsroom: {line}", file=sys.stderr))
    terminal = None if quiet or not sys.stderr.isatty() else stream_terminal(sys.stderr)
    alerts = Alerts(runner, terminal)
    matches: list[WatchMatch] = []

    def heard(found: list[WatchMatch]) -> None:
        matches.extend(found)
        alerts(found)

    stop = store.on_watch_match(heard)
    try:
        yield matches
    finally:
        stop()
        alerts.flush()
        runner.close()
