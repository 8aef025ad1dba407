"""An entry's body and summary: Markdown made from its feed HTML, now or when first read.

Turning a feed entry's HTML into Markdown was most of a poll's CPU time. A poll therefore
keeps a small entry's HTML as it came (:class:`BodySource`) with a plain search text made in
one cheap pass, and the store makes the Markdown with :func:`render` when the article is
first read, with exactly the code and input the poll used to run: the same body, summary,
links and fallbacks. Pure functions; no I/O, no UI.
"""

from __future__ import annotations

import html
import re

from newsroom_tui.extract import extract_fragment
from newsroom_tui.extract.markdown import tidy_markdown
from newsroom_tui.extract.paragraphs import paragraphs_fragment
from newsroom_tui.models import BodySource, ExtractedPage
from newsroom_tui.text.sanitize import BODY_MAX_CHARS, clean_text, clip, clip_body, defuse_links

# An entry's HTML up to this size is kept and rendered when read (a typical press release is
# a few KB and renders in a blink). A larger one is rendered by the poll, in a worker
# process with its deadline, as before: nothing slow or hostile is left for the reader.
LAZY_MAX_CHARS = 64_000
SUMMARY_MAX_CHARS = BODY_MAX_CHARS // 10

# Text that HTML parsing would leave as it is: no markup, no entities, no control characters,
# no whitespace that the Markdown converter and str.split() treat differently.
NOT_PLAIN = re.compile(
    "[<&\x00-\x08\x0b-\x1f\x7f-\xa0\xad\u1680\u200b-\u200d\u2028\u2029\u2060\ufeff\ufffe\uffff]"
)
# A tag: never past the next "<", so a run of "<" is one linear pass.
_TAG = re.compile(r"<[^<>]*>")
_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s<>]+)""", re.IGNORECASE)
# The same without the case folding and the word boundary (both stop the regular expression
# engine from jumping to the next "href": three quarters of the time of the search text)
_LOWER_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s<>]+)""")
_SURROGATE = re.compile("[\ud800-\udfff]")  # from a JSON feed's "\\ud800": not storable


def fragment(text: str, base_url: str | None) -> ExtractedPage:
    """:func:`extract_fragment`, without parsing HTML when ``text`` is plain text (a common
    RSS description) or only paragraphs of it: the same Markdown, a few times faster."""
    if not NOT_PLAIN.search(text):
        return ExtractedPage(body_markdown=tidy_markdown(" ".join(text.split())))
    return paragraphs_fragment(text) or extract_fragment(text, base_url)


def compose(summary: ExtractedPage, extracted: ExtractedPage | None) -> tuple[str, str]:
    """The stored (summary, body) Markdown of an entry from its summary's extraction and its
    content's (or page's): cleaned, links defused, clipped."""
    body = (extracted.body_markdown.strip() if extracted else "") or summary.body_markdown
    return (
        clip_body(defuse_links(clean_text(summary.body_markdown)), SUMMARY_MAX_CHARS),
        clip_body(defuse_links(clean_text(body))),
    )


def render(source: BodySource) -> tuple[str, str]:
    """(summary, body) Markdown of an entry, as a poll made them: when the content breaks
    extraction the summary stands alone, when the summary does too there is no text."""
    base = source.base_url
    for content in (source.content_html, None) if source.content_html else (None,):
        try:
            summary = fragment(source.summary_html, base) if source.summary_html else None
            extracted = extract_fragment(content, base) if content else None
            return compose(summary or ExtractedPage(), extracted)
        except Exception:  # a bug in extraction on this entry: the next, plainer try
            continue
    return "", ""


def _links(text: str) -> list[str]:
    """What ``_HREF.findall(text)`` finds: when every "href" is written in lower case (as
    good as every feed), by jumping from one to the next, the word boundary checked here."""
    lowered = text.lower()
    if "href" not in lowered:
        return []
    if lowered.count("href") != text.count("href"):  # an "HREF" or "Href": the long way
        return _HREF.findall(text)
    links: list[str] = []
    found = _LOWER_HREF.search(text)
    while found:
        start = found.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            found = _LOWER_HREF.search(text, start + 1)  # inside a word: no \b here
            continue
        links.append(found[1])
        found = _LOWER_HREF.search(text, found.end())
    return links


def search_text(source: BodySource) -> str:
    """The words of an entry's body and summary for the full-text index, in one cheap pass
    (tags out, entities decoded, link targets kept as the Markdown keeps them). Shown only
    should the source be unreadable: it is clean text too."""
    text = f"{source.content_html or ''} {source.summary_html}"
    if "<" in text:
        links = _links(text)
        text = " ".join([_TAG.sub(" ", text), *links])
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii() and _has_surrogates(text):
        text = _SURROGATE.sub("", text)
    return clip(clean_text(text), BODY_MAX_CHARS)


def _has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: the one thing UTF-8 cannot encode (the
    encoder in C, a quarter of the time of a regular expression's scan)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
