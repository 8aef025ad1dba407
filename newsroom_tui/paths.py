"""Where newsroom keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from newsroom_tui import APP_NAME

DATA_DIR_ENV = "NEWSROOM_DATA_DIR"
DATABASE_FILE = "newsroom.sqlite3"


def resolve_data_dir(
    explicit: str | os.PathLike[str] | None = None, configured: str | None = None
) -> Path:
    """The data dir: ``--data-dir``, else ``$NEWSROOM_DATA_DIR``, else the config file's
    ``data_dir``, else the platform's default."""
    chosen = (
        explicit
        or os.environ.get(DATA_DIR_ENV)
        or configured
        or user_data_dir(APP_NAME, appauthor=False)
    )
    return Path(chosen).expanduser()


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILE
