"""The reader's actions and their keys: the one table from which the key bindings, the
config file's ``[keys]`` (its validation and the commented defaults), the help screen and
the command palette are built. No Textual here: the config module reads it too."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from newsroom_tui.records import record

# Textual names a key by its character's Unicode name, a few shortened; the config file takes
# the characters people type ("/", "?", "ctrl+f") and these names alike.
_SHORT_NAMES = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_TYPED = {"space": " "}
# Keys of the reader that the config file cannot remap (list movement, dialogs, palette)
FIXED_KEYS = frozenset(
    {"j", "k", "up", "down", "enter", "space", "pagedown", "pageup", "tab", "escape", "ctrl+p"}
    | {"ctrl+f", "ctrl+b", "home", "end"}
)


def key_name(typed: str) -> str:
    """One key as the config file gives it ("/", "?", "ctrl+/", "slash", "n") in Textual's
    name ("slash", "question_mark", "ctrl+slash", "slash", "n")."""
    *modifiers, key = typed.split("+") if len(typed) > 1 else [typed]
    if key == "" and modifiers:  # "ctrl++": the plus key
        modifiers, key = modifiers[:-1], "+"
    if len(key) == 1 and not key.isalnum():
        try:
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            name = key
        key = _SHORT_NAMES.get(name, name)
    return "+".join([*modifiers, key])


def typed_key(name: str) -> str:
    """A Textual key name as a person types it: "slash" -> "/", "ctrl+slash" -> "ctrl+/"."""
    *modifiers, key = name.split("+")
    if key in _TYPED:
        return name
    long_name = next((long for long, short in _SHORT_NAMES.items() if short == key), key)
    for spelled in (long_name.replace("_", " "), long_name.replace("_", "-")):
        try:
            char = unicodedata.lookup(spelled)
        except KeyError:
            continue
        # a printable sign only: "escape" stays "escape", "comma" stays (it separates keys)
        if len(key) > 1 and char.isprintable() and not char.isspace() and char != ",":
            key = char
        break
    return "+".join([*modifiers, key])


def key_names(keys: str) -> str:
    """A comma-separated list of keys as the config file gives them, in Textual's names."""
    return ",".join(key_name(k.strip()) for k in keys.split(","))


@record(frozen=True)
class Action:
    """An action of the reader that a key runs and the config file can remap."""

    id: str  # the action's name, the binding's id and the name in ``[keys]``
    keys: str  # the default keys in Textual's names, comma separated ("slash", "ctrl+r")
    label: str  # short, for the footer and the palette
    help: str  # a line for the help screen and the config file
    footer: bool = True  # shown in the footer
    palette: bool = True  # offered in the command palette


# In footer order.
ACTIONS: tuple[Action, ...] = (
    Action("quit", "q", "Quit", "quit from the top; elsewhere one step back", palette=False),
    Action("help", "question_mark", "Help", "this help"),
    Action("next_unread", "n", "Next unread", "next unread article"),
    Action("previous_unread", "p", "Prev unread", "previous unread article", footer=False),
    Action("first_article", "g", "First", "first article of the list", footer=False),
    Action("last_article", "G", "Last", "last article of the list", footer=False),
    Action("next_feed", "J", "Next feed", "show the next feed", footer=False),
    Action("previous_feed", "K", "Prev feed", "show the previous feed", footer=False),
    Action("toggle_read", "m", "Read/unread", "toggle read / unread"),
    Action("toggle_flag", "s", "Flag", "flag / unflag for follow-up"),
    Action("toggle_claim", "a", "Claim", "claim the article for me / release my claim"),
    Action("toggle_done", "D", "Done", "done / not done (done articles leave the list)"),
    Action("search", "slash", "Search", "search titles, bodies and photo credits"),
    Action("cycle_filter", "f", "Filter", "cycle filter: all / unread / flagged / done"),
    Action("poll", "r", "Poll", "poll all feeds now"),
    Action("open_link", "o", "Open", "open the link in the browser", footer=False),
    Action("copy_link", "y", "Copy link", "copy the link", footer=False),
    Action("copy_credits", "c", "Copy credits", "copy the credits line (Fotos: …)", footer=False),
    Action("export", "e", "Export", "export the article as Markdown", footer=False),
    Action("mark_all_read", "A", "All read", "mark all shown articles as read", footer=False),
    Action("undo", "U", "Undo", "undo the last A (all read) or D (done)", footer=False),
    Action(
        "next_version",
        "v",
        "Next version",
        "read the story's next version (its other sources, under the article)",
        footer=False,
    ),
    Action(
        "toggle_stories",
        "S",
        "Stories",
        "a story once in the list / every article apart",
        footer=False,
    ),
    Action("links", "u", "Links", "the article's links, numbered: open or copy", footer=False),
)
ACTIONS_BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}

# The help screen, in reading order: an action's id (its keys are looked up, remapped or
# not), or the keys and text of what cannot be remapped (list movement, dialogs).
HELP_ROWS: tuple[str | tuple[str, str], ...] = (
    ("j / ↓, k / ↑", "move through the list; the article follows"),
    ("Enter", "read the article (focus it to scroll)"),
    ("Space / PageDown, PageUp", "scroll the article"),
    ("ctrl+f / ctrl+b", "page through the list"),
    ("Home / End", "first / last article of the list"),
    "next_unread",
    "previous_unread",
    "first_article",
    "last_article",
    "next_feed",
    "previous_feed",
    "toggle_read",
    "toggle_flag",
    "toggle_claim",
    "toggle_done",
    "next_version",
    "toggle_stories",
    "mark_all_read",
    "undo",
    "search",
    "cycle_filter",
    ("Tab", "switch between feeds, list and article"),
    "poll",
    "open_link",
    "links",
    "copy_link",
    "copy_credits",
    "export",
    ("Escape / Backspace", "leave search, a dialog, the article or a feed's view"),
    ("ctrl+p", "command palette (every action, go to feed, themes)"),
    "help",
    "quit",
)


def effective_keys(overrides: Mapping[str, str]) -> dict[str, str]:
    """Every action's keys: the config file's where it names them, else the default."""
    return {action.id: overrides.get(action.id, action.keys) for action in ACTIONS}


def default_keys_comment() -> str:
    """The ``[keys]`` lines of the default config file, commented out."""
    return "\n".join(
        f'# {a.id} = "{",".join(typed_key(k) for k in a.keys.split(","))}"    # {a.help}'
        for a in ACTIONS
    )


def shared_keys(overrides: Mapping[str, str]) -> dict[str, list[str]]:
    """Keys that run more than one thing once the config file's ``overrides`` (in Textual's
    names) apply: key -> the actions (and "fixed" for a key the reader keeps for itself),
    e.g. ``toggle_flag = "n"`` takes next-unread's key: {"n": ["next_unread", "toggle_flag"]}."""
    users: dict[str, list[str]] = {}
    for action, keys in effective_keys(overrides).items():
        for key in dict.fromkeys(keys.split(",")):
            users.setdefault(key, []).append(action)
    for key in FIXED_KEYS & users.keys():
        users[key].append("fixed")
    return {key: actions for key, actions in users.items() if len(actions) > 1}
