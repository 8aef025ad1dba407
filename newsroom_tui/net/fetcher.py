"""HTTP for feeds and article pages: one shared client, conditional GET, bounded everything."""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx

from newsroom_tui import USER_AGENT
from newsroom_tui.net import failure_lines as lines
from newsroom_tui.net.address_policy import AddressPolicy, AddressRefused
from newsroom_tui.net.bounded_decoding import (
    BrokenData,
    DecodedTooLarge,
    UnsupportedEncoding,
    read_bounded,
)
from newsroom_tui.net.checked_transport import CheckedTransport, checked_requests
from newsroom_tui.text.sanitize import clean_error

FEED_MAX_BYTES = 10 * 1024 * 1024
PAGE_MAX_BYTES = 5 * 1024 * 1024
# Requests in flight to one host at once (httpx limits only the whole pool): many feeds of one
# publisher are polled politely, and a slow host holds no more than this many slots.
PER_HOST = 4
# A Retry-After further ahead than this is taken as this: a server cannot switch a feed off.
MAX_RETRY_AFTER = timedelta(hours=24)


def _proxied() -> bool:
    """A proxy is set in the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY), which httpx
    uses as it is asked to."""
    import urllib.request

    return any(k in urllib.request.getproxies() for k in ("http", "https", "all"))


def default_policy() -> AddressPolicy:
    """The policy of a fetcher made without one (public addresses only)."""
    from newsroom_tui.net import address_policy

    return AddressPolicy.parse(address_policy.DEFAULT_POLICY_ENTRIES)


ERROR_CHARS = 300  # a failure's line at most (a TLS reason with its host fits)


class FetchError(Exception):
    """A failed request, explained in one line. ``network`` is True when we could not reach
    the server at all (DNS, refused, unreachable): the signs of being offline.
    ``retry_after`` is when a 429/503 answer asked us to come back (aware UTC).
    ``refused`` is True for a page named by content on an address we do not fetch from.
    ``offline`` is True when the reason may be this machine's and not the server's (network
    unreachable, no route, the name not resolved): a poll in which every feed fails so was
    made offline, and backs no feed off. It implies ``network``."""

    def __init__(
        self,
        message: str,
        *,
        network: bool = False,
        retry_after: datetime | None = None,
        refused: bool = False,
        offline: bool = False,
    ) -> None:
        # one clean line however it was made: a host, a reason phrase, a library's words may
        # come from the network (the feed's error is shown in the status line)
        super().__init__(clean_error(message, ERROR_CHARS))
        self.network = network or offline
        self.retry_after = retry_after
        self.refused = refused
        self.offline = offline


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """A Retry-After header (delay in seconds or an HTTP date) as an aware UTC time, at most
    :data:`MAX_RETRY_AFTER` from ``now``; None when absent or unreadable."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=min(int(value), MAX_RETRY_AFTER.total_seconds()))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return max(now, min(when.astimezone(UTC), now + MAX_RETRY_AFTER))


# An ETag or Last-Modified is kept (and sent back) only when it is plain visible ASCII of at
# most this many characters: httpx refuses to send anything else, and one refused value would
# fail every later poll of its feed.
VALIDATOR_MAX_CHARS = 1024
_VALIDATOR = re.compile(rf"[\x20-\x7e]{{1,{VALIDATOR_MAX_CHARS}}}")


def usable_validator(value: str | None) -> str | None:
    """``value`` when it can go back to the server in a conditional GET, else None."""
    if value and _VALIDATOR.fullmatch(value):
        return value
    return None


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    content: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    def __post_init__(self) -> None:
        # validators the server sent that could not be sent back are not kept
        object.__setattr__(self, "etag", usable_validator(self.etag))
        object.__setattr__(self, "last_modified", usable_validator(self.last_modified))

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# a host name (letters of any script, for IDNs), an IPv4 or an IPv6 address (no brackets)
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*\.?|[0-9a-f:.]+", re.IGNORECASE)


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host name (or address) and a
    valid port, else raise ValueError."""
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host) or not port_ok:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


class Fetcher:
    """Shared async HTTP client: a global concurrency limit and one per host.

    Requests for pages named by content (``get(..., named_by_content=True)``: entry pages,
    listing detail pages, images) go through a client of their own whose connections are
    opened only to addresses ``private_addresses`` allows (default: public ones only, see
    :mod:`newsroom_tui.net.address_policy`); the subscriptions a user typed use the other."""

    def __init__(
        self,
        *,
        concurrency: int = 16,
        timeout: float = 15.0,
        deadline: float = 30.0,
        max_redirects: int = 5,
        per_host: int = PER_HOST,
        transport: httpx.AsyncBaseTransport | None = None,
        private_addresses: AddressPolicy | None = None,
    ) -> None:
        self._deadline = deadline
        self._timeout = timeout
        self._max_redirects = max_redirects
        self._semaphore = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._policy = private_addresses or default_policy()
        self._open(concurrency, transport)

    @property
    def policy(self) -> AddressPolicy:
        """The addresses pages named by content are fetched from."""
        return self._policy

    def _open(self, concurrency: int, transport: httpx.AsyncBaseTransport | None) -> None:
        """The two clients: one for subscriptions, one for pages named by content."""
        timeout, max_redirects, policy = self._timeout, self._max_redirects, self._policy
        context = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        settings: dict[str, Any] = {
            "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            "timeout": httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            "follow_redirects": True,
            "max_redirects": max_redirects,
        }
        self._client = httpx.AsyncClient(
            verify=context, limits=limits, transport=transport, **settings
        )
        # a test's in-memory transport reaches no address: one client is enough
        self._content_client = self._client
        if transport is None and _proxied():  # the proxy connects: each host judged before
            hooks = {"request": [checked_requests(policy)]}
            self._content_client = httpx.AsyncClient(
                verify=context, limits=limits, event_hooks=hooks, **settings
            )
        elif transport is None:
            checked = CheckedTransport(
                policy, ssl_context=context, max_connections=concurrency, max_keepalive=concurrency
            )
            self._content_client = httpx.AsyncClient(transport=checked, **settings)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()
        if self._content_client is not self._client:
            await self._content_client.aclose()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int = FEED_MAX_BYTES,
        accept: str = "*/*",
        named_by_content: bool = False,
    ) -> FetchResult:
        """GET ``url``; a 304 comes back as a result, every other failure as FetchError.
        ``named_by_content``: a page a feed or page named, not a subscription the user typed:
        fetched only from the addresses the policy allows, after redirects too."""
        headers = {"Accept": accept}
        etag, last_modified = usable_validator(etag), usable_validator(last_modified)
        if etag:  # (a cache written before the rule may hold one that is not usable)
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = (urlsplit(url).hostname or "").lower()
        # The host's slot first, then a global one: a request waiting for a busy host does
        # not hold a slot other hosts could use.
        async with self._host_slot(host), self._semaphore:
            try:
                async with asyncio.timeout(self._deadline):
                    return await self._request(url, headers, max_bytes, named_by_content)
            except AddressRefused as exc:
                raise FetchError(str(exc), refused=True) from None
            except TimeoutError:
                raise FetchError(lines.deadline(self._deadline)) from None
            except httpx.TooManyRedirects:
                raise FetchError(lines.too_many_redirects(self._max_redirects)) from None
            except httpx.ConnectTimeout:
                raise FetchError(lines.connect_timeout(host or url), network=True) from None
            except httpx.TimeoutException:
                raise FetchError(lines.read_timeout(self._timeout)) from None
            except httpx.ConnectError as exc:
                raise connect_error(exc, host) from None
            except httpx.InvalidURL as exc:  # a control character, a URL of 100,000 characters
                raise FetchError(f"not a usable URL: {clean_error(str(exc))[:120]}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"network error: {_reason(exc)}") from None

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self._per_host)
        return slot

    async def _request(
        self, url: str, headers: dict[str, str], max_bytes: int, named_by_content: bool
    ) -> FetchResult:
        """One GET within the slots and the deadline :meth:`get` holds; FetchError, or
        httpx's exceptions, which :meth:`get` turns into one."""
        client = self._content_client if named_by_content else self._client
        return await self._get(client, url, headers, max_bytes)

    async def _get(
        self, client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int
    ) -> FetchResult:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                # A 304 has no body (h11 reads none whatever the headers say); reading its
                # end puts the connection back in the pool instead of closing it.
                await response.aread()
                return FetchResult(str(response.url), 304, b"")
            if response.status_code >= 400:
                retry_after = None
                if response.status_code in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                raise FetchError(
                    status_line(response.status_code, response.reason_phrase),
                    retry_after=retry_after,
                )
            content = await _read_body(response, max_bytes)
            return FetchResult(
                url=str(response.url),
                status=response.status_code,
                content=content,
                content_type=response.headers.get("content-type"),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, decoded by us from the raw stream so that no more than ``max_bytes`` are ever
    inflated (httpx's own decoders inflate a whole chunk at once)."""
    try:
        return await read_bounded(response, max_bytes)
    except DecodedTooLarge:
        raise FetchError(lines.too_large(max_bytes)) from None
    except BrokenData as exc:
        raise FetchError(str(exc)[:200]) from None
    except UnsupportedEncoding as exc:
        raise FetchError(f"unsupported content encoding: {exc}"[:200]) from None


def status_line(code: int, reason: str) -> str:
    """The status line, e.g. "HTTP 503 Service Unavailable": the server's reason phrase, cleaned
    (it is network text), or the standard one."""
    cleaned = clean_error(reason, 60)
    if not cleaned:
        try:
            cleaned = HTTPStatus(code).phrase
        except ValueError:
            cleaned = ""
    return f"HTTP {code} {cleaned}".strip()


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from (httpx wraps httpcore wraps OSError)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def connect_error(exc: httpx.ConnectError, host: str) -> FetchError:
    """A failed connection, by kind: name resolution, TLS, refused, no network, anything else
    (the words of :mod:`~newsroom_tui.net.failure_lines`, as the curl fetcher's)."""
    causes = _causes(exc)
    text = " ".join(str(c) for c in causes)
    where = host or "the server"
    if any(isinstance(c, socket.gaierror) for c in causes) or (
        "Name or service not known" in text or "nodename nor servname" in text
    ):
        return FetchError(lines.dns_failure(where), offline=True)
    tls = next((c for c in causes if isinstance(c, ssl.SSLError)), None)
    if tls is not None or "[SSL" in text or "CERTIFICATE_VERIFY_FAILED" in text:
        reason = getattr(tls, "verify_message", None) or getattr(tls, "reason", None)
        return FetchError(lines.tls_failure(where, str(reason or _reason(exc))))
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in text.lower():
        return FetchError(lines.refused(where), network=True)
    # anyio says "All connection attempts failed" from the last attempt's OSError
    code = next((c.errno for c in causes if isinstance(c, OSError) and c.errno), 0)
    if code:
        return connect_failure(where, code, "")
    return FetchError(f"cannot connect to {where}: {_reason(exc)}", network=True)


def connect_failure(host: str, os_errno: int, message: str) -> FetchError:
    """A failed connect() by the system's error behind it (and its ``message``): refused, no
    network, anything else. The curl fetcher's "could not connect" too (libcurl's own text,
    "Failed to connect to … after 0 ms", says nothing more)."""
    if os_errno == errno.ECONNREFUSED or "refused" in message.lower():
        return FetchError(lines.refused(host), network=True)
    if os_errno in lines.UNREACHABLE_ERRNOS:
        return FetchError(lines.unreachable(host, os_errno), offline=True)
    return FetchError(lines.cannot_connect(host, os_errno), network=True)


def _reason(exc: Exception) -> str:
    return clean_error(str(exc).strip() or type(exc).__name__)
