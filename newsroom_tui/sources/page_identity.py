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


def _text(el: HtmlElement) -> str:
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
    names = [_text(h) for h in tree.iter("h1")]
    for el in tree.iter("title"):
        text = _text(el)
        names += [text, *(re.split(r"\s+[|–—-]\s+", text)[:1])]
    return {n.casefold() for n in names if len(n) >= 8}


def declares_article(tree: HtmlElement) -> bool:
    """Does the page say it is one article (``og:type`` "article", JSON-LD NewsArticle)?"""
    for meta in tree.iter("meta"):
        kind = (meta.get("property") or meta.get("name") or "").lower()
        if kind == "og:type" and (meta.get("content") or "").strip().lower() == "article":
            return True
    return any(
        (script.get("type") or "").lower() == "application/ld+json"
        and _ARTICLE_TYPE.search(script.text or "") is not None
        for script in tree.iter("script")
    )
