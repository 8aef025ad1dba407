"""The parts of a source's releases that make its unrelated releases alike: title prefixes
("POL-BO:", "FW-HER:"), datelines ("Bochum (ots) -", "Herne (dpa/lnw) -"), the city's
"Meldung vom 09. Mai 2023" header, contact blocks ("Rückfragen bitte an", phone, e-mail,
"Original-Content von: … übermittelt durch news aktuell"), phone numbers, e-mail addresses
and web addresses. Stripped before an article is compared with others."""

from __future__ import annotations

import re

# presseportal's blue-light prefixes: POL-BO, FW-HER, BPOL-NRW, HZA-DO, ZOLL-E, LPI-GTH …
_TITLE_PREFIX = re.compile(r"^\s*(?:[A-ZÄÖÜ]{2,6}-[A-ZÄÖÜ]{1,6}(?:-[A-ZÄÖÜ]{1,6})?)\s*:\s*")
# "Bochum (ots) -", "Herne (dpa/lnw) –", "Witten/Bochum (ots) -": at the start of the text
_DATELINE = re.compile(
    r"^\s*[A-ZÄÖÜ][\w./ -]{0,60}?\s*\((?:ots|dpa(?:/\w+)?|lnw|afp|epd|kna|AP|dts)\)\s*[-–—:]\s*",
    re.IGNORECASE,
)
_CITY_HEADER = re.compile(
    r"^\s*(?:Pressemitteilung|Meldung)\s+vom\s+\d{1,2}\.\s*(?:\w+|\d{1,2}\.)\s*\d{2,4}\s*",
    re.IGNORECASE,
)
# where a contact block or the distributor's line starts: everything after it goes. At a
# line's start, or after a sentence's end (a plain-text description is stored on one line)
_CONTACT = re.compile(
    r"(?:^|\n|(?<=[.!?“\"»)]))\s*(?:Rückfragen bitte an|Rückfragen an|Pressekontakt"
    r"|Kontakt für Medien|Original-Content von|Für Rückfragen)\b",
    re.IGNORECASE,
)
# what every contact block's start holds, in small letters ("Rückfragen", "Pressekontakt" …);
# with a letter in the text that IGNORECASE takes for "s" or "i" but str.lower leaves apart,
# the expression looks itself
_CONTACT_WORDS = ("fragen", "kontakt", "original-content")
_ODD_CASE = re.compile("[\u0130\u0131\u017f]")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
# German phone numbers: "0234 909-1021", "02323 16-2888", "0234/909-4441", "(-4441 …)"
_PHONE = re.compile(r"\(?\b0\d{2,5}\s?[/ ]?\s?\d{2,8}(?:[- ]\d{1,6})?\b\)?|\(-\d{2,6}\b")
# a line that is no sentence: no end punctuation, short (names, offices, "Telefon: …")
_SENTENCE_END = re.compile(r"[.!?“\"'»)]\s*$")


def strip_title(title: str) -> str:
    """The title without a blue-light prefix ("POL-BO: Einbruch …" -> "Einbruch …")."""
    return _TITLE_PREFIX.sub("", title or "", count=1)


def strip_text(text: str) -> str:
    """The text without the source's boilerplate: dateline, header, contact block and
    trailing address lines, phone numbers, e-mail and web addresses."""
    text = text or ""
    found = _CONTACT.search(text) if _may_hold_contact(text) else None
    if found:
        text = text[: found.start()]
    text = _CITY_HEADER.sub("", text, count=1)
    text = _DATELINE.sub("", text, count=1)
    lines = text.rstrip().split("\n")
    # the address block under a city's release: short lines that are no sentences
    while lines and (not lines[-1].strip() or _address_line(lines[-1])):
        lines.pop()
    text = "\n".join(lines)
    # looked for only where the text holds what each needs (most texts hold neither)
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    return _PHONE.sub(" ", text)


def _may_hold_contact(text: str) -> bool:
    lower = text.lower()
    return any(word in lower for word in _CONTACT_WORDS) or _ODD_CASE.search(text) is not None


def _address_line(line: str) -> bool:
    line = line.strip()
    return len(line) < 90 and not _SENTENCE_END.search(line)
