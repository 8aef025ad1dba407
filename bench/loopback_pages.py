"""The bench's servers run on 127.0.0.1 and also serve the pages their feeds name. A newsroom
that fetches pages named by content from public addresses only is given a config file that
allows 127.0.0.1 (``general.allow_private_addresses``), as an intranet would; older code
fetched them anyway and knows no such setting."""

from __future__ import annotations

import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTING = '[general]\nallow_private_addresses = ["127.0.0.1"]\n'


def knows_the_setting(root: Path | None) -> bool:
    return ((root or ROOT) / "newsroom_tui" / "net" / "address_policy.py").exists()


def loopback_env(root: Path | None = None) -> dict[str, str]:
    """``NEWSROOM_CONFIG`` for the newsroom at ``root`` (default: this checkout), or nothing
    for code without the setting."""
    if not knows_the_setting(root):
        return {}
    path = Path(tempfile.gettempdir()) / "newsroom-bench-loopback.toml"
    path.write_text(SETTING)
    return {"NEWSROOM_CONFIG": str(path)}


def allow_loopback_in_process() -> None:
    """The same for a poll run in this process (a fetcher made without a policy)."""
    try:
        from newsroom_tui.net import address_policy
    except ImportError:
        return
    address_policy.DEFAULT_POLICY_ENTRIES = ("127.0.0.1",)
