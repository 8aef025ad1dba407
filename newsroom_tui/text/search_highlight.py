"""Where a search's hits are in an article, for highlighting them: the words the search
found, folded as it folds them ("gruen" marks "Grün", "Buergerbuero" marks "Bürgerbüro"),
in plain text (title, captions, credits) and in the Markdown of a body. No Textual here.
"""

from __future__ import annotations

import re

from newsroom_tui.text.search_text import HitFinder

# A query word this short is not marked: one letter would mark most words of the text.
MIN_MARKED_CHARS = 2

# What a hit is not marked in, because markers there would change what the Markdown means:
# inline code, link targets, autolinks and bare addresses (a search for "herne" must not
# break https://www.herne.example/...).
_PROTECTED = re.compile(
    # each branch starts with a literal character: the regex engine then skips ahead fast
    r"(`[^`\n]*`|\]\([^)\n]*\)|<[^>\s]*>|https?://[^\s<>()\[\]]+|www\.[^\s<>()\[\]]+)"
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def hit_spans(query: str, text: str) -> list[tuple[int, int]]:
    """The hits of ``query`` in ``text`` as ``(start, end)`` offsets, each a whole word that
    the search found (see :class:`~newsroom_tui.text.search_text.HitFinder`); query words
    under :data:`MIN_MARKED_CHARS` folded characters are left out."""
    return HitFinder(query, min_chars=MIN_MARKED_CHARS).spans(text)


def highlight_markdown(markdown: str, query: str, marker: str = "**") -> str:
    """``markdown`` with each hit of ``query`` between ``marker`` (bold); inside code (spans
    and fenced blocks), link targets and addresses nothing changes, so links keep working.

    Only the text changes by the markers: no character of ``markdown`` is removed, none
    turned into anything else."""
    finder = HitFinder(query, min_chars=MIN_MARKED_CHARS)
    if not finder.wanted and not finder.whole:
        return markdown
    out: list[str] = []
    fenced = False
    prose: list[str] = []  # lines outside fenced code, marked together

    def flush() -> None:
        if prose:
            out.append(_mark_prose("\n".join(prose), finder, marker))
            prose.clear()

    for line in markdown.split("\n"):
        if _FENCE.match(line):
            if not fenced:
                flush()
            fenced = not fenced
            out.append(line)
        elif fenced:
            out.append(line)
        else:
            prose.append(line)
    flush()
    return "\n".join(out)


def _mark_prose(text: str, finder: HitFinder, marker: str) -> str:
    parts = _PROTECTED.split(text)
    for index in range(0, len(parts), 2):  # the even parts are free text
        part = parts[index]
        spans = finder.spans(part)
        if not spans:
            continue
        pieces: list[str] = []
        last = 0
        for start, end in spans:
            pieces += [part[last:start], marker, part[start:end], marker]
            last = end
        pieces.append(part[last:])
        parts[index] = "".join(pieces)
    return "".join(parts)
