"""HTTP for feeds and article pages: one shared client, conditional GET, bounded everything."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from newsroom_tui import USER_AGENT

FEED_MAX_BYTES = 10 * 1024 * 1024
PAGE_MAX_BYTES = 5 * 1024 * 1024


class FetchError(Exception):
    """A failed request, explained in one line. ``network`` is True when we could not reach
    the server at all (DNS, refused, unreachable): the signs of being offline."""

    def __init__(self, message: str, *, network: bool = False) -> None:
        super().__init__(message)
        self.network = network


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    content: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


class Fetcher:
    """Shared async HTTP client with a global concurrency limit."""

    def __init__(
        self,
        *,
        concurrency: int = 16,
        timeout: float = 20.0,
        deadline: float = 60.0,
        max_redirects: int = 5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._deadline = deadline
        self._semaphore = asyncio.Semaphore(concurrency)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            max_redirects=max_redirects,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            transport=transport,
        )

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

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int = FEED_MAX_BYTES,
        accept: str = "*/*",
    ) -> FetchResult:
        """GET ``url``; a 304 comes back as a result, every other failure as FetchError."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._semaphore:
            try:
                async with asyncio.timeout(self._deadline):
                    return await self._get(url, headers, max_bytes)
            except TimeoutError:
                raise FetchError(f"no complete answer within {self._deadline:.0f} s") from None
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects") from None
            except httpx.TimeoutException:
                raise FetchError("timed out") from None
            except httpx.ConnectError as exc:
                raise FetchError(f"cannot connect: {_reason(exc)}", network=True) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"network error: {_reason(exc)}") from None

    async def _get(self, url: str, headers: dict[str, str], max_bytes: int) -> FetchResult:
        async with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return FetchResult(str(response.url), 304, b"")
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"too large (over {max_bytes // (1024 * 1024)} MB)")
                chunks.append(chunk)
            return FetchResult(
                url=str(response.url),
                status=response.status_code,
                content=b"".join(chunks),
                content_type=response.headers.get("content-type"),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
