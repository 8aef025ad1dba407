"""Inline Markdown links, ``[text](target)``, found in one pass over the text.

The regular expression ``\\[([^\\]]*)\\]\\(target\\)`` restarts at every "[" and reads on to
the next "]": on a text of "![" 40,000 times (no "]" at all) that is the rest of the text once
per bracket, quadratic (32 s for an 80 KB page). Every "[" before the same "]" fails or
succeeds with it, so :func:`markdown_links` tries each "]" once: the same links, linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsroom_tui.records import record

# From a "]": the link's target in parentheses (one level of nested parentheses allowed).
_TARGET = re.compile(r"\]\(((?:[^()\s]|\([^()\s]*\))*)\)")
# From a "]": a target of no spaces with an optional "title", as the reader's link list reads
# them.
TITLED_TARGET = re.compile(r"\]\((\S+?)(?:\s+\"[^\"]*\")?\)")


@record(frozen=True)
class MarkdownLink:
    start: int  # of the "["
    end: int  # after the ")"
    text: str  # between the brackets
    target: str  # between the parentheses


def markdown_links(text: str, target: re.Pattern[str] | None = None) -> Iterator[MarkdownLink]:
    """The inline links of ``text`` in order, as ``re.finditer`` finds
    ``\\[([^\\]]*)\\]\\((?:[^()\\s]|\\([^()\\s]*\\))*\\)``: the text runs from a "[" to the first
    "]" after it (brackets inside it are text). ``target``: another pattern for the part from
    the "]" on, its group 1 the target (default: the one above)."""
    target = target or _TARGET
    pos = 0
    while (start := text.find("[", pos)) >= 0:
        close = text.find("]", start + 1)
        if close < 0:
            return
        found = target.match(text, close)
        if found is None:
            pos = close + 1  # every "[" before this "]" fails with it
            continue
        yield MarkdownLink(start, found.end(), text[start + 1 : close], found.group(1))
        pos = found.end()


def without_links(text: str) -> str:
    """``text`` with its inline links (text and target) taken out."""
    pieces: list[str] = []
    pos = 0
    for link in markdown_links(text):
        pieces.append(text[pos : link.start])
        pos = link.end
    pieces.append(text[pos:])
    return "".join(pieces)
