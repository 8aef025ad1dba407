"""Local hostile input, before and after, side by side: devices, FIFOs, a 3 GB file, config
mistakes, a newer cache, a urls file full of escape sequences.

    python bench/bench_hostile_local.py [--before DIR] [--no-write]

``--before DIR``: a checkout of an older newsroom (e.g. ``git worktree add /tmp/base 83910a5``)
run beside this one, case by case. Every command runs as its own process under a 2 GB
address-space limit (so an unbounded read ends in MemoryError instead of taking the machine)
and a 10 s timeout (a FIFO nobody writes blocks a plain read forever); its exit code, first
line of output, wall time and peak memory go into the "Hostile local input" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from report import machine, write_section  # noqa: E402

MEMORY_LIMIT = 2 * 1024**3
TIMEOUT = 10.0
FORBIDDEN = ("\x1b", "\x07", "\x00", "\x9b", "\x9c", "\x9d", "\u202e")
HOSTILE_URLS = (
    'http://127.0.0.1:9/herne.rss "Politik\x1b]52;c;cm0gLXJmIH4=\x07" "~Herne\x1b[2J Presse"\n'
    "http://127.0.0.1:9/nul\x00.rss\n"
    'http://127.0.0.1:9/kino.rss "Kultur\u202e" "~Kino\x9d0;x\x9c"\n'
)


@dataclass
class Case:
    name: str
    args: list[str]
    config: str | None = None  # the config file's text
    newer_cache: bool = False
    check_feeds: bool = False  # afterwards, count control characters in `newsroom feeds`


@dataclass
class Outcome:
    code: str
    line: str
    seconds: float
    peak_mb: float


def cases(tmp: Path) -> list[Case]:
    fifo = tmp / "pipe"
    os.mkfifo(fifo)
    big = tmp / "riesig.opml"
    with big.open("wb") as f:
        f.truncate(3 * 1024**3)  # sparse: 3 GB to read, no disk used
    urls = tmp / "urls"
    urls.write_text(HOSTILE_URLS, "utf-8")
    deep = "[" * 10_000 + "]" * 10_000
    return [
        Case("extract /dev/zero", ["extract", "/dev/zero"]),
        Case("import-opml /dev/zero", ["import-opml", "/dev/zero"]),
        Case("import-urls FIFO", ["import-urls", str(fifo)]),
        Case("extract 3 GB file", ["extract", str(big)]),
        Case("import-opml 3 GB file", ["import-opml", str(big)]),
        Case("config general = 1", ["list"], config="general = 1\n"),
        Case('config keys = "x"', ["list"], config='keys = "x"\n'),
        Case("config images = [1]", ["list"], config="[general]\nimages = [1]\n"),
        Case("config 10,000-deep array", ["list"], config=f"[general]\ntheme = {deep}\n"),
        Case("newer cache, --reset-cache", ["--reset-cache", "list"], newer_cache=True),
        Case("import-urls with escapes", ["import-urls", str(urls)], check_feeds=True),
    ]


def run_case(case: Case, code_dir: Path, work: Path) -> Outcome:
    data = work / "data"
    config = work / "config.toml"
    if case.config is not None:
        config.write_text(case.config, "utf-8")
    if case.newer_cache:
        _newer_cache(code_dir, data)
    env = {**os.environ, "PYTHONPATH": str(code_dir), "NEWSROOM_CONFIG": str(config)}
    out_path, err_path = work / "out", work / "err"
    command = [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data), *case.args]
    start = time.perf_counter()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(
            command, cwd=work, env=env, stdout=out, stderr=err, preexec_fn=_limit_memory
        )
        status, usage = _wait(proc)
    seconds = time.perf_counter() - start
    text = err_path.read_text("utf-8", "replace") or out_path.read_text("utf-8", "replace")
    lines = text.strip().splitlines()
    if status is None:
        shown, line = "killed", f"still blocked after {TIMEOUT:.0f} s"
    else:
        shown = str(status)
        line = f"traceback: {lines[-1]}" if "Traceback" in text else (lines[0] if lines else "")
    if case.newer_cache:
        moved = any(p.name.endswith(".broken") or ".broken-" in p.name for p in data.iterdir())
        line += " — cache moved aside" if moved else " — cache left as it is"
    if case.check_feeds:
        feeds = subprocess.run(
            [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data), "feeds"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        bad = sum(feeds.count(c) for c in FORBIDDEN)
        line += f" — `feeds` then prints {bad} control/bidi characters"
    line = line.replace(str(work), "WORK").replace(str(work.parent), "TMP")
    return Outcome(shown, _md(line), seconds, usage.ru_maxrss / 1024)


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int | None, resource.struct_rusage]:
    """(exit code, or None when killed at the timeout; the child's own rusage)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage
        time.sleep(0.02)
    proc.kill()
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = -9
    return None, usage


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _newer_cache(code_dir: Path, data: Path) -> None:
    """A cache as a newer newsroom leaves it: this one's schema, user_version 99."""
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    subprocess.run(
        [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data), "feeds"],
        cwd=data.parent,
        env=env,
        check=True,
        capture_output=True,
    )
    conn = sqlite3.connect(data / "newsroom.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def _md(text: str) -> str:
    return text.replace("|", "\\|")[:220]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of an older newsroom")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)
    sides = [("after", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-local-") as tmp:
        for case in cases(Path(tmp)):
            results = {}
            for side, code_dir in sides:
                with tempfile.TemporaryDirectory(prefix=f"{side}-", dir=tmp) as work:
                    results[side] = run_case(case, code_dir, Path(work))
            rows.append((case.name, results))
    header = "| Case | " + " | ".join(
        f"{side}: exit | {side}: outcome | {side}: s | {side}: MB" for side, _ in sides
    )
    lines = [header + " |", "|---" * (1 + 4 * len(sides)) + "|"]
    for name, results in rows:
        cells = [name]
        for side, _ in sides:
            r = results[side]
            cells += [r.code, r.line, f"{r.seconds:.2f}", f"{r.peak_mb:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    before = f", before: `--before {args.before}`" if args.before else ""
    text = (
        "## Hostile local input\n\n"
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with "
        f"`python bench/bench_hostile_local.py{' --before DIR' if args.before else ''}`"
        f"{before}.\n\n"
        f"- Machine: {machine()}\n"
        f"- Each command its own process, 2 GB address-space limit, killed after "
        f"{TIMEOUT:.0f} s; MB is that process's peak resident memory; TMP and WORK stand "
        "for the run's temporary folders.\n\n"
        f"{table}\n"
    )
    print(text)
    if not args.no_write:
        write_section("hostile-local", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
