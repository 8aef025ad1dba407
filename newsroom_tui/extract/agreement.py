"""A second opinion on our article's end: trafilatura reads the same article, and trailing
blocks of ours that it does not keep (author boxes, "more on this" lists, rating widgets,
newsletter calls) go.

Only the end is trimmed, and only while trafilatura agrees with us on the rest: it keeps most
of what we keep (it would otherwise be judging another part of the page).
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy

import lxml.html
import trafilatura
from lxml.html import HtmlElement

_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")
_WORD = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"[*`\[\]|#>]")
# A block of ours counts as kept by trafilatura when this share of its words is in its text.
_BLOCK_FOUND = 0.6
# Trim only when trafilatura's text is mostly inside ours (both read the same article) ...
_AGREEMENT = 0.8
# ... and never cut away more than this share of our text.
_MAX_CUT = 0.3


def plain_words(text: str) -> Counter[str]:
    """Case-folded words of Markdown text, link targets left out."""
    return Counter(_WORD.findall(_LINK_TARGET.sub("]", text).casefold()))


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", _LINK_TARGET.sub("]", text)).split())


def second_opinion(nodes: list[HtmlElement], url: str | None) -> str:
    """trafilatura's plain text of our article nodes (copies; the nodes stay as they are)."""
    root = lxml.html.Element("html")
    body = lxml.html.Element("body")
    root.append(body)
    for node in nodes:
        body.append(deepcopy(node))
    return trafilatura.extract(root, url=url, output_format="txt", fast=True) or ""


def trim_to_agreement(markdown: str, other: str) -> str:
    """``markdown`` without its trailing blocks that ``other`` does not contain."""
    blocks = markdown.split("\n\n")
    if not other.strip() or len(blocks) < 2:
        return markdown
    theirs = plain_words(other)
    ours = plain_words(markdown)
    if sum((theirs & ours).values()) < sum(theirs.values()) * _AGREEMENT:
        return markdown
    folded = " ".join(other.split())
    keep = len(blocks)
    while keep > 1:
        block = blocks[keep - 1]
        text = _plain(block)
        words = plain_words(block)
        total = sum(words.values())
        if text and text in folded:
            break
        if total and sum((words & theirs).values()) >= total * _BLOCK_FOUND:
            break
        keep -= 1
    if keep == len(blocks):
        return markdown
    kept = "\n\n".join(blocks[:keep])
    if sum(plain_words(kept).values()) < sum(ours.values()) * (1 - _MAX_CUT):
        return markdown
    return kept
