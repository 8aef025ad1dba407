"""What a list row says of its story, at any width: the title keeps two thirds of its
column (or all of a shorter title); the story's extras shrink first, never to nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.models import ArticleSummary
from newsroom_tui.text.article_format import ISO_DATE_FORMAT, LOCALE_DATE_FORMATS, set_date_format
from newsroom_tui.ui import language
from newsroom_tui.ui.widgets.article_list import story_label

FEEDS = ("Polizei Bochum", "Stadt Herne – Pressemeldungen", "WAZ Bochum – Lokales")


def story_row(
    title: str, feed: str, first: str, sources: int, update: datetime | None
) -> ArticleSummary:
    return ArticleSummary(
        id=1,
        feed_id=1,
        feed=feed,
        url=None,
        title=title,
        published=update,
        read=False,
        story_id=1,
        story_sources=sources,
        story_first=first,
        story_update=update,
    )


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    title=st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß :–", min_size=1, max_size=120),
    feed=st.sampled_from(FEEDS),
    first=st.sampled_from(FEEDS),
    sources=st.integers(min_value=2, max_value=12),
    days=st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
    width=st.integers(min_value=8, max_value=200),
)
def test_the_title_keeps_most_of_the_row(
    title: str, feed: str, first: str, sources: int, days: int | None, width: int
) -> None:
    update = None if days is None else datetime.now(UTC) - timedelta(days=days)
    row = story_row(title, feed, first, sources, update)
    label = story_label(row, width)
    widest = story_label(row)
    assert label and len(label) <= len(widest)
    keep = min(len(title), 2 * width // 3)
    shortest = str(sources - 1)  # "+2", the last resort
    assert len(label) + 3 + keep <= width or label.endswith(shortest)
    if len(widest) + 3 + keep <= width:
        assert label == widest  # room enough: all of it


def test_the_extras_shrink_in_order() -> None:
    title = "Brand in Wattenscheid: Feuerwehr rettet zwei Menschen"
    row = story_row(title, "WAZ Bochum", "Polizei Bochum", 3, None)
    assert story_label(row, 200) == "3 sources, first: Polizei Bochum"
    assert story_label(row, 41) == "3 sources"
    assert story_label(row, 20) == "+2"
    assert story_label(story_row("Kurz", "WAZ Bochum", "Polizei Bochum", 3, None), 41) == (
        "3 sources, first: Polizei Bochum"
    )


def test_an_update_of_another_day_keeps_its_day_before_its_year() -> None:
    """An update of two days ago, told again since (the row): where the update's whole date
    does not fit, its day and time do (``update 12-05 15:05``), before the sources' count
    shrinks to "+2" without it."""
    title = "Witten: Motorradfahrer (34) schwer verletzt"
    update = datetime.now(UTC).replace(hour=14, minute=5) - timedelta(days=2)
    row = replace(
        story_row(title, "WAZ Bochum", "Polizei Bochum", 3, update),
        published=update + timedelta(hours=1),
    )
    day = update.astimezone().strftime("%m-%d %H:%M")
    set_date_format(ISO_DATE_FORMAT)
    assert (
        story_label(row, 200)
        == f"3 sources, first: Polizei Bochum · update {update.astimezone():%Y-%m-%d %H:%M}"
    )
    assert story_label(row, 73) == f"+2 · update {day}"
    assert story_label(row, 41) == "+2 · update"

    # the row is the update itself: its date is the row's; the word goes before the count
    own = story_row(title, "WAZ Bochum", "Polizei Bochum", 3, update)
    assert story_label(own, 200) == "3 sources, first: Polizei Bochum · update"
    assert story_label(own, 41) == "3 sources"


def test_an_update_is_named_in_german_at_80_columns_too() -> None:
    """German's word is longer ("Nachtrag"): at 80 columns the row said "3 Quellen" and
    nothing of the update; now it says the update, as the English row does."""
    title = "Witten: Motorradfahrer (34) schwer verletzt"
    update = datetime.now(UTC) - timedelta(days=2)
    row = replace(
        story_row(title, "WAZ Bochum", "Polizei Bochum", 3, update),
        published=update + timedelta(hours=1),
    )
    language.use_language({"LANG": "de_DE.UTF-8"})
    set_date_format(LOCALE_DATE_FORMATS["de"])
    try:
        assert "Nachtrag" in story_label(row, 41)
        assert story_label(row, 73) == f"+2 · Nachtrag {update.astimezone():%d.%m. %H:%M}"
    finally:
        language.use_language({"LANG": "C.UTF-8"})
        set_date_format(ISO_DATE_FORMAT)
