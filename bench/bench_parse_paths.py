"""fastfeedparser against today's parser, side by side: time per feed and field-by-field agreement.

Usage::

    python bench/bench_parse_paths.py [--corpus DIR] [--repeat 5]

Documents: every feed in tests/fixtures, the feed farm's full-content RSS, Atom and
summary-only feeds (bench/feed_farm.py), and, with ``--corpus``, every ``*.xml`` file of a
directory (a ``NAME.xml.json`` next to it may give its ``content_type``). A fixture's
``{base}`` is the address it is served from, as tests/fixture_server.py does.

"Today" is :func:`newsroom_tui.parse.registry.parse_feed` (JSON Feed, the entity guard, the
lxml fast path, else feedparser). The candidate is the entity guard, then
``fastfeedparser.parse`` with its entries turned into :class:`FeedEntry` by the same
``entry_from_raw`` (so the constructor's rules apply to both). Each entry is compared on its
guid, link, title, date (the instant and the feed's own UTC offset), summary, content, images
with credits and base URL; a document counts as agreeing when its feed title and every entry
agree; the second count is of the documents today's lxml fast path reads (the rest go to
feedparser today and would still). Needs ``pip install fastfeedparser``. Nothing here is a
test: it prints a table to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fastfeedparser
from feed_farm import render_atom, render_rss

from newsroom_tui.parse.entity_guard import refuse_entity_attacks
from newsroom_tui.parse.entries import FeedEntry, FeedParseError, ParsedFeed
from newsroom_tui.parse.feed_fields import entry_from_raw
from newsroom_tui.parse.registry import parse_feed, parse_ordinary
from newsroom_tui.text.sanitize import clean_line, clean_name

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8123"
FIELDS = ("guid", "url", "title", "instant", "offset", "summary", "content", "media", "base")


def _raw(entry: Any, url: str) -> dict[str, Any]:
    """A fastfeedparser entry in the shape entry_from_raw reads (feedparser's)."""
    media = entry.get("media_content") or []
    return {
        "link": entry.get("link"),
        "id": entry.get("id"),
        "title_detail": {"type": "text/plain", "value": entry.get("title") or ""},
        "published": entry.get("published"),
        "updated": entry.get("updated"),
        "summary": entry.get("description") or "",
        "content": [{"value": c.get("value", "")} for c in entry.get("content") or []],
        "media_content": [{"url": m.get("url"), "medium": m.get("medium")} for m in media],
        "media_credit": [{"content": m.get("credit")} for m in media if m.get("credit")],
        "base_url": url,
    }


def parse_candidate(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    refuse_entity_attacks(data, content_type)
    try:
        doc = fastfeedparser.parse(data)
    except Exception as exc:
        raise FeedParseError(f"not a feed: {type(exc).__name__}") from None
    entries = [e for e in (entry_from_raw(_raw(x, url)) for x in doc.entries) if e is not None]
    title = clean_name(clean_line(doc.feed.get("title") or ""))
    return ParsedFeed(title=title, entries=entries)


def _fields(entry: FeedEntry) -> dict[str, object]:
    published = entry.published
    return {
        "guid": entry.guid,
        "url": entry.url,
        "title": entry.title,
        "instant": published.timestamp() if published else None,
        "offset": published.utcoffset() if published else None,
        "summary": entry.summary_html,
        "content": entry.content_html,
        "media": [(m.src, m.credit) for m in entry.media],
        "base": entry.base_url,
    }


def _outcome(fn: Callable[[], ParsedFeed]) -> ParsedFeed | str:
    try:
        return fn()
    except Exception as exc:
        return f"{type(exc).__name__}"


def compare(ours: ParsedFeed | str, theirs: ParsedFeed | str) -> Counter[str]:
    """The fields that differ (each counted once per document)."""
    diff: Counter[str] = Counter()
    if isinstance(ours, str) or isinstance(theirs, str):
        if not (isinstance(ours, str) and isinstance(theirs, str)):
            diff["refused by one only"] += 1
        return diff
    if ours.title != theirs.title:
        diff["feed title"] += 1
    if len(ours.entries) != len(theirs.entries):
        diff["entry count"] += 1
    for a, b in zip(ours.entries, theirs.entries, strict=False):
        fa, fb = _fields(a), _fields(b)
        for name in FIELDS:
            if fa[name] != fb[name]:
                diff[name] += 1
    return Counter(dict.fromkeys(diff, 1))


def _reads_fast(data: bytes, url: str, content_type: str | None) -> bool:
    """Today's lxml fast path reads the document (not JSON Feed, not refused, not feedparser's)."""
    try:
        return parse_ordinary(data, url, content_type) is not None
    except FeedParseError:
        return False


def _best_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(Exception):  # a refused document costs what it costs
            fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def documents(corpus: Path | None) -> dict[str, list[tuple[str, bytes, str | None]]]:
    groups: dict[str, list[tuple[str, bytes, str | None]]] = {
        "fixtures": [
            (str(p.relative_to(ROOT)), p.read_bytes().replace(b"{base}", BASE.encode()), None)
            for p in sorted((ROOT / "tests" / "fixtures").rglob("*"))
            if p.suffix in (".rss", ".atom", ".xml")
        ],
        "farm RSS 100": [(f"rss {i}", render_rss(i, 100, BASE), None) for i in range(1, 21)],
        "farm Atom 100": [(f"atom {i}", render_atom(i, 100, BASE), None) for i in range(5, 105, 5)],
        "farm summary 20": [
            (f"summary {i}", render_rss(i, 20, BASE, summary_only=True), None) for i in range(20)
        ],
    }
    if corpus:
        found = []
        for path in sorted(corpus.glob("*.xml")):
            meta = path.with_name(path.name + ".json")
            kind = json.loads(meta.read_text())["content_type"] if meta.exists() else None
            found.append((path.name, path.read_bytes(), kind))
        groups[f"recorded ({corpus.name})"] = found
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a directory of more feed documents")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--show", type=int, default=3, help="differing documents to name")
    args = parser.parse_args(argv)
    url = f"{BASE}/feed.xml"
    print(f"fastfeedparser {fastfeedparser.__version__}")
    print(
        "| documents | n | today ms (median) | fastfeedparser ms (median) | agree "
        "| agree where the fast path reads it | differing fields (documents) |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for group, docs in documents(args.corpus).items():
        ours_ms, theirs_ms, agree, fields = [], [], 0, Counter[str]()
        named, fast, fast_agree = [], 0, 0
        for name, data, kind in docs:
            ours = _outcome(lambda d=data, k=kind: parse_feed(d, url, k))
            theirs = _outcome(lambda d=data, k=kind: parse_candidate(d, url, k))
            diff = compare(ours, theirs)
            fields.update(diff)
            on_fast_path = _reads_fast(data, url, kind)
            fast += on_fast_path
            if diff:
                named.append(f"{name}: {', '.join(sorted(diff))}")
            else:
                agree += 1
                fast_agree += on_fast_path
            ours_ms.append(_best_ms(lambda d=data, k=kind: parse_feed(d, url, k), args.repeat))
            theirs_ms.append(
                _best_ms(lambda d=data, k=kind: parse_candidate(d, url, k), args.repeat)
            )
        listed = ", ".join(f"{k} {v}" for k, v in fields.most_common())
        print(
            f"| {group} | {len(docs)} | {statistics.median(ours_ms):.2f} "
            f"| {statistics.median(theirs_ms):.2f} | {agree}/{len(docs)} "
            f"| {fast_agree}/{fast} | {listed or '-'} |"
        )
        for line in named[: args.show]:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
