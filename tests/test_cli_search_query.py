"""``newsroom search`` reads the query of ``newsroom watch test``: the same articles, a query
it cannot read refused in one line (exit 2), and a search without hits said on a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.store.sqlite import open_store
from tests.test_search_query_store import fill


@pytest.fixture
def desk(data_dir: Path) -> Path:
    store = open_store(data_dir, user="anna")
    fill(store)
    store.close()
    return data_dir


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("Sperrung OR gesperrt", 3),
        ("Polizei -Bochum", 2),
        ("Polizei NOT Bochum", 2),
        ('"Stadt Herne" OR feed:Polizei', 5),
        ("credit:dpa", 1),
    ],
)
def test_search_finds_what_watch_test_counts(
    desk: Path, capsys: pytest.CaptureFixture[str], query: str, count: int
) -> None:
    code, out, _ = run(desk, capsys, "search", query, "--json")
    assert code == 0
    found = json.loads(out)
    code, out, _ = run(desk, capsys, "watch", "test", query, "--json")
    assert code == 0
    tested = json.loads(out)
    assert tested["matches"] == len(found) == count
    assert [a["id"] for a in found] == [a["id"] for a in tested["articles"]]
    if "Bochum" in query:
        assert not any("bochum" in a["title"].lower() for a in found)
    code, out, _ = run(desk, capsys, "search", query)  # into a pipe: the rows alone
    assert code == 0 and len(out.splitlines()) == count


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ('"Kampfmittel gefunden', 'the phrase at character 1 has no closing "'),
        ("Sperrung OR", "a word is missing at the end"),
        ("NOT Sport", "the query only excludes words: give at least one word to look for"),
    ],
)
def test_a_query_search_cannot_read_is_one_line(
    desk: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    error: str,
) -> None:
    for tty in (False, True):
        monkeypatch.setattr("sys.stdout.isatty", lambda tty=tty: tty)
        for json_flag in ([], ["--json"]):
            code, out, err = run(desk, capsys, "search", query, *json_flag)
            assert (code, out) == (2, "")
            assert err == f"newsroom: cannot search: {error}\n"


def test_a_search_without_hits_says_so_on_a_terminal(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(desk, capsys, "search", "Müllverbrennung") == (0, "", "")  # a pipe: nothing
    assert run(desk, capsys, "search", "Müllverbrennung", "--json") == (0, "[]\n", "")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    assert run(desk, capsys, "search", "Müllverbrennung") == (0, "", "newsroom: no matches\n")
    assert run(desk, capsys, "search", "Müllverbrennung", "--json") == (0, "[]\n", "")
    code, out, err = run(desk, capsys, "search", "Müll")
    assert (code, err) == (0, "") and out.split()[:2] == ["ID", "*!"]
