"""The status line's parts at a given width, without a terminal: what matters stays whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.ui.widgets.status_bar import Part, fit, line_length

LAST_POLL = "last poll 2025-06-02 07:45"
TODAYS_POLL = "last poll 07:45"  # the same, on its day
TOTALS = "2,431 articles, 118 unread"


def parts() -> dict[str, Part]:
    return {
        "progress": Part("Polling 3/12 feeds…", "Polling 3/12"),
        "failed": Part("2 feeds failed", style="red"),
        "narrowing": Part(
            "12 shown (filter: unread, feed: Polizei Bochum – Pressemeldungen)",
            "12 shown (filter: unread, feed: Polizei…)",
            "12 shown (filter: unread,…)",
            "12 shown",
            "",
        ),
        "team": Part("team inbox as anna", ""),
        "totals": Part(TOTALS),
        "last_poll": Part(LAST_POLL, TODAYS_POLL),
    }


def texts(width: int) -> list[str]:
    return [text for text, _ in fit(parts(), width)]


def test_a_wide_line_shows_every_part_whole() -> None:
    shown = texts(200)
    assert shown[2].endswith("Pressemeldungen)") and "team inbox as anna" in shown
    assert texts(0) == shown  # an unknown width: everything


def test_at_80_columns_the_rest_gives_way_to_the_counts_and_the_last_poll() -> None:
    shown = texts(80)
    assert TOTALS in shown and TODAYS_POLL in shown and "2 feeds failed" in shown
    assert "team inbox as anna" not in shown  # gone before the narrowing is a bare count
    assert line_length(fit(parts(), 80)) <= 80


def test_the_narrowing_is_cut_before_the_team_inbox_goes() -> None:
    full = line_length(fit(parts(), 0))
    shown = texts(full - 30)
    assert "team inbox as anna" in shown
    assert "12 shown (filter: unread, feed: Polizei…)" in shown


def test_a_part_needs_a_form() -> None:
    with pytest.raises(ValueError):
        Part()


@given(st.integers(min_value=1, max_value=300))
def test_what_matters_is_never_cut(width: int) -> None:
    shown = texts(width)
    assert shown[-2] == TOTALS and shown[-1] in (LAST_POLL, TODAYS_POLL)
    assert "2 feeds failed" in shown
    smallest = line_length(
        [(p.forms[-1], "") for p in parts().values() if p.forms[-1]]
    )  # every part at its shortest
    assert line_length(fit(parts(), width)) <= max(width, smallest)


def test_failed_and_waiting_feeds_are_their_numbers_before_the_last_poll_loses_its_time() -> None:
    # OFFLINE, feeds failed and waiting and a German line: 92 columns whole, the last poll
    # was cut at 80 ("letzter Abruf" without its time)
    line = {
        "offline": Part("OFFLINE — gespeicherte Artikel", "OFFLINE", style="bold"),
        "failed": Part("6 Feeds fehlgeschlagen", "6 Fehler", style="red"),
        "waiting": Part("1 Feed wartet", "1 wartend", style="yellow"),
        "totals": Part("103 Themen, 97 ungelesen"),
        "last_poll": Part("letzter Abruf 08.12.2026 14:32", "letzter Abruf 14:32"),
    }
    shown = [text for text, _ in fit(line, 80)]
    assert shown == ["OFFLINE", "6 Fehler", "1 wartend", "103 Themen, 97 ungelesen", shown[-1]]
    assert shown[-1] == "letzter Abruf 14:32"
    assert [text for text, _ in fit(line, 200)][1] == "6 Feeds fehlgeschlagen"  # room: whole
