"""The TOML configuration file: poll interval, concurrency, per-feed page fetching, keys, theme,
date format and data dir. Errors are one line that names the file, the line and the key."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_config_dir

from newsroom_tui import APP_NAME
from newsroom_tui.errors import NewsroomError
from newsroom_tui.keymap import (
    ACTIONS_BY_ID,
    default_keys_comment,
    key_names,
    shared_keys,
    typed_key,
)
from newsroom_tui.local_files import LocalFileError, read_local_file
from newsroom_tui.models import Feed
from newsroom_tui.net.address_policy import AddressPolicy
from newsroom_tui.sources.selectors import SELECTOR_KEYS, selector_problem
from newsroom_tui.store.login import checked_user_name
from newsroom_tui.store.retention import Retention
from newsroom_tui.text.sanitize import clean_name

if TYPE_CHECKING:
    from newsroom_tui.watch_records import Watchlist

CONFIG_ENV = "NEWSROOM_CONFIG"
FULL_PAGE_CHOICES = ("auto", "always", "never")
IMAGES_CHOICES: dict[str, bool | None] = {"auto": None, "on": True, "off": False}

DATABASE_SCHEMES = ("postgresql://", "postgres://")
SECTIONS = ("general", "keys", "feeds", "watch")
GENERAL_KEYS = (
    "data_dir",
    "database",
    "user",
    "poll_interval",
    "concurrency",
    "date_format",
    "images",
    "theme",
    "allow_private_addresses",
    "keep_days",
    "max_articles_per_feed",
)
FEED_KEYS = ("full_page", *SELECTOR_KEYS)


def nearest(name: str, known: Collection[str]) -> str:
    """ "; did you mean X?" for the known name nearest to a mistyped one, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


class ConfigError(NewsroomError):
    """A configuration problem, in one line: file, line, key, what is wrong."""

    exit_code = 2  # EXIT_USAGE


@dataclass
class Config:
    path: Path | None = None
    data_dir: str | None = None
    database: str | None = None  # postgresql://... : the team's shared store
    user: str | None = None  # name for claims and read state (default: the login name)
    poll_interval: int = 15  # minutes; 0: only on start and with r
    concurrency: int = 16
    date_format: str = "%Y-%m-%d %H:%M"
    theme: str | None = None
    images: bool | None = None  # None: thumbnails where the terminal is known to draw them
    # networks and hosts pages named by content may come from besides public addresses
    private_addresses: AddressPolicy | None = None  # None: public addresses only
    keys: dict[str, str] = field(default_factory=dict)
    full_page: dict[str, str] = field(default_factory=dict)  # feed URL -> auto|always|never
    # page source URL -> CSS selectors {"items": ..., "title": ..., "link": ..., "date": ...}
    selectors: dict[str, dict[str, str]] = field(default_factory=dict)
    watchlists: list[Watchlist] = field(default_factory=list)  # [watch."NAME"] tables
    retention: Retention = field(default_factory=Retention)  # keep_days, max_articles_per_feed


def config_path() -> Path:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """The configuration at ``path`` (default: :func:`config_path`); defaults if it is absent."""
    path = path or config_path()
    try:
        text = read_local_file(path).decode("utf-8")
    except LocalFileError as exc:
        if exc.missing:
            return Config()
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    import tomllib  # when there is a file to read

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: values nested too deeply to read") from None
    except ValueError:  # tomllib's own errors are TOMLDecodeError; this is int()'s limit
        raise ConfigError(f"{path}: a number too long to read (over 4,300 digits)") from None
    return _validate(raw, text, path)


def _line_of(text: str, key: str) -> str:
    """ " line N" where ``key`` is first set (``key = ...``) or opens a table (``[key]``,
    ``[feeds."key"]``); "" when it cannot be found."""
    name = rf"[\"']?{re.escape(key)}[\"']?"
    pattern = re.compile(
        rf"^[ \t]*(?:{name}[ \t]*=|\[(?:[^\]\n]*\.)?[ \t]*{name}[ \t]*\])", re.MULTILINE
    )
    match = pattern.search(text)
    return f" line {text.count(chr(10), 0, match.start()) + 1}" if match else ""


_HOST = "intranet.stadt.de"
# the [general] keys of retention and the Retention fields they set
_RETENTION_FIELDS = {"keep_days": "keep_days", "max_articles_per_feed": "max_per_feed"}


def check_keys(action: str, value: object, actions: Mapping[str, object] = ACTIONS_BY_ID) -> str:
    """The keys for ``action`` from the ``[keys]`` table, stripped; ValueError (what is
    wrong) when ``action`` is not one of ``actions`` or ``value`` is not a list of key names
    such as "n,tab" or "ctrl+r". The one place that judges a ``[keys]`` entry. Keys may be
    written as typed ("/", "?", "ctrl+f") or in Textual's names ("slash"); they come back in
    Textual's names."""
    if action not in actions:
        raise ValueError(f"is not an action{nearest(action, actions)} ({', '.join(actions)})")
    if not isinstance(value, str) or not value.strip():
        raise ValueError('must be a key name such as "x" or "ctrl+r"')
    for key in value.split(","):
        key = key.strip()
        if not key or not key.isprintable() or any(c.isspace() for c in key) or len(key) > 40:
            raise ValueError('must be key names separated by commas, such as "n,tab"')
    return key_names(value.strip())


def _validate(raw: dict[str, Any], text: str, path: Path) -> Config:
    def fail(section: str, key: str, problem: str) -> ConfigError:
        name = f"{section}.{key}" if section else key
        if clean_name(name) != name:
            name = repr(name)  # a key with control characters: shown escaped, never as they are
        return ConfigError(f"{path}{_line_of(text, key)}: {name} {problem}")

    config = Config(path=path)
    for section, value in raw.items():
        if section not in SECTIONS:
            raise fail(
                "",
                section,
                f"is not a known section{nearest(section, SECTIONS)} (general, keys, feeds, watch)",
            )
        if not isinstance(value, dict):
            raise fail("", section, f"must be a table ([{section}]), not {_kind(value)}")

    general = raw.get("general", {})
    for key, value in general.items():
        if key == "data_dir":
            if not isinstance(value, str):
                raise fail("general", key, "must be a string (a folder path)")
            config.data_dir = value or None
        elif key == "database":
            if not isinstance(value, str) or not value.startswith(DATABASE_SCHEMES):
                raise fail("general", key, 'must be a URL such as "postgresql://HOST/DB"')
            config.database = value
        elif key == "user":
            try:
                config.user = checked_user_name(value if isinstance(value, str) else "")
            except ValueError:
                raise fail("general", key, "must be a plain name (no control characters)") from None
        elif key == "poll_interval":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise fail("general", key, "must be a whole number of minutes, 0 or more")
            config.poll_interval = value
        elif key == "concurrency":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 256:
                raise fail("general", key, "must be a whole number from 1 to 256")
            config.concurrency = value
        elif key == "date_format":
            if not isinstance(value, str) or "%" not in value:
                raise fail("general", key, 'must be a strftime format such as "%d.%m.%Y %H:%M"')
            config.date_format = value
        elif key == "images":
            if not isinstance(value, str) or value not in IMAGES_CHOICES:
                raise fail("general", key, 'must be "auto", "on" or "off"')
            config.images = IMAGES_CHOICES[value]
        elif key == "theme":
            if not isinstance(value, str):
                raise fail("general", key, "must be a string (a theme name)")
            config.theme = value or None
        elif key == "allow_private_addresses":
            if not isinstance(value, list):
                raise fail("general", key, f'must be a list such as ["10.1.0.0/16", "{_HOST}"]')
            try:
                config.private_addresses = AddressPolicy.parse(value)
            except ValueError as exc:
                raise fail("general", key, f"entry {exc}") from None
        elif key in _RETENTION_FIELDS:
            try:  # Retention checks its own values
                config.retention = replace(config.retention, **{_RETENTION_FIELDS[key]: value})
            except ValueError as exc:  # "keep_days must be …": the rule's own words
                raise fail("general", key, str(exc).split(" ", 1)[1]) from None
        else:
            raise fail("general", key, f"is not a known setting{nearest(key, GENERAL_KEYS)}")

    for action, keys in raw.get("keys", {}).items():
        try:
            config.keys[action] = check_keys(action, keys)
        except ValueError as exc:
            raise fail("keys", action, str(exc)) from None

    for url, settings in raw.get("feeds", {}).items():
        if not isinstance(settings, dict):
            raise fail("feeds", url, 'must be a table: [feeds."URL"]')
        for key, value in settings.items():
            if key in SELECTOR_KEYS:
                problem = selector_problem(value)
                if problem:
                    raise fail("feeds", key, problem)
                config.selectors.setdefault(url, {})[key] = value
                continue
            if key != "full_page":
                raise fail(
                    "feeds",
                    key,
                    f"is not a known feed setting{nearest(key, FEED_KEYS)} "
                    "(full_page, items, title, link, date)",
                )
            if not isinstance(value, str) or value not in FULL_PAGE_CHOICES:
                raise fail("feeds", key, f"must be one of {', '.join(FULL_PAGE_CHOICES)}")
            config.full_page[url] = value
        if url in config.selectors and "items" not in config.selectors[url]:
            raise fail(
                "feeds", url, 'needs items = "CSS selector" when it sets title, link or date'
            )
    for name, settings in raw.get("watch", {}).items():
        config.watchlists.append(_watchlist(name, settings, fail))
    return config


def config_problems(
    config: Config,
    *,
    themes: Collection[str] | None = None,
    subscribed: Collection[str] | None = None,
) -> list[str]:
    """What a valid config file still gets wrong, one line each, for ``config check``: a
    theme not among ``themes``, a key that runs two things (the reader would keep one
    silently), ``[feeds."URL"]`` sections for feeds not among ``subscribed``."""
    path = config.path
    text = ""
    if path is not None:
        try:
            text = read_local_file(path).decode("utf-8")
        except (LocalFileError, UnicodeDecodeError):
            text = ""
    where = str(path) if path else "config"
    problems: list[str] = []
    if config.theme and themes is not None and config.theme not in themes:
        problems.append(
            f"{where}{_line_of(text, 'theme')}: general.theme {config.theme!r} is not a "
            f"theme{nearest(config.theme, themes)} ({', '.join(sorted(themes))})"
        )
    for key, actions in shared_keys(config.keys).items():
        remapped = [a for a in actions if a in config.keys] or actions
        line = _line_of(text, remapped[0])
        named = " and ".join("keys the reader keeps (list, dialogs)" if a == "fixed" else a
                             for a in actions)  # fmt: skip
        problems.append(
            f'{where}{line}: key "{typed_key(key)}" runs both {named}; give one of them another key'
        )
    if subscribed is not None:
        for url in {**config.full_page, **config.selectors}:
            shown = url if clean_name(url) == url else repr(url)  # never control characters
            if url not in subscribed:
                problems.append(
                    f'{where}{_line_of(text, url)}: [feeds."{shown}"] is not a subscribed feed'
                    + nearest(url, subscribed)
                )
    return problems


WATCH_KEYS = ("query", "flag", "claim_for", "notify", "run")


def _watchlist(name: str, settings: object, fail: Any) -> Watchlist:
    """One ``[watch."NAME"]`` table: query = "...", flag, notify (booleans), claim_for = "USER",
    run = ["command", "arg"] (or one string, split like a shell would, run without one)."""
    if not isinstance(settings, dict):
        raise fail("watch", name, 'must be a table: [watch."NAME"] with query = "..."')
    for key, value in settings.items():
        if key not in WATCH_KEYS:
            raise fail("watch", key, f"is not a watchlist setting ({', '.join(WATCH_KEYS)})")
        if key in ("flag", "notify") and not isinstance(value, bool):
            raise fail("watch", key, "must be true or false")
        if key in ("query", "claim_for") and not isinstance(value, str):
            raise fail("watch", key, "must be a string")
        if key == "run" and not (
            isinstance(value, str)
            or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))
        ):
            raise fail("watch", key, 'must be a command: ["program", "argument", ...]')
    if "query" not in settings:
        raise fail("watch", name, 'needs query = "words to watch for"')
    from newsroom_tui.watch.watchlist import checked_watchlist  # when the file has one

    try:
        return checked_watchlist(
            name,
            settings["query"],
            flag=settings.get("flag", False),
            claim_for=settings.get("claim_for"),
            notify=settings.get("notify", False),
            run=settings.get("run"),
            origin="config",
        )
    except ValueError as exc:
        raise fail("watch", name, f"is not usable: {exc}") from None


def _kind(value: object) -> str:
    """The TOML name of a value's type with its article, for error messages."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), "an array" if isinstance(value, list) else "a value")


DEFAULT_CONFIG = """\
# newsroom configuration (TOML). Every setting is optional; remove the # to change one.

[general]
# Where the cache lives. --data-dir and $NEWSROOM_DATA_DIR take precedence.
# data_dir = "~/newsroom-data"

# A team's shared store on PostgreSQL instead of the local cache (see README, "Team inbox").
# --database and $NEWSROOM_DATABASE take precedence.
# database = "postgresql://newsroom@db.example.org/newsroom"

# Your name for claims and read state in a shared store (default: the login name).
# --user and $NEWSROOM_USER take precedence.
# user = "anna"

# Minutes between automatic polls while the reader is open (0: only at start and with r).
# poll_interval = 15

# Requests in flight at once while polling.
# concurrency = 16

# How dates are shown (Python strftime).
# date_format = "%d.%m.%Y %H:%M"

# Gallery thumbnails in the article: "auto" where the terminal is known to draw images
# (kitty, WezTerm, iTerm2, foot, Konsole, ...), "on" to ask any terminal (and draw with
# half blocks where it has no image protocol), "off" never.
# images = "auto"

# Pages a feed names (article pages, a listing's announcements, images) are fetched only
# from public addresses, never from this machine, private networks or link-local ones
# (169.254.169.254). Networks and host names of an intranet whose feeds name pages there:
# allow_private_addresses = ["10.1.0.0/16", "intranet.stadt.de"]

# A Textual theme, e.g. "textual-dark", "nord", "gruvbox". Without it, the reader remembers
# the theme last chosen in the command palette (ctrl+p).
# theme = "nord"

# Retention, after each poll of a feed: its articles older than keep_days go, and of a feed
# with more than max_articles_per_feed the surplus goes (done, then read, then the oldest).
# Flagged, claimed and watched articles and those the feed still lists always stay. 0: off.
# keep_days = 90
# max_articles_per_feed = 2000

[keys]
# Actions and their keys as typed ("/", "?", "ctrl+s"); several separated by commas,
# e.g. search = "/,ctrl+s". `newsroom config check` says when a key runs two things.
{keys}
# Per feed: fetch the article page for every entry ("always"), never ("never"), or only when
# the feed carries just a summary ("auto", the default).
# [feeds."https://www.example.org/presse/feed.rss"]
# full_page = "always"
#
# A page source (a listing page without a feed) whose announcements detection gets wrong:
# CSS selectors for each announcement block, and inside it its title, link and date.
# [feeds."https://www.example.org/presse/meldungen/"]
# items = "div.meldung"
# title = "h3"
# link = "a.mehr"
# date = ".datum"
#
# A watchlist of your own (the team's are kept in the store: newsroom watch add): a standing
# search matched against every new article as it is stored; see README, "Watchlists".
# [watch."Sperrungen Herne"]
# query = 'Sperrung OR Vollsperrung feed:"Stadt Herne"'
# flag = true
# notify = true
# claim_for = "anna"
# run = ["/usr/local/bin/an-den-kanal", "--kanal", "lokales"]
"""


def default_config_text() -> str:
    return DEFAULT_CONFIG.replace("{keys}", default_keys_comment())


def apply_feed_settings(feeds: list[Feed], config: Config) -> list[Feed]:
    """The feeds with the config file's per-feed settings applied."""
    feeds = [
        replace(feed, full_page=config.full_page[feed.url])
        if feed.url in config.full_page
        else feed
        for feed in feeds
    ]
    return [
        replace(feed, selectors=tuple(config.selectors[feed.url].items()))
        if feed.url in config.selectors
        else feed
        for feed in feeds
    ]
