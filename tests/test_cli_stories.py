"""``newsroom stories`` as ``newsroom list`` prints: one language (the command line's,
English, whatever the locale), the list's date column and rows, one line each on a
terminal; ``--json`` as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from tests.story_desk import POLICE_TITLE, UPDATE_TITLE, desk_cache, store_update

FEEDS = ("Polizei Bochum", "Stadt Bochum", "WAZ Bochum")


@pytest.fixture
def told(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    store = desk_cache(data_dir)
    try:
        store_update(store)
    finally:
        store.close()
    return data_dir


def printed(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["--data-dir", str(data_dir), *args]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("lang", ["C.UTF-8", "de_DE.UTF-8"])
def test_stories_print_their_versions_as_the_list_does(
    told: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("LANG", lang)
    lines = printed(told, capsys, "stories")
    assert lines[0] == f"3 sources · first: Polizei Bochum · {POLICE_TITLE}"
    listed = {line.split()[0]: line for line in printed(told, capsys, "list")}
    versions = lines[1:]
    assert len(versions) == 4
    for line in versions:  # the list's row of the article, indented
        row = listed[line.split()[0]]
        assert line == f"  {row}" or line == f"  {row} (update)", (line, row)
    assert versions[-1].endswith(f"{UPDATE_TITLE} (update)")
    # the feed column starts at the same place in every line: the dates are as wide
    starts = {min(line.index(f) for f in FEEDS if f in line) for line in versions}
    assert len(starts) == 1


def test_on_a_terminal_a_story_is_one_line_a_row(
    told: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = printed(told, capsys, "stories")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    shown = printed(told, capsys, "stories")
    assert len(shown) == len(piped) and all(len(line) < 80 for line in shown), shown
    assert any(line.endswith("…") for line in shown)
    assert [line[:40] for line in shown] == [line[:40] for line in piped]


def test_the_json_of_stories_keeps_its_fields(
    told: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stories = json.loads("\n".join(printed(told, capsys, "stories", "--json")))
    relations = sorted(v["relation"] for v in stories[0]["versions"])
    assert relations == ["new", "update", "version", "version"]
    assert stories[0]["first"]["feed"] == "Polizei Bochum" and stories[0]["sources"] == 3
