"""Subscription lists in and out: OPML 2.0 (folders as categories) and newsboat's urls file."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import quoteattr

from lxml import etree

from newsroom_tui.models import Feed
from newsroom_tui.net.fetcher import check_url
from newsroom_tui.text.sanitize import (
    clean_category,
    clean_error,
    clean_name,
    clean_url,
    subscription_url,
)

# A page source (a listing page, no feed) goes out as a plain link outline, which other readers
# show or skip, with this attribute so that newsroom subscribes to it again as a page source.
NEWSROOM_NS = "urn:newsroom:opml"
PAGE_KIND = f"{{{NEWSROOM_NS}}}kind"


class SubscriptionListError(Exception):
    """The file is not a list we can read (one line)."""


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str | None = None
    category: str | None = None
    kind: str = "feed"  # "page": a listing page (page source)


@dataclass
class ImportList:
    subscriptions: list[Subscription] = field(default_factory=list)
    without_url: int = 0  # outlines / lines that name no feed we can poll
    duplicates: int = 0  # the same URL again within the file

    def add(
        self,
        url: str,
        title: str | None,
        category: str | None,
        seen: set[str],
        kind: str = "feed",
    ) -> None:
        """One subscription as the file gives it: the URL cleaned or refused (counted as
        without a URL; :func:`subscription_url`), the title and category cleaned
        (:func:`clean_name`, :func:`clean_category`)."""
        try:
            cleaned = check_url(subscription_url(url) or "")
        except ValueError:
            self.without_url += 1
            return
        subscription = Subscription(cleaned, clean_name(title), clean_category(category), kind)
        if cleaned in seen:
            self.duplicates += 1
            return
        seen.add(cleaned)
        self.subscriptions.append(subscription)


def parse_opml(data: bytes) -> ImportList:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SubscriptionListError(f"not OPML: {clean_error(str(exc))}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise SubscriptionListError("not OPML: no <opml><body>")
    result = ImportList()
    seen: set[str] = set()

    def walk(element: etree._Element, folders: list[str]) -> None:
        for outline in element.iterfind("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            name = clean_name(outline.get("title") or outline.get("text"))
            kind = "feed"
            if not url and outline.get(PAGE_KIND) == "page":
                url, kind = (outline.get("url") or outline.get("htmlUrl") or "").strip(), "page"
            if url:
                result.add(url, name, "/".join(folders), seen, kind)
            elif len(outline) == 0:
                result.without_url += 1
            walk(outline, [*folders, name] if not url and name else folders)

    walk(root.find("body"), [])
    return result


def parse_newsboat_urls(text: str) -> ImportList:
    """newsboat's ``urls`` file: ``URL "tag" "~Title"`` per line; query feeds are skipped."""
    result = ImportList()
    seen: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            url, *tags = shlex.split(line)
        except ValueError:
            result.without_url += 1
            continue
        title = next((t[1:] for t in tags if t.startswith("~")), None)
        plain = [t for t in tags if t and t[0] not in "~!"]
        result.add(url, title, plain[0] if plain else None, seen)
    return result


def render_opml(feeds: list[Feed], title: str = "newsroom subscriptions") -> str:
    """OPML 2.0 with one folder per category level ("A/B" nests B in A)."""
    tree: dict[str, Any] = {}
    for feed in feeds:
        node = tree
        for part in (clean_category(feed.category) or "").split("/"):
            if part:
                node = node.setdefault(f"folder:{part}", {})
        node.setdefault("feeds:", []).append(feed)

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:newsroom="{NEWSROOM_NS}">',
        "  <head>",
        f"    <title>{_text(title)}</title>",
        f"    <dateCreated>{format_datetime(datetime.now(UTC), usegmt=True)}</dateCreated>",
        "  </head>",
        "  <body>",
    ]

    def emit(node: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        for feed in node.get("feeds:", []):
            url = clean_url(feed.url)
            if url is None:
                continue  # a cache of an older newsroom may hold what the import now refuses
            name = clean_name(feed.title) or url
            if feed.kind == "page":
                lines.append(
                    f'{pad}<outline type="link" text={quoteattr(name)} title={quoteattr(name)}'
                    f' url={quoteattr(url)} newsroom:kind="page"/>'
                )
                continue
            lines.append(
                f'{pad}<outline type="rss" text={quoteattr(name)} title={quoteattr(name)}'
                f" xmlUrl={quoteattr(url)}/>"
            )
        for key in sorted(k for k in node if k.startswith("folder:")):
            name = key.removeprefix("folder:")
            lines.append(f"{pad}<outline text={quoteattr(name)} title={quoteattr(name)}>")
            emit(node[key], depth + 1)
            lines.append(f"{pad}</outline>")

    emit(tree, 2)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
