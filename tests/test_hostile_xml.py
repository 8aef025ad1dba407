"""XML attacks: entity expansion ("billion laughs") and external entities (XXE) are refused
in both parse paths; the feed fails alone with one line and nothing of the file leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.parse.entries import FeedParseError
from newsroom_tui.parse.fast_path import _parser, parse_fast
from newsroom_tui.parse.feedparser_path import parse_with_feedparser
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import SQLiteStore
from tests.fixture_server import FixtureServer

SECRET = "newsroom-secret-4711"
LOL = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)
ITEM = "<item><title>a &{e};</title><description>&{e};</description><link>{base}/a</link></item>"


def feed(entities: str, ref: str, base: str = "http://127.0.0.1", prolog: str = "") -> bytes:
    item = ITEM.format(e=ref, base=base)
    return (
        f'<?xml version="1.0"?>{prolog}<!DOCTYPE rss [{entities}]><rss version="2.0">'
        f"<channel><title>T &{ref};</title>{item}</channel></rss>"
    ).encode()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def attacks(secret: Path) -> dict[str, bytes]:
    uri = secret.as_uri()
    padding = "<!--" + "<x " * 1000 + "-->"  # hides the DOCTYPE from a naive prolog scan
    return {
        "billion-laughs": feed(LOL, "lol9"),
        "quadratic": feed(f'<!ENTITY big "{"A" * 50_000}">', "big"),
        "xxe": feed(f'<!ENTITY x SYSTEM "{uri}">', "x"),
        "xxe-public": feed(f'<!ENTITY x PUBLIC "-//X//EN" "{uri}">', "x"),
        "xxe-parameter": feed(f'<!ENTITY % p SYSTEM "{uri}"> %p;', "amp"),
        "xxe-late": feed(f'<!ENTITY x SYSTEM "{uri}">', "x", prolog=padding),
        "laughs-late": feed(LOL, "lol9", prolog=padding),
        "xxe-utf16": feed(f'<!ENTITY x SYSTEM "{uri}">', "x")
        .decode()
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        .encode("utf-16"),
        "xxe-lowercase": feed(f'<!entity x SYSTEM "{uri}">', "x"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs",
        "quadratic",
        "xxe",
        "xxe-public",
        "xxe-parameter",
        "xxe-late",
        "laughs-late",
        "xxe-utf16",
        "xxe-lowercase",
    ],
)
def test_entity_attacks_are_refused(name: str, secret_file: Path) -> None:
    data = attacks(secret_file)[name]
    with pytest.raises(FeedParseError, match=r"^refused: ") as info:
        parse_feed(data, "http://127.0.0.1/f")
    assert "\n" not in str(info.value)


def test_neither_parser_reads_files_or_expands_without_the_guard(secret_file: Path) -> None:
    """Defence in depth: even without :func:`refuse_entity_attacks`, lxml (as configured)
    and feedparser do not read the file."""
    for data in attacks(secret_file).values():
        fast = parse_fast(data, "http://127.0.0.1/f", None)
        assert fast is None or SECRET not in repr(fast)
        if b"lol9" not in data and b"big" not in data:  # feedparser is slow on those
            assert SECRET not in repr(parse_with_feedparser(data, "http://127.0.0.1/f", None))
    root = etree.fromstring(attacks(secret_file)["xxe"], _parser())
    assert SECRET not in etree.tostring(root, encoding="unicode")


def test_harmless_entities_still_parse() -> None:
    data = feed('<!ENTITY nbsp "&#160;"><!ENTITY stadt "Stadt Herne">', "stadt")
    parsed = parse_feed(data, "http://127.0.0.1/f")
    assert parsed.title == "T Stadt Herne"
    assert parsed.entries[0].title == "a Stadt Herne"


async def test_attack_feed_fails_alone_without_leaking(
    server: FixtureServer, store: SQLiteStore, secret_file: Path
) -> None:
    good = feed("", "amp", base=server.base).replace(b"<!DOCTYPE rss []>", b"")
    server.add("/good.rss", good, "application/rss+xml")
    for name, data in attacks(secret_file).items():
        server.add(f"/{name}.rss", data, "application/rss+xml")
        store.add_feed(server.url(f"/{name}.rss"))
    store.add_feed(server.url("/good.rss"))
    report = await poll_feeds(store)
    assert report.new_articles == 1
    assert len(report.failed) == len(attacks(secret_file))
    for outcome in report.failed:
        assert outcome.error and outcome.error.startswith("refused: ")
    for f in store.feeds():
        assert SECRET not in repr(f)
    for a in store.articles():
        assert SECRET not in repr(store.article(a.id))
