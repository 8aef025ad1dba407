"""Gallery headings left without their gallery ("Bildergalerie", "Fotos", "Bilder (12)"),
taken out of article bodies: the gallery itself is shown apart (images, captions, credits),
and a heading with nothing under it is furniture. Applied where a body is made and to
bodies cached before, as they are read."""

from __future__ import annotations

import re

_GALLERY_WORD = re.compile(
    r"(?:bilder|foto)?galerie|fotostrecke|fotos|bilder|galerie|gallery|photos|impressionen",
    re.IGNORECASE,
)
# Whether a text holds any of those words (the search the common case is decided by): the
# same words without the optional prefixes, and a lookahead on their first letters, which
# lets the engine skip most of a body at a time (five times faster on a press release)
_ANY_GALLERY_WORD = re.compile(
    r"(?=[bfgip])(?:galerie|fotostrecke|fotos|bilder|gallery|photos|impressionen)",
    re.IGNORECASE,
)
# "Bildergalerie", "## Fotos", "**Bilder (12)**", "Galerie: 8 Fotos", "Bildergalerie öffnen"
_HEADING = re.compile(
    r"^(?P<hashes>#{1,6}[ \t]+)?(?P<strong>\*\*|__)?[ \t]*(?P<word>[^\W\d_]+)[ \t]*"
    r"(?:[:(–-]?[ \t]*\d*[ \t]*(?:bilder|fotos|photos)?[ \t]*\)?|öffnen|ansehen)?"
    r"[ \t]*(?P=strong)?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
_HEADING_LEVEL = re.compile(r"^(#{1,6})[ \t]")


def _gallery_heading(block: str) -> int | None:
    """The level of a heading block that only names a gallery (0: a bare line), else None."""
    match = _HEADING.match(block.strip())
    if match is None or not _GALLERY_WORD.fullmatch(match["word"]):
        return None
    return len(match["hashes"].strip()) if match["hashes"] else 0


def drop_empty_gallery_headings(markdown: str) -> str:
    """``markdown`` without gallery headings that have nothing under them: a heading line
    ("## Bildergalerie") followed by the end or by a heading of its level or above, and a
    bare "Bildergalerie" / "Fotos" line (always furniture). Other text is left as it is."""
    if not _ANY_GALLERY_WORD.search(markdown):
        return markdown  # the common case: nothing to look at
    blocks = re.split(r"\n[ \t]*\n", markdown)
    kept: list[str] = []
    for i, block in enumerate(blocks):
        level = _gallery_heading(block)
        if level is None:
            kept.append(block)
            continue
        if level == 0:
            continue
        following = next((b for b in blocks[i + 1 :] if b.strip()), None)
        next_level = _HEADING_LEVEL.match(following.lstrip()) if following else None
        if following is None or (next_level and len(next_level[1]) <= level):
            continue
        kept.append(block)
    return "\n\n".join(kept).strip("\n") if len(kept) != len(blocks) else markdown
