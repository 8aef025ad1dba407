"""Properties that must hold for any input, with the Hypothesis strategies that make it: for
tests/test_fuzz.py (a few bounded, derandomized examples in CI) and bench/bench_fuzz.py (a
long run). Seeds are realistic German feeds, pages and subscription lists, taken apart and
put back together with hostile text: markup characters, entities, control and escape
sequences, bidi overrides, long runs."""

from __future__ import annotations

from hypothesis import strategies as st

from newsroom_tui.extract import extract_page
from newsroom_tui.ingest.article_build import built_alone
from newsroom_tui.ingest.opml import SubscriptionListError, parse_newsboat_urls, parse_opml
from newsroom_tui.net.fetcher import check_url
from newsroom_tui.parse.entries import FeedParseError
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.text.sanitize import clean_line, clean_text

# Text that has broken parsers and terminals: markup, entities, controls, escapes, bidi.
_NASTY = [
    "<", ">", "&", "&lt;", "&amp;", "&#0;", "&#x9d;", "&e1;", "]]>", "<![CDATA[", "<!--", "-->",
    "<?pi <a?>", "<!DOCTYPE rss [<!ENTITY e1 \"x\">]>", "<!ENTITY", "\x00", "\x1b]52;c;eA==\x07",
    "\x1b[2J", "\x9b31m", "\x9d8;;http://x\x9c", "\u202e", "\u2066", "\ufeff", "\r\n", "\t",
    "![", "](", "[@click=app.quit]", "[b]", "Ä", "ß", "€", "%", "\"", "'",
]  # fmt: skip
nasty_text = st.lists(st.one_of(st.sampled_from(_NASTY), st.text(max_size=12)), max_size=12).map(
    "".join
)

_RSS = (
    '<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>{title}</title>'
    "<item><title>{item}</title><link>{link}</link><guid>{guid}</guid>"
    "<pubDate>{date}</pubDate><author>{author}</author><description>{summary}</description>"
    "<content:encoded>{content}</content:encoded><media:content url='{link}' medium='image'/>"
    "</item></channel></rss>"
)
_DATES = ["Tue, 09 May 2023 10:15:00 +0200", "2023-05-09", "09.05.2023", "", "gestern"]
_LINKS = ["https://www.herne.de/meldung.html", "/relativ.html", "javascript:alert(1)", ""]
feeds = st.builds(
    lambda prolog, title, item, link, guid, date, author, summary, content: _RSS.format(
        prolog=prolog, title=title, item=item, link=link, guid=guid, date=date,
        author=author, summary=summary, content=content,
    ).encode("utf-8", "surrogatepass"),
    prolog=st.sampled_from(["", "<!DOCTYPE rss>", "<?pi <a?>"]),
    title=nasty_text, item=nasty_text,
    link=st.one_of(st.sampled_from(_LINKS), nasty_text.map(lambda t: "https://x.de/" + t)),
    guid=nasty_text, date=st.one_of(st.sampled_from(_DATES), nasty_text),
    author=nasty_text, summary=nasty_text, content=nasty_text,
)  # fmt: skip
_PAGE = (
    "<!DOCTYPE html><html lang='de'><head><title>{title}</title>"
    "<meta charset='{charset}'><script type='application/ld+json'>{jsonld}</script></head>"
    "<body><nav>Start</nav><article><h1>{title}</h1><p>{text}</p>"
    "<figure><img src='{src}' alt='{text}'><figcaption>{caption}</figcaption></figure>"
    "<p>Veröffentlicht am {date}</p></article></body></html>"
)
pages = st.builds(
    lambda title, charset, jsonld, text, src, caption, date: _PAGE.format(
        title=title, charset=charset, jsonld=jsonld, text=text, src=src, caption=caption,
        date=date,
    ).encode("utf-8", "surrogatepass"),
    title=nasty_text, charset=st.sampled_from(["utf-8", "iso-8859-1", "x-bogus", ""]),
    jsonld=st.one_of(
        st.sampled_from(['{"@type":"NewsArticle","datePublished":"2023-05-09"}', "[" * 5000]),
        nasty_text,
    ),
    text=nasty_text, src=st.sampled_from(_LINKS), caption=nasty_text,
    date=st.one_of(st.sampled_from(_DATES), nasty_text),
)  # fmt: skip
_OPML = (
    '<?xml version="1.0"?><opml version="2.0"><head><title>Redaktion</title></head><body>'
    "<outline text='{folder}'><outline text='{name}' xmlUrl='{url}'/></outline></body></opml>"
)
opml_lists = st.builds(
    lambda folder, name, url: _OPML.format(folder=folder, name=name, url=url).encode(
        "utf-8", "surrogatepass"
    ),
    folder=nasty_text,
    name=nasty_text,
    url=st.one_of(st.sampled_from(_LINKS), nasty_text.map(lambda t: "https://x.de/" + t)),
)
url_lines = st.lists(
    st.tuples(st.sampled_from([*_LINKS, "https://x.de/feed.rss"]), nasty_text, nasty_text).map(
        lambda t: f'{t[0]} "{t[1]}" "~{t[2]}"'
    ),
    max_size=5,
).map("\n".join)
_ESCAPE_OR_CONTROL = {chr(c) for c in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _clean(text: str, *, one_line: bool = False) -> bool:
    bad = _ESCAPE_OR_CONTROL | _BIDI | ({"\n"} if one_line else set())
    return not (set(text) & bad)


# The properties -------------------------------------------------------------------------------


def feed_parses_or_is_refused(data: bytes) -> None:
    """A feed is read or refused with one line; every entry becomes an article."""
    try:
        parsed = parse_feed(data, "https://www.herne.de/feed.rss")
    except FeedParseError as exc:
        assert "\n" not in str(exc)
        return
    for entry in parsed.entries:
        article = built_alone(entry, None)
        assert _clean(article.title, one_line=True)
        assert _clean(article.body_markdown) and _clean(article.summary)


def page_extracts(data: bytes) -> None:
    page = extract_page(data, "https://www.herne.de/meldung.html", "text/html")
    assert isinstance(page.body_markdown, str)
    assert all(isinstance(item.src, str) for item in page.gallery)


def sanitizer_cleans(text: str) -> None:
    cleaned, line = clean_text(text), clean_line(text)
    assert _clean(cleaned) and _clean(line, one_line=True)
    assert clean_text(cleaned) == cleaned and clean_line(line) == line


def opml_reads_or_is_refused(data: bytes) -> None:
    try:
        found = parse_opml(data)
    except SubscriptionListError as exc:
        assert "\n" not in str(exc)
        return
    for subscription in found.subscriptions:
        check_url(subscription.url)


def urls_file_reads(text: str) -> None:
    found = parse_newsboat_urls(text)
    for subscription in found.subscriptions:
        check_url(subscription.url)
        assert _clean(subscription.title or "", one_line=True)


# (property, strategy) for every fuzzed reader
PROPERTIES = [
    (feed_parses_or_is_refused, st.one_of(feeds, st.binary(max_size=300))),
    (page_extracts, st.one_of(pages, st.binary(max_size=300))),
    (sanitizer_cleans, st.one_of(nasty_text, st.text())),
    (opml_reads_or_is_refused, st.one_of(opml_lists, st.binary(max_size=200))),
    (urls_file_reads, url_lines),
]
