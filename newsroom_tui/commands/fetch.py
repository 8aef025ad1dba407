"""``newsroom fetch``: one poll, a progress bar on a terminal, JSON or one summary line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, TextIO

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, EXIT_STORE, iso_time, print_json
from newsroom_tui.config import apply_feed_settings
from newsroom_tui.store import Store
from newsroom_tui.watch.delivery import watch_alerts

if TYPE_CHECKING:
    from newsroom_tui.ingest.account_poll import AccountPollReport
    from newsroom_tui.ingest.poller import FeedOutcome


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.enabled = stream.isatty() and total > 0

    def update(self, outcome: FeedOutcome, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // max(total, 1)
        name = outcome.feed.display_name[:40]
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def cmd_fetch(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.ingest.account_poll import poll_all
    from newsroom_tui.net.poll_fetcher import poll_fetcher

    feeds = apply_feed_settings(store.feeds(), args.config)
    bar = _ProgressBar(len(feeds), sys.stderr)
    if args.json:
        bar.enabled = False

    async def poll() -> AccountPollReport:
        async with poll_fetcher(
            concurrency=args.config.concurrency, private_addresses=args.config.private_addresses
        ) as fetcher:
            return await poll_all(store, feeds, fetcher=fetcher, on_progress=bar.update)

    with watch_alerts(store, quiet=args.json) as matches:
        report = asyncio.run(poll())
        bar.finish()
    if report.store_error:
        print(f"newsroom: {report.store_error}", file=sys.stderr)
        return EXIT_STORE
    failed, skipped = report.failed, report.skipped
    if args.json:
        print_json(
            {
                "feeds": len(report.polled),
                "new_articles": report.new_articles,
                "offline": report.offline,
                "failed": [{"url": o.feed.url, "error": o.error} for o in failed],
                "skipped": [
                    {
                        "url": o.feed.url,
                        "retry_after": iso_time(o.retry_after),
                        "reason": o.error,
                        "error": o.feed.error,
                    }
                    for o in skipped
                ],
                "matches": [m.to_json() for m in matches],
                "sync": _sync_json(report),
                # the search index of the new articles, made once they were stored
                "search_index": {
                    "indexed": report.indexed,
                    "seconds": round(report.index_seconds, 3),
                },
            }
        )
    else:
        print(
            f"{counted(len(report.polled), 'feed')} polled, "
            f"{counted(report.new_articles, 'new article')}, {len(failed)} failed"
            + (f", {len(skipped)} skipped (retry later)" if skipped else "")
            + (" (offline)" if report.no_network else " (offline?)" if report.offline else "")
        )
        if report.no_network:  # said once, not once a feed: each is tried at the next poll
            first = next((o.error for o in failed if o.error), "no network")
            print(f"offline: no feed could be reached ({first}); none backed off", file=sys.stderr)
        else:
            for o in failed:
                print(f"failed: {o.feed.url}: {o.error}", file=sys.stderr)
        for o in skipped:
            print(f"skipped: {o.feed.url}: {o.error}", file=sys.stderr)
        for o in report.outcomes:
            if o.notice:
                print(f"note: {o.feed.url}: {o.notice}", file=sys.stderr)
        for m in matches:
            print(f"watch {m.watchlist.name!r}: {m.title} ({m.feed}, ID {m.article_id})")
        if report.sync is not None and report.sync.report is not None:
            done = report.sync.report
            print(
                f"synced with {report.sync.server}: {counted(done.pushed, 'change')} sent, "
                f"{counted(done.new_items, 'new article')}, {done.updated} updated"
            )
        elif report.sync is not None and report.sync.elsewhere:
            print(f"not synced here: {report.sync.elsewhere}")
    # Skipped feeds are not failures: they were left alone on purpose (Retry-After, back-off).
    return EXIT_FAILED if failed else EXIT_OK


def counted(n: int, thing: str) -> str:
    """ "1 feed", "3 feeds": English plurals of the summary line."""
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _sync_json(report: AccountPollReport) -> dict[str, object] | None:
    """The account's part of the poll for ``fetch --json``; None without an account."""
    account = report.sync
    if account is None:
        return None
    done = account.report
    return {
        "server": account.server,
        "url": account.url,
        "error": account.error,
        "pushed": done.pushed if done else 0,
        "feeds": done.feeds if done else 0,
        "new_articles": done.new_items if done else 0,
        "updated": done.updated if done else 0,
        "kept_local": done.kept_local if done else 0,
        "skipped": done.skipped if done else 0,
        "notice": done.notice if done else None,
        "elsewhere": account.elsewhere,
    }
