"""The settings table is the one declaration of each setting: the Config, the default file and
the README's Configuration block agree with it, and every value is judged in one line."""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.config import Config, ConfigError, load_config
from newsroom_tui.config_text import README_END, README_START, default_config_text, readme_block
from newsroom_tui.keymap import ACTIONS
from newsroom_tui.models import Feed
from newsroom_tui.settings import FEEDS, GENERAL, WATCH, Section, Setting
from newsroom_tui.sources.selectors import SELECTOR_KEYS

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = (GENERAL, FEEDS, WATCH)
# Config attributes a section fills table by table rather than one setting each
BY_SECTION = {"path", "keys", "full_page", "selectors", "watchlists"}


def _value(config: Config, target: str) -> Any:
    for name in target.split("."):
        config = getattr(config, name)
    return config


def test_config_holds_each_general_setting_with_its_default() -> None:
    fields = {f.name for f in dataclasses.fields(Config)}
    targets = [s.target for s in GENERAL.settings]
    assert {t.split(".")[0] for t in targets} == fields - BY_SECTION
    for setting in GENERAL.settings:
        assert _value(Config(), setting.target) == setting.default, setting.key


def test_feed_settings_are_the_page_choice_and_the_selectors_sources_reads() -> None:
    assert FEEDS.keys == ("full_page", *SELECTOR_KEYS)
    feed_defaults = {f.name: f.default for f in dataclasses.fields(Feed)}
    assert FEEDS.setting("full_page").default == feed_defaults["full_page"]


def test_no_key_is_declared_twice() -> None:
    for section in SECTIONS:
        assert len(set(section.keys)) == len(section.keys), section.name


def test_each_example_is_a_value_its_setting_accepts() -> None:
    for section in SECTIONS:
        for setting in section.settings:
            value = tomllib.loads(f"v = {setting.example}")["v"]
            setting.read(value)  # raises on a wrong example


def test_the_default_file_shows_every_setting_and_loads_uncommented(tmp_path: Path) -> None:
    text = default_config_text()
    for section in SECTIONS:
        for setting in section.settings:
            assert f"\n# {setting.key} = {setting.example}\n" in text, setting.key
    # every commented setting and example table switched on: a file that loads
    uncommented = re.sub(r"^# (\[|\w+ = )", r"\1", text, flags=re.MULTILINE)
    path = tmp_path / "config.toml"
    path.write_text(uncommented, "utf-8")
    config = load_config(path)
    assert config.poll_interval == 15 and config.concurrency == 16
    assert config.date_format == "%d.%m.%Y %H:%M" and config.theme == "nord"
    assert config.full_page == {"https://www.example.org/presse/feed.rss": "always"}
    assert config.selectors["https://www.example.org/presse/meldungen/"]["items"] == "div.meldung"
    assert [w.name for w in config.watchlists] == ["Sperrungen Herne"]
    assert config.keys["toggle_flag"] == "s"


def test_readme_configuration_block_is_the_tables() -> None:
    text = README.read_text("utf-8")
    start, end = text.find(README_START), text.find(README_END)
    assert 0 <= start < end, "README.md lost the markers of its Configuration block"
    assert text[start : end + len(README_END)] == readme_block(), (
        "README.md's Configuration block differs from newsroom_tui/settings.py; "
        "python -m newsroom_tui.config_text prints it"
    )
    for section in SECTIONS:
        for setting in section.settings:
            assert f"\n{setting.key} = {setting.example}" in readme_block(), setting.key


def test_readme_names_every_action_keys_takes() -> None:
    block = " ".join(readme_block().split("```")[-1].split())
    assert block.count("`") == 2 * len(ACTIONS) + 2  # and `[keys]`
    for action in ACTIONS:
        assert f"`{action.id}`" in block


def test_a_new_setting_reaches_the_default_file_and_the_readme() -> None:
    """Declared once: a setting added to a section shows in both texts, with its words."""
    desk = Setting("redaktion", "", str, '"Lokales"', "the desk it goes to", "The desk.")
    general = dataclasses.replace(GENERAL, settings=(*GENERAL.settings, desk))
    example = dataclasses.replace(WATCH.examples[0], keys=("query", "redaktion"))
    watch = dataclasses.replace(WATCH, settings=(*WATCH.settings, desk), examples=(example,))
    text = default_config_text(general, (watch,))
    assert '\n\n# The desk.\n# redaktion = "Lokales"\n\n[keys]\n' in text
    assert '# [watch."Sperrungen Herne"]\n# query = ' in text
    assert text.endswith('\n# redaktion = "Lokales"\n')
    block = readme_block(general, (watch,))
    assert len(re.findall(r'\nredaktion = "Lokales" {13}# the desk it goes to\n', block)) == 2


toml_values = st.recursive(
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["auto", "on", "postgresql://db.herne.de/redaktion", "%d.%m.%Y", "Jörg"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    setting=st.sampled_from([setting for section in SECTIONS for setting in section.settings]),
    value=toml_values,
)
def test_any_value_is_read_or_refused_in_one_line(setting: Setting[Any], value: object) -> None:
    try:
        setting.read(value)
    except ValueError as exc:
        problem = str(exc)
        assert problem and "\n" not in problem


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_an_unknown_key_is_refused_in_the_sections_words(section: Section) -> None:
    with pytest.raises(ValueError, match=r"is not a (known|watchlist) (feed )?setting"):
        section.setting("Überschrift")


def _toml(value: object) -> str:
    """``value`` written as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):  # control characters and DEL escaped, as TOML wants them
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + "}"


def _table(keys: list[str], good: Callable[[str], object]) -> st.SearchStrategy[Any]:
    """A table of known keys, each most often with a value it accepts, else any value; and a
    misspelt or unknown key now and then."""
    known = st.sampled_from(keys).flatmap(
        lambda key: st.tuples(st.just(key), st.just(good(key)) | st.just(good(key)) | toml_values)
    )
    unknown = st.tuples(
        st.sampled_from(keys).map(lambda k: k[:-1]) | st.text(max_size=6), toml_values
    )
    return st.lists(known | known | known | unknown, max_size=4).map(dict)


def _example(section: Section) -> Callable[[str], object]:
    return lambda key: tomllib.loads(f"v = {section.setting(key).example}")["v"]


_URLS = st.sampled_from(["https://www.herne.de/presse/feed.rss", "https://polizei.nrw/bochum"])
config_files = st.fixed_dictionaries(
    {},
    optional={
        "general": _table(list(GENERAL.keys), _example(GENERAL)),
        "keys": _table([action.id for action in ACTIONS], lambda key: "ctrl+r"),
        "feeds": st.dictionaries(_URLS, _table(list(FEEDS.keys), _example(FEEDS)), max_size=2),
        "watch": st.dictionaries(
            st.sampled_from(["Sperrungen Herne", "Blaulicht", ""]),
            _table(list(WATCH.keys), _example(WATCH)),
            max_size=2,
        ),
    },
)


def _file(sections: dict[str, dict[str, Any]]) -> str:
    lines = []
    for section, table in sections.items():
        named = section in ("feeds", "watch")
        tables = table.items() if named else [("", table)]
        for name, values in tables:
            lines.append(f"[{section}.{_toml(name)}]" if named else f"[{section}]")
            lines += [f"{_toml(key)} = {_toml(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=200, derandomize=True, deadline=None)
@given(sections=config_files)
def test_any_file_of_the_tables_keys_loads_or_fails_in_one_line(
    sections: dict[str, dict[str, Any]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(_file(sections), "utf-8")
        try:
            config = load_config(path)
        except ConfigError as exc:
            message = str(exc)
            assert message.startswith(f"{path}")
            assert "\n" not in message and "\x1b" not in message
        else:  # what loads holds only values its settings accept
            for key, value in sections.get("general", {}).items():
                setting = GENERAL.setting(key)
                assert _value(config, setting.target) == setting.read(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[watch."Blaulicht"]\nquery = "Polizei Bochum"\nflagged = true\n',
            "line 3: watch.flagged is not a watchlist setting "
            "(query, flag, claim_for, notify, run)",
        ),
        ("[watch]\nBlaulicht = 1\n", 'line 2: watch.Blaulicht must be a table: [watch."NAME"]'),
        ('[watch."Blaulicht"]\nclaim_for = 1\n', "line 2: watch.claim_for must be a string"),
        (
            '[feeds."https://www.herne.de/presse/"]\nitems = ""\n',
            'line 2: feeds.items must be a CSS selector such as "div.meldung"',
        ),
        (
            '[feeds."https://www.herne.de/presse/"]\nitem = "div.meldung"\n',
            "line 2: feeds.item is not a known feed setting; did you mean items? "
            "(full_page, items, title, link, date)",
        ),
        (
            '[general]\nallow_private_addresses = ["intranet.stadt.de", 7]\n',
            "line 2: general.allow_private_addresses entry 7 is not an address",
        ),
        (
            "[general]\nkeep_day = 30\n",
            "line 2: general.keep_day is not a known setting; did you mean keep_days?",
        ),
        ("[generall]\n", "line 1: generall is not a known section; did you mean general?"),
        ("[general]\nkeep_days = 400000\n", "line 2: general.keep_days must be at most 365000"),
    ],
)
def test_todays_messages_of_the_feed_watch_and_general_tables(
    config_file: Path, text: str, message: str
) -> None:
    config_file.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_file)
    assert str(caught.value).startswith(f"{config_file} ")
    assert message in str(caught.value)
