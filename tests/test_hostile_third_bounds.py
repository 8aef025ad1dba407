"""Issue #24, unbounded work: Markdown full of brackets. An 80 KB page of "![" 40,000 times
took 32 s in `newsroom extract` (a regex that read the rest of the text once per bracket), and
`extract` had no deadline; a body of 480,000 "[" froze the reader's `j` for 8.6 s (the whole
body went to the Markdown parser at once, which costs tens of µs per bracket).

No timed assertions: the work is bounded by counts (regex scans, chunk sizes) and by the
deadline the code enforces."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.cli import main
from newsroom_tui.extract import agreement
from newsroom_tui.ingest import worker_pool
from newsroom_tui.text import markdown_chunks as chunking
from newsroom_tui.text import markdown_links
from newsroom_tui.text.markdown_chunks import markdown_chunks
from newsroom_tui.text.markdown_links import TITLED_TARGET, without_links
from newsroom_tui.text.markdown_links import markdown_links as find_links

# What agreement.py matched before (quadratic on brackets without a "]" after them).
OLD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
OLD_TARGET = re.compile(r"\]\(((?:[^()\s]|\([^()\s]*\))*)\)")

BRACKETS = st.text(alphabet="[]()! ab\n", max_size=60)


@given(BRACKETS)
def test_links_are_what_the_regex_found(text: str) -> None:
    found = [(link.start, link.end, link.text) for link in find_links(text)]
    assert found == [(m.start(), m.end(), m.group(1)) for m in OLD_LINK.finditer(text)]
    targets = [link.target for link in find_links(text)]
    assert targets == [OLD_TARGET.search(m.group(0)).group(1) for m in OLD_LINK.finditer(text)]  # type: ignore[union-attr]
    assert without_links(text) == OLD_LINK.sub("", text)


OLD_READER_LINK = re.compile(r"\[([^\]]*)\]\((\S+?)(?:\s+\"[^\"]*\")?\)")


@given(st.text(alphabet='[]()! "ab\n', max_size=60))
def test_the_readers_links_are_what_its_regex_found(text: str) -> None:
    found = [(link.start, link.target, link.text) for link in find_links(text, TITLED_TARGET)]
    assert found == [(m.start(), m.group(2), m.group(1)) for m in OLD_READER_LINK.finditer(text)]


class CountingPattern:
    """A compiled pattern that counts its scans and the characters they start before."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scans = 0

    def match(self, text: str, pos: int = 0) -> Any:
        self.scans += 1
        return self.pattern.match(text, pos)


@pytest.mark.parametrize(
    "block",
    [
        "![" * 200_000,  # 400,000 characters, no "]" at all
        "[" * 399_999 + "]",
        "![x](" * 80_000,
        "[Stadt Herne](https://www.herne.de) " * 11_000,
    ],
    ids=["image-brackets", "one-close-at-the-end", "open-targets", "real-links"],
)
def test_link_shares_scan_once_per_closing_bracket(
    block: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = CountingPattern(markdown_links._TARGET)
    monkeypatch.setattr(markdown_links, "_TARGET", counter)
    share = agreement._link_share(block)
    agreement._leads_out([block, "[Quelle](https://www.wdr.de) [Foto](https://www.dpa.de)"], None)
    assert 0.0 <= share <= 1.0
    assert counter.scans <= 2 * (block.count("]") + 2)  # each call reads each "]" at most once


def test_the_real_links_still_count() -> None:
    block = "Mehr bei [Stadt Herne](https://www.herne.de) und [WDR](https://www.wdr.de)."
    text = agreement._plain(block)
    assert agreement._link_share(block) == pytest.approx((11 + 3) / len(text))


def test_the_readers_link_list_scans_once_per_closing_bracket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import UTC, datetime

    from newsroom_tui.models import Article
    from newsroom_tui.ui.widgets import article_pane

    counter = CountingPattern(TITLED_TARGET)
    monkeypatch.setattr(article_pane, "TITLED_TARGET", counter)
    body = "[Stadt Herne](https://www.herne.de) " + "[" * 479_000 + "]" * 1_000
    when = datetime(2026, 12, 1, tzinfo=UTC)
    article = Article(1, 1, "Stadt Herne", None, "Klammern", when, False, body_markdown=body)
    assert article_pane.article_links(article) == [("Stadt Herne", "https://www.herne.de")]
    assert counter.scans <= body.count("]") + 1


# extract: the poll's deadline ---------------------------------------------------------------


def bracket_page() -> str:
    body = "<p>" + "![" * 40_000 + "</p>"
    return (
        "<html><head><title>Stadt Herne: Baustellen</title></head><body><article>"
        "<h1>Baustellen in Herne</h1><p>Die Stadt Herne informiert über Baustellen.</p>"
        f"{body}</article></body></html>"
    )


def test_extract_of_a_bracket_page_gives_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "baustellen.html"
    page.write_text(bracket_page(), "utf-8")
    assert main(["extract", str(page)]) == 0
    assert "Die Stadt Herne informiert über Baustellen." in capsys.readouterr().out


def test_extract_has_the_polls_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "baustellen.html"
    page.write_text(bracket_page(), "utf-8")
    monkeypatch.setattr(worker_pool, "WORK_DEADLINE", 0.001)  # any extraction runs over this
    assert main(["extract", str(page)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsroom: ") and "took longer than" in err
    assert err.count("\n") == 1


# The reader: what goes to the Markdown parser at once -----------------------------------------


@pytest.mark.parametrize(
    "body",
    ["[" * 480_000, "![" * 240_000, "<" * 480_000, "Straßenbau in Herne. " * 30_000],
    ids=["brackets", "image-brackets", "angles", "one-long-paragraph"],
)
def test_no_chunk_is_too_long_or_too_full_of_markup(body: str) -> None:
    chunks = markdown_chunks(body)
    assert all(len(chunk) <= chunking.CHUNK_CHARS for chunk in chunks)
    assert all(chunking.markup_count(chunk) <= chunking.CHUNK_MARKUP for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(body.split())  # all of the text


def test_ordinary_articles_are_chunked_at_their_blocks_as_before() -> None:
    text = "\n\n".join(
        f"Absatz {i}: Die [Stadt Herne](https://www.herne.de/{i}) baut um." for i in range(300)
    )
    chunks = markdown_chunks(text)
    assert len(chunks) > 1
    assert "\n\n".join(chunks) == text
