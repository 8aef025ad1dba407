"""XML entity declarations in a feed, judged before any parser reads it.

Feeds rarely declare entities; when they do, it is a handful of short replacement texts
("&#160;"). Anything else is an attack or a mistake we do not need to support: external
entities (XXE: SYSTEM "file:///etc/passwd"), parameter entities, entities that refer to other
entities ("billion laughs"), long replacement texts, and short ones referenced so often that
they expand to gigabytes (200 entities referenced 2 million times took 2.2 GB and 34 s in
expat). lxml never resolves entities here, but feedparser hands "safe-looking" declarations to
expat, which expands them: the declarations are read with expat itself (up to the root
element, so a "<a" in a comment or processing instruction fools nothing) and their total
expansion is bounded.

The declarations are judged in the text the parser will read. Every encoding that writes
"<!ENTITY" and "&name;" as the ASCII bytes (UTF-8, ISO-8859-x, windows-125x, …) is read in the
bytes as they are; the document is also decoded in each encoding feedparser may choose for it
that does not (UTF-16 and UTF-32 with or without a byte order mark, EBCDIC, UTF-7, …): its
byte order mark or first four bytes, its XML declaration, the server's charset.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from xml.parsers import expat

from newsroom_tui.parse.entries import FeedParseError

MAX_ENTITY_DECLS = 256
MAX_ENTITY_CHARS = 256  # one entity's replacement text
MAX_ENTITY_EXPANSION = 1_000_000  # characters all references to declared entities make
_ENTITY_WORD = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY(?P<rest>[^>]{0,4096})>?", re.IGNORECASE)
_SAFE_ENTITY = re.compile(
    rb"""\s+(?P<name>[\w.:-]+)\s+(?:"(?P<v1>(?:&#\w+;|[^&%"]){0,256})"|'(?P<v2>(?:&#\w+;|[^&%']){0,256})')\s*$"""
)
_XXE = "refused: the feed declares an external XML entity (XXE)"
_NESTED = "refused: the feed declares nested or oversized XML entities (entity expansion)"

# Byte order marks and the first four bytes of "<?xm" (XML 1.0, appendix F), as feedparser
# reads them, with the encoding each means.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF8, "utf-8"),
)
_MARKERS = {
    b"\x4c\x6f\xa7\x94": "cp037",
    b"\x00\x3c\x00\x3f": "utf-16-be",
    b"\x3c\x00\x3f\x00": "utf-16-le",
    b"\x00\x00\x00\x3c": "utf-32-be",
    b"\x3c\x00\x00\x00": "utf-32-le",
}
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_DECLARED = re.compile(r"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]{1,40})["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]{1,40})", re.IGNORECASE)
_ENTITY_TEXT = re.compile("<!ENTITY", re.IGNORECASE)
_ASCII = bytes(range(128))


def refuse_entity_attacks(data: bytes, content_type: str | None = None) -> None:
    """Raise FeedParseError when the document declares entities that could read files or
    expand without bound (XXE, billion laughs, quadratic blow-up, a flood of references), in
    any text a parser may read it as (``content_type``: the server's, for its charset)."""
    _refuse_in(data, override=False)
    for text in _wide_readings(data, content_type):
        _refuse_in(text, override=True)


def _wide_readings(data: bytes, content_type: str | None) -> Iterator[bytes]:
    """The document as UTF-8, once for each encoding a parser may read it in whose
    declarations are not the ASCII bytes; only those that hold an entity declaration."""
    skip = 0
    family = None
    for bom, bom_family in _BOMS:
        if data.startswith(bom):
            skip, family = len(bom), bom_family
            break
    else:
        family = _MARKERS.get(data[:4])
    names: list[str | None] = [family] if family else []
    # the XML declaration, read as the first bytes say (feedparser's order: the server's
    # charset, the declaration, the byte order mark, then ASCII-compatible guesses)
    head = data[skip : skip + 1024].decode(family or "latin-1", "replace")
    declared = _DECLARED.match(head)
    names.append(declared.group(1) if declared else None)
    charset = _CHARSET.search(content_type or "")
    names.append(charset.group(1) if charset else None)
    if b"\x00" in data[:4]:  # some wide encoding: every one a guesser may choose
        names.extend(_WIDE)
    seen: set[str] = set()
    for label in names:
        codec = _codec(label)
        if codec is None or codec in seen or _ascii_compatible(codec):
            continue
        seen.add(codec)
        for start in sorted({0, skip}):  # feedparser decodes after the byte order mark
            text = data[start:].decode(codec, "replace")
            if _ENTITY_TEXT.search(text):
                yield text.encode("utf-8")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:  # no parser here can read it in that encoding either
        return None


@functools.lru_cache(maxsize=64)
def _ascii_compatible(codec: str) -> bool:
    """True for an encoding whose ASCII characters are always the ASCII bytes, in and out:
    "<!ENTITY" and "&name;" are found in its bytes as they are."""
    if codec == "utf-8":
        return True
    try:
        table = bytes(range(256)).decode(codec, "replace")
        ascii_out = _ASCII.decode("ascii").encode(codec)
    except (LookupError, UnicodeError, TypeError, ValueError):
        return False
    return len(table) == 256 and table[:128] == _ASCII.decode("ascii") and ascii_out == _ASCII


def _refuse_in(data: bytes, *, override: bool) -> None:
    """The check on one reading: ``data`` in an ASCII-compatible encoding; ``override``:
    it is UTF-8 whatever its XML declaration says."""
    text = _as_utf8(data) if not override else data
    if not _ENTITY_WORD.search(text):
        return
    declared = _declared_entities(data, override)
    if not declared:
        return
    names = b"|".join(re.escape(name.encode("utf-8")) for name in declared)
    size = {name.encode("utf-8"): len(value) for name, value in declared.items()}
    total = 0
    for ref in re.finditer(rb"&(" + names + rb");", text):
        total += size[ref.group(1)]
        if total > MAX_ENTITY_EXPANSION:
            raise FeedParseError(
                f"refused: the feed's XML entities expand to over {MAX_ENTITY_EXPANSION:,}"
                " characters (entity expansion)"
            )


def _as_utf8(data: bytes) -> bytes:
    """UTF-16/32 documents re-encoded for the byte scans below (others as they are)."""
    head = data[:4]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return data.decode(codec, errors="replace").encode("utf-8")
    if b"\x00" in head:
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec, errors="replace").encode("utf-8")
    return data


class _RootReached(Exception):
    """The prolog is read: no declaration comes after the root element starts."""


def _declared_entities(data: bytes, override: bool = False) -> dict[str, str]:
    """The general entities the document declares, name to replacement text, as expat reads
    them; raises FeedParseError for one that is external, a parameter entity, nested or too
    long, or for too many. ``override``: read ``data`` as UTF-8 whatever it declares."""
    found: dict[str, str] = {}

    def declare(
        name: str,
        is_parameter: bool,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if system_id is not None or public_id is not None or notation is not None:
            raise FeedParseError(_XXE)
        if is_parameter or value is None or "&" in value or len(value) > MAX_ENTITY_CHARS:
            raise FeedParseError(_NESTED)
        if len(found) >= MAX_ENTITY_DECLS:
            raise FeedParseError(f"refused: the feed declares over {MAX_ENTITY_DECLS} XML entities")
        found.setdefault(name, value)

    def root(name: str, attributes: dict[str, str]) -> None:
        raise _RootReached

    parser = expat.ParserCreate("utf-8" if override else None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = declare
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _RootReached:
        return found
    except (expat.ExpatError, ValueError):
        # A prolog expat cannot read (feedparser may still mend it and hand it to expat):
        # every declaration anywhere in the document counts, the strict way.
        return _scanned_entities(data if override else _as_utf8(data))
    return found


def _scanned_entities(text: bytes) -> dict[str, str]:
    decls = _ENTITY_DECL.findall(text)
    if len(decls) > MAX_ENTITY_DECLS:
        raise FeedParseError(f"refused: the feed declares over {MAX_ENTITY_DECLS} XML entities")
    found: dict[str, str] = {}
    for rest in decls:
        if re.search(rb"\bSYSTEM\b|\bPUBLIC\b", rest, re.IGNORECASE):
            raise FeedParseError(_XXE)
        safe = _SAFE_ENTITY.match(rest)
        if not safe:
            raise FeedParseError(_NESTED)
        value = safe.group("v1") if safe.group("v1") is not None else safe.group("v2")
        found.setdefault(
            safe.group("name").decode("utf-8", "replace"), value.decode("utf-8", "replace")
        )
    return found
