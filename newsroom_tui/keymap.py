"""The reader's actions and their keys: the one table from which the key bindings, the
config file's ``[keys]`` (its validation and the commented defaults), the help screen and
the command palette are built. No Textual here: the config module reads it too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
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
    Action("quit", "q", "Quit", "quit", palette=False),
    Action("help", "question_mark", "Help", "this help"),
    Action("next_unread", "n", "Next unread", "next unread article"),
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
)
ACTIONS_BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}

# The help screen, in reading order: an action's id (its keys are looked up, remapped or
# not), or the keys and text of what cannot be remapped (list movement, dialogs).
HELP_ROWS: tuple[str | tuple[str, str], ...] = (
    ("j / ↓, k / ↑", "move through the list; the article follows"),
    ("Enter", "read the article (focus it to scroll)"),
    ("Space / PageDown", "scroll the article"),
    "next_unread",
    "toggle_read",
    "toggle_flag",
    "toggle_claim",
    "toggle_done",
    "mark_all_read",
    "search",
    "cycle_filter",
    ("Tab", "switch between feeds, list and article"),
    "poll",
    "open_link",
    "copy_link",
    "copy_credits",
    "export",
    ("Escape", "leave search or a dialog; back to the list"),
    ("ctrl+p", "command palette (every action, go to feed, themes)"),
    "help",
    "quit",
)


def effective_keys(overrides: Mapping[str, str]) -> dict[str, str]:
    """Every action's keys: the config file's where it names them, else the default."""
    return {action.id: overrides.get(action.id, action.keys) for action in ACTIONS}


def default_keys_comment() -> str:
    """The ``[keys]`` lines of the default config file, commented out."""
    return "\n".join(f'# {a.id} = "{a.keys}"    # {a.help}' for a in ACTIONS)
