"""One place where text from the network is made safe for storage and the terminal.

Every string taken from a feed or page passes through :func:`clean_text` before it is stored,
so the store, ``--json`` output and the TUI never carry terminal control sequences.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from newsroom_tui.models import ExtractedPage, GalleryItem

# Whole escape sequences first, so their payload (an OSC 52 clipboard write, a window title)
# disappears with them rather than being left behind as visible garbage.
_ESCAPE_SEQUENCES = re.compile(
    r"""
    \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC ... BEL / ST
  | \x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?         # DCS, PM, APC, SOS ... ST
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?      # 8-bit OSC
  | (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]               # CSI
  | \x1b[ -/]*[0-~]                                # two-char ESC sequences
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
# and marks.
_CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)
# What a URL or a name may not hold at all: the above, tab and newline too, line and paragraph
# separators, the zero-width space, the word joiner and the byte-order mark.
_NOT_IN_FIELDS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u061c\u2028\u2029\u2060\ufeff]"
)
_LINE_BREAKS = str.maketrans("\t\n\r\x0b\x0c\x85\u2028\u2029", " " * 8)


def strip_escapes(text: str) -> str:
    """Only the terminal escape sequences, with their payload (an OSC 52 clipboard write)."""
    if "\x1b" not in text and "\x9b" not in text and "\x9d" not in text:
        return text  # the usual page: three scans in C, far cheaper than the regex
    return _ESCAPE_SEQUENCES.sub("", text)


def clean_text(text: str | None) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides."""
    if not text:
        return ""
    text = strip_escapes(text.replace("\r\n", "\n").replace("\r", "\n"))
    # Every character the expression removes is unprintable: when the text is printable but
    # for its line breaks and tabs (the usual text, checked in C), there is nothing to remove
    if text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    return _CONTROL_CHARS.sub("", text)


def clean_line(text: str | None) -> str:
    """Like :func:`clean_text`, for one-line fields (titles, credits): whitespace folded."""
    return " ".join(clean_text(text).split())


# The one rule for URLs and names, wherever they enter (feeds, pages, OPML, urls files, the
# command line): no escape sequence, control, bidi or invisible character is stored or printed.
URL_MAX_CHARS = 4_096
NAME_MAX_CHARS = 200


def clean_url(text: str | None, limit: int = URL_MAX_CHARS) -> str | None:
    """A URL as it may be stored and printed, or None (refused).

    Tab, CR and LF inside are dropped, as browsers do; surrounding whitespace is stripped;
    spaces inside are percent-encoded. A URL holding an escape sequence, a control character
    (C0, DEL, C1, also from ``&#x9d;``), a bidi override or an invisible character is refused:
    no one meant such an address, and cleaning it would make up a different one. So is one
    longer than ``limit``."""
    if not text:
        return None
    if text.isprintable():  # the usual URL: no control, bidi, invisible or line break in it
        url = text.strip(" ")
        if not url or len(url) > limit:
            return None
        return url.replace(" ", "%20") if " " in url else url
    url = text.translate(_URL_WHITESPACE).strip()
    if not url or len(url) > limit or _NOT_IN_FIELDS.search(url) or strip_escapes(url) != url:
        return None
    return url.replace(" ", "%20") if " " in url else url


# a host name with a dot and what follows it, typed without a scheme (www.herne.de/feed.rss)
_BARE_ADDRESS = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:[/?#]|$)")


def subscription_url(text: str | None) -> str | None:
    """An address a user gave to subscribe to, as it is stored: :func:`clean_url`'s, with
    ``https://`` before one typed without a scheme (``www.herne.de/feed.rss``, as from a
    browser's address bar) and its scheme and host in lower case (they are case-insensitive:
    ``HTTP://WWW.Herne.de/…`` is the feed ``http://www.herne.de/…``, not a second one); the
    rest keeps its case. None: refused."""
    url = clean_url(text)
    if url is None:
        return None
    if "://" not in url and _BARE_ADDRESS.match(url):
        url = f"https://{url}"
    scheme, found, rest = url.partition("://")
    if not found:
        return url
    end = next((i for i, char in enumerate(rest) if char in "/?#"), len(rest))
    user, at, host = rest[:end].rpartition("@")
    return f"{scheme.lower()}://{user}{at}{host.lower()}{rest[end:]}"


# An absolute http(s) URL without anything urljoin would read or change (a query, brackets,
# a backslash, a control): most links in a feed.
_PLAIN_ABSOLUTE = re.compile(r"https?://[^/\x00-\x20?#;\[\]\\\x7f][^\x00-\x20?#;\[\]\\\x7f]*")


def plain_absolute(url: str) -> bool:
    """Is ``url`` an absolute http(s) URL that ``urljoin`` gives back as it is, whatever the
    base (no query, fragment, parameters, brackets, backslash or control in it)?"""
    return url.isascii() and _PLAIN_ABSOLUTE.fullmatch(url) is not None


def join_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base`` and passed through :func:`clean_url`: None when it
    is refused, or when it cannot be read as a URL at all (``http://[::1/bad``, on which
    ``urljoin`` raises): one bad link costs its item's link alone."""
    if not href:
        return None
    if plain_absolute(href):  # urljoin gives it back as it is
        return href if len(href) <= URL_MAX_CHARS else None
    try:
        joined = urljoin(base, href)
        urlsplit(joined)  # the callers split it again: it must read
    except ValueError:
        return None
    return clean_url(joined)


# An entry's id from the network (a guid, a JSON Feed id): what reaches the terminal as
# control removed; a longer one is replaced by its digest, stable from poll to poll.
GUID_MAX_CHARS = URL_MAX_CHARS


def clean_guid(text: str | None) -> str | None:
    """An entry's id as it may be stored: one clean line (:func:`clean_line`) of at most
    :data:`GUID_MAX_CHARS` characters; a longer one becomes ``digest:`` and its hash (two ids
    stay two, and the same id gives the same value at every poll). None when nothing is left."""
    if text and " " not in text and text.isprintable() and len(text) <= GUID_MAX_CHARS:
        return text  # the usual id: clean_line would give it back as it is
    guid = clean_line(text)
    if len(guid) > GUID_MAX_CHARS:
        import hashlib  # rare: not imported at the reader's start

        return (
            "digest:"
            + hashlib.blake2b(guid.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
        )
    return guid or None


def clean_name(text: str | None, limit: int = NAME_MAX_CHARS) -> str | None:
    """A name (a category, a feed title, a user) as it may be stored and printed: one line,
    escape sequences with their payload and every control, bidi or invisible character
    removed, whitespace folded, at most ``limit`` characters; None when nothing is left."""
    if not text:
        return None
    name = " ".join(_NOT_IN_FIELDS.sub("", strip_escapes(text).translate(_LINE_BREAKS)).split())
    return clip(name, limit) or None


def clean_category(text: str | None) -> str | None:
    """A category path ("Politik/Land"): each level a clean name, empty levels dropped."""
    if not text:
        return None
    return "/".join(part for part in (clean_name(p) for p in text.split("/")) if part) or None


_URL_WHITESPACE = str.maketrans("", "", "\t\r\n")


def clean_page(page: ExtractedPage) -> ExtractedPage:
    """An extracted page with every text field cleaned."""
    return ExtractedPage(
        title=clean_line(page.title) or None,
        published=page.published,
        body_markdown=clean_text(page.body_markdown).strip(),
        gallery=clean_gallery(page.gallery),
    )


def clean_gallery(gallery: list[GalleryItem]) -> list[GalleryItem]:
    """Gallery items cleaned and bounded: at most :data:`GALLERY_MAX_ITEMS`, captions and
    credits clipped, sources that are not plausible image addresses dropped."""
    cleaned = []
    for item in gallery[:GALLERY_MAX_ITEMS]:
        src = clean_url(item.src, SRC_MAX_CHARS)
        if not src:
            continue
        cleaned.append(
            GalleryItem(
                src=src,
                caption=clip(clean_line(item.caption), CAPTION_MAX_CHARS),
                credit=clip(clean_line(item.credit), CREDIT_MAX_CHARS) or None,
            )
        )
    return cleaned


# Limits on what one feed entry may store: a hostile or broken feed cannot make the list,
# the store or the article pane unusable.
TITLE_MAX_CHARS = 500
CREDIT_MAX_CHARS = 300
CAPTION_MAX_CHARS = 1_000
SRC_MAX_CHARS = 4_096
GALLERY_MAX_ITEMS = 500
BODY_MAX_CHARS = 1_000_000
BODY_CUT_NOTE = "*[… Text gekürzt / truncated: the article is longer than {limit} characters.]*"

# Links the reader may open; every other scheme (file:, javascript:, data:, smb:, ssh: …) is
# turned into plain text before storage, and again before display (older caches).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = r"([A-Za-z][A-Za-z0-9+.\-]{0,31}):"
_INLINE_LINK = re.compile(
    r"(!?)\[((?:\\.|[^\[\]\\\n]|\[[^\[\]\n]*\])*)\]"  # [label] or ![alt], one level of nesting
    r"\(\s*<?" + _SCHEME + r"(?:[^()\s>]|\([^()\s]*\))*>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_REFERENCE = re.compile(r"^( {0,3})\[((?:\\.|[^\]\\\n])+)\]:(?=\s*<?" + _SCHEME + ")", re.M)
_AUTOLINK = re.compile(r"<" + _SCHEME + r"([^<>\x00-\x20]*)>")


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with "…" when something was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def clip_body(markdown: str, limit: int = BODY_MAX_CHARS) -> str:
    """Markdown cut at a block boundary below ``limit`` characters, with a visible note."""
    if len(markdown) <= limit:
        return markdown
    cut = -1
    for boundary in ("\n\n", "\n", " "):  # a block boundary near the end, else a line, a word
        cut = markdown.rfind(boundary, 0, limit)
        if cut >= limit // 2:
            break
    if cut < limit // 2:
        cut = limit
    head = markdown[:cut].rstrip()
    if head.count("```") % 2:
        head += "\n```"  # never leave a fenced code block open
    return f"{head}\n\n{BODY_CUT_NOTE.format(limit=f'{limit:,}')}"


def defuse_links(markdown: str) -> str:
    """Markdown whose links and images all point to http(s) or mailto: any other scheme
    (``file:``, ``javascript:``…) becomes its plain label, so nothing can click it."""
    if ":" not in markdown:
        return markdown

    def inline(m: re.Match[str]) -> str:
        return m.group(0) if m.group(3).lower() in SAFE_SCHEMES else m.group(2)

    def reference(m: re.Match[str]) -> str:
        if m.group(3).lower() in SAFE_SCHEMES:
            return m.group(0)
        return f"{m.group(1)}\\[{m.group(2)}\\]:"

    def autolink(m: re.Match[str]) -> str:
        if m.group(1).lower() in SAFE_SCHEMES:
            return m.group(0)
        return f"`{m.group(1)}:{m.group(2)}`"

    markdown = _INLINE_LINK.sub(inline, markdown)
    markdown = _REFERENCE.sub(reference, markdown)
    return _AUTOLINK.sub(autolink, markdown)


def clean_error(text: str | None, limit: int = 200) -> str:
    """An error message that may quote the network (a reason phrase, a parser message):
    one clean line of at most ``limit`` characters."""
    return clip(clean_line(text), limit)
