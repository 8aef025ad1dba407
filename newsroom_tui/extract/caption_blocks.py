"""Captions and credits belong to the gallery, once: the blocks of an article body that
repeat them go.

- A gallery caption cut short by its page ("… shake hands in Hanoi … more") loses its
  collapse toggle; when the body holds the caption whole (the expanded version, or the
  page's own repetition under the photo), that block goes and the gallery takes the
  whole caption (and its credit, if it had none).
- A body block that is a gallery caption (its credit aside) goes.
- A block that is only a photo or source credit ("Symbolfoto: Polizei Bochum",
  "(AP Photo/Evan Vucci)") goes; one among the first blocks (before the dateline) becomes
  the credit of the page's image, when the page has a single image and it has none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from newsroom_tui.extract.body_furniture import TOGGLE_WORDS, plain_text
from newsroom_tui.extract.credits import credit_of_line, split_credit
from newsroom_tui.models import GalleryItem

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
# A toggle after the caption's last word: after an ellipsis or the end of a sentence.
_TRAILING_TOGGLE = re.compile(rf"(?<=[.…!?)\"”“])\s*(?:{TOGGLE_WORDS})\s*$", re.IGNORECASE)
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")
_NOT_WORD = re.compile(r"[\W_]+")
# A caption this short ("Rathaus") may be a word of the text: it must match whole and be longer.
_MIN_CAPTION = 20
_HEADING = re.compile(r"^\s*#{1,6}\s")
# A credit line among the first blocks (before the dateline) is the lead photo's.
_CREDIT_BEFORE_TEXT = 3


def without_toggle(caption: str) -> str:
    """A caption without the collapse toggle its page put after it ("… more", ". less")."""
    return _TRAILING_TOGGLE.sub("", caption).strip()


def _key(text: str) -> str:
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def _matches(block_text: str, caption: str) -> tuple[bool, bool]:
    """(Does the block repeat the caption, is it the caption's longer whole?)"""
    truncated = _ELLIPSIS.search(caption) is not None
    key = _key(_ELLIPSIS.sub("", caption))
    if len(key) < _MIN_CAPTION:
        return False, False
    text = without_toggle(block_text)
    block_key = _key(text)
    caption_key = _key(split_credit(text)[0])
    if key in (block_key, caption_key):
        return True, False
    if truncated and block_key.startswith(key):
        return True, True
    return False, False


def _caption_like(text: str, seen: Counter[str]) -> bool:
    """Does a block read as a caption, not as a paragraph: it carries a credit, or the body
    holds it more than once (headings aside)?"""
    return split_credit(text)[1] is not None or seen[_key(without_toggle(text))] > 1


def settle_captions(
    markdown: str, gallery: list[GalleryItem], shown: set[str] | frozenset[str] = frozenset()
) -> tuple[str, list[GalleryItem]]:
    """``markdown`` without credit lines and the blocks that repeat a gallery caption the
    page shows as text (the items whose source is in ``shown``; a block that repeats an alt
    text goes only when it reads as a caption: with a credit, or more than once; else it is
    the text's own paragraph), and the gallery with whole
    captions (see the module's description). Headings stay."""
    items = [replace(item, caption=without_toggle(item.caption)) for item in gallery]
    blocks = _BLOCK_SPLIT.split(markdown)
    kept: list[str] = []
    credits: list[str] = []
    texts = [plain_text(block) for block in blocks]
    seen = Counter(
        _key(without_toggle(text))
        for block, text in zip(blocks, texts, strict=True)
        if not _HEADING.match(block)
    )
    for number, block in enumerate(blocks):
        text = texts[number]
        credit = credit_of_line(block)
        if credit is not None:
            if number < _CREDIT_BEFORE_TEXT:
                credits.append(credit)
            continue
        repeated = False
        for index, item in enumerate(items):
            if _HEADING.match(block):
                continue
            if item.src not in shown and not _caption_like(text, seen):
                continue
            same, longer = _matches(text, item.caption)
            if not same:
                continue
            repeated = True
            if longer:
                caption, found = split_credit(without_toggle(text))
                items[index] = replace(item, caption=caption, credit=item.credit or found)
            break
        if not repeated:
            kept.append(block)
    if not kept:
        return markdown, items
    uncredited = [i for i, item in enumerate(items) if not item.credit]
    if len(items) == 1 and uncredited and len(credits) == 1:
        items[0] = replace(items[0], credit=credits[0])
    return "\n\n".join(kept) if len(kept) != len(blocks) else markdown, items
