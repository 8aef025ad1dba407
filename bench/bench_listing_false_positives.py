"""Listing detection on real article pages: how many are taken for a list of announcements.

    python bench/bench_listing_false_positives.py [--half dev|held-out] [--verbose] [--no-write]

Every page of both extraction corpora in ``../shared/corpus`` (Mozilla's Readability test pages
and the German trafilatura-de pages) is an article, not a listing: each one ``detect_listing``
accepts is a false positive (``newsroom probe``/``add`` would offer it as a page source). The
goal is at most 0.5% of the pages. Pages are split into the same fixed halves as
bench/bench_extract.py (dev when the first byte of ``sha1(name)`` is even); the rules were
tightened looking at the dev half only. Every listing fixture (tests/fixtures/listings) must
still be found: the figure is printed beside.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsroom_tui.parse.listing import ListingError, detect_listing
from tests.listing_site import LISTINGS, expected, listing_names

READABILITY = Path("/work/shared/corpus/readability")
TRAFILATURA_DE = Path("/work/shared/corpus/trafilatura-de")
HALVES = ("dev", "held-out")
GOAL_SHARE = 0.005


def half(name: str) -> str:
    """The fixed half of a page, as in bench/bench_extract.py."""
    return HALVES[hashlib.sha1(name.encode("utf-8")).digest()[0] % 2]


def article_pages() -> Iterator[tuple[str, bytes, str]]:
    """(case name, page bytes, the page's URL) for every page of both corpora."""
    for folder in sorted(p for p in READABILITY.iterdir() if (p / "source.html").exists()):
        url = f"http://fakehost.test/{folder.name}/"
        meta = folder / "expected-metadata.json"
        if meta.exists():
            url = json.loads(meta.read_text("utf-8")).get("url") or url
        yield folder.name, (folder / "source.html").read_bytes(), url
    evaldata = json.loads((TRAFILATURA_DE / "evaldata.json").read_text("utf-8"))
    for url, item in evaldata.items():
        path = TRAFILATURA_DE / "pages" / item["file"]
        if path.exists():
            yield item["file"], path.read_bytes(), url


def listings_found() -> tuple[int, int, list[str]]:
    """Listing fixtures (refusals excluded) detected, of all; the names of those refused."""
    names = [n for n in listing_names() if not expected(n).get("refuse")]
    refused = []
    for name in names:
        data = (LISTINGS / f"{name}.html").read_bytes()
        try:
            detect_listing(data, "http://127.0.0.1:8000" + expected(name)["path"], "text/html")
        except ListingError:
            refused.append(name)
    return len(names) - len(refused), len(names), refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=HALVES)
    parser.add_argument("--verbose", action="store_true", help="name every page taken")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    counts = {h: [0, 0] for h in HALVES}  # pages, taken
    reasons: dict[str, int] = {}
    start = time.perf_counter()
    for name, data, url in article_pages():
        which = half(name)
        if args.half and which != args.half:
            continue
        counts[which][0] += 1
        try:
            listing = detect_listing(data, url)
        except ListingError as exc:
            reason = str(exc).split(":")[0].split("(")[0].strip()
            reasons[reason] = reasons.get(reason, 0) + 1
            continue
        counts[which][1] += 1
        if args.verbose:
            titles = "; ".join(a.title[:40] for a in listing.announcements[:4])
            print(f"  {which} {name}: {len(listing.announcements)} items: {titles}")
    seconds = time.perf_counter() - start
    found, of, refused = listings_found()
    lines = [
        "## Listing detection on article pages (false page sources)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC with"
        " `python bench/bench_listing_false_positives.py`; every page of `../shared/corpus`"
        " (Readability test pages and trafilatura-de) is an article; goal at most"
        f" {GOAL_SHARE:.1%} taken for a listing.",
        "",
        "| Half | Article pages | Taken for a listing | Share |",
        "|---|---:|---:|---:|",
    ]
    for which in HALVES:
        pages, taken = counts[which]
        if pages:
            lines.append(f"| {which} | {pages} | {taken} | {taken / pages:.1%} |")
    pages = sum(c[0] for c in counts.values())
    taken = sum(c[1] for c in counts.values())
    lines.append(f"| both | {pages} | {taken} | {taken / max(pages, 1):.1%} |")
    lines += [
        "",
        f"- Listing fixtures still found: **{found} / {of}**"
        + (f" (refused: {', '.join(refused)})" if refused else ""),
        f"- {pages} pages in {seconds:.1f} s",
        "- Why pages were refused: "
        + "; ".join(f"{n} × {r}" for r, n in sorted(reasons.items(), key=lambda x: -x[1])),
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write and not args.half:
        from report import write_section

        write_section("listing-false-positives", text)


if __name__ == "__main__":
    main()
