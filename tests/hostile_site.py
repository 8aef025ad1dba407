"""A loopback site that misbehaves on purpose, beside one healthy feed: for tests and bench/."""

from __future__ import annotations

import gzip
import time
from http.server import BaseHTTPRequestHandler

from tests.fixture_server import FEED_PATH, FixtureServer, herne_site

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><rss version="2.0"><channel><title>&j;</title></channel></rss>'
)
ESCAPES = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Böse\x1b]0;x\x07'
    "</title><item><title>Titel \x1b]52;c;ZXZpbA==\x07[bold]fett[/bold] [@click=app.quit]x[/]"
    "</title><guid>e1</guid><description>Text \x1b[31mrot\x1b[0m [link=file:///etc]klick[/link]"
    "</description></item></channel></rss>"
)
HOSTILE_PATHS = [
    "/slow.rss",
    "/endless.rss",
    "/bomb.rss",
    "/loop.rss",
    "/error.rss",
    "/busy.rss",
    "/page.rss",
    "/entities.rss",
    "/escapes.rss",
]


def _slow(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    for _ in range(600):  # a byte every 0.1 s: a minute, unless the client gives up first
        handler.wfile.write(b"<")
        handler.wfile.flush()
        time.sleep(0.1)


def _endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    chunk = b"<item>" + b"x" * 65536
    for _ in range(100_000):  # ~6.5 GB, until the client stops reading
        handler.wfile.write(chunk)


def _loop(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(302)
    handler.send_header("Location", "/loop.rss")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def hostile_site(server: FixtureServer) -> FixtureServer:
    herne_site(server)
    server.behaviours.update({"/slow.rss": _slow, "/endless.rss": _endless, "/loop.rss": _loop})
    server.add("/bomb.rss", gzip.compress(b"\0" * (200 * 1024 * 1024)), "application/rss+xml")
    server.encodings["/bomb.rss"] = "gzip"
    server.add("/error.rss", "kaputt", status=500)
    server.add("/busy.rss", "später", status=429)
    server.add("/page.rss", "<html><body><h1>Wartung</h1></body></html>")
    server.add("/entities.rss", BILLION_LAUGHS, "application/rss+xml")
    server.add("/escapes.rss", ESCAPES, "application/rss+xml")
    return server


def hostile_urls(server: FixtureServer) -> list[str]:
    return [server.url(p) for p in [*HOSTILE_PATHS, FEED_PATH]]
