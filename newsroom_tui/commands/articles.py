"""Reading and triage from the shell: list, search, show, extract, claim, release, done, read,
flag."""

from __future__ import annotations

import argparse
import asyncio
import sys

from newsroom_tui.article_reading import read_article
from newsroom_tui.commands.output import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    article_line,
    article_marks,
    fit_line,
    print_json,
    terminal_columns,
)
from newsroom_tui.models import Article
from newsroom_tui.store import ArticleFilter, ClaimTaken, Store
from newsroom_tui.text.article_format import (
    article_json,
    article_text,
    extracted_json,
    format_date,
    list_date_width,
    no_text_line,
    summary_json,
    wrap_text,
)
from newsroom_tui.text.line_breaks import soft_breaks

LIST_MARKS = "*!"  # the header over the marks: "*" unread, "!" flagged


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        print("newsroom: --limit must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    query: str | None = getattr(args, "query", None)
    if query is not None:
        from newsroom_tui.text.search_query import query_problem

        problem = query_problem(query)  # the query language of watchlists
        if problem is not None:
            print(f"newsroom: cannot search: {problem}", file=sys.stderr)
            return EXIT_USAGE
    where = ArticleFilter(
        unread=args.unread,
        flagged=args.flagged,
        search=query,
        # as the reader's flagged filter: a flag is for follow-up, a done article needs none
        done=False if args.flagged else None,
    )
    rows = store.articles(where, limit=args.limit)
    if args.json:
        print_json([summary_json(a) for a in rows])
        return EXIT_OK
    width = list_date_width()
    columns = terminal_columns()
    if columns and not rows and query is not None:  # a person asked: told, not left guessing
        print("newsroom: no matches", file=sys.stderr)
        return EXIT_OK
    if columns:  # a person reads it: the columns named (a pipe gets the rows alone)
        print(article_line("ID", LIST_MARKS, "DATE".ljust(width), "FEED", "TITLE"))
    for a in rows:
        when = format_date(a.published).ljust(width)
        # one row a line on a terminal
        print(fit_line(article_line(a.id, article_marks(a), when, a.feed, a.title), columns))
    return EXIT_OK


def _article(store: Store, article_id: int) -> Article | None:
    """The article, or None after saying on stderr that there is none."""
    article = read_article(store, article_id)
    if article is None:
        print(f"newsroom: no article with ID {article_id}", file=sys.stderr)
    return article


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    article = _article(store, args.id)
    if article is None:
        return EXIT_FAILED
    if args.json:
        from newsroom_tui.commands.stories import other_versions

        print_json({**article_json(article), "versions": other_versions(store, article)})
        return EXIT_OK
    meta = [("Feed", article.feed), ("Date", format_date(article.published))]
    meta.append(("Link", article.url or ""))
    # a hard line break's backslash is for Markdown renderers: the lines are lines here
    body = soft_breaks(article.body_markdown.strip() or article.summary.strip())
    missing = no_text_line(article.url)
    text = article_text(article.title, body, article.gallery, article.credits, meta, missing)
    sys.stdout.write(_for_terminal(text))
    return EXIT_OK


def _for_terminal(text: str) -> str:
    """Wrapped to the terminal's width when printed to one (a pipe or file gets the text as
    it is): gallery lines indented under their text, URLs whole."""
    columns = terminal_columns()
    return wrap_text(text, columns - 1) if columns else text


def cmd_extract(args: argparse.Namespace) -> int:
    from newsroom_tui.ingest.extract_job import extract_with_deadline
    from newsroom_tui.ingest.worker_pool import WorkerError
    from newsroom_tui.text.sanitize import clean_page

    source: str = args.source
    url: str | None = None
    content_type: str | None = None
    if source.startswith(("http://", "https://")):
        from newsroom_tui.net.fetcher import PAGE_MAX_BYTES, Fetcher, FetchError

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
        from newsroom_tui.local_files import LocalFileError, read_local_file

        try:
            data = read_local_file(source)
        except LocalFileError as exc:
            print(f"newsroom: {exc}", file=sys.stderr)
            return EXIT_FAILED
    try:
        page = clean_page(extract_with_deadline(data, url, content_type))
    except WorkerError as exc:  # over the poll's deadline: one line, as in a poll
        print(f"newsroom: {source}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print_json(extracted_json(page, url))
        return EXIT_OK
    meta = [("Date", format_date(page.published) if page.published else ""), ("Link", url or "")]
    sys.stdout.write(article_text(page.title, page.body_markdown, page.gallery, page.credits, meta))
    return EXIT_OK


def cmd_triage(store: Store, args: argparse.Namespace) -> int:
    """claim, release, done, read, unread, flag, unflag: one article's state, for scripts
    and cron. read, unread, flag and unflag of a synced article wait in the outbox for the
    next sync."""
    target = _article(store, args.id)
    if target is None:
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
    elif command in ("flag", "unflag"):
        store.set_flagged(args.id, command == "flag")
        said = "flagged" if command == "flag" else "not flagged"
    else:
        store.set_read(args.id, command == "read")
        said = command
    if args.json:
        after = read_article(store, args.id)
        assert after is not None
        print_json(summary_json(after))
    else:
        print(f"{args.id}: {said}: {target.title}")
    return EXIT_OK
