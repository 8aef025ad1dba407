"""JSON from the network read with a bound on nesting: a value nested too deep reads as null.

``json.loads`` raises RecursionError on a document nested a thousand arrays deep, so one item
of a JSON Feed made of 5,000 ``[`` would cost the whole feed. :func:`loads_shallow` parses as
usual, and only when that fails for depth replaces every value nested deeper than
:data:`MAX_DEPTH` by ``null`` in one linear scan (strings skipped whole) and parses again: the
item that held it is read without it (an item that is itself such an array is no item), the
others as they are. A normal document costs nothing extra. An integer of more digits than
Python reads (JSON sets no limit) reads as null too.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Far deeper than any feed needs (a JSON Feed item is 3 levels down, its attachments 5), far
# below the interpreter's recursion limit.
MAX_DEPTH = 64

# A string (whole, escapes included; an unterminated one runs to the end, so a stray quote
# cannot make the scan quadratic) or one bracket.
_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.S)


def loads_shallow(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(text)``; a value nested deeper than ``max_depth`` reads as null, and so
    does an integer too long for Python to read. ValueError as json.loads raises it for text
    that is not JSON."""
    try:
        return json.loads(text, parse_int=_int_or_null)
    except RecursionError:
        return json.loads(flatten_deep(text, max_depth), parse_int=_int_or_null)


def _int_or_null(digits: str) -> int | None:
    """An integer as JSON writes it; None for one longer than Python reads (4,300 digits:
    a ValueError that would cost the whole document)."""
    try:
        return int(digits)
    except ValueError:
        return None


def flatten_deep(text: str, max_depth: int = MAX_DEPTH) -> str:
    """``text`` with every array or object that opens below ``max_depth`` levels replaced by
    ``null`` (what lies outside strings is read; the rest is copied as it is)."""
    pieces: list[str] = []
    depth = 0
    cut_from = -1  # where the value being replaced starts, while inside one
    kept_to = 0
    for token in _TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > max_depth and cut_from < 0:
                cut_from = token.start()
        elif char in "]}":
            if depth == max_depth + 1 and cut_from >= 0:
                pieces.append(text[kept_to:cut_from])
                pieces.append("null")
                kept_to, cut_from = token.end(), -1
            depth = max(depth - 1, 0)
    if cut_from >= 0:  # never closed: not JSON; json.loads says so on what is left
        pieces.append(text[kept_to:cut_from])
        pieces.append("null")
        kept_to = len(text)
    pieces.append(text[kept_to:])
    return "".join(pieces)
