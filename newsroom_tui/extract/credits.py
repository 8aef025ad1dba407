"""Photo credits: split "caption. ©Name/Org" into caption and a normalised credit."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

# Markers that introduce a credit. "©" and "(c)" stand on their own; the word markers need
# a colon ("Bild:", "Foto:"), except a bare "Copyright" (see _MARKER_AT).
_MARKER_WITH_SIGN = r"""
    (?:
        (?:Foto|Fotos|Bild|Bilder|Bildquelle|Quelle|Photo|Photos|Credit|Credits|Fotograf|Fotografin
          |Fotonachweis|Bildnachweis|Bildrechte|Copyright|Photograph|Photographs|Symbolfoto
          |Symbolbild|Archivfoto|Archivbild|Titelbild|Titelfoto|Beitragsbild|Headerbild)\s*:
      | ©
      | \([cC]\)
    )
"""
_BARE_COPYRIGHT = r"Copyright\b(?=\s*(?:©|\([cC]\)|\w))"
_MARKER = rf"(?:{_MARKER_WITH_SIGN}|{_BARE_COPYRIGHT})"
# Where a credit may start: a marker at the start, after whitespace, punctuation or an
# opening bracket; a bare "Copyright" only at the start or after a sentence or bracket
# ("Das Copyright liegt bei …" is a sentence, not a credit).
_MARKER_AT = re.compile(
    rf"""
      (?:^|(?<=[\s.,;:|/–—(\[-])) (?:{_MARKER_WITH_SIGN})
    | (?:^|(?<=[.!?|–—(\[])|(?<=[.!?|–—(\[]\s)) {_BARE_COPYRIGHT}
    """,
    re.VERBOSE,
)
# A whole parenthesised credit at the end: "Rathaus (Foto: Stadt Herne)".
_PAREN_CREDIT = re.compile(
    rf"\s*[(\[]\s*(?P<marker>{_MARKER})\s*(?P<credit>[^()\[\]]+?)\s*[)\]]\s*(?P<end>[.!]?)\s*$",
    re.VERBOSE,
)
_LEADING_MARKERS = re.compile(rf"^(?:\s*{_MARKER}\s*)+", re.VERBOSE)
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}(?:\s*[,–-]\s*|\s+)(?=\S)")
_SLASH = re.compile(r"\s*/\s*")
_TRAILING = " \t.,;:|–—-"
_MAX_CREDIT = 120
# A block of the article that is only a credit ("Foto: Sean Gallup/Getty Images"): one line,
# starting with a marker that has a sign (a bare "Copyright" may be a heading), not a sentence.
_CREDIT_LINE = re.compile(rf"^(?:{_MARKER_WITH_SIGN})", re.VERBOSE)
_EMPHASIS = "*_ ()[]"
# English wire credits without a colon: "(AP Photo/Evan Vucci)", "Photo by Jane Doe/Getty".
_AGENCY_PHOTO_LINE = re.compile(
    r"\(?(?P<credit>(?:[A-Z][\w.&'-]*\s){1,3}Photos?\s*/\s*[^()/]{2,60}(?:/[^()/]{2,40})?)\)?"
)
_PHOTO_BY_LINE = re.compile(
    r"\(?(?:Photo|Photos|Photograph|Image) (?:by|courtesy of) (?P<credit>[^():]{2,80}?)\)?"
)
_MAX_CREDIT_LINE = 100
_MAX_CREDIT_BLOCK = 3 * _MAX_CREDIT_LINE  # (with its Markdown and spaces; longer is text)
# A picture's label may end with a full stop ("Beitragsbild: Titelseite der FAZ, Ausriss.");
# other credit lines that do are sentences ("Quelle: Die Stadt hat … veröffentlicht.").
_MAX_CREDIT_SENTENCE = 80
_PICTURE_MARKER = re.compile(
    r"(?:Beitragsbild|Titelbild|Titelfoto|Headerbild|Symbolbild|Symbolfoto|Archivbild"
    r"|Archivfoto)\s*:"
)
# Elements the page itself calls a credit or copyright line ("credit", "image-credit",
# "copyright"): pre-selected in C, their class checked case-folded here.
_CREDIT_CLASSED = etree.XPath(
    "//body//*[contains(@class, 'redit') or contains(@class, 'opyright')]"
)
_CREDIT_CLASS_WORDS = ("credit", "copyright")


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def normalise_credit(text: str) -> str | None:
    """Tidy a credit: marker removed, whitespace folded, no spaces around "/", no trailing
    punctuation. Returns None when nothing is left."""
    credit = _LEADING_MARKERS.sub("", _fold(text))
    credit = _LEADING_YEAR.sub("", credit)
    credit = _SLASH.sub("/", credit).strip(_TRAILING)
    if len(credit) > 2 and credit[0] in "([" and credit[-1] in ")]":
        credit = credit[1:-1].strip(_TRAILING)
    return credit or None


def _tidy_caption(text: str) -> str:
    return text.rstrip(" \t,;:|–—-/(").strip()


def split_credit(text: str) -> tuple[str, str | None]:
    """Split a caption into (caption without the credit, normalised credit or None).

    >>> split_credit("Impressionen vom Fachtag. ©Thomas Schmidt/Stadt Herne")
    ('Impressionen vom Fachtag.', 'Thomas Schmidt/Stadt Herne')
    """
    folded = _fold(text)
    if not folded:
        return "", None
    paren = _PAREN_CREDIT.search(folded)
    if paren:
        credit = normalise_credit(paren["credit"])
        if credit:
            return _tidy_caption(folded[: paren.start()]) + paren["end"], credit
    match = _MARKER_AT.search(folded)
    if match is None:
        return folded, None
    rest = folded[match.end() :]
    caption = folded[: match.start()]
    # "Foto: Max Müller | Das Rathaus": the credit ends at a bar, the rest is caption.
    if " | " in rest:
        rest, after = rest.split(" | ", 1)
        caption = f"{caption} {after}" if caption.strip() else after
    credit = normalise_credit(rest)
    if credit is None or len(credit) > _MAX_CREDIT:
        return folded, None
    return _tidy_caption(caption), credit


def credit_of_line(block: str) -> str | None:
    """The normalised credit when this Markdown block is a lone photo or source credit
    ("*Quelle: dpa-AFX*", "(Bild: Audi)", "Symbolfoto: Polizei Bochum", "(AP Photo/Evan
    Vucci)", "Photo by Jane Doe/Getty Images"), not text of the article; else None."""
    if len(block) > _MAX_CREDIT_BLOCK or "\n" in block.strip() or "](" in block:
        return None
    text = _fold(block).strip(_EMPHASIS)
    if not text or len(text) > _MAX_CREDIT_LINE or text.endswith(("!", "?", ":")):
        return None
    if text.endswith(".") and (
        len(text) > _MAX_CREDIT_SENTENCE or _PICTURE_MARKER.match(text) is None
    ):
        return None  # a line ending like a sentence is one, but for a picture's label
    named = _AGENCY_PHOTO_LINE.fullmatch(text) or _PHOTO_BY_LINE.fullmatch(text)
    if named is not None:
        return None if text.endswith(".") else normalise_credit(named["credit"])
    if _CREDIT_LINE.match(text) is None:
        return None
    caption, credit = split_credit(text)
    return credit if not caption.strip(_EMPHASIS) else None


def is_credit_line(block: str) -> bool:
    """Is this Markdown block a lone photo or source credit (see :func:`credit_of_line`)?"""
    return credit_of_line(block) is not None


def credit_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """Short elements classed as a credit or copyright line ("© dpa | Kay Nietfeld"): photo
    and source credits, not article text (the gallery reads its credits before they go)."""
    return [
        el
        for el in _CREDIT_CLASSED(tree)
        if any(word in (el.get("class") or "").lower() for word in _CREDIT_CLASS_WORDS)
        and len(_fold(el.text_content())) <= _MAX_CREDIT
    ]
