"""Who is at the keyboard: the name claims and read state are kept under."""

from __future__ import annotations

import getpass
import os

USER_ENV = "NEWSROOM_USER"


def login_name() -> str:
    """``$NEWSROOM_USER``, else the login name, else "newsroom"."""
    explicit = os.environ.get(USER_ENV, "").strip()
    if explicit:
        return explicit
    try:
        return getpass.getuser() or "newsroom"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "newsroom"
