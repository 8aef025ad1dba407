"""A small HTML to Markdown converter over lxml, and the final tidy-up of Markdown text."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

from newsroom_tui.text.line_breaks import HARD_BREAK, soft_breaks

_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe",
        "svg", "button", "input", "select", "option", "textarea", "label",
        "img", "picture", "source", "video", "audio", "canvas", "object", "embed", "map", "area",
    }
)  # fmt: skip
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "address",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
        "figure", "figcaption", "dl", "dt", "dd", "hr", "fieldset", "details", "summary",
        "center", "body", "html", "caption", "tbody", "thead", "tfoot", "tr", "td", "th",
    }
)  # fmt: skip
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`", "kbd": "`"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MULTI_SPACE = re.compile(r"(?<=\S) {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
_UNSAFE_LINK = re.compile(r"^\s*(?:javascript|data|vbscript):", re.IGNORECASE)


def _ws(text: str | None) -> str:
    return _SPACE.sub(" ", text) if text else ""


def _clean_inline(text: str) -> str:
    """Inline text with its spaces folded; each ``<br>`` (a newline here) a hard line break."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return HARD_BREAK.join(line for line in lines if line)


def _wrap(text: str, mark: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{mark}{stripped}{mark}{trail}"


class _Converter:
    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url

    # -- blocks ---------------------------------------------------------------------------
    def blocks(self, el: HtmlElement) -> list[str]:
        """Render the children of ``el`` as a list of Markdown blocks."""
        out: list[str] = []
        buf: list[str] = [_ws(el.text)]

        def flush() -> None:
            text = _clean_inline("".join(buf))
            if text:
                out.append(text)
            buf.clear()

        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP:
                if tag in _BLOCK:
                    flush()
                    out.extend(self.block(child))
                else:
                    buf.append(self.inline(child))
            buf.append(_ws(child.tail))
        flush()
        return out

    def block(self, el: HtmlElement) -> list[str]:
        tag = el.tag
        if tag in _HEADINGS:
            text = self.flat(el)
            return [f"{'#' * _HEADINGS[tag]} {text}"] if text else []
        if tag in ("ul", "ol"):
            text = self.list_block(el, ordered=tag == "ol")
            return [text] if text else []
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(el))
            return [quote(inner)] if inner else []
        if tag == "pre":
            code = el.text_content().strip("\n")
            return [f"```\n{code}\n```"] if code.strip() else []
        if tag == "table":
            return self.table(el)
        if tag == "hr":
            return ["---"]
        if tag == "dt":
            text = self.flat(el)
            return [f"**{text}**"] if text else []
        return self.blocks(el)

    def flat(self, el: HtmlElement) -> str:
        """The content of ``el`` on one line."""
        return " ".join(soft_breaks(" ".join(self.blocks(el))).split())

    def list_block(self, el: HtmlElement, ordered: bool) -> str:
        lines: list[str] = []
        try:
            number = int(el.get("start") or 1)
        except ValueError:
            number = 1
        for li in el:
            if li.tag in ("ul", "ol"):  # a nested list straight in a list: invalid but common
                nested = self.list_block(li, ordered=li.tag == "ol")
                lines.extend(f"  {line}" if line else "" for line in nested.split("\n"))
                continue
            if li.tag != "li":
                continue
            text = "\n".join(self.blocks(li))
            if not text.strip():
                continue
            marker = f"{number}." if ordered else "-"
            number += 1
            first, *rest = text.split("\n")
            lines.append(f"{marker} {first}")
            indent = " " * (len(marker) + 1)
            lines.extend(f"{indent}{line}" if line else "" for line in rest)
        return "\n".join(lines)

    def table(self, el: HtmlElement) -> list[str]:
        # Rows of this table only (not of tables nested in its cells); each cell is rendered
        # exactly once, so nested tables stay linear.
        trs = [child for child in el if child.tag == "tr"]
        for section in el:
            if section.tag in ("thead", "tbody", "tfoot"):
                trs += [child for child in section if child.tag == "tr"]
        cells = [[cell for cell in tr if cell.tag in ("td", "th")] for tr in trs]
        width = max((len(row) for row in cells), default=0)
        caption = el.find("caption")
        head = self.blocks(caption) if caption is not None else []
        if width <= 1:  # a layout table: its cells are just blocks
            return head + [block for row in cells for cell in row for block in self.blocks(cell)]
        rows = [[self.flat(cell).replace("|", "\\|") for cell in row] for row in cells]
        rows = [row + [""] * (width - len(row)) for row in rows if any(row)]
        if not rows:
            return head
        lines = [f"| {' | '.join(rows[0])} |", f"|{' --- |' * width}"]
        lines += [f"| {' | '.join(row)} |" for row in rows[1:]]
        return [*head, "\n".join(lines)]

    # -- inline ---------------------------------------------------------------------------
    def inline(self, el: HtmlElement) -> str:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return ""
        if tag == "br":
            return "\n"
        if tag == "math":
            return math_text(el)
        text = _ws(el.text)
        for child in el:
            text += self.inline(child) + _ws(child.tail)
        if tag in _BLOCK:
            return f" {text} "
        if tag in _EMPHASIS:
            return _wrap(text, _EMPHASIS[tag])
        if tag == "a":
            return self.link(el, text)
        return text

    def link(self, el: HtmlElement, text: str) -> str:
        href = (el.get("href") or "").strip()
        label = " ".join(text.split())
        if not label or not href or href.startswith("#") or _UNSAFE_LINK.match(href):
            return text
        if self.base_url and not href.startswith(("https://", "http://")):
            href = urljoin(self.base_url, href)
        href = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        label = label.replace("[", "\\[").replace("]", "\\]")
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        return f"{lead}[{label}]({href}){trail}"


def math_text(el: HtmlElement) -> str:
    """MathML as plain text: its ``alttext`` (often TeX) if given, else its symbols in order
    ("a ≠ 0"); annotations (TeX source kept for other renderers) are left out."""
    alt = " ".join((el.get("alttext") or "").split())
    if alt:
        return f" {alt} "
    symbols: list[str] = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in ("annotation", "annotation-xml"):
            continue
        if len(node) == 0 and node.text and node.text.strip():
            symbols.append(node.text.strip())
    return f" {' '.join(symbols)} " if symbols else ""


def quote(text: str) -> str:
    """Prefix every line with the Markdown blockquote marker."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def html_to_markdown(el: HtmlElement, base_url: str | None = None) -> str:
    """Markdown for the content of ``el``: headings, paragraphs, lists, links, emphasis,
    blockquotes, code and simple tables. Images are left out (they belong to the gallery)."""
    converter = _Converter(base_url)
    blocks = converter.block(el) if el.tag in _BLOCK else converter.blocks(el)
    return tidy_markdown("\n\n".join(blocks))


def markdown_blocks(el: HtmlElement, base_url: str | None = None) -> list[str]:
    """The content of ``el`` as separate Markdown blocks (paragraphs, headings, lists…)."""
    return _Converter(base_url).blocks(el)


def tidy_markdown(text: str) -> str:
    """Clean Markdown text: leftover entities decoded, non-breaking and odd spaces folded,
    trailing spaces dropped, at most one blank line between blocks."""
    if not text:
        return ""
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    lines: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        lines.append(line.rstrip() if fenced else _MULTI_SPACE.sub(" ", line).rstrip())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
