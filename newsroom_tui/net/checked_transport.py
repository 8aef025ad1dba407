"""Connections only to the addresses an :class:`AddressPolicy` allows, for httpx.

The check is made where the connection is made: each host name is resolved, every address
judged, and the connection opened to an address that passed, so a DNS answer that changes
between the check and the connection (rebinding) reaches nothing, and every redirect hop is a
connection of its own and judged the same way. httpx's own transport takes no network
backend, so this one drives httpcore's connection pool (HTTP/1.1) with one that checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import Any

import httpcore
import httpx

from newsroom_tui.net.address_policy import Address, AddressPolicy, AddressRefused


async def resolved(host: str, port: int) -> list[Address]:
    """The addresses of ``host`` (a name or an address), in the resolver's order."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[Address] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


async def refuse_if_not_allowed(policy: AddressPolicy, host: str, port: int) -> list[Address]:
    """The addresses of ``host``; AddressRefused when one of them is not allowed."""
    addresses = await resolved(host, port)
    if not policy.allows_host(host):
        for address in addresses:
            reason = policy.refusal(address)
            if reason is not None:
                raise AddressRefused(f"refused: {reason}")
    return addresses


def checked_requests(policy: AddressPolicy) -> Any:
    """An httpx request hook judging each request's host (every redirect hop is a request)
    for a client that connects through a proxy: the proxy connects, so the address cannot
    be held to the one judged, as :class:`CheckedTransport` does without one."""

    async def check(request: httpx.Request) -> None:
        url = request.url
        if policy.allows_host(url.host):  # its addresses are not judged: nothing to resolve
            return
        port = url.port or _PORTS.get(url.scheme, 80)
        with contextlib.suppress(OSError):  # a name we cannot resolve: the proxy may
            await refuse_if_not_allowed(policy, url.host, port)

    return check


_PORTS = {"http": 80, "https": 443}


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    """Opens connections only to addresses the policy allows, to the address it judged."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await refuse_if_not_allowed(self._policy, host, port)
        except OSError as exc:  # DNS failure: reported as by the plain client
            raise httpcore.ConnectError(str(exc)) from exc
        last: Exception | None = None
        for address in addresses:  # e.g. IPv6 first on a network that has none: the next
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("refused: link to a local socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# httpcore's exceptions as httpx raises them (what the fetcher catches): each has the same
# name in both, most specific first
_ERRORS: Sequence[tuple[type[Exception], type[httpx.TransportError]]] = tuple(
    (getattr(httpcore, name), getattr(httpx, name))
    for name in (
        "ConnectTimeout",
        "ReadTimeout",
        "WriteTimeout",
        "PoolTimeout",
        "TimeoutException",
        "ConnectError",
        "ReadError",
        "WriteError",
        "NetworkError",
        "RemoteProtocolError",
        "LocalProtocolError",
        "ProtocolError",
        "UnsupportedProtocol",
    )
)


@contextlib.contextmanager
def _as_httpx(request: httpx.Request) -> Iterator[None]:
    """httpcore's exceptions raised inside, raised again as httpx's."""
    try:
        yield
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc), request=request) from exc
        raise


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: Any, request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx(self._request):
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        if hasattr(self._stream, "aclose"):
            await self._stream.aclose()


class CheckedTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose every connection goes through the policy (HTTP/1.1)."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        ssl_context: ssl.SSLContext,
        max_connections: int,
        max_keepalive: int,
    ) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive,
            keepalive_expiry=5.0,
            network_backend=_CheckedBackend(policy),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx(request):
            response = await self._pool.handle_async_request(core)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
