"""The command line as people use it: pipes into head, mistyped URLs, a config file that
would trip the reader later, keys as typed, flagged lists, date-only pages in any TZ."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.config import load_config
from newsroom_tui.extract import extract_page
from newsroom_tui.keymap import key_name, typed_key
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.text.article_format import format_date, format_list_date, is_date_only
from tests.test_cli import run, run_json

T0 = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def _fill(data_dir: Path, n: int) -> None:
    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/presse.rss", "Stadt Herne – Presse")
    arts = [
        NewArticle(
            guid=f"m{i}",
            url=f"http://127.0.0.1/m{i}",
            title=f"Meldung Nr. {i}: Bürgerbüro geänderte Öffnungszeiten",
            published=T0 - timedelta(minutes=i),
            body_markdown="Text.",
        )
        for i in range(n)
    ]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=arts))
    store.close()


@pytest.mark.parametrize(
    "args", [["list"], ["list", "--json"], ["search", "Buergerbuero"], ["feeds"]]
)
def test_a_closed_pipe_ends_quietly(data_dir: Path, args: list[str]) -> None:
    _fill(data_dir, 3000)  # far more than a pipe buffer holds
    command = [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), *args]
    producer = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ}
    )
    assert producer.stdout is not None and producer.stderr is not None
    first = producer.stdout.readline()  # what `head -1` reads before it goes
    producer.stdout.close()
    err = producer.stderr.read().decode()
    code = producer.wait(timeout=60)
    assert first.strip()
    assert err == "" and code == 0


@pytest.mark.parametrize(
    "url",
    ["http://", "htp:/x", "http//herne.de", "herne", "http://exa mple.de", "http://a:99999/"],
)
def test_add_of_a_malformed_url_is_bad_usage(
    data_dir: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, err = run(data_dir, capsys, "add", url)
    assert code == 2 and out == ""
    assert err.startswith("newsroom: not an http(s) URL: ") and err.count("\n") == 1


def test_add_of_a_url_with_control_characters_is_bad_usage_too(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(data_dir, capsys, "add", "http://herne.de/\x1b[31mrot")
    assert code == 2 and err.startswith("newsroom: not an http(s) URL: ")
    assert "\x1b" not in err and err.count("\n") == 1


# config check ---------------------------------------------------------------------------


def _check(config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], text: str):
    config_file.write_text(text, "utf-8")
    return run(data_dir, capsys, "config", "check")


def test_config_check_finds_what_the_reader_trips_on(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(data_dir, 1)
    code, out, err = _check(
        config_file,
        data_dir,
        capsys,
        '[general]\ntheme = "nrod"\n\n[keys]\ntoggle_flag = "n"\nsearch = "j"\n\n'
        '[feeds."http://127.0.0.1/presse.rss"]\nfull_page = "always"\n\n'
        '[feeds."http://127.0.0.1/presse.rs"]\nfull_page = "never"\n',
    )
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 4, err
    assert lines[0] == (
        f"newsroom: config: {config_file} line 2: general.theme 'nrod' is not a theme; did you "
        f"mean nord? ({lines[0].split('(', 1)[1]}"
    )
    assert f'{config_file} line 5: key "n" runs both next_unread and toggle_flag' in lines[1]
    assert f'{config_file} line 6: key "j" runs both search and keys the reader keeps' in lines[2]
    assert lines[3] == (
        f'newsroom: config: {config_file} line 11: [feeds."http://127.0.0.1/presse.rs"] is not '
        "a subscribed feed; did you mean http://127.0.0.1/presse.rss?"
    )


def test_config_check_of_a_sound_file(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _check(
        config_file, data_dir, capsys, '[general]\ntheme = "nord"\n[keys]\nsearch = "ctrl+s"\n'
    )
    assert (code, out, err) == (0, f"ok: {config_file}\n", "")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[gneral]\npoll_interval = 5\n", "line 1: gneral is not a known section; did you mean general?"),  # noqa: E501
        ("[general]\npoll_intervall = 5\n", "line 2: general.poll_intervall is not a known setting; did you mean poll_interval?"),  # noqa: E501
        ('[keys]\ntoggle_flags = "x"\n', "line 2: keys.toggle_flags is not an action; did you mean toggle_flag?"),  # noqa: E501
        ('[feeds."http://x/f"]\nfullpage = "always"\n', "line 2: feeds.fullpage is not a known feed setting; did you mean full_page?"),  # noqa: E501
    ],
)  # fmt: skip
def test_unknown_names_have_their_line_and_the_nearest_known_one(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    code, _, err = _check(config_file, data_dir, capsys, text)
    assert code == 2 and err.count("\n") == 1
    assert f"{config_file} {said}" in err


def test_keys_are_written_as_people_type_them(config_file: Path) -> None:
    config_file.write_text(
        '[keys]\nsearch = "ctrl+f,/"\nhelp = "?"\ntoggle_flag = "!"\nexport = "ctrl+e"\n', "utf-8"
    )
    assert load_config(config_file).keys == {
        "search": "ctrl+f,slash",
        "help": "question_mark",
        "toggle_flag": "exclamation_mark",
        "export": "ctrl+e",
    }
    assert [key_name(k) for k in ("slash", "-", "ctrl+/", "ctrl++")] == [
        "slash", "minus", "ctrl+slash", "ctrl+plus"
    ]  # fmt: skip
    assert [typed_key(k) for k in ("question_mark", "ctrl+slash", "escape", "comma")] == [
        "?", "ctrl+/", "escape", "comma"
    ]  # fmt: skip


def test_the_default_config_shows_keys_as_typed(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, capsys, "config", "init")[0] == 0
    text = config_file.read_text("utf-8")
    assert '# search = "/"' in text and '# help = "?"' in text and "slash" not in text
    uncommented = text.replace('# search = "/"', 'search = "/"')
    config_file.write_text(uncommented, "utf-8")
    assert load_config(config_file).keys == {"search": "slash"}


def test_list_flagged_hides_done_articles(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(data_dir, 3)
    store = open_store(data_dir)
    ids = [a.id for a in store.articles()]
    for article_id in ids[:2]:
        store.set_flagged(article_id)
    store.set_done(ids[0])
    store.close()
    assert [i["id"] for i in run_json(data_dir, capsys, "list", "--flagged")] == [ids[1]]
    assert [i["id"] for i in run_json(data_dir, capsys, "list")] == ids  # done ones listed


# date-only pages ------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Weihnachtsmarkt eröffnet | Stadt Herne</title></head><body>
<main><article><h1>Weihnachtsmarkt eröffnet</h1><p class="datum">Meldung vom 29.11.2026</p>
<p>Der Weihnachtsmarkt auf dem Robert-Brauner-Platz ist eröffnet. Bis zum 23. Dezember
laden Buden und Fahrgeschäfte ein; die Stadt Herne freut sich auf viele Besucher.</p>
<p>Die Öffnungszeiten: täglich von 11 bis 21 Uhr, freitags und samstags bis 22 Uhr.</p>
</article></main></body></html>"""


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Tokyo"])
def machine_tz(request: pytest.FixtureRequest) -> Iterator[str]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    os.environ["TZ"] = old or "Europe/Berlin"
    time.tzset()


def test_a_date_only_page_shows_its_date_in_any_time_zone(
    machine_tz: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = extract_page(PAGE, "http://127.0.0.1/weihnachtsmarkt.html")
    assert page.published is not None and is_date_only(page.published)
    assert format_date(page.published) == "2026-11-29"
    assert format_date(page.published, with_time=False) == "2026-11-29"
    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/presse.rss")
    art = NewArticle(
        guid="wm",
        url="http://127.0.0.1/weihnachtsmarkt.html",
        title=page.title or "",
        published=page.published,
        body_markdown=page.body_markdown,
    )
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[art]))
    (stored,) = store.articles()
    assert format_date(stored.published) == "2026-11-29"
    assert format_list_date(stored.published) == "2026-11-29"  # the reader's list too
    store.close()
    code, out, _ = run(data_dir, capsys, "list")
    assert code == 0 and " 2026-11-29 " in out and "11-28" not in out
    code, out, _ = run(data_dir, capsys, "show", str(stored.id))
    assert code == 0 and "Date: 2026-11-29\n" in out
    # a moment with a time still moves to the machine's zone
    moment = datetime(2026, 11, 29, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert not is_date_only(moment)
    assert format_date(moment) == moment.astimezone().strftime("%Y-%m-%d %H:%M")


async def test_keys_as_typed_run_their_action_in_the_reader(
    config_file: Path, tmp_path: Path
) -> None:
    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.screens.dialogs import HelpScreen
    from tests.sample_cache import build_sample_cache

    config_file.write_text('[keys]\ntoggle_flag = "!"\nhelp = "?,ctrl+h"\n', "utf-8")
    store = build_sample_cache(tmp_path / "data")
    app = NewsroomApp(store, poll_on_start=False, config=load_config(config_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert store.articles()[0].flagged
        await pilot.press("ctrl+h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
    store.close()
