"""What is page furniture rather than content: navigation, header, footer, cookie layers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

# Always furniture, wherever they are.
_FURNITURE_TAGS = frozenset({"nav", "script", "style", "noscript", "template"})
# Furniture only at page level; inside an article they belong to it ("<article><header>").
_PAGE_LEVEL_TAGS = frozenset({"header", "footer", "aside"})
_CONTENT_TAGS = frozenset({"article", "main"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"}
)

# Matched against the lower-cased "class id" of an element. Consent layers, breadcrumbs and
# the like go whatever their size; the weaker words ("share", "menu", "sidebar") are also used
# on layout wrappers around the article, so those elements go only when short or mostly links.
# (Substring and set checks: a regex per element is what made this slow.)
_STRONG_SUBSTRINGS = (
    "cookie", "consent", "gdpr", "dsgvo", "datenschutz-hinweis", "datenschutzhinweis",
    "privacy-banner", "privacy-notice", "privacy-layer", "usercentrics", "onetrust", "borlabs",
    "didomi", "klaro", "breadcrumb", "brotkr", "shariff", "skip-link", "skiplink",
)  # fmt: skip
_STRONG_TOKENS = frozenset({"cmp"})
_WEAK_TOKENS = frozenset(
    {
        "share", "sharing", "sharebar", "social", "socials", "teilen", "nav", "navbar",
        "navigation", "menu", "footer", "sidebar", "newsletter", "related", "pagination",
    }
)  # fmt: skip
_WEAK_SUBSTRINGS = ("sr-only", "visually-hidden", "screen-reader-text")
_SHORT_TEXT = 100
_LINK_SHARE = 0.5
# A page-level <header>/<footer>/<aside> holding most of the page's text is a misused wrapper
# around the whole page (seen on CMS themes), not furniture.
_MOST_OF_PAGE = 0.5

# Candidates in C: the furniture tags by iter(), elements with class, id or role by one XPath
# pass (self:: tests in the XPath cost more than iter). Elements without them (most of a page)
# never become Python objects; of the rest, only those with a role or one of the words above
# in their class or id get the full check.
_TAGS = tuple(sorted(_FURNITURE_TAGS | _PAGE_LEVEL_TAGS))
_WITH_ATTRIBUTES = etree.XPath("//body//*[@class or @id or @role]")
_ANY_WORD = re.compile(
    "|".join(
        re.escape(word)
        for word in sorted({*_STRONG_SUBSTRINGS, *_STRONG_TOKENS, *_WEAK_TOKENS, *_WEAK_SUBSTRINGS})
    )
)
# In this order; a tag name is looked up with iter() (C speed, no XPath pass).
_MAIN_LOOKUPS = (
    "main",
    etree.XPath("//*[@role='main']"),
    etree.XPath("//*[@itemprop='articleBody']"),
    "article",
    etree.XPath("//*[@id='content' or @id='main-content' or @id='maincontent' or @id='inhalt']"),
)


def attr_words(el: HtmlElement) -> str:
    """The class and id of an element, for pattern checks."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _short_or_links(el: HtmlElement) -> bool:
    text = _text_length(el)
    if text < _SHORT_TEXT:
        return True
    links = sum(len("".join(a.text_content().split())) for a in el.iter("a"))
    return links > text * _LINK_SHARE


def is_furniture(el: HtmlElement) -> bool:
    """Is this element itself navigation, a cookie layer, share buttons or the like?"""
    tag = el.tag
    if not isinstance(tag, str):
        return False
    if tag in _FURNITURE_TAGS or el.get("role") in _ROLES:
        return True
    if tag in _PAGE_LEVEL_TAGS and not any(a.tag in _CONTENT_TAGS for a in el.iterancestors()):
        return True
    if tag in _CONTENT_TAGS:
        return False
    words = attr_words(el).lower()
    if not words:
        return False
    if any(part in words for part in _STRONG_SUBSTRINGS):
        return True
    tokens = set(words.replace("-", " ").replace("_", " ").split())
    if tokens & _STRONG_TOKENS:
        return True
    if tag in _HEADINGS:
        # an id like "nav_kapitel_2" is a jump target of the page's contents, not navigation
        return False
    weak = bool(tokens & _WEAK_TOKENS) or any(part in words for part in _WEAK_SUBSTRINGS)
    return weak and _short_or_links(el)


def _text_length(el: HtmlElement) -> int:
    return len("".join(el.text_content().split()))


def find_furniture(tree: HtmlElement) -> set[HtmlElement]:
    """All furniture elements of a page (nested ones included), except a page-level wrapper
    (``<header>``, ``<footer>``, ``<aside>``) that holds most of the page's text."""
    body = tree.find("body")
    found = {el for el in body.iter(*_TAGS) if is_furniture(el)} if body is not None else set()
    for el in _WITH_ATTRIBUTES(tree):
        get = el.get
        if (
            get("role") is not None
            or _ANY_WORD.search(f"{get('class') or ''} {get('id') or ''}".lower())
        ) and is_furniture(el):
            found.add(el)
    wrappers = [el for el in found if el.tag in _PAGE_LEVEL_TAGS]
    if wrappers:
        page = _text_length(body if body is not None else tree)
        found.difference_update(el for el in wrappers if _text_length(el) > page * _MOST_OF_PAGE)
    return found


def in_boilerplate(el: HtmlElement, furniture: set[HtmlElement] | None = None) -> bool:
    """Is the element (or one of its ancestors) page furniture? Pass ``furniture`` from
    :func:`find_furniture` when asking for many elements of one page."""
    node: HtmlElement | None = el
    while node is not None and node.tag not in ("body", "html"):
        if node in furniture if furniture is not None else is_furniture(node):
            return True
        node = node.getparent()
    return False


class Furniture:
    """:func:`in_boilerplate` for many elements of one page, :func:`find_furniture` made only
    when needed: a feed's content fragment (most hold one image and no furniture at all) is
    answered by looking at the element and its ancestors alone."""

    def __init__(self, tree: HtmlElement, found: set[HtmlElement] | None = None) -> None:
        self._tree = tree
        self._found = found
        self._checked: dict[HtmlElement, bool] = {}

    def around(self, el: HtmlElement) -> bool:
        """Is the element (or one of its ancestors) page furniture?"""
        if self._found is None:
            # find_furniture keeps only elements is_furniture calls furniture: where none of
            # these is, it would find none either (each element is looked at once a page)
            if not self._any_furniture(el):
                return False
            self._found = find_furniture(self._tree)
        return in_boilerplate(el, self._found)

    def _any_furniture(self, el: HtmlElement) -> bool:
        node: HtmlElement | None = el
        checked = self._checked
        while node is not None and node.tag not in ("body", "html"):
            flag = checked.get(node)
            if flag is None:
                flag = checked[node] = is_furniture(node)
            if flag:
                return True
            node = node.getparent()
        return False


def find_main(tree: HtmlElement) -> HtmlElement:
    """The main content container: <main>, role=main, articleBody, a single <article>,
    #content; else <body>."""
    for lookup in _MAIN_LOOKUPS:
        matches = tree.iter(lookup) if isinstance(lookup, str) else lookup(tree)
        found = [el for el in matches if not is_furniture(el)]
        if len(found) == 1 or (found and lookup != "article"):
            return found[0]
    body = tree.find("body")
    return body if body is not None else tree


def strip_furniture(
    tree: HtmlElement,
    keep: Iterable[HtmlElement | None] = (),
    furniture: set[HtmlElement] | None = None,
) -> None:
    """Remove page furniture from ``tree`` in place. Never removes an element of ``keep`` or
    an ancestor of one (a "has-sidebar" class on a wrapper must not take the article along)."""
    protected: set[HtmlElement] = set()
    for el in keep:
        if el is not None:
            protected.add(el)
            protected.update(el.iterancestors())
    for el in find_furniture(tree) if furniture is None else furniture:
        if el not in protected:
            drop(el)


def drop(el: HtmlElement) -> None:
    """Remove an element from its tree, keeping its tail text."""
    if el.getparent() is not None:
        el.drop_tree()
