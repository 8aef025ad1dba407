"""What the main-content finder knows of an element while it scores the page: its text,
its class and id words and their weight, link density, and the running scores (kept in
:class:`ScoreRun`, one per attempt). Shared by :mod:`main_content`, :mod:`post_runs` and
:mod:`article_cleanup`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story"
    r"|artikel|inhalt|meldung|beitrag"
)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead"
    r"|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor"
    r"|shopping|tags|widget|kommentar|teilen|werbung|anzeige"
)
COMMA = re.compile("[,\u060c\ufe50\ufe10\ufe11\u2e41\u2e34\u2e32\uff0c]")

BLOCK_CHILDREN = frozenset({"blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"})
_TAG_BONUS = {
    "div": 5, "pre": 3, "td": 3, "blockquote": 3,
    "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}  # fmt: skip
MIN_PARAGRAPH = 25
# An article shorter than this sends Readability into a retry with looser rules.
CHAR_THRESHOLD = 500
# page.py marks the element that held the headline (the headline itself is gone by then).
HEADLINE_MARK = "data-newsroom-headline"
HEADLINE_MARKED = etree.XPath(f".//*[@{HEADLINE_MARK}]")
WITH_CLASS_OR_ID = etree.XPath(".//*[@class or @id]")


def class_and_id(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def flat_text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def class_weight(el: HtmlElement) -> int:
    """+25 / -25 for each of class and id that looks like content / like furniture."""
    weight = 0
    for value in (el.get("class"), el.get("id")):
        if value:
            value = value.lower()
            if _NEGATIVE.search(value):
                weight -= 25
            if _POSITIVE.search(value):
                weight += 25
    return weight


def in_tag(el: HtmlElement, tags: tuple[str, ...], depth: int = 3) -> bool:
    for level, anc in enumerate(el.iterancestors()):
        if level >= depth:
            return False
        if anc.tag in tags:
            return True
    return False


@dataclass
class ScoreRun:
    strip_unlikely: bool = True
    weigh_classes: bool = True
    clean_conditionally: bool = True
    scores: dict[HtmlElement, float] = field(default_factory=dict)
    text_lengths: dict[HtmlElement, int] = field(default_factory=dict)
    link_lengths: dict[HtmlElement, float] = field(default_factory=dict)

    def text_len(self, el: HtmlElement) -> int:
        value = self.text_lengths.get(el)
        if value is None:
            value = self.text_lengths[el] = len(flat_text(el))
        return value

    def link_density(self, el: HtmlElement) -> float:
        length = self.text_len(el)
        if not length:
            return 0.0
        links = 0.0
        for a in el.iter("a"):
            value = self.link_lengths.get(a)
            if value is None:
                coefficient = 0.3 if (a.get("href") or "").startswith("#") else 1.0
                value = self.link_lengths[a] = len(flat_text(a)) * coefficient
            links += value
        return links / length

    def weight(self, el: HtmlElement) -> int:
        return class_weight(el) if self.weigh_classes else 0

    def init_score(self, el: HtmlElement) -> float:
        score = self.scores.get(el)
        if score is None:
            score = self.scores[el] = _TAG_BONUS.get(el.tag, 0) + self.weight(el)
        return score


def drop_all(elements: list[HtmlElement]) -> None:
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()


def has_block_child(el: HtmlElement) -> bool:
    return next(el.iterdescendants(*BLOCK_CHILDREN), None) is not None
