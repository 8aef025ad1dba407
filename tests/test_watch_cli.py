"""``newsroom watch`` and the matches of ``newsroom fetch --json``; watchlists in the config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from tests.fixture_server import FixtureServer
from tests.watch_feeds import press_offices


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_fetch_matches_remove(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city, police = press_offices(server)
    assert run(data_dir, capsys, "add", "--force", city, police)[0] == 0
    code, out, _ = run(
        data_dir,
        capsys,
        "watch",
        "add",
        "Sperrungen Herne",
        'Sperrung OR Vollsperrung feed:"Stadt Herne"',
        "--flag",
        "--claim-for",
        "anna",
    )
    assert code == 0
    assert out == (
        "watching 'Sperrungen Herne': Sperrung OR Vollsperrung feed:\"Stadt Herne\" "
        "(flag, claim for anna)\n"
    )
    code, _, err = run(data_dir, capsys, "watch", "add", "Sperrungen Herne", "Sperrung")
    assert code == 1 and "exists already" in err

    code, out, _ = run(data_dir, capsys, "fetch", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["new_articles"] == 4
    [match] = summary["matches"]
    assert match["watchlist"] == "Sperrungen Herne"
    assert match["title"] == "Vollsperrung der Bahnhofstraße ab Montag"
    assert match["flagged"] is True and match["claimed_by"] == "anna"
    assert json.loads(run(data_dir, capsys, "fetch", "--json")[1])["matches"] == []

    listed = json.loads(run(data_dir, capsys, "watch", "list", "--json")[1])
    assert [(w["name"], w["matches"], w["unread"]) for w in listed] == [("Sperrungen Herne", 1, 1)]
    rows = json.loads(run(data_dir, capsys, "watch", "matches", "Sperrungen Herne", "--json")[1])
    assert [r["id"] for r in rows] == [match["id"]]

    assert run(data_dir, capsys, "watch", "remove", "Sperrungen Herne")[0] == 0
    code, _, err = run(data_dir, capsys, "watch", "remove", "Sperrungen Herne")
    assert code == 1 and err == "newsroom: no stored watchlist 'Sperrungen Herne'\n"
    assert json.loads(run(data_dir, capsys, "watch", "list", "--json")[1]) == []


def test_watch_test_shows_what_a_query_matches_in_the_cache_now(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(data_dir, capsys, "add", "--force", *press_offices(server))
    run(data_dir, capsys, "fetch")
    code, out, _ = run(data_dir, capsys, "watch", "test", "Wattenscheid NOT Unfall", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["matches"] == 1
    assert [a["title"] for a in result["articles"]] == [
        "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag"
    ]
    code, out, _ = run(data_dir, capsys, "watch", "test", "strasse")  # "Westenfelder Straße"
    assert code == 0 and out.endswith("1 cached article matches strasse\n")
    code, out, err = run(data_dir, capsys, "watch", "test", '"Stadt Herne')
    assert (code, out) == (2, "")
    assert err == 'newsroom: the phrase at character 1 has no closing "\n'


def test_a_bad_watchlist_is_refused_in_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(data_dir, capsys, "watch", "add", "Sport", "NOT Fußball")
    assert code == 2
    assert err == (
        "newsroom: watchlist 'Sport': the query only excludes words: "
        "give at least one word to look for\n"
    )
    code, _, err = run(data_dir, capsys, "watch", "add", "Kanal", "Bombe", "--run", "'unclosed")
    assert code == 2 and err == "newsroom: watchlist 'Kanal': --run: No closing quotation\n"
    code, _, err = run(data_dir, capsys, "watch", "add", "\x1b]0;x\x07", "Bombe")
    assert code == 2 and "\x1b" not in err
    assert json.loads(run(data_dir, capsys, "watch", "list", "--json")[1]) == []


def test_config_watchlists_are_listed_and_matched(
    server: FixtureServer,
    data_dir: Path,
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    out_file = tmp_path / "kanal.json"
    config_file.write_text(
        f"""
[watch."Kampfmittel"]
query = "Fliegerbombe OR Blindgänger category:Blaulicht"
notify = true
run = ["sh", "-c", "cat > '{out_file}'"]
""",
        "utf-8",
    )
    city, police = press_offices(server)
    run(data_dir, capsys, "add", "--force", city)
    run(data_dir, capsys, "add", "--force", "--category", "Blaulicht", police)
    listed = json.loads(run(data_dir, capsys, "watch", "list", "--json")[1])
    assert [(w["name"], w["origin"], w["notify"]) for w in listed] == [
        ("Kampfmittel", "config", True)
    ]
    code, out, _ = run(data_dir, capsys, "fetch")
    assert code == 0
    assert "watch 'Kampfmittel': Fliegerbombe in Wattenscheid gefunden" in out
    assert json.loads(out_file.read_text("utf-8"))["feed"] == "Polizei Bochum"
    code, _, err = run(data_dir, capsys, "watch", "remove", "Kampfmittel")
    assert code == 1 and "in the config file" in err


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[watch."X"]\nflag = true\n', 'watch.X needs query = "words to watch for"'),
        ('[watch."X"]\nquery = "Bombe"\nflag = "ja"\n', "watch.flag must be true or false"),
        ('[watch."X"]\nquery = "Bombe"\nrun = 3\n', "watch.run must be a command"),
        ('[watch."X"]\nquery = "Bombe"\nsound = true\n', "watch.sound is not a watchlist"),
        ('[watch."X"]\nquery = "(Bombe"\n', "the parenthesis opened at character 1"),
    ],
)
def test_config_watchlist_errors_are_one_line(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    config_file.write_text(toml, "utf-8")
    code, _, err = run(data_dir, capsys, "watch", "list")
    assert code == 2
    assert message in err and err.count("\n") == 1
