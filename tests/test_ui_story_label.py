"""What a list row says of its story, at any width: the title keeps two thirds of its
column (or all of a shorter title); the story's extras shrink first, never to nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.models import ArticleSummary
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
