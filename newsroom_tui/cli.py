"""The ``newsroom`` command: the TUI when called alone, script-friendly subcommands otherwise.

Exit codes: 0 success; 1 the work was done but something failed (a feed, an unknown ID;
the reader: it stopped on an error of its own); 2 bad usage; 3 the cache cannot be opened or
written.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from newsroom_tui import __version__
from newsroom_tui.commands.output import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_STORE,
    EXIT_USAGE,
    IndexProgress,
    tolerate_narrow_terminals,
)
from newsroom_tui.config import DATABASE_SCHEMES, Config, ConfigError, load_config
from newsroom_tui.errors import NewsroomError
from newsroom_tui.paths import database_path, resolve_data_dir
from newsroom_tui.records import record
from newsroom_tui.store import Store, StoreError, move_aside, open_store
from newsroom_tui.store.login import USER_ENV, checked_user_name, login_name
from newsroom_tui.store.retention import KEEP_ALL, Retention
from newsroom_tui.text.article_format import default_date_format, set_date_format

if TYPE_CHECKING:
    from newsroom_tui.store.sqlite import SQLiteStore
    from newsroom_tui.watch_records import Watchlist

DATABASE_ENV = "NEWSROOM_DATABASE"

# The commands themselves are imported when one runs, not when the reader starts.
TRIAGE_COMMANDS = {
    "claim": "claim an article for yourself (refused when someone else has it)",
    "release": "give up your claim on an article",
    "done": "mark an article done (for the whole team)",
    "read": "mark an article read (for you)",
    "unread": "mark an article unread (for you)",
    "flag": "flag an article for follow-up (starred on the sync account)",
    "unflag": "take the flag off an article",
}


def _add_options(parser: argparse.ArgumentParser, version: type[argparse.Action] | str) -> None:
    """The options before the command (the reader's, without one)."""
    parser.add_argument("--version", action=version, version=f"newsroom {__version__}")
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


class _NotTheReader(Exception):
    pass


class _ToTheFullParser(argparse.Action):
    """``--version`` prints and exits while the arguments are read, before anything after
    it is checked: the full parser decides (``newsroom list --version`` is a mistake)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )

    def __call__(self, *args: object, **kwargs: object) -> NoReturn:
        raise _NotTheReader("--version")


class _ReaderArguments(argparse.ArgumentParser):
    """The options alone, for a start without a command: the reader's start need not build
    every command's parser. What it does not take (a command, -h, a mistake) raises, and
    the full parser reads the command line instead."""

    def error(self, message: str) -> NoReturn:
        raise _NotTheReader(message)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, as ``build_parser().parse_args`` reads it."""
    options = _ReaderArguments(prog="newsroom", add_help=False)
    _add_options(options, _ToTheFullParser)
    options.set_defaults(command=None)
    try:
        args, rest = options.parse_known_args(argv)
        if not rest:
            return args
    except _NotTheReader:
        pass  # the full parser says what is wrong, with its usage
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsroom",
        description="Keyboard-driven terminal news client. Without a command, opens the reader.",
    )
    _add_options(parser, "version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "add",
        help="subscribe to feeds: a feed, a page announcing one, or a listing page of "
        "announcements (a page source)",
    )
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--category", metavar="NAME", help="file the feeds under this category")
    p.add_argument(
        "--force", action="store_true", help="subscribe as a feed without looking at the URL"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser(
        "probe", help="what add would subscribe to, and the announcements read, storing nothing"
    )
    p.add_argument("url", metavar="URL")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("remove", help="unsubscribe from a feed (its articles go too)")
    p.add_argument("url", metavar="URL")
    p = sub.add_parser("rename", help="give a feed a name of yours, kept over its own title")
    p.add_argument("url", metavar="URL")
    p.add_argument("name", metavar="NAME", help='the name ("" gives the feed its own title back)')
    p = sub.add_parser("feeds", help="list subscribed feeds with their last poll and error")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("fetch", help="poll every feed once (exit 1 if any feed failed)")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p = sub.add_parser("list", help="list cached articles, newest first")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--flagged", action="store_true", help="only flagged articles")
    p.add_argument("--limit", type=int, metavar="N", help="at most N articles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("search", help="full-text search in titles, bodies, captions and credits")
    p.add_argument(
        "query",
        metavar="QUERY",
        help='words, "phrases", OR, NOT (or -word), parentheses and feed:, category:, '
        "credit:, title: (a watchlist's query)",
    )
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
    from newsroom_tui.commands.watch import add_watch_parser  # with the other commands

    add_watch_parser(sub)
    from newsroom_tui.commands.sync_command import add_sync_parser

    add_sync_parser(sub)
    from newsroom_tui.commands.stories import add_stories_parser

    add_stories_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_narrow_terminals()
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        # `newsroom list | head -1`: the reader of our output has gone, which is no error.
        # Further writes (and the flush at exit) go nowhere instead of raising again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
    finally:
        gc.enable()  # held off while the reader starts (_main)
    return code


def _main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.command is None:
        # The reader's start makes many objects and little garbage (modules, classes,
        # widgets): the collector waits until its first frame is on screen
        # (NewsroomApp.on_ready) instead of passing over them again and again meanwhile.
        gc.disable()
    if args.command == "config":
        from newsroom_tui.commands.config_command import cmd_config

        return cmd_config(args, lambda config: _subscribed(args, config), _theme_names)
    try:
        args.config = load_config()
    except ConfigError as exc:
        print(f"newsroom: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    set_date_format(args.config.date_format or default_date_format(os.environ))
    if args.command == "extract":
        from newsroom_tui.commands.articles import cmd_extract

        return cmd_extract(args)
    if args.command == "probe":
        from newsroom_tui.commands.probe import cmd_probe  # brings the fetcher and extractor

        return cmd_probe(args)
    try:
        data_dir, database, user = _where(args, args.config)
    except ValueError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "sync":  # the account and its secret (on the team store: its row)
        from newsroom_tui.commands.sync_command import cmd_sync

        return cmd_sync(args, data_dir, database, user)
    try:
        store = _open(
            data_dir,
            reset=args.reset_cache,
            database=database,
            user=user,
            # matched and applied by this one's polls
            extra_watchlists=tuple(args.config.watchlists),
            retention=args.config.retention,
        )
    except StoreError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_STORE
    try:
        if args.command is None:
            from newsroom_tui.ui.app import NewsroomApp

            # Both tables read once here, through their indexes (no feed has id 0): a cache
            # that opens but cannot be read gives the same one line as the other commands,
            # not a traceback from the TUI; the reader reads the rest after its first frame.
            store.feed_counts([0])
            from newsroom_tui.ui.ui_state import UI_STATE_FILE

            app = NewsroomApp(
                store,
                poll_on_start=not args.no_poll,
                config=args.config,
                state_file=data_dir / UI_STATE_FILE,
                images=args.config.images,
                image_dir=data_dir / "images",
            )
            app.run()
            # an exception the reader did not handle: Textual showed it and ended the app
            return EXIT_FAILED if app.return_code else EXIT_OK
        handler: Callable[[Store, argparse.Namespace], int] = COMMANDS[args.command]
        return handler(store, args)
    except NewsroomError as exc:  # the store's, the config's, a claim's: one line each
        print(f"newsroom: {exc}", file=sys.stderr)
        return exc.exit_code
    finally:
        store.close()


def _where(args: argparse.Namespace, config: Config) -> tuple[Path, str | None, str]:
    """The data dir, the team database (or None) and the user name the options, the
    environment and ``config`` give; ValueError (one line) for a bad name or database."""
    data_dir = resolve_data_dir(args.data_dir, config.data_dir)
    database = args.database or os.environ.get(DATABASE_ENV) or config.database
    user = args.user or os.environ.get(USER_ENV) or config.user or login_name()
    try:
        user = checked_user_name(user)
    except ValueError as exc:
        raise ValueError(f"{exc} (--user, ${USER_ENV} or the config file's user)") from None
    if database and not database.startswith(DATABASE_SCHEMES):
        raise ValueError(f"--database must be a postgresql:// URL, not {database}")
    return data_dir, database, user


def _theme_names() -> list[str]:
    """The themes the reader offers (Textual's built-in ones), for ``config check``."""
    from textual.theme import BUILTIN_THEMES

    return list(BUILTIN_THEMES)


def _subscribed(args: argparse.Namespace, config: Config) -> list[str] | None:
    """The feed URLs of the store ``config`` points at; None when it cannot be read."""
    try:
        data_dir, database, user = _where(args, config)
        if not database and not database_path(data_dir).exists():
            return []  # no cache yet: nothing subscribed, and none made by a check
        store = _open(data_dir, reset=False, database=database, user=user)
    except (ValueError, StoreError):
        return None
    try:
        return [feed.url for feed in store.feeds()]
    finally:
        store.close()


@record(frozen=True)
class _Given:
    """What the config file gives the store for this one's polls."""

    watchlists: tuple[Watchlist, ...]
    retention: Retention

    def open(self, data_dir: Path, user: str, progress: IndexProgress | None = None) -> SQLiteStore:
        return open_store(
            data_dir, user, progress, extra_watchlists=self.watchlists, retention=self.retention
        )


def _open(
    data_dir: Path,
    *,
    reset: bool,
    database: str | None,
    user: str,
    extra_watchlists: tuple[Watchlist, ...] = (),
    retention: Retention = KEEP_ALL,
) -> Store:
    """The store: the team's database when one is named, else the local cache; with
    ``reset``, a damaged local cache is first moved aside (never deleted).
    ``extra_watchlists`` and ``retention``: the config file's, for this one's polls."""
    given = _Given(extra_watchlists, retention)
    if database:
        from newsroom_tui.store.postgres import PostgresStore

        return PostgresStore(
            database,
            user,
            IndexProgress(),
            extra_watchlists=given.watchlists,
            retention=given.retention,
            local_dir=data_dir,  # where a team sync account's secret is kept on this machine
        )
    if not reset:
        return given.open(data_dir, user, IndexProgress())
    return _reset_cache(data_dir, user, given)


def _reset_cache(data_dir: Path, user: str, given: _Given) -> Store:
    path = database_path(data_dir)
    try:
        store = given.open(data_dir, user, IndexProgress())
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
        return given.open(data_dir, user)
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
    return given.open(data_dir, user)


def _articles(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.commands import articles

    if args.command in ("list", "search"):
        return articles.cmd_list(store, args)
    if args.command == "show":
        return articles.cmd_show(store, args)
    return articles.cmd_triage(store, args)


def _subscriptions(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.commands import subscriptions as feeds

    handler: dict[str, Callable[[Store, argparse.Namespace], int]] = {
        "add": feeds.cmd_add,
        "remove": feeds.cmd_remove,
        "rename": feeds.cmd_rename,
        "feeds": feeds.cmd_feeds,
        "import-opml": feeds.cmd_import,
        "import-urls": feeds.cmd_import,
        "export-opml": feeds.cmd_export,
    }
    return handler[args.command](store, args)


def _fetch(store: Store, args: argparse.Namespace) -> int:
    # imported when run: it brings the delivery of watchlist alerts (commands, a thread pool)
    from newsroom_tui.commands.fetch import cmd_fetch

    return cmd_fetch(store, args)


def _stories(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.commands.stories import cmd_stories

    return cmd_stories(store, args)


def _watch(store: Store, args: argparse.Namespace) -> int:
    from newsroom_tui.commands.watch import cmd_watch  # it brings the watchlists

    return cmd_watch(store, args)


COMMANDS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    **dict.fromkeys(TRIAGE_COMMANDS, _articles),
    **dict.fromkeys(("list", "search", "show"), _articles),
    **dict.fromkeys(
        ("add", "remove", "rename", "feeds", "import-opml", "import-urls", "export-opml"),
        _subscriptions,
    ),
    "fetch": _fetch,
    "watch": _watch,
    "stories": _stories,
}
