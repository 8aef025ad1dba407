"""Properties of story matching over the labelled week: an article always matches a copy
of itself in another source's boilerplate, and whether two articles are put in one story
does not depend on which came in first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.stories import StoryArticle, StoryDecision, StoryIndex
from tests.story_set import load

WEEK = load()
# texts without a source's boilerplate of their own
PLAIN = [a for a in WEEK if a.kind in ("trimmed", "built-on", "retold", "update")]

POLICE_CONTACT = (
    "\n\nRückfragen bitte an:\n\nPolizei Bochum\nPressestelle\nTelefon: 0234 909-1021\n"
    "E-Mail: pressestelle.bochum@polizei.nrw.de\n\n"
    "Original-Content von: Polizei Bochum, übermittelt durch news aktuell"
)
FIRE_CONTACT = (
    "\n\nRückfragen bitte an:\n\nFeuerwehr Herne\nLagedienst\nTelefon: 02323 16-3322\n"
    "E-Mail: feuerwehr@herne.de\n\nOriginal-Content von: Feuerwehr Herne, übermittelt "
    "durch news aktuell"
)
CITY_CONTACT = (
    "\n\nStadt Herne\nFachbereich Presse und Öffentlichkeitsarbeit\nTelefon: 02323 16-2888\n"
    "E-Mail: presse@herne.de"
)
Wrap = Callable[[str, str], tuple[str, str]]
WRAPPERS: list[Wrap] = [
    lambda title, text: (title, text),
    lambda title, text: (f"POL-BO: {title}", f"Bochum (ots) - {text}{POLICE_CONTACT}"),
    lambda title, text: (f"FW-HER: {title}", f"Herne (ots) - {text}{FIRE_CONTACT}"),
    lambda title, text: (title, f"Meldung vom 09. November 2023\n\n{text}{CITY_CONTACT}"),
    lambda title, text: (title, f"Herne (dpa/lnw) - {text}"),
]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(
    st.sampled_from(PLAIN),
    st.sampled_from(WRAPPERS),
    st.sampled_from(WRAPPERS),
    st.integers(min_value=0, max_value=47 * 60),
)
def test_an_article_matches_a_copy_of_itself_in_another_boilerplate(
    article, first: Wrap, second: Wrap, minutes: int
) -> None:
    published = datetime.fromisoformat(article.published)
    index = StoryIndex()
    title, text = first(article.title, article.text)
    index.assign(StoryArticle("original", "police", title, text, published))
    title, text = second(article.title, article.text)
    later = published + timedelta(minutes=minutes)
    decision = index.assign(StoryArticle("copy", "paper", title, text, later))
    assert decision.story_id == "original"
    assert decision.matched_article_id == "original"


@SETTINGS
@given(st.sampled_from(WEEK), st.sampled_from(WEEK))
def test_one_story_or_two_whatever_came_first(a, b) -> None:
    if a.guid == b.guid:
        return
    together = []
    for first, second in ((a, b), (b, a)):
        index = StoryIndex()
        stories = [
            index.assign(
                StoryArticle(x.guid, x.feed, x.title, x.text, datetime.fromisoformat(x.published))
            ).story_id
            for x in (first, second)
        ]
        together.append(stories[0] == stories[1])
    assert together[0] == together[1]


@SETTINGS
@given(st.text(max_size=400), st.text(max_size=80), st.sampled_from(WEEK))
def test_a_source_boilerplate_alone_joins_no_story(text: str, title: str, other) -> None:
    index = StoryIndex()
    published = datetime.fromisoformat(other.published)
    index.assign(StoryArticle(other.guid, other.feed, other.title, other.text, published))
    wrapped = f"Bochum (ots) - {text}{POLICE_CONTACT}"
    decision = index.assign(StoryArticle("any", "police", f"POL-BO: {title}", wrapped, published))
    assert decision == StoryDecision("any", "new")
