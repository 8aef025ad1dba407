"""The same failure reads the same under either fetcher: the one-line reasons README's
"Failure handling" documents, from the httpx fetcher and the libcurl one alike."""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Awaitable, Callable
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from newsroom_tui.net.failure_lines import tls_failure
from newsroom_tui.net.fetcher import Fetcher, FetchError
from tests.fetcher_kinds import KINDS, fetcher_of, handled
from tests.fixture_server import FixtureServer

each_fetcher = pytest.mark.parametrize("kind", KINDS)
Provoke = Callable[[str, FixtureServer], Awaitable[FetchError]]


async def _failed(fetcher: Fetcher, url: str, **options: int) -> FetchError:
    async with fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(url, **options)  # type: ignore[arg-type]
    return info.value


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed when the block ends: nobody listens


async def refused(kind: str, server: FixtureServer) -> FetchError:
    return await _failed(fetcher_of(kind), f"http://127.0.0.1:{_closed_port()}/feed.rss")


async def unreachable(kind: str, server: FixtureServer) -> FetchError:
    # connect() to the broadcast address fails at once with ENETUNREACH: no packet leaves
    return await _failed(fetcher_of(kind), "http://255.255.255.255:8799/feed.rss")


async def silent(kind: str, server: FixtureServer) -> FetchError:
    def never_answers(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)

    server.behaviours["/still.rss"] = never_answers
    return await _failed(fetcher_of(kind, timeout=1), server.url("/still.rss"))


async def tls(kind: str, server: FixtureServer) -> FetchError:
    https = server.base.replace("http://", "https://")  # a plain HTTP server speaks no TLS
    return await _failed(fetcher_of(kind), https + "/feed.rss")


async def too_large(kind: str, server: FixtureServer) -> FetchError:
    server.add("/gross.rss", b"<rss>" + b"x" * (2 * 1024 * 1024), "application/rss+xml")
    return await _failed(fetcher_of(kind), server.url("/gross.rss"), max_bytes=1024 * 1024)


async def redirect_loop(kind: str, server: FixtureServer) -> FetchError:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": str(request.url)})

    async with handled(kind, loop) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("http://www.herne.de/presse/feed.rss")
    return info.value


async def dns_failure(kind: str, server: FixtureServer) -> FetchError:
    """The name not resolved, as each library reports it (no resolver is asked)."""
    if kind == "curl":
        import pycurl

        from newsroom_tui.net.curl_fetcher import _Transfer

        transfer = _Transfer(
            "http://www.herne.de/feed.rss",
            {},
            1024,
            timeout=5,
            policy=None,
            proxy=None,
            connect_to=None,
        )
        error = transfer.failed(
            pycurl.E_COULDNT_RESOLVE_HOST, "Could not resolve host: www.herne.de"
        )
        transfer.curl.close()
        assert isinstance(error, FetchError)
        return error
    gai = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def handler(request: httpx.Request) -> httpx.Response:
        try:
            raise gai
        except OSError as exc:
            raise httpx.ConnectError(str(exc)) from exc

    async with handled(kind, handler) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("http://www.herne.de/feed.rss")
    return info.value


# (how the failure is made, its line, whether it may be this machine's network)
TABLE: list[tuple[Provoke, str, bool]] = [
    (refused, "cannot connect: connection refused by 127.0.0.1", False),
    (unreachable, "cannot connect: network unreachable for 255.255.255.255", True),
    (silent, "timed out: no data from the server for 1 s", False),
    (tls, "TLS failure with 127.0.0.1: wrong version number", False),
    (too_large, "too large (over 1 MB)", False),
    (redirect_loop, "too many redirects (more than 5; a redirect loop?)", False),
    (dns_failure, "DNS failure: cannot resolve www.herne.de", True),
]


@each_fetcher
@pytest.mark.parametrize(
    ("provoke", "line", "offline"), TABLE, ids=[p.__name__ for p, _, _ in TABLE]
)
async def test_one_documented_line_per_failure(
    kind: str, provoke: Provoke, line: str, offline: bool, server: FixtureServer
) -> None:
    error = await provoke(kind, server)
    assert str(error) == line
    assert error.offline is offline
    assert not offline or error.network  # a machine offline reaches no server either


@pytest.mark.parametrize(
    ("said", "reason"),
    [
        ("WRONG_VERSION_NUMBER", "wrong version number"),  # Python's ssl
        (
            "TLS connect error: error:0A00010B:SSL routines::wrong version number",  # libcurl
            "wrong version number",
        ),
        ("SSL certificate problem: certificate has expired", "certificate has expired"),
        ("certificate has expired", "certificate has expired"),  # ssl's verify_message
        ("\x1b]0;pwned\x07", "handshake failed"),  # network text: never control codes
    ],
)
def test_tls_reasons_read_the_same(said: str, reason: str) -> None:
    assert tls_failure("www.herne.de", said) == f"TLS failure with www.herne.de: {reason}"


def test_an_unknown_connect_error_says_the_systems_words() -> None:
    pytest.importorskip("pycurl")
    from newsroom_tui.net.curl_fetcher import connect_failure

    error = connect_failure("www.herne.de", errno.ECONNRESET, "Failed to connect after 0 ms")
    assert str(error).startswith("cannot connect to www.herne.de: ")
    assert "Failed to connect" not in str(error) and not error.offline and error.network


def test_a_failure_line_never_carries_a_control_code() -> None:
    """The host in a failure's words comes from the URL fetched, a redirect's too: whatever
    it holds, the line stored as the feed's error (and shown in the status line) is one
    clean line."""
    from newsroom_tui.net import failure_lines as lines
    from newsroom_tui.net.fetcher import connect_failure

    host = "ev\x1b]52;c;cm0gLXJmIH4=\x07il.example\x9b31m\n[red]x"
    made = [
        FetchError(lines.dns_failure(host)),
        FetchError(lines.tls_failure(host, "bad\x1b[2J certificate")),
        connect_failure(host, errno.ECONNREFUSED, ""),
        connect_failure(host, errno.ENETUNREACH, ""),
        connect_failure(host, errno.EACCES, ""),
    ]
    for error in made:
        text = str(error)
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text), repr(text)
        assert "\n" not in text and "il.example" in text
