"""The poll's CPU work off the event loop: worker processes for many feeds, a thread for a few.

A hand-made pool (forkserver, one job at a time per process) because it must keep these
promises: each job has :data:`WORK_DEADLINE` from the moment a process takes it, and a job that
runs over costs only its own feed (its process is killed and replaced); :meth:`Workers.close`
kills every worker, idle or stuck, so quitting never waits for a job; a worker dies with the
newsroom that started it, even one killed with ``kill -9`` (:mod:`worker_lifetime`, and a
thread that watches the parent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, cast

from newsroom_tui.ingest.worker_lifetime import (
    FORK_SERVER_MODULE,
    die_with_parent,
    on_lasting_thread,
)
from newsroom_tui.text.sanitize import clean_line, clip

# Below this many feeds the work is too small to be worth starting worker processes.
MIN_FEEDS_FOR_PROCESSES = 4
WORKER_NICENESS = 10
WORK_DEADLINE = 30.0  # seconds of parsing/extraction for one job before it fails
PARENT_CHECK_SECONDS = 0.5  # how often a worker looks whether the newsroom is still there
# The module of the jobs the workers run (pickled by name): the fork server imports it once.
JOBS_MODULE = "newsroom_tui.ingest.poll_jobs"

# What the workers run and the main process does not need (the extractor, listing detection:
# a third of a poll's start-up in the main process, all of a re-poll's): imported where it
# is used, and once by the fork server before it forks the workers.
WORKER_MODULES = [
    "newsroom_tui.extract",
    "newsroom_tui.extract.gallery",
    "newsroom_tui.ingest.article_body",
    "newsroom_tui.parse.registry",
]

T = TypeVar("T")
# The start methods the workers may have: never plain fork (see _context)
WorkerContext = multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext


class WorkerError(Exception):
    """The CPU work for one feed could not be done (one-line reason)."""


def _warm_up(parent: int) -> None:
    """Worker set-up. Imports are the warm-up; and a worker must never write to the
    terminal it inherited (under the TUI that would paint over the screen), so library log
    records and warnings go nowhere: failures come back to the parent as exceptions. A worker
    dies with the newsroom that started it, even one killed with ``kill -9``."""
    logging.basicConfig(handlers=[logging.NullHandler()], force=True)
    warnings.simplefilter("ignore")
    # Workers are batch work: on a busy machine the process that answers the keyboard first.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    if os.getppid() != parent:
        # Forked by the fork server (single-threaded): die with it, even busy in C code.
        # Not when our parent is the newsroom itself, where the signal would come when the
        # thread that started us ends, not the process.
        die_with_parent()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Every platform: end this worker, even in the middle of a job, once the newsroom that
    started it is gone (the fork server outlives it while any worker runs)."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if _gone(parent):
            os._exit(0)


def _gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped by its own parent counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # there, but not ours to signal
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (macOS): kill() said it is there
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def _serve(conn: Connection, parent: int) -> None:
    """A worker process: run the jobs sent over ``conn`` one at a time until it closes."""
    _warm_up(parent)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except BaseException as exc:  # it goes back to the parent, which raises it
            reply = ("error", exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result or exception that does not pickle
            conn.send(("error", WorkerError(one_line_error(exc))))


def _start_helper_processes(context: multiprocessing.context.BaseContext) -> None:
    """multiprocessing hands ``sys.stderr``'s descriptor to its helper processes (resource
    tracker, fork server). Under Textual ``sys.stderr`` is a capture object without a real
    descriptor, and starting them fails with "bad value(s) in fds_to_keep": start them with
    the real stderr first; later starts find them running."""
    from multiprocessing import forkserver, resource_tracker

    def start() -> None:
        with contextlib.redirect_stderr(sys.__stderr__):
            resource_tracker.ensure_running()
            if context.get_start_method() == "forkserver":
                forkserver.ensure_running()

    on_lasting_thread(start)  # the fork server dies with the newsroom: worker_lifetime.py


def _context() -> WorkerContext:
    methods = multiprocessing.get_all_start_methods()
    # Never plain fork: the parent has threads (the UI, the store writer) whose locks a forked
    # child would inherit in whatever state they were. The fork server starts clean, imports
    # this module once, and forks the workers from there.
    context: WorkerContext
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([FORK_SERVER_MODULE, __name__, JOBS_MODULE, *WORKER_MODULES])
    else:
        context = multiprocessing.get_context("spawn")
    _start_helper_processes(context)
    return context


def _in_thread(fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
    """``fn(*args)`` in a daemon thread of its own: one that never finishes (a stuck parse,
    a worker that never answers) does not hold up the end of the program, as a thread of an
    executor would (those are joined at exit, asyncio.run waits for its default one)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def target() -> None:
        try:
            result: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:
            result = (False, exc)
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
            loop.call_soon_threadsafe(settle, *result)

    threading.Thread(target=target, daemon=True, name="newsroom-parse").start()
    return future


class _Process:
    """One worker process and our end of the pipe to it."""

    def __init__(self, context: WorkerContext) -> None:
        ours, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, os.getpid()), daemon=True, name="newsroom-parse"
        )
        self.process.start()
        theirs.close()
        self.conn = ours
        self.busy = False

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
        """Send a job and wait for its reply (in a thread); EOFError if the process died."""
        try:
            self.conn.send((fn, args))
            reply: tuple[str, Any] = self.conn.recv()
            return reply
        except (EOFError, OSError):
            self.conn.close()
            raise EOFError from None

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
            self.process.join(1)
        if not self.busy:  # else the thread waiting on the pipe closes it when it ends
            self.conn.close()


# The pools ------------------------------------------------------------------------------


class Workers:
    """CPU work off the event loop: worker processes for many feeds, a thread for a few.

    Each job runs alone in one worker process and has :data:`WORK_DEADLINE` from the moment
    that process takes it: a job that runs over costs only its own feed, its process is
    killed and replaced, and the jobs of the other feeds carry on where they are."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._free = asyncio.Semaphore(max(processes, 1))
        self._here = asyncio.Semaphore(1)  # one job at a time in this process (the GIL)
        self._idle: list[_Process] = []
        self._all: set[_Process] = set()
        self._context: asyncio.Future[WorkerContext] | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._processes <= 0:
            return await self._run_in_thread(fn, args)
        # A worker that died under a job (the OOM killer may pick one that was not the
        # cause) gets the job once more in a fresh process.
        for attempt in (1, 2):
            try:
                return await self._run_in_process(fn, args)
            except EOFError:
                if attempt == 2:
                    raise WorkerError("the parser process stopped unexpectedly") from None
        raise AssertionError("unreachable")

    async def run_here(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a thread of this process, with the same :data:`WORK_DEADLINE`:
        for work whose time is bounded by its input's size, where handing it to a worker
        process costs more than it saves. A thread cannot be killed: over the deadline its
        feed fails, and the thread ends in the background."""
        return await self._run_in_thread(fn, args, self._here)

    async def _run_in_thread(
        self, fn: Callable[..., T], args: tuple[Any, ...], gate: asyncio.Semaphore | None = None
    ) -> T:
        async with gate or self._free:
            try:
                async with asyncio.timeout(WORK_DEADLINE):
                    return await _in_thread(fn, *args)
            except TimeoutError:
                # A thread cannot be ended: it finishes in the background, a daemon, and the
                # next job does not wait for it.
                raise WorkerError(_over_deadline()) from None

    async def _run_in_process(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        async with self._free:
            worker = self._idle.pop() if self._idle else await self._start()
            worker.busy = True
            try:
                async with asyncio.timeout(WORK_DEADLINE):
                    status, value = await _in_thread(worker.call, fn, args)
            except TimeoutError:
                self._end(worker)
                raise WorkerError(_over_deadline()) from None
            except BaseException:  # died (EOFError), or we were cancelled mid-job
                self._end(worker)
                raise
            worker.busy = False
            self._idle.append(worker)
        if status == "error":
            raise value
        return cast(T, value)

    async def _start(self) -> _Process:
        if self._context is None:
            self._context = asyncio.ensure_future(asyncio.to_thread(_context))
        context = await self._context
        # in a thread: a start waits for the fork server (still importing at first), which
        # on the event loop held the reader's keys; on the lasting one: a fork server that
        # must be started again is tied to the newsroom's life, not to an executor thread's.
        worker = await asyncio.to_thread(on_lasting_thread, partial(_Process, context))
        self._all.add(worker)
        return worker

    def _end(self, worker: _Process) -> None:
        self._all.discard(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        worker.kill()

    async def close(self) -> None:
        """Kill every worker, idle or stuck: nothing waits for a job that never ends."""
        for worker in list(self._all):
            self._end(worker)


def _over_deadline() -> str:
    return f"parsing took longer than {WORK_DEADLINE:.0f} s"


def default_processes(feeds: int) -> int:
    if feeds < MIN_FEEDS_FOR_PROCESSES:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 8))


def one_line_error(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = clip(clean_line(lines[0]), 200) if lines else ""
    return f"internal error: {type(exc).__name__}" + (f": {first}" if first else "")
