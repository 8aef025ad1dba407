"""Pages of several posts (a blog's front page): the reader wants the first post, not the
best-scored one. Used by :mod:`main_content` on its best candidate.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsroom_tui.extract.candidate_scores import (
    CHAR_THRESHOLD,
    HEADLINE_MARK,
    HEADLINE_MARKED,
    drop_all,
    flat_text,
)
from newsroom_tui.extract.dates import parse_german_date

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
        el.get(HEADLINE_MARK) is not None or HEADLINE_MARKED(el)
    )


def _has_date(el: HtmlElement) -> bool:
    """A date near its start (an element or a text)."""
    if next(el.iter("time"), None) is not None:
        return True
    return parse_german_date(flat_text(el)[:_DATE_TEXT]) is not None


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


def first_post(best: HtmlElement, body: HtmlElement) -> tuple[HtmlElement, bool]:
    """``best``, or where it sits in a run of sibling posts other than the first, the same
    place in the first post (its element of the same tag and class, or the post itself);
    when ``best`` holds such a run, ``best`` without the posts after the first (changed in
    place). True when the result is a whole post: its siblings are other posts, not parts
    of the article."""
    inside = _posts_inside(best)
    if inside is not None:
        # the posts after the first go; whatever else the container holds stays
        if len(flat_text(inside[0])) >= CHAR_THRESHOLD:
            drop_all(inside[1:])
        return best, False
    for post in [best, *best.iterancestors()]:
        parent = post.getparent()
        if post is body or parent is None or parent is body.getparent():
            return best, False
        run = _post_run(post, parent)
        if run is None:
            continue
        first = run[0]
        if first is post or len(flat_text(first)) < CHAR_THRESHOLD:
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
