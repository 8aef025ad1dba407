"""The cases of issue #12's second half, for bench/bench_hostile.py: each hostile feed polled
by `newsroom fetch --json` beside six healthy feeds, plus a gallery of huge PNGs, the body
preview of 60,000 "![" and a kill -9 of `newsroom fetch`. Each row: the one-line outcome, the
time, the peak memory, and whether the healthy feeds were stored whole. With ``base`` (a
directory holding an older ``newsroom_tui``) every case runs on both, side by side."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests import hostile_faults_site as site
from tests.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent
CASE_LIMIT = 300  # seconds: a case that takes longer is reported as such
# Runs a command and reports the peak memory (KB) of its largest process on stderr.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'PEAK_KB={peak}', file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


@dataclass
class Row:
    case: str
    outcome: str
    seconds: float
    peak_mb: float
    healthy_whole: bool | None  # None: no healthy feeds in this case


def _env(package_root: Path) -> dict[str, str]:
    from loopback_pages import loopback_env

    path = {"PYTHONPATH": f"{package_root}{os.pathsep}{ROOT}"}
    return {**os.environ, **path, **loopback_env(package_root)}


def _measured(cmd: list[str], package_root: Path, cwd: str) -> tuple[str, str, float, float]:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *cmd],
            env=_env(package_root),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=CASE_LIMIT,
        )
    except subprocess.TimeoutExpired:
        return "", f"still running after {CASE_LIMIT} s", CASE_LIMIT, 0.0
    seconds = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    peak = next((int(x[8:]) for x in reversed(lines) if x.startswith("PEAK_KB=")), 0)
    errors = [x for x in lines if not x.startswith("PEAK_KB=")]
    return done.stdout, (errors[-1] if errors else ""), seconds, peak / 1024


# `newsroom fetch` cases -------------------------------------------------------------------------

FetchCase = tuple[str, Callable[[FixtureServer], list[str]]]


def _one(path: str, body: str | bytes, kind: str = "application/rss+xml") -> Callable:
    def setup(server: FixtureServer) -> list[str]:
        server.add(path, body, kind)
        return [server.url(path)]

    return setup


def _bad_pages(server: FixtureServer) -> list[str]:
    server.add("/seiten.rss", site.bad_links_feed(server.base), "application/rss+xml")
    server.add("/seite/tief.html", site.deep_jsonld_page())
    server.add("/seite/gut.html", site.good_page())
    return [server.url("/seiten.rss")]


FLOOD = site.entity_flood_feed(refs=1_500_000)  # under the 10 MB a feed may have
FLOOD_PI = site.entity_flood_feed(refs=1_500_000, pi=True)
FETCH_CASES: list[FetchCase] = [
    ("200,000 `&lt;` (lxml path)", _one("/lt.rss", site.lt_run_feed())),
    ("200,000 `&lt;` (feedparser path)", _one("/lt2.rss", site.with_doctype(site.lt_run_feed()))),
    ("64 KB `<author>` (feedparser path)", _one("/autor.rss", site.huge_author_rss())),
    ("entry links httpx refuses, 100,000-deep JSON-LD page", _bad_pages),
    ("200 entities x 1.5 million references", _one("/flut.rss", FLOOD)),
    ("the same after `<?pi <a?>`", _one("/flut-pi.rss", FLOOD_PI)),
]


def _healthy_whole(listed: str) -> bool:
    try:
        titles = {a["title"] for a in json.loads(listed)}
    except ValueError:
        return False
    want = {f"Ratssitzung {n}: Beschluss {i}" for n in range(site.HEALTHY_FEEDS) for i in range(3)}
    return want <= titles


def _subscribe(newsroom: list[str], urls: list[str], package_root: Path, data: str) -> None:
    """Subscribe without looking at the URLs first (``add`` of newer code sniffs each one and
    would refuse the hostile feeds; an older base has no ``add --force``): a urls file."""
    listing = Path(data) / "urls"
    listing.write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
    subprocess.run(
        [*newsroom, "import-urls", str(listing)],
        env=_env(package_root),
        cwd=data,
        check=True,
        capture_output=True,
    )


def run_fetch_case(case: FetchCase, package_root: Path) -> Row:
    name, setup = case
    server = FixtureServer().start()
    try:
        healthy = site.add_healthy(server)
        hostile = setup(server)
        with tempfile.TemporaryDirectory(prefix="bench-faults-") as data:
            newsroom = [sys.executable, "-m", "newsroom_tui", "--data-dir", data]
            _subscribe(newsroom, [*hostile, *healthy], package_root, data)
            out, last_error, seconds, peak = _measured(
                [*newsroom, "fetch", "--json"], package_root, data
            )
            listed = subprocess.run(
                [*newsroom, "list", "--json"], env=_env(package_root), cwd=data,
                capture_output=True, text=True,
            ).stdout  # fmt: skip
    finally:
        server.stop()
    try:
        report = json.loads(out)
    except ValueError:
        return Row(name, f"no JSON; {last_error[:120]}", seconds, peak, _healthy_whole(listed))
    failed = {f["url"]: f["error"] for f in report["failed"]}
    outcome = "; ".join(sorted({failed[u] for u in hostile if u in failed})) or "stored"
    others = len([u for u in failed if u not in hostile])
    if others:
        outcome += f"; and {others} healthy feeds failed: {next(iter(failed.values()))}"
    return Row(name, outcome, seconds, peak, _healthy_whole(listed))


# In-process cases (in a child process, for their memory) ----------------------------------------

_GALLERY = """
import asyncio, sys
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.net.image_cache import ImageCache

async def main():
    cache = ImageCache(None)
    async with Fetcher() as fetcher:
        tiles = await asyncio.gather(*(cache.thumbnail(u, fetcher) for u in sys.argv[1:]))
    shown = sum(t is not None for t in tiles)
    print(f"{shown} of {len(tiles)} shown")

asyncio.run(main())
"""
_PREVIEW = """
from newsroom_tui.ui.body_preview import preview_text
text = preview_text("Bildergalerie " + "![" * 60_000).plain  # hostile_faults_site's
print(f"previewed, {len(text):,} characters")
"""


def run_gallery(package_root: Path) -> Row:
    server = FixtureServer().start()
    try:
        for n in range(6):
            server.add(f"/galerie/{n}.png", site.huge_png(), "image/png")
        urls = [server.url(f"/galerie/{n}.png") for n in range(6)]
        with tempfile.TemporaryDirectory() as cwd:
            out, err, seconds, peak = _measured(
                [sys.executable, "-c", _GALLERY, *urls], package_root, cwd
            )
    finally:
        server.stop()
    return Row(
        "gallery of six 9400x9400 RGBA PNGs (363 KB each)", out.strip() or err, seconds, peak, None
    )


def run_preview(package_root: Path) -> Row:
    with tempfile.TemporaryDirectory() as cwd:
        out, err, seconds, peak = _measured([sys.executable, "-c", _PREVIEW], package_root, cwd)
    return Row("body preview of 60,000 `![`", out.strip() or err, seconds, peak, None)


def run_kill_9(package_root: Path, wait: float = 10.0) -> Row:
    """kill -9 of `newsroom fetch` while a feed hangs: how long its helpers outlive it."""
    server = FixtureServer().start()
    hold = site.Hold()
    server.behaviours["/haengt.rss"] = hold
    helpers: set[int] = set()
    try:
        healthy = site.add_healthy(server)
        with tempfile.TemporaryDirectory(prefix="bench-faults-") as data:
            newsroom = [sys.executable, "-m", "newsroom_tui", "--data-dir", data]
            env = _env(package_root)
            urls = [server.url("/haengt.rss"), *healthy]
            _subscribe(newsroom, urls, package_root, data)
            proc = subprocess.Popen(
                [*newsroom, "fetch"], env=env, cwd=data, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            end = time.monotonic() + 60
            while len(helpers) < 3 and time.monotonic() < end:
                helpers |= site.descendants(proc.pid)
                time.sleep(0.05)
            time.sleep(1.0)  # the workers are busy with the healthy feeds
            helpers |= site.descendants(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = time.perf_counter()
            while any(site.alive(p) for p in helpers) and time.perf_counter() - killed < wait:
                time.sleep(0.02)
            seconds = time.perf_counter() - killed
            left = [p for p in helpers if site.alive(p)]
    finally:
        hold.released.set()
        for pid in helpers:
            if site.alive(pid):
                os.kill(pid, signal.SIGKILL)
        server.stop()
    if left:
        outcome = f"{len(left)} of {len(helpers)} helper processes still alive after {wait:.0f} s"
    else:
        outcome = f"all {len(helpers)} helper processes ended"
    return Row("kill -9 of `newsroom fetch`", outcome, seconds, 0.0, None)


def run_all(package_root: Path) -> list[Row]:
    rows = [run_fetch_case(case, package_root) for case in FETCH_CASES]
    return [*rows, run_gallery(package_root), run_preview(package_root), run_kill_9(package_root)]


def _cell(row: Row | None) -> str:
    if row is None:
        return "–"
    memory = f", {row.peak_mb:.0f} MB" if row.peak_mb else ""
    whole = (
        ""
        if row.healthy_whole is None
        else ("; healthy whole" if row.healthy_whole else "; **healthy feeds lost**")
    )
    return f"{row.outcome} ({row.seconds:.1f} s{memory}{whole})"  # fmt: skip


def section(base: Path | None, when: str, machine: str, *, faults_only: bool = False) -> str:
    """The "Hostile faults" section of bench/RESULTS.md; ``base``: compare with that code."""
    new = run_all(ROOT)
    old = run_all(base) if base else [None] * len(new)
    header = ["| Case | This branch |", "|---|---|"]
    if base:
        header = ["| Case | Before (base) | This branch |", "|---|---|---|"]
    rows = [
        f"| {n.case} | {_cell(o)} | {_cell(n)} |" if base else f"| {n.case} | {_cell(n)} |"
        for o, n in zip(old, new, strict=True)
    ]
    command = "python bench/bench_hostile.py" + (" --faults-only" if faults_only else "")
    command += " --base DIR" if base else ""
    return "\n".join(
        [
            "## Hostile faults (issue #12, second half)",
            "",
            f"Run {when} UTC with `{command}`"
            + (" (DIR: `git archive 83910a5`, the code before this work)" if base else "")
            + ".",
            "",
            f"- Machine: {machine}",
            "- Each feed case: `newsroom fetch --json` of the hostile feed beside six healthy"
            " feeds of 3 articles; the cell gives the hostile feed's one-line outcome, the"
            " wall time of the whole fetch, the peak memory of its largest process, and"
            " whether all 18 healthy articles were stored. Memory is not measured for kill -9;"
            " its time is from the kill until the last helper process ended.",
            "",
            *header,
            *rows,
        ]
    )
