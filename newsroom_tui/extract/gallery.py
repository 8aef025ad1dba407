"""Content images of a page with their captions and photo credits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement

from newsroom_tui.extract.boilerplate import Furniture, attr_words
from newsroom_tui.extract.credits import normalise_credit, split_credit
from newsroom_tui.extract.jsonld import iter_jsonld, types_of
from newsroom_tui.models import GalleryItem
from newsroom_tui.text.sanitize import clean_url, plain_absolute

_IMAGE_HREF = re.compile(r"\.(?:jpe?g|png|webp|gif|avif)$", re.IGNORECASE)
_GALLERY_ATTR = re.compile(
    r"galler|galerie|slider|carousel|lightbox|bilder|images|slideshow|swiper|fotostrecke",
    re.IGNORECASE,
)
_CREDIT_ATTR = re.compile(
    r"copyright|credit|source|quelle|photographer|fotograf|urheber|bildnachweis", re.IGNORECASE
)
_CAPTION_ATTR = re.compile(r"caption|bildunterschrift|legende", re.IGNORECASE)
_NOT_CONTENT = re.compile(
    r"(?:^|[^a-z])(?:logos?|icons?|favicon|sprites?|pixel|spacer|1x1|tracking)(?:[^a-z]|$)",
    re.IGNORECASE,
)
_STOP_TAGS = frozenset({"article", "main", "body", "html"})
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-full-src")
_MAX_ITEM_TEXT = 400
# A block around a lone image with at most this much text may be its caption line.
_MAX_CAPTION_BLOCK = 300
_MIN_PHOTO_SIDE = 100  # px: a badge or button, not a photo
_CAPTION_BLOCKS = frozenset({"p", "div", "li", "dd", "td"})
_CAPTION_ATTRS = ("title", "data-caption", "data-title", "data-sub-html")
_CREDIT_ATTRS = ("data-copyright", "data-credit", "data-photographer")


@dataclass
class GalleryScan:
    """Gallery items, and the page nodes they came from (to keep them out of the body)."""

    items: list[GalleryItem] = field(default_factory=list)
    nodes: list[HtmlElement] = field(default_factory=list)
    containers: list[HtmlElement] = field(default_factory=list)
    # sources of the items whose caption is text shown on the page (not an alt or title)
    shown_captions: set[str] = field(default_factory=set)


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def _absolute(url: str, base_url: str | None) -> str:
    url = url.strip()
    return urljoin(base_url, url) if base_url and not plain_absolute(url) else url


def _first_srcset(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    return value.strip().split(",")[0].split()[0]


def _lightbox_link(img: HtmlElement) -> HtmlElement | None:
    for depth, anc in enumerate(img.iterancestors()):
        if depth > 2 or anc.tag in _STOP_TAGS:
            return None
        if anc.tag == "a":
            href = urlsplit((anc.get("href") or "").strip()).path
            return anc if _IMAGE_HREF.search(href) else None
    return None


def _image_src(img: HtmlElement, link: HtmlElement | None, base_url: str | None) -> str | None:
    candidates = [link.get("href") if link is not None else None]
    candidates += [img.get(name) for name in _LAZY_SRC]
    candidates += [_first_srcset(img.get("srcset")), _first_srcset(img.get("data-srcset"))]
    candidates.append(img.get("src"))
    for value in candidates:
        if value and value.strip() and not value.strip().startswith("data:"):
            return clean_url(_absolute(value, base_url))
    return None


def _drawn_below(img: HtmlElement, pixels: int) -> bool:
    """Is ``img``'s width or height attribute ("80", "80px") less than ``pixels``?"""
    for side in ("width", "height"):
        value = img.get(side)
        try:
            if value is not None and int(value.strip().removesuffix("px")) < pixels:
                return True
        except ValueError:
            pass
    return False


def _is_decoration(img: HtmlElement, src: str) -> bool:
    if _drawn_below(img, 3):  # a tracking pixel or spacer
        return True
    words = attr_words(img)
    # The path of a plain absolute URL is the part after its host, up to its end: a word of
    # the path is a word of the whole URL, so a URL without one has no path to split.
    if plain_absolute(src) and not _NOT_CONTENT.search(f"{words} {src}"):
        return False
    return bool(_NOT_CONTENT.search(f"{words} {urlsplit(src).path}"))


def _ancestor(img: HtmlElement, tag: str) -> HtmlElement | None:
    for anc in img.iterancestors():
        if anc.tag == tag:
            return anc
        if anc.tag in _STOP_TAGS:
            return None
    return None


def _gallery_container(img: HtmlElement) -> HtmlElement | None:
    for anc in img.iterancestors():
        if anc.tag in _STOP_TAGS:
            return None
        # A lightbox link around the image is the image itself; its gallery is further out.
        if anc.tag != "a" and _GALLERY_ATTR.search(attr_words(anc)):
            return anc
    return None


def _item_in(container: HtmlElement, img: HtmlElement) -> HtmlElement:
    """The largest element inside ``container`` that holds this image and no other."""
    node = img
    parent = node.getparent()
    while parent is not None and parent is not container:
        if sum(1 for _ in parent.iter("img")) > 1:
            break
        node, parent = parent, parent.getparent()
    return node


def _caption_block(img: HtmlElement) -> HtmlElement | None:
    """The short block around a lone image whose text is its caption with a credit line, as
    feeds write it: ``<p><img …><br>Kontrollstelle. Foto: Polizei Bochum</p>``. An image
    that links a page (a "Find us on Facebook" button, a licence badge) or is drawn small is
    none."""
    if _drawn_below(img, _MIN_PHOTO_SIDE):
        return None
    for depth, anc in enumerate(img.iterancestors()):
        if depth > 2 or anc.tag in _STOP_TAGS or anc.tag == "a":
            return None
        if anc.tag in _CAPTION_BLOCKS:
            text = _text_without(anc, [])
            if not text or len(text) > _MAX_CAPTION_BLOCK or sum(1 for _ in anc.iter("img")) > 1:
                return None
            return anc if split_credit(text)[1] else None
    return None


def _caption_beside(img: HtmlElement) -> HtmlElement | None:
    """The caption a CMS writes right after the image's box rather than around the image
    (TYPO3's news: ``<div class="mediaelement"><a><img></a></div><p
    class="news-img-caption">…</p>``): the next element after the image or one of its boxes
    (up to three levels out), when its class says caption and its short text names a credit
    (a caption alone stays where the page shows it, as a lone image's alt text does)."""
    node = img
    for _ in range(3):
        following = next((el for el in node.itersiblings() if isinstance(el.tag, str)), None)
        if following is not None:
            text = _fold(following.text_content())
            if (
                _CAPTION_ATTR.search(attr_words(following))
                and 0 < len(text) <= _MAX_CAPTION_BLOCK
                and next(following.iter("img"), None) is None
                and split_credit(text)[1]
            ):
                return following
            return None
        parent = node.getparent()
        if parent is None or parent.tag in _STOP_TAGS:
            return None
        node = parent
    return None


def _credit_elements(region: HtmlElement) -> list[HtmlElement]:
    return [
        el
        for el in region.iter()
        if el is not region and isinstance(el.tag, str) and _CREDIT_ATTR.search(attr_words(el))
    ]


def _text_without(region: HtmlElement, skip: list[HtmlElement]) -> str:
    """Text of ``region`` as the page shows it, without the text inside the ``skip`` elements:
    a line break (``<br>``) is a space ("Das Rathaus<br>Foto: Stadt Herne"), not nothing."""
    if not skip and next(region.iter("br"), None) is None:
        return _fold(region.text_content())
    skipped = set(skip)
    parts: list[str] = []
    walk = etree.iterwalk(region, events=("start", "end", "comment", "pi"))
    for event, node in walk:
        if event == "start":
            if node in skipped or node.tag in ("script", "style"):
                walk.skip_subtree()
            elif node.tag == "br":
                parts.append(" ")
            else:
                parts.append(node.text or "")
        elif node is not region:  # the end of an element, a comment: the text after it
            parts.append(node.tail or "")
    return _fold("".join(parts))


def _attribute_text(value: str | None) -> str:
    """A caption attribute's text: lightboxes write HTML there (``data-sub-html``)."""
    if not value or "<" not in value:
        return _fold(value)
    try:
        return _fold(lxml.html.fragment_fromstring(value, create_parent="div").text_content())
    except (ParserError, ValueError):
        return _fold(value)


def _jsonld_credit(obj: dict[str, Any]) -> str | None:
    for key in ("creditText", "copyrightHolder", "author", "creator"):
        value = obj.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return split_credit(value)[1] or normalise_credit(value)
    return None


def _jsonld_images(tree: HtmlElement, base_url: str | None) -> dict[str, tuple[str, str | None]]:
    """ImageObjects of the page's JSON-LD: absolute URL -> (caption, credit)."""
    found: dict[str, tuple[str, str | None]] = {}
    for obj in iter_jsonld(tree):
        if "ImageObject" not in types_of(obj):
            continue
        caption = obj.get("caption")
        info = (_fold(caption) if isinstance(caption, str) else "", _jsonld_credit(obj))
        for key in ("contentUrl", "url", "@id"):
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                url = _absolute(value, base_url)
                found.setdefault(url, info)
                found.setdefault(url.split("?")[0], info)
    return found


def _figcaption(figure: HtmlElement) -> HtmlElement | None:
    """The figure's first ``figcaption`` (``find(".//figcaption")`` without its path lookup)."""
    return next(figure.iter("figcaption"), None)


def _describe(
    img: HtmlElement, link: HtmlElement | None, region: HtmlElement | None
) -> tuple[str, str | None]:
    """Caption and credit of one image from its figure/item, link and own attributes.

    Caption: the first non-empty one of figcaption / item text, link title / data-caption /
    data-title, img data-caption / alt / title, each without its credit. Credit: from that
    first text, else a credit element, else a data-copyright attribute, else the other texts.
    """
    texts: list[str] = []
    credit_els = _credit_elements(region) if region is not None else []
    if region is not None:
        caption_el = _figcaption(region) if region.tag == "figure" else region
        if caption_el is not None:
            texts.append(_text_without(caption_el, credit_els))
    holders = [link] if link is not None else []
    texts += [_attribute_text(h.get(a)) for h in holders for a in _CAPTION_ATTRS]
    texts += [_fold(img.get("data-caption")), _fold(img.get("alt")), _fold(img.get("title"))]
    split = [split_credit(text) for text in texts if text]
    caption = next((c for c, _ in split if c), "")
    credits: list[str | None] = [cr for _, cr in split[:1] if cr]
    for el in credit_els:
        text = _fold(el.text_content())
        credits.append(split_credit(text)[1] or normalise_credit(text))
    credits += [
        normalise_credit(v) for h in [img, *holders] for a in _CREDIT_ATTRS if (v := h.get(a))
    ]
    credits += [cr for _, cr in split[1:]]
    return caption, next((cr for cr in credits if cr), None)


def _shown(caption: str, img: HtmlElement, region: HtmlElement | None) -> bool:
    """Is the caption text the page shows (in the figure, the item, the lightbox), not the
    image's alt or title (which often repeat a heading or a paragraph of the text)?"""
    if all(caption != split_credit(_fold(img.get(a)))[0] for a in ("alt", "title")):
        return True
    return region is not None and caption == _shown_caption(region)


def _shown_caption(region: HtmlElement) -> str:
    """The caption a figure or gallery item shows as text, its credit aside."""
    caption_el = _figcaption(region) if region.tag == "figure" else region
    if caption_el is None:
        return ""
    return split_credit(_text_without(caption_el, _credit_elements(region)))[0]


def _jsonld_known(
    jsonld: dict[str, tuple[str, str | None]], img: HtmlElement, src: str, base_url: str | None
) -> tuple[str, str | None] | None:
    """What the page's JSON-LD says of this image (caption, credit), if it names it."""
    urls = [src, src.split("?")[0]]
    if img.get("src"):
        urls.append(_absolute(img.get("src"), base_url))
    return next((jsonld[u] for u in urls if u in jsonld), None)


def collect_gallery(
    tree: HtmlElement, base_url: str | None = None, furniture: set[HtmlElement] | None = None
) -> GalleryScan:
    """Find the content images of ``tree`` and where they sit (see :func:`find_gallery`)."""
    scan = GalleryScan()
    boilerplate = Furniture(tree, furniture)
    by_src: dict[str, int] = {}
    jsonld = _jsonld_images(tree, base_url)
    for img in tree.iter("img"):
        link = _lightbox_link(img)
        src = _image_src(img, link, base_url)
        if not src or _is_decoration(img, src) or boilerplate.around(img):
            continue
        known = _jsonld_known(jsonld, img, src, base_url) if jsonld else None
        figure = _ancestor(img, "figure")
        container = _gallery_container(img)
        item = _item_in(container, img) if container is not None else None
        if item is not None and len(item.text_content()) > _MAX_ITEM_TEXT:
            item = None  # a paragraph of text with an image in it, not a gallery item
        region = figure if figure is not None else item
        caption, credit = _describe(img, link, region)
        if region is None and not credit:
            region = _caption_block(img) or _caption_beside(img)
            if region is not None:
                caption, credit = _describe(img, link, region)
        if caption and _shown(caption, img, region):
            scan.shown_captions.add(src)
        if known:
            caption, credit = caption or known[0], credit or known[1]
        node = region if region is not None else link
        if node is None:
            if not credit:
                continue  # a plain inline image without a credit is not a gallery image
            node = img
        gallery_item = GalleryItem(src=src, caption=caption, credit=credit)
        if src in by_src:
            old = scan.items[by_src[src]]
            scan.items[by_src[src]] = GalleryItem(src, old.caption or caption, old.credit or credit)
        else:
            by_src[src] = len(scan.items)
            scan.items.append(gallery_item)
        scan.nodes.append(node)
        if container is not None and container not in scan.containers:
            scan.containers.append(container)
    return scan


def find_gallery(tree: HtmlElement, base_url: str | None = None) -> list[GalleryItem]:
    """The content images of a page or content fragment, in document order, one per source.

    Images come from ``figure``/``figcaption``, gallery lists and sliders, lightbox links and
    plain images whose alt/title carries a credit; logos, icons, tracking pixels and images in
    header, navigation or footer are left out. ``src`` is absolute when ``base_url`` is given.
    """
    return collect_gallery(tree, base_url).items
