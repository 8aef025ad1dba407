"""The installed ``newsroom`` in a real terminal: a detached tmux session of a given size, keys
sent as a person types them, and the screen read back as text.

Pilot tests drive the reader from inside its own process; these go through the terminal's
input parser, real timing and the process's exit status, as a desk meets them. Each
terminal has a tmux server of its own (``tmux -L``, no configuration file read), so a test
never touches another test's sessions nor the user's; ``close`` kills it.

Waiting is by polling the screen until a text shows, with a generous deadline: a wait, not a
timed assertion (a slow machine takes longer, never fails where a fast one passes).

``.ci/run`` installs tmux (Debian's package) where it is missing and sets
``NEWSROOM_TEST_REQUIRE_TMUX``: there, a missing tmux fails the tests instead of skipping them.
"""

from __future__ import annotations

import itertools
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# The command as installed next to this Python (a venv's bin/, CI's pip install -e .)
NEWSROOM = Path(sys.executable).parent / "newsroom"
REQUIRE_TMUX = os.environ.get("NEWSROOM_TEST_REQUIRE_TMUX") == "1"
DEADLINE = 20.0  # seconds a wait may take before the test fails (a loaded CI machine)
POLL = 0.05
SIZES = {"80x24": (80, 24), "200x50": (200, 50)}  # newsboat's default, and a wide terminal
_names = itertools.count(1)


def require_tmux() -> None:
    """Skip where tmux is missing, except in CI (``.ci/run``), where that fails the test."""
    if shutil.which("tmux") is None:
        if REQUIRE_TMUX:
            pytest.fail("tmux is not installed")
        pytest.skip("tmux is not installed (apt-get install tmux)")
    if not NEWSROOM.exists():
        pytest.fail(f"the newsroom command is not installed next to {sys.executable}")


class Terminal:
    """One ``newsroom`` in a tmux session ``width`` x ``height``; its exit status is written
    to ``status_file`` when it ends."""

    def __init__(self, workdir: Path, width: int, height: int) -> None:
        self.workdir = workdir
        self.width, self.height = width, height
        self.socket = f"newsroom-test-{os.getpid()}-{next(_names)}"
        self.session = "reader"
        self.status_file = workdir / f"{self.socket}.status"
        self.started = False

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def start(
        self, args: list[str], env: Mapping[str, str], program: list[str] | None = None
    ) -> Terminal:
        """Run ``newsroom ARGS`` (or ``program ARGS``) with ``env`` added to a plain
        environment."""
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "TZ": "Europe/Berlin",
            "TERM": "xterm-256color",
            # a "browser" that opens nothing: o and the links dialog succeed quietly
            "BROWSER": "true",
            # a checkout's code run with PYTHONPATH=. reaches the reader in tmux too
            **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
            **env,
        }
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
        command = " ".join(shlex.quote(a) for a in [*(program or [str(NEWSROOM)]), *args])
        status = shlex.quote(str(self.status_file))
        script = f"env -i {exports} {command}; echo $? > {status}.part && mv {status}.part {status}"
        self._tmux(
            "-u",
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            f"sh -c {shlex.quote(script + '; sleep 600')}",
        )
        self.started = True
        return self

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys as tmux names them ("Enter", "Escape", "C-f", "j"); ``literal``: the
        strings as typed text."""
        self._tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session)

    def wait_until(self, check: Callable[[str], bool], what: str) -> str:
        """The screen once ``check`` holds for it; fails with the screen at the deadline."""
        end = time.monotonic() + DEADLINE
        while True:
            shown = self.screen()
            if check(shown):
                return shown
            if self.status_file.exists():
                raise AssertionError(f"newsroom ended before {what}:\n{self.screen()}")
            if time.monotonic() > end:
                raise AssertionError(f"the screen never showed {what}:\n{shown}")
            time.sleep(POLL)

    def wait_for(self, text: str) -> str:
        return self.wait_until(lambda shown: text in shown, repr(text))

    def wait_gone(self, text: str) -> str:
        return self.wait_until(lambda shown: text not in shown, f"{text!r} gone")

    def exit_status(self) -> int:
        """Wait for the reader to end; its exit status."""
        end = time.monotonic() + DEADLINE
        while not self.status_file.exists():
            if time.monotonic() > end:
                raise AssertionError(f"newsroom did not end:\n{self.screen()}")
            time.sleep(POLL)
        return int(self.status_file.read_text())

    @property
    def ended(self) -> bool:
        return self.status_file.exists()

    def close(self) -> None:
        """Kill the terminal's tmux server, and remove its socket (tmux leaves it)."""
        if self.started:
            try:
                socket_path = self._tmux("display-message", "-p", "#{socket_path}").strip()
            except RuntimeError:
                socket_path = ""
            subprocess.run(
                ["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=DEADLINE
            )
            if socket_path:
                Path(socket_path).unlink(missing_ok=True)
            self.started = False


def newsroom(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command once, outside the terminal (a second process: cron's
    fetch, a colleague's `newsroom done`)."""
    return subprocess.run(
        [str(NEWSROOM), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
