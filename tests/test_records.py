"""``record`` makes the same class as ``dataclass``: the package's records keep their
constructor, equality, hash, repr and immutability (each against a real dataclass of the same
fields), and the decorator agrees with ``dataclass`` on generated shapes and calls."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import FrozenInstanceError, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.cli import _Given
from newsroom_tui.config import Config
from newsroom_tui.keymap import Action
from newsroom_tui.models import (
    Article,
    ArticleSummary,
    BodySource,
    CreditCount,
    ExtractedPage,
    Feed,
    GalleryItem,
    NewArticle,
)
from newsroom_tui.records import record
from newsroom_tui.settings import Example, Section, Setting
from newsroom_tui.store.base import (
    ArticleFilter,
    ChangeKind,
    FeedCounts,
    FeedUpdate,
    FirstScreen,
    ScreenCounts,
    StoreChange,
    StoryTotals,
    WatchCounts,
)
from newsroom_tui.store.retention import Retention
from newsroom_tui.text.markdown_links import MarkdownLink
from newsroom_tui.ui.navigation import Place, Step
from newsroom_tui.ui.reader_settings import ReaderSettings
from newsroom_tui.ui.view import View
from newsroom_tui.ui.widgets.article_list import Listing
from newsroom_tui.ui.write_behind import _Change, _Write
from newsroom_tui.watch_records import Watchlist

WHEN = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
ROW = ArticleSummary(7, 2, "Stadt Herne", "https://www.herne.de/1", "Straßensperrung", WHEN, False)
WATCH = Watchlist("Kita", "kita", flag=True)
FEED = Feed(1, "https://www.herne.de/rss", "Stadt Herne", failures=2)
COUNTS = ScreenCounts([FeedCounts(FEED, 10, 4)], WHEN, [WatchCounts(WATCH, 3, 1)], 10)

# Each record of the package with an example; True: frozen (as it was made with
# ``dataclass(frozen=True)``), False: mutable and unhashable.
EXAMPLES: list[tuple[Any, bool]] = [
    (_Given((WATCH,), Retention()), True),
    (Config(keys={"j": "next"}), False),
    (Action("open", "enter", "Öffnen", "Artikel öffnen"), True),
    (GalleryItem("https://www.herne.de/bild.jpg", "Rathaus", "Foto: Stadt Herne"), True),
    (CreditCount("Foto: Polizei Bochum", 2), True),
    (ExtractedPage("Meldung", WHEN, "Text über Grünflächen"), False),
    (FEED, True),
    (ROW, False),
    (Article(8, 2, "Polizei Bochum", None, "Einbruch", WHEN, True, body_markdown="Ä"), False),
    (BodySource("<p>Grüße</p>", None, "https://www.bochum.de/"), True),
    (NewArticle("g1", None, "Kita öffnet", WHEN, story_features=(1, 2)), False),
    (Example('watch."Kita"', ("query",), "Kita-Meldungen"), True),
    (Setting("keep_days", 30, lambda value: 30, "30", "Tage"), True),
    (Section("feeds", (), "unbekannt{near}"), True),
    (FeedUpdate(WHEN, etag='"abc"', in_feed=frozenset({"g1"})), False),
    (ArticleFilter(feed_id=3, unread=True, search="grün"), True),
    (FeedCounts(FEED, 10, 4), True),
    (StoreChange(ChangeKind.ARTICLE, article_id=4, user="anna"), True),
    (WatchCounts(WATCH, 3, 1), True),
    (StoryTotals(5, 2, {"Polizei": 1}), True),
    (COUNTS, True),
    (FirstScreen(1, [ROW], None, True, COUNTS), True),
    (Retention(keep_days=30), True),
    (MarkdownLink(0, 40, "Stadt Herne", "https://www.herne.de/"), True),
    (Step(Place.SEARCH, search="kita"), True),
    (ReaderSettings(read_delay=2.0, export_dir=Path("/tmp")), True),
    (View(search="kita"), True),
    (Listing(ArticleFilter(), 1, False, 7, 0, 0, [ROW]), True),
    (_Write(print, None, None), False),
    (_Change("s", 1), False),
]


def _twin(cls: type) -> type:
    """``cls``'s fields and methods in a class made by ``dataclass``."""
    frozen = vars(cls).get("__setattr__") is not None
    spec = [
        (
            f.name,
            f.type,
            field(
                default=f.default,
                default_factory=f.default_factory,
                repr=f.repr,
                hash=f.hash,
                compare=f.compare,
            ),
        )
        for f in fields(cls)
    ]
    own = {
        name: value
        for name, value in vars(cls).items()
        if (callable(value) and not name.startswith("__")) or name == "__post_init__"
    }
    twin = dataclasses.make_dataclass(cls.__name__, spec, frozen=frozen, namespace=own)
    twin.__qualname__ = cls.__qualname__
    return twin


def test_every_record_of_the_package_is_listed() -> None:
    assert len(EXAMPLES) == 30
    assert len({type(example) for example, _ in EXAMPLES}) == 30


@pytest.mark.parametrize(
    "example, frozen", EXAMPLES, ids=[type(e).__qualname__ for e, _ in EXAMPLES]
)
def test_a_record_behaves_as_its_dataclass(example: Any, frozen: bool) -> None:
    cls = type(example)
    values = {f.name: getattr(example, f.name) for f in fields(example)}
    twin = _twin(cls)(**values)
    if not cls.__doc__ or cls.__doc__.startswith(f"{cls.__name__}("):  # no docstring of its own
        assert cls.__doc__ == type(twin).__doc__
    same = cls(**values)
    assert repr(example) == repr(twin)
    assert list(vars(same)) == list(vars(twin)) == [f.name for f in fields(cls)]
    assert same == example
    assert not same != example  # noqa: SIM202 (__ne__ of __eq__)
    assert same is not example
    assert (same == twin) is False  # another class is never equal
    assert replace(example) == example
    assert copy.copy(example) == example == copy.deepcopy(example)
    assert dataclasses.asdict(example) == dataclasses.asdict(twin)
    compared = [f for f in fields(cls) if f.compare]
    for f in reversed(compared):  # a field whose other value the record's rules allow
        try:
            changed = replace(example, **{f.name: _other(values[f.name])})
        except ValueError:
            continue
        assert changed != example
        break
    else:
        raise AssertionError("no field changed")
    name = fields(cls)[0].name
    if frozen:
        assert _hashed(same) == _hashed(example) == _hashed(twin)
        with pytest.raises(FrozenInstanceError, match=f"cannot assign to field '{name}'"):
            setattr(example, name, values[name])
        with pytest.raises(FrozenInstanceError):
            delattr(example, name)
        with pytest.raises(FrozenInstanceError):
            example.anything_else = 1
    else:
        with pytest.raises(TypeError, match="unhashable"):
            hash(example)
        setattr(same, name, _other(values[name]))
        assert same != example


def _hashed(value: Any) -> int | str:
    """The hash, or that the fields hold an unhashable value (a list, as dataclass's)."""
    try:
        return hash(value)
    except TypeError as error:
        return str(error)


def _other(value: Any) -> Any:
    """A value unequal to ``value``."""
    if isinstance(value, bool) or value is None:
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "ü"
    if isinstance(value, tuple):
        return (*value, "ß")
    return object()


def test_a_record_checks_its_arguments_as_a_dataclass_does() -> None:
    with pytest.raises(TypeError, match=r"missing 2 required positional arguments: 'id' and 'url'"):
        Feed()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'titel'"):
        Feed(1, "https://www.herne.de/rss", titel="Stadt Herne")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'url'"):
        Feed(1, "https://www.herne.de/rss", url="x")  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 3 positional arguments but 4 were given"):
        CreditCount("Foto: Stadt Herne", 1, 2)  # type: ignore[call-arg]
    with pytest.raises(ValueError):  # __post_init__ runs: its rule holds where it is made
        Retention(keep_days=-1)


def test_a_record_refuses_what_it_does_not_make() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @record
        class Wrong:
            a: int = 0
            b: int  # type: ignore[misc]


def test_each_record_gets_its_own_default_made_by_a_factory() -> None:
    first, second = Config(), Config()
    first.keys["j"] = "next"
    assert second.keys == {}


# Shapes of record: fields (name, has default), frozen or not, made by both decorators.
_SHAPES = st.tuples(
    st.lists(st.booleans(), min_size=0, max_size=5).map(sorted),  # defaults come last
    st.booleans(),
)


def _shape(decorate: Any, defaults: list[bool], frozen: bool) -> type:
    names = [f"f{index}" for index in range(len(defaults))]
    namespace: dict[str, Any] = {"__annotations__": dict.fromkeys(names, "Any")}
    for name, has_default in zip(names, defaults, strict=True):
        if has_default:
            namespace[name] = field(default_factory=list) if name.endswith("0") else None
    cls = type("Meldung", (), namespace)
    return decorate(frozen=frozen)(cls)  # type: ignore[no-any-return]


@given(
    shape=_SHAPES,
    values=st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=5)), max_size=6),
    positional=st.integers(0, 6),
    extra=st.sampled_from([{}, {"f0": 1}, {"f9": 1}]),
)
def test_record_agrees_with_dataclass(
    shape: tuple[list[bool], bool], values: list[Any], positional: int, extra: dict[str, Any]
) -> None:
    defaults, frozen = shape
    ours, theirs = _shape(record, defaults, frozen), _shape(dataclasses.dataclass, defaults, frozen)
    args = values[:positional]
    kwargs = {f"f{index}": value for index, value in enumerate(values) if index >= positional}
    kwargs.update(extra)
    outcomes: list[tuple[Any, ...]] = []
    for cls in (ours, theirs):
        try:
            made = cls(*args, **kwargs)
        except TypeError as error:
            outcomes.append(("TypeError", str(error).split("() ", 1)[-1]))
            continue
        copy = cls(*args, **kwargs)
        hashed = _hashed(made) if frozen else None
        outcomes.append((repr(made), made == copy, hashed, vars(made)))
    assert outcomes[0] == outcomes[1]
