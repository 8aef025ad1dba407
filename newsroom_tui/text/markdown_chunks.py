"""Split Markdown into display chunks at block boundaries (never inside a fenced code block)."""

from __future__ import annotations

CHUNK_CHARS = 6_000
CHUNK_BLOCKS = 30  # Textual's Markdown widget costs per block, whatever the block's length


def markdown_chunks(
    markdown: str, size: int = CHUNK_CHARS, max_blocks: int = CHUNK_BLOCKS
) -> list[str]:
    """Consecutive pieces of at most ``max_blocks`` blocks and about ``size`` characters,
    whose concatenation (joined by blank lines) is the whole text; a long article can then be
    rendered a piece at a time."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
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
    length = 0
    for block in blocks:
        if piece and (length + len(block) > size or len(piece) >= max_blocks):
            chunks.append("\n\n".join(piece))
            piece, length = [], 0
        piece.append(block)
        length += len(block) + 2
    if piece:
        chunks.append("\n\n".join(piece))
    return chunks
