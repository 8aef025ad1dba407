"""Which kind of server an address is, found out at login: FreshRSS, Miniflux, another
Google Reader API server; a wrong password or an address that is no such API is one line."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from newsroom_tui.net.fetcher import check_url
from newsroom_tui.sync.engine import Remote
from newsroom_tui.sync.greader import GReaderClient
from newsroom_tui.sync.miniflux import MinifluxClient
from newsroom_tui.sync.transport import LoginFailed, NotAnApi, SyncError, SyncHttp
from newsroom_tui.sync_records import clean_http_url
from newsroom_tui.text.sanitize import clean_error, clean_name

FRESHRSS_API = "api/greader.php"


class Api(StrEnum):
    GREADER = "greader"  # ClientLogin with the user name and the API password
    MINIFLUX = "miniflux"  # Miniflux's REST API with an API key


@dataclass(frozen=True)
class Account:
    """What is kept of an account (never its secret): the server's kind, the API's root, the
    user."""

    server: str  # "FreshRSS", "Miniflux", "Google Reader API"
    api: Api
    endpoint: str
    user: str

    def __post_init__(self) -> None:
        endpoint = clean_http_url(self.endpoint)
        if endpoint is None:
            raise ValueError(f"not an http(s) URL: {clean_error(str(self.endpoint), 80)!r}")
        object.__setattr__(self, "endpoint", endpoint.rstrip("/"))
        object.__setattr__(self, "api", Api(self.api))
        object.__setattr__(self, "server", clean_name(self.server) or "Google Reader API")
        object.__setattr__(self, "user", clean_name(self.user) or "")

    @property
    def key(self) -> str:
        """The account's name where its secret is kept: "user@endpoint"."""
        return f"{self.user}@{self.endpoint}"


def connect(http: SyncHttp, account: Account, secret: str) -> Remote:
    """The client for a known account (no request made yet)."""
    if account.api is Api.MINIFLUX:
        return MinifluxClient(http, account.endpoint, secret)
    return GReaderClient(http, account.endpoint, account.user, secret, name=account.server)


def _base(url: str) -> str:
    try:
        check_url(url)
    except ValueError:
        raise SyncError(f"not an http(s) URL: {clean_error(url, 80)!r}") from None
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


async def detect(
    http: SyncHttp,
    url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
) -> tuple[Account, Remote]:
    """Log in at ``url`` with a user and API password or with a Miniflux API key, and say
    what was found; LoginFailed (exit 2) for a refused login, SyncError for anything else."""
    base = _base(url)
    if token is not None:
        base = base.removesuffix("/v1")
        miniflux = MinifluxClient(http, base, token)
        try:
            await miniflux.login()
        except LoginFailed:
            raise
        except SyncError as exc:
            if exc.network:
                raise
            raise SyncError(f"no Miniflux API at {base} ({exc})") from None
        return Account("Miniflux", Api.MINIFLUX, base, miniflux.user or ""), miniflux
    if not user or password is None:
        raise SyncError("a user name and its API password, or an API key, are needed")
    if FRESHRSS_API in base:
        head = base[: base.index(FRESHRSS_API) + len(FRESHRSS_API)]
        candidates = [(head, "FreshRSS")]
    else:
        candidates = [(f"{base}/{FRESHRSS_API}", "FreshRSS"), (base, "")]
    reasons: list[str] = []
    hint = ""
    for endpoint, name in candidates:
        client = GReaderClient(http, endpoint, user, password, name=name or "the server")
        try:
            await client.login()
        except LoginFailed:
            raise
        except NotAnApi as exc:
            path = endpoint.removeprefix(base) or "/"
            reasons.append(f"{path}: {exc.detail}")
            if name == "FreshRSS" and exc.detail.startswith("HTTP 503"):
                hint = "; FreshRSS answers so while its API is off (Settings, Authentication)"
            continue
        name = name or await _name_at_base(http, endpoint)
        client.name = name
        return Account(name, Api.GREADER, endpoint, user), client
    tried = "; ".join(reasons)
    raise SyncError(f"no FreshRSS or Miniflux API at {base} (logins answered {tried}{hint})")


async def _name_at_base(http: SyncHttp, base: str) -> str:
    """ "Miniflux" when the server answers Miniflux's REST API as Miniflux does (a 401 with an
    ``error_message`` for no key), else "Google Reader API"."""
    with contextlib.suppress(SyncError):
        answer = await http.request("GET", f"{base}/v1/me")
        data = answer.json("/v1/me") if answer.status == 401 else None
        if isinstance(data, dict) and "error_message" in data:
            return "Miniflux"
    return "Google Reader API"
