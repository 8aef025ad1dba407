"""Waiting in Pilot tests for what the reader shows, not for workers that may not have started
yet: a poll starts after the first frame, so ``app.workers.wait_for_complete()`` alone can
return before it began (seen on a loaded machine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


async def until(
    pilot: Any, condition: Callable[[], object], seconds: float = 20.0, what: str = "it"
) -> None:
    """Return once ``condition()`` is true; fail after ``seconds`` of the clock (not of pauses,
    which take longer on a busy machine)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"not shown within {seconds:g} s: {what}")
        await pilot.pause(0.05)


def pane_follows(app: Any) -> bool:
    """The list's row under the cursor is read and the pane shows its article (both are
    read in thread workers), or the list is empty; the body is rendered as Markdown (the
    first frame shows a plain preview)."""
    reader = app.reader
    table = reader.article_list
    pane = reader.pane
    if table.cursor_row_pending or not pane.renderer_loaded:
        return False
    current = table.current_id
    shown = reader.pane.article
    return current is None or (shown is not None and shown.id == current)


async def pane_shown(pilot: Any) -> None:
    """Until the pane shows the article under the list cursor."""
    await until(pilot, lambda: pane_follows(pilot.app), what="the article under the cursor")


async def writes_done(pilot: Any) -> None:
    """Until the store writes the keys asked for are done (they follow the keys' answer on
    screen, in a thread) and what follows them is shown (the list read again after D)."""
    app = pilot.app
    await until(pilot, lambda: not app.reader.writes.busy, what="the keys' writes")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def listening(pilot: Any, app: Any) -> None:
    """Until the reader's listener on a team store has said LISTEN: a change made before that
    is not heard (the listener starts after the first frame)."""

    def online() -> bool:
        listener = app.reader._listener
        return listener is not None and listener._feed.online.is_set()

    await until(pilot, online, 10.0, "the reader listening")
