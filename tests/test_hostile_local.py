"""Local files are input too: every read is bounded (the 10 MB of a download), devices,
FIFOs, sockets and folders are refused in one line, and a cache made by a newer newsroom is
named as such and left where it is."""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.local_files import LOCAL_MAX_BYTES, LocalFileError, read_local_file
from newsroom_tui.net.fetcher import FEED_MAX_BYTES
from newsroom_tui.paths import database_path
from newsroom_tui.store import StoreError, open_store
from newsroom_tui.store.migrations import SCHEMA_VERSION

SIZE_3_GB = 3 * 1024**3


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)  # nobody ever writes: a read that opened it would wait forever
    return path


@pytest.fixture
def sparse_3gb(tmp_path: Path) -> Path:
    path = tmp_path / "riesig.opml"
    with path.open("wb") as f:
        f.write(b'<?xml version="1.0"?><opml version="2.0"><body>')
        f.truncate(SIZE_3_GB)  # sparse: no disk used, 3 GB to whoever reads it whole
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Path:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def test_the_local_bound_is_the_download_bound() -> None:
    assert LOCAL_MAX_BYTES == FEED_MAX_BYTES


@pytest.mark.parametrize("command", ["extract", "import-opml", "import-urls"])
@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom", "fifo", "folder", "socket"])
def test_devices_fifos_and_folders_are_refused(
    command: str,
    source: str,
    fifo: Path,
    unix_socket: Path,
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = {"fifo": str(fifo), "folder": str(tmp_path), "socket": str(unix_socket)}.get(
        source, source
    )
    code, out, err = run(data_dir, capsys, command, path)
    assert code == 1
    assert out == ""
    line = one_line(err)
    assert line.startswith(f"newsroom: {path} is ") and line.endswith("not a file: refused")


@pytest.mark.parametrize("command", ["extract", "import-opml", "import-urls"])
def test_a_3_gb_file_is_refused_after_10_mb(
    command: str, sparse_3gb: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(data_dir, capsys, command, str(sparse_3gb))
    assert code == 1
    assert out == ""
    assert one_line(err) == (
        f"newsroom: {sparse_3gb} is larger than 10 MB: refused (the same bound as a download)"
    )


def test_a_file_of_exactly_the_bound_is_read(tmp_path: Path) -> None:
    path = tmp_path / "genau.html"
    path.write_bytes(b"<p>" + b"a" * (LOCAL_MAX_BYTES - 3))
    assert len(read_local_file(path)) == LOCAL_MAX_BYTES
    path.write_bytes(b"a" * (LOCAL_MAX_BYTES + 1))
    with pytest.raises(LocalFileError, match="larger than 10 MB"):
        read_local_file(path)


def test_a_missing_file_is_one_line(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gibt-es-nicht.opml"
    code, _, err = run(data_dir, capsys, "import-opml", str(missing))
    assert code == 1
    assert one_line(err) == f"newsroom: cannot read {missing}: No such file or directory"
    with pytest.raises(LocalFileError) as caught:
        read_local_file(missing)
    assert caught.value.missing


def test_a_fifo_as_config_file_is_a_config_error(
    fifo: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_CONFIG", str(fifo))
    code, _, err = run(data_dir, capsys, "list")
    assert code == 2
    assert (
        one_line(err)
        == f"newsroom: config error: {fifo} is a FIFO (named pipe), not a file: refused"
    )


# -- a cache made by a newer newsroom -------------------------------------------------------


def _newer_cache(data_dir: Path) -> tuple[Path, bytes]:
    open_store(data_dir).close()
    path = database_path(data_dir)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # one file to compare
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.commit()
    conn.close()
    return path, path.read_bytes()


NEWER = (
    f"was made by a newer newsroom (schema {SCHEMA_VERSION + 3}, this one knows "
    f"{SCHEMA_VERSION}); upgrade newsroom; it is left as it is"
)


@pytest.mark.parametrize("reset", [False, True])
def test_a_newer_cache_is_named_and_left_alone(
    reset: bool, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, before = _newer_cache(data_dir)
    code, out, err = run(data_dir, capsys, *(["--reset-cache"] if reset else []), "list")
    assert code == 3
    assert out == ""
    assert one_line(err) == f"newsroom: {path} {NEWER}"
    assert "damaged" not in err and "reset-cache" not in err
    assert path.read_bytes() == before  # not migrated, not switched to WAL, not moved
    assert sorted(p.name for p in data_dir.iterdir()) == [path.name]


def test_a_newer_cache_is_not_a_broken_one(data_dir: Path) -> None:
    _newer_cache(data_dir)
    with pytest.raises(StoreError) as caught:
        open_store(data_dir)
    assert not caught.value.broken


def test_a_newer_team_database_is_named_and_left_alone(pg_dsn: str) -> None:
    import psycopg

    from newsroom_tui.store.pg_migrations import SCHEMA_VERSION as PG_SCHEMA_VERSION
    from newsroom_tui.store.postgres import PostgresStore

    PostgresStore(pg_dsn, user="setup").close()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("UPDATE newsroom_schema SET version = %s", (PG_SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="made by a newer newsroom") as caught:
        PostgresStore(pg_dsn, user="anna")
    assert f"(schema {PG_SCHEMA_VERSION + 1}, this one knows {PG_SCHEMA_VERSION})" in str(
        caught.value
    )
    with psycopg.connect(pg_dsn) as conn:
        version = conn.execute("SELECT version FROM newsroom_schema").fetchone()
    assert version == (PG_SCHEMA_VERSION + 1,)
