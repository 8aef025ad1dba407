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
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract.dates import parse_german_date

_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer"
    r"|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social"
    r"|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|kommentar"
    r"|weitere-artikel|mehr-zum-thema|empfehlung"
)
_MAYBE_CANDIDATE = re.compile(r"and|article|body|column|content|main|mathjax|shadow|artikel|inhalt")
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story"
    r"|artikel|inhalt|meldung|beitrag"
)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead"
    r"|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor"
    r"|shopping|tags|widget|kommentar|teilen|werbung|anzeige"
)
_SHARE = re.compile(r"(?:\b|_)(?:share|sharedaddy)(?:\b|_)")
# Boxes about the author (name, photo, short biography) after the text: not the article.
_AUTHOR_BOX = re.compile(r"author-?(?:bio|box|info)|about-author|autorenbox|autor-?info")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_UNLIKELY_ROLES = frozenset(
    {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"}
)
_COMMA = re.compile("[,\u060c\ufe50\ufe10\ufe11\u2e41\u2e34\u2e32\uff0c]")
_SENTENCE_END = re.compile(r"\.(?: |$)")

_BLOCK_CHILDREN = frozenset({"blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"})
_SCORED = frozenset({"section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"})
_TAG_BONUS = {
    "div": 5, "pre": 3, "td": 3, "blockquote": 3,
    "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}  # fmt: skip
_ALWAYS_DROP = frozenset(
    {"script", "style", "noscript", "template", "object", "embed", "iframe", "input", "textarea",
     "select", "button", "link", "aside", "footer", "nav", "svg"}
)  # fmt: skip
# Whole pages sit in a <form> on ASP.NET sites: forms are judged like other containers.
_CONDITIONAL = ("form", "fieldset", "table", "ul", "ol", "div", "section", "dl")
_EMBEDS = ("object", "embed", "iframe", "video", "audio")
_MIN_PARAGRAPH = 25
_ANCESTOR_LEVELS = 5
_TOP_CANDIDATES = 5
_MIN_TOP_CANDIDATES = 3
# An article shorter than this sends Readability into a retry with looser rules.
CHAR_THRESHOLD = 500
_SHARE_MAX_TEXT = 500
_MOSTLY_TABLE = 0.8
_AUTHOR_MAX_TEXT = 1000
_MOST_OF_PAGE = 0.5
# A lead paragraph: this long at least, ending like a sentence, hardly any links.
_MIN_LEAD = 80
_LEAD_ENDS = frozenset('.!?:…"“”»«)')
_LEAD_LINK_DENSITY = 0.2
# page.py marks the element that held the headline (the headline itself is gone by then).
HEADLINE_MARK = "data-newsroom-headline"
_HEADLINE_MARKED = etree.XPath(f".//*[@{HEADLINE_MARK}]")
_MAX_HEADLINE_BOX = 1500


def _words(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _is_hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None:
        return True
    if el.get("aria-hidden") == "true" and "fallback-image" not in (el.get("class") or ""):
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


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


def _in_tag(el: HtmlElement, tags: tuple[str, ...], depth: int = 3) -> bool:
    for level, anc in enumerate(el.iterancestors()):
        if level >= depth:
            return False
        if anc.tag in tags:
            return True
    return False


@dataclass
class _Run:
    strip_unlikely: bool = True
    weigh_classes: bool = True
    clean_conditionally: bool = True
    scores: dict[HtmlElement, float] = field(default_factory=dict)
    text_lengths: dict[HtmlElement, int] = field(default_factory=dict)
    link_lengths: dict[HtmlElement, float] = field(default_factory=dict)

    def text_len(self, el: HtmlElement) -> int:
        value = self.text_lengths.get(el)
        if value is None:
            value = self.text_lengths[el] = len(_text(el))
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
                value = self.link_lengths[a] = len(_text(a)) * coefficient
            links += value
        return links / length

    def weight(self, el: HtmlElement) -> int:
        return class_weight(el) if self.weigh_classes else 0

    def init_score(self, el: HtmlElement) -> float:
        score = self.scores.get(el)
        if score is None:
            score = self.scores[el] = _TAG_BONUS.get(el.tag, 0) + self.weight(el)
        return score


# Elements that may be hidden or unlikely by role: found in C, checked here. (The always
# dropped tags come from iter(): sixteen self:: tests per element made this XPath 3x slower.)
_MAYBE_HIDDEN = etree.XPath(
    ".//*[@hidden or @aria-hidden or @role or contains(@style, 'none')"
    " or contains(@style, 'hidden')]"
)


def _drop_candidates(body: HtmlElement) -> list[HtmlElement]:
    return [*body.iter(*_ALWAYS_DROP), *_MAYBE_HIDDEN(body)]


_WITH_WORDS = etree.XPath(".//*[@class or @id]")
_TO_SCORE = tuple(sorted(_SCORED | {"div"}))  # by iter(): one pass, not a union of nine
_KEEP_UNLIKELY = frozenset({"a", "article", "main", "body"})
_KEEP_BY_ROLE = frozenset({"a", "article", "main", "body", "table", "tbody", "tr", "td", "th"})


def _drop_all(elements: list[HtmlElement]) -> None:
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()


def _is_unlikely(el: HtmlElement, page_length: int) -> bool:
    """Unlikely by its class/id words, unless it wraps most of the page and its marked-up
    article (themes put the whole page inside a "header" or "menu" wrapper)."""
    words = _words(el).lower()
    return (
        el.tag not in _KEEP_UNLIKELY
        and _UNLIKELY.search(words) is not None
        and _MAYBE_CANDIDATE.search(words) is None
        and not _in_tag(el, ("table", "code"))
        and not (
            next(el.iterdescendants("article", "main"), None) is not None
            and len(_text(el)) > page_length * _MOST_OF_PAGE
        )
    )


def _has_block_child(el: HtmlElement) -> bool:
    return next(el.iterdescendants(*_BLOCK_CHILDREN), None) is not None


def _own_text(el: HtmlElement) -> str:
    """Text of ``el`` outside its element children that are blocks (a div's loose text)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_CHILDREN:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _prepare(body: HtmlElement, run: _Run) -> list[tuple[HtmlElement, str]]:
    """Drop hidden and unlikely elements; the blocks to score with their text."""
    _drop_all(
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
        page_length = len(_text(body))
        _drop_all([el for el in _WITH_WORDS(body) if _is_unlikely(el, page_length)])
    to_score: list[tuple[HtmlElement, str]] = []
    for el in body.iter(*_TO_SCORE):
        if el is body:
            continue
        if el.tag != "div" or not _has_block_child(el):
            to_score.append((el, ""))
        else:
            loose = _own_text(el)
            if len(loose) >= _MIN_PARAGRAPH:
                to_score.append((el, loose))
    return to_score


def _score(to_score: list[tuple[HtmlElement, str]], run: _Run) -> list[HtmlElement]:
    candidates: list[HtmlElement] = []
    for el, loose in to_score:
        if el.getparent() is None:
            continue
        text = loose or _text(el)
        if len(text) < _MIN_PARAGRAPH:
            continue
        # Loose text of a div is a paragraph inside that div: the div is its parent.
        ancestors: list[HtmlElement] = [el] if loose else []
        for anc in el.iterancestors():
            if len(ancestors) >= _ANCESTOR_LEVELS:
                break
            ancestors.append(anc)
        if not ancestors:
            continue
        score = 1 + len(_COMMA.findall(text)) + 1 + min(len(text) // 100, 3)
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


def _top_candidate(candidates: list[HtmlElement], body: HtmlElement, run: _Run) -> HtmlElement:
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


# A page of several posts (a blog's front page): sibling blocks of one tag and like classes,
# each with a heading, most with a date, and headings that link each to its own post (the
# permalink: sections of one press release, dated and headed alike, link nowhere). The reader
# wants the first (newest), not the longest.
_POST_HEADINGS = ("h1", "h2", "h3")
_MIN_POSTS = 3
_MIN_DATES = 2
_LIKE_CLASSES = 0.5
_DATE_TEXT = 200
_DIGIT = re.compile(r"\d")


def _class_tokens(el: HtmlElement) -> frozenset[str]:
    """Class words without numbers (``post-6195`` names one post, ``hentry`` the kind)."""
    return frozenset(w for w in (el.get("class") or "").split() if not _DIGIT.search(w))


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a and not b:
        return True
    return len(a & b) >= len(a | b) * _LIKE_CLASSES


def _has_heading(el: HtmlElement) -> bool:
    """Its own heading, or the page's headline (taken out by then)."""
    return next(el.iter(*_POST_HEADINGS), None) is not None or bool(
        el.get(HEADLINE_MARK) is not None or _HEADLINE_MARKED(el)
    )


def _has_date(el: HtmlElement) -> bool:
    """A date near its start (an element or a text)."""
    if next(el.iter("time"), None) is not None:
        return True
    return parse_german_date(_text(el)[:_DATE_TEXT]) is not None


def _permalink(el: HtmlElement) -> str | None:
    """Where the first heading of ``el`` links to, if it is a link (inside the heading or
    around it) to another page: an anchor on this page (``#abschnitt-2``) is no post's."""
    heading = next(el.iter(*_POST_HEADINGS), None)
    if heading is None:
        return None
    link = next(heading.iter("a"), None)
    if link is None:
        for ancestor in heading.iterancestors():
            if ancestor is el:
                break
            if ancestor.tag == "a":
                link = ancestor
                break
    href = "" if link is None else (link.get("href") or "").strip()
    return href if href and not href.startswith("#") else None


def _links_each_to_its_post(run: list[HtmlElement]) -> bool:
    """Do the run's headings link to as many different places as there are posts (one may
    have lost its heading: the page's headline taken out by then)?"""
    links = {link for link in map(_permalink, run) if link is not None}
    return len(links) >= max(_MIN_DATES, len(run) - 1)


def _post_run(post: HtmlElement, parent: HtmlElement) -> list[HtmlElement] | None:
    """The run of sibling posts ``post`` belongs to in ``parent`` (None when it is not one)."""
    kind = _class_tokens(post)
    run = [
        c
        for c in parent
        if c.tag == post.tag and _alike(_class_tokens(c), kind) and _has_heading(c)
    ]
    # (the first post's date line may be gone already: the page's date was taken from it)
    if len(run) < _MIN_POSTS or post not in run or sum(map(_has_date, run)) < _MIN_DATES:
        return None
    return run if _links_each_to_its_post(run) else None


def _posts_inside(best: HtmlElement) -> list[HtmlElement] | None:
    """The run of posts among the children of ``best`` (the best candidate is their common
    parent when several posts score alike)."""
    tried: set[tuple[str, frozenset[str]]] = set()
    for child in best:
        if not isinstance(child.tag, str):
            continue
        kind = (child.tag, _class_tokens(child))
        if kind in tried or not _has_heading(child):
            continue
        tried.add(kind)
        run = _post_run(child, best)
        if run is not None:
            return run
    return None


def _first_post(best: HtmlElement, body: HtmlElement) -> tuple[HtmlElement, bool]:
    """``best``, or where it sits in a run of sibling posts other than the first, the same
    place in the first post (its element of the same tag and class, or the post itself);
    when ``best`` holds such a run, ``best`` without the posts after the first (changed in
    place). True when the result is a whole post: its siblings are other posts, not parts
    of the article."""
    inside = _posts_inside(best)
    if inside is not None:
        # the posts after the first go; whatever else the container holds stays
        if len(_text(inside[0])) >= CHAR_THRESHOLD:
            _drop_all(inside[1:])
        return best, False
    for post in [best, *best.iterancestors()]:
        parent = post.getparent()
        if post is body or parent is None or parent is body.getparent():
            return best, False
        run = _post_run(post, parent)
        if run is None:
            continue
        first = run[0]
        if first is post or len(_text(first)) < CHAR_THRESHOLD:
            return best, False
        if best is post:
            return first, True
        same = [
            el
            for el in first.iter(best.tag)
            if el.get("class") == best.get("class") and el is not first
        ]
        return (same[0], False) if same else (first, True)
    return best, False


def _article_nodes(best: HtmlElement, body: HtmlElement, run: _Run) -> list[HtmlElement]:
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
        elif sibling.tag == "p" or (sibling.tag == "div" and not _has_block_child(sibling)):
            density = run.link_density(sibling)
            text = _text(sibling)
            if (len(text) > 80 and density < 0.25) or (
                0 < len(text) <= 80 and density == 0 and _SENTENCE_END.search(text)
            ):
                nodes.append(sibling)
    return nodes


def _is_lead(el: HtmlElement, run: _Run) -> bool:
    if el.tag != "p" and _has_block_child(el):
        return False
    text = _text(el)
    return (
        len(text) >= _MIN_LEAD
        and text[-1] in _LEAD_ENDS
        and run.link_density(el) < _LEAD_LINK_DENSITY
        and run.weight(el) >= 0
        and not _in_tag(el, ("figure", "figcaption", "blockquote", "li"), depth=100)
    )


def _outer_leads(root: HtmlElement, run: _Run) -> list[HtmlElement]:
    found = [el for el in root.iter("p", "h2", "div") if _is_lead(el, run)]
    # the outermost qualifying elements only (a div and its p are one lead)
    outer = set(found)
    return [el for el in found if not any(a in outer for a in el.iterancestors())]


def _headline_box(best: HtmlElement, body: HtmlElement) -> HtmlElement | None:
    """The small box that held the headline, when it sits before the article text outside
    it (``<section class="head">`` with the h1 and the lead, the text in another section)."""
    anchor = next(iter(_HEADLINE_MARKED(body)), None)
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
    return box if len(_text(box)) <= _MAX_HEADLINE_BOX else None


def _lead_nodes(
    best: HtmlElement, nodes: list[HtmlElement], body: HtmlElement, run: _Run
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


def _is_data_table(table: HtmlElement) -> bool:
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return False
    if table.get("summary") or table.find(".//caption") is not None:
        return True
    if any(table.find(f".//{tag}") is not None for tag in ("thead", "tfoot", "colgroup", "th")):
        return True
    if table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    columns = max((len(row.findall("td")) for row in rows), default=0)
    return len(rows) >= 10 or columns > 4 or len(rows) * columns > 10


def _holds_data_table(el: HtmlElement, length: int) -> bool:
    """Is most of the element's text in a data table (a wrapper around a table of figures
    or a comparison, its check-mark icons counted as images)?"""
    if el.find(".//table") is None:
        return False
    tables = [t for t in el.iter("table") if _is_data_table(t)]
    return bool(tables) and sum(len(_text(t)) for t in tables) >= length * _MOSTLY_TABLE


def _should_remove(el: HtmlElement, run: _Run) -> bool:
    tag = el.tag
    if tag == "table" and _is_data_table(el):
        return False
    for anc in el.iterancestors():
        if anc.tag in ("code", "pre"):
            return False
        if anc.tag == "table" and _is_data_table(anc):
            return False
    weight = run.weight(el)
    if weight < 0:
        return True
    text = _text(el)
    if len(_COMMA.findall(text)) >= 10:
        return False
    length = len(text)
    paragraphs = len(el.findall(".//p"))
    images = len(el.findall(".//img"))
    items = len(el.findall(".//li")) - 100
    inputs = len(el.findall(".//input"))
    headings = sum(len(_text(h)) for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    heading_density = headings / length if length else 0.0
    embeds = sum(1 for _ in el.iter(*_EMBEDS))
    is_list = tag in ("ul", "ol") or (
        length > 0 and sum(len(_text(li)) for li in el.iter("li")) / length > 0.9
    )
    link_density = run.link_density(el)
    in_figure = _in_tag(el, ("figure",), depth=100)
    remove = (
        (images > 1 and paragraphs / images < 0.5 and not in_figure)
        or (not is_list and items > paragraphs)
        or (inputs > paragraphs // 3)
        or (
            not is_list
            and heading_density < 0.9
            and length < _MIN_PARAGRAPH
            and (images == 0 or images > 2)
            and not in_figure
        )
        or (not is_list and weight < 25 and link_density > 0.2)
        or (weight >= 25 and link_density > 0.5)
        or (embeds == 1 and length < 75)
        or embeds > 1
    )
    return remove and (tag == "table" or not _holds_data_table(el, length))


def _clean(article: list[HtmlElement], run: _Run) -> None:
    """Inside the article: drop link lists, forms, image boxes and the like (innermost first,
    as Readability does), share widgets and headings that look like furniture."""
    for root in article:
        if run.clean_conditionally:
            for el in reversed(list(root.iter(*_CONDITIONAL))):
                if el is root or el.getparent() is None or _in_tag(el, ("pre", "code"), 100):
                    continue
                if _should_remove(el, run):
                    el.drop_tree()
        for el in _WITH_WORDS(root):
            if el.getparent() is None:
                continue
            words = _words(el).lower()
            share = _SHARE.search(words) and run.text_len(el) < _SHARE_MAX_TEXT
            author = _AUTHOR_BOX.search(words) and run.text_len(el) < _AUTHOR_MAX_TEXT
            if share or author or (el.tag in ("h1", "h2", "h3") and run.weight(el) < 0):
                el.drop_tree()


def find_article(
    body: HtmlElement, run_flags: tuple[bool, bool, bool] = (True, True, True)
) -> list[HtmlElement]:
    """The elements making up the article inside ``body`` (changed in place)."""
    run = _Run(*run_flags)
    to_score = _prepare(body, run)
    candidates = _score(to_score, run)
    best, whole_post = _first_post(_top_candidate(candidates, body, run), body)
    nodes = [best] if whole_post else _article_nodes(best, body, run)
    nodes[:0] = _lead_nodes(best, nodes, body, run)
    _clean(nodes, run)
    return nodes


def article_length(nodes: list[HtmlElement]) -> int:
    """Characters of text in the article nodes."""
    return sum(len(_text(node)) for node in nodes)
