"""Whole article pages and feed content fragments to :class:`ExtractedPage`."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement

from newsroom_tui.extract.body import markdown_body, paragraph_length
from newsroom_tui.extract.body_furniture import drop_body_furniture
from newsroom_tui.extract.boilerplate import drop, find_furniture, find_main, strip_furniture
from newsroom_tui.extract.candidate_scores import HEADLINE_MARK
from newsroom_tui.extract.caption_blocks import settle_captions
from newsroom_tui.extract.credits import credit_boxes
from newsroom_tui.extract.dates import find_date_line, find_markup_date
from newsroom_tui.extract.encoding import decode_html
from newsroom_tui.extract.gallery import GalleryScan, collect_gallery
from newsroom_tui.extract.lead import find_lead, with_lead
from newsroom_tui.extract.markdown import html_to_markdown
from newsroom_tui.extract.title import find_title
from newsroom_tui.models import ExtractedPage
from newsroom_tui.text.gallery_headings import drop_empty_gallery_headings
from newsroom_tui.text.sanitize import strip_escapes

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# A gallery wrapper left with no more than a heading ("Bildergalerie") and arrows goes too.
_EMPTY_CONTAINER_CHARS = 80


_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# Every element a plain HtmlElement (no FormElement, InputElement, ...), made without the Python
# call lxml.html's class lookup makes for each element it hands out: for a scan that reads a
# tree and keeps nothing of it, the gallery of a feed entry at poll time (a fifth of its cost).
_PLAIN_PARSER = lxml.html.HTMLParser()
_PLAIN_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_html(text: str, *, plain: bool = False) -> HtmlElement | None:
    """Parse a document (or fragment) with lxml; None for empty or unparsable input.
    ``plain``: every element a plain :class:`HtmlElement` (faster to walk; no form API)."""
    # lxml refuses to set text holding control characters later (ValueError), so they go now:
    # whole terminal escape sequences first (their payload with them), then stray controls
    text = _XML_DECLARATION.sub("", _NOT_XML_TEXT.sub("", strip_escapes(text)), count=1)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, _PLAIN_PARSER if plain else None)
    except (ParserError, ValueError):
        return None


def _base_url(tree: HtmlElement, url: str | None) -> str | None:
    base = tree.find(".//base[@href]")
    if base is None:
        return url
    href = base.get("href", "").strip()
    return urljoin(url, href) if url else href or None


def _drop_gallery(scan: GalleryScan) -> None:
    for node in scan.nodes:
        drop(node)
    for container in scan.containers:
        if len(" ".join(container.text_content().split())) <= _EMPTY_CONTAINER_CHARS:
            drop(container)


def _drop_script_links(tree: HtmlElement) -> None:
    """``javascript:`` links are buttons, not links: keep their text only."""
    for link in tree.iter("a"):
        if (link.get("href") or "").strip().lower().startswith(("javascript:", "data:")):
            del link.attrib["href"]


def extract_page(
    html: str | bytes, url: str | None = None, content_type: str | None = None
) -> ExtractedPage:
    """Title, publication date, article text (Markdown) and image gallery of a full page.

    ``html`` may be bytes as fetched (decoded with :func:`decode_html` using
    ``content_type``). Navigation, cookie layers, footer, the gallery itself, the date line
    and the headline are kept out of the body text, and so are credit lines, blocks that
    repeat a gallery caption, and furniture left in the text column (collapse toggles,
    report-an-error links, script-drawn video rails, paywall and share teasers).
    """
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    tree = parse_html(text)
    if tree is None:
        return ExtractedPage()
    base = _base_url(tree, url)
    main = find_main(tree)
    furniture = find_furniture(tree)
    title, title_el = find_title(tree, main, furniture)
    date_line = find_date_line(tree, furniture=furniture)
    published = find_markup_date(tree) or (date_line[0] if date_line else None)
    scan = collect_gallery(tree, base, furniture)
    lead = find_lead(tree, [title_el, date_line[1] if date_line else None])
    lead_markdown = html_to_markdown(lead, base) if lead is not None else ""
    paragraphs = paragraph_length(tree)

    # From here on the tree is cut down to the article text; it is ours, no copy needed.
    _drop_gallery(scan)
    if title_el is not None:
        holder = title_el.getparent()
        if holder is not None:
            holder.set(HEADLINE_MARK, "")
        drop(title_el)
    if date_line is not None and date_line[1].find(".//h1") is None:
        drop(date_line[1])
    strip_furniture(tree, keep=[main], furniture=furniture)
    for box in credit_boxes(tree):
        drop(box)
    _drop_script_links(tree)
    body = with_lead(
        markdown_body(tree, base, source=text, page_paragraphs=paragraphs), lead_markdown
    )
    body, gallery = settle_captions(body, scan.items, scan.shown_captions)
    return ExtractedPage(
        title=title,
        published=published,
        body_markdown=drop_empty_gallery_headings(drop_body_furniture(body)),
        gallery=gallery,
    )


def extract_fragment(html: str, base_url: str | None = None) -> ExtractedPage:
    """Markdown body and gallery of content carried in a feed (``content:encoded``, Atom
    ``content``). All of it is content: no boilerplate scoring, only the gallery's own nodes
    are kept out of the text. Title and date stay None."""
    tree = parse_html(html)
    if tree is None:
        return ExtractedPage()
    scan = collect_gallery(tree, base_url)
    _drop_gallery(scan)
    body = tree.find("body")
    return ExtractedPage(
        body_markdown=drop_empty_gallery_headings(
            drop_body_furniture(html_to_markdown(body if body is not None else tree, base_url))
        ),
        gallery=scan.items,
    )
