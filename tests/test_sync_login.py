"""Logging in: the kind of server found from its address, a refused login and an address that
is no such API each one clear line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsroom_tui.sync.detect import Account, Api, detect
from newsroom_tui.sync.transport import LoginFailed, SyncError, SyncHttp
from tests.fixture_server import FixtureServer
from tests.sync_server import SyncServer, answer_with


@pytest.fixture
def freshrss() -> Iterator[SyncServer]:
    server = SyncServer("freshrss").start()
    yield server
    server.stop()


@pytest.fixture
def miniflux() -> Iterator[SyncServer]:
    server = SyncServer("miniflux").start()
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["", "/", "/api/greader.php", "/api/greader.php/"])
async def test_freshrss_is_found_from_its_base_or_its_api(freshrss: SyncServer, path: str) -> None:
    async with SyncHttp() as http:
        account, _ = await detect(
            http, freshrss.base + path, user=freshrss.user, password=freshrss.password
        )
    assert account == Account("FreshRSS", Api.GREADER, freshrss.endpoint, "redaktion")


async def test_miniflux_with_a_password_speaks_google_reader(miniflux: SyncServer) -> None:
    async with SyncHttp() as http:
        account, _ = await detect(
            http, miniflux.base + "/", user=miniflux.user, password=miniflux.password
        )
    assert account == Account("Miniflux", Api.GREADER, miniflux.base, "redaktion")


@pytest.mark.parametrize("path", ["", "/v1/"])
async def test_miniflux_with_an_api_key_speaks_rest(miniflux: SyncServer, path: str) -> None:
    async with SyncHttp() as http:
        account, _ = await detect(http, miniflux.base + path, token=miniflux.api_key)
    assert account == Account("Miniflux", Api.MINIFLUX, miniflux.base, "redaktion")


@pytest.mark.parametrize("flavour", ["freshrss", "miniflux"])
async def test_a_wrong_password_is_one_line_exit_2(flavour: str) -> None:
    server = SyncServer(flavour).start()
    try:
        async with SyncHttp() as http:
            with pytest.raises(LoginFailed) as failed:
                await detect(http, server.base, user="redaktion", password="Sommer2026!")
    finally:
        server.stop()
    text = str(failed.value)
    assert "refused the user name or API password" in text and "not the web password" in text
    assert "Sommer2026" not in text and "\n" not in text
    assert failed.value.exit_code == 2


async def test_a_wrong_api_key_is_one_line_exit_2(miniflux: SyncServer) -> None:
    async with SyncHttp() as http:
        with pytest.raises(LoginFailed) as failed:
            await detect(http, miniflux.base, token="falscher-schluessel")
    assert str(failed.value) == "Miniflux refused the API key"
    assert failed.value.exit_code == 2


async def test_a_web_page_is_not_an_api() -> None:
    site = FixtureServer().start()
    site.add("/", "<html><body>Stadt Herne</body></html>")
    try:
        async with SyncHttp() as http:
            with pytest.raises(SyncError) as failed:
                await detect(http, site.base, user="redaktion", password="x")
            with pytest.raises(SyncError) as by_key:
                await detect(http, site.base, token="x")
    finally:
        site.stop()
    assert str(failed.value) == (
        f"no FreshRSS or Miniflux API at {site.base} (logins answered "
        "/api/greader.php: HTTP 501 Not Implemented, text/html;charset=utf-8; "
        "/: HTTP 501 Not Implemented, text/html;charset=utf-8)"
    )
    assert not isinstance(failed.value, LoginFailed)
    assert str(by_key.value).startswith(f"no Miniflux API at {site.base} (")


@pytest.mark.parametrize("url", ["ftp://rss.example.de", "rss.example.de", "https://"])
async def test_an_address_that_is_not_http_is_refused(url: str) -> None:
    async with SyncHttp() as http:
        with pytest.raises(SyncError, match="not an http"):
            await detect(http, url, user="redaktion", password="x")


async def test_no_server_at_all_is_a_network_error(freshrss: SyncServer) -> None:
    base = freshrss.base
    freshrss.stop()
    async with SyncHttp() as http:
        with pytest.raises(SyncError) as failed:
            await detect(http, base, user="redaktion", password="x")
    assert failed.value.network and "connection refused" in str(failed.value)


async def test_freshrss_with_its_api_off_says_where_to_turn_it_on(freshrss: SyncServer) -> None:
    freshrss.behaviours["accounts/ClientLogin"] = answer_with(
        503, b"Service Unavailable", "text/plain"
    )
    async with SyncHttp() as http:
        with pytest.raises(SyncError) as failed:
            await detect(http, freshrss.base, user="redaktion", password="x")
    assert "/api/greader.php: HTTP 503 Service Unavailable" in str(failed.value)
    assert str(failed.value).endswith(
        "; FreshRSS answers so while its API is off (Settings, Authentication))"
    )
