"""Hard line breaks in article Markdown.

A line break of the HTML (``<br>``: the lines of a press office's contact block, an address) is
written as a hard line break, the line ending in a backslash (CommonMark; trailing spaces would
not survive the tidy-up of the Markdown nor an editor). Rich, and so the reader, draws it as a
new line; Markdown made with plain newlines would join the lines into one.
"""

from __future__ import annotations

HARD_BREAK = "\\\n"


def soft_breaks(text: str) -> str:
    """``text`` with its hard line breaks as plain newlines: the lines as a reader sees them,
    for plain-text output (``newsroom show``) and for looking at the words."""
    return text.replace(HARD_BREAK, "\n")
