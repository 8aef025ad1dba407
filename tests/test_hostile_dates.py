"""Far-out dates: one item dated ``9999-12-31T23:59:59-01:00`` or ``0001-01-01T00:00+01:00``
(which cannot be turned into UTC) is read as undated by every parser, so ``fetch`` and the
reader's start poll go on; and a feed whose rows still break the write (a bug) fails alone
with one line, its batch's other feeds stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import PollStatus
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.parse.listing import Announcement, detect_listing
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import SQLiteStore
from newsroom_tui.text.plausible_dates import plausible_date
from tests.fixture_server import FixtureServer

BASE = "http://127.0.0.1:8000"
FAR = ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "2500-01-01T00:00:00+00:00"]
# (RFC 822 and German dates read a year "0001" as 2001, as two-digit years)
RFC822_FAR = ["Fri, 31 Dec 9999 23:59:59 -0100", "Sat, 01 Jan 2500 00:00:00 +0000"]
GOOD = "2025-03-04T10:00:00+01:00"
GOOD_DAY = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-1))),
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(2100, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1))),  # 2101 in UTC
        datetime(1989, 12, 31, 23, 0, tzinfo=UTC),
    ],
)
def test_far_out_dates_are_dropped(value: datetime) -> None:
    assert plausible_date(value) is None
    assert FeedEntry("g", None, "Kita", value).published is None
    assert Announcement("Kita eröffnet", None, value).published is None


@pytest.mark.parametrize(
    "value",
    [
        datetime(2025, 3, 4, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        datetime(1990, 1, 1, tzinfo=UTC),
        datetime(2100, 12, 31, 22, 0, tzinfo=timezone(timedelta(hours=-1))),
    ],
)
def test_plausible_dates_are_kept_as_they_are(value: datetime) -> None:
    assert plausible_date(value) is value
    assert FeedEntry("g", None, "Kita", value).published is value


def rss(date: str, doctype: bool = False) -> bytes:
    """RSS with a far-out item and a healthy one; a DOCTYPE sends it to feedparser."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        + ("<!DOCTYPE rss>" if doctype else "")
        + '<rss version="2.0"><channel><title>Stadt Herne</title>'
        f"<item><title>Ferne Zukunft</title><guid>h-1</guid><pubDate>{date}</pubDate></item>"
        "<item><title>Kita eröffnet</title><guid>h-2</guid>"
        "<pubDate>Tue, 04 Mar 2025 10:00:00 +0100</pubDate></item></channel></rss>"
    ).encode()


def rdf(date: str) -> bytes:
    """RSS 1.0 (feedparser only) with dc:date."""
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="x"><title>Polizei Bochum</title></channel>'
        f'<item rdf:about="b-1"><title>Ferne Zukunft</title><dc:date>{date}</dc:date></item>'
        f'<item rdf:about="b-2"><title>Unfall auf der A40</title><dc:date>{GOOD}</dc:date></item>'
        "</rdf:RDF>"
    ).encode()


def atom(date: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Polizei Bochum</title><id>urn:bochum</id>"
        f"<entry><title>Ferne Zukunft</title><id>b-1</id><updated>{date}</updated></entry>"
        f"<entry><title>Unfall auf der A40</title><id>b-2</id><published>{GOOD}</published>"
        "</entry></feed>"
    ).encode()


def json_feed(date: str) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Stadt Herne",
            "items": [
                {"id": "h-1", "title": "Ferne Zukunft", "date_published": date},
                {"id": "h-2", "title": "Kita eröffnet", "date_published": GOOD},
                {"id": "h-3", "title": "Haushalt", "date_published": date, "date_modified": GOOD},
            ],
        }
    ).encode()


DOCS = [
    *[pytest.param(rss(d), id=f"rss-iso-{d[:4]}") for d in FAR],
    *[pytest.param(rss(d), id=f"rss-822-{d[12:16]}") for d in RFC822_FAR],
    *[pytest.param(rss(d, doctype=True), id=f"rss-feedparser-{d[12:16]}") for d in RFC822_FAR],
    *[pytest.param(rdf(d), id=f"rdf-{d[:4]}") for d in FAR],
    # feedparser alone reads it: to 10000-01-01 in UTC
    pytest.param(rss("9999-12-31T24:00:00-01:00"), id="rss-feedparser-24h"),
    *[pytest.param(atom(d), id=f"atom-{d[:4]}") for d in FAR],
    *[pytest.param(json_feed(d), id=f"json-{d[:4]}") for d in FAR],
]


@pytest.mark.parametrize("doc", DOCS)
def test_every_feed_parser_reads_a_far_out_date_as_none(doc: bytes) -> None:
    entries = parse_feed(doc, f"{BASE}/feed").entries
    assert entries[0].published is None
    assert all(e.published == GOOD_DAY for e in entries[1:])


def listing_page(date: str) -> str:
    items = "".join(
        f'<li class="meldung"><h2><a href="/presse/{n}.html">Meldung {n} der Stadt Herne</a></h2>'
        f'<time datetime="{date if n == 1 else GOOD}">{"" if n == 1 else "04.03.2025"}</time>'
        f"<p>Die Stadt Herne informiert über Baustellen und Kitas ({n}).</p></li>"
        for n in (1, 2, 3, 4)
    )
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Presse</title></head><body><main>"
        f"<h1>Pressemitteilungen</h1><ul>{items}</ul></main></body></html>"
    )


@pytest.mark.parametrize("date", [FAR[0], FAR[2]])
def test_a_listing_page_reads_a_far_out_date_as_none(date: str) -> None:
    found = detect_listing(listing_page(date), f"{BASE}/presse/").announcements
    assert [a.published for a in found] == [None, GOOD_DAY, GOOD_DAY, GOOD_DAY]


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_fetch_goes_on_past_far_out_dates(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add("/herne.rss", rss(FAR[0]), "application/rss+xml")
    server.add("/bochum.atom", atom(FAR[1]), "application/atom+xml")
    server.add("/herne.json", json_feed(FAR[0]), "application/feed+json")
    server.add("/presse/", listing_page(FAR[1]))
    urls = [server.url(p) for p in ("/herne.rss", "/bochum.atom", "/herne.json", "/presse/")]
    code, _, err = run(data_dir, capsys, "add", *urls)
    assert code == 0, err
    for _ in range(2):  # every poll, not only the first
        code, out, err = run(data_dir, capsys, "fetch")
        assert code == 0 and "Traceback" not in err, err
        assert out.strip().endswith("0 failed")
    code, out, _ = run(data_dir, capsys, "list", "--json")
    titles = [a["title"] for a in json.loads(out)]
    assert titles.count("Ferne Zukunft") == 3 and "Unfall auf der A40" in titles
    assert len(titles) == 11


# -- the writer: a feed whose rows break the write fails alone ------------------------------


def _breaking(store: SQLiteStore, bad_id: int) -> None:
    """Writes of feed ``bad_id`` raise as a far-out date did in the sort key (a bug: any
    error that is not the cache's)."""
    many = store.save_feed_updates

    def save_many(updates: Any, not_modified: Any = (), after_save: Any = None) -> Any:
        if any(feed_id == bad_id for feed_id, _ in updates):
            raise OverflowError("date value out of range")
        return many(updates, not_modified, after_save=after_save)

    store.save_feed_updates = save_many  # type: ignore[method-assign]


def healthy(title: str, n: int) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        + "".join(
            f"<item><title>{title}: Meldung {i}</title><guid>{title}-{i}</guid>"
            "<pubDate>Tue, 04 Mar 2025 10:00:00 +0100</pubDate>"
            "<description>Die Stadt teilt mit.</description></item>"
            for i in range(n)
        )
        + "</channel></rss>"
    ).encode()


async def test_a_feed_whose_write_fails_costs_that_feed_alone(
    server: FixtureServer, store: SQLiteStore
) -> None:
    names = ("Stadt Herne", "Polizei Bochum", "Stadt Fürth")
    for i, name in enumerate(names):
        server.add(f"/{i}.rss", healthy(name, 2), "application/rss+xml")
    feeds = [store.add_feed(server.url(f"/{i}.rss"))[0] for i in range(len(names))]
    _breaking(store, feeds[1].id)
    async with Fetcher() as fetcher:
        report = await poll_feeds(store, fetcher=fetcher)
        again = await poll_feeds(store, fetcher=fetcher)
    for polled in (report, again):
        outcomes = {o.feed.id: o for o in polled.outcomes}
        assert outcomes[feeds[1].id].status == PollStatus.FAILED
        assert (
            outcomes[feeds[1].id].error == "internal error: OverflowError: date value out of range"
        )
        assert polled.store_error is None
    assert {o.status for o in report.outcomes if o.feed.id != feeds[1].id} == {PollStatus.UPDATED}
    assert sorted(a.title for a in store.articles()) == [
        "Stadt Fürth: Meldung 0", "Stadt Fürth: Meldung 1",
        "Stadt Herne: Meldung 0", "Stadt Herne: Meldung 1",
    ]  # fmt: skip
    bad = next(f for f in store.feeds() if f.id == feeds[1].id)
    assert bad.error == "internal error: OverflowError: date value out of range"
    assert bad.failures == 2


def test_fetch_reports_a_failed_write_in_one_line(
    server: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.add("/herne.rss", healthy("Stadt Herne", 2), "application/rss+xml")
    server.add("/bochum.rss", healthy("Polizei Bochum", 3), "application/rss+xml")
    run(data_dir, capsys, "add", "--force", server.url("/herne.rss"), server.url("/bochum.rss"))
    opened = SQLiteStore.__init__

    def opening(self: SQLiteStore, *args: Any, **kwargs: Any) -> None:
        opened(self, *args, **kwargs)
        _breaking(self, 2)

    monkeypatch.setattr(SQLiteStore, "__init__", opening)
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 1 and "Traceback" not in err
    assert out.strip() == "2 feeds polled, 2 new articles, 1 failed"
    error = "internal error: OverflowError: date value out of range"
    assert [line for line in err.splitlines() if "OverflowError" in line] == [
        f"failed: {server.url('/bochum.rss')}: {error}"
    ]
