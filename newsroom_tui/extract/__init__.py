"""Article extraction: page bytes or feed content to title, date, Markdown body and gallery.

Pure functions over text and lxml trees; no network, no UI.
"""

from __future__ import annotations

from newsroom_tui.extract.credits import normalise_credit, split_credit
from newsroom_tui.extract.dates import find_page_date, parse_german_date
from newsroom_tui.extract.encoding import decode_html
from newsroom_tui.extract.gallery import find_gallery
from newsroom_tui.extract.page import extract_fragment, extract_page

__all__ = [
    "decode_html",
    "extract_fragment",
    "extract_page",
    "find_gallery",
    "find_page_date",
    "normalise_credit",
    "parse_german_date",
    "split_credit",
]
