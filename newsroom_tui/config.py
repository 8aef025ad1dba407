"""The TOML configuration file: where it is, reading it into a :class:`Config` by the
settings table (``newsroom_tui.settings``), and what ``config check`` finds beyond that. Errors
are one line that names the file, the line and the key."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_config_dir

from newsroom_tui import APP_NAME
from newsroom_tui.errors import NewsroomError
from newsroom_tui.keymap import ACTIONS_BY_ID, key_names, shared_keys, typed_key
from newsroom_tui.local_files import LocalFileError, read_local_file
from newsroom_tui.models import Feed
from newsroom_tui.records import record
from newsroom_tui.settings import (
    ALLOW_PRIVATE_ADDRESSES,
    CONCURRENCY,
    DATA_DIR,
    DATABASE,
    DATE_FORMAT,
    EXPORT_DIR,
    FEEDS,
    GENERAL,
    IMAGES,
    POLL_INTERVAL,
    SECTIONS,
    STORIES,
    THEME,
    USER,
    WATCH,
    Section,
    Setting,
    nearest,
)
from newsroom_tui.settings import DATABASE_SCHEMES as DATABASE_SCHEMES
from newsroom_tui.store.retention import Retention
from newsroom_tui.text.sanitize import clean_name

if TYPE_CHECKING:
    from newsroom_tui.net.address_policy import AddressPolicy
    from newsroom_tui.watch_records import Watchlist

CONFIG_ENV = "NEWSROOM_CONFIG"


class ConfigError(NewsroomError):
    """A configuration problem, in one line: file, line, key, what is wrong."""

    exit_code = 2  # EXIT_USAGE


@record
class Config:
    """The file's settings as the program uses them; the defaults and the rules of each are
    in ``newsroom_tui.settings``."""

    path: Path | None = None
    data_dir: str | None = DATA_DIR.default
    database: str | None = DATABASE.default  # postgresql://... : the team's shared store
    user: str | None = USER.default  # name for claims and read state (default: the login name)
    export_dir: str | None = EXPORT_DIR.default  # where e writes; None: the current directory
    poll_interval: int = POLL_INTERVAL.default  # minutes; 0: only on start and with r
    concurrency: int = CONCURRENCY.default
    date_format: str | None = DATE_FORMAT.default  # None: as the locale writes dates
    theme: str | None = THEME.default
    stories: bool = STORIES.default  # a story once in the list; False: every article apart
    images: bool | None = IMAGES.default  # None: thumbnails where the terminal draws them
    # networks and hosts pages named by content may come from besides public addresses
    private_addresses: AddressPolicy | None = ALLOW_PRIVATE_ADDRESSES.default  # None: public
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


Fail = Callable[[str, str, str], ConfigError]


def _validate(raw: dict[str, Any], text: str, path: Path) -> Config:
    def fail(section: str, key: str, problem: str) -> ConfigError:
        name = f"{section}.{key}" if section else key
        if clean_name(name) != name:
            name = repr(name)  # a key with control characters: shown escaped, never as they are
        return ConfigError(f"{path}{_line_of(text, key)}: {name} {problem}")

    config = Config(path=path)
    for section, value in raw.items():
        if section not in SECTIONS:
            known = nearest(section, SECTIONS)
            raise fail("", section, f"is not a known section{known} ({', '.join(SECTIONS)})")
        if not isinstance(value, dict):
            raise fail("", section, f"must be a table ([{section}]), not {_kind(value)}")

    for setting, value in _read_table(GENERAL, raw.get("general", {}), fail):
        _assign(config, setting.target, value)

    for action, keys in raw.get("keys", {}).items():
        try:
            config.keys[action] = check_keys(action, keys)
        except ValueError as exc:
            raise fail("keys", action, str(exc)) from None

    for url, settings in raw.get("feeds", {}).items():
        if not isinstance(settings, dict):
            raise fail("feeds", url, 'must be a table: [feeds."URL"]')
        values = {setting.key: value for setting, value in _read_table(FEEDS, settings, fail)}
        if "full_page" in values:
            config.full_page[url] = values.pop("full_page")
        if values:  # the rest are CSS selectors
            config.selectors[url] = values
            if "items" not in values:
                raise fail(
                    "feeds", url, 'needs items = "CSS selector" when it sets title, link or date'
                )
    for name, settings in raw.get("watch", {}).items():
        config.watchlists.append(_watchlist(name, settings, fail))
    return config


def _read_table(
    section: Section, table: Mapping[str, object], fail: Fail
) -> list[tuple[Setting[Any], Any]]:
    """Each key of ``table`` with its setting in ``section`` and the value read; the first
    unknown key or wrong value fails, in the order of the file."""
    values: list[tuple[Setting[Any], Any]] = []
    for key, value in table.items():
        try:
            setting = section.setting(key)
            values.append((setting, setting.read(value)))
        except ValueError as exc:
            raise fail(section.name, key, str(exc)) from None
    return values


def _assign(config: Config, target: str, value: object) -> None:
    """Set ``target`` of ``config``: an attribute, or a field of one ("retention.keep_days")."""
    owner, _, part = target.partition(".")
    if part:
        value = replace(getattr(config, owner), **{part: value})
    setattr(config, owner, value)


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


def _watchlist(name: str, settings: object, fail: Fail) -> Watchlist:
    """One ``[watch."NAME"]`` table: query = "...", flag, notify (booleans), claim_for = "USER",
    run = ["command", "arg"] (or one string, split like a shell would, run without one)."""
    if not isinstance(settings, dict):
        raise fail("watch", name, 'must be a table: [watch."NAME"] with query = "..."')
    given = {setting.key: value for setting, value in _read_table(WATCH, settings, fail)}
    if "query" not in given:
        raise fail("watch", name, 'needs query = "words to watch for"')
    values = {setting.key: given.get(setting.key, setting.default) for setting in WATCH.settings}
    from newsroom_tui.watch.watchlist import checked_watchlist  # when the file has one

    try:
        return checked_watchlist(name, values.pop("query"), **values, origin="config")
    except ValueError as exc:
        raise fail("watch", name, f"is not usable: {exc}") from None


def _kind(value: object) -> str:
    """The TOML name of a value's type with its article, for error messages."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), "an array" if isinstance(value, list) else "a value")


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
