from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.net import address_policy
from newsroom_tui.store import SQLiteStore, Store, open_store
from tests import pg_server
from tests.fixture_server import FixtureServer, herne_site

# .ci/run sets this: there, a missing PostgreSQL is a failure, not a skip
REQUIRE_POSTGRES = os.environ.get("NEWSROOM_TEST_REQUIRE_POSTGRES") == "1"


@pytest.fixture(autouse=True, scope="session")
def _fixed_timezone() -> Iterator[None]:
    """Dates render in local time: pin it so output and snapshots are stable."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


_LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def _loopback(host: object) -> bool:
    """A host the tests may reach: none (a local socket), a loopback name or address."""
    if host is None or host in ("", b""):
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.strip("[]").split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _no_internet() -> Iterator[None]:
    """Tests never touch the internet: a name other than the loopback's is not resolved
    (as where there is no network: "Name or service not known"), so a page a fixture's
    feed links to on a real site (www.waz.de) fails at once instead of being fetched.
    Every address the program resolves in Python goes through here (the article pages'
    address check included); feeds are fetched from 127.0.0.1."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    yield
    socket.getaddrinfo = real


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read the developer's own config file; tests that want one write it here."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("NEWSROOM_CONFIG", str(path))
    monkeypatch.delenv("NEWSROOM_DATA_DIR", raising=False)
    return path


@pytest.fixture(autouse=True)
def _fixture_server_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture server is on 127.0.0.1, and its feeds name pages there: a fetcher made
    without a policy (most tests poll without a config) allows that one address for pages
    named by content, as ``general.allow_private_addresses = ["127.0.0.1"]`` would. The
    tests of the address rule set their own policy (tests/test_hostile_addresses.py)."""
    monkeypatch.setattr(address_policy, "DEFAULT_POLICY_ENTRIES", ("127.0.0.1",))


@pytest.fixture
def config_file(_isolated_config: Path) -> Path:
    _isolated_config.parent.mkdir(parents=True, exist_ok=True)
    return _isolated_config


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[SQLiteStore]:
    s = open_store(data_dir)
    yield s
    s.close()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    srv = FixtureServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def herne(server: FixtureServer) -> FixtureServer:
    return herne_site(server)


@pytest.fixture(scope="session")
def pg() -> Iterator[pg_server.PgServer]:
    """A PostgreSQL server of the test session (skipped where PostgreSQL is not installed)."""
    if not pg_server.available():
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL (initdb, pg_ctl) is not installed")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    server = pg_server.PgServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def pg_dsn(pg: pg_server.PgServer) -> str:
    """A fresh, empty database of its own for one test."""
    return pg.new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Store]:
    """The same tests on both backends."""
    if request.param == "sqlite":
        s: Store = open_store(data_dir, user="anna")
    else:
        from newsroom_tui.store.postgres import PostgresStore

        s = PostgresStore(request.getfixturevalue("pg_dsn"), user="anna")
    yield s
    s.close()
