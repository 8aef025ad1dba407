"""One interface language (issue #16): English, German where the locale says so. Every text
the reader shows goes through the catalogue (checked in the code), and the reader run under
LANG=de_DE.UTF-8 shows none of the English words of its help, status line, dialogs, notices
and palette; under LANG=C none of the German ones."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import newsroom_tui
from newsroom_tui.keymap import ACTIONS, HELP_ROWS
from newsroom_tui.ui import language
from newsroom_tui.ui.catalogue_de import GERMAN
from newsroom_tui.ui.view import Show

PACKAGE = Path(newsroom_tui.__file__).parent
ROOT = PACKAGE.parent
# calls whose first argument the user reads: it must come from the catalogue
SHOWN_BY = {"notify", "show_message", "ConfirmScreen", "toast"}
# keys are named as on the keyboard in both languages
KEY_NAMES = {"enter", "escape", "tab", "space", "pagedown", "backspace", "ctrl"}


def catalogue_calls() -> list[tuple[str, str]]:
    """Every literal text the package passes to ``tr`` or ``plural``, with its file."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                args = {"tr": node.args[:1], "plural": node.args[1:3]}.get(node.func.id, [])
                found += [
                    (arg.value, path.name)
                    for arg in args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
    return found


def test_every_text_of_the_reader_has_its_german_entry() -> None:
    texts = [text for text, _ in catalogue_calls()]
    texts += [a.label for a in ACTIONS] + [a.help for a in ACTIONS]
    texts += [part for row in HELP_ROWS if not isinstance(row, str) for part in row]
    texts += [show.value for show in Show]
    missing = sorted({text for text in texts if text not in GERMAN})
    assert missing == []
    for english, german in GERMAN.items():  # the same placeholders on both sides
        assert re.findall(r"{\w+}", english) == re.findall(r"{\w+}", german), english


def test_no_literal_text_reaches_the_screen_past_the_catalogue() -> None:
    """A notice, pane message, confirm question or alert given as a literal (or f-string)
    would stay English under a German locale."""
    literal = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SHOWN_BY and has_words(node.args[0]):
                literal.append(f"{path.name}:{node.lineno}")
    assert literal == []


def has_words(node: ast.expr) -> bool:
    """A literal or f-string with words of its own (not only values and punctuation)."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return any(
        isinstance(p, ast.Constant) and isinstance(p.value, str) and re.search(r"[^\W\d_]", p.value)
        for p in parts
    )


def words(texts: object) -> set[str]:
    return {w.casefold() for t in texts for w in re.findall(r"[^\W\d_]{3,}", t)}  # type: ignore[attr-defined]


def run_probe(tmp_path: Path, locale: str, content: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env["LANG"] = locale
    done = subprocess.run(
        [sys.executable, "-m", "tests.language_probe", str(tmp_path), content],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_under_a_german_locale_no_english_words_show(tmp_path: Path) -> None:
    english = words(GERMAN) - words(GERMAN.values()) - KEY_NAMES
    assert {"unread", "shown", "never", "closes", "article"} <= english  # the list is real
    screens = run_probe(tmp_path, "de_DE.UTF-8", "de")
    assert "Tasten" in screens["help"] and "ungelesen" in screens["list"]
    assert "Alle 3 gezeigten Themen als gelesen markieren (jede Version)?" in screens["confirm"]
    assert "Nichts rückgängig zu machen." in screens["list"]  # a notice
    assert "Kein Browser gefunden" in screens["list"]
    assert "Nichts für diesen Filter" in screens["nothing"]  # the pane's message
    assert "Befehl suchen…" in screens["palette"]
    assert "j / Enter: ja" in screens["confirm"]  # the yes key of a German keyboard
    assert "Beenden?" in screens["quit question"]
    assert "q beendet in der Artikelliste, Strg+q sofort." in screens["quit question"]
    for name, text in screens.items():
        shown = words([text]) & english
        assert shown == set(), (name, shown)


def test_under_the_c_locale_no_german_words_show(tmp_path: Path) -> None:
    german = words(GERMAN.values()) - words(GERMAN)
    assert {"ungelesen", "angezeigt", "artikel", "hilfe"} <= german
    screens = run_probe(tmp_path, "C.UTF-8", "en")
    assert "Keys" in screens["help"] and "unread" in screens["list"]
    assert "Nothing to undo." in screens["list"]
    for name, text in screens.items():
        shown = words([text]) & german
        assert shown == set(), (name, shown)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "Alle Feeds"),
        ({"LANGUAGE": "de:en", "LANG": "C.UTF-8"}, "Alle Feeds"),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "All feeds"),  # LC_ALL comes first
        ({"LC_MESSAGES": "de_AT.UTF-8"}, "Alle Feeds"),
        ({}, "All feeds"),
    ],
)
def test_the_locale_is_read_as_gettext_reads_it(environ: dict[str, str], expected: str) -> None:
    try:
        language.use_language(environ)
        assert language.tr("All feeds") == expected
    finally:
        language.use_language({"LANG": "C.UTF-8"})


def test_the_german_key_labels_read_as_german_names_keys() -> None:
    """The keys line and the palette name an action with a verb ("Weiter", "Lesen",
    "Abrufen") or a whole noun phrase ("Letzter Artikel"), never with an adjective left
    without its noun ("Nächster ungelesen", "Erster")."""
    bare = {"nächster", "voriger", "erster", "letzter", "ungelesen", "ungelesener"}
    labels = {GERMAN[action.label] for action in ACTIONS}
    assert "Weiter" in labels and "Abrufen" in labels
    for label in labels:
        assert label.split()[-1].casefold() not in bare, label
