"""``newsroom sync login/status/logout``: the account kept without its secret, the secret in
the keyring or a file of the user's alone, a refused login in one line with exit 2."""

from __future__ import annotations

import asyncio
import io
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from newsroom_tui.cli import main
from newsroom_tui.sync.account_file import ACCOUNT_FILE, load_account
from newsroom_tui.sync.account_sync import sync_saved_account
from newsroom_tui.sync.secret_store import SECRET_FILE, SERVICE, SecretStore
from newsroom_tui.sync.transport import SyncError
from tests.fixture_server import FixtureServer
from tests.sync_memory import MemoryLocal
from tests.sync_server import SyncServer


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def freshrss() -> Iterator[SyncServer]:
    server = SyncServer("freshrss").start()
    yield server
    server.stop()


def run(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data_dir), "sync", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_login_keeps_the_password_in_the_keyring_and_nowhere_else(
    freshrss: SyncServer,
    memory_keyring: MemoryKeyring,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login = ("login", freshrss.base, "--user", "redaktion", "--password-stdin", "--no-sync")
    code, out, err = run(data_dir, capsys, monkeypatch, *login, stdin=freshrss.password + "\n")
    assert code == 0, err
    assert out.startswith(
        f"logged in: FreshRSS at {freshrss.endpoint} as redaktion; "
        "the password is kept in the system keyring ("
    )
    key = f"redaktion@{freshrss.endpoint}"
    assert memory_keyring.saved == {(SERVICE, key): freshrss.password}
    for path in data_dir.rglob("*"):
        assert freshrss.password.encode() not in path.read_bytes()
    code, out, _ = run(data_dir, capsys, monkeypatch, "status", "--json")
    assert json.loads(out) == {
        "server": "FreshRSS",
        "api": "greader",
        "url": freshrss.endpoint,
        "user": "redaktion",
        "secret_in": "keyring",
        "last_sync": None,
        "last_error": None,
        "last_error_at": None,
        "waiting": 0,
    }
    code, out, _ = run(data_dir, capsys, monkeypatch, "logout")
    assert code == 0 and out == f"logged out of FreshRSS at {freshrss.endpoint}\n"
    assert memory_keyring.saved == {} and not (data_dir / ACCOUNT_FILE).exists()
    code, out, _ = run(data_dir, capsys, monkeypatch, "status")
    assert out.startswith("no sync account")


def test_without_a_keyring_the_secret_is_in_a_file_of_the_user_alone(
    no_keyring: None,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = SyncServer("miniflux").start()
    try:
        code, out, err = run(
            data_dir,
            capsys,
            monkeypatch,
            *("login", server.base, "--token-stdin", "--no-sync"),
            stdin=server.api_key,
        )
    finally:
        server.stop()
    assert code == 0, err
    secret_file = data_dir / SECRET_FILE
    assert f"the API key is kept in {secret_file} (readable by you alone)" in out
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert server.api_key in secret_file.read_text()
    assert server.api_key not in (data_dir / ACCOUNT_FILE).read_text()
    code, out, _ = run(data_dir, capsys, monkeypatch, "status")
    assert f"server:     Miniflux at {server.base} (miniflux API)" in out
    assert f"secret:     in {secret_file}" in out and "last sync:  never" in out
    os.chmod(secret_file, 0o644)  # made readable by others since: not used ...
    with pytest.raises(SyncError, match="can be read by others"):
        SecretStore(data_dir).load(f"redaktion@{server.base}", "file")
    code, _, _ = run(data_dir, capsys, monkeypatch, "logout")  # ... but still removed
    assert code == 0 and not secret_file.exists()


def test_a_wrong_password_is_one_line_with_exit_2(
    freshrss: SyncServer,
    memory_keyring: MemoryKeyring,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login = ("login", freshrss.base, "--user", "redaktion", "--password-stdin")
    code, out, err = run(data_dir, capsys, monkeypatch, *login, stdin="Sommer2026!\n")
    assert code == 2 and out == ""
    assert err.startswith("newsroom: FreshRSS refused the user name or API password")
    assert err.count("\n") == 1 and "Sommer2026" not in err
    assert memory_keyring.saved == {} and not (data_dir / ACCOUNT_FILE).exists()


def test_a_web_page_is_one_line_with_exit_2(
    memory_keyring: MemoryKeyring,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = FixtureServer().start()
    try:
        login = ("login", site.base, "--user", "redaktion", "--password-stdin")
        code, _, err = run(data_dir, capsys, monkeypatch, *login, stdin="x\n")
    finally:
        site.stop()
    assert code == 2
    assert err.startswith(f"newsroom: no FreshRSS or Miniflux API at {site.base} (")
    assert err.count("\n") == 1


def test_the_secret_never_comes_from_the_arguments(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(data_dir, capsys, monkeypatch, "login", "https://rss.example.de", "--password", "x")
    assert exited.value.code == 2
    capsys.readouterr()
    code, _, err = run(
        data_dir, capsys, monkeypatch, "login", "https://rss.example.de", "--token-stdin"
    )
    assert code == 2 and err == "newsroom: no API key on standard input (one line)\n"


def test_the_saved_account_syncs_and_keeps_its_outcome(
    no_keyring: None,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = SyncServer("freshrss").start()
    try:
        server.add_items(server.add_feed("Stadt Herne", "https://www.herne.de/rss.xml"), 3)
        login = ("login", server.base, "--user", "redaktion", "--password-stdin", "--no-sync")
        code, _, err = run(data_dir, capsys, monkeypatch, *login, stdin=server.password)
        assert code == 0, err
        local = MemoryLocal()
        report = asyncio.run(sync_saved_account(data_dir, local))
        assert report is not None and report.new_items == 3 and len(local.items) == 3
        saved = load_account(data_dir)
        assert saved is not None and saved.last_sync is not None and saved.last_error is None
    finally:
        server.stop()
    with pytest.raises(SyncError) as failed:
        asyncio.run(sync_saved_account(data_dir, local))
    saved = load_account(data_dir)
    assert saved is not None and saved.last_error == str(failed.value)
    assert "connection refused" in saved.last_error
    code, out, _ = run(data_dir, capsys, monkeypatch, "status")
    assert f"last error: {saved.last_error}" in out


class SlowKeyring(MemoryKeyring):
    """A keyring that takes its time (the Secret Service asking to unlock it): it answers
    once released, or after ``WAIT_MAX`` seconds; ``released`` says which."""

    WAIT_MAX = 10.0

    def __init__(self, saved: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.saved = dict(saved)
        self.asked, self.release = threading.Event(), threading.Event()
        self.released: bool | None = None

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.set()
        self.released = self.release.wait(self.WAIT_MAX)
        return super().get_password(service, username)


async def test_the_keyring_is_asked_off_the_event_loop(
    memory_keyring: MemoryKeyring,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader's poll runs on its event loop: a keyring that waits must not stop the
    reader's keys meanwhile."""
    server = SyncServer("freshrss").start()
    try:
        server.add_items(server.add_feed("Stadt Herne", "https://www.herne.de/rss.xml"), 2)
        login = ("login", server.base, "--user", "redaktion", "--password-stdin", "--no-sync")
        code, _, err = await asyncio.to_thread(
            run, data_dir, capsys, monkeypatch, *login, stdin=server.password
        )
        assert code == 0, err
        slow = SlowKeyring(memory_keyring.saved)
        keyring.set_keyring(slow)
        local = MemoryLocal()
        syncing = asyncio.ensure_future(sync_saved_account(data_dir, local))
        await asyncio.to_thread(slow.asked.wait, SlowKeyring.WAIT_MAX)
        slow.release.set()  # from the event loop: it runs while the keyring is asked
        report = await syncing
    finally:
        server.stop()
    assert slow.released is True
    assert report is not None and len(local.items) == 2


async def test_no_saved_account_is_no_sync(data_dir: Path) -> None:
    assert await sync_saved_account(data_dir, MemoryLocal()) is None
