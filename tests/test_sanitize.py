from __future__ import annotations

import pytest

from newsroom_tui.text.sanitize import clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Titel\x1b]52;c;ZXZpbA==\x07 ok", "Titel ok"),  # OSC 52 clipboard write
        ("\x1b]0;pwned\x1b\\Fenster", "Fenster"),  # window title, ST-terminated
        ("rot \x1b[31mROT\x1b[0m", "rot ROT"),  # CSI colours
        ("\x1b[?1049hAlt", "Alt"),  # alternate screen
        ("Glocke\x07\x08\x00", "Glocke"),
        ("C1\x9b31mzeichen", "C1zeichen"),
        ("abc\u202edcba", "abcdcba"),  # bidi override
        ("Zeile 1\r\nZeile 2\tTab", "Zeile 1\nZeile 2\tTab"),
        ("Grüße „Straße“ ©", "Grüße „Straße“ ©"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_line_folds_whitespace() -> None:
    assert clean_line("  Ein\n  Titel\t mit\x1b[2J Abständen ") == "Ein Titel mit Abständen"
    assert clean_line(None) == ""
