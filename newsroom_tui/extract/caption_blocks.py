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
from dataclasses import dataclass, replace

from newsroom_tui.extract.body_furniture import BLOCK_SPLIT, HEADING, TOGGLE_WORDS, plain_text
from newsroom_tui.extract.credits import credit_of_line, split_credit
from newsroom_tui.models import GalleryItem

# A toggle after the caption's last word: after an ellipsis or the end of a sentence.
_TRAILING_TOGGLE = re.compile(rf"(?<=[.…!?)\"”“])\s*(?:{TOGGLE_WORDS})\s*$", re.IGNORECASE)
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")
_NOT_WORD = re.compile(r"[\W_]+")
# A caption this short ("Rathaus") may be a word of the text: it must match whole and be longer.
_MIN_CAPTION = 20
# A credit line among the first blocks (before the dateline) is the lead photo's.
_CREDIT_BEFORE_TEXT = 3


def _plain(block: str) -> str:
    """The block's words as a reader sees them (link targets only where there are links)."""
    return plain_text(block) if "](" in block else block


def without_toggle(caption: str) -> str:
    """A caption without the collapse toggle its page put after it ("… more", ". less")."""
    return _TRAILING_TOGGLE.sub("", caption).strip()


def _key(text: str) -> str:
    return _NOT_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class _Caption:
    """A gallery caption as blocks are compared with it."""

    key: str  # its words, without a trailing ellipsis
    truncated: bool  # cut short by the page ("… shake hands in Hanoi …")

    @classmethod
    def of(cls, caption: str) -> _Caption:
        return cls(_key(_ELLIPSIS.sub("", caption)), _ELLIPSIS.search(caption) is not None)


def _matches(block_key: str, block_caption_key: str, caption: _Caption) -> tuple[bool, bool]:
    """(Does the block repeat the caption, is it the caption's longer whole?) The block's
    words, and those of its caption part (its credit aside), against the caption's."""
    if len(caption.key) < _MIN_CAPTION:
        return False, False
    if caption.key in (block_key, block_caption_key):
        return True, False
    if caption.truncated and block_key.startswith(caption.key):
        return True, True
    return False, False


def settle_captions(
    markdown: str, gallery: list[GalleryItem], shown: set[str] | frozenset[str] = frozenset()
) -> tuple[str, list[GalleryItem]]:
    """``markdown`` without credit lines and the blocks that repeat a gallery caption the
    page shows as text (the items whose source is in ``shown``; a block that repeats an alt
    text goes only when it reads as a caption: with a credit, or more than once; else it is
    the text's own paragraph), and the gallery with whole
    captions (see the module's description). Headings stay."""
    items = [replace(item, caption=without_toggle(item.caption)) for item in gallery]
    captions = [_Caption.of(item.caption) for item in items]
    blocks = BLOCK_SPLIT.split(markdown)
    kept: list[str] = []
    credits: list[str] = []
    texts = [_plain(block) for block in blocks] if items else []
    keys = [_key(without_toggle(text)) for text in texts]
    headings = [HEADING.match(block) is not None for block in blocks]
    seen = Counter(key for key, heading in zip(keys, headings, strict=False) if not heading)
    # a block that repeats a caption starts with its words (the credit after them)
    starts = {caption.key[:_MIN_CAPTION] for caption in captions}
    for number, block in enumerate(blocks):
        credit = credit_of_line(block)
        if credit is not None:
            if number < _CREDIT_BEFORE_TEXT:
                credits.append(credit)
            continue
        repeated = False
        if items and not headings[number] and keys[number][:_MIN_CAPTION] in starts:
            text, block_key = texts[number], keys[number]
            stripped = without_toggle(text)
            caption_part, credit_part = split_credit(stripped)
            block_caption_key = _key(caption_part)
            # a block repeating an alt text must read as a caption: a credit, or twice
            like = credit_part is not None or seen[block_key] > 1
            for index, item in enumerate(items):
                if item.src not in shown and not like:
                    continue
                same, longer = _matches(block_key, block_caption_key, captions[index])
                if not same:
                    continue
                repeated = True
                if longer:
                    caption, found = split_credit(stripped)
                    items[index] = replace(item, caption=caption, credit=item.credit or found)
                    captions[index] = _Caption.of(caption)
                break
        if not repeated:
            kept.append(block)
    if not kept:
        return markdown, items
    uncredited = [i for i, item in enumerate(items) if not item.credit]
    if len(items) == 1 and uncredited and len(credits) == 1:
        items[0] = replace(items[0], credit=credits[0])
    return "\n\n".join(kept) if len(kept) != len(blocks) else markdown, items
