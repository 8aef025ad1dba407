"""Press-release listing pages to announcements: automatic detection, or CSS selectors.

Detection looks for the repeated blocks of a page's main content (siblings of one kind, or
runs such as ``<dt>``/``<dd>`` pairs) that each carry a title, and mostly a date and a link.
Page furniture (navigation, breadcrumbs, sidebars, cookie layers, footers) is removed first;
of the groups left, the one with the most dated, linked, titled blocks wins. Pagination and
service link lists carry no dates and never qualify; a short list beside an article's text
("Weitere Meldungen") is not the main content and is refused, as are search results.
No per-site rules: a site detection gets wrong is fixed with selectors in the config file.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract import decode_html, parse_german_date
from newsroom_tui.extract.boilerplate import find_furniture, find_main, strip_furniture
from newsroom_tui.extract.page import parse_html
from newsroom_tui.parse.page_identity import (
    JUNK_TITLE,
    declares_article,
    own_titles,
    same_page,
    site_of,
    text_of,
)
from newsroom_tui.text.plausible_dates import plausible_date
from newsroom_tui.text.sanitize import TITLE_MAX_CHARS, clean_line, clean_url, clip, join_url

# A listing has at least this many announcements (fewer: a teaser box, not a listing) ...
MIN_ITEMS = 3
# ... or this many when every one is a dated heading link of the same kind (a town's news
# page with two announcements).
MIN_STRONG_ITEMS = 2
# At least this share of the blocks links to another page of the same site (comments link to
# their authors' sites or to the page itself, an article's own modules nowhere).
MIN_LINKED = 0.6
# ... and at least this share of them carry a date ("mostly a date").
MIN_DATED = 0.5
# The list is the main content: at least this share of the content's text is in it.
MIN_TEXT_SHARE = 0.45
# ... or this share on a page that declares itself one article (og:type "article", JSON-LD
# NewsArticle, an address that is its title): a list only when the list is nearly all of it.
MIN_TEXT_SHARE_ARTICLE = 0.8
# Announcements taken from one listing page.
MAX_ITEMS = 500
_DATE_TEXT_MAX = 80  # a date line is short; longer text only mentions a date
_META_LINE_MAX = 60  # a meta line (date, category) around it, too
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "form", "button", "select"})
_MORE = re.compile(
    r"^\W*(mehr|weiter|weiterlesen|zur meldung|details?|lesen sie mehr|read more|more)\b",
    re.IGNORECASE,
)
_SEARCH_WORDS = re.compile(r"such(?:e\b|ergebnis)|treffer|search results?", re.IGNORECASE)
_SEARCH_KEYS = re.compile(r"^(?:q|query|s|search|suche|suchbegriff|keywords?|.*sword.*)$", re.I)
_SEPARATORS = " \t\n\r\xa0–—-|·•:,;/»«›‹>"


class ListingError(Exception):
    """The page is not a listing of announcements (one-line reason)."""


@dataclass(frozen=True)
class Selectors:
    """CSS selectors from the config file for a site detection gets wrong: ``items`` selects
    the announcement blocks; ``title``, ``link`` and ``date`` are looked up inside each block
    (each optional: what is not given is found as in automatic detection)."""

    items: str
    title: str | None = None
    link: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Announcement:
    """One item of a listing page. Its link passes the one rule for URLs where it is made
    (:func:`clean_url`: refused, it is None and the announcement is kept), and its date the
    one rule for dates (:func:`plausible_date`)."""

    title: str
    url: str | None  # the detail page, if the listing links one
    published: datetime | None
    teaser: str = ""  # plain text

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", clean_url(self.url))
        object.__setattr__(self, "published", plausible_date(self.published))

    @property
    def guid(self) -> str:
        """Stable identity: the detail URL, else a digest of title and date (reordering or
        restyling the listing never makes a new article)."""
        if self.url:
            return self.url
        date = self.published.date().isoformat() if self.published else ""
        digest = hashlib.blake2b(f"{self.title}\n{date}".encode(), digest_size=12).hexdigest()
        return f"listing:{digest}"


@dataclass
class Listing:
    title: str | None
    announcements: list[Announcement] = field(default_factory=list)


# Reading one block ------------------------------------------------------------------------


def _text_pieces(parts: Iterable[HtmlElement]) -> Iterator[tuple[str, HtmlElement]]:
    """Each non-empty text node (whitespace folded) with the element that holds it."""
    for part in parts:
        for node in part.xpath(".//text()"):
            text = " ".join(str(node).split())
            holder = node.getparent()
            if not text or holder is None:
                continue
            if node.is_tail:
                holder = holder.getparent()
            if holder is None or any(
                a.tag in _SKIP_TAGS for a in (holder, *holder.iterancestors())
            ):
                continue
            yield text, holder


def _usable_href(link: HtmlElement, base: str) -> str | None:
    href = (link.get("href") or "").strip()
    if not href or href.startswith("#"):
        return None
    url = join_url(base, href)  # None: refused, or a link urljoin cannot read
    if url is None or urlsplit(url).scheme not in ("http", "https"):
        return None
    return url.split("#", 1)[0]


@dataclass
class _Block:
    """One candidate announcement: its elements and what was read from them."""

    parts: list[HtmlElement]
    title: str = ""
    title_el: HtmlElement | None = None
    url: str | None = None
    published: datetime | None = None
    date_el: HtmlElement | None = None
    text_len: int = 0
    linked: bool = False  # links another page of the same site (not the page itself)

    def score(self) -> float:
        has_teaser = self.text_len > len(self.title) + 30
        return 1 + (self.published is not None) + (self.url is not None) + 0.5 * has_teaser


def _links(parts: list[HtmlElement]) -> list[HtmlElement]:
    """The links of a block (``iter`` includes a part that is a link itself)."""
    return [a for part in parts for a in part.iter("a") if a.get("href")]


def _find_title(parts: list[HtmlElement]) -> tuple[str, HtmlElement | None]:
    for part in parts:
        for el in part.iter(*_HEADINGS):
            text = text_of(el)
            if text:
                return text, el
    for link in _links(parts):
        text = text_of(link)
        if text and not _MORE.match(text) and len(text) >= 8:
            return text, link
    for text, holder in _text_pieces(parts):
        if len(text) >= 8 and " " in text and parse_german_date(text) is None:
            return text, holder
    return "", None


def _find_date(
    parts: list[HtmlElement], title_el: HtmlElement | None
) -> tuple[datetime | None, HtmlElement | None]:
    for part in parts:
        for el in part.iter("time"):
            value = parse_german_date(el.get("datetime") or "") or parse_german_date(text_of(el))
            if value is not None:
                return value, el
    for text, holder in _text_pieces(parts):
        if len(text) > _DATE_TEXT_MAX:
            continue
        if title_el is not None and (holder is title_el or title_el in holder.iterancestors()):
            continue
        value = parse_german_date(text)
        if value is not None:
            return value, holder
    return None, None


def _find_link(
    parts: list[HtmlElement], title: str, title_el: HtmlElement | None, base: str
) -> str | None:
    if title_el is not None:
        for el in (title_el, *title_el.iterancestors()):
            if el.tag == "a":
                return _usable_href(el, base)
            if el in parts:
                break
        for link in title_el.iter("a"):
            url = _usable_href(link, base)
            if url:
                return url
    links = _links(parts)
    for link in links:
        if text_of(link) == title or _MORE.match(text_of(link)):
            url = _usable_href(link, base)
            if url:
                return url
    urls = {u for u in (_usable_href(a, base) for a in links) if u}
    return urls.pop() if len(urls) == 1 else None


def _short_container(el: HtmlElement, parts: list[HtmlElement]) -> HtmlElement:
    """The largest short element around a date (its meta line), inside the block."""
    while el not in parts:
        parent = el.getparent()
        if parent is None or parent in parts or len(text_of(parent)) > _META_LINE_MAX:
            break
        el = parent
    return el


def _meta_kinds(blocks: Iterable[_Block]) -> set[tuple[str, str]]:
    """Tag and class of the dated blocks' meta lines (the short element around the date,
    "30.07.2024 Kultur"): an undated block's element of that kind is its meta line too
    ("Stadtleben"), not teaser. Only classed elements: a bare <p> is any paragraph."""
    kinds: set[tuple[str, str]] = set()
    for block in blocks:
        if block.date_el is not None and block.date_el not in block.parts:
            line = _short_container(block.date_el, block.parts)
            if line not in block.parts and line.get("class", "").strip():
                kinds.add((line.tag, line.get("class", "").strip()))
    return kinds


def _teaser(block: _Block, meta_kinds: Collection[tuple[str, str]] = ()) -> str:
    """The block's text without its title, date line (or, undated, the line where the
    others have it) and "mehr" links."""
    doomed: set[HtmlElement] = set()
    if block.title_el is not None and block.title_el not in block.parts:
        doomed.add(block.title_el)
    if block.date_el is not None and block.date_el not in block.parts:
        doomed.add(_short_container(block.date_el, block.parts))
    elif meta_kinds:
        for part in block.parts:
            for el in part.iterdescendants():
                kind = (el.tag, el.get("class", "").strip()) if isinstance(el.tag, str) else None
                if kind in meta_kinds and len(text_of(el)) <= _META_LINE_MAX:
                    doomed.add(el)
    for link in _links(block.parts):
        if _MORE.match(text_of(link)) and link not in block.parts:
            doomed.add(link)
    pieces: list[str] = []
    for part in block.parts:
        clone = copy.deepcopy(part)
        # the same elements in the clone, found by their place in the original
        originals = list(part.iter())
        for original, twin in zip(originals, clone.iter(), strict=True):
            if original in doomed:
                twin.set("data-newsroom-drop", "1")
        for twin in clone.xpath(".//*[@data-newsroom-drop]"):
            twin.drop_tree()
        for text, _ in _text_pieces([clone]):
            if text == block.title or (len(text) <= _DATE_TEXT_MAX and parse_german_date(text)):
                continue
            pieces.append(text)
    teaser = " ".join(pieces).strip(_SEPARATORS)
    return "" if teaser == block.title else teaser


def _read_block(parts: list[HtmlElement], base: str) -> _Block:
    block = _Block(parts)
    block.title, block.title_el = _find_title(parts)
    block.published, block.date_el = _find_date(parts, block.title_el)
    block.url = _find_link(parts, block.title, block.title_el, base)
    block.text_len = sum(len(text_of(p)) for p in parts)
    return block


# Finding the repeated blocks --------------------------------------------------------------


def _kind(el: HtmlElement) -> tuple[str, str]:
    """What makes siblings "the same kind": the tag and the first class without digits
    (``post-311 post type-post`` and ``post-305 post …`` are both "post")."""
    classes = [c for c in (el.get("class") or "").split() if not any(ch.isdigit() for ch in c)]
    return el.tag, classes[0] if classes else ""


def _in_repeated_block(el: HtmlElement, main: HtmlElement) -> bool:
    """Is ``el`` (a "footer" or "meta" line that looks like furniture) part of one of
    several blocks of the same kind in the main content? Then it belongs to an announcement
    (TYPO3 news lists put the date in ``<div class="footer">``)."""
    if el.tag in _SKIP_TAGS or el.tag in ("nav", "aside") or el.get("role"):
        return False
    node = el.getparent()
    while node is not None and node is not main:
        parent = node.getparent()
        if parent is None:
            return False
        kind = _kind(node)
        same = (s for s in parent if s is not node and isinstance(s.tag, str))
        if sum(1 for sibling in same if _kind(sibling) == kind) >= 2:
            return main in node.iterancestors()
        node = parent
    return False


def _groups(root: HtmlElement) -> Iterator[list[list[HtmlElement]]]:
    """Candidate lists under ``root``: siblings of one kind, and periodic runs of siblings
    (``<dt>``/``<dd>``, a heading and its paragraphs) taken together."""
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in _SKIP_TAGS:
            continue
        children = [c for c in parent if isinstance(c.tag, str) and c.tag not in _SKIP_TAGS]
        if len(children) < 2:
            continue
        by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, child in enumerate(children):
            by_kind[_kind(child)].append(index)
        runs: list[tuple[int, int]] = []  # (first position, period)
        for positions in by_kind.values():
            if len(positions) >= 2:
                yield [[children[i]] for i in positions]
            steps = {b - a for a, b in pairwise(positions)}
            if len(positions) >= MIN_ITEMS and len(steps) == 1 and 2 <= (step := steps.pop()) <= 5:
                runs.append((positions[0], step))
        if runs:
            start, step = min(runs)
            yield [children[i : i + step] for i in range(start, len(children), step)]


def _mark_links(blocks: list[_Block], page: str) -> None:
    site = site_of(page)
    for block in blocks:
        url = block.url
        block.linked = bool(url and site_of(url) == site and not same_page(url, page))


def _strong(block: _Block) -> bool:
    """A dated heading that links another page of the site: a release's teaser, not chance."""
    title_el = block.title_el
    if title_el is None or block.published is None or not block.linked:
        return False
    return title_el.tag in _HEADINGS or any(a.tag in _HEADINGS for a in title_el.iterancestors())


def _judge(
    blocks: list[_Block], page: str, own: Collection[str] = ()
) -> tuple[list[_Block] | None, str]:
    """The group's announcements, or None and why not (a short phrase)."""
    blocks = [b for b in blocks if not JUNK_TITLE.match(b.title)]
    titled = [b for b in blocks if b.title]
    count = len(titled)
    if count < MIN_STRONG_ITEMS or count < 0.8 * len(blocks):
        return None, "no repeated blocks with titles"
    _mark_links(titled, page)
    for block in titled:
        if (block.url and same_page(block.url, page)) or (
            not block.linked and block.title.casefold() in own
        ):
            return None, f"one of {count} repeated blocks is the page's own article"
    if count < MIN_ITEMS:
        alike = len({_kind(b.parts[0]) for b in titled}) == 1 and all(
            len(b.parts) == 1 for b in titled
        )
        if not (alike and all(_strong(b) for b in titled)):
            return None, f"only {count} blocks, not each a dated heading link"
    if sum(b.published is not None for b in titled) < MIN_DATED * count:
        return None, f"{count} repeated blocks, mostly without a date"
    if sum(b.linked for b in titled) < MIN_LINKED * count:
        return None, (
            f"{count} repeated blocks, mostly without a link to another page of the site"
            " (comments, an author box?)"
        )
    if len({b.title for b in titled}) < count * 0.8:
        return None, f"{count} repeated blocks with the same titles"
    return titled, ""


def _best_group(
    root: HtmlElement, base: str, page: str, own: Collection[str] = ()
) -> tuple[list[_Block] | None, str]:
    """The best list of announcements under ``root``, or None and why the largest candidate
    was not one."""
    best: list[_Block] | None = None
    best_score = 0.0
    why, why_size = "no repeated blocks with titles", 0
    for group in _groups(root):
        if len(group) < MIN_STRONG_ITEMS:
            continue
        blocks, reason = _judge([_read_block(parts, base) for parts in group], page, own)
        if blocks is None:
            if len(group) > why_size and not reason.startswith("no repeated"):
                why, why_size = reason, len(group)
            continue
        score = sum(b.score() for b in blocks)
        if score > best_score:
            best, best_score = blocks, score
    return (_with_look_alikes(root, best, base, page) if best else best), why


def _shape(el: HtmlElement) -> tuple[str, tuple[tuple[str, str], ...]]:
    return el.tag, tuple(_kind(c) for c in el if isinstance(c.tag, str))


def _with_look_alikes(
    root: HtmlElement, blocks: list[_Block], base: str, page: str
) -> list[_Block]:
    """The group and the blocks built exactly like its members elsewhere in the content: a
    CMS that puts its newest release in a container of its own ("items-leading"). Such a
    block must link another page of the site and not be furniture ("Facebook", "Teilen")."""
    if any(len(b.parts) != 1 for b in blocks):
        return blocks
    members = {b.parts[0] for b in blocks}
    shapes = {_shape(el) for el in members}
    taken = members | {a for el in members for a in el.iterancestors()}
    order = {el: i for i, el in enumerate(root.iter())}
    extra = []
    for el in order:
        if el in taken or not isinstance(el.tag, str) or _shape(el) not in shapes:
            continue
        if any(a in members for a in el.iterancestors()):
            continue
        block = _read_block([el], base)
        _mark_links([block], page)
        if block.title and block.linked and not JUNK_TITLE.match(block.title):
            extra.append(block)
            taken.add(el)
    if not extra:
        return blocks
    return sorted([*blocks, *extra], key=lambda b: order[b.parts[0]])


def _looks_like_search(tree: HtmlElement, url: str) -> bool:
    query = parse_qsl(urlsplit(url).query)
    if any(_SEARCH_KEYS.match(key) and value for key, value in query):
        return True
    headings = [text_of(h) for h in tree.iter("h1")] + [text_of(t) for t in tree.iter("title")]
    return any(_SEARCH_WORDS.search(text) for text in headings)


def _page_title(tree: HtmlElement, main: HtmlElement) -> str | None:
    for el in (*main.iter("h1"), *tree.iter("title")):
        text = clean_line(text_of(el))
        if text:
            return clip(text, TITLE_MAX_CHARS)
    return None


def _announcements(blocks: list[_Block]) -> list[Announcement]:
    meta_kinds = _meta_kinds(blocks)
    return _unique(
        Announcement(
            title=clip(clean_line(b.title), TITLE_MAX_CHARS),
            url=b.url,
            published=b.published,
            teaser=clean_line(_teaser(b, meta_kinds)),
        )
        for b in blocks
    )


def _parse(html: str | bytes, content_type: str | None) -> HtmlElement:
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    tree = parse_html(text)
    if tree is None:
        raise ListingError("the page is empty")
    return tree


def detect_listing(
    html: str | bytes,
    url: str,
    content_type: str | None = None,
    selectors: Selectors | None = None,
) -> Listing:
    """The announcements of a listing page. Raises ListingError (one line) when the page is
    not one: no repeated dated blocks, a single article, search results."""
    tree = _parse(html, content_type)
    base = url
    base_el = tree.find(".//base[@href]")
    if base_el is not None:
        base = join_url(url, base_el.get("href", "").strip()) or url
    if selectors is not None:
        return _by_selectors(tree, base, selectors)
    main = find_main(tree)
    title = _page_title(tree, main)
    own = own_titles(tree)
    share = MIN_TEXT_SHARE_ARTICLE if declares_article(tree, url) else MIN_TEXT_SHARE
    furniture = {el for el in find_furniture(tree) if not _in_repeated_block(el, main)}
    strip_furniture(tree, keep=[main], furniture=furniture)
    root = main
    blocks, why = _best_group(root, base, url, own)
    if blocks is None:
        raise ListingError(f"no feed and no list of dated announcements on the page ({why})")
    if _looks_like_search(tree, url):
        raise ListingError("a page of search results, not a list of announcements")
    listed = sum(b.text_len for b in blocks)
    if listed < share * len(text_of(root)):
        raise ListingError(
            f"a single page (an article?) with a short list of {len(blocks)} links beside "
            "its text, not a list of announcements"
        )
    return Listing(title, _announcements(blocks))


def _unique(announcements: Iterable[Announcement]) -> list[Announcement]:
    seen: dict[str, Announcement] = {}
    for item in announcements:
        seen.setdefault(item.guid, item)
    return list(seen.values())[:MAX_ITEMS]


def _select(el: HtmlElement, css: str) -> list[HtmlElement]:
    from lxml.cssselect import CSSSelector, SelectorError

    try:
        selected: list[HtmlElement] = CSSSelector(css)(el)
        return selected
    except (SelectorError, etree.XPathError) as exc:
        raise ListingError(f"the selector {css!r} is not valid CSS: {exc}") from None


def _by_selectors(tree: HtmlElement, base: str, selectors: Selectors) -> Listing:
    blocks: list[_Block] = []
    for item in _select(tree, selectors.items):
        block = _read_block([item], base)
        if selectors.title:
            found = _select(item, selectors.title)
            block.title, block.title_el = (text_of(found[0]), found[0]) if found else ("", None)
        if selectors.link:
            found = _select(item, selectors.link)
            link = next((a for el in found for a in (el, *el.iter("a")) if a.get("href")), None)
            block.url = _usable_href(link, base) if link is not None else None
        if selectors.date:
            found = _select(item, selectors.date)
            block.published, block.date_el = None, None
            for el in found:
                value = parse_german_date(el.get("datetime") or "") or parse_german_date(
                    text_of(el)
                )
                if value is not None:
                    block.published, block.date_el = value, el
                    break
        if block.title:
            blocks.append(block)
    if not blocks:
        raise ListingError(f"the selector {selectors.items!r} finds no announcements")
    return Listing(_page_title(tree, find_main(tree)), _announcements(blocks))
