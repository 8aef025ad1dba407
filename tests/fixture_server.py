"""A loopback HTTP server for tests: fixed routes, ETag/Last-Modified, a request log."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Route:
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200


class FixtureServer:
    def __init__(self, port: int = 0) -> None:
        """``port``: a fixed one (a server started again where its feeds are), else any."""
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, int]] = []
        self.encodings: dict[str, str] = {}  # path -> Content-Encoding sent with its body
        # path -> a function that answers the request itself (slow bytes, endless bodies...)
        self.behaviours: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.delay = 0.0  # seconds every answer waits (a slow server keeps pollers overlapping)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        *,
        validators: bool = True,
        status: int = 200,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = f'"{hashlib.sha1(data).hexdigest()[:16]}"' if validators else None
        modified = formatdate(1_700_000_000, usegmt=True) if validators else None
        self.routes[path] = Route(data, content_type, etag, modified, status)

    def requests_for(self, path: str) -> list[int]:
        """Status codes answered for ``path``, in order."""
        with self._lock:
            return [status for p, status in self.log if p == path]

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if server.delay:
                    time.sleep(server.delay)
                behaviour = server.behaviours.get(self.path)
                if behaviour is not None:
                    with server._lock:
                        server.log.append((self.path, 0))
                    with contextlib.suppress(OSError):  # the client hangs up: expected
                        behaviour(self)
                    return
                route = server.routes.get(self.path)
                status = 404 if route is None else route.status
                if route is not None and status == 200:
                    inm = self.headers.get("If-None-Match")
                    ims = self.headers.get("If-Modified-Since")
                    if (route.etag and inm == route.etag) or (
                        not inm and route.last_modified and ims == route.last_modified
                    ):
                        status = 304
                with server._lock:
                    server.log.append((self.path, status))
                self.send_response(status)
                if route is not None and route.etag:
                    self.send_header("ETag", route.etag)
                    self.send_header("Last-Modified", route.last_modified or "")
                if status == 304:
                    self.end_headers()
                    return
                body = b"not found" if route is None else route.body
                self.send_header(
                    "Content-Type", "text/plain" if route is None else route.content_type
                )
                if self.path in server.encodings:
                    self.send_header("Content-Encoding", server.encodings[self.path])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


FEED_PATH = "/feeds/pressemeldungen.rss"
PAGE_PATHS = {
    "kim": "/meldungen/2023/kommunales-integrationsmanagement.html",
    "bibliothek": "/meldungen/2024/stadtbibliothek-oeffnungszeiten.html",
    "sperrung": "/meldungen/2025/strassensperrung-bahnhofstrasse.html",  # 404: summary only
}


def herne_site(server: FixtureServer) -> FixtureServer:
    """A German municipal press site: a summary-only RSS feed and its article pages."""
    feed = (FIXTURES / "site" / "pressemeldungen.rss").read_text("utf-8")
    server.add(FEED_PATH, feed.replace("{base}", server.base), "application/rss+xml")
    server.add(PAGE_PATHS["kim"], (FIXTURES / "pages" / "herne-meldung.html").read_bytes())
    server.add(
        PAGE_PATHS["bibliothek"],
        (FIXTURES / "site" / "stadtbibliothek-oeffnungszeiten.html").read_bytes(),
    )
    return server
