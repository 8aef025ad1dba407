"""Every mistake in the config file, of any type anywhere, is one line with the file, the line
and the key, and exit 2: never a traceback (``newsroom list`` and ``newsroom config check``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.config import ConfigError, check_keys, load_config
from newsroom_tui.keymap import ACTIONS_BY_ID

DEEP = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # a section that is not a table
        ("general = 1\n", "line 1: general must be a table ([general]), not a number"),
        ('keys = "x"\n', "line 1: keys must be a table ([keys]), not a string"),
        ("feeds = [1, 2]\n", "line 1: feeds must be a table ([feeds]), not an array"),
        ("# Redaktion\n\n[general]\nimages = [1]\n", 'line 4: general.images must be "auto"'),
        ("[general]\nimages = {on = true}\n", 'line 2: general.images must be "auto"'),
        ("[general]\nimages = true\n", 'line 2: general.images must be "auto"'),
        (f"[general]\npoll_interval = {DEEP}\n", "values nested too deeply"),
        (f"[keys]\nquit = {DEEP}\n", "values nested too deeply"),
        ("[general]\npoll_interval = 1.5\n", "line 2: general.poll_interval must be a whole"),
        ("[general]\nconcurrency = true\n", "line 2: general.concurrency must be a whole"),
        ("[general]\ndata_dir = 5\n", "line 2: general.data_dir must be a string"),
        ("[general]\ndatabase = []\n", "line 2: general.database must be a URL"),
        ("[general]\ndate_format = 7\n", "line 2: general.date_format must be a strftime"),
        ("[general]\ntheme = false\n", "line 2: general.theme must be a string"),
        ("[general]\nuser = 1\n", "line 2: general.user must be a plain name"),
        ('[general]\nuser = "anna\\u001b]52;c;eA==\\u0007"\n', "line 2: general.user must be"),
        ("[general.sub]\nx = 1\n", "line 1: general.sub is not a known setting"),
        ('[keys]\nquit = ["q"]\n', "line 2: keys.quit must be a key name"),
        ("[keys]\nquit = 1\n", "line 2: keys.quit must be a key name"),
        ('[keys]\nquit = "q, ,x"\n', "line 2: keys.quit must be key names separated by commas"),
        ('[keys]\nquit = "q\\u001b[2J"\n', "line 2: keys.quit must be key names separated"),
        ("[keys.quit]\nx = 1\n", "line 1: keys.quit must be a key name"),
        ("[feeds]\nx = 1\n", "line 2: feeds.x must be a table"),
        ('[feeds."https://www.herne.de/f.rss"]\nfull_page = [1]\n', "line 2: feeds.full_page"),
        ('[feeds."https://www.herne.de/f.rss"]\nfull_page = {}\n', "line 2: feeds.full_page"),
        ('[feeds."https://www.herne.de/f.rss"]\nfull_page = 1\n', "line 2: feeds.full_page"),
        ('[feeds."https://www.herne.de/f.rss"]\nfetch = "x"\n', "line 2: feeds.fetch is not"),
        ('["\\u001b]0;pwned\\u0007"]\n', r": '\x1b]0;pwned\x07' is not a known section"),
    ],
)
def test_every_config_mistake_is_one_line_and_exit_2(
    config_file: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_file)
    assert str(caught.value).startswith(str(config_file))
    assert message in str(caught.value)
    for argv in (["list"], ["config", "check"]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"newsroom: config error: {caught.value}\n"
        assert "\x1b" not in err and "\x07" not in err


def test_a_config_file_not_in_utf8_is_one_line(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_bytes(b'[general]\ntheme = "Gr\xfcn"\n')
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    reason = "not UTF-8 text (invalid start byte at byte 21)"
    assert err == f"newsroom: config error: {config_file}: {reason}\n"


def test_a_config_folder_is_one_line(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_file.mkdir()
    assert main(["list"]) == 2
    assert capsys.readouterr().err == (
        f"newsroom: config error: {config_file} is a folder, not a file: refused\n"
    )


def test_a_good_config_still_loads(config_file: Path) -> None:
    config_file.write_text(
        '[general]\nuser = "  Anna  Schmidt "\nimages = "off"\n\n[keys]\nquit = "q, ctrl+q"\n'
        '[feeds."https://www.herne.de/f.rss"]\nfull_page = "always"\n',
        "utf-8",
    )
    config = load_config(config_file)
    assert config.user == "Anna Schmidt"
    assert config.images is False
    assert config.keys == {"quit": "q,ctrl+q"}  # normalised to Textual names
    assert config.full_page == {"https://www.herne.de/f.rss": "always"}


def test_keys_are_judged_against_the_table_given() -> None:
    """One function judges a [keys] entry; the reader can hand it its own action table."""
    assert check_keys("quit", " q ") == "q"
    with pytest.raises(ValueError, match="is not an action"):
        check_keys("fly", "x")
    assert check_keys("fly", "x", {"fly": None}) == "x"
    with pytest.raises(ValueError, match="is not an action"):
        check_keys("quit", "q", {"fly": None})
    assert set(ACTIONS_BY_ID) >= {"quit", "copy_link"}
