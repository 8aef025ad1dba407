"""A fake FreshRSS or Miniflux on loopback, for the sync tests and the bench.

Built from the protocol as the servers document and behave:

- FreshRSS: the Google Reader API under ``/api/greader.php``. ``Authorization: GoogleLogin
  auth=…`` is needed on every request, POSTs too, and a POST also needs ``T``; a bad one gets
  401 with ``Google-Bad-Token: true``. ``stream/contents`` exists; label streams filter.
- Miniflux: the Google Reader API at the base URL (a GET needs ``Authorization``, a POST is
  authenticated by ``T`` alone) and the REST API under ``/v1/`` (``X-Auth-Token``). No
  ``stream/contents``; label streams are ignored (everything comes back). States in item
  categories carry the user's number ("user/1/state/com.google/read").
- Both: ids decimal from ``stream/items/ids``, long form from ``stream/items/contents``; a
  stream they do not know returns everything; ``continuation`` pages the ids (FreshRSS: the
  next id, Miniflux: an offset); at most 1,000 ids a page.

State is kept in memory: items with read and starred flags. A test changes it "elsewhere" with
:meth:`SyncServer.set_state`, ends every login with :meth:`SyncServer.expire_logins`, and
replaces an answer with ``server.behaviours[route] = function(handler)``.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

LONG_PREFIX = "tag:google.com,2005:reader/item/"
FRESHRSS_PREFIX = "/api/greader.php"
IDS_PAGE_MAX = 1_000
FRESHRSS_FIRST_ID = 1_733_500_000_000_000  # FreshRSS ids are microsecond times


@dataclass
class FakeFeed:
    id: int
    title: str
    url: str
    site_url: str
    category: str


@dataclass
class FakeItem:
    id: int
    feed: int
    title: str
    url: str
    html: str
    published: int
    author: str = "Pressestelle"
    read: bool = False
    starred: bool = False
    changed_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Logged:
    method: str
    route: str  # "accounts/ClientLogin", "stream/items/ids", "edit-tag", "/v1/entries" …
    query: tuple[tuple[str, str], ...]
    form: tuple[tuple[str, str], ...]
    status: int


class SyncServer:
    def __init__(
        self,
        flavour: str = "freshrss",
        *,
        user: str = "redaktion",
        password: str = "api-passwort-42",
        api_key: str = "miniflux-schluessel-0815",
    ) -> None:
        if flavour not in ("freshrss", "miniflux"):
            raise ValueError(flavour)
        self.flavour = flavour
        self.user = user
        self.password = password
        self.api_key = api_key
        self.feeds: dict[int, FakeFeed] = {}
        self.items: dict[int, FakeItem] = {}
        self.log: list[Logged] = []
        # route -> a function that answers the request itself (garbage, huge, slow answers)
        self.behaviours: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        # route -> a function called once, after the next answer to it (a change "meanwhile")
        self.after: dict[str, Callable[[], None]] = {}
        self._auths: set[str] = set()
        self._tokens: set[str] = set()
        self._sorted: list[FakeItem] | None = None
        self._next_item = FRESHRSS_FIRST_ID if flavour == "freshrss" else 1
        self._lock = threading.RLock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.stopping = threading.Event()  # ends the waits of slow behaviours
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- the test's side ---------------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def endpoint(self) -> str:
        """The Google Reader API's root."""
        return self.base + (FRESHRSS_PREFIX if self.flavour == "freshrss" else "")

    def start(self) -> SyncServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def add_feed(self, title: str, url: str, category: str = "Lokales") -> int:
        with self._lock:
            feed_id = len(self.feeds) + 1
            site = url.rsplit("/", 1)[0] + "/"
            self.feeds[feed_id] = FakeFeed(feed_id, title, url, site, category)
            return feed_id

    def add_item(self, feed: int, title: str, url: str, html: str = "", **state: bool) -> int:
        with self._lock:
            number = self._next_item
            self._next_item += 1000 if self.flavour == "freshrss" else 1
            published = 1_733_500_000 + len(self.items) * 60
            self.items[number] = FakeItem(
                number, feed, title, url, html or _whole_text(title), published, **state
            )
            return number

    def add_items(self, feed: int, count: int, *, prefix: str = "Meldung") -> list[int]:
        return [
            self.add_item(
                feed,
                f"{prefix} {n}: Stadt Herne informiert über Straßensperrung",
                f"https://www.herne.de/meldungen/{n}.html",
                f"<p>{prefix} {n}. Die Bahnhofstraße bleibt bis Freitag gesperrt; "
                f"Umleitungen sind ausgeschildert.</p><p>{_DETAILS}</p>",
            )
            for n in range(count)
        ]

    def set_state(self, number: int, *, read: bool | None = None, starred: bool | None = None):
        """A change made elsewhere (a phone, the web page)."""
        with self._lock:
            item = self.items[number]
            if read is not None:
                item.read = read
            if starred is not None:
                item.starred = starred
            item.changed_at = time.time()

    def expire_logins(self) -> None:
        """Every Auth and T given so far stops working (a server restart, a changed password)."""
        with self._lock:
            self._auths.clear()
            self._tokens.clear()

    def a_login(self) -> str:
        """An Auth the server takes now (for a test that makes its own requests)."""
        with self._lock:
            return next(iter(self._auths))

    def routes(self) -> list[str]:
        with self._lock:
            return [f"{entry.method} {entry.route}" for entry in self.log]

    # -- the protocol ------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK hold each kept-alive answer for 40 ms
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PUT(self) -> None:
                self._serve("PUT")

            def _serve(self, method: str) -> None:
                if server.stopping.is_set():  # down: a kept-alive connection is dropped too
                    self.close_connection = True
                    return
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 10_000_000)) if length else b""
                query = parse_qsl(parts.query, keep_blank_values=True)
                is_form = "form-urlencoded" in (self.headers.get("Content-Type") or "")
                form = parse_qsl(body.decode("utf-8", "replace")) if is_form else []
                route = server._route(parts.path)
                behaviour = server.behaviours.get(route)
                if behaviour is not None:
                    server._record(method, route, query, form, 0)
                    with contextlib.suppress(OSError):
                        behaviour(self)
                    return
                status, headers, payload = server._answer(
                    method, route, query, form, body, self.headers
                )
                server._record(method, route, query, form, status)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(payload)
                with server._lock:
                    then = server.after.pop(route, None)
                if then is not None:
                    then()

        return Handler

    def _record(self, method: str, route: str, query: list, form: list, status: int) -> None:
        with self._lock:
            self.log.append(Logged(method, route, tuple(query), tuple(form), status))

    def _route(self, path: str) -> str:
        if path.startswith("/v1/") and self.flavour == "miniflux":
            return path
        prefix = FRESHRSS_PREFIX if self.flavour == "freshrss" else ""
        if not path.startswith(prefix + "/"):
            return "?" + path
        path = path[len(prefix) + 1 :]
        if path.startswith("reader/api/0/"):
            return path.removeprefix("reader/api/0/")
        return path if path == "accounts/ClientLogin" else "?" + path

    def _answer(self, method, route, query, form, body, headers):
        with self._lock:
            if route.startswith("/v1/"):
                return self._rest(method, route, query, body, headers)
            if route == "accounts/ClientLogin" and method == "POST":
                return self._client_login(dict(form))
            if route.startswith("?"):
                return _html(404, "<html><body>Seite nicht gefunden</body></html>")
            refused = self._refuse(method, form, headers)
            if refused:
                return refused
            return self._greader(method, route, query, form)

    # -- Google Reader -----------------------------------------------------------------------

    def _client_login(self, form: dict[str, str]):
        if form.get("Email") != self.user or form.get("Passwd") != self.password:
            extra = {"Google-Bad-Token": "true"} if self.flavour == "freshrss" else {}
            return 401, {"Content-Type": "text/plain", **extra}, b"Error=BadAuthentication\n"
        auth = f"{self.user}/{secrets.token_hex(20)}"
        self._auths.add(auth)
        body = f"SID={auth}\nLSID=null\nAuth={auth}\n"
        return 200, {"Content-Type": "text/plain; charset=UTF-8"}, body.encode()

    def _refuse(self, method, form, headers):
        auth = (headers.get("Authorization") or "").removeprefix("GoogleLogin auth=")
        token = dict(form).get("T", "")
        if self.flavour == "miniflux":
            ok = token in self._tokens if method == "POST" else auth in self._auths
            if not ok:
                return 401, {"Content-Type": "text/plain"}, b"Unauthorized"
            return None
        if auth not in self._auths or (method == "POST" and token not in self._tokens):
            return 401, {"Content-Type": "text/plain", "Google-Bad-Token": "true"}, b"Unauthorized!"
        return None

    def _greader(self, method, route, query, form):
        params = dict(query)
        if route == "token":
            token = secrets.token_hex(20)
            self._tokens.add(token)
            return 200, {"Content-Type": "text/plain; charset=UTF-8"}, f"{token}\n".encode()
        if route == "subscription/list":
            return _json({"subscriptions": [self._subscription(f) for f in self.feeds.values()]})
        if route == "stream/items/ids":
            return self._ids(params)
        if route == "stream/items/contents" and method == "POST":
            wanted = [v for k, v in [*query, *form] if k == "i"]
            return self._contents(wanted)
        if route.startswith("stream/contents") and self.flavour == "freshrss":
            stream = route.removeprefix("stream/contents/") or params.get("s", "")
            chosen = self._stream(stream, params)[: int(params.get("n", 20) or 20)]
            return self._contents([str(item.id) for item in chosen])
        if route == "edit-tag" and method == "POST":
            return self._edit_tag(form)
        if route == "mark-all-as-read" and method == "POST":
            return self._mark_all(dict(form))
        return _html(404, "<html><body>Seite nicht gefunden</body></html>")

    def _subscription(self, feed: FakeFeed) -> dict:
        return {
            "id": f"feed/{feed.id}",
            "title": feed.title,
            "categories": [{"id": f"user/-/label/{feed.category}", "label": feed.category}],
            "url": feed.url,
            "htmlUrl": feed.site_url,
            "iconUrl": "",
        }

    def _stream(self, stream: str, params: dict[str, str]) -> list[FakeItem]:
        items = self._newest_first()
        if stream.endswith("/state/com.google/starred"):
            items = [item for item in items if item.starred]
        elif stream.startswith("feed/"):
            items = [item for item in items if f"feed/{item.feed}" == stream]
        elif "/label/" in stream and self.flavour == "freshrss":
            label = stream.split("/label/", 1)[1]
            items = [item for item in items if self.feeds[item.feed].category == label]
        # the reading list, a label on Miniflux, a stream nobody knows: everything
        for key, keep in (("xt", False), ("it", True)):
            state = params.get(key, "")
            if state.endswith("/state/com.google/read"):
                items = [item for item in items if item.read is keep]
            elif state.endswith("/state/com.google/starred"):
                items = [item for item in items if item.starred is keep]
        return items

    def _newest_first(self) -> list[FakeItem]:
        if self._sorted is None or len(self._sorted) != len(self.items):
            self._sorted = sorted(self.items.values(), key=lambda item: item.id, reverse=True)
        return self._sorted

    def _ids(self, params: dict[str, str]):
        items = self._stream(params.get("s", ""), params)
        count = min(int(params.get("n", 20) or 20), IDS_PAGE_MAX)
        start = 0
        if "c" in params:
            if self.flavour == "freshrss":  # the next id
                start = bisect.bisect_left([-item.id for item in items], -int(params["c"]))
            else:  # an offset
                start = int(params["c"])
        page = items[start : start + count]
        answer: dict = {"itemRefs": [{"id": str(item.id)} for item in page]}
        if start + count < len(items):
            following = items[start + count]
            answer["continuation"] = (
                str(following.id) if self.flavour == "freshrss" else str(start + count)
            )
        return _json(answer)

    def _number(self, text: str) -> int | None:
        if text.startswith(LONG_PREFIX):
            return int(text[len(LONG_PREFIX) :], 16)
        return int(text) if text.lstrip("-").isdigit() else None

    def _contents(self, wanted: list[str]):
        items = []
        user = "-" if self.flavour == "freshrss" else "1"
        for text in wanted:
            item = self.items.get(self._number(text) or -1)
            if item is None:
                continue
            feed = self.feeds[item.feed]
            categories = [f"user/{user}/state/com.google/reading-list"]
            categories += [f"user/{user}/state/com.google/read"] * item.read
            categories += [f"user/{user}/state/com.google/starred"] * item.starred
            categories.append(f"user/{user}/label/{feed.category}")
            items.append(
                {
                    "id": f"{LONG_PREFIX}{item.id:016x}",
                    "crawlTimeMsec": str(item.published * 1000),
                    "timestampUsec": str(item.published * 1_000_000),
                    "published": item.published,
                    "updated": item.published,
                    "title": item.title,
                    "canonical": [{"href": item.url}],
                    "alternate": [{"href": item.url, "type": "text/html"}],
                    "categories": categories,
                    "origin": {
                        "streamId": f"feed/{feed.id}",
                        "title": feed.title,
                        "htmlUrl": feed.site_url,
                    },
                    "summary": {"direction": "ltr", "content": item.html},
                    "author": item.author,
                }
            )
        return _json(
            {
                "direction": "ltr",
                "id": "user/-/state/com.google/reading-list",
                "updated": int(time.time()),
                "items": items,
            }
        )

    def _edit_tag(self, form: list[tuple[str, str]]):
        changes = [(key, value) for key, value in form if key in ("a", "r")]
        for key, text in form:
            if key != "i":
                continue
            item = self.items.get(self._number(text) or -1)
            if item is None:
                continue
            for how, tag in changes:
                if tag.endswith("/state/com.google/read"):
                    item.read = how == "a"
                elif tag.endswith("/state/com.google/starred"):
                    item.starred = how == "a"
            item.changed_at = time.time()
        return 200, {"Content-Type": "text/plain; charset=UTF-8"}, b"OK"

    def _mark_all(self, form: dict[str, str]):
        until = int(form.get("ts") or time.time() * 1_000_000) / 1_000_000
        for item in self._stream(form.get("s", ""), {}):
            if item.published <= until:
                item.read = True
                item.changed_at = time.time()
        return 200, {"Content-Type": "text/plain; charset=UTF-8"}, b"OK"

    # -- Miniflux REST -----------------------------------------------------------------------

    def _rest(self, method, route, query, body, headers):
        if headers.get("X-Auth-Token") != self.api_key:
            return _json({"error_message": "Access Unauthorized"}, 401)
        params = dict(query)
        if route == "/v1/me" and method == "GET":
            return _json({"id": 1, "username": self.user, "is_admin": False})
        if route == "/v1/feeds" and method == "GET":
            return _json([self._rest_feed(feed) for feed in self.feeds.values()])
        if route == "/v1/entries" and method == "GET":
            return self._rest_entries(params)
        if route == "/v1/entries" and method == "PUT":
            data = json.loads(body or b"{}")
            for number in data.get("entry_ids", []):
                if number in self.items:
                    self.items[number].read = data.get("status") == "read"
                    self.items[number].changed_at = time.time()
            return 204, {}, b""
        parts = route.split("/")  # "", "v1", "entries", id[, "bookmark"]
        if len(parts) >= 4 and parts[2] == "entries" and parts[3].isdigit():
            item = self.items.get(int(parts[3]))
            if item is None:
                return _json({"error_message": "Entry not found"}, 404)
            if len(parts) == 4 and method == "GET":
                return _json(self._rest_entry(item))
            if len(parts) == 5 and parts[4] == "bookmark" and method == "PUT":
                item.starred = not item.starred
                item.changed_at = time.time()
                return 204, {}, b""
        return _json({"error_message": "Not Found"}, 404)

    def _rest_feed(self, feed: FakeFeed) -> dict:
        return {
            "id": feed.id,
            "title": feed.title,
            "feed_url": feed.url,
            "site_url": feed.site_url,
            "category": {"id": 1, "title": feed.category},
        }

    def _rest_entry(self, item: FakeItem) -> dict:
        def iso(seconds: float) -> str:
            return datetime.fromtimestamp(seconds, UTC).isoformat()

        return {
            "id": item.id,
            "user_id": 1,
            "feed_id": item.feed,
            "status": "read" if item.read else "unread",
            "title": item.title,
            "url": item.url,
            "published_at": iso(item.published),
            "created_at": iso(item.published),
            "changed_at": iso(item.changed_at),
            "content": item.html,
            "author": item.author,
            "starred": item.starred,
            "feed": self._rest_feed(self.feeds[item.feed]),
        }

    def _rest_entries(self, params: dict[str, str]):
        items = list(self._newest_first())
        if params.get("direction") == "asc":
            items.reverse()
        if "status" in params:
            items = [item for item in items if item.read is (params["status"] == "read")]
        if params.get("starred") in ("true", "1"):
            items = [item for item in items if item.starred]
        if "changed_after" in params:
            after = int(params["changed_after"])
            items = [item for item in items if item.changed_at > after]
        if "before_entry_id" in params:
            before = int(params["before_entry_id"])
            items = [item for item in items if item.id < before]
        offset = int(params.get("offset", 0))
        limit = int(params.get("limit", 100))
        page = items[offset : offset + limit]
        return _json({"total": len(items), "entries": [self._rest_entry(i) for i in page]})


def _json(data: object, status: int = 200):
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8"}, payload


def _html(status: int, text: str):
    return status, {"Content-Type": "text/html; charset=utf-8"}, text.encode("utf-8")


def answer_with(status: int, body: bytes, content_type: str = "application/json"):
    """A behaviour: this status and body, whatever was asked."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return behaviour


def endless_json(handler: BaseHTTPRequestHandler) -> None:
    """A behaviour: a JSON answer that never ends (until the client hangs up)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(b'{"itemRefs": [')
    chunk = b'{"id": "1"},' * 10_000
    for _ in range(100_000):
        handler.wfile.write(chunk)


def silent(server: SyncServer) -> Callable[[BaseHTTPRequestHandler], None]:
    """A behaviour: headers, then nothing until the server stops."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.flush()
        server.stopping.wait(60)

    return behaviour


# An item's text beyond its first line: the server gives the whole article by default (a
# teaser, whose page newsroom fetches, only where a test passes one)
_DETAILS = (
    "Die Stadt Herne bittet Anwohnerinnen und Anwohner um Verständnis. Rückfragen beantwortet "
    "die Pressestelle der Stadt Herne montags bis freitags von 8 bis 16 Uhr; Hinweise nimmt "
    "auch die Polizei Bochum unter der Rufnummer 0234 909-0 entgegen."
)


def _whole_text(title: str) -> str:
    return f"<p>{title}</p><p>{_DETAILS}</p>"
