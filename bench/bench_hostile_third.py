"""Issue #24's attacks, each on this checkout and, with ``--base DIR``, on older code beside it.

    python bench/bench_hostile_third.py [--base DIR] [--only TEXT] [--no-write]

DIR holds an older ``newsroom_tui`` (``git archive b8e6e9c | tar -x -C DIR``: main before
issue #24). The cases are the ``CASES`` of ``bench/hostile_third_*.py``; each runs in a fresh
process of its own, against a loopback server, with its time (wall, the whole case) and the
peak memory of the largest process it started. The table goes to the "Hostile data, third
round" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from report import machine, write_section  # noqa: E402

CASE_TIMEOUT = 600


def case_modules() -> list[str]:
    return sorted(p.stem for p in BENCH.glob("hostile_third_*.py") if p.stem != "hostile_third_kit")


def all_cases() -> list[tuple[str, int, str]]:
    """(module, index, name) of every case."""
    found = []
    for module in case_modules():
        for index, case in enumerate(importlib.import_module(module).CASES):
            found.append((module, index, case.name))
    return found


def run_one(module: str, index: int, root: Path) -> None:
    """In the child: run one case against ``root``; print its outcome and peak memory."""
    from hostile_third_kit import Side

    from tests.fixture_server import FixtureServer

    case = importlib.import_module(module).CASES[index]
    server = FixtureServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-hostile3-") as work:
            try:
                outcome = case.run(Side(root=root, work=Path(work), server=server))
            except Exception as exc:  # the case itself failed: say so, go on with the rest
                outcome = f"case error: {type(exc).__name__}: {str(exc)[:100]}"
    finally:
        server.stop()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"outcome": outcome, "peak_mb": peak_kb / 1024}))


def measure(module: str, index: int, root: Path) -> tuple[str, float, float]:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", f"{module}:{index}", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=CASE_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return f"case still running after {CASE_TIMEOUT} s", CASE_TIMEOUT, 0.0
    seconds = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        tail = done.stderr.strip().splitlines()
        return f"case error: {tail[-1][:100] if tail else done.returncode}", seconds, 0.0
    return result["outcome"], seconds, result["peak_mb"]


def _cell(outcome: str, seconds: float, peak: float) -> str:
    text = outcome.replace("|", "\\|").replace("\n", " ")
    return f"{text} ({seconds:.1f} s, {peak:.0f} MB)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="also run every case on this older code")
    parser.add_argument("--only", help="only the cases whose name or module holds this text")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        module, index = args.one.rsplit(":", 1)
        run_one(module, int(index), args.root)
        return 0
    rows = []
    for module, index, name in all_cases():
        if args.only and args.only not in name and args.only not in module:
            continue
        new = _cell(*measure(module, index, ROOT))
        old = _cell(*measure(module, index, args.base)) if args.base else None
        row = f"| {module.removeprefix('hostile_third_')} | {name} | {old} | {new} |"
        if not args.base:
            row = f"| {module.removeprefix('hostile_third_')} | {name} | {new} |"
        print(row, flush=True)
        rows.append(row)
    header = "| Class | Attack | Before (base) | This checkout |\n|---|---|---|---|"
    if not args.base:
        header = "| Class | Attack | This checkout |\n|---|---|---|"
    command = "python bench/bench_hostile_third.py" + (" --base DIR" if args.base else "")
    section = "\n".join(
        [
            "## Hostile data, third round (issue #24)",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`"
            + (" (DIR: `git archive b8e6e9c`, main before this issue)" if args.base else "")
            + ".",
            "",
            f"- Machine: {machine()}",
            "- Each cell: the outcome (`held` or `broken`), the wall time of the whole case and"
            " the peak memory of the largest process it started.",
            "",
            header,
            *rows,
        ]
    )
    if not args.no_write and not args.only:
        write_section("hostile-third", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
