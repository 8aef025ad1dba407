"""What the sync tests share: the fake server in each flavour, a login, a sync."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from newsroom_tui.store import Store, open_store
from newsroom_tui.store.sync_side import waiting_changes
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


# What takes a cache back from the sync's schema steps (the account's part, the teasers' pages
# tried again) to the one before (for the tests that make a cache of an older schema by
# dropping what later steps added)
SYNC_TABLES_DROPPED = (
    "DROP INDEX feeds_by_remote_id; ALTER TABLE feeds DROP COLUMN remote_id; "
    "ALTER TABLE articles DROP COLUMN remote_id; DROP TABLE outbox; DROP TABLE sync_cursor; "
    "DROP TABLE page_retries; "
)


@dataclass
class Place:
    """Where a test's newsroom keeps the account's articles: the local cache in
    ``data_dir``, or the team store ``dsn`` (the secret still in ``data_dir``)."""

    data_dir: Path
    dsn: str | None = None
    user: str = "anna"

    def args(self) -> list[str]:
        team = ["--database", self.dsn, "--user", self.user] if self.dsn else []
        return ["--data-dir", str(self.data_dir), *team]

    def store(self) -> Store:
        if self.dsn is None:
            return open_store(self.data_dir)
        from newsroom_tui.store.postgres import PostgresStore

        return PostgresStore(self.dsn, self.user, local_dir=self.data_dir)

    def waiting(self) -> int | None:
        """The changes waiting in the outbox."""
        if self.dsn is None:
            return waiting_changes(self.data_dir)
        from newsroom_tui.store.pg_sync_side import team_account

        store = self.store()
        try:
            team = team_account(store)  # type: ignore[arg-type]
            return None if team is None else team.waiting
        finally:
            store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def place(request: pytest.FixtureRequest, data_dir: Path) -> Place:
    """The same sync tests on the local cache and on the team store."""
    if request.param == "sqlite":
        return Place(data_dir)
    return Place(data_dir, request.getfixturevalue("pg_dsn"))
