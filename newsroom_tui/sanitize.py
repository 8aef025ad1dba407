"""One place where text from the network is made safe for storage and the terminal.

Every string taken from a feed or page passes through :func:`clean_text` before it is stored,
so the store, ``--json`` output and the TUI never carry terminal control sequences.
"""

from __future__ import annotations

import re

from newsroom_tui.models import ExtractedPage, GalleryItem

# Whole escape sequences first, so their payload (an OSC 52 clipboard write, a window title)
# disappears with them rather than being left behind as visible garbage.
_ESCAPE_SEQUENCES = re.compile(
    r"""
    \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC ... BEL / ST
  | \x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?         # DCS, PM, APC, SOS ... ST
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?      # 8-bit OSC
  | (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]               # CSI
  | \x1b[ -/]*[0-~]                                # two-char ESC sequences
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def clean_text(text: str | None) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    return _CONTROL_CHARS.sub("", text)


def clean_line(text: str | None) -> str:
    """Like :func:`clean_text`, for one-line fields (titles, credits): whitespace folded."""
    return " ".join(clean_text(text).split())


def clean_page(page: ExtractedPage) -> ExtractedPage:
    """An extracted page with every text field cleaned."""
    return ExtractedPage(
        title=clean_line(page.title) or None,
        published=page.published,
        body_markdown=clean_text(page.body_markdown).strip(),
        gallery=clean_gallery(page.gallery),
    )


def clean_gallery(gallery: list[GalleryItem]) -> list[GalleryItem]:
    return [
        GalleryItem(
            src=clean_line(item.src),
            caption=clean_line(item.caption),
            credit=clean_line(item.credit) or None,
        )
        for item in gallery
    ]
