"""The German catalogue of the reader's interface: each English text (as the code writes
it, placeholders in braces) and its German form. See :mod:`newsroom_tui.ui.language` for how
the language is chosen and why the catalogue is a Python mapping."""

from __future__ import annotations

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
    "shown": "angezeigt",
    "unread": "ungelesen",
    "Polling {done}/{total} feeds…": "Abruf {done}/{total} Feeds…",
    "Polling {done}/{total}": "Abruf {done}/{total}",
    "indexing {done}/{total} for search…": "Suchindex {done}/{total}…",
    "index {done}/{total}": "Index {done}/{total}",
    "OFFLINE": "OFFLINE",
    "Escape closes": "Escape schließt",
    "*No text: the feed gives only the title and the link, and the article page "
    "could not be fetched or read. {key} opens it in the browser.*": "*Kein Text: Der Feed "
    "liefert nur Titel und Link, und die Seite des Artikels ließ sich nicht laden oder lesen. "
    "{key} öffnet sie im Browser.*",
    "*No text: the feed gives only the title, and no link to the article.*": "*Kein Text: Der "
    "Feed liefert nur den Titel und keinen Link zum Artikel.*",
    "OFFLINE — showing cached articles": "OFFLINE — gespeicherte Artikel",
    "DATABASE UNREACHABLE — reconnecting…": "DATENBANK NICHT ERREICHBAR — verbinde neu…",
    "DB UNREACHABLE — reconnecting…": "DB NICHT ERREICHBAR — verbinde neu…",
    "DB UNREACHABLE, retrying…": "KEINE DB, verbinde neu…",
    "DB: RECONNECTING…": "DB: VERBINDE NEU…",
    "Database unreachable": "Datenbank nicht erreichbar",
    "Trying again every {seconds} s; the list stays as it was.": (
        "Neuer Versuch alle {seconds} s; die Liste bleibt, wie sie war."
    ),
    "team inbox as {user}": "Team-Eingang als {user}",
    "{n} source": "{n} Quelle",
    "{n} sources": "{n} Quellen",
    "{sources}, first: {feed}": "{sources}, zuerst: {feed}",
    # a story's sources, short: "+2", two more than the row's (the same in both languages)
    "+{more}": "+{more}",
    "{n} article": "{n} Artikel",
    "{n} articles": "{n} Artikel",
    # a story told by several sources is one "Thema" on a desk ("Meldung" is one of them)
    "{n} story": "{n} Thema",
    "{n} stories": "{n} Themen",
    "{n} new article": "{n} neuer Artikel",
    "{n} new articles": "{n} neue Artikel",
    "{n} feed failed": "{n} Feed fehlgeschlagen",
    "{n} feeds failed": "{n} Feeds fehlgeschlagen",
    "sync account unreachable": "Sync-Konto nicht erreichbar",
    "sync unreachable": "Sync offline",
    "sync failed": "Sync fehlgeschlagen",
    "{n} feed waiting": "{n} Feed wartet",
    "{n} feeds waiting": "{n} Feeds warten",
    # the same, short, where the status line is short of room
    "{n} failed": "{n} Fehler",
    "{n} waiting": "{n} wartend",
    "{n} article marked as read.": "{n} Artikel als gelesen markiert.",
    "{n} articles marked as read.": "{n} Artikel als gelesen markiert.",
    "{n} story marked as read.": "{n} Thema als gelesen markiert.",
    "{n} stories marked as read.": "{n} Themen als gelesen markiert.",
    "No browser found; the link is copied: {url}": (
        "Kein Browser gefunden; der Link ist kopiert: {url}"
    ),
    "Marked done by a colleague; it stays open until you move on.": (
        "Von einem Kollegen erledigt; der Artikel bleibt offen, bis du weitergehst."
    ),
    "Nothing to undo.": "Nichts rückgängig zu machen.",
    "Not done any more: {title}": "Nicht mehr erledigt: {title}",
    "Done again: {title}": "Wieder erledigt: {title}",
    "Undone: {n} marked as read.": "Rückgängig: {n} als gelesen markiert.",
    "No unread articles here.": "Keine ungelesenen Artikel hier.",
    "This article has no links.": "Dieser Artikel hat keine Links.",
    "Links": "Links",
    "number: open · y, number: copy · Escape: close": (
        "Nummer: öffnen · y, Nummer: kopieren · Escape: schließen"
    ),
    "Done. {key} undoes it.": "Erledigt. {key} macht es rückgängig.",
    "Not done any more.": "Nicht mehr erledigt.",
    # status line, list, feed list
    "all": "alle",
    "flagged": "markiert",
    "done": "erledigt",
    "watchlist": "Beobachtung",
    "Watchlist": "Beobachtung",
    "Watchlists": "Beobachtungslisten",
    "Watchlists ({n} new)": "Beobachtungslisten ({n} neu)",
    "… and {n} more watchlist matches": "… und {n} weitere Treffer der Beobachtungslisten",
    # the article pane
    "Photo credits": "Bildnachweis",
    "(no caption)": "(ohne Bildunterschrift)",
    "Claimed by {user}": "Übernommen von {user}",
    "Done": "Erledigt",
    "Link not opened (not http/https): {url}": "Link nicht geöffnet (nicht http/https): {url}",
    "[image not available]": "[Bild nicht verfügbar]",
    "Loading image…": "Bild wird geladen…",
    "No feeds yet. Subscribe from the shell: newsroom add URL": (
        "Noch keine Feeds. Abonnieren in der Shell: newsroom add URL"
    ),
    "Cannot search: {problem}": "Suche nicht lesbar: {problem}",
    "Nothing matches. Escape clears the search; f changes the filter.": (
        "Nichts gefunden. Escape leert die Suche; f wechselt den Filter."
    ),
    "Nothing matches this filter; f changes it.": ("Nichts für diesen Filter; f wechselt ihn."),
    "Nothing here yet.": "Hier ist noch nichts.",
    "Not fetched yet: {error}; r polls now": "Noch nicht abgerufen: {error}; r ruft jetzt ab",
    "Not fetched yet: {error} — retry after {time}; r polls now": (
        "Noch nicht abgerufen: {error} — nächster Versuch ab {time}; r ruft jetzt ab"
    ),
    "No articles yet. Press r to poll.": "Noch keine Artikel. r ruft die Feeds ab.",
    # notices
    "Copied: {text}": "Kopiert: {text}",
    "Exported to {path}": "Exportiert nach {path}",
    "Export failed: {reason}": "Export fehlgeschlagen: {reason}",
    "Not saved: {reason}": "Nicht gespeichert: {reason}",
    "the database is unreachable; the reader retries": (
        "die Datenbank ist nicht erreichbar; neuer Versuch läuft"
    ),
    "Poll stopped: {reason}": "Abruf abgebrochen: {reason}",
    "Already claimed by {user}.": "Schon übernommen von {user}.",
    "{user} claimed it first.": "{user} war schneller und hat übernommen.",
    "This article has no link.": "Dieser Artikel hat keinen Link.",
    "Only http and https links are opened.": "Nur http- und https-Links werden geöffnet.",
    "This article has no photo credits.": "Dieser Artikel hat keinen Bildnachweis.",
    "Unknown theme in the config file: {theme}": (
        "Unbekanntes Farbschema in der Konfigurationsdatei: {theme}"
    ),
    # export (the article file's labels)
    "Feed": "Feed",
    "Date": "Datum",
    "Link": "Link",
    # dialogs
    "Mark all {n} shown articles as read?": "Alle {n} gezeigten Artikel als gelesen markieren?",
    "Mark all {n} shown stories as read (every version)?": (
        "Alle {n} gezeigten Themen als gelesen markieren (jede Version)?"
    ),
    "y / Enter: yes    n / Escape: no": "j / Enter: ja    n / Escape: nein",
    # Textual's answer to ctrl+c (it quits with ctrl+q)
    "Quit?": "Beenden?",
    "{key} quits from the top, ctrl+q at once.": (
        "{key} beendet in der Artikelliste, Strg+q sofort."
    ),
    "Keys": "Tasten",
    "j / k, arrows, Space scroll; Escape, ? or q closes this help.": (
        "j / k, Pfeiltasten, Leertaste blättern; Escape, ? oder q schließt diese Hilfe."
    ),
    "open": "öffnen",
    "copy": "kopieren",
    # the command palette
    "palette": "Befehle",
    "Search for commands…": "Befehl suchen…",
    "key: {keys}": "Taste: {keys}",
    "show articles of every feed": "Artikel aller Feeds zeigen",
    "Go to watchlist: {name}": "Zur Beobachtungsliste: {name}",
    "show the articles this watchlist matched": "die Treffer dieser Beobachtungsliste zeigen",
    "Go to category: {name}": "Zur Kategorie: {name}",
    "show the feeds of this category": "die Feeds dieser Kategorie zeigen",
    "Go to feed: {name}": "Zum Feed: {name}",
    "show only this feed": "nur diesen Feed zeigen",
    # Textual's own commands in the palette
    "Theme": "Farbschema",
    "Change the current theme": "Das Farbschema wechseln",
    "Quit the application as soon as possible": "Das Programm sofort beenden",
    "Show help for the focused widget and a summary of available keys": (
        "Hilfe zum gewählten Bereich und eine Übersicht der Tasten zeigen"
    ),
    "Hide the keys and widget help panel": "Die Tasten- und Hilfeleiste ausblenden",
    "Minimize": "Verkleinern",
    "Minimize the widget and restore to normal size": "Den Bereich wieder normal groß zeigen",
    "Maximize": "Vergrößern",
    "Maximize the focused widget": "Den gewählten Bereich vergrößern",
    "Screenshot": "Bildschirmfoto",
    "Save an SVG 'screenshot' of the current screen": (
        "Ein SVG-Bildschirmfoto des Bildschirms speichern"
    ),
    # keys: the footer's labels and the help's lines (keymap.py)
    "Back": "Zurück",
    "Read": "Lesen",
    "Show feed": "Feed zeigen",
    "Show matches": "Treffer zeigen",
    # the help's keys that cannot be remapped, as German keyboards name them
    "j / ↓, k / ↑": "j / ↓, k / ↑",
    "Enter": "Enter",
    "Space / PageDown, PageUp": "Leertaste / Bild ab, Bild auf",
    "ctrl+f / ctrl+b": "Strg+f / Strg+b",
    "Home / End": "Pos1 / Ende",
    "Tab": "Tab",
    "Escape / Backspace": "Esc / Rücktaste",
    "ctrl+p": "Strg+p",
    "Quit": "Beenden",
    "quit from the top; elsewhere one step back": (
        "in der Artikelliste beenden; sonst einen Schritt zurück"
    ),
    "Help": "Hilfe",
    "this help": "diese Hilfe",
    "Next unread": "Weiter",
    "next unread article": "nächster ungelesener Artikel",
    "Prev unread": "Voriger Artikel",
    "previous unread article": "voriger ungelesener Artikel",
    "First": "Erster Artikel",
    "first article of the list": "erster Artikel der Liste",
    "Last": "Letzter Artikel",
    "last article of the list": "letzter Artikel der Liste",
    "Next feed": "Nächster Feed",
    "show the next feed": "den nächsten Feed zeigen",
    "Prev feed": "Voriger Feed",
    "show the previous feed": "den vorigen Feed zeigen",
    "Read/unread": "Gelesen/ungelesen",
    "toggle read / unread": "gelesen / ungelesen umschalten",
    "Flag": "Markieren",
    "flag / unflag for follow-up": "zur Wiedervorlage markieren / Markierung entfernen",
    "Claim": "Übernehmen",
    "claim the article for me / release my claim": (
        "den Artikel übernehmen / meine Übernahme zurückgeben"
    ),
    "done / not done (done articles leave the list)": (
        "erledigt / nicht erledigt (erledigte Artikel verlassen die Liste)"
    ),
    "Search": "Suchen",
    "search titles, bodies and photo credits": "Titel, Texte und Bildnachweise durchsuchen",
    "Filter": "Filter",
    "cycle filter: all / unread / flagged / done": (
        "Filter wechseln: alle / ungelesen / markiert / erledigt"
    ),
    "Poll": "Abrufen",
    "poll all feeds now": "alle Feeds jetzt abrufen",
    "Open": "Öffnen",
    "open the link in the browser": "den Link im Browser öffnen",
    "Copy link": "Link kopieren",
    "copy the link": "den Link kopieren",
    "Copy credits": "Nachweis kopieren",
    "copy the credits line (Fotos: …)": "die Zeile mit dem Bildnachweis kopieren (Fotos: …)",
    "Export": "Exportieren",
    "export the article as Markdown": "den Artikel als Markdown exportieren",
    "All read": "Alle gelesen",
    "mark all shown articles as read": "alle gezeigten Artikel als gelesen markieren",
    "Undo": "Rückgängig",
    "undo the last A (all read) or D (done)": (
        "das letzte A (alle gelesen) oder D (erledigt) rückgängig machen"
    ),
    "Next version": "Nächste Version",
    "read the story's next version (its other sources, under the article)": (
        "die nächste Version des Themas lesen (seine anderen Quellen, unter dem Artikel)"
    ),
    "Stories": "Themen",
    "a story once in the list / every article apart": (
        "ein Thema einmal in der Liste / jeden Artikel einzeln"
    ),
    "Versions of this story ({key}: read the next)": (
        "Versionen dieses Themas ({key}: die nächste lesen)"
    ),
    "update": "Nachtrag",
    "This article stands alone.": "Dieser Artikel steht allein.",
    "Each story once.": "Jedes Thema einmal.",
    "Every article apart.": "Jeder Artikel einzeln.",
    "the article's links, numbered: open or copy": (
        "die Links des Artikels, nummeriert: öffnen oder kopieren"
    ),
    "move through the list; the article follows": "durch die Liste gehen; der Artikel folgt",
    "read the article (focus it to scroll)": "den Artikel lesen (zum Blättern auswählen)",
    "scroll the article": "im Artikel blättern",
    "page through the list": "in der Liste seitenweise blättern",
    "first / last article of the list": "erster / letzter Artikel der Liste",
    "switch between feeds, list and article": "zwischen Feeds, Liste und Artikel wechseln",
    "leave search, a dialog, the article or a feed's view": (
        "Suche, Dialog, Artikel oder die Ansicht eines Feeds verlassen"
    ),
    "command palette (every action, go to feed, themes)": (
        "Befehlsliste (alle Aktionen, zu einem Feed, Farbschemata)"
    ),
}
