"""A feed's failure reason shown in the reader's language: the stored English shapes of
``net/failure_lines.py`` read as German under a German locale, their hosts, numbers and the
system's words kept; any other text, and every text in English, shows as stored."""

from __future__ import annotations

import errno
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.ingest.poller import ANOTHER_POLLER
from newsroom_tui.ingest.worker_pool import WORK_DEADLINE
from newsroom_tui.net import failure_lines
from newsroom_tui.ui import language
from newsroom_tui.ui.failure_text import shown_reason

HOST = "www.polizei-bochum.example"
# every reason the failure lines make, as stored, with what the German reader shows
STORED = {
    failure_lines.refused(HOST): f"keine Verbindung: von {HOST} abgelehnt",
    failure_lines.unreachable(HOST, errno.EHOSTUNREACH): f"keine Verbindung: kein Weg zu {HOST}",
    failure_lines.unreachable(HOST, errno.ENETUNREACH): (
        f"keine Verbindung: Netz für {HOST} nicht erreichbar"
    ),
    failure_lines.cannot_connect(HOST, errno.ECONNRESET): (
        f"keine Verbindung zu {HOST}: Connection reset by peer"
    ),
    failure_lines.dns_failure(HOST): f"DNS-Fehler: {HOST} nicht auflösbar",
    failure_lines.connect_timeout(HOST): f"Zeitüberschreitung beim Verbinden mit {HOST}",
    failure_lines.read_timeout(30): "Zeitüberschreitung: 30 s keine Daten vom Server",
    failure_lines.deadline(30): "keine vollständige Antwort in 30 s",
    failure_lines.too_large(10 * 1024 * 1024): "zu groß (über 10 MB)",
    failure_lines.too_many_redirects(5): "zu viele Weiterleitungen (mehr als 5; eine Schleife?)",
    failure_lines.tls_failure(HOST, "certificate has expired"): (
        f"TLS-Fehler mit {HOST}: certificate has expired"
    ),
    f"parsing took longer than {WORK_DEADLINE:.0f} s": (
        f"Auswerten dauerte länger als {WORK_DEADLINE:.0f} s"
    ),
    "not a feed: SAXParseException": "kein Feed: SAXParseException",
    "not a feed": "kein Feed",
    ANOTHER_POLLER: "eben von einem anderen newsroom abgerufen",
    "retry after 14:30 (last error: cannot connect: connection refused by 127.0.0.1)": (
        "nächster Versuch ab 14:30 (letzter Fehler: keine Verbindung: von 127.0.0.1 abgelehnt)"
    ),
    "retry after 08.12. 06:15": "nächster Versuch ab 08.12. 06:15",
}


@pytest.fixture
def german() -> Iterator[None]:
    language.use_language({"LANGUAGE": "de", "LANG": "de_DE.UTF-8"})
    yield
    language.use_language({"LANG": "C.UTF-8"})


@pytest.mark.parametrize("stored", list(STORED))
def test_each_stored_reason_shows_in_german(german: None, stored: str) -> None:
    assert shown_reason(stored) == STORED[stored]


@pytest.mark.parametrize("stored", list(STORED))
def test_in_english_each_reason_shows_as_stored(stored: str) -> None:
    assert shown_reason(stored) == stored


def test_a_reason_of_no_known_shape_shows_as_stored(german: None) -> None:
    for stored in ["HTTP 503 Service Unavailable", "Stadt Herne: 404", ""]:
        assert shown_reason(stored) == stored


@given(st.text(max_size=120))
def test_any_text_keeps_its_parts(text: str) -> None:
    """A host or a reason of the network's (any text) comes through whole, whatever it holds."""
    language.use_language({"LANGUAGE": "de"})
    try:
        assert text in shown_reason(failure_lines.dns_failure(text)) or not text.strip()
        assert shown_reason(f"Feed {text}") == f"Feed {text}"
    finally:
        language.use_language({"LANG": "C.UTF-8"})
