"""The parse workers' helper processes end with the newsroom, even after a ``kill -9`` while
a worker is deep in C code (a long regex, an lxml parse) that holds the GIL.

No Python thread of a worker runs in that state, so a watcher thread cannot end it. The
kernel does it instead, on Linux:

- the fork server asks for SIGKILL when the newsroom ends (PR_SET_PDEATHSIG, set as it
  imports :data:`FORK_SERVER_MODULE`, its first preload). The signal comes when the *thread*
  that started it ends, so the fork server is started from :func:`on_lasting_thread`'s
  thread, which lasts as long as the process;
- each worker asks for SIGKILL when the fork server ends (:func:`die_with_parent`);
- the resource tracker ends when the last of them has closed its pipe.

Without this the fork server waited for the workers (they hold its "alive" pipe open), and
the workers for the end of their regex: minutes at full CPU after the newsroom was gone.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Imported by the fork server before anything else (see fork_server_tie.py).
FORK_SERVER_MODULE = "newsroom_tui.ingest.fork_server_tie"


def die_with_parent() -> None:
    """Linux: SIGKILL when the parent process ends (prctl PR_SET_PDEATHSIG), which works while
    this process is busy in C code. A parent that ended before the call ends us now."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)


_requests: queue.SimpleQueue[tuple[Callable[[], Any], concurrent.futures.Future[Any]]]
_requests = queue.SimpleQueue()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None


def on_lasting_thread(fn: Callable[[], T]) -> T:
    """``fn()`` run on one thread that never ends before the process does, and its result:
    a process it starts gets its parent-death signal at the newsroom's end, not at the end
    of whichever thread happened to start it (an executor's, a poll's)."""
    global _thread
    with _start_lock:
        if _thread is None:
            _thread = threading.Thread(target=_serve, daemon=True, name="newsroom-helpers")
            _thread.start()
    if threading.current_thread() is _thread:
        return fn()
    done: concurrent.futures.Future[T] = concurrent.futures.Future()
    _requests.put((fn, done))
    return done.result()


def _serve() -> None:
    while True:
        fn, done = _requests.get()
        try:
            done.set_result(fn())
        except BaseException as exc:  # goes back to the caller, which raises it
            done.set_exception(exc)
