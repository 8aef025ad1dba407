"""Run every benchmark in turn; each writes its own section of bench/RESULTS.md.

    python bench/run.py [--quick]

--quick runs smaller sizes (for a try-out; the figures in RESULTS.md come from full runs).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = {
    "bench_poll.py": [],
    "bench_ingest.py": [],
    "bench_ui.py": [],
    "bench_extract.py": [],
    "bench_hostile.py": [],
    "bench_fuzz.py": [],
    "bench_team.py": ["--items", "100"],
    "bench_listing.py": [],
}
QUICK = {
    "bench_poll.py": ["--feeds", "100", "--items", "20", "--no-write"],
    "bench_ingest.py": ["--feeds", "5", "--repeat", "1", "--no-write"],
    "bench_ui.py": ["--articles", "5000", "--poll-feeds", "50", "--poll-items", "20", "--no-write"],
    "bench_extract.py": ["--no-write"],
    "bench_hostile.py": ["--no-write"],
    "bench_fuzz.py": ["--examples", "100", "--no-write"],
    "bench_team.py": ["--feeds", "100", "--items", "20", "--clients", "4", "--no-write"],
    "bench_listing.py": ["--rounds", "3", "--no-write"],
}


def main(argv: list[str]) -> int:
    plan = QUICK if "--quick" in argv else FULL
    failed = []
    for script, args in plan.items():
        if not (HERE / script).exists():
            continue
        print(f"== {script} {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *args], check=False).returncode:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
