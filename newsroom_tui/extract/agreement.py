"""Second opinions on our article: where it ends, and whether it is the page's article.

- trafilatura reads the same article nodes; trailing blocks of ours that it does not keep
  (author boxes, "more on this" lists, rating widgets, newsletter calls) go, only while it
  agrees with us on the rest (it keeps most of what we keep). Where it read all of a short
  article, a short first block it does not keep goes too (a dateline, a rating, a caption).
- Trailing headings with nothing after them and trailing blocks that are mostly links into
  the page's own site go (links to other sites are the article's sources).
- When our article holds little of the page's paragraph text, trafilatura reads the whole
  page; if the two are about different things, the one closer to the page's title and
  description wins (or trafilatura's, when clearly longer and no farther from them); if ours
  is only a part of trafilatura's text, or only the page's teaser, trafilatura's wins.
No rule names a site: the signals are agreement, text and link shares, and the page's own
metadata.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml.html import HtmlElement

from newsroom_tui.text.markdown_links import markdown_links, without_links

_LINK_TARGET = re.compile(r"\]\(((?:[^()\s]|\([^()\s]*\))*)\)")  # group: the target
_WORD = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"[*`\[\]|#>]")
# A block of ours counts as kept by trafilatura when this share of its word pairs is in its text.
_BLOCK_FOUND = 0.6
# (a block of a few words, a label or a short heading, by its words: two pairs say nothing)
_MIN_PAIRS = 3
# Trim only when trafilatura's text is mostly inside ours (both read the same article) ...
_AGREEMENT = 0.8
# ... and never cut away more than this share of our text.
_MAX_CUT = 0.3
# A first block shorter than this that trafilatura does not keep is no part of the article.
_HEAD_BLOCK = 80
# trafilatura reads the blocks holding this share of the article's end (more than can be cut).
_TAIL_SHARE = 0.5
_MIN_BLOCKS = 6
# A last block at least this long, not structured and with few links, ends the article.
_PROSE_BLOCK = 250
_PROSE_LINK_SHARE = 0.2
_STRUCTURED = re.compile(r"^\s*(?:#|[-*+]\s|\d+[.)]\s|>|\|)")
_SENTENCE_WORDS = 5
_QUOTE_OR_TABLE = re.compile(r"^\s*[>|]")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*\n]+\*\*\s*$)")
_LINK_SHARE = 0.5
_HEADING_LENGTH = 100
# Related-article lists are links through and through; sentences around links are not.
_LINKS_ONLY = 0.8
_MIN_LINKS = 2
# ... and they lead into the page's own site, at least this share of them.
_OWN_SITE = 0.5
# Links to other sites name a source in this many words on average, or have words around
# them; share buttons are one word each, and nothing else.
_SOURCE_WORDS = 2
# A thematic break with nothing after it ends nothing: it goes like a trailing heading.
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
# A heading holding a sentence's end before its last one is a pull quote, not an announcement.
_INNER_SENTENCE_END = re.compile(r"[.!?]\s")
_PULL_QUOTE_END = frozenset(".!?")
# A run of short labels at the end ("Tags:", "Blogartikel", "Weitere Artikel anzeigen"):
# lines this short that do not end like a sentence. Three of them, or fewer after a heading,
# are the page's furniture, not the article's last words.
_LABEL = 60
_LABEL_RUN = 3
_SENTENCE_END = frozenset('.!?…"“”»«)')
# Our article is doubtful when it holds less than this share of the page's paragraph text ...
_SMALL_SHARE = 0.5
# ... and then loses to trafilatura's text when they share less than this of their words
_SAME_TOPIC = 0.5
# ... and trafilatura's text holds this much more of the title's and description's words.
_CLOSER = 0.2
_TOPIC_WORD = 4
# Our article is only a part of trafilatura's whole-page text when it is shorter than this
# share of it, this share of our words is in it, and the rest brings this much more of the
# title's and description's words (a reader thread adds few of them, the article's missing
# half many).
_PART = 0.65
_CONTAINED = 0.8
_CLOSER_PART = 0.1
# ... or ours is little more than the title and description: this share of its longer words
# are theirs (the page's teaser box, picked for its long sentences; the article is elsewhere).
_TEASER = 0.5
# About something else and this much longer, trafilatura's text wins when it is no farther
# from the title and description than ours and is not a list of links (as for a short result
# of ours, where any longer text about something else wins).
_CLEARLY_LONGER = 1.5


def _words(text: str) -> list[str]:
    """Case-folded words of Markdown text, link targets left out, in their order."""
    return _WORD.findall(_LINK_TARGET.sub("]", text).casefold())


def plain_words(text: str) -> Counter[str]:
    """Case-folded words of Markdown text, link targets left out."""
    return Counter(_words(text))


def word_pairs(text: str) -> Counter[str]:
    """Consecutive pairs of the case-folded words of Markdown text: a short block's common
    words are found anywhere in a long text, its word pairs only where it was kept."""
    return Counter(f"{a} {b}" for a, b in pairwise(_words(text)))


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", _LINK_TARGET.sub("]", text)).split())


def share(part: Counter[str], whole: Counter[str]) -> float:
    """The share of the words of ``part`` found in ``whole`` (0 for no words)."""
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def _has_loose_text(el: HtmlElement) -> bool:
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


def _blocks(nodes: list[HtmlElement]) -> list[HtmlElement] | None:
    """The article's top-level blocks (through wrappers with a single child), or None when
    text sits loose between them (a copy of some blocks would then miss it)."""
    blocks: list[HtmlElement] = []
    for node in nodes:
        el = node
        children = [c for c in el if isinstance(c.tag, str)]
        while len(children) == 1 and not _has_loose_text(el):
            el = children[0]
            children = [c for c in el if isinstance(c.tag, str)]
        if _has_loose_text(el):
            return None
        blocks.extend(children or [el])
    return blocks


def article_end(nodes: list[HtmlElement]) -> tuple[list[HtmlElement], bool]:
    """The blocks holding the last ``_TAIL_SHARE`` of the article's text, or all of the
    article when it is not made of enough separate blocks (then True): only the end can be
    trimmed, and trafilatura's time grows with what it reads."""
    blocks = _blocks(nodes)
    if blocks is None or len(blocks) < _MIN_BLOCKS:
        return nodes, True
    lengths = [len(b.text_content()) for b in blocks]
    goal, total = sum(lengths) * _TAIL_SHARE, 0
    start = len(blocks)
    while start > 0 and total < goal:
        start -= 1
        total += lengths[start]
    return blocks[start:], False


def read_by_trafilatura(nodes: list[HtmlElement], url: str | None) -> str:
    """trafilatura's plain text of copies of ``nodes``."""
    root = lxml.html.Element("html")
    body = lxml.html.Element("body")
    root.append(body)
    for node in nodes:
        body.append(deepcopy(node))
    text = trafilatura.extract(
        root, url=url, output_format="txt", fast=True, include_comments=False
    )
    return text or ""


def ends_in_doubt(markdown: str) -> bool:
    """Is the article's last block worth a second opinion: short, a heading, a list, a quote,
    a table or mostly links? (A long paragraph of prose at the end is taken as the article's
    own; trafilatura costs as much time as our whole extraction.)"""
    last = markdown.rsplit("\n\n", 1)[-1]
    return (
        len(_plain(last)) < _PROSE_BLOCK
        or _STRUCTURED.match(last) is not None
        or _link_share(last) > _PROSE_LINK_SHARE
    )


def trim_to_agreement(markdown: str, other: str, whole: bool = False) -> str:
    """``markdown`` without its trailing blocks that ``other`` does not contain; when
    ``other`` is trafilatura's text of the whole article (``whole``), also without a short
    first block it does not contain (a dateline, a rating, a caption, another article's
    teaser; a heading, a quote or a table stays, and so does a sentence: a short lead, which
    trafilatura drops with a CMS's teaser element)."""
    blocks = markdown.split("\n\n")
    if not other.strip() or len(blocks) < 2:
        return markdown
    theirs = plain_words(other)
    ours = plain_words(markdown)
    if share(theirs, ours) < _AGREEMENT:
        return markdown
    found = _Found(" ".join(other.split()), word_pairs(other), theirs)
    keep = len(blocks)
    while keep > 1 and not found.keeps(blocks[keep - 1]):
        keep -= 1
    kept = blocks[: _kept(blocks, keep, ours)]
    first = kept[0]
    if (
        whole
        and len(kept) > 1
        and 0 < len(_plain(first)) < _HEAD_BLOCK
        and _HEADING.match(first) is None
        and _QUOTE_OR_TABLE.match(first) is None  # (a lone list item: a tag, a crumb)
        and not found.keeps(first)
        and not _is_sentence(first)
    ):
        kept = kept[1:]
    return "\n\n".join(kept)


def _is_sentence(block: str) -> bool:
    """A whole sentence of a few words, ended by its full stop (no dateline, rating, label or
    credit, which end without one)."""
    plain = _plain(block).strip()
    return len(plain.split()) >= _SENTENCE_WORDS and plain[-1:] in ".!?"


@dataclass
class _Found:
    """trafilatura's text, to ask whether it keeps a block of ours."""

    folded: str
    pairs: Counter[str]
    words: Counter[str]

    def keeps(self, block: str) -> bool:
        """Is ``block`` in the text: whole, or by the share of its word pairs (of its words,
        for a block of a few words)?"""
        text = _plain(block)
        if text and text in self.folded:
            return True
        pairs = word_pairs(block)
        if sum(pairs.values()) >= _MIN_PAIRS:
            return share(pairs, self.pairs) >= _BLOCK_FOUND
        return share(plain_words(block), self.words) >= _BLOCK_FOUND


def _kept(blocks: list[str], keep: int, words: Counter[str]) -> int:
    """``keep``, the number of blocks to keep, unless cutting the others loses more than
    ``_MAX_CUT`` of ``words`` (then all of them)."""
    if keep == len(blocks):
        return keep
    # Words never span blocks: the kept words are the total less those of the cut blocks.
    total = sum(words.values())
    cut = sum(sum(plain_words(block).values()) for block in blocks[keep:])
    return len(blocks) if total - cut < total * (1 - _MAX_CUT) else keep


def _link_share(block: str) -> float:
    text = _plain(block)
    links = sum(len(" ".join(link.text.split())) for link in markdown_links(block))
    return links / len(text) if text else 1.0


def _ends_nothing(block: str) -> bool:
    """A short heading or a thematic break: it only announces what follows. (A long bold
    or heading-marked block is emphasised prose, the article's last words, and so is a
    heading of sentences: a pull quote.)"""
    return _RULE.match(block) is not None or (_is_heading(block) and not _is_pull_quote(block))


def _is_pull_quote(block: str) -> bool:
    """Two sentences or more, the last one ended: quoted prose set as a heading."""
    text = _plain(block)
    return text[-1:] in _PULL_QUOTE_END and _INNER_SENTENCE_END.search(text) is not None


def _is_label(block: str) -> bool:
    text = _plain(block)
    return (
        0 < len(text) < _LABEL
        and text[-1] not in _SENTENCE_END
        and _STRUCTURED.match(block) is None
        and "```" not in block
    )


def _trailing_labels(blocks: list[str], keep: int) -> int:
    """``keep`` less a run of short labels at the end that holds an announcing block or is at
    least ``_LABEL_RUN`` long."""
    start, announces = keep, False
    while start > 1 and (_is_label(blocks[start - 1]) or _ends_nothing(blocks[start - 1])):
        announces |= _ends_nothing(blocks[start - 1])
        start -= 1
    return start if announces or keep - start >= _LABEL_RUN else keep


def trim_tail(markdown: str, url: str | None = None) -> str:
    """``markdown`` without trailing headings and rules (nothing follows them),
    trailing blocks that are mostly link text into the page's site (``url``; links to other
    sites are the article's sources), and a trailing run of short labels."""
    blocks = markdown.split("\n\n")
    keep = len(blocks)
    site = _site(url)
    while True:
        while keep > 1 and (
            _ends_nothing(blocks[keep - 1])
            or (
                _link_share(blocks[keep - 1]) > _LINK_SHARE
                and not _leads_out(blocks[keep - 1 : keep], site)
            )
        ):
            keep -= 1
        shorter = _trailing_labels(blocks, keep)
        if shorter == keep:
            break
        keep = shorter
    return "\n\n".join(blocks[: _kept(blocks, keep, plain_words(markdown))])


def _is_heading(block: str) -> bool:
    """A Markdown heading or a short bold line."""
    return _HEADING.match(block) is not None and len(_plain(block)) < _HEADING_LENGTH


def drop_link_sections(markdown: str, url: str | None = None) -> str:
    """``markdown`` without sections of links in its second half: a heading followed by
    blocks that are links through and through, two links at least, most of them into the
    page's own site (``url``; "Weitere Artikel", "Mehr zum Thema" and their lists). A list
    of links to other sites is the article's sources or recommendations: it stays."""
    blocks = markdown.split("\n\n")
    lengths = [len(_plain(block)) for block in blocks]
    half, seen = sum(lengths) * _TAIL_SHARE, 0
    site = _site(url)
    kept: list[str] = []
    index = 0
    while index < len(blocks):
        end = index + 1
        if seen >= half and _is_heading(blocks[index]):
            while end < len(blocks) and _link_share(blocks[end]) > _LINKS_ONLY:
                end += 1
            section = blocks[index + 1 : end]
            links = sum(len(_LINK_TARGET.findall(block)) for block in section)
            end = end if links >= _MIN_LINKS and not _leads_out(section, site) else index + 1
        if end == index + 1:
            kept.append(blocks[index])
        seen += sum(lengths[index:end])
        index = end
    return "\n\n".join(kept) if kept else markdown


def _site(url: str | None) -> str | None:
    """The host of ``url`` without ``www.`` (None when there is none or it is malformed)."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # "http://[::1" and the like, from the page's own links
        return None
    return host.removeprefix("www.") if host else None


def _leads_out(blocks: list[str], site: str | None) -> bool:
    """Do the links of ``blocks`` (two at least) lead mostly to other sites than ``site``,
    and say more than a label: sources, references, credits, not the site's "more on
    this", nor a row of share buttons ("Facebook", "X", "WhatsApp")?"""
    targets = [target for block in blocks for target in _LINK_TARGET.findall(block)]
    inside = sum(_same_site(target, site) for target in targets)
    if len(targets) < _MIN_LINKS or inside >= len(targets) * _OWN_SITE:
        return False
    texts = [link.text for block in blocks for link in markdown_links(block)]
    if sum(len(text.split()) for text in texts) >= len(texts) * _SOURCE_WORDS:
        return True
    # labels with words around them ("Titelbild: [Name] on [Unsplash]"): a credit
    return any(_WORD.search(without_links(block)) for block in blocks)


def _same_site(target: str, site: str | None) -> bool:
    """Does a link lead into the site (relative, the same host or a subdomain)? Without a
    page address every link counts as the site's."""
    host = _site(target)
    if site is None or host is None:
        return True
    return host == site or host.endswith(f".{site}") or site.endswith(f".{host}")


def topic_words(title: str, description: str) -> set[str]:
    """The longer words of a page's title and description."""
    return {w for w in plain_words(f"{title} {description}") if len(w) >= _TOPIC_WORD}


def _topic_share(words: Counter[str], topic: set[str]) -> float:
    return sum(1 for w in topic if w in words) / len(topic) if topic else 0.0


def holds_little(own: str, page_paragraphs: int) -> bool:
    """Does our article hold little of the page's paragraph text (characters)?"""
    return len(_plain(own)) < page_paragraphs * _SMALL_SHARE


def other_extends(own: str, other: str, topic: set[str]) -> bool:
    """Should trafilatura's whole-page text ``other`` replace our article ``own`` because
    ours is only a part of it: much shorter, mostly inside it, and the rest is about the
    page's title and description (``topic``), or ours is little more than those (a teaser)?"""
    if len(_plain(own)) >= len(_plain(other)) * _PART:
        return False
    ours, theirs = plain_words(own), plain_words(other)
    if share(ours, theirs) < _CONTAINED:
        return False
    closer = _topic_share(theirs, topic) >= _topic_share(ours, topic) + _CLOSER_PART
    return closer or _is_teaser(ours, topic)


def _is_teaser(words: Counter[str], topic: set[str]) -> bool:
    """Are most of the longer words of ``words`` the title's and description's?"""
    longer = {w: n for w, n in words.items() if len(w) >= _TOPIC_WORD}
    total = sum(longer.values())
    return bool(total) and sum(n for w, n in longer.items() if w in topic) >= total * _TEASER


def other_wins(own: str, other: str, topic: set[str]) -> bool:
    """Should trafilatura's whole-page text ``other`` replace our article ``own``? Only when
    the two are about different things and ``other`` is closer to the page's title and
    description (``topic``), or clearly longer, no farther from them and not a link list."""
    if not other.strip():
        return False
    ours, theirs = plain_words(own), plain_words(other)
    if share(ours, theirs) >= _SAME_TOPIC or share(theirs, ours) >= _SAME_TOPIC:
        return False
    topical = _topic_share(theirs, topic)
    closer = topical - _topic_share(ours, topic)
    if closer > _CLOSER:
        return True
    # (a page with no title words in either text says nothing of which one is the article)
    return (
        topical > 0
        and closer >= 0
        and len(_plain(other)) > len(_plain(own)) * _CLEARLY_LONGER
        and _link_share(other) <= _LINK_SHARE
    )
