"""Subscriptions: add, remove, list feeds, OPML and newsboat import, OPML export."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, iso_time, print_json
from newsroom_tui.store import Store
from newsroom_tui.text.article_format import format_date


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.ingest.opml import SubscriptionListError, parse_newsboat_urls, parse_opml
    from newsroom_tui.local_files import LocalFileError, read_local_file

    try:
        data = read_local_file(args.file)
        if args.command == "import-opml":
            found = parse_opml(data)
        else:
            found = parse_newsboat_urls(data.decode("utf-8", errors="replace"))
    except LocalFileError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except SubscriptionListError as exc:
        print(f"newsroom: {args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    added = already = 0
    for item in found.subscriptions:
        _, created = store.add_feed(item.url, item.title, item.category, kind=item.kind)
        added += created
        already += not created
    summary = {
        "added": added,
        "already_subscribed": already,
        "duplicates": found.duplicates,
        "without_url": found.without_url,
    }
    if args.json:
        print_json(summary)
    else:
        print(
            f"{added} feeds added, {already} already subscribed, {found.duplicates} duplicates "
            f"and {found.without_url} entries without a feed URL skipped"
        )
    return EXIT_OK


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.ingest.opml import render_opml

    # the sync account's feeds are the server's subscriptions (its own export has them)
    feeds = [feed for feed in store.feeds() if feed.kind != "synced"]
    text = render_opml(feeds)
    if not args.file:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(args.file).write_text(text, "utf-8")
    except OSError as exc:
        print(f"newsroom: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {len(feeds)} feeds to {args.file}", file=sys.stderr)
    return EXIT_OK


def cmd_add(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.commands.probe import is_http_url, look_at
    from newsroom_tui.sources.sniff import Refused
    from newsroom_tui.text.sanitize import clean_category, clip, subscription_url

    status = EXIT_OK
    results: list[dict[str, object]] = []
    category = clean_category(args.category)
    urls = {given: subscription_url(given) for given in args.urls}
    valid = [url for url in urls.values() if url is not None and is_http_url(url)]
    # each URL looked at once: a feed, a page announcing one, a listing page, or refused
    looked = {} if args.force else look_at(valid, args.config)
    for given, url in urls.items():
        if url is None:
            shown = clip(repr(given), 100)  # repr: escapes, never the characters themselves
            error = f"not an http(s) URL: {shown} (control characters, or too long)"
            print(f"newsroom: {error}", file=sys.stderr)
            results.append({"url": None, "added": False, "error": error})
            status = max(status, EXIT_USAGE)
            continue
        if url not in valid:
            error = f"not an http(s) URL: {url!r}"
            print(f"newsroom: {error}", file=sys.stderr)
            results.append({"url": url, "added": False, "error": error})
            status = max(status, EXIT_USAGE)
            continue
        seen = looked.get(url)
        if isinstance(seen, Refused) and not seen.network:
            print(f"newsroom: not subscribed: {url}: {seen}", file=sys.stderr)
            results.append({"url": url, "added": False, "error": str(seen)})
            status = max(status, EXIT_FAILED)
            continue
        target, kind, found = url, "feed", None
        if isinstance(seen, Refused):  # unreachable now: subscribed as a feed, as with --force
            found = f"not checked: {seen}"
        elif seen is not None:
            target, kind, found = seen.url, seen.kind, seen.found
        _, created = store.add_feed(target, category=category, kind=kind)
        results.append(
            {"url": url, "added": created, "subscribed": target, "kind": kind, "found": found,
             "error": None}
        )  # fmt: skip
        if not args.json:
            line = f"{'added' if created else 'already subscribed'}: {target}"
            print(f"{line} ({found})" if found else line)
    if args.json:
        print_json(results)
    return status


def cmd_remove(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.text.sanitize import clip, subscription_url

    url = subscription_url(args.url)
    if url is not None and store.remove_feed(url):
        print(f"removed: {url}")
        return EXIT_OK
    print(f"newsroom: not subscribed: {url or clip(repr(args.url), 100)}", file=sys.stderr)
    return EXIT_FAILED


def cmd_rename(store: Store, args: argparse.Namespace) -> int:
    """A name of the user's for a feed, kept over the feed's own title on every poll; an
    empty NAME gives the feed its own title back from the next poll."""
    from newsroom_tui.text.sanitize import clean_name, clean_url, clip

    url = clean_url(args.url)
    name = clean_name(args.name)
    if args.name.strip() and name is None:
        print(f"newsroom: not a feed name: {clip(repr(args.name), 100)}", file=sys.stderr)
        return EXIT_USAGE
    if url is None or not store.rename_feed(url, name):
        print(f"newsroom: not subscribed: {url or clip(repr(args.url), 100)}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"renamed: {url}: {name}"
        if name
        else f"name cleared: {url} (its own title from the next poll)"
    )
    return EXIT_OK


def cmd_feeds(store: Store, args: argparse.Namespace) -> int:
    feeds = store.feeds()
    now = datetime.now(UTC)
    if args.json:
        print_json(
            [
                {
                    "url": f.url,
                    "title": f.title,
                    "name_set": f.name_set,
                    "last_polled": iso_time(f.last_polled),
                    "error": f.error,
                    "last_error_at": iso_time(f.last_error_at),
                    "failures": f.failures,
                    "retry_after": iso_time(f.retry_after) if f.waiting(now) else None,
                    "notice": f.notice,
                    "kind": f.kind,
                }
                for f in feeds
            ]
        )
        return EXIT_OK
    for f in feeds:
        if f.error:
            when = f" ({format_date(f.last_error_at)})" if f.last_error_at else ""
            state = f"error: {f.error}{when}"
        else:
            state = f"polled {format_date(f.last_polled)}"
        if f.waiting(now):
            state += f"; {f.retry_text}"
        if f.notice:
            state += f"; {f.notice}"
        if f.kind == "page":
            state += "; page source"
        elif f.kind == "synced":
            state = state.replace("polled", "synced", 1) + "; from the sync account"
        print(f"{f.url}\t{f.title or '-'}\t{state}")
    return EXIT_OK
