"""Stories across sources from the shell: ``newsroom stories`` and the versions ``show`` gives."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsroom_tui.commands.output import (
    EXIT_OK,
    EXIT_USAGE,
    article_line,
    article_marks,
    fit_line,
    print_json,
    terminal_columns,
)
from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import Store
from newsroom_tui.store.story_records import Story, StoryVersion
from newsroom_tui.text.article_format import format_date, list_date_width


def version_json(version: StoryVersion) -> dict[str, Any]:
    article = version.article
    return {
        "id": article.id,
        "feed": article.feed,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "relation": version.relation,
    }


def other_versions(store: Store, article: ArticleSummary) -> list[dict[str, Any]]:
    """The other articles of ``article``'s story, earliest first, as JSON."""
    if article.story_id is None:
        return []
    versions = store.story_versions(article.story_id)
    return [version_json(v) for v in versions if v.article.id != article.id]


def story_json(story: Story) -> dict[str, Any]:
    return {
        "story": story.id,
        "sources": story.sources,
        "first": version_json(story.versions[0]),
        "versions": [version_json(v) for v in story.versions],
    }


def story_line(story: Story) -> str:
    """ "3 sources · first: Polizei Bochum · TITLE" (the first version's title)."""
    first = story.first
    sources = f"{story.sources} source{'s' if story.sources != 1 else ''}"
    return f"{sources} · first: {first.feed} · {first.title}"


def version_line(version: StoryVersion, date_width: int) -> str:
    """A version under its story: as ``newsroom list`` prints an article, indented; an
    update says so after its title, as the reader's versions do."""
    a = version.article
    title = f"{a.title} (update)" if version.relation == "update" else a.title
    when = format_date(a.published).ljust(date_width)
    return "  " + article_line(a.id, article_marks(a), when, a.feed, title)


def cmd_stories(store: Store, args: argparse.Namespace) -> int:
    """The stories told more than once, newest first, each with its versions."""
    if args.limit is not None and args.limit < 0:
        print("newsroom: --limit must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    found = store.stories(args.limit)
    if args.json:
        print_json([story_json(s) for s in found])
        return EXIT_OK
    width, columns = list_date_width(), terminal_columns()
    for story in found:  # one line each on a terminal, as the list's rows
        print(fit_line(story_line(story), columns))
        for version in story.versions:
            print(fit_line(version_line(version, width), columns))
    return EXIT_OK


def add_stories_parser(sub: Any) -> None:
    p = sub.add_parser("stories", help="stories told by more than one article, with their versions")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N stories (20)")
    p.add_argument("--json", action="store_true", help="print JSON")
