"""The status line's failed and waiting feeds after another process polled: the reader's own
poll's, as the store's feed state has them (no screen)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsroom_tui.models import Feed
from newsroom_tui.ui.stored_problems import problems_in_store
from newsroom_tui.ui.widgets.status_bar import Problem

NOW = datetime(2025, 6, 2, 7, 45, tzinfo=UTC)
REFUSED = "cannot connect: connection refused"


def feed(n: int, title: str, error: str | None = None, wait: bool = False) -> Feed:
    retry = NOW + timedelta(minutes=30) if wait else None
    return Feed(n, f"http://127.0.0.1/{n}.rss", title, error=error, retry_after=retry)


def test_feeds_polled_without_error_since_leave_the_problems() -> None:
    mine = {"dpa NRW": (Problem.FAILED, REFUSED), "Stadt Herne": (Problem.FAILED, REFUSED)}
    feeds = [feed(1, "dpa NRW"), feed(2, "Stadt Herne", REFUSED)]
    assert problems_in_store(mine, feeds, now=NOW) == {"Stadt Herne": (Problem.FAILED, REFUSED)}
    assert problems_in_store(mine, [feed(1, "dpa NRW"), feed(2, "Stadt Herne")], now=NOW) == {}


def test_feeds_another_poll_failed_or_backed_off_come_in_with_the_store_s_reason() -> None:
    mine = {"dpa NRW": (Problem.FAILED, REFUSED)}
    feeds = [
        feed(1, "dpa NRW", REFUSED),
        feed(2, "Polizei Bochum", "HTTP 500"),
        feed(3, "Stadt Herne", "HTTP 503", wait=True),
        feed(4, "Stadt Bochum"),
    ]
    shown = problems_in_store(mine, feeds, now=NOW)
    assert list(shown) == ["dpa NRW", "Polizei Bochum", "Stadt Herne"]  # the poll's first
    assert shown["Polizei Bochum"] == (Problem.FAILED, "HTTP 500")
    kind, reason = shown["Stadt Herne"]
    assert kind is Problem.WAITING and "HTTP 503" in reason


def test_without_a_poll_of_its_own_the_reader_makes_up_no_problems() -> None:
    # the status line counts the store's failed feeds then (stored_failures)
    assert problems_in_store({}, [feed(1, "dpa NRW", REFUSED)], now=NOW) == {}


def test_a_feed_named_by_the_poll_since_is_found_under_its_address() -> None:
    # the reader's poll failed before the feed was ever fetched: it named it by its address
    address = "http://127.0.0.1:8080/herne.rss"
    mine = {address: (Problem.FAILED, REFUSED), "Polizei Bochum": (Problem.FAILED, REFUSED)}
    feeds = [Feed(1, address, "Stadt Herne"), Feed(2, "http://127.0.0.1/2.rss", "Polizei Bochum")]
    named = {1: address, 2: "Polizei Bochum"}
    assert problems_in_store(mine, feeds, named, now=NOW) == {}
    feeds[1] = Feed(2, "http://127.0.0.1/2.rss", "Polizei Bochum", error=REFUSED)
    feeds[0] = Feed(1, address, "Stadt Herne", error=REFUSED)
    shown = problems_in_store(mine, feeds, named, now=NOW)
    assert list(shown) == ["Stadt Herne", "Polizei Bochum"]
