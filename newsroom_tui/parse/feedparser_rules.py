"""What feedparser does that the lxml fast path (:mod:`newsroom_tui.parse.fast_path`) must do
the same way: its tables and small rules, as our own code (feedparser's versions are private names).
Taken from feedparser 6.0 (mixin.py, sanitizer.py, html.py, urls.py); the fast path's tests check
that both paths still give the same entries.
"""

from __future__ import annotations

import html.entities
import re
import urllib.parse


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Namespaces feedparser has a prefix for (``_FeedParserMixin.namespaces``): elements in them
# may be read into a field, so the fast path leaves such documents to feedparser.
KNOWN_NAMESPACES = _words(
    """
    http://backend.userland.com/blogChannelModule
    http://backend.userland.com/creativeCommonsRssModule http://backend.userland.com/rss
    http://blogs.law.harvard.edu/tech/rss http://creativecommons.org/ns#license
    http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html
    http://example.com/DTDs/PodCast-1.0.dtd http://example.com/necho
    http://example.com/newformat# http://freshmeat.net/rss/fm/
    http://hacks.benhammersley.com/rss/streaming/
    http://madskills.com/public/xml/rss/module/pingback/
    http://madskills.com/public/xml/rss/module/trackback/ http://media.tangent.org/rss/1.0/
    http://my.netscape.com/rdf/simple/0.9/ http://my.theinfo.org/changed/1.0/rss/
    http://podlove.org/simple-chapters http://postneo.com/icbm/
    http://prismstandard.org/namespaces/1.2/basic/ http://purl.org/atom/ns#
    http://purl.org/dc/elements/1.1/ http://purl.org/dc/terms/ http://purl.org/echo/
    http://purl.org/pie/ http://purl.org/rss/1.0/
    http://purl.org/rss/1.0/modules/aggregation/ http://purl.org/rss/1.0/modules/annotate/
    http://purl.org/rss/1.0/modules/company http://purl.org/rss/1.0/modules/content/
    http://purl.org/rss/1.0/modules/email/ http://purl.org/rss/1.0/modules/event/
    http://purl.org/rss/1.0/modules/image/ http://purl.org/rss/1.0/modules/link/
    http://purl.org/rss/1.0/modules/reference/ http://purl.org/rss/1.0/modules/richequiv/
    http://purl.org/rss/1.0/modules/rss091# http://purl.org/rss/1.0/modules/search/
    http://purl.org/rss/1.0/modules/servicestatus/ http://purl.org/rss/1.0/modules/slash/
    http://purl.org/rss/1.0/modules/subscription/
    http://purl.org/rss/1.0/modules/syndication/ http://purl.org/rss/1.0/modules/taxonomy/
    http://purl.org/rss/1.0/modules/textinput/ http://purl.org/rss/1.0/modules/threading/
    http://purl.org/rss/1.0/modules/wiki/ http://rssnamespace.org/feedburner/ext/1.0
    http://schemas.pocketsoap.com/rss/myDescModule/
    http://schemas.xmlsoap.org/soap/envelope/ http://search.yahoo.com/mrss
    http://search.yahoo.com/mrss/ http://web.resource.org/cc/ http://webns.net/mvcb/
    http://wellformedweb.org/commentAPI/ http://www.georss.org/georss
    http://www.itunes.com/DTDs/PodCast-1.0.dtd http://www.opengis.net/gml
    http://www.w3.org/1999/02/22-rdf-syntax-ns# http://www.w3.org/1999/xhtml
    http://www.w3.org/1999/xlink http://www.w3.org/2000/01/rdf-schema#
    http://www.w3.org/2003/01/geo/wgs84_pos# http://www.w3.org/2005/Atom
    http://www.w3.org/XML/1998/namespace http://xmlns.com/foaf/0.1/ uri/of/echo/namespace#
    """.lower()
) | {""}
KNOWN_PREFIXES = _words(
    """
    admin ag annotate audio blogChannel cc co content cp creativeCommons dc dcterms email ev
    feedburner fm foaf geo georss gml icbm image itunes l media pingback prism psc rdf rdfs
    ref reqv search slash soap ss str sub sy szf taxo thr ti trackback wfw wiki xhtml xlink
    xml
    """
) | {""}
# The HTML elements feedparser's sanitizer keeps (``acceptable_elements``).
HTML_ELEMENTS = _words(
    """
    a abbr acronym address area article aside audio b big blockquote br button canvas
    caption center cite code col colgroup command datagrid datalist dd del details dfn
    dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1 h2
    h3 h4 h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter
    multicol nav nextid noscript ol optgroup option output p pre progress q s samp section
    select small sound source spacer span strike strong sub sup table tbody td textarea
    tfoot th thead time tr tt u ul var video
    """
)
# C1 controls in text that was really cp1252 (feedparser's ``_cp1252``), for str.translate.
CP1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # not defined in cp1252
}

_URI_FIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_CLOSE_TAG = re.compile(r"</(\w+)>")
_ANY_ENTITY = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_NAMED_ENTITY = re.compile(r"&(\w+);")


# An absolute http(s) URL that urllib's urljoin would hand back exactly as it is: a host
# right after "//" (no extra slashes for the fixer), and none of the characters whose parts
# urllib splits off and may put back differently (an empty query, fragment or parameter
# loses its "?", "#" or ";"; brackets are checked as IPv6 hosts; whitespace and controls
# are stripped or removed). Most links of a feed are such: no parse, no join (a quarter of
# the time to read a feed went to joining them).
_PLAIN_ABSOLUTE = re.compile(r"https?://[^/\x00-\x20?#;\[\]\\\x7f][^\x00-\x20?#;\[\]\\\x7f]*")


def urljoin(base: str, uri: str) -> str:
    """``uri`` resolved against ``base`` as feedparser does: extra slashes after the scheme
    dropped, '' when the URL cannot be joined."""
    if uri.isascii() and _PLAIN_ABSOLUTE.fullmatch(uri):
        return uri
    uri = _URI_FIXER.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def looks_like_html(text: str) -> bool:
    """feedparser's guess whether a plain-text RSS field holds HTML: a close tag or an entity,
    and only tags and entities that HTML knows."""
    if not (_CLOSE_TAG.search(text) or _ANY_ENTITY.search(text)):
        return False
    if any(tag.lower() not in HTML_ELEMENTS for tag in _TAG_NAME.findall(text)):
        return False
    return all(name in html.entities.entitydefs for name in _NAMED_ENTITY.findall(text))
