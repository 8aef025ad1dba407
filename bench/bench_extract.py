"""Extraction quality and speed on two corpora, ours and trafilatura alone in one run.

    python bench/bench_extract.py [--readability DIR] [--trafilatura-de DIR] [--case NAME ...]
                                  [--repeat N] [--no-write] [--json FILE] [--quiet]

Every page goes through ``extract_page`` (page bytes in, as fetched) and, as the baseline,
through plain ``trafilatura.extract(text, output_format="txt")`` on the same decoded text.

- Readability corpus (130 cases): body scored against ``expected.txt`` by token overlap.
  Markdown syntax is stripped from our output (link targets, heading/list/quote/table markers),
  both texts are case-folded and split into Unicode letter/digit runs (``[^\\W_]+``); CJK
  ideographs, kana and other scripts written without spaces count one token per character.
  Bag-of-tokens (multiset) precision = common / ours, recall = common / expected, F1 their
  harmonic mean; the corpus figure is the mean over pages.
- trafilatura-de corpus (526 pages of trafilatura's evaluation data): scored as trafilatura's
  own evaluation does. A ``with`` snippet found in the body is a true positive, missing a false
  negative; a ``without`` snippet found is a false positive; precision, recall and F1 from the
  counts summed over the pages. Texts compared as whitespace-folded plain text: Markdown syntax
  removed from our output (link targets and brackets, emphasis, line markers, table pipes),
  the same removal applied to the snippets and to trafilatura's text.

Halves (against tuning to the corpus): a page is in the **dev** half when the first byte of
``sha1(name)`` is even, else **held-out** (name: the case folder of the Readability corpus,
the page's file name in trafilatura-de). Extraction was developed looking at dev pages only;
both halves are reported. "Keeps less than half": a page where our recall (token recall;
``with`` snippets found) is below half of trafilatura's.

Speed: ``extract_page(bytes, url)`` (decoding included) and trafilatura on the decoded text,
each best of ``--repeat`` passes per page, interleaved in one process, in CPU time of the
process (other jobs on a shared machine do not count); pages/s = pages / summed time. The
issue's goal, 40 pages/s where trafilatura makes 47 on its machine, is judged as a ratio in the
same run: ours / trafilatura's pages/s >= 0.85 (40 / 47). The figures go to the "extraction"
section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import machine, write_section

from newsroom_tui.extract import decode_html, extract_page

READABILITY = Path("/work/shared/corpus/readability")
TRAFILATURA_DE = Path("/work/shared/corpus/trafilatura-de")
GOAL_READABILITY_F1 = 0.985
GOAL_DE_F1 = 0.95  # issue #29 (0.94 before)
GOAL_PAGES_PER_SECOND = 40.0
# 40 pages/s where trafilatura alone makes 47 (the machine): judged as this ratio of
# trafilatura's pages/s in the same run, since the machine here is slower.
GOAL_SPEED_RATIO = 0.85
HALVES = ("dev", "held-out")
BOTTOM = 6

# Scripts written without spaces between words: Han, kana, Thai, Lao, Khmer, Myanmar.
_NO_SPACE_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f]"
)
_TOKEN = re.compile(r"[^\W_]+")
_MD_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_LINE_MARKERS = re.compile(r"^(?:\s*>)*\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?", re.MULTILINE)
_MD_FENCE = re.compile(r"^\s*```.*$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_MD_HARD_BREAK = re.compile(r"\\$", re.MULTILINE)
_MD_INLINE = re.compile(r"[*`\[\]]|(?<!\w)_+|_+(?!\w)")
_MD_TABLE = re.compile(r"^\s*\|?[-:| ]+\|[-:| ]*$|\|", re.MULTILINE)


def half(name: str) -> str:
    """The fixed half of a page: dev when sha1(name)'s first byte is even."""
    return HALVES[hashlib.sha1(name.encode("utf-8")).digest()[0] % 2]


def strip_markdown(text: str) -> str:
    """Markdown as the plain text a reader sees: no link targets, no line markers, no
    backslash of a hard line break."""
    text = _MD_LINK_TARGET.sub("]", text)
    text = _MD_FENCE.sub("", text)
    text = _MD_LINE_MARKERS.sub("", _MD_HARD_BREAK.sub("", text))
    return _MD_ESCAPE.sub(r"\1", text)


def plain(text: str) -> str:
    """Whitespace-folded plain text: Markdown syntax removed (brackets, emphasis, pipes)."""
    return " ".join(_MD_INLINE.sub("", _MD_TABLE.sub(" ", strip_markdown(text))).split())


def tokens(text: str) -> Counter[str]:
    """Case-folded word tokens; one token per character in scripts without spaces."""
    spaced = _NO_SPACE_SCRIPTS.sub(lambda m: f" {m.group()} ", text.casefold())
    return Counter(_TOKEN.findall(spaced))


@dataclass
class Score:
    precision: float
    recall: float
    f1: float


def _prf(tp: float, fn: float, fp: float) -> Score:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def overlap(ours: Counter[str], expected: Counter[str]) -> Score:
    common = sum((ours & expected).values())
    n_ours, n_expected = sum(ours.values()), sum(expected.values())
    if not n_ours and not n_expected:
        return Score(1.0, 1.0, 1.0)
    return _prf(common, n_expected - common, n_ours - common)


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def _short(text: str, limit: int = 70) -> str:
    text = fold(text)
    return text[: limit - 1] + "…" if len(text) > limit else text


@dataclass
class Side:
    """One extractor's result on one page."""

    seconds: float
    score: Score  # Readability: token P/R/F1; trafilatura-de: of this page's snippets
    tp: int = 0
    fn: int = 0
    fp: int = 0
    missing: list[str] = field(default_factory=list)  # expected text / snippets not kept
    unwanted: list[str] = field(default_factory=list)  # extra text / unwanted snippets kept


@dataclass
class Page:
    corpus: str
    name: str
    half: str
    ours: Side
    base: Side
    title_exact: bool | None = None


def _best_time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = run()
        best = min(best, time.process_time() - start)
    return best, result


def _both(data: bytes, url: str, repeat: int) -> tuple[float, object, float, str]:
    seconds, page = _best_time(lambda: extract_page(data, url=url), repeat)
    text = decode_html(data)
    base_seconds, base = _best_time(lambda: trafilatura.extract(text, output_format="txt"), repeat)
    return seconds, page, base_seconds, str(base or "")


def _sample_lines(lines: list[str], other: Counter[str]) -> str:
    """The line with the most tokens not matched in ``other`` (a hint for the report)."""
    remaining = other.copy()
    best, best_missing = "", 0
    for line in lines:
        toks = tokens(line)
        missing = sum((toks - remaining).values())
        remaining -= toks
        if missing > best_missing:
            best, best_missing = line, missing
    return _short(best) if best_missing else ""


def _readability_side(seconds: float, text: str, expected_text: str) -> Side:
    expected = tokens(expected_text)
    ours = tokens(text)
    side = Side(seconds, overlap(ours, expected))
    side.missing = [m for m in [_sample_lines(expected_text.split("\n"), ours)] if m]
    side.unwanted = [m for m in [_sample_lines(text.split("\n"), expected)] if m]
    return side


def run_readability(folder: Path, repeat: int) -> Page:
    data = (folder / "source.html").read_bytes()
    expected_text = (folder / "expected.txt").read_text("utf-8")
    meta = json.loads((folder / "expected-metadata.json").read_text("utf-8"))
    seconds, page, base_seconds, base = _both(data, f"http://fakehost/{folder.name}/", repeat)
    body = strip_markdown(page.body_markdown)  # type: ignore[attr-defined]
    return Page(
        corpus="readability",
        name=folder.name,
        half=half(folder.name),
        ours=_readability_side(seconds, body, expected_text),
        base=_readability_side(base_seconds, base, expected_text),
        title_exact=fold(page.title) == fold(meta.get("title")),  # type: ignore[attr-defined]
    )


def _snippet_side(seconds: float, text: str, wanted: list[str], unwanted: list[str]) -> Side:
    body = plain(text)
    found = [s for s in wanted if plain(s) in body]
    kept = [s for s in unwanted if plain(s) in body]
    side = Side(seconds, _prf(len(found), len(wanted) - len(found), len(kept)))
    side.tp, side.fn, side.fp = len(found), len(wanted) - len(found), len(kept)
    side.missing = [_short(s) for s in wanted if s not in found]
    side.unwanted = [_short(s) for s in kept]
    return side


def run_snippets(corpus: Path, url: str, item: dict[str, object], repeat: int) -> Page:
    name = str(item["file"])
    data = (corpus / "pages" / name).read_bytes()
    wanted, unwanted = list(item["with"]), list(item["without"])  # type: ignore[call-overload]
    seconds, page, base_seconds, base = _both(data, url, repeat)
    body = page.body_markdown  # type: ignore[attr-defined]
    return Page(
        corpus="trafilatura-de",
        name=name,
        half=half(name),
        ours=_snippet_side(seconds, body, wanted, unwanted),
        base=_snippet_side(base_seconds, base, wanted, unwanted),
    )


def corpus_score(pages: list[Page], side: str) -> Score:
    sides = [getattr(p, side) for p in pages]
    if pages and pages[0].corpus == "readability":
        return Score(
            statistics.fmean(s.score.precision for s in sides),
            statistics.fmean(s.score.recall for s in sides),
            statistics.fmean(s.score.f1 for s in sides),
        )
    return _prf(sum(s.tp for s in sides), sum(s.fn for s in sides), sum(s.fp for s in sides))


def keeps_too_little(page: Page) -> bool:
    """Our recall below half of trafilatura's on this page."""
    return page.ours.score.recall < page.base.score.recall * 0.5


def pages_per_second(pages: list[Page], side: str) -> float:
    total = sum(getattr(p, side).seconds for p in pages)
    return len(pages) / total if total else 0.0


def _errors(side: Side) -> float:
    return side.fn + side.fp if side.tp + side.fn + side.fp else 1.0 - side.score.f1


def _why(page: Page) -> str:
    note = NOTES.get(page.name)
    if note:
        return note
    parts = []
    if page.ours.missing:
        parts.append("missing “" + "”, “".join(page.ours.missing[:2]) + "”")
    if page.ours.unwanted:
        parts.append("kept “" + "”, “".join(page.ours.unwanted[:2]) + "”")
    return "; ".join(parts).replace("|", "/") or "-"


def _verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def _table(title: str, rows: Iterable[tuple[str, list[Page]]]) -> list[str]:
    lines = [
        f"| {title} | Pages | newsroom P / R / **F1** | trafilatura P / R / F1 "
        "| newsroom pages/s | trafilatura pages/s |",
        "|---|---:|---|---|---:|---:|",
    ]
    for label, pages in rows:
        ours, base = corpus_score(pages, "ours"), corpus_score(pages, "base")
        lines.append(
            f"| {label} | {len(pages)} | {ours.precision:.3f} / {ours.recall:.3f} / "
            f"**{ours.f1:.3f}** | {base.precision:.3f} / {base.recall:.3f} / {base.f1:.3f} "
            f"| {pages_per_second(pages, 'ours'):.1f} | {pages_per_second(pages, 'base'):.1f} |"
        )
    return lines


def _worst(pages: list[Page]) -> list[str]:
    lines = [
        "| Page | Half | newsroom | trafilatura | Why (newsroom) |",
        "|---|---|---:|---:|---|",
    ]
    snippets = pages[0].corpus != "readability"

    def figure(side: Side) -> str:
        return f"{side.tp}/{side.fn}/{side.fp}" if snippets else f"{side.score.f1:.3f}"

    worst = sorted(pages, key=lambda p: (-_errors(p.ours), p.ours.score.f1, p.name))[:BOTTOM]
    for page in worst:
        lines.append(
            f"| {page.name} | {page.half} | {figure(page.ours)} | {figure(page.base)} "
            f"| {_why(page)} |"
        )
    return lines


def summarise(
    pages: list[Page], command: str, repeat: int, load: tuple[float, ...] = ()
) -> tuple[str, bool]:
    by_corpus = {c: [p for p in pages if p.corpus == c] for c in ("readability", "trafilatura-de")}
    lines = [
        "## Article extraction",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`.",
        "",
        f"- Machine: {machine()}; load average before / after the run "
        f"{' / '.join(f'{v:.1f}' for v in load)}; other engineers' jobs share the CPU, so "
        "compare the two columns of one run, not runs.",
        "- Corpora: `readability` (Mozilla Readability's test pages: English, German, French, "
        "Chinese, Arabic…; token P/R/F1 of the body against `expected.txt`, mean over pages) "
        "and `trafilatura-de` (German pages of trafilatura's evaluation data; `with` snippets "
        "found = TP, missing = FN, `without` snippets found = FP, summed over pages), both in "
        "`/work/shared/corpus/`. Plain text: Markdown syntax removed, whitespace folded.",
        "- Halves: **dev** = first byte of `sha1(page name)` even, **held-out** = odd. The "
        "extraction was developed on dev pages only.",
        f'- trafilatura alone: `trafilatura.extract(text, output_format="txt")` '
        f"(trafilatura {trafilatura.__version__}, defaults) on the same decoded text.",
        f"- Speed: CPU time of the process, best of {repeat} per page, both extractors "
        "interleaved in one process; pages/s = pages / summed time. The issue's 40 pages/s "
        "(where trafilatura alone makes 47) is judged as the ratio in the same run: ours ≥ "
        f"{GOAL_SPEED_RATIO}× trafilatura's pages/s (this machine is slower in absolute terms).",
        "",
    ]
    met = True
    for corpus, cpages in by_corpus.items():
        if not cpages:
            continue
        goal = GOAL_READABILITY_F1 if corpus == "readability" else GOAL_DE_F1
        halves = [(h, [p for p in cpages if p.half == h]) for h in HALVES]
        lines += _table(corpus, [*halves, ("all", cpages)])
        lines.append("")
        goals = []
        for label, hpages in halves:
            if not hpages:
                continue
            ours, base = corpus_score(hpages, "ours").f1, corpus_score(hpages, "base").f1
            ok = ours >= goal and ours >= base
            met &= ok
            goals.append(f"{label} F1 ≥ {goal} and ≥ trafilatura → {_verdict(ok)}")
        too_little = [p.name for p in cpages if keeps_too_little(p)]
        met &= not too_little
        speed = pages_per_second(cpages, "ours")
        goals.append(
            "no page keeping less than half of what trafilatura keeps → "
            + (_verdict(True) if not too_little else "**missed: " + ", ".join(too_little) + "**")
        )
        ratio = speed / pages_per_second(cpages, "base")
        met &= ratio >= GOAL_SPEED_RATIO
        goals.append(
            f"speed ≥ {GOAL_SPEED_RATIO}× trafilatura's (the issue's {GOAL_PAGES_PER_SECOND:.0f} "
            f"of 47 pages/s) → {_verdict(ratio >= GOAL_SPEED_RATIO)} ({ratio:.2f}× in this run, "
            f"{speed:.1f} pages/s of CPU time here)"
        )
        lines.append(f"- Goals on {corpus}: " + "; ".join(goals))
        if corpus == "readability":
            exact = statistics.fmean(float(bool(p.title_exact)) for p in cpages)
            lines.append(f"- Titles: {exact:.1%} exact")
        unit = "TP/FN/FP" if corpus != "readability" else "F1"
        lines += ["", f"Worst pages of {corpus} (newsroom; {unit}):", ""]
        lines += _worst(cpages)
        lines.append("")
    return "\n".join(lines), met


# Why some low pages are low, from reading their output (a page not listed gets the automatic
# hint: expected text we miss, or unwanted text we keep).
NOTES: dict[str, str] = {
    "nytimes-5": "a front page, not an article: the expected text is every teaser on the page; "
    "we keep the largest teaser block",
    "hukumusume": "the expected text keeps the site's link lists (other stories, partner "
    "sites); we drop them as navigation",
    "firefox-nightly-blog": "the expected text includes the reader comments; comment "
    "sections are dropped on purpose",
    "archive.org.steinzeitwissen.de.werkzeuge.html": "every `with` snippet holds soft hyphens "
    "(U+00AD), which both extractors drop from the text: they cannot match",
    "echte-demokratie-jetzt.de.blog.html": "a blog's front page with several posts: we take "
    "the first, as the evaluation wants; its licence line sits outside the post",
    "fluessiggas.de.dimethylether.html": "the snippets are in the lead, a section of its own "
    "above the article body (no <article> element ties them); both extractors keep the body only",
    "love-hina.ch.0409.html": "a news post with its reader comments set as posts of the same "
    "kind; both extractors keep the comments",
    "spoe.at-mieterhöhung.html": "teasers of other articles (quoted, cut off with '…') inside "
    "the text column; both extractors keep them",
}


def _pages(args: argparse.Namespace) -> Iterable[Callable[[], Page]]:
    wanted = set(args.case)
    if args.readability:
        for folder in sorted(p for p in args.readability.iterdir() if (p / "source.html").exists()):
            if not wanted or folder.name in wanted:
                yield lambda folder=folder: run_readability(folder, args.repeat)
    if args.trafilatura_de:
        evaldata = json.loads((args.trafilatura_de / "evaldata.json").read_text("utf-8"))
        for url, item in evaldata.items():
            if not wanted or item["file"] in wanted:
                yield lambda url=url, item=item: run_snippets(
                    args.trafilatura_de, url, item, args.repeat
                )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readability", type=Path, default=READABILITY)
    parser.add_argument("--trafilatura-de", type=Path, default=TRAFILATURA_DE)
    parser.add_argument("--case", action="append", default=[], help="only these pages")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per page (best)")
    parser.add_argument("--json", type=Path, help="write per-page figures to this file")
    parser.add_argument("--quiet", action="store_true", help="no per-page lines")
    args = parser.parse_args(argv)
    args.repeat = max(1, args.repeat)

    extract_page(b"<html><body><p>warm-up</p></body></html>")
    trafilatura.extract("<html><body><p>warm-up</p></body></html>")
    pages: list[Page] = []
    load = os.getloadavg()[0]
    for run in _pages(args):
        page = run()
        pages.append(page)
        if not args.quiet:
            print(
                f"{page.corpus[:5]} {page.half:8} {page.name[:44]:44} "
                f"{page.ours.score.f1:6.3f} {page.base.score.f1:6.3f} "
                f"{page.ours.seconds * 1000:6.1f} {page.base.seconds * 1000:6.1f} ms"
            )
    if not pages:
        print("no pages found", file=sys.stderr)
        return 1
    command = "python bench/bench_extract.py" + (" " + " ".join(argv) if argv else "")
    text, met = summarise(pages, command, args.repeat, (load, os.getloadavg()[0]))
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps([asdict(p) for p in pages], indent=1), "utf-8")
    if not args.no_write and not args.case:
        write_section("extraction", text)
        print("\n(written to bench/RESULTS.md)")
    if not met:
        print("(goals not met)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
