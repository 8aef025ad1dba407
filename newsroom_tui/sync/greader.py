"""The Google Reader API as FreshRSS (``…/api/greader.php``) and Miniflux (its base URL) speak it.

Only the subset both servers answer alike: ClientLogin, the token, the subscription list, the
ids of the unread and the starred streams, the contents of given items, edit-tag and
mark-all-as-read. Their quirks, met here: ``Authorization: GoogleLogin auth=…`` goes with every
request, POSTs too (FreshRSS wants it; Miniflux reads only ``T`` on a POST); ids come decimal
from ``stream/items/ids`` and in long form from ``stream/items/contents``, and are sent back in
the form the server gave; a stream the server does not know returns everything, so the read
state is asked with ``xt``, never as a stream of its own; a 401 means logging in again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from newsroom_tui.sync.transport import (
    Answer,
    LoginFailed,
    NotAnApi,
    SyncError,
    SyncHttp,
    gather,
)
from newsroom_tui.sync_records import (
    Flag,
    ItemId,
    RemoteFeed,
    RemoteItem,
    RemoteState,
    StateChange,
    parsed_items,
)
from newsroom_tui.text.sanitize import clean_error

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
_TAG = {Flag.READ: READ, Flag.STARRED: STARRED}

IDS_PAGE = 1_000  # ids asked per page of stream/items/ids
ITEMS_MAX = 100_000  # ids taken from one stream at most (newest first)
CONTENTS_BATCH = 100  # items asked per stream/items/contents
EDIT_BATCH = 100  # items per edit-tag
FEEDS_MAX = 5_000


class GReaderClient:
    """One account on a Google Reader API server. ``endpoint`` is the API's root:
    ``https://rss.example.de/api/greader.php`` (FreshRSS) or ``https://flux.example.de``
    (Miniflux); ``name`` says which in messages."""

    batch = CONTENTS_BATCH

    def __init__(
        self, http: SyncHttp, endpoint: str, user: str, password: str, *, name: str = "FreshRSS"
    ) -> None:
        self._http = http
        self.endpoint = endpoint.rstrip("/")
        self._user = user
        self._password = password
        self.name = name
        self._auth: str | None = None
        self._token: str | None = None
        # requests run side by side: one login for all of them, not one each
        self._login_lock = asyncio.Lock()

    # -- logging in --------------------------------------------------------------------------

    async def login(self) -> None:
        """ClientLogin with the API password, then the token for POSTs; LoginFailed when the
        server refuses them, SyncError when the address is not such an API."""
        answer = await self._http.request(
            "POST",
            f"{self.endpoint}/accounts/ClientLogin",
            data=[("Email", self._user), ("Passwd", self._password)],
        )
        if answer.status in (401, 403):
            raise LoginFailed(
                f"{self.name} refused the user name or API password (the API password is set "
                "in the server's profile settings; it is not the web password)"
            )
        auth = _login_field(answer, "Auth") if answer.ok else None
        if not auth:
            came = _what_came(answer)
            raise NotAnApi(f"no Google Reader API at {self.endpoint} ({came})", came)
        self._auth = auth
        answer = await self._http.request(
            "GET", f"{self.endpoint}/reader/api/0/token", headers=self._headers()
        )
        token = answer.text().strip() if answer.ok else ""
        if answer.status == 401:
            raise LoginFailed(f"{self.name} refused the login it had just given")
        if not token or len(token) > 500 or not token.isprintable():
            raise SyncError(f"{self.name} gave no usable token ({_what_came(answer)})")
        self._token = token

    async def _login_again(self, refused: str | None) -> None:
        """Log in, unless another request has done so since ``refused`` was turned down."""
        async with self._login_lock:
            if self._auth == refused:
                await self.login()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"GoogleLogin auth={self._auth}"}

    async def _call(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: list[tuple[str, str]] | None = None,
        data: list[tuple[str, str]] | None = None,
    ) -> Answer:
        """A request with the login on it; a 401 logs in again once and repeats it."""
        if self._auth is None:
            await self._login_again(None)
        for attempt in range(2):
            used = self._auth
            body = None if data is None else [*data, ("T", self._token or "")]
            answer = await self._http.request(
                method,
                f"{self.endpoint}/reader/api/0/{path}",
                headers=self._headers(),
                params=params,
                data=body,
            )
            if answer.status != 401:
                break
            if attempt == 0:
                await self._login_again(used)
        if answer.status == 401:
            raise LoginFailed(f"{self.name} refused the login again at {what}")
        if not answer.ok:
            raise SyncError(f"{self.name} answered {what} with {answer.status_line()}")
        return answer

    # -- reading -----------------------------------------------------------------------------

    async def feeds(self) -> list[RemoteFeed]:
        what = "subscription/list"
        data = _as_dict(
            (await self._call("GET", what, what, params=[("output", "json")])).json(what), what
        )
        feeds = []
        for entry in _as_list(data.get("subscriptions"), what)[:FEEDS_MAX]:
            if not isinstance(entry, dict):
                continue
            try:
                feeds.append(
                    RemoteFeed(
                        id=entry.get("id", ""),
                        title=entry.get("title"),
                        url=entry.get("url"),
                        site_url=entry.get("htmlUrl"),
                        category=_first_label(entry.get("categories")),
                    )
                )
            except ValueError:
                continue  # a subscription without an id: left out alone
        return feeds

    async def stream_ids(
        self, stream: str, *, exclude: str | None = None, include: str | None = None
    ) -> tuple[list[ItemId], bool]:
        """The ids of a stream, newest first, following ``continuation``; and whether that was
        all of them (False: cut at :data:`ITEMS_MAX`)."""
        what = "stream/items/ids"
        ids: list[ItemId] = []
        seen_continuations: set[str] = set()
        continuation: str | None = None
        while True:
            params = [("output", "json"), ("s", stream), ("n", str(IDS_PAGE))]
            if exclude:
                params.append(("xt", exclude))
            if include:
                params.append(("it", include))
            if continuation:
                params.append(("c", continuation))
            data = _as_dict((await self._call("GET", what, what, params=params)).json(what), what)
            refs = data.get("itemRefs")
            for ref in _as_list([] if refs is None else refs, what):
                if isinstance(ref, dict):
                    try:
                        ids.append(ItemId.parse(ref.get("id")))
                    except ValueError:
                        continue  # one broken reference fails alone
            if len(ids) >= ITEMS_MAX:
                return ids[:ITEMS_MAX], False
            continuation = data.get("continuation")
            if not continuation or not refs:
                return ids, True
            if not isinstance(continuation, str | int) or str(continuation) in seen_continuations:
                raise SyncError(f"{self.name} repeats its continuation in {what}")
            continuation = str(continuation)
            seen_continuations.add(continuation)

    async def pull_state(self, cursor: str | None) -> RemoteState:
        """The whole unread and starred sets (the cursor is not needed: ids are cheap)."""
        (unread, unread_all), (starred, starred_all) = await gather(
            self.stream_ids(READING_LIST, exclude=READ), self.stream_ids(STARRED)
        )
        return RemoteState(
            unread=frozenset(unread),
            starred=frozenset(starred),
            complete=unread_all and starred_all,
        )

    async def fetch_items(self, ids: Sequence[ItemId]) -> tuple[list[RemoteItem], int]:
        """The items of ``ids`` (at most :attr:`batch`), and how many came broken."""
        what = "stream/items/contents"
        answer = await self._call(
            "POST",
            what,
            what,
            params=[("output", "json")],
            data=[("i", item.given) for item in ids[: self.batch]],
        )
        data = _as_dict(answer.json(what), what)
        return parsed_items(_as_list(data.get("items", []), what), _item)

    # -- writing -----------------------------------------------------------------------------

    async def push(self, changes: Sequence[StateChange]) -> None:
        """edit-tag for each kind of change, at most :data:`EDIT_BATCH` items a request."""
        groups: dict[tuple[Flag, bool], list[StateChange]] = {}
        for change in changes:
            groups.setdefault((change.flag, change.on), []).append(change)
        for (flag, on), group in groups.items():
            for start in range(0, len(group), EDIT_BATCH):
                part = group[start : start + EDIT_BATCH]
                data = [("i", change.item.given) for change in part]
                data.append(("a" if on else "r", _TAG[flag]))
                answer = await self._call("POST", "edit-tag", "edit-tag", data=data)
                _expect_ok(answer, self.name, "edit-tag")

    async def mark_all_read(self, stream: str, before: datetime) -> None:
        """Everything in ``stream`` older than ``before`` read on the server."""
        usec = str(int(before.timestamp() * 1_000_000))
        answer = await self._call(
            "POST", "mark-all-as-read", "mark-all-as-read", data=[("s", stream), ("ts", usec)]
        )
        _expect_ok(answer, self.name, "mark-all-as-read")


def _login_field(answer: Answer, key: str) -> str | None:
    """``Auth`` from ClientLogin's "SID=…\\nLSID=…\\nAuth=…" (or its JSON form)."""
    text = answer.text()
    if text.lstrip().startswith("{"):
        try:
            value = answer.json("ClientLogin").get(key)
        except (SyncError, AttributeError):
            return None
        return value if isinstance(value, str) and value.isprintable() else None
    for line in text.splitlines()[:10]:
        name, _, value = line.partition("=")
        if name.strip() == key and value.strip().isprintable() and len(value) < 2000:
            return value.strip() or None
    return None


def _what_came(answer: Answer) -> str:
    kind = clean_error(answer.headers.get("content-type", "no content type"), 60)
    return f"{answer.status_line()}, {kind}"


def _expect_ok(answer: Answer, name: str, what: str) -> None:
    if answer.text().strip() != "OK":
        raise SyncError(f"{name} did not confirm {what} ({clean_error(answer.text(), 60)!r})")


def _as_dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SyncError(f"the server answered {what} with JSON of an unexpected shape")
    return value


def _as_list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise SyncError(f"the server answered {what} with JSON of an unexpected shape")
    return value


def _first_label(categories: object) -> str | None:
    if not isinstance(categories, list):
        return None
    for category in categories:
        if not isinstance(category, dict):
            continue
        label = category.get("label")
        if isinstance(label, str) and label.strip():
            return label
        tag = category.get("id")
        if isinstance(tag, str) and "/label/" in tag:
            return tag.split("/label/", 1)[1]
    return None


def _has_state(categories: Iterable[object], state: str) -> bool:
    return any(isinstance(c, str) and c.endswith(state) for c in categories)


def _first_href(links: object) -> str | None:
    """The first link's address; anything but text (a hostile server's) is none."""
    if isinstance(links, list) and links and isinstance(links[0], dict):
        href = links[0].get("href")
        return href if isinstance(href, str) else None
    return None


def _timestamp(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _item(entry: object) -> RemoteItem | None:
    """One item of ``stream/items/contents``, or None when it is not usable."""
    if not isinstance(entry, dict):
        return None
    try:
        item_id = ItemId.parse(entry.get("id"))
    except ValueError:
        return None
    categories = entry.get("categories")
    categories = categories if isinstance(categories, list) else []
    origin = entry.get("origin")
    body = entry.get("content") or entry.get("summary")
    return RemoteItem(
        id=item_id,
        feed_id=origin.get("streamId") if isinstance(origin, dict) else None,
        title=entry.get("title", ""),
        url=_first_href(entry.get("canonical")) or _first_href(entry.get("alternate")),
        published=_timestamp(entry.get("published")),
        author=entry.get("author"),
        html=body.get("content", "") if isinstance(body, dict) else "",
        read=_has_state(categories, "/state/com.google/read"),
        starred=_has_state(categories, "/state/com.google/starred"),
    )
