"""What an HTML page says about itself, for listing detection: its own titles, whether it
declares itself one article, which links stay on its site, and which teaser titles are page
furniture ("Seitenanfang", "nach oben")."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# Page furniture that looks like a teaser: "Seitenanfang", "nach oben", "Zurück zur Übersicht",
# "« Vorherige News: …", "Kommentare", "Drucken", "Teilen".
JUNK_TITLE = re.compile(
    r"^\W*(?:(?:zum\s+)?seitenanfang|nach oben|(?:back to )?top|drucken|teilen|share"
    r"|(?:\d+\s+)?kommentare?)\W*$"
    r"|^\W*(?:zurück\s+zu(?:r|m)?\b|(?:vorherige|nächste|previous|next)\s+(?:news|meldung"
    r"|beitrag|artikel|post)\b)",
    re.IGNORECASE,
)
_ARTICLE_TYPE = re.compile(
    r'"@type"\s*:\s*"(?:News|Blog|Reportage|Analysis|Opinion)?(?:Article|Posting)"'
)


def text_of(el: HtmlElement) -> str:
    """The text of ``el`` on one line, its runs of whitespace one space each."""
    return " ".join(el.text_content().split())


def site_of(url: str) -> str:
    """The site of a URL: its host's last two labels (``www.herne.de`` and ``presse.herne.de``
    are one site; no public-suffix list, a rare miss costs one refused page)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return ".".join(host.split(".")[-2:])


def same_page(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return (one.hostname, one.path.rstrip("/"), one.query) == (
        two.hostname,
        two.path.rstrip("/"),
        two.query,
    )


def own_titles(tree: HtmlElement) -> set[str]:
    """What the page calls itself (its h1s, its <title> and that title's first piece before
    " | " or " - "), case-folded: a block with that title is the page's own article."""
    names = [text_of(h) for h in tree.iter("h1")]
    for el in tree.iter("title"):
        text = text_of(el)
        names += [text, *(re.split(r"\s+[|–—-]\s+", text)[:1])]
    return {n.casefold() for n in names if len(n) >= 8}


_SLUG_WORD = re.compile(r"[a-z0-9]+")
_FOLD_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# A page address named after its article has this many words in its last part at least.
_MIN_SLUG_WORDS = 3


def named_after_title(tree: HtmlElement, url: str) -> bool:
    """Is the page's address its article's title ("…/entwicklung-der-waldorfschule-ermoeglicht/
    index.html" for "Entwicklung der Waldorfschule ermöglicht")? Then it is that article."""
    parts = [p for p in urlsplit(url).path.lower().split("/") if p]
    parts = [p for p in parts if not re.fullmatch(r"index\.\w+", p)]
    if not parts:
        return False
    slug = _SLUG_WORD.findall(parts[-1].rsplit(".", 1)[0] if "." in parts[-1] else parts[-1])
    if len(slug) < _MIN_SLUG_WORDS:
        return False
    titles = [text_of(el) for el in tree.iter("title", "h1")]
    words = {w for t in titles for w in _SLUG_WORD.findall(t.lower().translate(_FOLD_UMLAUTS))}
    return sum(w in words for w in slug) >= 0.8 * len(slug)


def declares_article(tree: HtmlElement, url: str = "") -> bool:
    """Does the page say it is one article (``og:type`` "article", JSON-LD NewsArticle, an
    address that is its title)?"""
    if url and named_after_title(tree, url):
        return True
    for meta in tree.iter("meta"):
        kind = (meta.get("property") or meta.get("name") or "").lower()
        if kind == "og:type" and (meta.get("content") or "").strip().lower() == "article":
            return True
    return any(
        (script.get("type") or "").lower() == "application/ld+json"
        and _ARTICLE_TYPE.search(script.text or "") is not None
        for script in tree.iter("script")
    )
