"""Page furniture that survives inside an article's text, taken out block by block.

The finder and trafilatura keep what sits in the text column; some of it is no text a
reader wants:

- collapse toggles left as blocks of their own ("more", "less", "Mehr anzeigen");
- links to report an error ("Report Error", "Fehler auf dieser Seite melden");
- links whose text is a script's value, not words (``false``, ``null``: a video rail drawn
  by script), and the heading over them when nothing else is left under it ("Top Video");
- paywall teasers ("Lesen Sie weiter mit … PLUS – jetzt 4 Wochen für 0,99 €", "Sie sind
  bereits Abonnent?") with the short lines that follow them at the end;
- share lines ("Diese Seite teilen: Facebook X WhatsApp").

Each rule reads one block's plain text, whole: a sentence of the article that mentions an
error or a subscription is no match.
"""

from __future__ import annotations

import re

from newsroom_tui.text.markdown_links import markdown_links, without_links

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MARKUP = re.compile(r"[*_`#>|\[\]]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s")

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
# What a script writes when it puts a value where a title belongs.
_SCRIPT_VALUES = frozenset({"false", "true", "null", "undefined", "nan", "[object object]"})
# A paywall's teaser: the invitation to read on with a subscription, its price, the login.
_PAYWALL = re.compile(
    r"^(?:lesen sie (?:jetzt )?(?:weiter|mehr) mit\b|(?:jetzt )?weiterlesen mit\b"
    r"|(?:sie sind |schon |bereits )(?:bereits |schon )?(?:plus-)?(?:abonnent|abonnentin|abonniert"
    r"|kunde|kundin)\b|(?:dieser|der) (?:artikel|beitrag) ist (?:nur |exklusiv )?für "
    r"(?:abonnent|plus|digital)|exklusiv für (?:abonnent|plus)"
    r"|subscribe (?:now )?to (?:continue|keep) reading|already a subscriber\b"
    r"|this (?:article|story) is (?:only )?(?:available )?(?:for|to) subscribers)"
    r"|\b\d+ (?:wochen|monate?|tage) (?:für (?:nur )?\d+(?:,\d\d)? ?(?:€|euro)|gratis|kostenlos)"
    r"(?=.*\b(?:plus|abo|test|lesen|weiterlesen|digital|zugang))",
    re.IGNORECASE,
)
_PAYWALL_MAX = 300
# After a paywall teaser at the end, these short lines are its own (the offer's small print).
_TEASER_TAIL_BLOCKS = 4
_TEASER_TAIL_CHARS = 200
_SHARE_LEAD = re.compile(
    r"^(?:(?:diese[nr]? |den |die )?(?:artikel|beitrag|seite|meldung|story|article|page|post)"
    r" )?(?:teilen|share(?: this(?: article| story| page)?)?)(?: (?:auf|on|via|per|mit))?\s*:?\s*",
    re.IGNORECASE,
)
_SHARE_MAX = 200


def plain_text(block: str) -> str:
    """A block's text as a reader sees it: link text without targets, no Markdown marks."""
    return " ".join(_MARKUP.sub(" ", _LINK_TARGET.sub("]", block)).split())


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


def _is_paywall(text: str) -> bool:
    return len(text) <= _PAYWALL_MAX and _PAYWALL.search(text) is not None


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


def _heading_level(block: str) -> int | None:
    match = _HEADING.match(block)
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


def drop_body_furniture(markdown: str) -> str:
    """``markdown`` without toggles, report-an-error links, script-value link lists,
    paywall teasers and share lines (see the module's description); other blocks stay as
    they are, and a body that would be left empty is returned whole."""
    blocks = _BLOCK_SPLIT.split(markdown)
    out: list[str | None] = []
    changed = False
    paywall_at: int | None = None
    for block in blocks:
        text = plain_text(block)
        if _is_paywall(text) and paywall_at is None:
            paywall_at = len(out)
        if _is_toggle(text) or _is_report_error(text) or _is_paywall(text):
            out.append(None)
            changed = True
            continue
        if _is_share_line(block, text):
            out.append(None)
            changed = True
            continue
        kept, dropped = _script_value_items(block)
        if dropped:
            changed = True
            out.append(kept if plain_text(kept) else None)
            continue
        out.append(block)
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
