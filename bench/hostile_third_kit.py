"""What the cases of issue #24 (hostile data, third round) share, for bench/bench_hostile_third.py.

A case is a function of a :class:`Side` (the code under test: this checkout, or an older one
given with ``--base DIR``) that sets up its hostile input on a loopback server or in files,
runs ``newsroom`` (or a few lines of Python against ``newsroom_tui``) as a child process, and
returns its outcome as one line: ``held: …`` when the guarantee holds, ``broken: …`` when it
does not. The runner times each case in a fresh process of its own and reads the peak memory
of the largest process the case started (``RUSAGE_CHILDREN``).

The cases live in ``bench/hostile_third_*.py`` modules, each with a list ``CASES``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent
CASE_LIMIT = 240  # seconds any one command of a case may take


@dataclass
class Side:
    """The code under test, a work folder and a loopback server for one case."""

    root: Path  # the folder holding the ``newsroom_tui`` package under test
    work: Path  # an empty folder of the case's own (data dirs, files)
    server: FixtureServer  # started; the case adds its routes

    @property
    def env(self) -> dict[str, str]:
        """The environment of the side's commands. The loopback server also serves the pages
        its feeds name: code that fetches such pages from public addresses only is given a
        config file allowing 127.0.0.1 (``general.allow_private_addresses``), as an intranet
        would; older code fetched them anyway and knows no such setting."""
        env = self.plain_env
        if (self.root / "newsroom_tui" / "net" / "address_policy.py").exists():
            config = self.work / "loopback-allowed.toml"
            config.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\n')
            env["NEWSROOM_CONFIG"] = str(config)
        return env

    @property
    def plain_env(self) -> dict[str, str]:
        """The environment of a newsroom without a config file: every default."""
        keep = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
        return {
            **keep,
            "PYTHONPATH": f"{self.root}{os.pathsep}{ROOT}",
            "TERM": "dumb",
            "NEWSROOM_CONFIG": str(self.work / "no-config.toml"),
        }

    def newsroom(self, data: str | Path | None = None) -> list[str]:
        """The argv of ``newsroom`` of this side, with ``--data-dir`` (the case's work folder
        unless given)."""
        return [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data or self.work / "data")]

    def run(
        self,
        args: list[str],
        *,
        data: str | Path | None = None,
        input: str | None = None,
        timeout: float = CASE_LIMIT,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """``newsroom ARGS`` of this side; output captured as text (errors replaced).
        A command still running after ``timeout`` is killed and reported with rc -9."""
        return self.run_argv([*self.newsroom(data), *args], input=input, timeout=timeout, env=env)

    def python(
        self, code: str, *args: str, timeout: float = CASE_LIMIT
    ) -> subprocess.CompletedProcess[str]:
        """A few lines of Python run against this side's ``newsroom_tui``."""
        return self.run_argv([sys.executable, "-c", code, *args], timeout=timeout)

    def run_argv(
        self,
        argv: list[str],
        *,
        input: str | None = None,
        timeout: float = CASE_LIMIT,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                argv,
                env=env or self.env,
                cwd=self.work,
                input=input,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                stdin=None if input is not None else subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else ""
            return subprocess.CompletedProcess(argv, -9, out, f"still running after {timeout} s")


def last_line(text: str) -> str:
    """The last non-empty line of some output, cut to 120 characters (for an outcome)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:120] if lines else ""


def has_escape(text: str) -> bool:
    """True when terminal control reaches the output (ESC, the 8-bit CSI/OSC, BEL)."""
    return any(c in text for c in ("\x1b", "\x9b", "\x9d", "\x07"))


@dataclass(frozen=True)
class Case:
    name: str  # one line for the table: what the attack is
    run: Callable[[Side], str]  # returns "held: …" or "broken: …"
