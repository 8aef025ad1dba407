"""Plain records of the sync: what a server holds and what changed on either side.

Everything from a server is cleaned where it is made (each type's ``__post_init__``), so no
code that reads these records can see an escape sequence, an invisible character, a URL that
is not http(s) or a field of unbounded size."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from newsroom_tui.text.sanitize import (
    BODY_MAX_CHARS,
    TITLE_MAX_CHARS,
    clean_category,
    clean_name,
    clean_text,
    clean_url,
    clip,
    clip_body,
)

# Google Reader's long form of an item id: the id as 16 hex digits behind this prefix.
LONG_PREFIX = "tag:google.com,2005:reader/item/"
_ID_LIMIT = 1 << 64
_LONG = re.compile(re.escape(LONG_PREFIX) + "([0-9a-fA-F]{1,16})")
_DECIMAL = re.compile(r"-?[0-9]{1,20}")


@dataclass(frozen=True, slots=True)
class ItemId:
    """One item's id on the server: the 64-bit number both forms name, and the text the server
    gave (decimal from ``stream/items/ids``, long form from ``stream/items/contents``), which is
    what is sent back. Equal ids are equal whatever form they came in."""

    number: int
    given: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.number < _ID_LIMIT:
            raise ValueError(f"item id out of range: {self.number}")
        if not self.given:
            object.__setattr__(self, "given", self.long)

    def __hash__(self) -> int:  # ids are hashed by the ten thousand at each sync
        return hash(self.number)

    @classmethod
    def parse(cls, text: object) -> ItemId:
        """An id in either form ("1733500000000000", "tag:google.com,2005:reader/item/…"), or
        a number (Miniflux's REST API); ValueError for anything else. A negative decimal is
        the signed reading of the same 64 bits (Google Reader's own ``items/ids`` did that)."""
        if type(text) is str and text.isdigit() and text.isascii() and len(text) <= 20:
            return cls(int(text), text)  # the usual decimal of stream/items/ids, quickly
        if isinstance(text, bool):
            raise ValueError("not an item id: a boolean")
        if isinstance(text, int):
            return cls(text, str(text))
        if not isinstance(text, str) or len(text) > 64:
            raise ValueError("not an item id")
        if m := _LONG.fullmatch(text):
            return cls(int(m.group(1), 16), text)
        if _DECIMAL.fullmatch(text):
            number = int(text)
            if -(1 << 63) <= number < 0:
                number += _ID_LIMIT
            return cls(number, text)
        raise ValueError(f"not an item id: {clip(clean_name(text) or '', 40)!r}")

    @property
    def decimal(self) -> str:
        return str(self.number)

    @property
    def long(self) -> str:
        return f"{LONG_PREFIX}{self.number:016x}"


def clean_http_url(text: object) -> str | None:
    """A cleaned http(s) URL (:func:`clean_url`), or None for anything else (``javascript:``,
    ``file:``, a relative path, not a string)."""
    if not isinstance(text, str):
        return None
    url = clean_url(text)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _clean_name(text: object, limit: int = 200) -> str | None:
    return clean_name(text, limit) if isinstance(text, str) else None


# An item's HTML (summary or content) is at most this long; the article body made from it is
# clipped again by the ingest path.
HTML_MAX_CHARS = BODY_MAX_CHARS
FEED_ID_MAX_CHARS = 300


@dataclass(frozen=True)
class RemoteFeed:
    """A subscription of the account: ``id`` is the server's stream id ("feed/12")."""

    id: str
    title: str | None
    url: str | None  # the feed's own address, as the server polls it
    site_url: str | None = None
    category: str | None = None  # "Politik/Land"; the first of the server's labels

    def __post_init__(self) -> None:
        feed_id = _clean_name(self.id, FEED_ID_MAX_CHARS)
        if not feed_id:
            raise ValueError("a feed without an id")
        object.__setattr__(self, "id", feed_id)
        object.__setattr__(self, "title", _clean_name(self.title))
        object.__setattr__(self, "url", clean_http_url(self.url))
        object.__setattr__(self, "site_url", clean_http_url(self.site_url))
        category = clean_category(self.category) if isinstance(self.category, str) else None
        object.__setattr__(self, "category", category)

    @property
    def display_name(self) -> str:
        return self.title or self.url or self.id


@dataclass(frozen=True)
class RemoteItem:
    """An article as the server holds it, with its state there."""

    id: ItemId
    feed_id: str | None
    title: str
    url: str | None
    published: datetime | None = None
    author: str | None = None
    # HTML as the server has it (a teaser or the whole text); the ingest path makes Markdown
    html: str = ""
    read: bool = False
    starred: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, ItemId):
            raise TypeError("RemoteItem.id must be an ItemId")
        object.__setattr__(self, "feed_id", _clean_name(self.feed_id, FEED_ID_MAX_CHARS))
        title = clean_name(self.title, TITLE_MAX_CHARS) if isinstance(self.title, str) else None
        object.__setattr__(self, "title", title or "")
        object.__setattr__(self, "url", clean_http_url(self.url))
        object.__setattr__(self, "author", _clean_name(self.author, 300))
        html = self.html if isinstance(self.html, str) else ""
        object.__setattr__(self, "html", clip_body(clean_text(html), HTML_MAX_CHARS))
        if self.published is not None and not isinstance(self.published, datetime):
            object.__setattr__(self, "published", None)
        object.__setattr__(self, "read", bool(self.read))
        object.__setattr__(self, "starred", bool(self.starred))

    @property
    def state(self) -> ItemState:
        return ItemState(read=self.read, starred=self.starred)

    @property
    def display_title(self) -> str:
        """Its title, else its address, else its id: what its article is called."""
        return self.title or self.url or self.id.decimal


def parsed_items(
    entries: Iterable[object], parse: Callable[[object], RemoteItem | None]
) -> tuple[list[RemoteItem], int]:
    """The items ``parse`` makes of ``entries``, and how many came broken (``parse`` gave None)."""
    items: list[RemoteItem] = []
    broken = 0
    for entry in entries:
        item = parse(entry)
        if item is None:
            broken += 1
        else:
            items.append(item)
    return items, broken


class Flag(StrEnum):
    """What a change sets: read, or starred (newsroom's "flag")."""

    READ = "read"
    STARRED = "starred"


@dataclass(frozen=True)
class StateChange:
    """One change made in newsroom, waiting in the outbox: ``flag`` set (``on``) or cleared.
    ``seq`` is the outbox's own number for it (oldest first), so exactly the changes pushed
    leave the outbox, not one made meanwhile."""

    item: ItemId
    flag: Flag
    on: bool
    seq: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.item, ItemId):
            raise TypeError("StateChange.item must be an ItemId")
        object.__setattr__(self, "flag", Flag(self.flag))
        object.__setattr__(self, "on", bool(self.on))


@dataclass(frozen=True)
class ItemState:
    read: bool
    starred: bool


@dataclass(frozen=True)
class RemoteState:
    """What one pull learnt of the server's state.

    ``unread`` and ``starred``, when not None, are the server's whole sets: an item the cache
    holds that is not in ``unread`` was read elsewhere. ``complete`` is False when a set was cut
    at the count limit: then absence proves nothing. ``changed`` holds states reported one by
    one (Miniflux's ``changed_after``). ``items`` are items the answer brought whole (REST), so
    they need not be fetched again. ``cursor`` is kept for the next pull."""

    unread: frozenset[ItemId] | None = None
    starred: frozenset[ItemId] | None = None
    complete: bool = True
    changed: dict[ItemId, ItemState] = field(default_factory=dict)
    items: tuple[RemoteItem, ...] = ()
    cursor: str | None = None
    skipped: int = 0  # items the server sent broken, left out alone

    def ids(self) -> set[ItemId]:
        """Every item this pull mentions."""
        found = set(self.changed)
        found.update(self.unread or ())
        found.update(self.starred or ())
        found.update(item.id for item in self.items)
        return found

    def state_of(self, item: ItemId, known: ItemState) -> ItemState:
        """The server's state of an item the cache holds as ``known``."""
        if item in self.changed:
            return self.changed[item]
        read, starred = known.read, known.starred
        if self.unread is not None and (item in self.unread or self.complete):
            read = item not in self.unread
        if self.starred is not None and (item in self.starred or self.complete):
            starred = item in self.starred
        return ItemState(read=read, starred=starred)


@dataclass(frozen=True)
class Pull:
    """What one sync brings into the cache, written in one transaction by the local side."""

    feeds: tuple[RemoteFeed, ...]
    new_items: tuple[RemoteItem, ...]  # items the cache did not hold, with their state
    updates: dict[ItemId, ItemState]  # new state of items the cache holds
    cursor: str | None


@dataclass(frozen=True)
class SyncReport:
    """What a sync did, for ``sync status`` and the poll's summary."""

    pushed: int = 0
    feeds: int = 0
    new_items: int = 0
    updated: int = 0
    skipped: int = 0  # items the server sent broken (no id, not an object): left out alone
    kept_local: int = 0  # items whose server state lost to a change still in the outbox
    notice: str | None = None  # "only the newest 100,000 unread items" …
