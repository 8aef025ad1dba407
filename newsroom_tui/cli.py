"""The ``newsroom`` command: the TUI when called alone, script-friendly subcommands otherwise.

Exit codes: 0 success; 1 the work was done but something failed (a feed, an unknown ID);
2 bad usage; 3 the cache cannot be opened or written.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newsroom_tui import __version__
from newsroom_tui.article_format import (
    article_json,
    article_text,
    extracted_json,
    format_date,
    set_date_format,
    summary_json,
)
from newsroom_tui.config import (
    DATABASE_SCHEMES,
    ConfigError,
    apply_feed_settings,
    config_path,
    default_config_text,
    load_config,
)
from newsroom_tui.paths import database_path, resolve_data_dir
from newsroom_tui.store import (
    ArticleFilter,
    ClaimTaken,
    Store,
    StoreError,
    move_aside,
    open_store,
)
from newsroom_tui.store.login import USER_ENV, login_name

if TYPE_CHECKING:
    from newsroom_tui.poller import FeedOutcome

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3
DATABASE_ENV = "NEWSROOM_DATABASE"
TRIAGE_COMMANDS = {
    "claim": "claim an article for yourself (refused when someone else has it)",
    "release": "give up your claim on an article",
    "done": "mark an article done (for the whole team)",
    "read": "mark an article read (for you)",
    "unread": "mark an article unread (for you)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsroom",
        description="Keyboard-driven terminal news client. Without a command, opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"newsroom {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the cache lives (default: $NEWSROOM_DATA_DIR or the platform's data dir)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="a team's shared store, postgresql://USER@HOST/DB (default: $NEWSROOM_DATABASE, "
        "the config file's database, else the local cache)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="your name for claims and read state (default: $NEWSROOM_USER, the config "
        "file's user, else the login name)",
    )
    parser.add_argument(
        "--no-poll", action="store_true", help="open the reader without polling feeds"
    )
    parser.add_argument(
        "--reset-cache",
        action="store_true",
        help="if the cache is damaged, move it aside (NAME.broken-YYYYMMDD-HHMMSS) and start "
        "with an empty one",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("add", help="subscribe to feeds")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--category", metavar="NAME", help="file the feeds under this category")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("remove", help="unsubscribe from a feed (its articles go too)")
    p.add_argument("url", metavar="URL")
    p = sub.add_parser("feeds", help="list subscribed feeds with their last poll and error")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("fetch", help="poll every feed once (exit 1 if any feed failed)")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p = sub.add_parser("list", help="list cached articles, newest first")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--flagged", action="store_true", help="only flagged articles")
    p.add_argument("--limit", type=int, metavar="N", help="at most N articles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("search", help="full-text search in titles, bodies and photo credits")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--flagged", action="store_true", help="only flagged articles")
    p.add_argument("--limit", type=int, metavar="N", help="at most N articles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("show", help="print one cached article with its photo credits")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    for name, what in TRIAGE_COMMANDS.items():
        p = sub.add_parser(name, help=what)
        p.add_argument("id", type=int, metavar="ID")
        if name == "done":
            p.add_argument("--undo", action="store_true", help="mark it not done again")
        p.add_argument("--json", action="store_true", help="print the article's state as JSON")
    p = sub.add_parser("import-opml", help="subscribe to the feeds of an OPML file (folders kept)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p = sub.add_parser("import-urls", help="subscribe to the feeds of a newsboat urls file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p = sub.add_parser("export-opml", help="write the subscriptions as OPML (stdout by default)")
    p.add_argument("file", metavar="FILE", nargs="?")
    p = sub.add_parser("config", help="the configuration file: where it is, a commented default")
    p.add_argument("action", choices=["path", "init", "check"], help="path | init | check")
    p.add_argument("--force", action="store_true", help="init: overwrite an existing file")
    p = sub.add_parser("extract", help="extract one page (URL or file) without storing it")
    p.add_argument("source", metavar="URL_OR_FILE")
    p.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "config":
        return cmd_config(args)
    try:
        args.config = load_config()
    except ConfigError as exc:
        print(f"newsroom: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    set_date_format(args.config.date_format)
    if args.command == "extract":
        return cmd_extract(args)
    data_dir = resolve_data_dir(args.data_dir, args.config.data_dir)
    database = args.database or os.environ.get(DATABASE_ENV) or args.config.database
    user = args.user or os.environ.get(USER_ENV) or args.config.user or login_name()
    if database and not database.startswith(DATABASE_SCHEMES):
        print(f"newsroom: --database must be a postgresql:// URL, not {database}", file=sys.stderr)
        return EXIT_USAGE
    try:
        store = _open(data_dir, reset=args.reset_cache, database=database, user=user)
    except StoreError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_STORE
    try:
        if args.command is None:
            from newsroom_tui.ui.app import NewsroomApp

            # What the first screen reads, read here: a cache that opens but cannot be read
            # gives the same one line as the other commands, not a traceback from the TUI.
            store.feeds()
            store.count_articles()
            from newsroom_tui.ui.ui_state import UI_STATE_FILE

            NewsroomApp(
                store,
                poll_on_start=not args.no_poll,
                config=args.config,
                state_file=data_dir / UI_STATE_FILE,
                images=args.config.images,
                image_dir=data_dir / "images",
            ).run()
            return EXIT_OK
        handler: Callable[[Store, argparse.Namespace], int] = COMMANDS[args.command]
        return handler(store, args)
    except StoreError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_STORE
    finally:
        store.close()


def _open(data_dir: Path, *, reset: bool, database: str | None, user: str) -> Store:
    """The store: the team's database when one is named, else the local cache; with
    ``reset``, a damaged local cache is first moved aside (never deleted)."""
    if database:
        from newsroom_tui.store.postgres import PostgresStore

        return PostgresStore(database, user)
    if not reset:
        return open_store(data_dir, user)
    return _reset_cache(data_dir, user)


def _reset_cache(data_dir: Path, user: str) -> Store:
    path = database_path(data_dir)
    try:
        store = open_store(data_dir, user)
    except StoreError as exc:
        if not exc.broken:
            raise  # not damaged (read-only, another program's database): nothing to reset
        try:
            moved = move_aside(path)
        except OSError as move_exc:
            raise StoreError(
                f"cannot move {path} aside: {move_exc.strerror or move_exc}"
            ) from move_exc
        print(
            f"newsroom: moved the damaged cache to {moved}; starting with an empty cache",
            file=sys.stderr,
        )
        return open_store(data_dir, user)
    try:
        # Opening reads little: look at every page before calling the cache sound.
        problems = store.integrity_problems()
    except StoreError as exc:
        store.close()
        if not exc.broken:
            raise
        problems = [str(exc)]
    if not problems:
        print(f"newsroom: the cache {path} is sound; nothing moved", file=sys.stderr)
        return store
    store.close()
    moved = move_aside(path)
    print(
        f"newsroom: moved the damaged cache ({problems[0][:80]}) to {moved}; "
        "starting with an empty cache",
        file=sys.stderr,
    )
    return open_store(data_dir, user)


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.opml import SubscriptionListError, parse_newsboat_urls, parse_opml

    try:
        data = Path(args.file).read_bytes()
        if args.command == "import-opml":
            found = parse_opml(data)
        else:
            found = parse_newsboat_urls(data.decode("utf-8", errors="replace"))
    except OSError as exc:
        print(f"newsroom: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except SubscriptionListError as exc:
        print(f"newsroom: {args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    added = already = 0
    for item in found.subscriptions:
        _, created = store.add_feed(item.url, item.title, item.category)
        added += created
        already += not created
    summary = {
        "added": added,
        "already_subscribed": already,
        "duplicates": found.duplicates,
        "without_url": found.without_url,
    }
    if args.json:
        _print_json(summary)
    else:
        print(
            f"{added} feeds added, {already} already subscribed, {found.duplicates} duplicates "
            f"and {found.without_url} entries without a feed URL skipped"
        )
    return EXIT_OK


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.opml import render_opml

    text = render_opml(store.feeds())
    if not args.file:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(args.file).write_text(text, "utf-8")
    except OSError as exc:
        print(f"newsroom: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {len(store.feeds())} feeds to {args.file}", file=sys.stderr)
    return EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    path = config_path()
    if args.action == "path":
        print(path)
        return EXIT_OK
    if args.action == "check":
        try:
            load_config(path)
        except ConfigError as exc:
            print(f"newsroom: config error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"ok: {path}" if path.exists() else f"no config file (defaults apply): {path}")
        return EXIT_OK
    if path.exists() and not args.force:
        print(f"newsroom: {path} exists; --force overwrites it", file=sys.stderr)
        return EXIT_FAILED
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(default_config_text(), "utf-8")
    except OSError as exc:
        print(f"newsroom: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {path}")
    return EXIT_OK


def _print_json(value: Any, out: TextIO | None = None) -> None:
    json.dump(value, out or sys.stdout, ensure_ascii=False, indent=2)
    (out or sys.stdout).write("\n")


def cmd_add(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.fetcher import check_url

    status = EXIT_OK
    results: list[dict[str, object]] = []
    for url in args.urls:
        try:
            check_url(url)
        except ValueError as exc:
            print(f"newsroom: {exc}", file=sys.stderr)
            results.append({"url": url, "added": False, "error": str(exc)})
            status = EXIT_FAILED
            continue
        _, created = store.add_feed(url, category=args.category)
        results.append({"url": url, "added": created, "error": None})
        if not args.json:
            print(f"{'added' if created else 'already subscribed'}: {url}")
    if args.json:
        _print_json(results)
    return status


def cmd_remove(store: Store, args: argparse.Namespace) -> int:
    if store.remove_feed(args.url):
        print(f"removed: {args.url}")
        return EXIT_OK
    print(f"newsroom: not subscribed: {args.url}", file=sys.stderr)
    return EXIT_FAILED


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def cmd_feeds(store: Store, args: argparse.Namespace) -> int:
    feeds = store.feeds()
    now = datetime.now(UTC)
    if args.json:
        _print_json(
            [
                {
                    "url": f.url,
                    "title": f.title,
                    "last_polled": _iso(f.last_polled),
                    "error": f.error,
                    "last_error_at": _iso(f.last_error_at),
                    "failures": f.failures,
                    "retry_after": _iso(f.retry_after) if f.waiting(now) else None,
                    "notice": f.notice,
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
        print(f"{f.url}\t{f.title or '-'}\t{state}")
    return EXIT_OK


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
    from newsroom_tui.fetcher import Fetcher
    from newsroom_tui.poller import PollReport, poll_feeds

    feeds = apply_feed_settings(store.feeds(), args.config)
    bar = _ProgressBar(len(feeds), sys.stderr)
    if args.json:
        bar.enabled = False

    async def poll() -> PollReport:
        async with Fetcher(concurrency=args.config.concurrency) as fetcher:
            return await poll_feeds(store, feeds, fetcher=fetcher, on_progress=bar.update)

    report = asyncio.run(poll())
    bar.finish()
    if report.store_error:
        print(f"newsroom: {report.store_error}", file=sys.stderr)
        return EXIT_STORE
    failed, skipped = report.failed, report.skipped
    if args.json:
        _print_json(
            {
                "feeds": len(report.polled),
                "new_articles": report.new_articles,
                "offline": report.offline,
                "failed": [{"url": o.feed.url, "error": o.error} for o in failed],
                "skipped": [
                    {
                        "url": o.feed.url,
                        "retry_after": _iso(o.retry_after),
                        "reason": o.error,
                        "error": o.feed.error,
                    }
                    for o in skipped
                ],
            }
        )
    else:
        print(
            f"{len(report.polled)} feeds polled, {report.new_articles} new articles, "
            f"{len(failed)} failed"
            + (f", {len(skipped)} skipped (retry later)" if skipped else "")
            + (" (offline?)" if report.offline else "")
        )
        for o in failed:
            print(f"failed: {o.feed.url}: {o.error}", file=sys.stderr)
        for o in skipped:
            print(f"skipped: {o.feed.url}: {o.error}", file=sys.stderr)
        for o in report.outcomes:
            if o.notice:
                print(f"note: {o.feed.url}: {o.notice}", file=sys.stderr)
    # Skipped feeds are not failures: they were left alone on purpose (Retry-After, back-off).
    return EXIT_FAILED if failed else EXIT_OK


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        print("newsroom: --limit must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    where = ArticleFilter(
        unread=args.unread, flagged=args.flagged, search=getattr(args, "query", None)
    )
    rows = store.articles(where, limit=args.limit)
    if args.json:
        _print_json([summary_json(a) for a in rows])
        return EXIT_OK
    for a in rows:
        mark = ("*" if not a.read else " ") + ("!" if a.flagged else " ")
        print(f"{a.id:>6} {mark} {format_date(a.published)}  {a.feed[:24]:<24}  {a.title}")
    return EXIT_OK


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    article = store.article(args.id)
    if article is None:
        print(f"newsroom: no article with ID {args.id}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        _print_json(article_json(article))
        return EXIT_OK
    meta = [("Feed", article.feed), ("Date", format_date(article.published))]
    meta.append(("Link", article.url or ""))
    sys.stdout.write(
        article_text(article.title, article.body_markdown, article.gallery, article.credits, meta)
    )
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from newsroom_tui.extract import extract_page
    from newsroom_tui.sanitize import clean_page

    source: str = args.source
    url: str | None = None
    content_type: str | None = None
    if source.startswith(("http://", "https://")):
        from newsroom_tui.fetcher import PAGE_MAX_BYTES, Fetcher, FetchError

        async def download() -> tuple[bytes, str, str | None]:
            async with Fetcher() as fetcher:
                result = await fetcher.get(source, max_bytes=PAGE_MAX_BYTES, accept="text/html")
                return result.content, result.url, result.content_type

        try:
            data, url, content_type = asyncio.run(download())
        except FetchError as exc:
            print(f"newsroom: {source}: {exc}", file=sys.stderr)
            return EXIT_FAILED
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            print(f"newsroom: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
    page = clean_page(extract_page(data, url, content_type))
    if args.json:
        _print_json(extracted_json(page, url))
        return EXIT_OK
    meta = [("Date", format_date(page.published) if page.published else ""), ("Link", url or "")]
    sys.stdout.write(article_text(page.title, page.body_markdown, page.gallery, page.credits, meta))
    return EXIT_OK


def cmd_triage(store: Store, args: argparse.Namespace) -> int:
    """claim, release, done, read, unread: one article's state, for scripts and cron."""
    target = store.article(args.id)
    if target is None:
        print(f"newsroom: no article with ID {args.id}", file=sys.stderr)
        return EXIT_FAILED
    command = args.command
    if command == "claim":
        try:
            store.claim(args.id)
        except ClaimTaken as exc:
            print(f"newsroom: {exc}", file=sys.stderr)
            return EXIT_FAILED
        said = f"claimed by {store.user}"
    elif command == "release":
        if not store.release(args.id):
            holder = target.claimed_by
            reason = f"claimed by {holder}, not by {store.user}" if holder else "not claimed"
            print(f"newsroom: article {args.id} is {reason}", file=sys.stderr)
            return EXIT_FAILED
        said = "released"
    elif command == "done":
        store.set_done(args.id, not args.undo)
        said = "not done" if args.undo else "done"
    else:
        store.set_read(args.id, command == "read")
        said = command
    if args.json:
        after = store.article(args.id)
        assert after is not None
        _print_json(summary_json(after))
    else:
        print(f"{args.id}: {said}: {target.title}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    **dict.fromkeys(TRIAGE_COMMANDS, cmd_triage),
    "add": cmd_add,
    "remove": cmd_remove,
    "feeds": cmd_feeds,
    "fetch": cmd_fetch,
    "list": cmd_list,
    "search": cmd_list,
    "import-opml": cmd_import,
    "import-urls": cmd_import,
    "export-opml": cmd_export,
    "show": cmd_show,
}
