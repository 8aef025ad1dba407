"""``newsroom config``: where the file is, check it, write the commented default."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from newsroom_tui.config import (
    Config,
    ConfigError,
    config_path,
    config_problems,
    load_config,
)
from newsroom_tui.config_text import default_config_text


def cmd_config(
    args: argparse.Namespace,
    subscribed: Callable[[Config], Collection[str] | None] = lambda config: None,
    themes: Callable[[], Collection[str]] | None = None,
) -> int:
    """``subscribed``: the feed URLs of the store the config file points at (None: the
    store cannot be read, and sections are not checked against it). ``themes``: the names
    of the reader's themes (the reader's to say; None: the theme is not checked)."""
    path = config_path()
    if args.action == "path":
        print(path)
        return EXIT_OK
    if args.action == "check":
        try:
            config = load_config(path)
        except ConfigError as exc:
            print(f"newsroom: config error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not path.exists():
            print(f"no config file (defaults apply): {path}")
            return EXIT_OK
        problems = config_problems(
            config, themes=themes() if themes else None, subscribed=subscribed(config)
        )
        for problem in problems:
            print(f"newsroom: config: {problem}", file=sys.stderr)
        if problems:
            return EXIT_FAILED
        print(f"ok: {path}")
        return EXIT_OK
    if path.exists() and not args.force:
        print(f"newsroom: {path} exists; --force overwrites it", file=sys.stderr)
        return EXIT_FAILED
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(default_config_text(), "utf-8")
    except OSError as exc:
        print(f"newsroom: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {path}")
    return EXIT_OK
