"""A long Hypothesis run of the properties in tests/fuzz_properties.py: parse_feed (and the
articles built from its entries), extract_page, the sanitizer, the OPML and urls readers.

    python bench/bench_fuzz.py [--examples N] [--seed S] [--no-write]

tests/test_fuzz.py runs the same properties with a few derandomized examples in CI; this runs
``N`` examples of each from seed ``S`` and reports how many ran and what failed (the shrunk
example of each failure). Results go to the "Fuzzing" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis.strategies import SearchStrategy  # noqa: E402
from report import machine, write_section  # noqa: E402

from tests.fuzz_properties import PROPERTIES  # noqa: E402


def run_property(
    prop: Callable[[Any], None], strategy: SearchStrategy[Any], examples: int, start_seed: int
) -> tuple[int, str | None]:
    count = 0

    def counted(value: object) -> None:
        nonlocal count
        count += 1
        prop(value)

    test = seed(start_seed)(
        settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(counted))
    )
    try:
        test()
    except Exception as exc:  # the shrunk failing example, in Hypothesis' note
        notes = " ".join(" ".join(getattr(exc, "__notes__", [])).split())
        where = exc.__traceback__
        while where and where.tb_next:
            where = where.tb_next
        line = f" at line {where.tb_lineno}" if where else ""
        text = f"{type(exc).__name__}{line}: {str(exc)[:80]} {notes[:240]}".replace("|", "\\|")
        return count, " ".join(text.split())
    return count, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--only", help="just this property (by name)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    rows = []
    for prop, strategy in PROPERTIES:
        if args.only and prop.__name__ != args.only:
            continue
        start = time.perf_counter()
        count, failure = run_property(prop, strategy, args.examples, args.seed)
        rows.append((prop.__name__, count, time.perf_counter() - start, failure))
        print(rows[-1], flush=True)
    total = sum(r[1] for r in rows)
    failed = [r for r in rows if r[3]]
    lines = [
        "## Fuzzing",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with"
        f" `python bench/bench_fuzz.py --examples {args.examples} --seed {args.seed}`.",
        "",
        f"- Machine: {machine()}",
        f"- {total:,} examples run (counting Hypothesis' shrinking runs),"
        f" {len(failed)} properties failed.",
        "",
        "| Property | Examples run | Time | Failure found |",
        "|---|---|---|---|",
        *[
            f"| `{name}` | {n:,} | {secs:.0f} s | {fail or 'none'} |"
            for name, n, secs, fail in rows
        ],
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("fuzz", text)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
