"""`newsroom fetch` against every kind of hostile feed at once, beside one healthy feed.

    python bench/bench_hostile.py [--no-write] [--base DIR] [--faults-only]

Serves tests/hostile_site.py on loopback (slow bytes, an endless body, a gzip bomb, a redirect
loop, 500, 429, HTML, an entity bomb, escape sequences) and times the whole command and its
peak memory; the issue asks for under a minute and under 400 MB. Figures go to the
"Hostile feeds" section of bench/RESULTS.md. Then the cases of bench/hostile_cases.py (issue
#12's second half), each beside six healthy feeds, into "Hostile faults"; with ``--base DIR``
(e.g. ``git archive 83910a5 | tar -x -C DIR``) also on that older code, side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import hostile_cases  # noqa: E402
from loopback_pages import loopback_env  # noqa: E402
from report import machine, write_section  # noqa: E402

from tests.fixture_server import FixtureServer  # noqa: E402
from tests.hostile_site import hostile_site, hostile_urls  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--base", type=Path, help="also run the fault cases on this older code")
    parser.add_argument("--faults-only", action="store_true", help="only the fault cases")
    args = parser.parse_args(argv)
    if not args.faults_only:
        _hostile_feeds(args)
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    faults = hostile_cases.section(args.base, when, machine(), faults_only=args.faults_only)
    print(faults)
    if not args.no_write:
        write_section("hostile-faults", faults)
    return 0


def _hostile_feeds(args: argparse.Namespace) -> None:
    server = hostile_site(FixtureServer().start())
    newsroom = [sys.executable, "-m", "newsroom_tui"]
    env = {**os.environ, **loopback_env()}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-hostile-") as data:
            subprocess.run(
                [*newsroom, "--data-dir", data, "add", "--force", *hostile_urls(server)],
                check=True,
                capture_output=True,
                env=env,
            )
            start = time.perf_counter()
            done = subprocess.run(
                [*newsroom, "--data-dir", data, "fetch", "--json"],
                capture_output=True,
                text=True,
                env=env,
            )
            wall = time.perf_counter() - start
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            summary = json.loads(done.stdout)
            listed = subprocess.run(
                [*newsroom, "--data-dir", data, "list", "--json"],
                check=True,
                capture_output=True,
                text=True,
            )
            stored = len(json.loads(listed.stdout))
    finally:
        server.stop()

    failures = {f["url"].rsplit("/", 1)[1]: f["error"] for f in summary["failed"]}
    lines = [
        "## Hostile feeds",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/bench_hostile.py`.",
        "",
        f"- Machine: {machine()}",
        f"- `newsroom fetch` of {summary['feeds']} feeds (9 hostile, 1 healthy with 3 articles)"
        f" took **{wall:.1f} s** (goal < 60 s), peak memory of the largest process"
        f" **{peak_mb:.0f} MB** (goal < 400 MB), exit code {done.returncode}",
        f"- Articles stored: {stored} (the healthy feed's 3 and the escape-sequence feed's 1,"
        " cleaned)",
        "",
        "| Feed | One-line error |",
        "|---|---|",
        *[f"| {name} | {error} |" for name, error in sorted(failures.items())],
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("hostile", text)


if __name__ == "__main__":
    raise SystemExit(main())
