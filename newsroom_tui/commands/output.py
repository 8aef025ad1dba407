"""What the commands print: exit codes, JSON, times."""

from __future__ import annotations

import codecs
import io
import shutil
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from newsroom_tui.models import ArticleSummary

# Exit codes: 0 success; 1 the work was done but something failed (a feed, an unknown ID);
# 2 bad usage; 3 the cache cannot be opened or written.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3


def print_json(value: Any, out: TextIO | None = None) -> None:
    import json  # when a command prints JSON, not at the reader's start

    json.dump(value, out or sys.stdout, ensure_ascii=False, indent=2)
    (out or sys.stdout).write("\n")


def iso_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def local_time(value: datetime | None) -> str:
    """``value`` in this machine's time zone, as ``sync status`` prints it; "?" for none."""
    return value.astimezone().strftime("%d.%m.%Y %H:%M") if value else "?"


def article_line(ident: object, marks: str, when: str, feed: str, title: str) -> str:
    """One line of a list of articles (list, search, watch test and matches) or its header:
    the id, the marks, the date, the feed (cut to 24 characters), the title."""
    return f"{ident:>6} {marks} {when}  {feed[:24]:<24}  {title}"


def fit_line(line: str, columns: int) -> str:
    """``line`` as one line of a terminal ``columns`` wide (cut with "…"); whole for a pipe
    (``columns`` 0)."""
    if columns and len(line) >= columns:
        return line[: max(columns - 2, 0)] + "…"
    return line


def article_marks(article: ArticleSummary) -> str:
    """The marks of an article's line: "*" unread, "!" flagged (a space where not)."""
    return ("*" if not article.read else " ") + ("!" if article.flagged else " ")


def terminal_columns() -> int:
    """The terminal's width when the output goes to one; 0 into a pipe or file."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else 0


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


class IndexProgress:
    """How far a migration that makes the search index again is, on stderr: a line at the
    start, one at each further tenth, one at the end (1,000,000 articles take minutes)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._shown = -1  # the last tenth shown

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth == self._shown:
            return
        self._shown = tenth
        out = self._out or sys.stderr
        out.write(
            f"newsroom: making the search index again (umlauts now fold as ae, oe, ue): "
            f"{done:,} of {total:,} articles\n"
        )
        out.flush()
