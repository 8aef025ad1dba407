"""Entity declarations in the encodings a parser may read a feed in: EBCDIC, UTF-32 and
UTF-16 without a byte order mark, UTF-7 and the like. The guard reads the text the parser
will read, so a bomb in any of them is refused before any parser expands it; ordinary feeds
in those encodings still parse."""

from __future__ import annotations

import codecs

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.parse.entity_guard import refuse_entity_attacks
from newsroom_tui.parse.entries import FeedParseError
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import SQLiteStore
from tests.fixture_server import FixtureServer

LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)
FLOOD = '<!ENTITY s "Stadt Herne Stadt Herne Stadt Herne">'  # short, referenced 60,000 times

# (codec for the text, byte order mark or none, name in the XML declaration)
ENCODINGS = {
    "cp037": ("cp037", b"", "cp037"),
    "cp273": ("cp273", b"", "cp273"),
    "utf-32-le": ("utf-32-le", b"", "UTF-32"),
    "utf-32-be": ("utf-32-be", b"", "UTF-32"),
    "utf-32-le-bom": ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"),
    "utf-32-be-bom": ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32"),
    "utf-16-le": ("utf-16-le", b"", "UTF-16"),
    "utf-16-be": ("utf-16-be", b"", "UTF-16"),
    "utf-16-le-bom": ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    "utf-7": ("utf-7", b"", "utf-7"),
}


def document(
    entities: str,
    body_ref: str,
    codec: str,
    bom: bytes,
    declared: str,
    link: str = "https://www.herne.de/presse/1",
) -> bytes:
    doctype = f"<!DOCTYPE rss [{entities}]>" if entities else ""
    text = (
        f'<?xml version="1.0" encoding="{declared}"?>{doctype}<rss version="2.0"><channel>'
        "<title>Stadt Herne: Pressemitteilungen</title><item>"
        f"<title>Straßensperrung in Wanne-Eickel</title><description>{body_ref}</description>"
        f"<link>{link}</link><guid>herne-1</guid></item></channel></rss>"
    )
    if codec == "utf-7":  # "<" written the long way, as UTF-7 allows: "+ADw-"
        head, rest = text.split("?>", 1)
        return head.encode("ascii") + b"?>" + rest.encode("utf-7").replace(b"<!", b"+ADw-!")
    return bom + text.encode(codec)


def bomb(name: str, kind: str = "laughs") -> bytes:
    codec, bom, declared = ENCODINGS[name]
    if kind == "laughs":
        return document(LAUGHS, "&lol9;", codec, bom, declared)
    return document(FLOOD, "&s;" * 60_000, codec, bom, declared)


@pytest.fixture
def no_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    """feedparser hands declared entities to expat, which expands them: a document that
    reaches it here failed to be refused (and would take gigabytes)."""

    def expanded(*args: object, **kwargs: object) -> None:
        raise AssertionError("the document reached feedparser")

    monkeypatch.setattr(feedparser, "parse", expanded)


@pytest.mark.parametrize("name", sorted(ENCODINGS))
@pytest.mark.parametrize("kind", ["laughs", "flood"])
def test_entity_bombs_are_refused_in_every_encoding(
    name: str, kind: str, no_expansion: None
) -> None:
    with pytest.raises(FeedParseError, match=r"^refused: ") as info:
        parse_feed(bomb(name, kind), "https://www.herne.de/presse.rss", "application/rss+xml")
    assert "\n" not in str(info.value)


def test_the_http_charset_is_read_too(no_expansion: None) -> None:
    """A document without a declaration, its encoding given by the server alone."""
    text = f'<!DOCTYPE rss [{LAUGHS}]><rss version="2.0"><channel><title>&lol9;</title>'
    data = (text + "</channel></rss>").encode("cp500")
    with pytest.raises(FeedParseError, match=r"^refused: "):
        refuse_entity_attacks(data, "application/rss+xml; charset=cp500")


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_ordinary_feeds_in_these_encodings_still_parse(name: str) -> None:
    codec, bom, declared = ENCODINGS[name]
    data = document("", "Die Bahnhofstraße ist gesperrt.", codec, bom, declared)
    parsed = parse_feed(data, "https://www.herne.de/presse.rss", "application/rss+xml")
    assert parsed.title == "Stadt Herne: Pressemitteilungen"
    assert [e.title for e in parsed.entries] == ["Straßensperrung in Wanne-Eickel"]


@pytest.mark.parametrize("name", ["utf-16-le", "utf-32-be", "cp037"])
def test_harmless_entities_in_these_encodings_still_parse(name: str) -> None:
    codec, bom, declared = ENCODINGS[name]
    entities = '<!ENTITY stadt "Stadt Herne"><!ENTITY nbsp "&#160;">'
    data = document(entities, "&stadt;: gesperrt", codec, bom, declared)
    parsed = parse_feed(data, "https://www.herne.de/presse.rss", "application/rss+xml")
    assert parsed.entries[0].title == "Straßensperrung in Wanne-Eickel"
    assert "Stadt Herne: gesperrt" in parsed.entries[0].summary_html


ENTITY_NAME = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
VALUE = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ -",
    min_size=20,
    max_size=200,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(ENCODINGS)),
    entity=ENTITY_NAME,
    value=VALUE,
    over=st.booleans(),
    content_type=st.sampled_from([None, "application/rss+xml", "text/xml", "application/xml"]),
)
def test_the_guard_decides_alike_in_every_encoding(
    name: str, entity: str, value: str, over: bool, content_type: str | None
) -> None:
    """Property: one entity referenced often enough to expand past the limit is refused in
    every encoding and under every XML media type; referenced a little, it passes."""
    codec, bom, declared = ENCODINGS[name]
    refs = 1_000_000 // len(value) + 1 if over else 3
    data = document(f'<!ENTITY {entity} "{value}">', f"&{entity};" * refs, codec, bom, declared)
    if over:
        with pytest.raises(FeedParseError, match=r"^refused: .*entity expansion"):
            refuse_entity_attacks(data, content_type)
    else:
        refuse_entity_attacks(data, content_type)


def test_a_wide_text_after_a_utf8_byte_order_mark_is_read_as_the_parser_reads_it(
    no_expansion: None,
) -> None:
    """feedparser strips a UTF-8 BOM, then decodes the rest in the declared encoding: the
    guard reads the same bytes from the same place."""
    head = codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="utf-16-le"?>'
    body = f'<!DOCTYPE rss [{LAUGHS}]><rss version="2.0"><channel><title>&lol9;</title>'
    for pad in (b"", b" "):
        data = head + pad + (body + "</channel></rss>").encode("utf-16-le")
        with pytest.raises(FeedParseError, match=r"^refused: "):
            parse_feed(data, "https://www.herne.de/presse.rss", "application/rss+xml")


async def test_poll_refuses_the_bomb_and_keeps_the_other_feeds(
    server: FixtureServer, store: SQLiteStore
) -> None:
    server.add("/ebcdic.rss", bomb("cp037"), "application/rss+xml")
    server.add("/utf32.rss", bomb("utf-32-le"), "application/rss+xml")
    codec, bom, declared = ENCODINGS["utf-32-le"]
    link = server.url("/presse/1")
    good = document("", "Die Bahnhofstraße ist gesperrt.", codec, bom, declared, link)
    server.add("/good.rss", good, "application/rss+xml")
    server.add("/presse/1", "<html><body><p>Die Bahnhofstraße ist gesperrt.</p></body></html>")
    for path in ("/ebcdic.rss", "/utf32.rss", "/good.rss"):
        store.add_feed(server.url(path))
    report = await poll_feeds(store)
    assert report.new_articles == 1
    assert sorted(o.feed.url for o in report.failed) == sorted(
        server.url(p) for p in ("/ebcdic.rss", "/utf32.rss")
    )
    for outcome in report.failed:
        assert outcome.error and outcome.error.startswith("refused: ")
