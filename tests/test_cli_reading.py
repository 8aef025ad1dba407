"""Reading from the shell: ``newsroom list`` and ``search`` on a terminal (the columns
named, a row a line; into a pipe the rows alone, as before: scripts read them), and ``show``
of an article without text."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate
from tests.sample_cache import POLLED, build_sample_cache


@pytest.fixture
def sample(data_dir: Path) -> Path:
    build_sample_cache(data_dir).close()
    return data_dir


def listed(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["--data-dir", str(data_dir), *args]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("command", [["list"], ["search", "Hafen"]])
def test_on_a_terminal_the_list_has_a_header(
    sample: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    piped = listed(sample, capsys, *command)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    shown = listed(sample, capsys, *command)
    assert shown[0].split() == ["ID", "*!", "DATE", "FEED", "TITLE"]
    assert shown[1:] == piped  # the rows as a pipe gets them
    assert shown[0].index("TITLE") == piped[0].index(piped[0].split("  ")[-1])


def test_on_a_narrow_terminal_a_row_is_one_line(
    sample: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    shown = listed(sample, capsys, "list")
    assert all(len(line) < 80 for line in shown), shown
    assert shown[1].endswith("…")  # "Bochum: Neue Radwege an der Universitätsstraße"


def test_into_a_pipe_the_rows_come_alone(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = listed(sample, capsys, "list")
    assert len(shown) == 6 and shown[0].split()[0].isdigit()
    assert shown[0].endswith("Bochum: Neue Radwege an der Universitätsstraße")


def test_show_of_an_article_without_text_says_why(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = build_sample_cache(data_dir)
    feed, _ = store.add_feed("https://www.polizei.example/bochum.rss")
    link = "https://www.polizei.example/bochum/meldungen/a40.html"
    articles = [
        NewArticle("a40", link, "Verkehrsunfall auf der A40", POLLED),
        NewArticle("kurz", None, "Blitzer in Wattenscheid", POLLED),
    ]
    store.save_feed_update(feed.id, FeedUpdate(POLLED, title="Polizei Bochum", articles=articles))
    ids = {a.title: a.id for a in store.articles()}
    store.close()
    shown = " ".join(listed(data_dir, capsys, "show", str(ids["Verkehrsunfall auf der A40"])))
    assert "(no text: the feed gives only the title and the link, and the article page" in shown
    assert "open the link in a browser)" in shown
    shown = " ".join(listed(data_dir, capsys, "show", str(ids["Blitzer in Wattenscheid"])))
    assert "(no text: the feed gives only the title, and no link to the article)" in shown
