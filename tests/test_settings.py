"""The settings table is the one declaration of each setting: the Config, the default file and
the README's Configuration block agree with it, and every value is judged in one line."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.config import Config, load_config
from newsroom_tui.config_text import README_END, README_START, default_config_text, readme_block
from newsroom_tui.keymap import ACTIONS
from newsroom_tui.settings import FEEDS, GENERAL, WATCH, Section, Setting

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
    setting=st.sampled_from([(s, x) for s in SECTIONS for x in s.settings]).map(lambda p: p[1]),
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
