"""Our own main-content finder, in the manner of Mozilla Readability (Firefox's reader view).

Paragraph-like blocks are scored by their text (length, commas) and the score flows to their
parent and grandparents; class/id words ("article", "content" versus "comment", "sidebar")
weigh in, link-heavy containers lose. The best container (on a page of several posts, its
place in the first post), plus siblings that look like part of the same article, is the
article; inside it, link lists, forms and short image/link boxes are cleaned away
conditionally. The tree is changed in place: pass a tree you own.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract.article_cleanup import clean_article
from newsroom_tui.extract.candidate_scores import (
    BLOCK_CHILDREN,
    COMMA,
    HEADLINE_MARKED,
    MIN_PARAGRAPH,
    WITH_CLASS_OR_ID,
    ScoreRun,
    class_and_id,
    drop_all,
    flat_text,
    has_block_child,
    in_tag,
)
from newsroom_tui.extract.post_runs import first_post

_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer"
    r"|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social"
    r"|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|kommentar"
    r"|weitere-artikel|mehr-zum-thema|empfehlung"
)
_MAYBE_CANDIDATE = re.compile(r"and|article|body|column|content|main|mathjax|shadow|artikel|inhalt")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_UNLIKELY_ROLES = frozenset(
    {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"}
)
_SENTENCE_END = re.compile(r"\.(?: |$)")
_SCORED = frozenset({"section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"})
_ALWAYS_DROP = frozenset(
    {"script", "style", "noscript", "template", "object", "embed", "iframe", "input", "textarea",
     "select", "button", "link", "aside", "footer", "nav", "svg"}
)  # fmt: skip
_ANCESTOR_LEVELS = 5
_TOP_CANDIDATES = 5
_MIN_TOP_CANDIDATES = 3
_MOST_OF_PAGE = 0.5
# A lead paragraph: this long at least, ending like a sentence, hardly any links.
_MIN_LEAD = 80
_LEAD_ENDS = frozenset('.!?:…"“”»«)')
_LEAD_LINK_DENSITY = 0.2
_MAX_HEADLINE_BOX = 1500


def _is_hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None:
        return True
    if el.get("aria-hidden") == "true" and "fallback-image" not in (el.get("class") or ""):
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


# Elements that may be hidden or unlikely by role: found in C, checked here. (The always
# dropped tags come from iter(): sixteen self:: tests per element made this XPath 3x slower.)
_MAYBE_HIDDEN = etree.XPath(
    ".//*[@hidden or @aria-hidden or @role or contains(@style, 'none')"
    " or contains(@style, 'hidden')]"
)


def _drop_candidates(body: HtmlElement) -> list[HtmlElement]:
    return [*body.iter(*_ALWAYS_DROP), *_MAYBE_HIDDEN(body)]


_TO_SCORE = tuple(sorted(_SCORED | {"div"}))  # by iter(): one pass, not a union of nine
_KEEP_UNLIKELY = frozenset({"a", "article", "main", "body"})
_KEEP_BY_ROLE = frozenset({"a", "article", "main", "body", "table", "tbody", "tr", "td", "th"})


def _is_unlikely(el: HtmlElement, page_length: int) -> bool:
    """Unlikely by its class/id words, unless it wraps most of the page and its marked-up
    article (themes put the whole page inside a "header" or "menu" wrapper)."""
    words = class_and_id(el).lower()
    return (
        el.tag not in _KEEP_UNLIKELY
        and _UNLIKELY.search(words) is not None
        and _MAYBE_CANDIDATE.search(words) is None
        and not in_tag(el, ("table", "code"))
        and not (
            next(el.iterdescendants("article", "main"), None) is not None
            and len(flat_text(el)) > page_length * _MOST_OF_PAGE
        )
    )


def _own_text(el: HtmlElement) -> str:
    """Text of ``el`` outside its element children that are blocks (a div's loose text)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_CHILDREN:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _prepare(body: HtmlElement, run: ScoreRun) -> list[tuple[HtmlElement, str]]:
    """Drop hidden and unlikely elements; the blocks to score with their text."""
    drop_all(
        [
            el
            for el in _drop_candidates(body)
            if el.tag in _ALWAYS_DROP
            or _is_hidden(el)
            or (run.strip_unlikely and el.tag not in _KEEP_BY_ROLE
                and el.get("role") in _UNLIKELY_ROLES)
        ]
    )  # fmt: skip
    if run.strip_unlikely:
        page_length = len(flat_text(body))
        drop_all([el for el in WITH_CLASS_OR_ID(body) if _is_unlikely(el, page_length)])
    to_score: list[tuple[HtmlElement, str]] = []
    for el in body.iter(*_TO_SCORE):
        if el is body:
            continue
        if el.tag != "div" or not has_block_child(el):
            to_score.append((el, ""))
        else:
            loose = _own_text(el)
            if len(loose) >= MIN_PARAGRAPH:
                to_score.append((el, loose))
    return to_score


def _score(to_score: list[tuple[HtmlElement, str]], run: ScoreRun) -> list[HtmlElement]:
    candidates: list[HtmlElement] = []
    for el, loose in to_score:
        if el.getparent() is None:
            continue
        text = loose or flat_text(el)
        if len(text) < MIN_PARAGRAPH:
            continue
        # Loose text of a div is a paragraph inside that div: the div is its parent.
        ancestors: list[HtmlElement] = [el] if loose else []
        for anc in el.iterancestors():
            if len(ancestors) >= _ANCESTOR_LEVELS:
                break
            ancestors.append(anc)
        if not ancestors:
            continue
        score = 1 + len(COMMA.findall(text)) + 1 + min(len(text) // 100, 3)
        for level, anc in enumerate(ancestors):
            if anc.tag in ("html",) or anc.getparent() is None:
                continue
            if anc not in run.scores:
                run.init_score(anc)
                candidates.append(anc)
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            run.scores[anc] += score / divider
    for el in candidates:
        run.scores[el] *= 1 - run.link_density(el)
    return candidates


def _top_candidate(candidates: list[HtmlElement], body: HtmlElement, run: ScoreRun) -> HtmlElement:
    scores = run.scores
    top = sorted(candidates, key=lambda el: -scores[el])[:_TOP_CANDIDATES]
    if not top or top[0] is body:
        return body
    best = top[0]
    best_score = scores[best]
    # Several strong candidates in one container: the container is the article.
    alternatives = [el for el in top[1:] if scores[el] / best_score >= 0.75]
    if len(alternatives) >= _MIN_TOP_CANDIDATES:
        alt_ancestors = [set(el.iterancestors()) for el in alternatives]
        parent = best.getparent()
        while parent is not None and parent is not body:
            if sum(parent in ancestors for ancestors in alt_ancestors) >= _MIN_TOP_CANDIDATES:
                best = parent
                break
            parent = parent.getparent()
    if best not in scores:
        run.init_score(best)
    # Climb while the parent holds a comparable share of the score, but never out of an
    # <article>: a page that marks up its article says where the article ends.
    allowed: set[HtmlElement] = set()
    for anc in best.iterancestors():
        allowed.add(anc)
        if anc.tag == "article":
            break
    last = scores[best]
    threshold = last / 3
    parent = best.getparent()
    while parent is not None and parent is not body and parent.tag != "html":
        if parent not in allowed:
            break
        if parent not in scores:
            parent = parent.getparent()
            continue
        parent_score = scores[parent]
        if parent_score < threshold:
            break
        if parent_score > last:
            best = parent
            break
        last = parent_score
        parent = parent.getparent()
    parent = best.getparent()
    while (
        parent is not None
        and parent is not body
        and parent.tag != "html"
        and parent in allowed
        and len([c for c in parent if isinstance(c.tag, str)]) == 1
    ):
        best, parent = parent, parent.getparent()
    if best not in scores:
        run.init_score(best)
    return best


def _article_nodes(best: HtmlElement, body: HtmlElement, run: ScoreRun) -> list[HtmlElement]:
    """The top candidate and the siblings that belong to the same article."""
    parent = best.getparent()
    if best is body or parent is None:
        return [best]
    best_score = run.scores.get(best, 0.0)
    threshold = max(10.0, best_score * 0.2)
    best_class = best.get("class") or ""
    nodes: list[HtmlElement] = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is best:
            nodes.append(sibling)
            continue
        bonus = best_score * 0.2 if best_class and sibling.get("class") == best_class else 0.0
        if sibling in run.scores and run.scores[sibling] + bonus >= threshold:
            nodes.append(sibling)
        elif sibling.tag == "p" or (sibling.tag == "div" and not has_block_child(sibling)):
            density = run.link_density(sibling)
            text = flat_text(sibling)
            if (len(text) > 80 and density < 0.25) or (
                0 < len(text) <= 80 and density == 0 and _SENTENCE_END.search(text)
            ):
                nodes.append(sibling)
    return nodes


def _is_lead(el: HtmlElement, run: ScoreRun) -> bool:
    if el.tag != "p" and has_block_child(el):
        return False
    text = flat_text(el)
    return (
        len(text) >= _MIN_LEAD
        and text[-1] in _LEAD_ENDS
        and run.link_density(el) < _LEAD_LINK_DENSITY
        and run.weight(el) >= 0
        and not in_tag(el, ("figure", "figcaption", "blockquote", "li"), depth=100)
    )


def _outer_leads(root: HtmlElement, run: ScoreRun) -> list[HtmlElement]:
    found = [el for el in root.iter("p", "h2", "div") if _is_lead(el, run)]
    # the outermost qualifying elements only (a div and its p are one lead)
    outer = set(found)
    return [el for el in found if not any(a in outer for a in el.iterancestors())]


def _headline_box(best: HtmlElement, body: HtmlElement) -> HtmlElement | None:
    """The small box that held the headline, when it sits before the article text outside
    it (``<section class="head">`` with the h1 and the lead, the text in another section)."""
    anchor = next(iter(HEADLINE_MARKED(body)), None)
    if anchor is None:
        return None
    above = set(best.iterancestors())
    if anchor is best or anchor in above or best in anchor.iterancestors():
        return None
    box = anchor
    while box.getparent() is not None and box.getparent() not in above:
        box = box.getparent()
    common = box.getparent()
    if common is None:
        return None
    branch = next((a for a in [best, *best.iterancestors()] if a.getparent() is common), None)
    if branch is None or common.index(box) > common.index(branch):
        return None
    return box if len(flat_text(box)) <= _MAX_HEADLINE_BOX else None


def _lead_nodes(
    best: HtmlElement, nodes: list[HtmlElement], body: HtmlElement, run: ScoreRun
) -> list[HtmlElement]:
    """The lead ("Vorspann"): paragraphs before the article text inside the same <article>
    (typically in its header next to the headline), or in the headline's own box."""
    article = next((a for a in best.iterancestors() if a.tag == "article"), None)
    if article is None:
        box = _headline_box(best, body)
        return _outer_leads(box, run) if box is not None else []
    taken = set(nodes)
    leads: list[HtmlElement] = []
    node = best
    while node is not article and node is not None:
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and sibling not in taken:
                leads[:0] = _outer_leads(sibling, run)
        node = node.getparent()
    return leads


def find_article(
    body: HtmlElement, run_flags: tuple[bool, bool, bool] = (True, True, True)
) -> list[HtmlElement]:
    """The elements making up the article inside ``body`` (changed in place)."""
    run = ScoreRun(*run_flags)
    to_score = _prepare(body, run)
    candidates = _score(to_score, run)
    best, whole_post = first_post(_top_candidate(candidates, body, run), body)
    nodes = [best] if whole_post else _article_nodes(best, body, run)
    nodes[:0] = _lead_nodes(best, nodes, body, run)
    clean_article(nodes, run)
    return nodes


def article_length(nodes: list[HtmlElement]) -> int:
    """Characters of text in the article nodes."""
    return sum(len(flat_text(node)) for node in nodes)
