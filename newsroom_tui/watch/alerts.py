"""Alerts of watchlist matches: a command with the match as JSON on its standard input, the
terminal's bell and desktop notification (OSC 9 / OSC 777), ``notify-send``.

No shell is ever involved: a command is the argv its watchlist holds, and the article reaches
it only as JSON on standard input, never on its command line. Commands run detached (a
session of their own, output not on our terminal) on a few threads, each with a time limit;
one that fails or hangs is reported in one line and never holds up the poll. Its standard
error is read in chunks as it comes, and only the last :data:`ERROR_TAIL_BYTES` are kept for
that line: a command writing gigabytes costs newsroom no more memory than one writing a line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, TextIO

from newsroom_tui.text.sanitize import clean_line, clip
from newsroom_tui.watch_records import WatchMatch

log = logging.getLogger("newsroom.watch")

RUN_TIMEOUT = 60.0  # seconds a --run command may take before it is ended
RUN_WORKERS = 4  # commands running at once; more matches wait their turn
NOTIFY_TIMEOUT = 10.0
# Desktop notifications: at most this many per window; the rest are counted and summed up
NOTIFY_BURST = 5
NOTIFY_WINDOW = 30.0  # seconds
ERROR_MAX_CHARS = 200
ERROR_TAIL_BYTES = 64 * 1024  # of a command's stderr, kept for its error line
READ_CHUNK = 64 * 1024

Report = Callable[[str], None]


class CommandRunner:
    """Runs commands detached, each with ``timeout``; problems go to ``report``."""

    def __init__(self, report: Report | None = None, timeout: float = RUN_TIMEOUT) -> None:
        self.report = report or (lambda line: log.warning("%s", line))
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(RUN_WORKERS, thread_name_prefix="newsroom-run")
        self._running: set[subprocess.Popen[bytes]] = set()
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self, argv: Sequence[str], stdin: bytes, what: str) -> None:
        """Start ``argv`` with ``stdin`` soon (returns at once); ``what`` names it in reports."""
        with self._lock:
            if self._closed:
                return
            future = self._pool.submit(self._run, tuple(argv), stdin, what)
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _run(self, argv: tuple[str, ...], stdin: bytes, what: str) -> None:
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # not ended by the reader's ctrl+c; killed as a group
                close_fds=True,
            )
        except OSError as exc:
            self.report(f"{what}: cannot start {argv[0]}: {exc.strerror or exc}")
            return
        with self._lock:
            self._running.add(proc)
        deadline = time.monotonic() + self.timeout
        feeder = threading.Thread(
            target=_feed, args=(proc.stdin, stdin), name="newsroom-run-stdin", daemon=True
        )
        feeder.start()
        try:
            err = read_tail(proc.stderr, deadline) if proc.stderr is not None else b""
            if err is not None:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            err = None
        finally:
            if proc.returncode is None:
                _kill(proc)
            feeder.join(timeout=5)
            if proc.stderr is not None:
                proc.stderr.close()
            with self._lock:
                self._running.discard(proc)
        if err is None:
            self.report(f"{what}: {argv[0]} took longer than {self.timeout:g} s and was ended")
            return
        if proc.returncode != 0:
            first = err.decode("utf-8", "replace").strip().splitlines()
            reason = f": {clip(clean_line(first[-1]), ERROR_MAX_CHARS)}" if first else ""
            self.report(f"{what}: {argv[0]} exited with status {proc.returncode}{reason}")

    def close(self, wait: float | None = None) -> None:
        """Let running and waiting commands finish for up to ``wait`` seconds (default: their
        timeout), then end the rest."""
        with self._lock:
            self._closed = True
        deadline = time.monotonic() + (self.timeout if wait is None else wait)
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    break
            time.sleep(0.05)
        with self._lock:
            left, running = len(self._pending), list(self._running)
        for proc in running:
            _kill(proc)
        self._pool.shutdown(wait=True, cancel_futures=True)
        if left:
            self.report(f"{left} watch command(s) ended or not started: newsroom is stopping")


def _feed(pipe: IO[bytes] | None, data: bytes) -> None:
    """Write ``data`` to a command's stdin and close it; a command that does not read it
    (closed early, killed) is no error."""
    if pipe is None:
        return
    with contextlib.suppress(OSError, ValueError):
        pipe.write(data)
    with contextlib.suppress(OSError, ValueError):
        pipe.close()


def read_tail(stream: IO[bytes], deadline: float, keep: int = ERROR_TAIL_BYTES) -> bytes | None:
    """Read ``stream`` to its end in chunks, keeping only its last ``keep`` bytes; None when
    it has not ended by ``deadline`` (a ``time.monotonic()`` time)."""
    tail = bytearray()
    fd = stream.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return None
            chunk = os.read(fd, READ_CHUNK)
            if not chunk:
                return bytes(tail)
            tail += chunk
            if len(tail) > keep:
                del tail[:-keep]


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def match_payload(match: WatchMatch) -> bytes:
    return json.dumps(match.to_json(), ensure_ascii=False).encode("utf-8") + b"\n"


def notification_text(match: WatchMatch) -> tuple[str, str]:
    """(title, body) of a match's notification, one line each, without control characters."""
    title = clip(clean_line(f"newsroom: {match.watchlist.name}"), 120)
    body = clip(clean_line(f"{match.title} ({match.feed})"), 300)
    return title, body


def terminal_notification(title: str, body: str, env: Mapping[str, str]) -> str:
    """The bell and, where the terminal shows one, a desktop notification: OSC 777 (VTE
    terminals, foot, Ghostty, urxvt), OSC 9 (iTerm2, WezTerm, Windows Terminal, ConEmu,
    kitty). The texts hold no control characters (and no ``;`` for OSC 777's fields)."""
    title, body = _osc_safe(title), _osc_safe(body)
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if env.get("VTE_VERSION") or "foot" in term or "rxvt" in term or program == "ghostty":
        return f"\x1b]777;notify;{title.replace(';', ',')};{body.replace(';', ',')}\x07\a"
    if (
        program in ("iTerm.app", "WezTerm")
        or env.get("WT_SESSION")
        or env.get("ConEmuPID")
        or env.get("KITTY_WINDOW_ID")
    ):
        return f"\x1b]9;{title}: {body}\x07\a"
    return "\a"


def _osc_safe(text: str) -> str:
    return clean_line(text).replace("\x07", "").replace("\x1b", "")


def notify_send_argv(title: str, body: str, env: Mapping[str, str]) -> list[str] | None:
    """``notify-send`` for a desktop session (None without one or without the program). The
    body is escaped: notification servers read it as markup."""
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return None
    program = shutil.which("notify-send")
    if program is None:
        return None
    markup = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return [program, "--app-name=newsroom", "--", title, markup]


class Alerts:
    """Delivers matches: ``--run`` commands always (where the article was stored), and for
    watchlists with ``notify`` the terminal's bell/notification (through ``terminal``, a
    function that writes a control sequence, or none) and ``notify-send``, at most
    :data:`NOTIFY_BURST` per :data:`NOTIFY_WINDOW` seconds (the rest summed up)."""

    def __init__(
        self,
        runner: CommandRunner,
        terminal: Callable[[str], None] | None = None,
        *,
        run_commands: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.runner = runner
        self.terminal = terminal
        self.run_commands = run_commands
        self.env = os.environ if env is None else env
        self._sent: list[float] = []
        self._held = 0
        self._lock = threading.Lock()

    def __call__(self, matches: list[WatchMatch]) -> None:
        for match in matches:
            if self.run_commands and match.watchlist.run:
                self.runner.start(
                    match.watchlist.run, match_payload(match), f"watch {match.watchlist.name!r}"
                )
        self.notify([m for m in matches if m.watchlist.notify])

    def notify(self, matches: list[WatchMatch]) -> None:
        for match in matches:
            title, body = notification_text(match)
            with self._lock:
                now = time.monotonic()
                self._sent = [t for t in self._sent if now - t < NOTIFY_WINDOW]
                if len(self._sent) >= NOTIFY_BURST:
                    self._held += 1
                    continue
                self._sent.append(now)
                if self._held:
                    body = f"{body} (+{self._held} more matches)"
                    self._held = 0
            self._show(title, body)

    def flush(self) -> None:
        """Sum up the notifications held back by the limit (at the end of a poll)."""
        with self._lock:
            held, self._held = self._held, 0
        if held:
            self._show("newsroom", f"{held} more watchlist matches")

    def _show(self, title: str, body: str) -> None:
        if self.terminal is not None:
            self.terminal(terminal_notification(title, body, self.env))
        argv = notify_send_argv(title, body, self.env)
        if argv is not None:
            self.runner.start(argv, b"", "notify-send")


def stream_terminal(stream: TextIO) -> Callable[[str], None]:
    """A ``terminal`` for :class:`Alerts` writing to ``stream`` (e.g. stderr on a tty)."""

    def write(sequence: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            stream.write(sequence)
            stream.flush()

    return write
