"""The :class:`~newsroom_tui.net.fetcher.Fetcher` of a poll with libcurl (pycurl): its multi
interface driven by the asyncio loop (each socket watched by the loop, no thread), connections
kept per host, HTTP/2 where the server has it, decompression in C.

Every rule of the httpx fetcher holds: the size cap while streaming (the body is counted as
curl inflates it, a chunk at a time, and the transfer stopped past the cap), the total
deadline, the per-host and global limits, redirects followed here one hop at a time and capped,
conditional GET, Retry-After, and the address policy for pages named by content: those go
through a multi handle of their own (its connections are never shared with the
subscriptions'). Each hop's host is resolved and judged before its request (one address
that is not allowed refuses it, as in the httpx fetcher), and every socket is opened by
:meth:`_Transfer.open_socket` only to an address the policy allows, the address curl resolved
and is about to connect to, so a DNS answer that changes in between cannot bring in a private
address. Behind a proxy (which connects for us) only the first check is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import urllib.request
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import httpx
import pycurl

from newsroom_tui import USER_AGENT
from newsroom_tui.net import failure_lines as lines
from newsroom_tui.net.address_policy import AddressPolicy, AddressRefused
from newsroom_tui.net.checked_transport import refuse_if_not_allowed
from newsroom_tui.net.fetcher import (
    Fetcher,
    FetchError,
    FetchResult,
    check_url,
    connect_failure,
    parse_retry_after,
    status_line,
)
from newsroom_tui.text.sanitize import clean_error

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# the encodings curl inflates for us (as the httpx fetcher asks for: gzip and deflate)
ACCEPT_ENCODING = "gzip, deflate"
_DECODED = frozenset({"gzip", "x-gzip", "deflate", "identity"})
_TLS_ERRORS = frozenset(
    getattr(pycurl, name)
    for name in (
        "E_SSL_CONNECT_ERROR",
        "E_PEER_FAILED_VERIFICATION",
        "E_SSL_CERTPROBLEM",
        "E_SSL_CIPHER",
        "E_SSL_CACERT_BADFILE",
        "E_SSL_ISSUER_ERROR",
        "E_SSL_PINNEDPUBKEYNOTMATCH",
        "E_SSL_INVALIDCERTSTATUS",
        "E_SSL_CRL_BADFILE",
        "E_SSL_SHUTDOWN_FAILED",
        "E_SSL_ENGINE_NOTFOUND",
        "E_SSL_ENGINE_SETFAILED",
        "E_SSL_ENGINE_INITFAILED",
        "E_USE_SSL_FAILED",
    )
    if hasattr(pycurl, name)
)


class CurlFetcher(Fetcher):
    """A :class:`Fetcher` whose requests go through libcurl's multi interface.

    ``connect_to`` ("127.0.0.1:8080") sends every connection there whatever the URL's host
    (the Host header and the URL stay): a loopback server standing in for the network, as an
    httpx transport does for the httpx fetcher."""

    def __init__(self, *, connect_to: str | None = None, **settings: Any) -> None:
        self._connect_to = connect_to
        super().__init__(**settings)

    def _open(self, concurrency: int, transport: object | None) -> None:
        if transport is not None:
            raise TypeError("the curl fetcher takes no httpx transport (see connect_to)")
        self._concurrency = concurrency
        self._multis: dict[bool, _Multi] = {}  # by named_by_content, made in the loop

    async def aclose(self) -> None:
        for multi in self._multis.values():
            multi.close()
        self._multis.clear()

    def _multi(self, named_by_content: bool) -> _Multi:
        multi = self._multis.get(named_by_content)
        loop = asyncio.get_running_loop()
        if multi is None or multi.loop is not loop:  # (a fetcher used by a second loop)
            if multi is not None:
                multi.close()
            multi = self._multis[named_by_content] = _Multi(loop, self._concurrency)
        return multi

    async def _request(
        self, url: str, headers: dict[str, str], max_bytes: int, named_by_content: bool
    ) -> FetchResult:
        url = _wire_url(url)
        proxy = _proxy_for(url)
        for _ in range(self._max_redirects + 1):
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            judge = named_by_content and not self._policy.allows_host(host)
            if judge:  # every address of the host judged first, as the httpx fetcher does;
                # then each socket curl opens (without a proxy, which connects for us)
                port = parts.port or (443 if parts.scheme == "https" else 80)
                with contextlib.suppress(OSError):  # a name we cannot resolve: curl says so
                    await refuse_if_not_allowed(self._policy, host, port)
            transfer = _Transfer(
                url,
                headers,
                max_bytes,
                timeout=self._timeout,
                policy=self._policy if judge and proxy is None else None,
                proxy=proxy,
                connect_to=self._connect_to,
            )
            await self._multi(named_by_content).run(transfer)
            status = transfer.status
            location = transfer.headers.get("location")
            if status in _REDIRECTS and location:
                url = _redirect_target(url, location)
                proxy = _proxy_for(url)
                continue
            return transfer.result()
        raise FetchError(lines.too_many_redirects(self._max_redirects))


def _wire_url(url: str) -> str:
    """``url`` as it goes on the wire, as httpx writes it: a host name of another script in
    IDNA ("xn--"), the path's other characters percent-encoded. httpx.InvalidURL for one that
    cannot be written so (the fetcher's "not a usable URL")."""
    return str(httpx.URL(url))


def _redirect_target(url: str, location: str) -> str:
    target = urljoin(url, location.strip())
    try:
        return _wire_url(check_url(target))
    except (ValueError, httpx.InvalidURL):
        raise FetchError(
            f"redirect to a URL that is not http(s): {clean_error(target, 120)}"
        ) from None


def _proxy_for(url: str) -> str | None:
    """The proxy the environment names for ``url`` (as httpx takes it), or None."""
    proxies = urllib.request.getproxies()
    if not proxies:
        return None
    host = urlsplit(url).hostname or ""
    if urllib.request.proxy_bypass(host):
        return None
    return proxies.get(urlsplit(url).scheme) or proxies.get("all")


class _Transfer:
    """One request of one hop: its curl handle, the answer's head and the body as it comes."""

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
        *,
        timeout: float,
        policy: AddressPolicy | None,
        proxy: str | None,
        connect_to: str | None,
    ) -> None:
        self.url = url
        self.host = (urlsplit(url).hostname or "").lower()
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.policy = policy
        self.status = 0
        self.reason = ""
        self.headers: dict[str, str] = {}
        self.size = 0
        self.chunks: list[bytes] = []
        self.too_large = False
        self.unsupported: str | None = None  # a Content-Encoding we did not ask for
        self.refused: str | None = None
        self.error: FetchError | None = None
        self.future: asyncio.Future[None] | None = None
        curl = self.curl = pycurl.Curl()
        curl.setopt(pycurl.URL, url)
        curl.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        curl.setopt(pycurl.NOSIGNAL, 1)
        curl.setopt(pycurl.USERAGENT, USER_AGENT)
        curl.setopt(pycurl.HTTPHEADER, [f"{k}: {v}" for k, v in headers.items()])
        curl.setopt(pycurl.ACCEPT_ENCODING, ACCEPT_ENCODING)
        curl.setopt(pycurl.CAINFO, certifi.where())
        curl.setopt(pycurl.CONNECTTIMEOUT_MS, int(min(timeout, 10.0) * 1000))
        # no byte for ``timeout`` seconds: as httpx's read timeout
        curl.setopt(pycurl.LOW_SPEED_LIMIT, 1)
        curl.setopt(pycurl.LOW_SPEED_TIME, max(1, round(timeout)))
        curl.setopt(pycurl.WRITEFUNCTION, self._write)
        curl.setopt(pycurl.HEADERFUNCTION, self._header)
        curl.setopt(pycurl.PROXY, proxy or "")
        if connect_to is not None:
            curl.setopt(pycurl.CONNECT_TO, [f"::{connect_to}"])
        if policy is not None:
            curl.setopt(pycurl.OPENSOCKETFUNCTION, self.open_socket)

    def open_socket(self, purpose: int, address: Any) -> Any:
        """A socket for curl's connection to ``address`` when the policy allows it, else
        none (curl tries its next address, if any)."""
        family, socktype, protocol, sockaddr = address
        assert self.policy is not None
        try:
            judged = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        except (ValueError, IndexError, TypeError):  # a Unix socket: never
            self.refused = "refused: link to a local socket"
            return pycurl.SOCKET_BAD
        reason = self.policy.refusal(judged)
        if reason is not None:
            self.refused = self.refused or f"refused: {reason}"
            return pycurl.SOCKET_BAD
        return socket.socket(family, socktype, protocol)

    def _write(self, data: bytes) -> int | None:
        self.size += len(data)
        if self.size > self.max_bytes:
            self.too_large = True
            return 0  # curl stops the transfer
        self.chunks.append(data)
        return None

    def _header(self, line: bytes) -> int | None:
        try:  # network text: as httpx decodes a header (ASCII, UTF-8, else Latin-1)
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = line.decode("iso-8859-1")
        text = text.rstrip("\r\n")
        if text.startswith("HTTP/"):  # a new answer (after a 100 Continue): a new head
            parts = text.split(" ", 2)
            self.status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            self.reason = parts[2] if len(parts) > 2 else ""
            self.headers = {}
            return None
        name, colon, value = text.partition(":")
        if colon:
            key = name.strip().lower()
            self.headers.setdefault(key, value.strip())
            if key == "content-encoding" and 200 <= self.status < 300 and not _decoded(value):
                self.unsupported = value.strip()
                return 0  # curl stops the transfer: no byte of it inflated
        return None

    def result(self) -> FetchResult:
        """The answer, or FetchError for a status of 400 or more."""
        status = self.status
        if status == 304:
            return FetchResult(self.url, 304, b"")
        if status >= 400:
            retry_after = None
            if status in (429, 503):
                retry_after = parse_retry_after(self.headers.get("retry-after"))
            raise FetchError(status_line(status, self.reason), retry_after=retry_after)
        return FetchResult(
            url=self.url,
            status=status,
            content=b"".join(self.chunks),
            content_type=self.headers.get("content-type"),
            etag=self.headers.get("etag"),
            last_modified=self.headers.get("last-modified"),
        )

    def failed(self, code: int, message: str) -> FetchError | AddressRefused:
        """The one line for curl's error ``code``."""
        host = self.host or "the server"
        if self.refused is not None:
            return AddressRefused(self.refused)
        if self.too_large or code == pycurl.E_FILESIZE_EXCEEDED:
            return FetchError(lines.too_large(self.max_bytes))
        if code == pycurl.E_COULDNT_RESOLVE_HOST:
            return FetchError(lines.dns_failure(host), offline=True)
        if code == pycurl.E_COULDNT_CONNECT:
            return connect_failure(host, self.curl.getinfo(pycurl.OS_ERRNO), message)
        if code == pycurl.E_OPERATION_TIMEDOUT:
            if not self.status and "connect" in message.lower():
                return FetchError(lines.connect_timeout(host), network=True)
            return FetchError(lines.read_timeout(self.timeout))
        if code in _TLS_ERRORS:
            return FetchError(lines.tls_failure(host, message))
        if self.unsupported is not None:
            return FetchError(
                f"unsupported content encoding: {clean_error(self.unsupported)}"[:200]
            )
        if code == pycurl.E_BAD_CONTENT_ENCODING:
            encoding = clean_error(self.headers.get("content-encoding", ""), 40)
            return FetchError(f"broken {encoding} data: {clean_error(message)}"[:200])
        if code in (pycurl.E_URL_MALFORMAT, pycurl.E_UNSUPPORTED_PROTOCOL):
            return FetchError(f"not a usable URL: {clean_error(message)[:120]}")
        return FetchError(f"network error: {clean_error(message) or f'curl error {code}'}")


def _decoded(content_encoding: str) -> bool:
    """Whether curl is to inflate a body of this Content-Encoding: one of the encodings asked
    for (as the httpx fetcher's decoder, which refuses the others and stacked ones)."""
    names = [e.strip().lower() for e in content_encoding.split(",") if e.strip()]
    names = [e for e in names if e != "identity"]
    return len(names) <= 1 and all(e in _DECODED for e in names)


class _Multi:
    """A curl multi handle (its own connections) whose sockets and timer the asyncio loop
    drives: curl says which socket to watch for what, the loop tells curl when one is ready."""

    def __init__(self, loop: asyncio.AbstractEventLoop, concurrency: int) -> None:
        self.loop = self._loop = loop
        self._multi = pycurl.CurlMulti()
        self._multi.setopt(pycurl.M_SOCKETFUNCTION, self._on_socket)
        self._multi.setopt(pycurl.M_TIMERFUNCTION, self._on_timer)
        self._multi.setopt(pycurl.M_MAX_TOTAL_CONNECTIONS, concurrency)
        self._multi.setopt(pycurl.M_MAXCONNECTS, concurrency * 2)
        self._timer: asyncio.TimerHandle | None = None
        self._watched: dict[int, int] = {}
        self._running: dict[pycurl.Curl, _Transfer] = {}

    async def run(self, transfer: _Transfer) -> None:
        """Perform ``transfer``; FetchError (or AddressRefused) when it fails."""
        future: asyncio.Future[None] = self._loop.create_future()
        transfer.future = future
        self._running[transfer.curl] = transfer
        self._multi.add_handle(transfer.curl)
        try:
            await future
        finally:
            if self._running.pop(transfer.curl, None) is not None:  # cancelled: taken out
                self._multi.remove_handle(transfer.curl)
            transfer.curl.close()

    def _on_socket(self, event: int, fd: int, multi: Any, data: Any) -> None:
        loop = self._loop
        if fd in self._watched:
            loop.remove_reader(fd)
            loop.remove_writer(fd)
            del self._watched[fd]
        if event == pycurl.POLL_REMOVE:
            return
        if event in (pycurl.POLL_IN, pycurl.POLL_INOUT):
            loop.add_reader(fd, self._action, fd, pycurl.CSELECT_IN)
        if event in (pycurl.POLL_OUT, pycurl.POLL_INOUT):
            loop.add_writer(fd, self._action, fd, pycurl.CSELECT_OUT)
        self._watched[fd] = event

    def _on_timer(self, timeout_ms: int) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if timeout_ms >= 0:  # (never act from inside curl's own call: from the loop)
            self._timer = self._loop.call_later(
                timeout_ms / 1000, self._action, pycurl.SOCKET_TIMEOUT, 0
            )

    def _action(self, fd: int, event: int) -> None:
        while True:
            code, _ = self._multi.socket_action(fd, event)
            if code != pycurl.E_CALL_MULTI_PERFORM:
                break
        self._finished()

    def _finished(self) -> None:
        while True:
            queued, done, failed = self._multi.info_read()
            for curl in done:
                self._settle(curl, None)
            for curl, code, message in failed:
                self._settle(curl, (code, message))
            if not queued:
                return

    def _settle(self, curl: pycurl.Curl, error: tuple[int, str] | None) -> None:
        transfer = self._running.pop(curl, None)
        self._multi.remove_handle(curl)
        if transfer is None or transfer.future is None or transfer.future.done():
            return
        if error is None:
            transfer.future.set_result(None)
        else:
            transfer.future.set_exception(transfer.failed(*error))

    def close(self) -> None:
        for curl, transfer in list(self._running.items()):
            self._multi.remove_handle(curl)
            if transfer.future is not None and not transfer.future.done():
                transfer.future.cancel()
        self._running.clear()
        if not self._loop.is_closed():
            for fd in list(self._watched):
                self._loop.remove_reader(fd)
                self._loop.remove_writer(fd)
        self._watched.clear()
        if self._timer is not None:
            self._timer.cancel()
        # what curl says while it closes its connections is for no loop any more
        self._multi.setopt(pycurl.M_SOCKETFUNCTION, _ignored)
        self._multi.setopt(pycurl.M_TIMERFUNCTION, _ignored)
        self._multi.close()


def _ignored(*args: object) -> None:
    return None
