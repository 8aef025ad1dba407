"""``newsroom config``: where the file is, check it, write the commented default."""

from __future__ import annotations

import argparse
import sys

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from newsroom_tui.config import ConfigError, config_path, default_config_text, load_config


def cmd_config(args: argparse.Namespace) -> int:
    path = config_path()
    if args.action == "path":
        print(path)
        return EXIT_OK
    if args.action == "check":
        try:
            load_config(path)
        except ConfigError as exc:
            print(f"newsroom: config error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"ok: {path}" if path.exists() else f"no config file (defaults apply): {path}")
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
