"""The one-line reasons of a failed request, as both fetchers (httpx's and libcurl's) say them:
the lines README's "Failure handling" documents. Each fetcher only tells which failure it met;
the words are made here, so the same failure reads the same under either.

The lines are stored text (a feed's ``error``, shown by ``newsroom feeds`` and the reader's
status line) and stay in English under every language of the interface; the German reader
shows their shapes in German at display (``ui/failure_text.py``, whose tests hold each
line made here)."""

from __future__ import annotations

import errno
import os
import re

from newsroom_tui.text.sanitize import clean_error

# The errors of connect() that say this machine has no way out (no network, no route): the
# signs of being offline, not of a server that is down (EADDRNOTAVAIL: no address of the
# host's family here, as an IPv6 host from a machine without IPv6).
UNREACHABLE_ERRNOS = frozenset(
    {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EADDRNOTAVAIL}
)


def refused(host: str) -> str:
    return f"cannot connect: connection refused by {host}"


def unreachable(host: str, code: int) -> str:
    """No network (or no route) from this machine to ``host``."""
    if code == errno.EHOSTUNREACH:
        return f"cannot connect: no route to {host}"
    return f"cannot connect: network unreachable for {host}"


def cannot_connect(host: str, code: int) -> str:
    """Any other failed connect(): the system's words for ``code``."""
    reason = os.strerror(code) if code else "connection failed"
    return f"cannot connect to {host}: {clean_error(reason, 80)}"


def dns_failure(host: str) -> str:
    return f"DNS failure: cannot resolve {host}"


def connect_timeout(host: str) -> str:
    return f"timed out connecting to {host}"


def read_timeout(seconds: float) -> str:
    return f"timed out: no data from the server for {seconds:.0f} s"


def deadline(seconds: float) -> str:
    return f"no complete answer within {seconds:.0f} s"


def too_large(max_bytes: int) -> str:
    return f"too large (over {max_bytes // (1024 * 1024)} MB)"


def too_many_redirects(limit: int) -> str:
    return f"too many redirects (more than {limit}; a redirect loop?)"


# OpenSSL's error string ("error:0A00010B:SSL routines::wrong version number") and the
# library's own name of it ("WRONG_VERSION_NUMBER"): the reason alone, in words
_OPENSSL = re.compile(r"error:[0-9A-Fa-f]+:[^:]*:[^:]*:(?P<reason>.+)")


def tls_failure(host: str, reason: str) -> str:
    """``reason`` as OpenSSL, Python's ssl module or libcurl word it, made the same words:
    "wrong version number", "certificate has expired"."""
    text = clean_error(reason, 200)
    if "certificate problem: " in text:
        text = text.split("certificate problem: ", 1)[1]
    found = _OPENSSL.search(text)
    if found:
        text = found.group("reason")
    if re.fullmatch(r"[A-Z0-9_]+", text):
        text = text.replace("_", " ").lower()
    return f"TLS failure with {host}: {clean_error(text.strip(), 120) or 'handshake failed'}"
