"""Bytes of a web page to text, the way a browser would pick the charset."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# Covers <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers decode as windows-1252 (WHATWG Encoding Standard): its extra characters
# („ “ € – …) are what pages declared as Latin-1 really contain.
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})
_SNIFF_BYTES = 4096


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _declared_in_meta(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    codec = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    # A page cannot really declare UTF-16 in its own ASCII bytes; browsers read that as UTF-8.
    if codec and codec.startswith("utf-16"):
        return "utf-8"
    return codec


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _valid_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode page bytes to text.

    The charset comes from a byte order mark (as in browsers, it wins), else the HTTP
    ``Content-Type`` header, else a ``<meta>`` declaration in the first 4 KB; a declared
    Latin-1/ASCII is read as windows-1252. Bytes that are valid UTF-8 with non-ASCII
    characters are read as UTF-8 whatever the declaration says. Undeclared: UTF-8 if valid,
    else charset detection, else windows-1252.
    """
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_codec, errors="replace")
    header = _HEADER_CHARSET.search(content_type) if content_type else None
    codec = _codec(header.group(1)) if header else None
    codec = codec or _declared_in_meta(data[:_SNIFF_BYTES])
    as_utf8 = _valid_utf8(data)
    if codec:
        # Pages re-saved as UTF-8 often keep their old declaration (and servers default to
        # "charset=iso-8859-1"): non-ASCII bytes that are valid UTF-8 are not an accident.
        if as_utf8 is not None and codec != "utf-8" and not data.isascii():
            return _strip_bom(as_utf8)
        return _strip_bom(data.decode(codec, errors="replace"))
    if as_utf8 is not None:
        return _strip_bom(as_utf8)
    best = charset_normalizer.from_bytes(data).best()
    detected = _codec(best.encoding) if best is not None else None
    return data.decode(detected or "cp1252", errors="replace")
