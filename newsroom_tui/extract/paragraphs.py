"""Feed HTML that is nothing but paragraphs of plain text (``<p>…</p><p>…</p>``, as a sync
server's or a press office's text items mostly are): its Markdown without parsing it, the
same as :func:`~newsroom_tui.extract.page.extract_fragment` makes, a few times faster.
Anything else (an attribute, another tag, an entity, a control or odd space) is left to the
extractor."""

from __future__ import annotations

import re

from newsroom_tui.extract.body_furniture import drop_body_furniture
from newsroom_tui.extract.markdown import tidy_markdown
from newsroom_tui.models import ExtractedPage
from newsroom_tui.text.gallery_headings import drop_empty_gallery_headings

# Text that HTML parsing and the Markdown converter leave as it is, but for its spaces: no
# markup, no entities, no control characters, no space that the converter and str.split()
# treat differently, nothing that parsing takes out (surrogates, non-characters).
_TEXT = "[^<&\x00-\x08\x0b-\x1f\x7f-\xa0\xad\u1680\u200b-\u200d\u2028\u2029\u2060\ufeff\ufffe\uffff\ud800-\udfff]*"  # noqa: E501
_BETWEEN = "[ \t\n]*"
_PARAGRAPHS = re.compile(f"{_BETWEEN}(?:<p>{_TEXT}</p>{_BETWEEN})+")
_PARAGRAPH = re.compile(f"<p>({_TEXT})</p>")


def plain_paragraphs(html: str) -> bool:
    """Whether ``html`` is only paragraphs of plain text (with spaces between them)."""
    return _PARAGRAPHS.fullmatch(html) is not None


def paragraphs_fragment(html: str) -> ExtractedPage | None:
    """What :func:`~newsroom_tui.extract.page.extract_fragment` makes of ``html`` when it
    is only paragraphs of plain text (no gallery, no links); None for any other HTML."""
    if not plain_paragraphs(html):
        return None
    blocks = (" ".join(text.split()) for text in _PARAGRAPH.findall(html))
    markdown = tidy_markdown("\n\n".join(block for block in blocks if block))
    return ExtractedPage(body_markdown=drop_empty_gallery_headings(drop_body_furniture(markdown)))
