"""What the sync tests share: the fake server in each flavour, a login, a sync."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import keyring
import pytest
from keyring.backends import fail

from newsroom_tui.sync.detect import Account, detect
from newsroom_tui.sync.engine import Remote, sync
from newsroom_tui.sync.transport import SyncHttp
from newsroom_tui.sync_records import SyncReport
from tests.sync_memory import MemoryLocal
from tests.sync_server import SyncServer

# how the account is reached: FreshRSS's Google Reader API, Miniflux's, Miniflux's REST API
WAYS = ["freshrss", "miniflux-greader", "miniflux-rest"]
GREADER_WAYS = ["freshrss", "miniflux-greader"]


@dataclass
class Desk:
    """One test's account: the fake server, the way in, the cache's side."""

    server: SyncServer
    way: str
    local: MemoryLocal

    async def login(self, http: SyncHttp) -> tuple[Account, Remote]:
        if self.way == "miniflux-rest":
            return await detect(http, self.server.base, token=self.server.api_key)
        return await detect(
            http, self.server.base, user=self.server.user, password=self.server.password
        )

    async def sync(self, http: SyncHttp | None = None, **options: float) -> SyncReport:
        if http is not None:
            _, remote = await self.login(http)
            return await sync(remote, self.local, **options)
        async with SyncHttp() as own:
            _, remote = await self.login(own)
            return await sync(remote, self.local, **options)


def start_server(way: str) -> SyncServer:
    return SyncServer("freshrss" if way == "freshrss" else "miniflux").start()


@pytest.fixture
def desk(request: pytest.FixtureRequest) -> Iterator[Desk]:
    way = request.param
    server = start_server(way)
    try:
        yield Desk(server, way, MemoryLocal())
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _secret_in_file() -> Iterator[None]:
    """No system keyring in the tests: the secret goes to the file of the user's alone."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture(params=WAYS)
def account(request: pytest.FixtureRequest) -> Iterator[tuple[SyncServer, str]]:
    """The fake server in each flavour and the way in, for the tests of ``newsroom fetch``."""
    server = start_server(request.param)
    try:
        yield server, request.param
    finally:
        server.stop()


def polizei_feed(server: SyncServer) -> int:
    return server.add_feed(
        "Polizei Bochum – Pressemeldungen",
        "https://www.presseportal.de/blaulicht/rss/dienststelle/11530.rss",
        "Polizei",
    )


def herne_feed(server: SyncServer) -> int:
    return server.add_feed(
        "Stadt Herne: Pressemitteilungen", "https://www.herne.de/rss/pressemitteilungen.xml"
    )


# What takes a cache back from the sync's schema step to the one before (for the tests that
# make a cache of an older schema by dropping what later steps added)
SYNC_TABLES_DROPPED = (
    "DROP INDEX feeds_by_remote_id; ALTER TABLE feeds DROP COLUMN remote_id; "
    "ALTER TABLE articles DROP COLUMN remote_id; DROP TABLE outbox; DROP TABLE sync_cursor; "
)
