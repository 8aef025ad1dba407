"""Sync against the fake FreshRSS and Miniflux: first sync, outbox first, both sides at once,
logging in again, thousands of items with continuations."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from newsroom_tui.sync import greader, miniflux
from newsroom_tui.sync.engine import sync
from newsroom_tui.sync.transport import SyncHttp
from newsroom_tui.sync_records import Flag, ItemState
from tests.sync_kit import GREADER_WAYS, WAYS, Desk, desk, herne_feed, polizei_feed

__all__ = ["desk"]  # the fixture, imported to be found

READING_LIST = "user/-/state/com.google/reading-list"
STARRED = "user/-/state/com.google/starred"
READ = "user/-/state/com.google/read"


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_first_sync_brings_feeds_unread_and_starred_items(desk: Desk) -> None:
    server = desk.server
    polizei, herne = polizei_feed(server), herne_feed(server)
    unread = server.add_items(polizei, 30, prefix="Polizei Bochum")
    old = server.add_items(herne, 5, prefix="Stadt Herne")
    for number in old:
        server.set_state(number, read=True)
    server.set_state(old[0], starred=True)

    report = await desk.sync()

    local = desk.local
    assert {feed.display_name for feed in local.feeds.values()} == {
        "Polizei Bochum – Pressemeldungen",
        "Stadt Herne: Pressemitteilungen",
    }
    assert {feed.category for feed in local.feeds.values()} == {"Polizei", "Lokales"}
    # the unread items and the starred one; the read history stays on the server
    assert {item.number for item in local.items} == {*unread, old[0]}
    assert local.states[local.id_of(old[0])] == ItemState(read=True, starred=True)
    assert local.states[local.id_of(unread[0])] == ItemState(read=False, starred=False)
    item = local.items[local.id_of(unread[3])]
    assert item.title == "Polizei Bochum 3: Stadt Herne informiert über Straßensperrung"
    assert item.url == "https://www.herne.de/meldungen/3.html"
    assert "Bahnhofstraße" in item.html
    assert item.feed_id == f"feed/{polizei}"
    assert report.new_items == 31 and report.feeds == 2


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_ids_are_sent_back_in_the_form_the_server_gave(desk: Desk) -> None:
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 3)
    await desk.sync()
    contents = [e for e in server.log if e.route == "stream/items/contents"]
    asked = {value for entry in contents for key, value in entry.form if key == "i"}
    assert asked == {str(n) for n in numbers}  # decimal, as stream/items/ids gave them
    item = desk.local.id_of(numbers[0])
    assert item.given.startswith("tag:google.com,2005:reader/item/")  # as contents gave it
    desk.local.mark(item, Flag.READ, True)
    await desk.sync()
    (edit,) = [e for e in server.log if e.route == "edit-tag"]
    assert ("i", item.given) in edit.form
    # the state is asked with xt, never as a stream of its own (an unknown one is everything)
    streams = {dict(e.query)["s"] for e in server.log if e.route == "stream/items/ids"}
    assert streams == {READING_LIST, STARRED}


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_the_outbox_goes_out_before_the_pull(desk: Desk) -> None:
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 10)
    await desk.sync()
    local = desk.local
    local.mark(local.id_of(numbers[0]), Flag.READ, True)
    local.mark(local.id_of(numbers[1]), Flag.STARRED, True)
    local.mark(local.id_of(numbers[2]), Flag.READ, True)
    local.mark(local.id_of(numbers[2]), Flag.READ, False)  # changed its mind: only the last
    start = len(server.log)

    report = await desk.sync()

    routes = server.routes()[start:]
    writes = [i for i, r in enumerate(routes) if r.startswith(("POST edit-tag", "PUT /v1/"))]
    reads = [i for i, r in enumerate(routes) if "items/ids" in r or r == "GET /v1/entries"]
    assert writes and reads and max(writes) < min(reads)
    assert server.items[numbers[0]].read and server.items[numbers[1]].starred
    assert not server.items[numbers[2]].read
    assert local.changes == []
    assert report.pushed == 3
    assert local.states[local.id_of(numbers[0])] == ItemState(read=True, starred=False)
    assert local.states[local.id_of(numbers[1])] == ItemState(read=False, starred=True)


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_changes_made_elsewhere_come_in(desk: Desk) -> None:
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 6)
    await desk.sync()
    server.set_state(numbers[0], read=True)
    server.set_state(numbers[1], starred=True)
    later = server.add_item(1, "Polizei Bochum: Zeugen gesucht", "https://www.bochum.de/z.html")

    report = await desk.sync()

    local = desk.local
    assert local.states[local.id_of(numbers[0])] == ItemState(read=True, starred=False)
    assert local.states[local.id_of(numbers[1])] == ItemState(read=False, starred=True)
    assert local.items[local.id_of(later)].title == "Polizei Bochum: Zeugen gesucht"
    assert report.new_items == 1 and report.updated == 2


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_a_change_on_both_sides_at_once(desk: Desk) -> None:
    """Each side changed something of the same items: newsroom's changes win where they were
    made (they are pushed first), the server's come in where newsroom changed nothing."""
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 4)
    await desk.sync()
    local = desk.local
    first, second = local.id_of(numbers[0]), local.id_of(numbers[1])
    local.mark(first, Flag.READ, True)  # read here ...
    server.set_state(numbers[0], read=False, starred=True)  # ... starred on the phone
    local.mark(second, Flag.STARRED, True)  # starred here ...
    server.set_state(numbers[1], read=True)  # ... read in the browser

    await desk.sync()

    assert local.states[first] == ItemState(read=True, starred=True)
    assert local.states[second] == ItemState(read=True, starred=True)
    assert (server.items[numbers[0]].read, server.items[numbers[0]].starred) == (True, True)
    assert (server.items[numbers[1]].read, server.items[numbers[1]].starred) == (True, True)


@pytest.mark.parametrize("moment", ["item_states", "pending"])
@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_state_pulled_never_overwrites_a_change_still_in_the_outbox(
    desk: Desk, moment: str
) -> None:
    """A key pressed while the sync runs, after the push: the server's older state does not
    undo it (seen by the engine, or only by the local side's write), and the change is pushed
    next time."""
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 4)
    await desk.sync()
    local = desk.local
    target = local.id_of(numbers[2])
    server.set_state(numbers[2], starred=True)  # elsewhere: starred, still unread
    local.hooks[moment] = lambda: local.mark(target, Flag.READ, True)

    report = await desk.sync()

    assert local.states[target] == ItemState(read=True, starred=True)
    assert [(c.item, c.flag, c.on) for c in local.changes] == [(target, Flag.READ, True)]
    assert report.kept_local == (1 if moment == "item_states" else 0)
    assert not server.items[numbers[2]].read
    await desk.sync()
    assert server.items[numbers[2]].read and local.changes == []


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_a_401_logs_in_again(desk: Desk) -> None:
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 3)
    async with SyncHttp() as http:
        _, remote = await desk.login(http)
        await sync(remote, desk.local)
        server.expire_logins()  # the server restarted: every Auth and T is void
        desk.local.mark(desk.local.id_of(numbers[0]), Flag.READ, True)
        server.set_state(numbers[1], read=True)
        await sync(remote, desk.local)
    assert server.items[numbers[0]].read
    assert desk.local.states[desk.local.id_of(numbers[1])].read
    logins = [e for e in server.log if e.route == "accounts/ClientLogin"]
    refused = [e for e in server.log if e.status == 401]
    assert len(logins) == 2 and refused
    if server.flavour == "freshrss":  # FreshRSS wants the login on POSTs too
        assert refused[0].method == "POST" and refused[0].route == "edit-tag"


@pytest.mark.parametrize("desk", ["miniflux-greader"], indirect=True)
async def test_miniflux_takes_a_post_by_its_token_alone(desk: Desk) -> None:
    """The fake's quirk the client must live with: Miniflux reads T, not Authorization, on a
    POST; FreshRSS wants both (test_a_401_logs_in_again)."""
    server = desk.server
    number = server.add_items(polizei_feed(server), 1)[0]
    await desk.sync()
    token = httpx.get(
        f"{server.endpoint}/reader/api/0/token",
        headers={"Authorization": f"GoogleLogin auth={server.a_login()}"},
    ).text.strip()
    answer = httpx.post(
        f"{server.endpoint}/reader/api/0/edit-tag",
        data={"i": str(number), "a": "user/-/state/com.google/read", "T": token},
    )
    assert answer.text == "OK" and server.items[number].read


@pytest.mark.parametrize("desk", ["miniflux-rest"], indirect=True)
async def test_a_star_is_read_before_it_is_flipped(desk: Desk) -> None:
    """Miniflux's bookmark call is a toggle: starring what the server has starred already
    must not unstar it."""
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 2)
    await desk.sync()
    server.set_state(numbers[0], starred=True)  # starred on the phone meanwhile
    desk.local.mark(desk.local.id_of(numbers[0]), Flag.STARRED, True)
    desk.local.mark(desk.local.id_of(numbers[1]), Flag.STARRED, True)
    await desk.sync()
    assert server.items[numbers[0]].starred and server.items[numbers[1]].starred
    toggles = [e for e in server.log if e.route.endswith("/bookmark")]
    assert [e.route for e in toggles] == [f"/v1/entries/{numbers[1]}/bookmark"]


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_ten_thousand_items_with_continuations_nothing_lost(desk: Desk) -> None:
    server = desk.server
    polizei, herne = polizei_feed(server), herne_feed(server)
    numbers = server.add_items(polizei, 6_000) + server.add_items(herne, 4_000, prefix="Herne")
    starred = numbers[::997]
    for number in starred:
        server.set_state(number, starred=True)

    report = await desk.sync()

    local = desk.local
    assert {item.number for item in local.items} == set(numbers)
    assert {i.number for i, state in local.states.items() if state.starred} == set(starred)
    assert report.new_items == 10_000 and report.skipped == 0 and report.notice is None
    pages = [e for e in server.log if e.route in ("stream/items/ids", "/v1/entries")]
    assert len(pages) >= 10  # it took continuations (or offsets) to get them all
    # nothing changed: the next sync brings nothing and changes nothing
    again = await desk.sync()
    assert (again.new_items, again.updated, again.pushed) == (0, 0, 0)


@pytest.mark.parametrize("desk", WAYS, indirect=True)
async def test_a_long_outbox_goes_out_in_batches(desk: Desk) -> None:
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 1_200)
    await desk.sync()
    for number in numbers[:1_100]:
        desk.local.mark(desk.local.id_of(number), Flag.READ, True)
    start = len(server.log)

    report = await desk.sync()

    assert report.pushed == 1_100 and desk.local.changes == []
    assert sum(item.read for item in server.items.values()) == 1_100
    writes = [e for e in server.log[start:] if e.route in ("edit-tag", "/v1/entries")]
    writes = [e for e in writes if e.method != "GET"]
    # the outbox read 500 changes at a time (500, 500, 100); 100 items an edit-tag, 500 a PUT
    assert len(writes) == (3 if desk.way == "miniflux-rest" else 5 + 5 + 1)


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_mark_all_as_read_up_to_a_time(desk: Desk) -> None:
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 5)
    cut = datetime.fromtimestamp(server.items[numbers[2]].published, UTC)
    async with SyncHttp() as http:
        _, remote = await desk.login(http)
        await remote.mark_all_read(READING_LIST, cut)  # type: ignore[attr-defined]
    assert [server.items[n].read for n in numbers] == [True, True, True, False, False]


@pytest.mark.parametrize("desk", ["miniflux-rest"], indirect=True)
async def test_an_entry_read_elsewhere_while_paging_shifts_no_page(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paged by offset, the next page would start one entry later and lose an unread one."""
    monkeypatch.setattr(miniflux, "PAGE", 10)
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 30)  # pages: 30..21, 20..11, 10..1
    server.after["/v1/entries"] = lambda: server.set_state(numbers[25], read=True)
    await desk.sync()
    assert {item.number for item in desk.local.items} == set(numbers)


@pytest.mark.parametrize("desk", ["miniflux-greader"], indirect=True)
async def test_an_item_skipped_by_a_shifted_page_is_not_taken_as_read(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Miniflux pages stream/items/ids by offset: an item read elsewhere while newsroom reads
    the list shifts the next page by one, and one unread item is in no page."""
    monkeypatch.setattr(greader, "IDS_PAGE", 10)
    server = desk.server
    numbers = server.add_items(polizei_feed(server), 30)  # pages: 30..21, 20..11, 10..1
    await desk.sync()
    local = desk.local
    start = len(server.log)

    def read_on_the_phone() -> None:
        unread_lists = [
            e
            for e in server.log[start:]
            if e.route == "stream/items/ids" and ("xt", READ) in e.query
        ]
        if not unread_lists:  # the starred list came first: wait for the unread one
            server.after["stream/items/ids"] = read_on_the_phone
            return
        server.set_state(numbers[25], read=True)

    server.after["stream/items/ids"] = read_on_the_phone
    await desk.sync()

    # item 21 fell between the pages: still unread; item 26, read after its page was listed,
    # comes in as read with the next sync
    assert not any(local.states[local.id_of(n)].read for n in numbers)
    await desk.sync()
    assert [n for n in numbers if local.states[local.id_of(n)].read] == [numbers[25]]


@pytest.mark.parametrize("desk", GREADER_WAYS, indirect=True)
async def test_requests_refused_at_once_log_in_once(desk: Desk) -> None:
    """The subscriptions and both id lists are asked side by side: all refused after a
    server restart, they share one new login."""
    server = desk.server
    server.add_items(polizei_feed(server), 3)
    async with SyncHttp() as http:
        _, remote = await desk.login(http)
        await sync(remote, desk.local)
        server.expire_logins()
        await sync(remote, desk.local)
    assert [e.route for e in server.log].count("accounts/ClientLogin") == 2
