"""Split Markdown into display chunks at block boundaries (never inside a fenced code block).

The reader hands the Markdown widget one chunk at a time, and each chunk is bounded: in
characters, in blocks (the widget costs per block) and in markup characters (the parser
costs tens of µs for each "[", "]", "!", "<" … where plain text is almost free; a body of
480,000 "[" took 8.6 s to show). A block over those bounds (one huge paragraph) is shown in
pieces, cut at a line break or a space where there is one.
"""

from __future__ import annotations

import re
from itertools import islice

CHUNK_CHARS = 6_000
CHUNK_BLOCKS = 30  # Textual's Markdown widget costs per block, whatever the block's length
CHUNK_MARKUP = 500  # markup characters in one chunk at most (500 "[": some 20 ms to parse)
_MARKUP_CHARS = "[]!<>`\\&"
_MARKUP = re.compile(f"[{re.escape(_MARKUP_CHARS)}]")
_FENCES = ("```", "~~~")


def markup_count(text: str) -> int:
    """How many of the characters the Markdown parser is slow on ``text`` holds."""
    return sum(text.count(c) for c in _MARKUP_CHARS)


def markdown_chunks(
    markdown: str,
    size: int = CHUNK_CHARS,
    max_blocks: int = CHUNK_BLOCKS,
    max_markup: int = CHUNK_MARKUP,
) -> list[str]:
    """Consecutive pieces of at most ``max_blocks`` blocks, about ``size`` characters and
    ``max_markup`` markup characters, whose concatenation (joined by blank lines) is the
    whole text (a block over the bounds cut into pieces of its own); a long article can
    then be rendered a piece at a time."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(_FENCES):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))

    chunks: list[str] = []
    piece: list[str] = []
    length = markup = 0
    for block in (part for whole in blocks for part in _parts(whole, size, max_markup)):
        marks = markup_count(block)
        full = length + len(block) > size or markup + marks > max_markup
        if piece and (full or len(piece) >= max_blocks):
            chunks.append("\n\n".join(piece))
            piece, length, markup = [], 0, 0
        piece.append(block)
        length += len(block) + 2
        markup += marks
    if piece:
        chunks.append("\n\n".join(piece))
    return chunks


def _parts(block: str, size: int, max_markup: int) -> list[str]:
    """``block`` whole, or cut into parts within the bounds (a fenced code block stays whole:
    its lines are not parsed as Markdown)."""
    if block.lstrip().startswith(_FENCES):
        return [block]
    parts: list[str] = []
    rest = block
    while len(rest) > size or markup_count(rest[: size + 1]) > max_markup:
        limit = min(size, len(rest))
        nth = next(islice(_MARKUP.finditer(rest, 0, limit), max_markup, None), None)
        if nth is not None:
            limit = max(nth.start(), 1)
        cut = _cut_at(rest, limit)
        if rest[:cut].strip():
            parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _cut_at(text: str, limit: int) -> int:
    """Where to cut ``text`` at ``limit`` or before: after a line break or a space in the
    second half, else at ``limit`` itself."""
    for separator in ("\n", " "):
        at = text.rfind(separator, limit // 2, limit)
        if at > 0:
            return at + 1
    return limit
