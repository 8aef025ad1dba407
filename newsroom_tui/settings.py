"""Every setting of the config file, declared once: its name, its default, how a value is read
(the value the program holds, or the one-line problem: "must be ..."), and the words the
commented default file and the README's Configuration block show for it.

``config.py`` reads a file by these tables; ``config_text.py`` writes the default file and the
README's block from them. A new setting is one ``Setting`` here (and, for ``[general]``, the
``Config`` field that holds it)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from newsroom_tui.records import record
from newsroom_tui.store.login import checked_user_name
from newsroom_tui.store.retention import Retention

if TYPE_CHECKING:  # the network's and the page sources' rules: imported by a file using them
    from newsroom_tui.net.address_policy import AddressPolicy

T = TypeVar("T")

DATABASE_SCHEMES = ("postgresql://", "postgres://")
FULL_PAGE_CHOICES = ("auto", "always", "never")
IMAGES_CHOICES: dict[str, bool | None] = {"auto": None, "on": True, "off": False}


def nearest(name: str, known: Collection[str]) -> str:
    """ "; did you mean X?" for the known name nearest to a mistyped one, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


@record(frozen=True)
class Setting(Generic[T]):
    """One key of a section. ``read`` gives the value as the program holds it, or raises
    ValueError with what is wrong ("must be a whole number from 1 to 256"), which the loader
    puts after the file, the line and the key."""

    key: str  # the name in the file
    default: T  # the value while the file does not set it
    read: Callable[[object], T]
    example: str  # a value as written in TOML, shown by the default file and the README
    note: str = ""  # the README's comment beside the example
    # the default file's comment above the example ("": the paragraph of the one before goes on)
    help: str = ""
    # the Config attribute it sets, when not ``key``; "retention.keep_days": a field of one
    attr: str = ""

    @property
    def target(self) -> str:
        return self.attr or self.key


@record(frozen=True)
class Example:
    """A commented example table of a section whose tables are named by the user."""

    name: str  # 'feeds."https://www.example.org/presse/feed.rss"'
    keys: tuple[str, ...]  # the settings it shows, each with its example value
    help: str  # the default file's comment above it
    note: str = ""  # the README's comment beside its header


@record(frozen=True)
class Section:
    """A table of the file and the settings it may hold."""

    name: str
    settings: tuple[Setting[Any], ...]
    unknown: str  # the problem of a key not among them; {near}: "; did you mean X?", {keys}
    examples: tuple[Example, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.settings)

    def setting(self, key: str) -> Setting[Any]:
        """The setting named ``key``, or ValueError with the section's own words."""
        for setting in self.settings:
            if setting.key == key:
                return setting
        raise ValueError(
            self.unknown.format(near=nearest(key, self.keys), keys=", ".join(self.keys))
        )


# How values are read: each gives the value held, or ValueError(the problem).


def _whole(low: int, high: int | None, problem: str) -> Callable[[object], int]:
    def read(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ValueError(problem)
        if high is not None and value > high:
            raise ValueError(problem)
        return value

    return read


def _text(problem: str, check: Callable[[str], bool] = lambda s: True) -> Callable[[object], str]:
    def read(value: object) -> str:
        if not isinstance(value, str) or not check(value):
            raise ValueError(problem)
        return value

    return read


def _text_or_none(problem: str) -> Callable[[object], str | None]:
    """A string; "" means unset (None)."""

    def read(value: object) -> str | None:
        return _text(problem)(value) or None

    return read


def _strftime_or_none(value: object) -> str | None:
    """A strftime format; "" means unset (None: the locale's form)."""
    text = _text_or_none('must be a strftime format such as "%d.%m.%Y %H:%M"')(value)
    if text is not None and "%" not in text:
        raise ValueError('must be a strftime format such as "%d.%m.%Y %H:%M"')
    return text


def _choice(choices: Mapping[str, T], problem: str) -> Callable[[object], T]:
    def read(value: object) -> T:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(problem)
        return choices[value]

    return read


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _user(value: object) -> str:
    try:
        return checked_user_name(value if isinstance(value, str) else "")
    except ValueError:
        raise ValueError("must be a plain name (no control characters)") from None


def _addresses(value: object) -> AddressPolicy:
    from newsroom_tui.net.address_policy import AddressPolicy

    if not isinstance(value, list):
        raise ValueError(f'must be a list such as ["10.1.0.0/16", "{_HOST}"]')
    try:
        return AddressPolicy.parse(value)
    except ValueError as exc:
        raise ValueError(f"entry {exc}") from None


def _retention(field: str) -> Callable[[object], int]:
    """A limit of :class:`Retention`, which checks its own values."""

    def read(value: object) -> int:
        changes: dict[str, Any] = {field: value}  # Retention judges the type too
        try:
            limits = replace(Retention(), **changes)
        except ValueError as exc:  # "keep_days must be …": the rule's own words
            raise ValueError(str(exc).split(" ", 1)[1]) from None
        limit: int = getattr(limits, field)
        return limit

    return read


def _selector(value: object) -> str:
    from newsroom_tui.sources.selectors import selector_problem

    problem = selector_problem(value)
    if problem or not isinstance(value, str):
        raise ValueError(problem)
    return value


def _command(value: object) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    raise ValueError('must be a command: ["program", "argument", ...]')


_HOST = "intranet.stadt.de"

# [general]

DATA_DIR = Setting(
    "data_dir",
    None,
    _text_or_none("must be a string (a folder path)"),
    '"~/newsroom-data"',
    "--data-dir and $NEWSROOM_DATA_DIR take precedence",
    "Where the cache lives. --data-dir and $NEWSROOM_DATA_DIR take precedence.",
)
EXPORT_DIR = Setting(
    "export_dir",
    None,
    _text_or_none("must be a string (a folder path)"),
    '"~/Dokumente/newsroom"',
    "where e writes; default: the current directory",
    "Where the reader's e writes an article as Markdown (made when missing). Default: the\n"
    "directory the reader was started in.",
)
DATABASE = Setting[str | None](
    "database",
    None,
    _text('must be a URL such as "postgresql://HOST/DB"', lambda s: s.startswith(DATABASE_SCHEMES)),
    '"postgresql://newsroom@db.example.org/newsroom"',
    "team inbox; see below",
    'A team\'s shared store on PostgreSQL instead of the local cache (see README, "Team inbox").\n'
    "--database and $NEWSROOM_DATABASE take precedence.",
)
USER = Setting[str | None](
    "user",
    None,
    _user,
    '"anna"',
    "name for claims and read state (default: login name)",
    "Your name for claims and read state in a shared store (default: the login name).\n"
    "--user and $NEWSROOM_USER take precedence.",
)
POLL_INTERVAL = Setting(
    "poll_interval",
    15,
    _whole(0, None, "must be a whole number of minutes, 0 or more"),
    "15",
    "minutes between polls while the reader is open; 0: off",
    "Minutes between automatic polls while the reader is open (0: only at start and with r).",
)
CONCURRENCY = Setting(
    "concurrency",
    16,
    _whole(1, 256, "must be a whole number from 1 to 256"),
    "16",
    "requests in flight while polling",
    "Requests in flight at once while polling.",
)
DATE_FORMAT = Setting[str | None](
    "date_format",
    None,
    _strftime_or_none,
    '"%d.%m.%Y %H:%M"',
    "Python strftime; default: as the locale",
    "How dates are shown (Python strftime). Without it: as the locale writes them\n"
    "(German: 09.05.2023 08:15), else 2023-05-09 08:15.",
)
IMAGES = Setting(
    "images",
    None,
    _choice(IMAGES_CHOICES, 'must be "auto", "on" or "off"'),
    '"auto"',
    "thumbnails where the terminal is known to draw them; on; off",
    'Gallery thumbnails in the article: "auto" where the terminal is known to draw images\n'
    '(kitty, WezTerm, iTerm2, foot, Konsole, ...), "on" to ask any terminal (and draw with\n'
    'half blocks where it has no image protocol), "off" never.',
)
ALLOW_PRIVATE_ADDRESSES: Setting[AddressPolicy | None] = Setting(
    "allow_private_addresses",
    None,
    _addresses,
    f'["10.1.0.0/16", "{_HOST}"]',
    'see "Failure handling"',
    "Pages a feed names (article pages, a listing's announcements, images) are fetched only\n"
    "from public addresses, never from this machine, private networks or link-local ones\n"
    "(169.254.169.254). Networks and host names of an intranet whose feeds name pages there:",
    attr="private_addresses",
)
THEME = Setting(
    "theme",
    None,
    _text_or_none("must be a string (a theme name)"),
    '"nord"',
    "any Textual theme; without it the last one chosen in ctrl+p",
    'A Textual theme, e.g. "textual-dark", "nord", "gruvbox". Without it, the reader remembers\n'
    "the theme last chosen in the command palette (ctrl+p).",
)
KEEP_DAYS = Setting(
    "keep_days",
    Retention().keep_days,
    _retention("keep_days"),
    str(Retention().keep_days),
    "articles older than this go at their feed's next poll; 0: keep",
    "Retention, after each poll of a feed: its articles older than keep_days go, and of a feed\n"
    "with more than max_articles_per_feed the surplus goes (done, then read, then the oldest).\n"
    "Flagged, claimed and watched articles and those the feed still lists always stay. 0: off.",
    attr="retention.keep_days",
)
MAX_ARTICLES_PER_FEED = Setting(
    "max_articles_per_feed",
    Retention().max_per_feed,
    _retention("max_per_feed"),
    str(Retention().max_per_feed),
    "a feed's surplus goes (done, read, oldest first); 0: no cap",
    attr="retention.max_per_feed",
)
STORIES = Setting(
    "stories",
    True,
    _flag,
    "true",
    "a story told by several sources shows once; false: every article apart",
    "The list shows a story told by several sources once: its newest article, the number of\n"
    "sources and who had it first (S switches while reading). false: every article apart.",
)

GENERAL = Section(
    "general",
    (
        DATA_DIR,
        DATABASE,
        USER,
        EXPORT_DIR,
        POLL_INTERVAL,
        CONCURRENCY,
        DATE_FORMAT,
        IMAGES,
        ALLOW_PRIVATE_ADDRESSES,
        THEME,
        STORIES,
        KEEP_DAYS,
        MAX_ARTICLES_PER_FEED,
    ),
    "is not a known setting{near}",
)

# [feeds."URL"]: the per-feed settings (Config.full_page and Config.selectors, by URL)

FEEDS = Section(
    "feeds",
    (
        Setting(
            "full_page",
            "auto",
            _choice(
                {c: c for c in FULL_PAGE_CHOICES}, f"must be one of {', '.join(FULL_PAGE_CHOICES)}"
            ),
            '"always"',
            "auto (default): fetch the page for summary-only entries",
        ),
        Setting[str | None](
            "items", None, _selector, '"div.meldung"', "CSS selector of each announcement block"
        ),
        Setting[str | None](
            "title", None, _selector, '"h3"', "inside the block (each optional; default: detected)"
        ),
        Setting[str | None]("link", None, _selector, '"a.mehr"'),
        Setting[str | None]("date", None, _selector, '".datum"'),
    ),
    "is not a known feed setting{near} ({keys})",
    (
        Example(
            'feeds."https://www.example.org/presse/feed.rss"',
            ("full_page",),
            'Per feed: fetch the article page for every entry ("always"), never ("never"), '
            "or only when\n"
            'the feed carries just a summary ("auto", the default).',
        ),
        Example(
            'feeds."https://www.example.org/presse/meldungen/"',
            ("items", "title", "link", "date"),
            "A page source (a listing page without a feed) whose announcements detection "
            "gets wrong:\n"
            "CSS selectors for each announcement block, and inside it its title, link and date.",
            "a page source detection gets wrong",
        ),
    ),
)

# [watch."NAME"]: the user's own watchlists (Config.watchlists)

WATCH = Section(
    "watch",
    (
        Setting[str | None](
            "query",
            None,
            _text("must be a string"),
            "'Sperrung OR Vollsperrung feed:\"Stadt Herne\"'",
            'the search; see "Watchlists"',
        ),
        Setting("flag", False, _flag, "true", "flag each article it matches"),
        Setting[str | None](
            "claim_for", None, _text("must be a string"), '"anna"', "claim each for this user"
        ),
        Setting("notify", False, _flag, "true", "the bell and a desktop notification for each"),
        Setting[str | list[str] | None](
            "run",
            None,
            _command,
            '["/usr/local/bin/an-den-kanal", "--kanal", "lokales"]',
            "gets each match as JSON; no shell",
        ),
    ),
    "is not a watchlist setting ({keys})",
    (
        Example(
            'watch."Sperrungen Herne"',
            ("query", "flag", "notify", "claim_for", "run"),
            "A watchlist of your own (the team's are kept in the store: newsroom watch add): "
            "a standing\n"
            'search matched against every new article as it is stored; see README, "Watchlists".',
            "a watchlist of your own",
        ),
    ),
)

# [keys]: action = "key[,key...]"; the actions are keymap.ACTIONS, judged by config.check_keys
SECTIONS = ("general", "keys", "feeds", "watch")
