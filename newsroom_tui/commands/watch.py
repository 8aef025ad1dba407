"""``newsroom watch``: standing searches that alert when a matching article arrives."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from newsroom_tui.commands.output import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    article_line,
    article_marks,
    print_json,
)
from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import ArticleFilter, Store
from newsroom_tui.text.article_format import format_date, summary_json
from newsroom_tui.text.search_query import QueryError, parse_query
from newsroom_tui.watch.scan import scan_matches
from newsroom_tui.watch.watchlist import checked_watchlist
from newsroom_tui.watch_records import Watchlist

QUERY_HELP = (
    'the words of / search plus "phrases", OR, NOT and fields feed:, category:, credit:, '
    "title:; e.g. 'Sperrung OR Vollsperrung feed:\"Stadt Herne\"'"
)


def add_watch_parser(sub: Any) -> None:
    """The ``watch`` command and its subcommands, on the main parser's ``sub``."""
    watch = sub.add_parser(
        "watch", help="watchlists: standing searches matched against every new article"
    )
    actions = watch.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    p = actions.add_parser("add", help="add a watchlist (matched from the next poll on)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("query", metavar="QUERY", help=QUERY_HELP)
    p.add_argument("--flag", action="store_true", help="flag every match")
    p.add_argument("--claim-for", metavar="USER", help="claim every match for USER")
    p.add_argument(
        "--notify", action="store_true", help="bell and desktop notification in open readers"
    )
    p.add_argument(
        "--run",
        metavar="CMD",
        help="start CMD (no shell) for every match, the article as JSON on its stdin "
        "(not on the team database: put commands in the config file)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p = actions.add_parser("list", help="the watchlists, with their unread matches")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = actions.add_parser("remove", help="remove a watchlist and its list of matches")
    p.add_argument("name", metavar="NAME")
    p = actions.add_parser("test", help="what QUERY matches in the cache now (stores nothing)")
    p.add_argument("query", metavar="QUERY", help=QUERY_HELP)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="show N (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = actions.add_parser("matches", help="the articles a watchlist matched, newest first")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--limit", type=int, metavar="N", help="at most N articles")
    p.add_argument("--json", action="store_true", help="print JSON")


def watchlist_json(watchlist: Watchlist) -> dict[str, Any]:
    return {
        "name": watchlist.name,
        "query": watchlist.query,
        "flag": watchlist.flag,
        "claim_for": watchlist.claim_for,
        "notify": watchlist.notify,
        "run": list(watchlist.run),
        "origin": watchlist.origin,
        "run_refused": watchlist.run_refused,
    }


def cmd_watch(store: Store, args: argparse.Namespace) -> int:
    if getattr(args, "limit", None) is not None and args.limit < 0:
        print("newsroom: --limit must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    return _ACTIONS[args.watch_command](store, args)


def _add(store: Store, args: argparse.Namespace) -> int:
    try:
        watchlist = checked_watchlist(
            args.name,
            args.query,
            flag=args.flag,
            claim_for=args.claim_for,
            notify=args.notify,
            run=args.run,
            origin=store.watchlist_origin,  # the team's database refuses a command
        )
    except ValueError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not store.add_watchlist(watchlist):
        print(
            f"newsroom: a watchlist {watchlist.name!r} exists already; "
            "remove it first (newsroom watch remove NAME)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if args.json:
        print_json(watchlist_json(watchlist))
    else:
        actions = ", ".join(watchlist.actions) or "listed only"
        print(f"watching {watchlist.name!r}: {watchlist.query} ({actions})")
    return EXIT_OK


def _list(store: Store, args: argparse.Namespace) -> int:
    counts = store.watch_counts()
    if args.json:
        print_json(
            [
                {**watchlist_json(c.watchlist), "matches": c.total, "unread": c.unread}
                for c in counts
            ]
        )
        return EXIT_OK
    for c in counts:
        origin = " [config file]" if c.watchlist.origin == "config" else ""
        actions = f" ({', '.join(c.watchlist.actions)})" if c.watchlist.actions else ""
        print(f"{c.watchlist.name}{origin}: {c.watchlist.query}{actions}")
        print(f"    {c.unread} unread of {c.total} matches")
    if not counts:
        print("no watchlists; add one with: newsroom watch add NAME QUERY")
    return EXIT_OK


def _remove(store: Store, args: argparse.Namespace) -> int:
    if store.remove_watchlist(args.name):
        print(f"removed watchlist {args.name!r}")
        return EXIT_OK
    configured = any(w.origin == "config" and w.name == args.name for w in store.watchlists())
    where = " (it is in the config file: remove it there)" if configured else ""
    print(f"newsroom: no stored watchlist {args.name!r}{where}", file=sys.stderr)
    return EXIT_FAILED


def _test(store: Store, args: argparse.Namespace) -> int:
    try:
        query = parse_query(args.query)
    except QueryError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_USAGE
    total, shown = scan_matches(store, query, args.limit)
    if args.json:
        print_json({"query": args.query, "matches": total, "articles": _json(shown)})
        return EXIT_OK
    _print_rows(shown)
    more = f" (the newest {len(shown)} shown)" if len(shown) < total else ""
    counted = "1 cached article matches" if total == 1 else f"{total} cached articles match"
    print(f"{counted} {shlex.quote(args.query)}{more}")
    return EXIT_OK


def _matches(store: Store, args: argparse.Namespace) -> int:
    if not any(w.name == args.name for w in store.watchlists()):
        print(f"newsroom: no watchlist {args.name!r} (newsroom watch list)", file=sys.stderr)
        return EXIT_FAILED
    rows = store.articles(ArticleFilter(unread=args.unread, watchlist=args.name), limit=args.limit)
    if args.json:
        print_json(_json(rows))
    else:
        _print_rows(rows)
    return EXIT_OK


def _json(rows: list[ArticleSummary]) -> list[dict[str, Any]]:
    return [summary_json(a) for a in rows]


def _print_rows(rows: list[ArticleSummary]) -> None:
    for a in rows:
        who = f"  [{claimer(a)}]" if a.claimed_by else ""
        when = format_date(a.published)
        print(article_line(a.id, article_marks(a), when, a.feed, a.title) + who)


def claimer(article: ArticleSummary) -> str | None:
    """Who claimed ``article``: the name chosen, and the team database's account beside it
    where that differs ("anna (db: bob)")."""
    role = article.claimed_role
    if article.claimed_by and role and role != article.claimed_by:
        return f"{article.claimed_by} (db: {role})"
    return article.claimed_by


_ACTIONS = {"add": _add, "list": _list, "remove": _remove, "test": _test, "matches": _matches}
