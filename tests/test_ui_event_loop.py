"""No store call, read or write, runs on the event loop: every method of the store the
reader calls while starting and while keys are pressed is recorded with its thread, and
none may be the event loop's (Pilot runs the app on the main thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from newsroom_tui.store import SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from tests.pilot_waits import pane_shown, writes_done
from tests.test_ui_triage import SIZE, app_for, cache

__all__ = ["cache"]  # the sample cache, the fixture the triage tests use

# not calls to the database: callbacks registered, the listener started, the user's name
NOT_QUERIES = {"on_watch_match", "watch", "close", "user"}


def on_the_event_loop(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every public method of ``store`` records its name when called on the main thread."""
    called: list[str] = []
    for name in dir(type(store)):
        if name.startswith("_") or name in NOT_QUERIES:
            continue
        real = getattr(store, name)
        if not callable(real):
            continue

        def recorded(
            *args: object, _real: Callable[..., object] = real, _name: str = name, **kw: object
        ) -> object:
            if threading.current_thread() is threading.main_thread():
                called.append(_name)
            return _real(*args, **kw)

        monkeypatch.setattr(store, name, recorded)
    return called


async def settle(pilot: object) -> None:
    await writes_done(pilot)
    await pane_shown(pilot)


async def test_start_and_every_key_leave_the_store_to_threads(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    called = on_the_event_loop(cache, monkeypatch)
    app: NewsroomApp = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert called == [], "the start read the store on the event loop"
        for keys in (
            ["j", "j", "k"],  # moving
            ["f"],  # the filter: unread
            ["f", "f", "f"],  # ... and round to all
            ["slash", *"Stadt"],  # a search typed
            ["enter"],  # kept
            ["enter"],  # a hit opened (Enter on an unread row)
            ["escape"],  # back to the hits
            ["escape"],  # the search left
            ["J"],  # a single feed
            ["escape"],  # all feeds again
            ["s", "m", "a"],  # flag, read, claim
            ["n", "p"],  # next and previous unread
            ["D"],  # done
            ["U"],  # undone
            ["A", "y"],  # mark all read
            ["U"],
            ["g", "G"],
        ):
            await pilot.press(*keys)
            await settle(pilot)
            assert called == [], f"{' '.join(keys)} read or wrote the store on the event loop"
