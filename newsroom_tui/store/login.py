"""Who is at the keyboard: the name claims and read state are kept under."""

from __future__ import annotations

import getpass
import os

from newsroom_tui.text.sanitize import clean_name

USER_ENV = "NEWSROOM_USER"


def checked_user_name(name: str) -> str:
    """``name`` stripped, or ValueError (one line) when it is not a plain name: it is shown
    to colleagues ("claimed by ..."), so it may not hold control, bidi or invisible
    characters, nor be longer than a name."""
    plain = " ".join(name.split())
    if not plain or clean_name(plain) != plain:
        shown = repr(plain[:60]) + ("…" if len(plain) > 60 else "")
        raise ValueError(
            f"the user name {shown} is not a plain name (no control, bidi or invisible "
            "characters, at most 200 characters)"
        )
    return plain


def login_name() -> str:
    """``$NEWSROOM_USER``, else the login name, else "newsroom"."""
    explicit = os.environ.get(USER_ENV, "").strip()
    if explicit:
        return explicit
    try:
        return getpass.getuser() or "newsroom"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "newsroom"
