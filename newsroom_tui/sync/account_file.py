"""The sync account as newsroom keeps it in the data dir (``sync-account.json``): the server,
the API, the user, where the secret is, the last sync and its error. The secret itself is
never in it (see :mod:`.secret_store`)."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from newsroom_tui.sync.detect import Account, Api
from newsroom_tui.sync.transport import SyncError
from newsroom_tui.text.sanitize import clean_error

ACCOUNT_FILE = "sync-account.json"


@dataclass(frozen=True)
class SavedAccount:
    account: Account
    secret_in: str  # "keyring" or "file"
    last_sync: datetime | None = None  # the last sync that succeeded
    last_error: str | None = None  # the last sync's error, None after a success
    last_error_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.secret_in not in ("keyring", "file"):
            raise ValueError(f"unknown place for the secret: {self.secret_in!r}")
        error = clean_error(self.last_error, 300) if self.last_error else None
        object.__setattr__(self, "last_error", error or None)


def account_path(data_dir: Path) -> Path:
    return data_dir / ACCOUNT_FILE


def load_account(data_dir: Path) -> SavedAccount | None:
    """The account, or None when there is none; SyncError (one line) for a broken file."""
    path = account_path(data_dir)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SyncError(f"cannot read {path}: {clean_error(str(exc), 120)}") from None
    try:
        return SavedAccount(
            account=Account(data["server"], Api(data["api"]), data["endpoint"], data["user"]),
            secret_in=data["secret_in"],
            last_sync=_when(data.get("last_sync")),
            last_error=data.get("last_error"),
            last_error_at=_when(data.get("last_error_at")),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise SyncError(
            f"{path} is not a sync account (newsroom sync logout, then login)"
        ) from None


def save_account(data_dir: Path, saved: SavedAccount) -> None:
    """Written whole, then moved in place."""
    account = saved.account
    data = {
        "server": account.server,
        "api": account.api.value,
        "endpoint": account.endpoint,
        "user": account.user,
        "secret_in": saved.secret_in,
        "last_sync": _iso(saved.last_sync),
        "last_error": saved.last_error,
        "last_error_at": _iso(saved.last_error_at),
    }
    path = account_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".new")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(partial, path)


def forget_account(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        account_path(data_dir).unlink()


def record_sync(data_dir: Path, error: str | None, when: datetime | None = None) -> None:
    """What a sync came to, for ``sync status`` (the poll calls it after each sync)."""
    saved = load_account(data_dir)
    if saved is None:
        return
    when = when or datetime.now(UTC)
    if error is None:
        saved = replace(saved, last_sync=when, last_error=None, last_error_at=None)
    else:
        saved = replace(saved, last_error=error, last_error_at=when)
    save_account(data_dir, saved)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else None
