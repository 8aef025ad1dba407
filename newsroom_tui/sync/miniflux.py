"""Miniflux's own REST API (``/v1/…`` with an API key in ``X-Auth-Token``).

The first pull takes the unread and the starred entries whole (they bring their text, so
nothing is fetched twice); later pulls ask only for what changed since the last one
(``changed_after``, on the server's clock). Read state goes back in one ``PUT /v1/entries``
per batch; the star is a toggle (``PUT /v1/entries/{id}/bookmark``), so each entry's star is
read first and flipped only when it differs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime

from newsroom_tui.sync.transport import Answer, LoginFailed, SyncError, SyncHttp
from newsroom_tui.sync_records import (
    Flag,
    ItemId,
    RemoteFeed,
    RemoteItem,
    RemoteState,
    StateChange,
    parsed_items,
)

PAGE = 500  # entries per page of /v1/entries
ITEMS_MAX = 100_000  # entries taken from one listing at most
STATUS_BATCH = 500  # entries per PUT /v1/entries
FEEDS_MAX = 5_000
# the cursor is taken this far back: a change in the same second as the last pull is not lost
CURSOR_OVERLAP = 1


_Listing = tuple[list[RemoteItem], int, bool, Answer | None]


class MinifluxClient:
    """One Miniflux account reached with an API key; ``base`` is the server's root URL."""

    batch = PAGE
    name = "Miniflux"

    def __init__(self, http: SyncHttp, base: str, token: str) -> None:
        self._http = http
        self.endpoint = base.rstrip("/")
        self._token = token
        self.user: str | None = None

    async def _call(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: list[tuple[str, str]] | None = None,
        json_body: object = None,
    ) -> Answer:
        answer = await self._http.request(
            method,
            f"{self.endpoint}/v1/{path}",
            headers={"X-Auth-Token": self._token, "Accept": "application/json"},
            params=params,
            json_body=json_body,
        )
        if answer.status in (401, 403):
            raise LoginFailed("Miniflux refused the API key")
        if not answer.ok:
            raise SyncError(f"Miniflux answered {what} with {answer.status_line()}")
        return answer

    async def login(self) -> None:
        """Checks the key (``GET /v1/me``) and learns the user's name."""
        answer = await self._call("GET", "me", "/v1/me")
        data = answer.json("/v1/me")
        if not isinstance(data, dict) or not isinstance(data.get("username"), str):
            raise SyncError(f"no Miniflux API at {self.endpoint}")
        self.user = data["username"]

    async def feeds(self) -> list[RemoteFeed]:
        data = (await self._call("GET", "feeds", "/v1/feeds")).json("/v1/feeds")
        if not isinstance(data, list):
            raise SyncError("Miniflux answered /v1/feeds with JSON of an unexpected shape")
        feeds = []
        for entry in data[:FEEDS_MAX]:
            if not isinstance(entry, dict) or isinstance(entry.get("id"), bool):
                continue
            category = entry.get("category")
            try:
                feeds.append(
                    RemoteFeed(
                        id=f"feed/{entry.get('id')}" if isinstance(entry.get("id"), int) else "",
                        title=entry.get("title"),
                        url=entry.get("feed_url"),
                        site_url=entry.get("site_url"),
                        category=category.get("title") if isinstance(category, dict) else None,
                    )
                )
            except ValueError:
                continue
        return feeds

    async def _entries(self, query: list[tuple[str, str]]) -> _Listing:
        """Every entry of a listing, page by page: the items, how many came broken, whether
        that was all of them, and the first answer (its Date is the server's clock)."""
        items: list[RemoteItem] = []
        broken = 0
        first: Answer | None = None
        before: int | None = None
        while True:
            # paged by id, not by offset: an entry read elsewhere meanwhile shifts no page
            params = [*query, ("limit", str(PAGE)), ("order", "id"), ("direction", "desc")]
            if before is not None:
                params.append(("before_entry_id", str(before)))
            answer = await self._call("GET", "entries", "/v1/entries", params=params)
            first = first or answer
            data = answer.json("/v1/entries")
            entries = data.get("entries") if isinstance(data, dict) else None
            if not isinstance(entries, list):
                raise SyncError("Miniflux answered /v1/entries with JSON of an unexpected shape")
            page, page_broken = parsed_items(entries, _entry)
            broken += page_broken
            items.extend(page)
            if len(items) >= ITEMS_MAX:
                return items[:ITEMS_MAX], broken, False, first
            if len(entries) < PAGE:
                return items, broken, True, first
            lowest = min((item.id.number for item in page), default=None)
            if lowest is None or (before is not None and lowest >= before):
                raise SyncError("Miniflux does not page /v1/entries by before_entry_id")
            before = lowest

    async def pull_state(self, cursor: str | None) -> RemoteState:
        if cursor is None or not cursor.isdigit():
            unread, broken, unread_all, first = await self._entries([("status", "unread")])
            starred, broken_starred, starred_all, _ = await self._entries([("starred", "true")])
            by_id = {item.id: item for item in (*unread, *starred)}
            return RemoteState(
                unread=frozenset(item.id for item in unread),
                starred=frozenset(item.id for item in starred),
                complete=unread_all and starred_all,
                items=tuple(by_id.values()),
                cursor=_cursor(first, None),
                skipped=broken + broken_starred,
            )
        changed, broken, _all, first = await self._entries([("changed_after", cursor)])
        return RemoteState(
            changed={item.id: item.state for item in changed},
            items=tuple(changed),
            cursor=_cursor(first, cursor),
            skipped=broken,
        )

    async def fetch_items(self, ids: Sequence[ItemId]) -> tuple[list[RemoteItem], int]:
        """Entries one by one (a REST pull brings its items whole; this is for the rest)."""
        entries = []
        for item_id in ids[: self.batch]:
            answer = await self._call("GET", f"entries/{item_id.number}", "/v1/entries/{id}")
            entries.append(answer.json("/v1/entries/{id}"))
        return parsed_items(entries, _entry)

    async def push(self, changes: Sequence[StateChange]) -> None:
        for on in (True, False):
            ids = [c.item.number for c in changes if c.flag is Flag.READ and c.on is on]
            for start in range(0, len(ids), STATUS_BATCH):
                await self._call(
                    "PUT",
                    "entries",
                    "PUT /v1/entries",
                    json_body={
                        "entry_ids": ids[start : start + STATUS_BATCH],
                        "status": "read" if on else "unread",
                    },
                )
        for change in changes:
            if change.flag is not Flag.STARRED:
                continue
            path = f"entries/{change.item.number}"
            answer = await self._call("GET", path, "/v1/entries/{id}")
            data = answer.json("/v1/entries/{id}")
            starred = data.get("starred") if isinstance(data, dict) else None
            if not isinstance(starred, bool):
                raise SyncError("Miniflux answered /v1/entries/{id} without its star")
            if starred is not change.on:
                await self._call("PUT", f"{path}/bookmark", "PUT /v1/entries/{id}/bookmark")


def _entry(entry: object) -> RemoteItem | None:
    if not isinstance(entry, dict):
        return None
    try:
        item_id = ItemId.parse(entry.get("id"))
    except ValueError:
        return None
    feed_id = entry.get("feed_id")
    return RemoteItem(
        id=item_id,
        feed_id=f"feed/{feed_id}" if isinstance(feed_id, int) else None,
        title=entry.get("title", ""),
        url=entry.get("url"),
        published=_iso(entry.get("published_at")),
        author=entry.get("author"),
        html=entry.get("content", ""),
        read=entry.get("status") != "unread",
        starred=entry.get("starred") is True,
    )


def _iso(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _cursor(first: Answer | None, previous: str | None) -> str | None:
    """The next ``changed_after``: the server's clock at the first answer of this pull (its
    Date), a little earlier; without a usable Date, the previous cursor."""
    date = first.headers.get("date") if first is not None else None
    try:
        when = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None or when.tzinfo is None:
        return previous
    return str(max(0, int(when.timestamp()) - CURSOR_OVERLAP))
