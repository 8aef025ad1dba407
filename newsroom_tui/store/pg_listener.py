"""Hearing other clients: LISTEN on a connection of its own, in a thread of its own.

No polling of the database: the thread sleeps in the socket until PostgreSQL delivers a
NOTIFY. A lost server is reported once ("offline"), tried again with growing pauses, and
reported back ("online") when a new connection listens again.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any

from newsroom_tui.store.base import ChangeKind, StoreChange

CHANNEL = "newsroom"
RECONNECT_PAUSES = (0.5, 1.0, 2.0, 5.0)  # seconds; the last one repeats
_WAKE_SECONDS = 0.5  # how often the thread looks whether it should stop


def describe_dsn(dsn: str) -> str:
    """``user@host:port/dbname`` of a connection string, without its password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(dsn)
    except Exception:
        return "the PostgreSQL database"
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{host}{port}/{info.get('dbname') or ''}"


class ChangeListener:
    """Calls ``on_change`` for each change announced on :data:`CHANNEL` by a session other
    than ``own_pid()`` (the store that opened it hears its own changes first-hand)."""

    def __init__(
        self,
        dsn: str,
        on_change: Callable[[StoreChange], None],
        own_pid: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.dsn = dsn
        self.on_change = on_change
        self.own_pid = own_pid
        self.online = threading.Event()
        self._stop = threading.Event()
        self._conn: Any = None
        self._thread = threading.Thread(target=self._run, name="newsroom-listen", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        failures = 0
        up = True  # the store connected just before: only a loss is news
        while not self._stop.is_set():
            try:
                self._conn = self._connect()
                failures = 0
                self.online.set()
                if not up:
                    up = True
                    self.on_change(StoreChange(ChangeKind.ONLINE))
                self._listen()
            except Exception:  # the server went away, or never answered
                self.online.clear()
                if up:
                    up = False
                    self.on_change(StoreChange(ChangeKind.OFFLINE))
                pause = RECONNECT_PAUSES[min(failures, len(RECONNECT_PAUSES) - 1)]
                failures += 1
                self._stop.wait(pause)
            finally:
                with contextlib.suppress(Exception):
                    if self._conn is not None:
                        self._conn.close()
                self._conn = None

    def _connect(self) -> Any:
        import psycopg

        conn = psycopg.connect(
            self.dsn, autocommit=True, connect_timeout=5, application_name="newsroom-listen"
        )
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _listen(self) -> None:
        while not self._stop.is_set():
            for note in self._conn.notifies(timeout=_WAKE_SECONDS):
                if note.pid == self.own_pid():
                    continue
                change = parse_change(note.payload)
                if change is not None:
                    self.on_change(change)
            # a quiet wait ends without touching the socket: look whether it is still there
            if self._conn.broken or self._conn.closed:
                raise ConnectionError("listening connection lost")


def parse_change(payload: str) -> StoreChange | None:
    """The change a NOTIFY payload announces, or None for one that is not a well-formed
    change of ours (any client of the database can send any text on the channel: a list
    where an id belongs, a name with escape sequences, JSON nested thousands deep)."""
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return None
    try:
        return StoreChange(
            kind=data["kind"],
            article_id=data.get("article_id"),
            feed_id=data.get("feed_id"),
            user=data.get("user"),
            watchlist=data.get("watchlist"),
        )
    except (ValueError, TypeError):
        return None  # not ours
