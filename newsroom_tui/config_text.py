"""The settings table written out: the commented default file that ``newsroom config init``
writes, and the README's Configuration block (``python -m newsroom_tui.config_text`` prints
it; a test checks that README.md holds it as printed)."""

from __future__ import annotations

import textwrap

from newsroom_tui.keymap import ACTIONS, default_keys_comment
from newsroom_tui.settings import FEEDS, GENERAL, WATCH, Section

_HEAD = "# newsroom configuration (TOML). Every setting is optional; remove the # to change one."
_KEYS_HELP = (
    '# Actions and their keys as typed ("/", "?", "ctrl+s"); several separated by commas,\n'
    '# e.g. search = "/,ctrl+s". `newsroom config check` says when a key runs two things.'
)
# the [keys] of the README's block: its comment and two examples
_KEYS_NOTE = 'action = "key[,key...]", keys as typed: "/", "?", "ctrl+s"'
_KEYS_EXAMPLE = ('toggle_flag = "x"', 'search = "/,ctrl+s"')
_NAMED = (FEEDS, WATCH)  # the sections whose tables the user names: shown by their examples
_NOTE_COLUMN = 34  # where the README's comments start
README_START = "<!-- written from newsroom_tui/settings.py: python -m newsroom_tui.config_text -->"
README_END = "<!-- end of the block written from newsroom_tui/settings.py -->"


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in text.splitlines()]


def default_config_text(general: Section = GENERAL, named: tuple[Section, ...] = _NAMED) -> str:
    """The commented default config file: every setting with its help and an example."""
    lines = [_HEAD, "", "[general]"]
    for setting in general.settings:
        if setting.help:
            if lines[-1] != "[general]":
                lines.append("")
            lines += _comment(setting.help)
        lines.append(f"# {setting.key} = {setting.example}")
    lines += ["", "[keys]", _KEYS_HELP, default_keys_comment()]
    blocks = [
        [*_comment(example.help), f"# [{example.name}]", *_example_lines(section, example.keys)]
        for section in named
        for example in section.examples
    ]
    for number, block in enumerate(blocks):
        if number:
            lines.append("#")
        lines += block
    return "\n".join(lines) + "\n"


def _example_lines(section: Section, keys: tuple[str, ...]) -> list[str]:
    return [f"# {key} = {section.setting(key).example}" for key in keys]


def _noted(line: str, note: str) -> str:
    """``line`` with ``note`` as a TOML comment in the README's column."""
    if not note:
        return line
    return f"{line.ljust(_NOTE_COLUMN - 2)}  # {note}"


def readme_block(general: Section = GENERAL, named: tuple[Section, ...] = _NAMED) -> str:
    """The README's Configuration block: each setting with an example and what it does."""
    lines = ["```toml", "[general]"]
    lines += [_noted(f"{s.key} = {s.example}", s.note) for s in general.settings]
    lines += ["", _noted("[keys]", _KEYS_NOTE), *_KEYS_EXAMPLE]
    for section in named:
        for example in section.examples:
            lines += ["", _noted(f"[{example.name}]", example.note)]
            for key in example.keys:
                setting = section.setting(key)
                lines.append(_noted(f"{key} = {setting.example}", setting.note))
    lines += ["```", "", _actions_paragraph()]
    return "\n".join([README_START, *lines, "", README_END])


def _actions_paragraph() -> str:
    """The README's list of the actions ``[keys]`` takes: every one of ``keymap.ACTIONS``."""
    names = ", ".join(f"`{action.id}`" for action in ACTIONS)
    return textwrap.fill(f"Actions for `[keys]`: {names}.", 100, break_on_hyphens=False)


if __name__ == "__main__":
    print(readme_block())
