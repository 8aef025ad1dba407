"""Listing detection over every listing fixture (tests/fixtures/listings): announcements
found / expected, false announcements, dates right, links right, pages refused as they should
be, and pages per second; each half of the fixtures (split by a hash of the name) apart.

    python bench/bench_listing.py [--rounds 20] [--half tune|held-out] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsroom_tui.parse.listing import ListingError, detect_listing
from tests.listing_site import LISTINGS, expected, half, listing_names

BASE = "http://127.0.0.1:8000"


@dataclass
class Score:
    pages: int = 0
    expected: int = 0
    found: int = 0  # expected announcements found (by title)
    false: int = 0  # announcements found that the page does not have
    dated: int = 0  # expected announcements with a date in the listing
    dates_right: int = 0
    links_right: int = 0
    refusals_expected: int = 0
    refusals_right: int = 0
    wrong_refusals: int = 0  # listings refused
    seconds: float = 0.0
    detections: int = 0


def score_page(name: str, score: Score, verbose: bool) -> None:
    spec = expected(name)
    data = (LISTINGS / f"{name}.html").read_bytes()
    url = BASE + spec["path"]
    score.pages += 1
    try:
        found = detect_listing(data, url, "text/html").announcements
        refused = None
    except ListingError as exc:
        found, refused = [], str(exc)
    if spec.get("refuse"):
        score.refusals_expected += 1
        score.refusals_right += refused is not None
        score.false += len(found)
        if verbose and refused is None:
            print(f"  {name}: not refused, {len(found)} announcements")
        return
    if refused is not None:
        score.wrong_refusals += 1
        if verbose:
            print(f"  {name}: refused: {refused}")
    by_title = {a.title: a for a in found}
    want = spec["announcements"]
    score.expected += len(want)
    for item in want:
        got = by_title.pop(item["title"], None)
        listing_date = item.get("listing_date", True)
        score.dated += listing_date
        if got is None:
            if verbose:
                print(f"  {name}: missing {item['title']!r}")
            continue
        score.found += 1
        date_ok = got.published is not None and got.published.date().isoformat() == item["date"]
        if listing_date:
            score.dates_right += date_ok
        link = BASE + item["link"] if item.get("link") else None
        score.links_right += got.url == link
        if verbose and ((listing_date and not date_ok) or got.url != link):
            print(f"  {name}: {item['title']!r}: date {got.published}, link {got.url}")
    score.false += len(by_title)
    if verbose:
        for title in by_title:
            print(f"  {name}: false announcement {title!r}")


def timed(names: list[str], rounds: int) -> tuple[float, int]:
    pages = [((LISTINGS / f"{n}.html").read_bytes(), BASE + expected(n)["path"]) for n in names]
    start = time.perf_counter()
    for _ in range(rounds):
        for data, url in pages:
            with contextlib.suppress(ListingError):
                detect_listing(data, url, "text/html")
    return time.perf_counter() - start, rounds * len(pages)


def poll_all(names: list[str]) -> list[str]:
    """Every listing (each at a path of its own) polled as a page source through the
    loopback server: a cold poll (list and detail pages), then a re-poll (unchanged); lines
    for the report."""
    import asyncio
    import tempfile

    from loopback_pages import allow_loopback_in_process

    from newsroom_tui.ingest.poller import poll_feeds
    from newsroom_tui.store import open_store
    from tests.fixture_server import FixtureServer
    from tests.listing_site import serve_listing

    allow_loopback_in_process()
    server = FixtureServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp))
            for name in names:
                _, added = store.add_feed(serve_listing(server, name), kind="page")
                assert added, f"{name}: its path is another fixture's"
            listings = {expected(n)["path"] for n in names}
            start = time.perf_counter()
            cold = asyncio.run(poll_feeds(store))
            cold_s = time.perf_counter() - start
            details = sum(1 for path, _ in server.log if path not in listings)
            before = len(server.log)
            start = time.perf_counter()
            again = asyncio.run(poll_feeds(store))
            again_s = time.perf_counter() - start
            second = server.log[before:]
            store.close()
    finally:
        server.stop()
    repolled_details = sum(1 for path, _ in second if path not in listings)
    return [
        f"- Polled as page sources through the loopback server ({len(names)} listings):"
        f" cold poll **{cold_s:.2f} s**, {cold.new_articles} articles,"
        f" {details} detail pages fetched and extracted"
        f" ({(len(names) + details) / cold_s:.0f} pages/s), {len(cold.failed)} failed",
        f"- Re-poll of the unchanged listings: **{again_s:.2f} s**,"
        f" {sum(o.status == 'not_modified' for o in again.outcomes)} of {len(names)} not modified,"
        f" **{repolled_details} detail pages** downloaded",
    ]


def main() -> None:
    from report import machine, write_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--half", choices=["tune", "held-out"])
    parser.add_argument("--verbose", action="store_true", help="name every miss")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    halves = [args.half] if args.half else ["tune", "held-out"]
    lines = [
        "## Listing pages (page sources)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC with"
        f" `python bench/bench_listing.py --rounds {args.rounds}`.",
        "",
        f"- Machine: {machine()}; load average before the run"
        f" {' / '.join(f'{v:.1f}' for v in os.getloadavg())} (other work on the machine)",
        "- Fixtures: `tests/fixtures/listings/` (German municipal, district, police, fire brigade"
        " pages: teaser blocks, ul/li, cards with `<time>`, TYPO3 news, table, WordPress, Drupal"
        " views, Joomla blog, Bootstrap grid, dl, flat headings; pages to refuse), split by a"
        " hash of the name; pages/s is detection alone, one core",
        "",
        "| Half | Pages | Found / expected | False | Dates right | Links right "
        "| Refused right | Listings refused | Pages/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for which in halves:
        names = [n for n in listing_names() if half(n) == which]
        score = Score()
        if args.verbose:
            print(f"{which}: {', '.join(names)}")
        for name in names:
            score_page(name, score, args.verbose)
        seconds, runs = timed(names, args.rounds)
        lines.append(
            f"| {which} | {score.pages} | {score.found} / {score.expected} | {score.false} "
            f"| {score.dates_right} / {score.dated} | {score.links_right} / {score.expected} "
            f"| {score.refusals_right} / {score.refusals_expected} | {score.wrong_refusals} "
            f"| {runs / seconds:.0f} |"
        )
    lines.append("")
    lines += poll_all([n for n in listing_names() if not expected(n).get("refuse")])
    lines += ["", *HISTORY]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("listing", text)


HISTORY = [
    "How the figures came about (measure on what was not tuned on):",
    "",
    "- Detection was written against the tune half (4 pages) only; the held-out half (7 pages,"
    " written before any detection code) was then measured once: **19 / 23 found, 0 false,"
    " 19 / 22 dates, 2 / 2 refused right, 1 listing refused** (TYPO3 puts the date in"
    ' `<div class="footer">`, taken for page furniture). After that fix: 23 / 23.',
    "- Four more pages were written after that tuning (flat headings, Drupal views, Joomla"
    " blog, an article with related cards) and measured once: **10 / 11 found, 0 false,"
    " 10 / 10 dates, 1 / 1 refused right** (Joomla's newest release sits in a container of its"
    " own). After that fix: 11 / 11. A soft 404 page (served with 200) was added last and"
    " refused right the first time. Both halves above now include pages that were tuned on.",
]


if __name__ == "__main__":
    main()
