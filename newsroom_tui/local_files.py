"""Reading a file the user names (a page to extract, a subscription list, the config file):
bounded like a download, and only regular files. Writing one (an exported article): always a
new file, never through a symlink.

``newsroom extract /dev/zero`` or a 3 GB file would otherwise be read whole into memory; a
FIFO would block the command forever. Every local read goes through :func:`read_local_file`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

# The same bound as a feed from the network (fetcher.FEED_MAX_BYTES; not imported, so that
# reading the config file does not import httpx).
LOCAL_MAX_BYTES = 10 * 1024 * 1024
# Names tried for a new file (NAME.md, NAME-2.md …) before giving up.
NEW_FILE_ATTEMPTS = 100

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class LocalFileError(Exception):
    """The file cannot be read or is refused, in one line that names it. ``missing`` is True
    when it does not exist."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def read_local_file(path: str | Path, max_bytes: int = LOCAL_MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them; devices,
    FIFOs, sockets, folders and larger files are refused with :class:`LocalFileError`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        _refuse_special(path, os.stat(path).st_mode)  # a socket cannot even be opened
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO swapped in does not block the open
    except OSError as exc:
        raise LocalFileError(
            f"cannot read {path}: {exc.strerror or exc}",
            missing=isinstance(exc, FileNotFoundError),
        ) from None
    try:
        _refuse_special(path, os.fstat(fd).st_mode)  # what was opened, not what was looked at
        with os.fdopen(fd, "rb") as file:
            fd = -1
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise LocalFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        if fd != -1:
            os.close(fd)
    if len(data) > max_bytes:
        raise LocalFileError(
            f"{path} is larger than {max_bytes // (1024 * 1024)} MB: refused "
            "(the same bound as a download)"
        )
    return data


def _refuse_special(path: str | Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise LocalFileError(f"{path} is {kind}, not a file: refused")


def write_new_file(path: Path, text: str, attempts: int = NEW_FILE_ATTEMPTS) -> Path:
    """Write ``text`` (UTF-8) to a file that did not exist before: ``path``, else
    ``NAME-2.md``, ``NAME-3.md`` … beside it; returns the path written.

    The file is created with O_CREAT|O_EXCL|O_NOFOLLOW, so whatever already has the name (an
    earlier export, or a symlink someone planted there to have us overwrite its target) is
    never opened, followed or changed. One-line :class:`LocalFileError` when it cannot be."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    data = text.encode("utf-8")
    for number in range(1, attempts + 1):
        candidate = path if number == 1 else path.with_stem(f"{path.stem}-{number}")
        try:
            fd = os.open(candidate, flags, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise LocalFileError(f"cannot write {candidate}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
        except OSError as exc:
            with contextlib.suppress(OSError):
                candidate.unlink()
            raise LocalFileError(f"cannot write {candidate}: {exc.strerror or exc}") from None
        return candidate
    raise LocalFileError(f"cannot write {path}: {attempts} files of that name exist already")
