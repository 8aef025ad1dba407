"""What the commands print: exit codes, JSON, times."""

from __future__ import annotations

import codecs
import io
import json
import sys
from datetime import datetime
from typing import Any, TextIO

# Exit codes: 0 success; 1 the work was done but something failed (a feed, an unknown ID);
# 2 bad usage; 3 the cache cannot be opened or written.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3


def print_json(value: Any, out: TextIO | None = None) -> None:
    json.dump(value, out or sys.stdout, ensure_ascii=False, indent=2)
    (out or sys.stdout).write("\n")


def iso_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def tolerate_narrow_terminals() -> None:
    """On a terminal whose encoding cannot hold every character (``LANG=C`` on an old system,
    ``PYTHONIOENCODING=latin-1``), print what it cannot show as "?" instead of ending with a
    UnicodeEncodeError: a title with "—" or "„…“" costs that character, not the command."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or stream.errors != "strict":
            continue
        try:
            unicode = codecs.lookup(stream.encoding).name.startswith("utf")
        except LookupError:
            unicode = False
        if not unicode:
            stream.reconfigure(errors="replace")
