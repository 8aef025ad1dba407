"""The sync's records: ids in both forms, and everything from a server cleaned as it is made."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.sync import greader, miniflux
from newsroom_tui.sync_records import (
    HTML_MAX_CHARS,
    Flag,
    ItemId,
    ItemState,
    RemoteFeed,
    RemoteItem,
    RemoteState,
    StateChange,
)
from newsroom_tui.text.sanitize import TITLE_MAX_CHARS
from tests.fuzz_properties import nasty_text

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"


def test_both_forms_of_an_id_are_one_id_and_each_keeps_its_text() -> None:
    short = ItemId.parse("1733500000001000")
    long = ItemId.parse("tag:google.com,2005:reader/item/0006289bebb7dbe8")
    assert short == long and hash(short) == hash(long)
    assert short.given == "1733500000001000"
    assert long.given == "tag:google.com,2005:reader/item/0006289bebb7dbe8"
    assert short.long == long.given and long.decimal == short.given


def test_a_negative_decimal_is_the_same_64_bits() -> None:
    assert ItemId.parse("-1") == ItemId.parse("tag:google.com,2005:reader/item/ffffffffffffffff")


def test_a_number_from_the_rest_api_is_an_id() -> None:
    assert ItemId.parse(4711) == ItemId.parse("4711")


@pytest.mark.parametrize(
    "text",
    ["", "abc", "12a", "1" * 30, "tag:google.com,2005:reader/item/", str(1 << 64), None, 1.5, True],
)
def test_anything_else_is_not_an_id(text: object) -> None:
    with pytest.raises(ValueError):
        ItemId.parse(text)


def test_a_hostile_item_is_cleaned_where_it_is_made() -> None:
    item = RemoteItem(
        id=ItemId.parse("17"),
        feed_id=f"feed/1{OSC52}",
        title=f"Polizei Bochum{OSC52}: Unfall auf der A40\u202e",
        url="javascript:alert(document.cookie)",
        author=f"Pressestelle\x1b[2J{OSC52}",
        html=f"<p>Text{OSC52}</p>" + "x" * (HTML_MAX_CHARS + 10),
    )
    assert item.title == "Polizei Bochum: Unfall auf der A40"
    assert item.url is None
    assert item.author == "Pressestelle"
    assert item.feed_id == "feed/1"
    assert "\x1b" not in item.html and len(item.html) <= HTML_MAX_CHARS + 200


def test_a_hostile_feed_is_cleaned_where_it_is_made() -> None:
    feed = RemoteFeed(
        id="feed/3",
        title=f"Stadt Herne{OSC52}",
        url=f"https://www.herne.de/rss{OSC52}.xml",
        site_url="file:///etc/passwd",
        category="Lokales\u2066/Herne",
    )
    assert feed.title == "Stadt Herne"
    assert feed.url is None and feed.site_url is None
    assert feed.category == "Lokales/Herne"


def test_a_feed_without_an_id_is_refused() -> None:
    with pytest.raises(ValueError):
        RemoteFeed(id=OSC52, title="x", url=None)


def test_a_change_holds_a_flag() -> None:
    change = StateChange(ItemId(5), "starred", 1)  # type: ignore[arg-type]
    assert change.flag is Flag.STARRED and change.on is True
    with pytest.raises(ValueError):
        StateChange(ItemId(5), "gelesen", True)  # type: ignore[arg-type]


def test_absence_from_a_cut_list_proves_nothing() -> None:
    one, two = ItemId(1), ItemId(2)
    whole = RemoteState(unread=frozenset({one}), starred=frozenset(), complete=True)
    cut = RemoteState(unread=frozenset({one}), starred=frozenset(), complete=False)
    before = ItemState(read=False, starred=True)
    assert whole.state_of(two, before) == ItemState(read=True, starred=False)
    assert cut.state_of(two, before) == before
    assert cut.state_of(one, ItemState(True, False)) == ItemState(False, False)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(title=nasty_text, url=nasty_text, author=nasty_text)
def test_no_control_character_survives_an_item(title: str, url: str, author: str) -> None:
    item = RemoteItem(
        id=ItemId(1), feed_id="feed/1", title=title, url="https://x.de/" + url, author=author
    )
    for text in (item.title, item.url or "", item.author or ""):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)
        assert "\u202e" not in text
    assert len(item.title) <= TITLE_MAX_CHARS


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | nasty_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)
_fields = ["id", "title", "canonical", "alternate", "origin", "summary", "content", "author"]
_fields += ["published", "categories", "feed_id", "url", "status", "starred", "published_at"]
_entries = st.dictionaries(st.sampled_from(_fields), _json_values, max_size=10)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(entry=st.one_of(_entries, _json_values), number=st.integers(0, (1 << 64) - 1))
def test_any_json_from_a_server_is_an_item_or_nothing(entry: object, number: int) -> None:
    """Whatever a server sends as an item, parsing it never raises, and what comes out is
    clean."""
    if isinstance(entry, dict) and "id" not in entry:
        entry = {**entry, "id": f"tag:google.com,2005:reader/item/{number:016x}"}
    for parse in (greader._item, miniflux._entry):
        item = parse(entry)
        if item is None:
            continue
        assert isinstance(item.title, str) and len(item.title) <= TITLE_MAX_CHARS
        for text in (item.title, item.url or "", item.author or "", item.feed_id or ""):
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)
        assert item.url is None or item.url.lower().startswith(("http://", "https://"))
