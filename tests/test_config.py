from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.config import Config, ConfigError, load_config
from newsroom_tui.store import SQLiteStore
from newsroom_tui.text.article_format import set_date_format
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.ui_state import UiState
from tests.fixture_server import FEED_PATH, PAGE_PATHS, FixtureServer
from tests.sample_cache import build_sample_cache


@pytest.fixture(autouse=True)
def _default_dates() -> None:
    yield
    set_date_format("%Y-%m-%d %H:%M")


def test_no_file_means_defaults(config_file: Path) -> None:
    config = load_config(config_file)
    assert (config.poll_interval, config.concurrency, config.keys) == (15, 16, {})


def test_init_writes_a_commented_default_that_loads(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(config_file)
    assert main(["config", "init"]) == 0
    text = config_file.read_text("utf-8")
    assert "# poll_interval = 15" in text and '# toggle_flag = "s"' in text
    assert load_config(config_file) == Config(path=config_file)
    assert main(["config", "init"]) == 1  # never overwrites without --force
    assert "--force" in capsys.readouterr().err
    assert main(["config", "check"]) == 0


def test_config_check_names_a_theme_the_reader_does_not_offer(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reader's theme names reach ``config check`` from the command's entry (the config
    command itself knows nothing of the UI toolkit)."""
    config_file.write_text('[general]\ntheme = "stadt-herne"\n', "utf-8")
    assert main(["config", "check"]) == 1
    assert "'stadt-herne' is not a" in capsys.readouterr().err
    config_file.write_text('[general]\ntheme = "nord"\n', "utf-8")
    assert main(["config", "check"]) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[general]\n\npoll_interval = "often"\n', "line 3: general.poll_interval must be"),
        ("[general]\nconcurrency = 0\n", "line 2: general.concurrency must be"),
        ("[general]\ncolour = 1\n", "line 2: general.colour is not a known setting"),
        ("[ui]\n", "ui is not a known section"),
        ('[keys]\nfly = "x"\n', "line 2: keys.fly is not an action"),
        ('[feeds."https://x.example/f"]\nfull_page = "sometimes"\n', "must be one of auto"),
        ("[general\n", "line 1"),
    ],
)
def test_invalid_config_is_one_line_naming_key_and_line(
    config_file: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_config(config_file)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(config_file) in err and "config error" in err


def test_data_dir_precedence(
    config_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text(f'[general]\ndata_dir = "{tmp_path / "from-config"}"\n', "utf-8")
    assert main(["add", "http://127.0.0.1:9/feed"]) == 0
    assert (tmp_path / "from-config" / "newsroom.sqlite3").exists()
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "from-env"))
    assert main(["add", "http://127.0.0.1:9/feed"]) == 0
    assert (tmp_path / "from-env" / "newsroom.sqlite3").exists()
    assert main(["--data-dir", str(tmp_path / "from-flag"), "add", "http://127.0.0.1:9/f"]) == 0
    assert (tmp_path / "from-flag" / "newsroom.sqlite3").exists()


def test_full_page_never_and_date_format(
    config_file: Path,
    herne: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config_file.write_text(
        f'[general]\ndate_format = "%d.%m.%Y %H:%M"\n\n'
        f'[feeds."{herne.url(FEED_PATH)}"]\nfull_page = "never"\n',
        "utf-8",
    )
    main(["--data-dir", str(data_dir), "add", herne.url(FEED_PATH)])
    assert main(["--data-dir", str(data_dir), "fetch"]) == 0
    assert herne.requests_for(PAGE_PATHS["kim"]) == []  # summaries only
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    assert "09.05.2023 10:15" in capsys.readouterr().out


async def test_keys_from_config(tmp_path: Path) -> None:
    store: SQLiteStore = build_sample_cache(tmp_path / "data")
    app = NewsroomApp(store, poll_on_start=False, config=Config(keys={"toggle_flag": "x"}))
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("s")
        assert not store.articles()[0].flagged
        await pilot.press("x")
        assert store.articles()[0].flagged
    store.close()


async def test_theme_is_remembered(tmp_path: Path) -> None:
    store: SQLiteStore = build_sample_cache(tmp_path / "data")
    state = tmp_path / "ui-state.json"
    app = NewsroomApp(store, poll_on_start=False, state_file=state)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(state.read_text())["theme"] == "nord"
    again = NewsroomApp(store, poll_on_start=False, state_file=state)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
    store.close()
    assert UiState(tmp_path / "missing" / "x.json").get("theme") is None


@pytest.mark.parametrize(("value", "expected"), [("auto", None), ("on", True), ("off", False)])
def test_images_setting(config_file: Path, value: str, expected: bool | None) -> None:
    config_file.write_text(f'[general]\nimages = "{value}"\n', "utf-8")
    assert load_config(config_file).images is expected


def test_images_setting_rejects_other_values(config_file: Path) -> None:
    config_file.write_text('[general]\nimages = "maybe"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"line 2: general\.images must be"):
        load_config(config_file)


def test_terminal_query_only_where_images_are_known(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsroom_tui.ui.widgets.gallery import terminal_hints_graphics

    for name in ("KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE", "KONSOLE_VERSION", "WT_SESSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("TERM_PROGRAM", "tmux")
    assert not terminal_hints_graphics()
    monkeypatch.setenv("TERM", "xterm-kitty")
    assert terminal_hints_graphics()
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("TERM_PROGRAM", "WezTerm")
    assert terminal_hints_graphics()


@pytest.mark.parametrize(
    ("locale", "config_text", "shown"),
    [
        ("de_DE.UTF-8", "", "09.05.2023 10:15"),  # as German writes dates
        ("C.UTF-8", "", "2023-05-09 10:15"),  # ISO elsewhere
        ("de_DE.UTF-8", '[general]\ndate_format = "%Y-%m-%d %H:%M"\n', "2023-05-09 10:15"),
        ("de_DE.UTF-8", '[general]\ndate_format = "%d. %m. %Y, %H.%M"\n', "09. 05. 2023, 10.15"),
    ],
)
def test_dates_follow_the_locale_unless_the_config_file_sets_date_format(
    config_file: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    config_text: str,
    shown: str,
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
    if config_text:
        config_file.write_text(config_text, "utf-8")
    build_sample_cache(data_dir).close()
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    listed = capsys.readouterr().out
    assert shown in listed, listed
