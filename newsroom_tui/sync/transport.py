"""HTTP for the sync: one client per account, bounded answers, errors in one line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from newsroom_tui import USER_AGENT
from newsroom_tui.errors import NewsroomError
from newsroom_tui.net.bounded_decoding import DecodedTooLarge, UnsupportedEncoding, read_bounded
from newsroom_tui.net.fetcher import connect_error
from newsroom_tui.text.sanitize import clean_error

# No answer of a sync server may be larger than this (100 items' contents, 1,000 ids, a list
# of subscriptions); a larger one fails the sync rather than fill the memory.
ANSWER_MAX_BYTES = 32 * 1024 * 1024


class SyncError(NewsroomError):
    """A sync that failed, in one line; nothing in the cache or the outbox was changed by it.
    ``network`` is True when the server could not be reached at all; ``offline`` when the
    reason may be this machine's (no network, no route, no name resolved; see FetchError)."""

    def __init__(self, message: str, *, network: bool = False, offline: bool = False) -> None:
        super().__init__(message)
        self.network = network or offline
        self.offline = offline

    def begun_with(self, prefix: str) -> SyncError:
        """This failure, its line begun with ``prefix``; its kind (LoginFailed, NotAnApi) and
        what it says of the network are kept."""
        self.args = (f"{prefix}{self}",)
        return self


class LoginFailed(SyncError):
    """The server refused the account's name, password or key (a 401 after logging in again)."""

    exit_code = 2


class NotAnApi(SyncError):
    """The address answers, but not as the API asked for; ``detail`` is what came instead
    ("HTTP 404 Not Found, text/html")."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


async def gather(*steps: Awaitable[Any]) -> list[Any]:
    """The steps' results, run at once; the first SyncError ends them all and is raised as
    itself (not in an ExceptionGroup)."""
    tasks: list[asyncio.Task[Any]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_awaited(step)) for step in steps]
    except* SyncError as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]


async def _awaited(step: Awaitable[Any]) -> Any:
    return await step


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self, what: str) -> Any:
        """The body as JSON; SyncError "… answered <what> with something that is not JSON"."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            raise SyncError(f"the server answered {what} with something that is not JSON") from None

    def status_line(self) -> str:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = ""
        return f"HTTP {self.status} {reason}".strip()


class SyncHttp:
    """An httpx client with the house rules: time limits, bounded bodies, one-line errors."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = ANSWER_MAX_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._timeout = timeout
        self.max_bytes = max_bytes
        self._client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            max_redirects=5,
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
            transport=transport,
        )

    async def __aenter__(self) -> SyncHttp:
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

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        params: list[tuple[str, str]] | None = None,
        data: list[tuple[str, str]] | None = None,
        json_body: object = None,
    ) -> Answer:
        """One request; any status comes back as an :class:`Answer` (the caller knows what a
        401 means), every failure to get a whole answer as :class:`SyncError`."""
        host = urlsplit(url).hostname or url
        kwargs: dict[str, Any] = {"headers": headers, "params": params}
        if data is not None:
            kwargs["content"] = urlencode(data).encode("ascii")
            kwargs["headers"] = {
                **(headers or {}),
                "Content-Type": "application/x-www-form-urlencoded",
            }
        elif json_body is not None:
            kwargs["json"] = json_body
        try:
            async with self._client.stream(method, url, **kwargs) as response:
                body = await self._read(response)
                return Answer(response.status_code, response.headers, body, str(response.url))
        except httpx.TooManyRedirects:
            raise SyncError(f"too many redirects from {host}") from None
        except httpx.ConnectTimeout:
            raise SyncError(f"timed out connecting to {host}", network=True) from None
        except httpx.TimeoutException:
            raise SyncError(f"timed out: no data from {host} for {self._timeout:.0f} s") from None
        except httpx.ConnectError as exc:
            failed = connect_error(exc, host)
            raise SyncError(str(failed), network=True, offline=failed.offline) from None
        except httpx.InvalidURL as exc:
            raise SyncError(f"not a usable URL: {clean_error(str(exc), 120)}") from None
        except httpx.HTTPError as exc:
            reason = clean_error(str(exc).strip() or type(exc).__name__)
            raise SyncError(f"network error with {host}: {reason}") from None

    async def _read(self, response: httpx.Response) -> bytes:
        try:
            return await read_bounded(response, self.max_bytes)
        except DecodedTooLarge:
            raise SyncError(
                f"the server's answer is too large (over {self.max_bytes // (1024 * 1024)} MB)"
            ) from None
        except UnsupportedEncoding as exc:
            raise SyncError(f"unreadable answer: {clean_error(str(exc), 120)}") from None
