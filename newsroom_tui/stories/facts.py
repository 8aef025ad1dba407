"""The facts of a text that two tellings of one story share and two look-alike stories do
not: times, ages, dates, calendar weeks, streets, people ("Lena K."), other numbers and
places. Each is a short string ("t:22:40", "a:81", "s:sodinger strasse"), folded so that
"Straße" and "Strasse" agree."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsroom_tui.text.search_text import fold

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
# the towns of the Ruhr area and around, for "in Herne" and "Bochum-Riemke"
TOWNS = (
    "Wanne-Eickel|Castrop-Rauxel|Bochum|Herne|Witten|Wattenscheid|Wanne|Eickel|Dortmund|Essen"
    "|Gelsenkirchen|Recklinghausen|Hattingen|Sprockhövel|Wetter|Herdecke|Hagen|Gladbeck"
    "|Bottrop|Oberhausen|Mülheim|Duisburg|Marl|Herten|Datteln|Waltrop|Unna|Lünen|Kamen"
    "|Schwerte|Bergkamen|Dorsten|Haltern|Velbert|Dinslaken|Moers"
)
_MONTH_NAMES = "|".join(MONTHS)
_TIME = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*Uhr\b")
_AGE = re.compile(r"\b(\d{1,3})\s*-?\s*(?:jährig|Jährig)|\b(\d{1,3})\s+Jahre?\s+alt|\((\d{1,3})\)")
# what every match of the second and third forms holds ("20 Jahre alt", "Lena K. (81)");
# the first holds "ährig"
_AGE_HINT = re.compile(r"Jahre?\s+alt|\(\d{1,3}\)")
# "über 80 Jahre alt" is no age to hold against "83-jährig"
_VAGUE = re.compile(r"\b(?:über|mehr als|fast|knapp|unter)\s+$")
_AGE_LIST = re.compile(
    r"\bim Alter (?:von|zwischen) ((?:\d{1,3}(?:,\s*|\s+und\s+|\s+bis\s+))+\d{1,3}) Jahren"
)
# numbers written out as words ("zwölf Kinder"); "ein" and "eins" say too little
NUMBER_WORDS = {
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwölf": 12,
}  # fmt: skip
# (each expression that starts with a list of words first looks whether the word's first
# letter is one of theirs: one test where the list was tried word by word)
_NUMBER_WORD = re.compile(
    rf"\b(?=[{''.join(sorted({c for w in NUMBER_WORDS for c in (w[0], w[0].upper())}))}])"
    rf"(?:{'|'.join(f'[{w[0].upper()}{w[0]}]{w[1:]}' for w in NUMBER_WORDS)})\b"
)
_DATE_WORD = re.compile(rf"\b(\d{{1,2}})\.\s*({_MONTH_NAMES})\b", re.IGNORECASE)
_DATE_NUM = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(?:\d{2,4})?(?!\d)")
# letters the expressions' IGNORECASE matches as "i" and "s" that ``str.lower`` leaves apart
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u1e9b\ufb05\ufb06]")
_DATE_NUM_HINT = re.compile(r"\.\d{1,2}\.")  # what every date in digits holds ("7.11.")
_WEEK = re.compile(r"\b(\d{1,2})\.\s*Kalenderwoche|\bKW\s*(\d{1,2})\b")
_STREET = re.compile(
    r"\b(?:[A-ZÄÖÜ][\wäöüß.-]*er\s+(?:Straße|Strasse|Str\.|Weg|Allee|Ring|Platz|Damm)"
    r"|[A-ZÄÖÜ][\wäöüß-]*?-?(?:[sS]traße|[sS]trasse|str\.|weg|Weg|platz|Platz|allee|Allee|ring"
    r"|gasse|damm|deich|ufer|wall))(?![\wäöüß])"
)
# every street found ends so: a text without any holds none
_STREET_END = re.compile(
    r"(?:traße|trasse|tr\.|weg|Weg|latz|llee|ring|Ring|gasse|damm|Damm|deich|ufer|wall)"
    r"(?![\wäöüß])"
)
_NOT_STREETS = frozenset(fold(w) for w in ("Parkplatz", "Arbeitsplatz", "Spielplatz", "Heimweg"))
_PERSON = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]{2,})\s([A-ZÄÖÜ])\.(?=[\s,;:)])")
_PERSON_INITIAL = re.compile(r"\s[A-ZÄÖÜ]\.[\s,;:)]")  # what every person found holds
# "in Herne", "Bochumer" stays out; "Bochum-Riemke" gives the town and the district
# "Herne", "Bochum-Riemke" (the town and the district), "Herner" (the town)
_TOWN = re.compile(
    rf"\b(?=[{''.join(sorted({t[0] for t in TOWNS.split('|')}))}])"
    rf"({TOWNS})(?:-([A-ZÄÖÜ][\wäöüß]+)|er)?(?![\wäöüß])"
)
# what every place found starts with ("Wanne" for "Wanne-Eickel")
_TOWN_NAMES = tuple(
    t for t in TOWNS.split("|") if not any(o != t and o in t for o in TOWNS.split("|"))
)
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,])|(?<![\d.,])\d+(?:,\d+)?(?![\d.])")
# a number can only start a run of digits, points and commas, at the run's start: the runs
# are found fast (no look-behind tried at every character), then each is read as above
_NUMBER_RUN = re.compile(r"[\d.,]+")

# the kinds whose disagreement speaks against one story: both texts name one, none shared.
# Other numbers only agree: a retelling drops, rounds and writes them out ("Viertel nach neun")
CONFLICT_KINDS = ("t", "a", "d", "w", "s", "p")
# what a fact both texts name counts towards their agreement, by kind (multiples of 0.5: a
# sum of them is exact in any order)
FACT_WEIGHTS = {"t": 2.0, "a": 2.0, "d": 1.5, "w": 2.0, "s": 2.0, "p": 3.0, "n": 1.0, "o": 0.5}


@dataclass(frozen=True)
class Facts:
    """The facts of one text, by kind: t time, a age, d date, w week, s street, p person,
    n number, o place."""

    by_kind: dict[str, frozenset[str]]

    def of(self, kind: str) -> frozenset[str]:
        return self.by_kind.get(kind, frozenset())

    @property
    def keys(self) -> Iterable[str]:
        for kind, values in self.by_kind.items():
            for value in values:
                yield f"{kind}:{value}"


def extract_facts(text: str) -> Facts:
    found: dict[str, set[str]] = {k: set() for k in "tadwspno"}
    used: list[tuple[int, int]] = []
    for m in _scan(_TIME, text, "Uhr"):
        found["t"].add(f"{int(m[1])}:{m[2] or '00'}")
        used.append(m.span())
    for m in _scan(_AGE_LIST, text, "im Alter "):
        found["a"].update(str(int(n)) for n in re.findall(r"\d+", m[1]))
        used.append(m.span())
    for m in _scan(_AGE, text, "ährig", hint=_AGE_HINT):
        if not _VAGUE.search(text, max(0, m.start() - 12), m.start()):
            found["a"].add(str(int(m[1] or m[2] or m[3])))
        used.append(m.span())
    # the month names and number words are looked for in the text in small letters; a
    # letter that the expressions' IGNORECASE takes for another one ("ſ" for "s") does not
    # turn into it there: with one in the text, the expression looks itself
    lower = text.lower() if _ODD_CASE.search(text) is None else None
    for m in _scan(_DATE_WORD, text, *MONTHS, within=lower):
        found["d"].add(f"{int(m[1])}.{_month(m[2])}")
        used.append(m.span())
    for m in _scan(_DATE_NUM, text, hint=_DATE_NUM_HINT):
        day, month = int(m[1]), int(m[2])
        if 1 <= day <= 31 and 1 <= month <= 12:
            found["d"].add(f"{day}.{month}")
            used.append(m.span())
    for m in _scan(_WEEK, text, "Kalenderwoche", "KW"):
        found["w"].add(str(int(m[1] or m[2])))
        used.append(m.span())
    for m in _scan(_STREET, text, hint=_STREET_END):
        street = fold(m[0]).replace("str.", "strasse")
        if street not in _NOT_STREETS:
            found["s"].add(street)
    for m in _scan(_PERSON, text, hint=_PERSON_INITIAL):
        found["p"].add(fold(f"{m[1]} {m[2]}"))
    for m in _scan(_TOWN, text, *_TOWN_NAMES):
        found["o"].add(fold(m[1]))
        if m[2]:
            found["o"].add(fold(m[2]))
    taken = _mask(text, used)
    for number in numbers_in(taken):
        value = number.replace(".", "")
        if value not in ("0", "1"):
            found["n"].add(value)
    for m in _scan(_NUMBER_WORD, taken, *NUMBER_WORDS, within=lower):
        found["n"].add(str(NUMBER_WORDS[m[0].lower()]))
    return Facts({k: frozenset(v) for k, v in found.items() if v})


def _month(name: str) -> int:
    """The month a name the date's expression found names, in any letters it takes for
    those of the name ("MÄRZ", "ſeptember", "JULİ")."""
    return MONTHS[name.lower().translate(_PLAIN_LETTERS)]


# what IGNORECASE takes for "s" and "i" (and the dot that "İ" keeps in small letters)
_PLAIN_LETTERS = str.maketrans({"ſ": "s", "ı": "i", "\u0307": None})


def numbers_in(text: str) -> list[str]:
    """The numbers written in digits in ``text`` ("12", "3,5", "458.000"), in order: those
    :data:`_NUMBER` finds, read from the start of each run of digits, points and commas."""
    found = []
    for run in _NUMBER_RUN.findall(text):
        number = _NUMBER.match(run)
        if number:
            found.append(number[0])
    return found


def _scan(
    pattern: re.Pattern[str],
    text: str,
    *needles: str,
    hint: re.Pattern[str] | None = None,
    within: str | None = "",
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text``, not looked for where none of the ``needles``
    (the literal text every match holds) is in it, nor ``hint`` found (a quicker expression
    for what every match holds that no needle says): most texts name no time, age or week.
    ``within``: where the needles are looked for instead (``text`` in small letters, for
    needles in small letters); None: not at all, the matches are looked for."""
    if within is None:
        return pattern.finditer(text)
    haystack = within or text
    if any(needle in haystack for needle in needles) or (hint is not None and hint.search(text)):
        return pattern.finditer(text)
    return iter(())


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans already read as times, ages and dates blanked."""
    if not spans:
        return text
    parts = []
    at = 0
    for start, end in sorted(spans):
        if start >= at:
            parts.append(text[at:start])
            at = start
        if end > at:
            parts.append(" " * (end - at))
            at = end
    parts.append(text[at:])
    return "".join(parts)
