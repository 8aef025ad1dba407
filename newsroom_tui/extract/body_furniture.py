"""Page furniture that survives inside an article's text, taken out block by block.

The finder and trafilatura keep what sits in the text column; some of it is no text a
reader wants:

- collapse toggles left as blocks of their own ("more", "less", "Mehr anzeigen");
- links to report an error ("Report Error", "Fehler auf dieser Seite melden");
- links whose text is a script's value, not words (``false``, ``null``: a video rail drawn
  by script), and the heading over them when nothing else is left under it ("Top Video");
- paywall teasers ("Lesen Sie weiter mit … PLUS – jetzt 4 Wochen für 0,99 €", "Sie sind
  bereits Abonnent?"), calls for support ("Unterstütze RosaMag bereits mit 2,50!") and
  newsletter invitations, with the short lines that follow them at the end;
- share lines ("Diese Seite teilen: Facebook X WhatsApp");
- read-on labels ("Das Thema könnte dich auch interessieren:", "## Entdecke weitere
  Homestorys") with the few short teasers under them;
- the site's notices: "Alle Angaben ohne Gewähr", an affiliate disclosure, a login prompt
  for comments, a list's paging status, a lone "Veröffentlicht am 2. Februar 2022";
- consent placeholders of embedded posts ("Wir respektieren deine Privatsphäre und stellen
  deshalb ohne dein Einverständnis keine Verbindung zu Twitter her", "Twitter
  freischalten").

Each rule reads one block's plain text, whole: a sentence of the article that mentions an
error or a subscription is no match.
"""

from __future__ import annotations

import re

from newsroom_tui.text.line_breaks import soft_breaks
from newsroom_tui.text.markdown_links import markdown_links, without_links

BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MARKUP = re.compile(r"[*_`#>|\[\]]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s")

# A block that is only a toggle of a collapsed text (a caption, a teaser): "… more".
TOGGLE_WORDS = (
    r"(?:show |read )?(?:more|less)|mehr|weniger|(?:mehr|weniger) (?:anzeigen|lesen|zeigen)"
)
_TOGGLE = re.compile(rf"[.…\s+−-]*(?:{TOGGLE_WORDS})\s*[.…]*", re.IGNORECASE)
_REPORT_ERROR = re.compile(
    r"(?:report (?:an )?(?:error|typo|correction)|report a (?:correction|typo|mistake)"
    r"|(?:einen )?fehler (?:auf dieser seite |im (?:artikel|text) )?melden"
    r"|fehler gefunden\?(?: fehler melden)?)\s*[.!]?",
    re.IGNORECASE,
)
# No block of furniture is longer (Markdown with link targets): longer ones are not read.
_LONGEST_FURNITURE = 800
_LONGEST_PLAIN = 400  # (a block without links)
_LONGEST_TOGGLE = 30
# Words one of the rules below needs (toggles aside), case-folded: a block without any is
# not read further (substring tests: a regular expression of them all costs more than the rules).
_READ_ON_WORDS = (
    "interess",
    "gefällt",
    "lesen",
    "lies ",
    "mehr zum",
    "weitere",
    "entdecke",
    "also like",
    "related",
    "read also",
    "read next",
)
_TRIGGER_WORDS = (
    *_READ_ON_WORDS, "rror", "correction", "typo", "fehler", "abonn", "weiter", "plus",
    "subscri", "wochen", "monat", "tage ", "unterstütz", "newsletter", "einverständnis",
    "einwilligung", "zustimmung", "einstellungen", "freischalten", "aktivieren", "laden",
    "anzeigen", "extern", "gewähr", "provision", "kommentieren", "angezeigt", "veröffentlich",
    "erstellt", "aktualisiert", "stand", "published", "updated", "posted", "teilen", "share",
)  # fmt: skip


def _has_any(block: str, words: tuple[str, ...]) -> bool:
    folded = block.casefold()
    return any(word in folded for word in words)


# What a script writes when it puts a value where a title belongs.
_SCRIPT_LINK = re.compile(r"\[\s*(?:false|true|null|undefined|nan|\[object object\])\s*\]\(", re.I)
_SCRIPT_VALUES = frozenset({"false", "true", "null", "undefined", "nan", "[object object]"})
# A paywall's teaser: the invitation to read on with a subscription, its price, the login.
_PAYWALL = re.compile(
    r"^(?:lesen sie (?:jetzt )?(?:weiter|mehr) mit\b|(?:jetzt )?weiterlesen mit\b"
    r"|(?:sie sind |schon |bereits )(?:bereits |schon )?(?:plus-)?(?:abonnent|abonnentin|abonniert"
    r"|kunde|kundin)\b|(?:dieser|der) (?:artikel|beitrag) ist (?:nur |exklusiv )?für "
    r"(?:abonnent|plus|digital)|exklusiv für (?:abonnent|plus)"
    r"|subscribe (?:now )?to (?:continue|keep) reading|already a subscriber\b"
    r"|this (?:article|story) is (?:only )?(?:available )?(?:for|to) subscribers"
    r"|unterstütze (?:uns|\w+) (?:bereits |schon )?(?:ab |mit )\d"
    r"|(?:abonniere|abonnieren sie|bestelle|bestellen sie) (?:jetzt )?(?:unseren|den) "
    r"\w*newsletter)"
    r"|\b\d+ (?:wochen|monate?|tage) (?:für (?:nur )?\d+(?:,\d\d)? ?(?:€|euro)|gratis|kostenlos)"
    r"(?=.*\b(?:plus|abo|test|lesen|weiterlesen|digital|zugang))",
    re.IGNORECASE,
)
_PAYWALL_MAX = 300
_NEWSLETTER_LINK = re.compile(r"newsletter\W*$", re.IGNORECASE)
# After a paywall teaser at the end, these short lines are its own (the offer's small print).
_TEASER_TAIL_BLOCKS = 4
_TEASER_TAIL_CHARS = 200
_SHARE_LEAD = re.compile(
    r"^(?:(?:diese[nr]? |den |die )?(?:artikel|beitrag|seite|meldung|story|article|page|post)"
    r" )?(?:teilen|share(?: this(?: article| story| page)?)?)(?: (?:auf|on|via|per|mit))?\s*:?\s*",
    re.IGNORECASE,
)
_SHARE_MAX = 200
# Labels that send the reader to other articles; a heading's section of teasers goes with it
# when it is this many short blocks at most.
_READ_ON = re.compile(
    r"(?:(?:das|dieses) (?:thema )?(?:könnte|dürfte) (?:dich|sie|euch) (?:auch )?(?:noch )?"
    r"interessieren|(?:das )?(?:interessiert|gefällt) (?:dich|sie|ihnen) (?:vielleicht )?auch"
    r"|(?:lesen sie|lies) (?:auch|außerdem|weiter)|auch (?:lesen|interessant)|mehr zum thema"
    r"|weitere (?:artikel|beiträge|meldungen)(?: zum thema)?"
    r"|entdecke(?:n sie)? (?:jetzt|weitere|mehr)(?: [^.!?]{0,40})?"
    r"|(?:you )?(?:might|may) also like|related (?:articles|stories|posts)"
    r"|read (?:also|next))\s*[:!]?",
    re.IGNORECASE,
)
_READ_ON_MAX = 80
_READ_ON_SECTION = 2
# Placeholders for embedded posts and videos: a consent prompt, not the article.
_CONSENT = re.compile(
    r"ohne (?:dein|deine|ihr|ihre) (?:einverständnis|einwilligung|zustimmung) keine verbindung"
    r"|^(?:datenschutzeinstellungen|cookie-einstellungen) (?:verwalten|anpassen|ändern)$"
    r"|^(?:twitter|x|youtube|instagram|facebook|tiktok|vimeo|spotify|podcast|mastodon)"
    r"(?:[- ](?:inhalte?|beitrag|video|post))? (?:freischalten|aktivieren|laden|anzeigen)$"
    r"|^externer? inhalt(?:e)?(?: (?:laden|anzeigen|aktivieren))?$",
    re.IGNORECASE,
)
_CONSENT_MAX = 400
# The site's notices, no part of any article: a disclaimer, an affiliate disclosure, a login
# prompt under the comments, a list's paging status, a label with the date (which the
# page's date holds).
_NOTICE = re.compile(
    r"\(?(?:alle )?angaben ohne gewähr\)?[.!]?"
    r"|für links auf dieser seite erhält .{1,40} (?:ggf\. |gegebenenfalls )?eine provision\b.*"
    r"|(?:um|zum) .{0,80}kommentieren(?: zu können)?,? (?:müssen sie|musst du) (?:sich |dich )?"
    r"(?:eingeloggt|angemeldet|registriert|einloggen|anmelden)(?: sein)?[.!]?"
    r"|es werden die .{1,40} \d+ bis \d+ von (?:insgesamt )?\d+ angezeigt[.!]?"
    r"|(?:veröffentlicht|veröffentlichung|erstellt|aktualisiert|zuletzt aktualisiert|stand"
    r"|published|updated|posted)(?: am| on)?\s*:?\s*(?:\w+, )?\d{1,2}\.\s*(?:\d{1,2}\.|[^\W\d_]+)"
    r"\s*\d{4}(?:,? (?:um )?\d{1,2}[:.]\d{2}(?: uhr)?)?",
    re.IGNORECASE,
)
_NOTICE_MAX = 250


def plain_text(block: str) -> str:
    """A block's text as a reader sees it: link text without targets, no Markdown marks."""
    return " ".join(_MARKUP.sub(" ", _LINK_TARGET.sub("]", soft_breaks(block))).split())


def _is_toggle(text: str) -> bool:
    return bool(text) and _TOGGLE.fullmatch(text) is not None


def _is_report_error(text: str) -> bool:
    return _REPORT_ERROR.fullmatch(text) is not None


def _script_value_items(block: str) -> tuple[str, bool]:
    """``block`` without its list items (or the block itself, when it is one line) that are
    only links whose text is a script's value; and whether any went."""
    lines = block.split("\n")
    kept = [line for line in lines if not _only_script_links(line)]
    return "\n".join(kept), len(kept) != len(lines)


def _only_script_links(line: str) -> bool:
    links = list(markdown_links(line))
    if not links or not all(
        " ".join(link.text.split()).casefold() in _SCRIPT_VALUES for link in links
    ):
        return False
    return not plain_text(without_links(_LIST_ITEM.sub("", line, count=1))).strip(" ,;|·•-")


def _is_paywall(block: str, text: str) -> bool:
    """A paywall's or a newsletter's invitation (a short block whose link is the
    newsletter counts too)."""
    if len(text) > _PAYWALL_MAX:
        return False
    return _PAYWALL.search(text) is not None or (
        len(text) <= _TEASER_TAIL_CHARS
        and any(_NEWSLETTER_LINK.search(link.text) for link in markdown_links(block))
    )


def _is_share_line(block: str, text: str) -> bool:
    """A call to share the page: its lead ("Artikel teilen:") and then only link labels."""
    if len(text) > _SHARE_MAX:
        return False
    lead = _SHARE_LEAD.match(text)
    if lead is None or not lead.group().strip():
        return False
    rest = text[lead.end() :].strip()
    if not rest:
        return True
    labels = " ".join(" ".join(link.text.split()) for link in markdown_links(block))
    return bool(labels) and len(labels) >= len(rest) * 0.8


def _is_read_on(block: str) -> bool:
    """A label that sends the reader elsewhere ("Das könnte dich auch interessieren:",
    "Auch lesen: [another article]"): the label, then nothing but links."""
    if not _has_any(block, _READ_ON_WORDS):
        return False
    label = plain_text(without_links(block))
    return len(label) <= _READ_ON_MAX and _READ_ON.fullmatch(label) is not None


def _is_notice(text: str) -> bool:
    return len(text) <= _NOTICE_MAX and _NOTICE.fullmatch(text) is not None


def _is_consent_placeholder(text: str) -> bool:
    """What a page shows instead of an embedded post or video until the reader agrees."""
    return len(text) <= _CONSENT_MAX and _CONSENT.search(text) is not None


def _is_link_line(block: str) -> bool:
    return bool(list(markdown_links(block))) and not plain_text(without_links(block)).strip(
        " ,;|·•-"
    )


def _heading_level(block: str) -> int | None:
    match = HEADING.match(block)
    return len(block.lstrip().split(" ", 1)[0]) if match else None


def _without_orphan_headings(blocks: list[str | None]) -> list[str]:
    """The kept blocks (None: taken out), less headings whose section held only blocks
    that were taken out."""
    result: list[str] = []
    for i, block in enumerate(blocks):
        if block is None:
            continue
        level = _heading_level(block)
        if level is not None:
            section = []
            for later in blocks[i + 1 :]:
                later_level = _heading_level(later) if later is not None else None
                if later_level is not None and later_level <= level:
                    break
                section.append(later)
            if section and all(b is None for b in section):
                continue
        result.append(block)
    return result


def _drop_read_on(blocks: list[str], out: list[str | None], candidates: list[int]) -> None:
    """Take out read-on labels (in ``out``; ``candidates``: the blocks that may be one): a
    heading with its section when that is a few short blocks (the teasers), else the
    heading alone; a plain label with a line of links after it."""
    for i in candidates:
        block = blocks[i]
        if out[i] is None or not _is_read_on(block):
            continue
        out[i] = None
        level = _heading_level(block)
        section: list[int] = []
        for j in range(i + 1, len(blocks)):
            later = _heading_level(blocks[j])
            if level is None or (later is not None and later <= level):
                break
            section.append(j)
        if level is None:
            if i + 1 < len(blocks) and _is_link_line(blocks[i + 1]):
                out[i + 1] = None
        elif len(section) <= _READ_ON_SECTION and all(
            _heading_level(blocks[j]) is None and len(plain_text(blocks[j])) <= _TEASER_TAIL_CHARS
            for j in section
        ):
            for j in section:
                out[j] = None


def drop_body_furniture(markdown: str) -> str:
    """``markdown`` without toggles, report-an-error links, script-value link lists,
    paywall teasers and share lines (see the module's description); other blocks stay as
    they are, and a body that would be left empty is returned whole."""
    blocks = BLOCK_SPLIT.split(markdown)
    out: list[str | None] = []
    changed = False
    paywall_at: int | None = None
    scripted = _SCRIPT_LINK.search(markdown) is not None
    read_on: list[int] = []
    for block in blocks:
        if scripted and _SCRIPT_LINK.search(block) is not None:
            kept, dropped = _script_value_items(block)
            if dropped:
                changed = True
                out.append(kept if plain_text(kept) else None)
                continue
        longest = _LONGEST_FURNITURE if "](" in block else _LONGEST_PLAIN
        if len(block) > longest or (
            len(block) > _LONGEST_TOGGLE and not _has_any(block, _TRIGGER_WORDS)
        ):
            out.append(block)  # (the common case: a paragraph of the article)
            continue
        read_on.append(len(out))
        text = plain_text(block)
        paywall = _is_paywall(block, text)
        if paywall and paywall_at is None:
            paywall_at = len(out)
        if (
            paywall
            or _is_toggle(text)
            or _is_report_error(text)
            or _is_consent_placeholder(text)
            or _is_notice(text)
            or _is_share_line(block, text)
        ):
            out.append(None)
            changed = True
            continue
        out.append(block)
    before = sum(b is None for b in out)
    _drop_read_on(blocks, out, read_on)
    changed |= sum(b is None for b in out) != before
    if paywall_at is not None:
        rest = [b for b in out[paywall_at + 1 :] if b is not None]
        if len(rest) <= _TEASER_TAIL_BLOCKS and all(
            len(plain_text(b)) <= _TEASER_TAIL_CHARS for b in rest
        ):
            out[paywall_at + 1 :] = [None] * (len(out) - paywall_at - 1)
    if not changed:
        return markdown
    kept_blocks = _without_orphan_headings(out)
    return "\n\n".join(kept_blocks) if kept_blocks else markdown
