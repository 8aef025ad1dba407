"""A feed's failure reason in the interface language, for display in the reader only.

The reasons are stored text in English (``net/failure_lines.py`` makes them; ``newsroom
feeds`` and ``--json`` give them as stored). The reader shows the known shapes in German
under a German locale: each shape is matched whole and its parts (a host, a number, the
system's or the library's own words) are kept as they are; a reason of no known shape (a
server's HTTP reason phrase, a parser's words) shows as stored."""

from __future__ import annotations

import re

from newsroom_tui.ui.language import CATALOGUE

# (the stored English shape, whole; its German form with the shape's groups)
_GERMAN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), german)
    for pattern, german in (
        (
            r"cannot connect: connection refused by (?P<host>.+)",
            "keine Verbindung: von {host} abgelehnt",
        ),
        (r"cannot connect: no route to (?P<host>.+)", "keine Verbindung: kein Weg zu {host}"),
        (
            r"cannot connect: network unreachable for (?P<host>.+)",
            "keine Verbindung: Netz für {host} nicht erreichbar",
        ),
        (r"cannot connect to (?P<host>[^:]+): (?P<why>.+)", "keine Verbindung zu {host}: {why}"),
        (r"DNS failure: cannot resolve (?P<host>.+)", "DNS-Fehler: {host} nicht auflösbar"),
        (r"timed out connecting to (?P<host>.+)", "Zeitüberschreitung beim Verbinden mit {host}"),
        (
            r"timed out: no data from the server for (?P<n>\d+) s",
            "Zeitüberschreitung: {n} s keine Daten vom Server",
        ),
        (r"no complete answer within (?P<n>\d+) s", "keine vollständige Antwort in {n} s"),
        (r"parsing took longer than (?P<n>\d+) s", "Auswerten dauerte länger als {n} s"),
        (r"too large \(over (?P<n>\d+) MB\)", "zu groß (über {n} MB)"),
        (
            r"too many redirects \(more than (?P<n>\d+); a redirect loop\?\)",
            "zu viele Weiterleitungen (mehr als {n}; eine Schleife?)",
        ),
        (r"TLS failure with (?P<host>[^:]+): (?P<why>.+)", "TLS-Fehler mit {host}: {why}"),
        (r"not a feed(?P<rest>(: .*)?)", "kein Feed{rest}"),
        (r"polled by another newsroom just now", "eben von einem anderen newsroom abgerufen"),
    )
)
# a skipped feed's reason: "retry after 14:30 (last error: …)"
_WAITING = re.compile(
    r"retry after (?P<clock>[^(]+?)(?: \(last error: (?P<error>.*)\))?", re.DOTALL
)


def shown_reason(reason: str) -> str:
    """``reason`` as the reader shows it: in German under a German locale where its shape
    is known, else as stored."""
    if not CATALOGUE:  # English: the stored words
        return reason
    waiting = _WAITING.fullmatch(reason)
    if waiting is not None:
        clock, error = waiting.group("clock"), waiting.group("error")
        then = f"nächster Versuch ab {clock}"
        return then if error is None else f"{then} (letzter Fehler: {shown_reason(error)})"
    for pattern, german in _GERMAN:
        found = pattern.fullmatch(reason)
        if found is not None:
            return german.format(**{k: v or "" for k, v in found.groupdict().items()})
    return reason
