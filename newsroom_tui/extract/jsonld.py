"""schema.org JSON-LD blocks of a page, flattened into their objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

_MAX_DEPTH = 8


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key, item in value.items():
            if isinstance(item, dict | list) and key != "@context":
                yield from _walk(item, depth + 1)


def iter_jsonld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's ``application/ld+json`` scripts, nested ones included
    (``@graph`` members, an article's ``image``), outermost first. Broken JSON is skipped."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # broken, or nested deeper than Python recurses
            continue
        yield from _walk(data)


def types_of(obj: dict[str, Any]) -> set[str]:
    """The ``@type`` of a JSON-LD object as a set ("ImageObject", …)."""
    value = obj.get("@type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()
