"""``newsroom probe``: what ``add`` would subscribe to and what it would read, storing
nothing; and the look at each URL that ``add`` takes before subscribing."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, iso_time, print_json
from newsroom_tui.config import Config
from newsroom_tui.parse.listing_page import selectors_from
from newsroom_tui.sources.sniff import Refused, Sniffed, sniff
from newsroom_tui.text.article_format import format_date
from newsroom_tui.text.sanitize import clean_line

Row = tuple[str, str | None, datetime | None, str | None]  # title, url, date, teaser


def is_http_url(url: str) -> bool:
    from newsroom_tui.net.fetcher import check_url

    try:
        check_url(url)
    except ValueError:
        return False
    return True


def look_at(urls: Sequence[str], config: Config) -> dict[str, Sniffed | Refused]:
    """Each URL looked at once (concurrently): what it is, or why nothing."""
    from newsroom_tui.net.fetcher import Fetcher

    async def run() -> list[Sniffed | Refused]:
        addresses = config.private_addresses  # for the feeds a page announces elsewhere
        async with Fetcher(concurrency=config.concurrency, private_addresses=addresses) as fetcher:

            async def one(url: str) -> Sniffed | Refused:
                rules = selectors_from(config.selectors.get(url, {}).items())
                try:
                    return await sniff(url, fetcher, rules)
                except Refused as exc:
                    return exc

            return await asyncio.gather(*(one(url) for url in urls))

    return dict(zip(urls, asyncio.run(run()), strict=True))


def cmd_probe(args: argparse.Namespace) -> int:
    if not is_http_url(args.url):
        print(f"newsroom: not an http(s) URL: {args.url!r}", file=sys.stderr)
        return EXIT_USAGE
    seen = look_at([args.url], args.config)[args.url]
    if isinstance(seen, Refused):
        if args.json:
            print_json({"url": args.url, "kind": None, "subscribe": None, "error": str(seen)})
        else:
            print(f"newsroom: {args.url}: {seen}", file=sys.stderr)
        return EXIT_FAILED
    rows: list[Row] = [(a.title, a.url, a.published, a.teaser) for a in seen.announcements] or [
        (e.title, e.url, e.published, None) for e in seen.entries
    ]
    if args.json:
        print_json(
            {
                "url": args.url,
                "kind": seen.kind,
                "subscribe": seen.url,
                "found": seen.found,
                "title": seen.title,
                "items": [
                    {"title": title, "url": url, "published": iso_time(when), "teaser": teaser}
                    for title, url, when, teaser in rows
                ],
                "error": None,
            }
        )
        return EXIT_OK
    print(f"{seen.found} — newsroom add would subscribe to {seen.url}")
    for title, url, when, _ in newest_first(rows):
        day = format_date(when, with_time=False)
        print(f"{day:<10}  {clean_line(title)}  {url or '(no detail page)'}")
    return EXIT_OK


def newest_first(rows: list[Row]) -> list[Row]:
    """``rows`` newest first, as the reader lists them (a feed may give its oldest entry
    first); undated ones after the dated, in the document's order."""
    dated = [(when, row) for row in rows if (when := row[2]) is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [row for _, row in dated] + [row for row in rows if row[2] is None]
