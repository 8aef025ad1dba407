"""The reader's one interface language: English, or German where the locale says so
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` as gettext reads them). The German
texts are a small catalogue here, keyed by the English text, so they install with the
package; a text without a translation shows in English."""

from __future__ import annotations

import os
from collections.abc import Mapping

GERMAN: dict[str, str] = {
    "All feeds": "Alle Feeds",
    "Feeds": "Feeds",
    "Search: titles, text, photo credits…": "Suche: Titel, Text, Bildnachweis…",
    "search": "Suche",
    "filter": "Filter",
    "feed": "Feed",
    "category": "Kategorie",
    "last poll": "letzter Abruf",
    "never": "nie",
    "shown": "gezeigt",
    "unread": "ungelesen",
    "Polling {done}/{total} feeds…": "Abruf {done}/{total} Feeds…",
    "OFFLINE — showing cached articles": "OFFLINE — gespeicherte Artikel",
    "DATABASE UNREACHABLE — reconnecting…": "DATENBANK NICHT ERREICHBAR — verbinde neu…",
    "team inbox as {user}": "Team-Eingang als {user}",
    "{n} article": "{n} Artikel",
    "{n} articles": "{n} Artikel",
    "{n} new article": "{n} neuer Artikel",
    "{n} new articles": "{n} neue Artikel",
    "{n} feed failed": "{n} Feed fehlgeschlagen",
    "{n} feeds failed": "{n} Feeds fehlgeschlagen",
    "{n} feed waiting": "{n} Feed wartet",
    "{n} feeds waiting": "{n} Feeds warten",
    "{n} article marked as read.": "{n} Artikel als gelesen markiert.",
    "{n} articles marked as read.": "{n} Artikel als gelesen markiert.",
    "No browser found; the link is copied: {url}": (
        "Kein Browser gefunden; der Link ist kopiert: {url}"
    ),
    "Marked done by a colleague; it stays open until you move on.": (
        "Von einem Kollegen erledigt; der Artikel bleibt offen, bis du weitergehst."
    ),
    "Nothing to undo.": "Nichts rückgängig zu machen.",
    "Undone: done.": "Rückgängig: erledigt.",
    "Undone: {n} marked as read.": "Rückgängig: {n} als gelesen markiert.",
    "No unread articles here.": "Keine ungelesenen Artikel hier.",
    "This article has no links.": "Dieser Artikel hat keine Links.",
    "Links": "Links",
    "number + Enter: open · y: copy · Escape: close": (
        "Nummer + Enter: öffnen · y: kopieren · Escape: schließen"
    ),
    "Done.": "Erledigt.",
    "Not done any more.": "Nicht mehr erledigt.",
}


def _locale_language(environ: Mapping[str, str]) -> str:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return value.split(":")[0].split("_")[0].split(".")[0].casefold()
    return "en"


CATALOGUE: dict[str, str] = dict(GERMAN) if _locale_language(os.environ) == "de" else {}


def use_language(environ: Mapping[str, str]) -> None:
    """Choose the catalogue for ``environ``'s locale (the environment's at import)."""
    CATALOGUE.clear()
    if _locale_language(environ) == "de":
        CATALOGUE.update(GERMAN)


def tr(text: str, **values: object) -> str:
    """``text`` in the interface language, with ``values`` filled in."""
    return CATALOGUE.get(text, text).format(**values) if values else CATALOGUE.get(text, text)


def plural(n: int, one: str, many: str, **values: object) -> str:
    """``one`` for 1, else ``many`` (English and German agree on that), translated."""
    return tr(one if n == 1 else many, n=n, **values)
