"""The headline of an article page."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract.boilerplate import in_boilerplate

_HEADLINE = etree.XPath("//*[@itemprop='headline'][self::h1 or self::h2 or self::h3 or self::h4]")
_SUFFIX_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")


def fold(text: str | None) -> str:
    """Whitespace (non-breaking spaces too) folded to single spaces."""
    return " ".join((text or "").split())


def _meta(tree: HtmlElement, *names: str) -> str:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in names:
            value = fold(meta.get("content"))
            if value:
                return value
    return ""


def drop_site_suffix(title: str, site_name: str = "") -> str:
    """ "Headline | Stadt Herne" -> "Headline" (also " - Site", " – Site"); a leading site
    name ("Stadt Herne | Headline") is dropped when it matches ``site_name``."""
    matches = list(_SUFFIX_SEPARATORS.finditer(title))
    if not matches:
        return title
    if site_name and title[: matches[0].start()].casefold() == site_name.casefold():
        return title[matches[0].end() :]
    head = title[: matches[-1].start()].strip()
    return head if len(head) >= 3 else title


def _headings(
    main: HtmlElement, tags: tuple[str, ...], furniture: set[HtmlElement] | None
) -> list[HtmlElement]:
    return [
        el
        for el in main.iter(*tags)
        if fold(el.text_content()) and not in_boilerplate(el, furniture)
    ]


def find_title(
    tree: HtmlElement, main: HtmlElement, furniture: set[HtmlElement] | None = None
) -> tuple[str | None, HtmlElement | None]:
    """The headline and the element holding it (None when it came from meta tags).

    The ``h1`` of the main content, unless it is a section heading ("Pressemitteilungen") and
    an ``h2`` matches the page's ``og:title``/``<title>``; else ``og:title``, else ``<title>``.
    """
    site = _meta(tree, "og:site_name", "application-name")
    og_title = _meta(tree, "og:title", "twitter:title")
    title_el = tree.find(".//title")
    doc_title = (
        drop_site_suffix(fold(title_el.text_content()), site) if title_el is not None else ""
    )
    reference = (og_title or doc_title).casefold()

    h1s = _headings(main, ("h1",), furniture)
    if not h1s and main.tag != "body":
        body = tree.find("body")
        h1s = _headings(body, ("h1",), furniture) if body is not None else []
        h1s = h1s[:1] if len(h1s) == 1 else []
    if reference:
        h2s = [
            el
            for el in _headings(main, ("h2",), furniture)[:3]
            if len(el.text_content()) * 2 > len(reference)
        ]
        # (a CMS that marks its headline up as schema.org's, whatever its level: TYPO3's news
        # writes <h3 itemprop="headline">)
        marked = [el for el in _HEADLINE(tree) if not in_boilerplate(el, furniture)]
        for el in h1s + h2s + marked:
            text = fold(el.text_content())
            if text and text.casefold() in reference:
                return text, el
        # The headline may sit in a page-level <header> (counted as furniture) while the
        # content holds only a caption or teaser h1: an h1 anywhere that matches the meta or
        # document title (most of it) is the headline.
        references = {r.casefold() for r in (og_title, doc_title) if r}
        for el in tree.iter("h1"):
            text = fold(el.text_content())
            if text and any(
                text.casefold() in ref and len(text) * 2 > len(ref) for ref in references
            ):
                return text, el
    if h1s:
        return fold(h1s[0].text_content()), h1s[0]
    if og_title:
        return drop_site_suffix(og_title, site) if site and site in og_title else og_title, None
    return doc_title or None, None
