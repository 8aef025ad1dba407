"""German (and ISO) publication dates: parse one string, or find the one of a page."""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree
from lxml.html import HtmlElement

from newsroom_tui.extract.boilerplate import in_boilerplate
from newsroom_tui.extract.jsonld import iter_jsonld
from newsroom_tui.text.plausible_dates import EARLIEST_YEAR, LATEST_YEAR

_MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "january": 1,
    "februar": 2, "feber": 2, "feb": 2, "february": 2,
    "märz": 3, "maerz": 3, "marz": 3, "mär": 3, "mrz": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# An optional time right after the date: ", 14:30 Uhr", " um 14.30", " - 09:15:00".
_TIME = (
    r"(?:\s*(?:,|um|-|–|\|)?\s*(?P<hh>[01]?\d|2[0-3])[:.](?P<mm>[0-5]\d)"
    r"(?:[:.](?P<ss>[0-5]\d))?(?!\d)(?:\s*Uhr)?)?"
)
_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?![\d])" + _TIME
)
_NAMED = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s*(?P<mon>{_MONTH_NAMES})\.?,?\s+(?P<y>\d{{4}})(?!\d)" + _TIME,
    re.IGNORECASE,
)
_NAMED_EN = re.compile(
    rf"\b(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# Labels that announce the publication date of a press release or article.
DATE_LABEL = re.compile(
    r"(?:(?:Presse)?(?:meldung|mitteilung|nachricht|artikel|beitrag)\s+vom"
    r"|ver(?:ö|oe)ffentlicht(?:\s+am)?|erschienen(?:\s+am)?|erstellt(?:\s+am)?|publiziert(?:\s+am)?"
    r"|stand\s*:|datum\s*:|published(?:\s+on)?|posted(?:\s+on)?)",
    re.IGNORECASE,
)
_META_NAMES = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "publish-date",
    "sailthru.date",
    "parsely-pub-date",
)
_META_RANK = {name: i for i, name in enumerate(_META_NAMES)}
_SHORT_LINE = 120
_LABEL_WORDS = ("vom", "öffentlicht", "oeffentlicht", "erschienen", "erstellt", "publiziert",
                "stand", "datum", "published", "posted")  # fmt: skip
_SHORT_DATE = 60
_FEW_CHILDREN = 6
# Never taken as (or climbed into as) a date line: they hold more than one line.
_CONTAINERS = frozenset({"body", "html", "main", "article", "section", "table", "tr", "td", "th"})
# <time> and elements with "date"/"datum" in their class, in document order. The XPath
# pre-selects with few string tests (each costs); the exact check is _is_date_element.
_DATE_ELEMENTS = etree.XPath(  # one pass (a union walks the page twice)
    "//body//*[self::time or contains(@class, 'ate') or contains(@class, 'atum')]"
)
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
# Text nodes of the page body as plain strings (an XPath predicate leaving out script text
# would make this several times slower; hits in scripts are skipped below instead).
_BODY_TEXT = "//body//text()"
_TEXT_STRINGS = etree.XPath(_BODY_TEXT, smart_strings=False)
# The same as "smart" strings that know their element (only asked for when a label is found).
_TEXT_NODES = etree.XPath(_BODY_TEXT)


@lru_cache(maxsize=16)
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _build(
    match: re.Match[str], year: int, month: int, zone: tzinfo, offset: tzinfo | None = None
) -> datetime | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
    groups = match.groupdict()
    hh, mm, ss = (int(groups.get(k) or 0) for k in ("hh", "mm", "ss"))
    try:
        value = datetime(year, month, int(match["d"]), hh, mm, ss, tzinfo=offset or zone)
    except ValueError:
        return None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    return value.astimezone(zone) if offset else value


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_german_date(text: str, tz: str = "Europe/Berlin") -> datetime | None:
    """The first date in ``text`` as a timezone-aware datetime (date-only: local midnight)."""
    if not text:
        return None
    zone = _zone(tz)
    text = text.replace("\xa0", " ")
    found: list[tuple[int, datetime]] = []
    for match in _ISO.finditer(text):
        offset = _offset(match["tz"]) if match["tz"] else None
        value = _build(match, int(match["y"]), int(match["m"]), zone, offset)
        if value:
            found.append((match.start(), value))
            break
    for match in _NUMERIC.finditer(text):
        value = _build(match, int(match["y"]), int(match["m"]), zone)
        if value:
            found.append((match.start(), value))
            break
    for pattern in (_NAMED, _NAMED_EN):
        for match in pattern.finditer(text):
            month = _MONTHS[match["mon"].lower()]
            value = _build(match, int(match["y"]), month, zone)
            if value:
                found.append((match.start(), value))
                break
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _from_meta(tree: HtmlElement, tz: str) -> datetime | None:
    best: tuple[int, datetime] | None = None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        rank = _META_RANK.get(key)
        if rank is None or (best and best[0] <= rank):
            continue
        value = parse_german_date(meta.get("content") or "", tz)
        if value:
            best = (rank, value)
    return best[1] if best else None


def _from_jsonld(tree: HtmlElement, tz: str) -> datetime | None:
    for obj in iter_jsonld(tree):
        value = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(value, str):
            parsed = parse_german_date(value, tz)
            if parsed:
                return parsed
    return None


_ARTICLE_BODY = etree.XPath("boolean(.//*[@itemprop='articleBody'])")


def _of_the_article(el: HtmlElement) -> bool:
    """Is ``el`` a property of the item that holds the page's ``articleBody`` (its date in a
    box the page calls "footer": TYPO3's news writes ``<div class="footer"><time
    itemprop="datePublished">`` under the headline)?"""
    scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
    return scope is not None and bool(_ARTICLE_BODY(scope))


def _from_time_tags(tree: HtmlElement, tz: str) -> datetime | None:
    fallback: datetime | None = None
    for el in tree.iter("time"):
        published = el.get("pubdate") is not None or el.get("itemprop") == "datePublished"
        if in_boilerplate(el) and not (published and _of_the_article(el)):
            continue
        value = parse_german_date(el.get("datetime") or el.text_content(), tz)
        if value is None:
            continue
        if published:
            return value
        fallback = fallback or value
    for el in tree.xpath('//*[@itemprop="datePublished"][@content]'):
        value = parse_german_date(el.get("content"), tz)
        if value:
            return value
    return fallback


def find_date_line(
    tree: HtmlElement, tz: str = "Europe/Berlin", furniture: set[HtmlElement] | None = None
) -> tuple[datetime, HtmlElement] | None:
    """The date line of the content and the element holding it: a short labelled line
    ("Meldung vom 09. Mai 2023", "Veröffentlicht am …", "Stand: …"), else a short ``<time>``
    or date-classed element ("news_datum"). Header, navigation and footer are skipped."""
    return _labelled_date_line(tree, tz, furniture) or _date_element(tree, tz, furniture)


def _is_date_class(words: str) -> bool:
    lower = words.lower()
    return "date" in lower or "datum" in lower


def _date_element(
    tree: HtmlElement, tz: str, furniture: set[HtmlElement] | None
) -> tuple[datetime, HtmlElement] | None:
    for el in _DATE_ELEMENTS(tree):
        if el.tag != "time" and not _is_date_class(el.get("class") or ""):
            continue
        if len(el) > _FEW_CHILDREN:  # a wrapper ("update-list"), not a date line
            continue
        text = " ".join(el.text_content().split())
        if len(text) > _SHORT_DATE or in_boilerplate(el, furniture):
            continue
        value = parse_german_date(text, tz)
        if value is None:
            continue
        # A lone <time> in a short meta line: the whole line is the date line.
        parent = el.getparent()
        while (
            parent is not None
            and parent.tag not in _CONTAINERS
            and len(" ".join(parent.text_content().split())) <= _SHORT_DATE
        ):
            el, parent = parent, parent.getparent()
        return value, el
    return None


def _labelled_date_line(
    tree: HtmlElement, tz: str, furniture: set[HtmlElement] | None
) -> tuple[datetime, HtmlElement] | None:
    # A date line is short (see _date_around): longer text nodes (scripts, paragraphs) are
    # blanked, keeping the positions, so the search below skips them.
    texts: list[str] = [t if len(t) <= _SHORT_LINE else "" for t in _TEXT_STRINGS(tree)]
    if not texts:
        return None
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    # str.find per label word is far faster than a regex over the whole page text.
    page = "\n".join(texts).lower()
    hits: set[int] = set()
    for word in _LABEL_WORDS:
        at = page.find(word)
        while at != -1:
            hits.add(bisect_right(starts, at) - 1)
            at = page.find(word, at + 1)
    nodes: list[Any] = []
    for index in sorted(hits):
        if not DATE_LABEL.search(texts[index]):
            continue
        nodes = nodes or _TEXT_NODES(tree)
        node = nodes[index]
        el = node.getparent()
        if node.is_tail and el is not None:
            el = el.getparent()
        if el is None or el.tag in _NOT_TEXT:
            continue
        found = _date_around(el, tz, furniture)
        if found is not None:
            return found
    return None


def _date_around(
    el: HtmlElement | None, tz: str, furniture: set[HtmlElement] | None
) -> tuple[datetime, HtmlElement] | None:
    """The date in ``el`` or the smallest short ancestor holding one."""
    while el is not None and el.tag not in _CONTAINERS:
        text = el.text_content()
        if len(text) > _SHORT_LINE:
            return None
        value = parse_german_date(text, tz)
        if value is not None:
            return None if in_boilerplate(el, furniture) else (value, el)
        el = el.getparent()
    return None


def find_markup_date(tree: HtmlElement, tz: str = "Europe/Berlin") -> datetime | None:
    """The publication date from markup meant for machines: meta tags, JSON-LD, ``<time>``."""
    for finder in (_from_meta, _from_jsonld, _from_time_tags):
        value = finder(tree, tz)
        if value:
            return value
    return None


def find_page_date(tree: HtmlElement, tz: str = "Europe/Berlin") -> datetime | None:
    """The publication date of a page: meta tags, JSON-LD, ``<time>``, then a German date
    line in the content. Never a date from header navigation or the footer."""
    value = find_markup_date(tree, tz)
    if value is None:
        line = find_date_line(tree, tz)
        value = line[0] if line else None
    return value
