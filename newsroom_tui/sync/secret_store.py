"""Where the account's password or API key is kept: the system keyring where there is one,
else a file in the data dir readable by the user alone. Never in the cache, the team store,
the config file, a process's arguments or a log line."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from newsroom_tui.sync.transport import SyncError
from newsroom_tui.text.sanitize import clean_name

SERVICE = "newsroom-sync"
SECRET_FILE = "sync-secret.json"


def this_machine() -> str:
    """This machine's name, as a team store records who holds an account's secret."""
    return clean_name(socket.gethostname()) or "?"


class SecretStore:
    """The secret of each account (keyed "user@endpoint"), in the keyring or the file."""

    def __init__(self, data_dir: Path, *, use_keyring: bool = True) -> None:
        self.path = data_dir / SECRET_FILE
        self._use_keyring = use_keyring

    def _keyring(self) -> KeyringBackend | None:
        """The system keyring, or None where there is none (no Secret Service, a server)."""
        if not self._use_keyring:
            return None
        backend = keyring.get_keyring()
        return backend if backend.priority > 0 else None

    def save(self, key: str, secret: str) -> str:
        """Keep ``secret``; returns where: "keyring" or "file"."""
        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, key, secret)
            except KeyringError:
                pass  # a locked or broken keyring: the file, as where there is none
            else:
                self._drop_from_file(key)
                return "keyring"
        secrets = self._read_file()
        secrets[key] = secret
        self._write_file(secrets)
        return "file"

    def load(self, key: str, where: str) -> str | None:
        if where == "keyring":
            backend = self._keyring()
            if backend is None:
                raise SyncError("the system keyring that holds the password cannot be reached")
            try:
                return backend.get_password(SERVICE, key)
            except KeyringError as exc:
                raise SyncError(f"the system keyring refused the password: {exc}") from None
        return self._read_file().get(key)

    def find(self, key: str) -> tuple[str, str] | None:
        """This machine's secret of ``key`` and where it is ("file", then "keyring"), or
        None when it has none (a team store's account logged in on another machine)."""
        secret = self._read_file().get(key)
        if secret:
            return secret, "file"
        backend = self._keyring()
        if backend is not None:
            try:
                secret = backend.get_password(SERVICE, key)
            except KeyringError:
                return None
            if secret:
                return secret, "keyring"
        return None

    def delete(self, key: str, where: str) -> None:
        if where == "keyring":
            backend = self._keyring()
            if backend is not None:
                with contextlib.suppress(KeyringError):
                    backend.delete_password(SERVICE, key)
        self._drop_from_file(key)

    def describe(self, where: str) -> str:
        if where == "keyring":
            backend = self._keyring()
            name = getattr(backend, "name", None) or type(backend).__name__
            return f"the system keyring ({name})"
        return f"{self.path} (readable by you alone)"

    # -- the file ----------------------------------------------------------------------------

    def _read_file(self, *, private: bool = True) -> dict[str, str]:
        """The file's secrets; with ``private``, SyncError when others may read it."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        if private and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SyncError(
                f"{self.path} can be read by others: newsroom will not use it "
                f"(chmod 600 {self.path}, or log in again)"
            )
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise SyncError(f"cannot read {self.path}: {exc}") from None
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}

    def _write_file(self, secrets: dict[str, str]) -> None:
        """Written whole to a file made 0600 before a byte goes in, then moved in place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            os.write(fd, json.dumps(secrets).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, self.path)

    def _drop_from_file(self, key: str) -> None:
        """The key's secret out of the file, even from one others could read meanwhile."""
        secrets = self._read_file(private=False)
        if key in secrets:
            del secrets[key]
            if secrets:
                self._write_file(secrets)
            else:
                self.path.unlink(missing_ok=True)
