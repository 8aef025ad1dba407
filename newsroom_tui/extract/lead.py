"""The lead ("Vorspann", teaser) of an article, found through the page's meta description.

Many pages set the lead in a box of its own next to the headline, outside the element that
holds the article text (often inside the page's ``<header>``, which is cut away as
furniture), and repeat it as ``<meta name="description">``. The block of the page whose
words are those of the description is that lead; it is looked for before the page is cut
down. No site is named: the signal is the page's own metadata.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract.agreement import plain_words, share

_DESCRIPTIONS = etree.XPath(
    "//meta[@name='description' or @property='og:description'"
    " or @name='twitter:description']/@content"
)
# Text nodes holding one of three words, in one pass over the page's text.
_TEXT_WITH = etree.XPath(
    "//body//text()[contains(., $first) or contains(., $second) or contains(., $third)]"
)
_WORD = re.compile(r"[^\W_]+")
# Block elements a lead may be; text in other elements belongs to the nearest of these.
_BLOCKS = frozenset(
    {"p", "div", "li", "td", "dd", "section", "header", "article", "main", "blockquote", "h2"}
)
# Never a lead: code, forms, furniture in name, the headline, captions.
_NOT_TEXT = frozenset(
    {"script", "style", "noscript", "template", "textarea", "option", "button", "select",
     "h1", "figure", "figcaption", "nav", "footer", "aside", "form"}
)  # fmt: skip
# A description this short says too little to find a block by.
_MIN_WORDS = 8
# Looked up by its three longest words.
_PROBE_LENGTH = 6
# The block holds this share of the description's words, and the description this share of
# the block's (a container of the whole article holds the description's words too).
_HOLDS_DESCRIPTION = 0.5
_IS_DESCRIPTION = 0.5
_ROOM = 1.5
# A lead is a paragraph, not a label.
_MIN_LEAD = 80


def _description(tree: HtmlElement) -> str:
    return max((" ".join(d.split()) for d in _DESCRIPTIONS(tree)), key=len, default="")


def _block_of(node: HtmlElement) -> HtmlElement | None:
    el: HtmlElement | None = node
    while el is not None and el.tag not in _BLOCKS:
        if el.tag in _NOT_TEXT or el.tag in ("body", "html"):
            return None
        el = el.getparent()
    if el is None or any(a.tag in _NOT_TEXT for a in el.iterancestors()):
        return None
    return el


def find_lead(tree: HtmlElement, exclude: list[HtmlElement | None]) -> HtmlElement | None:
    """The page's block that says what its meta description says, or None. Blocks holding
    an element of ``exclude`` (the headline, the date line) are not leads."""
    description = _description(tree)
    words: Counter[str] = plain_words(description)
    if sum(words.values()) < _MIN_WORDS:
        return None
    spelled = {w.casefold(): w for w in _WORD.findall(description)}
    probes = sorted((w for w in words if len(w) >= _PROBE_LENGTH), key=len, reverse=True)
    if not probes:
        return None
    first, second, third = [spelled.get(w, w) for w in (probes * 3)[:3]]
    excluded = [el for el in exclude if el is not None]
    # a block of more than twice the description's words is not half description (characters
    # stand in for words here, with room to spare)
    longest = len(description) * _ROOM / _IS_DESCRIPTION
    best: tuple[float, HtmlElement] | None = None
    seen: set[HtmlElement] = set()
    for text in _TEXT_WITH(tree, first=first, second=second, third=third):
        block = _block_of(text.getparent())
        if block is None or block in seen:
            continue
        seen.add(block)
        content = " ".join(block.text_content().split())
        if len(content) > longest:
            continue
        block_words = plain_words(content)
        held, alike = share(words, block_words), share(block_words, words)
        if held < _HOLDS_DESCRIPTION or alike < _IS_DESCRIPTION:
            continue
        if len(content) < _MIN_LEAD:
            continue
        if any(el is block or block in el.iterancestors() for el in excluded):
            continue
        if best is None or held + alike > best[0]:
            best = (held + alike, block)
    return best[1] if best else None


_MARKUP = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)|[*_`\[\]#>|]")
# The lead counts as in the body when its start or its end is, or when the first blocks of
# the body hold most of its words (the description retold the first paragraph).
_PROBE_CHARS = 60
_FIRST_BLOCKS = 2
_RETOLD = 0.7


def _folded(markdown: str) -> str:
    return " ".join(_MARKUP.sub(" ", markdown).split()).casefold()


def with_lead(body: str, lead: str) -> str:
    """``body`` with ``lead`` (Markdown) before it, unless the body already holds it."""
    text = _folded(lead)
    if not text:
        return body
    folded = _folded(body)
    if text[:_PROBE_CHARS] in folded or text[-_PROBE_CHARS:] in folded:
        return body
    first = "\n\n".join(body.split("\n\n", _FIRST_BLOCKS)[:_FIRST_BLOCKS])
    if share(plain_words(lead), plain_words(first)) >= _RETOLD:
        return body
    return f"{lead}\n\n{body}" if body else lead
