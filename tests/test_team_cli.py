"""The CLI on a shared PostgreSQL store: claims between people, done for the team, read
state per person, and two pollers on the same feeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from tests.fixture_server import FEED_PATH, FixtureServer

pytest.importorskip("psycopg")


def team_run(
    dsn: str, user: str, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    code = main(["--database", dsn, "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_claim_done_and_read_through_the_cli(
    herne: FixtureServer, pg_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert team_run(pg_dsn, "anna", capsys, "add", herne.url(FEED_PATH))[0] == 0
    code, out, err = team_run(pg_dsn, "anna", capsys, "fetch")
    assert code == 0, err
    assert out.strip() == "1 feed polled, 3 new articles, 0 failed"
    items = json.loads(team_run(pg_dsn, "ben", capsys, "list", "--json")[1])
    first = str(items[0]["id"])
    assert items[0]["claimed_by"] is None and items[0]["done"] is False

    code, out, _ = team_run(pg_dsn, "anna", capsys, "claim", first)
    assert code == 0 and out.startswith(f"{first}: claimed by anna: ")
    code, _, err = team_run(pg_dsn, "ben", capsys, "claim", first)
    assert code == 1
    assert err.strip() == f"newsroom: article {first} is already claimed by anna"
    code, _, err = team_run(pg_dsn, "ben", capsys, "release", first)
    assert code == 1 and "claimed by anna, not by ben" in err

    code, out, _ = team_run(pg_dsn, "ben", capsys, "done", first, "--json")
    assert code == 0
    assert json.loads(out)["done"] is True and json.loads(out)["claimed_by"] == "anna"
    code, out, _ = team_run(pg_dsn, "anna", capsys, "read", first, "--json")
    assert json.loads(out)["read"] is True
    anna = json.loads(team_run(pg_dsn, "anna", capsys, "list", "--unread", "--json")[1])
    ben = json.loads(team_run(pg_dsn, "ben", capsys, "list", "--unread", "--json")[1])
    assert len(anna) == 2 and len(ben) == 3  # read state is each person's own
    assert team_run(pg_dsn, "ben", capsys, "done", first, "--undo")[0] == 0
    again = json.loads(team_run(pg_dsn, "anna", capsys, "show", first, "--json")[1])
    assert again["done"] is False
    assert team_run(pg_dsn, "anna", capsys, "claim", "999999")[0] == 1


def test_bad_database_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--database", "mysql://db/x", "list"])
    assert code == 2
    assert "must be a postgresql:// URL" in capsys.readouterr().err


def _rss(n: int) -> str:
    items = "".join(
        f"<item><title>Meldung {n}-{i}</title><guid>g-{n}-{i}</guid>"
        f"<description>Text der Meldung {i} über Öffnungszeiten.</description>"
        f"<pubDate>Tue, 09 May 2023 0{i}:00:00 +0200</pubDate></item>"
        for i in range(3)
    )
    channel = f"<channel><title>Feed {n}</title>{items}</channel>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'


def test_two_pollers_never_fetch_the_same_feed_at_once(
    server: FixtureServer, pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [f"/feeds/{n}.rss" for n in range(30)]
    for n, path in enumerate(paths):
        server.add(path, _rss(n), "application/rss+xml")
    assert (
        team_run(pg_dsn, "cron", capsys, "add", "--force", *(server.url(p) for p in paths))[0] == 0
    )
    server.delay = 0.2  # every feed takes a while: both pollers are busy at the same time
    env = {**os.environ, "NEWSROOM_CONFIG": str(tmp_path / "none.toml")}
    cmd = [sys.executable, "-m", "newsroom_tui", "--database", pg_dsn, "fetch", "--json"]
    pollers = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    reports = []
    for p in pollers:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        reports.append(json.loads(out))
    fetched = {path: server.requests_for(path) for path in paths}
    assert all(statuses == [200] for statuses in fetched.values()), fetched
    assert sum(r["feeds"] for r in reports) == 30  # polled, not skipped
    assert sum(len(r["skipped"]) for r in reports) == 30  # the other poller had those
    assert sum(r["new_articles"] for r in reports) == 90
    skipped = [s["reason"] for r in reports for s in r["skipped"]]
    assert set(skipped) <= {"polled by another newsroom just now"}
    items = json.loads(team_run(pg_dsn, "anna", capsys, "list", "--json")[1])
    assert len(items) == 90
