from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.store import SQLiteStore, open_store
from tests.fixture_server import FixtureServer, herne_site


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


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read the developer's own config file; tests that want one write it here."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("NEWSROOM_CONFIG", str(path))
    monkeypatch.delenv("NEWSROOM_DATA_DIR", raising=False)
    return path


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
