"""The article text of a cleaned page tree as Markdown.

Our own Readability-style finder (:mod:`main_content`) picks the article and our converter
writes it; retries with looser rules when it finds too little. trafilatura is the second
opinion: on a long result it reads our article and trailing blocks it drops go (and a short
first block, where it read all of the article)
(:mod:`agreement`); a short result loses to trafilatura's text of the cleaned tree when that
is clearly longer or about something else, and to its text of the whole page only when that
is about something else (around a short notice, the whole page's headline, date line,
captions and furniture make any text of it longer). Measured in
bench/bench_extract.py on two corpora, each split into a development and a held-out half.
"""

from __future__ import annotations

import re
from copy import deepcopy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract.agreement import (
    article_end,
    drop_link_sections,
    ends_in_doubt,
    holds_little,
    other_extends,
    other_wins,
    plain_words,
    read_by_trafilatura,
    share,
    topic_words,
    trim_tail,
    trim_to_agreement,
)
from newsroom_tui.extract.candidate_scores import CHAR_THRESHOLD
from newsroom_tui.extract.main_content import article_length, find_article
from newsroom_tui.extract.markdown import html_to_markdown, markdown_blocks, quote, tidy_markdown

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_NOT_WORD = re.compile(r"[\W_]+")
_PARAGRAPH_TEXT = etree.XPath("//body//p//text()")
_TITLE_TEXT = etree.XPath("//head/title//text()")
_DESCRIPTION = etree.XPath("//meta[@name='description' or @property='og:description']/@content")
# Below this share of our words found in trafilatura's text the two are about different things.
_AGREEMENT = 0.5
# trafilatura writes some inline formatting as HTML tags; a terminal shows them raw.
_HTML_TAGS = re.compile(r"</?(?:sup|sub|u|mark|del|ins|s|small|span)\b[^>]*>", re.IGNORECASE)
_STRUCTURED_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||```)")


def _key(text: str) -> str:
    """Compare blocks by their words only, not by Markdown syntax or link targets."""
    return _NOT_WORD.sub("", _LINK_TARGET.sub("]", text)).casefold()


def _quote_keys(tree: HtmlElement) -> set[str]:
    keys: set[str] = set()
    for bq in tree.iter("blockquote"):
        keys.update(_key(block) for block in markdown_blocks(bq))
    keys.discard("")
    return keys


def _restore_quotes(markdown: str, keys: set[str]) -> str:
    """trafilatura's Markdown drops the blockquote marker; put it back on quoted blocks."""
    if not keys:
        return markdown
    blocks = markdown.split("\n\n")
    return "\n\n".join(
        quote(block) if not block.startswith(">") and _key(block) in keys else block
        for block in blocks
    )


def _fold_paragraphs(markdown: str) -> str:
    """Join the lines of plain paragraphs: line breaks and indentation of the HTML source
    survive trafilatura and would show up as ragged text."""
    blocks = markdown.split("\n\n")
    return "\n\n".join(
        " ".join(block.split())
        if "\n" in block and not any(_STRUCTURED_LINE.match(line) for line in block.split("\n"))
        else block
        for block in blocks
    )


# Looser and looser rules, as in Readability: keep unlikely-looking elements, stop weighing
# class names, stop cleaning conditionally.
_ATTEMPTS = ((True, True, True), (False, True, True), (False, False, True), (False, False, False))
# A looser attempt, or trafilatura's text for a short page, wins only when clearly longer.
_MUCH_LONGER = 1.5


def _trafilatura(tree: HtmlElement | str, url: str | None) -> str:
    result = trafilatura.extract(
        tree,
        url=url,
        output_format="markdown",
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
        include_comments=False,
        favor_recall=True,
        fast=True,  # no readability/justext fallback: ~10% faster, F1 within 0.5%
        deduplicate=False,
    )
    return result or ""


def _trafilatura_markdown(tree: HtmlElement | str, url: str | None) -> str:
    keys = _quote_keys(tree) if isinstance(tree, HtmlElement) else set()
    text = _HTML_TAGS.sub("", _trafilatura(tree, url))
    if not text.strip():
        return ""
    return tidy_markdown(_restore_quotes(_fold_paragraphs(tidy_markdown(text)), keys))


def _body(tree: HtmlElement) -> HtmlElement:
    body = tree.find("body")
    return body if body is not None else tree


def _own_article(tree: HtmlElement, pristine: HtmlElement) -> tuple[list[HtmlElement], int]:
    """The article nodes of ``tree`` and their text length; retries work on copies of
    ``pristine`` (the tree as it was) until one is long enough. The strictest attempt wins
    unless a looser one finds much more: Readability takes the looser result, which brings
    comments and link lists back into short notices."""
    attempts: list[tuple[list[HtmlElement], int]] = []
    for number, flags in enumerate(_ATTEMPTS):
        work = tree if number == 0 else deepcopy(pristine)
        nodes = find_article(_body(work), flags)
        length = article_length(nodes)
        attempts.append((nodes, length))
        if length >= CHAR_THRESHOLD:
            break
    longest = max(length for _, length in attempts)
    return next(a for a in attempts if a[1] * _MUCH_LONGER >= longest)


def paragraph_length(tree: HtmlElement) -> int:
    """Characters of the paragraph text of ``tree``."""
    return len(" ".join(" ".join(_PARAGRAPH_TEXT(tree)).split()))


def _topic(tree: HtmlElement) -> set[str]:
    title = " ".join(_TITLE_TEXT(tree))
    return topic_words(title, " ".join(_DESCRIPTION(tree)))


def _better(own: str, other: str) -> bool:
    """Does ``other`` beat our short result: clearly longer, or longer and about something
    else (our finder then picked a comment form or a teaser, not the article)?"""
    if len(other) > len(own) * _MUCH_LONGER:
        return True
    if len(other) <= len(own):
        return False
    return share(plain_words(own), plain_words(other)) < _AGREEMENT


def _elsewhere(own: str, other: str) -> bool:
    """Does the whole page's text ``other`` beat our short result ``own``: longer and about
    something else (the cleaning took the article along and left us furniture)? Holding ours
    and more is no reason: around a short notice, the page's furniture (a consent layer,
    share buttons, the footer) is as long as the notice itself."""
    return len(other) > len(own) and share(plain_words(own), plain_words(other)) < _AGREEMENT


def markdown_body(
    tree: HtmlElement,
    url: str | None = None,
    source: str | None = None,
    page_paragraphs: int | None = None,
) -> str:
    """Markdown of the article text of ``tree``, which must already be cleaned of furniture.
    The tree is changed (cut down to the article). ``source`` is the page's HTML as it was:
    when our finder and trafilatura on the cleaned tree both find little, trafilatura gets
    a look at the whole page (the cleaning may have taken the article along: its text wins
    when it is about something else, not for holding ours and more), and so it does
    when our article holds little of the paragraph text of the page (``page_paragraphs``,
    measured before the page was cut down; else that of ``tree``)."""
    return _markdown_body(tree, url, source, page_paragraphs)


def _markdown_body(
    tree: HtmlElement, url: str | None, source: str | None, page_paragraphs: int | None
) -> str:
    pristine = deepcopy(tree)
    nodes, length = _own_article(tree, pristine)
    own = tidy_markdown("\n\n".join(html_to_markdown(node, url) for node in nodes))
    if length >= CHAR_THRESHOLD:
        if ends_in_doubt(own):
            end, whole = article_end(nodes)  # all of the article when it has few blocks
            own = trim_to_agreement(own, read_by_trafilatura(end, url), whole)
        own = trim_tail(drop_link_sections(own, url), url)
        # (the page before it was cut down holds all of the cut tree's paragraph text)
        paragraphs = paragraph_length(pristine) if page_paragraphs is None else page_paragraphs
        if source is not None and holds_little(own, paragraphs):
            other = _trafilatura_markdown(source, url)
            topic = _topic(pristine)
            if other_wins(own, other, topic) or other_extends(own, other, topic):
                return other
        return own
    best = own
    other = _trafilatura_markdown(pristine, url)
    if _better(best, other):
        best = other
    if source is not None and len(best) < CHAR_THRESHOLD:
        other = _trafilatura_markdown(source, url)
        if _elsewhere(best, other):
            best = other
    return best
