"""Second opinions on the article: trimming its end, leads, page-wide wrappers, the guard."""

from __future__ import annotations

import lxml.html

from newsroom_tui.extract import extract_page
from newsroom_tui.extract.agreement import (
    article_end,
    drop_link_sections,
    holds_little,
    other_extends,
    other_wins,
    read_by_trafilatura,
    topic_words,
    trim_tail,
    trim_to_agreement,
)
from newsroom_tui.models import ExtractedPage

SENTENCES = [
    "Der Gemeinderat hat am Dienstagabend den Haushalt für das kommende Jahr beschlossen, "
    "nach einer langen und teils hitzigen Debatte über die Sanierung der Grundschulen.",
    "Kämmerin Petra Albers sprach von einem Kraftakt, der ohne neue Schulden gelingen solle; "
    "die Grundsteuer bleibt unverändert, die Gewerbesteuer steigt leicht.",
    "Für die Sanierung der Grundschule am Markt stehen 2,4 Millionen Euro bereit, die "
    "Arbeiten sollen in den Sommerferien beginnen und zwei Jahre dauern.",
    "Die Opposition kritisierte, dass die Sporthalle erneut verschoben werde, und kündigte "
    "einen eigenen Antrag für die nächste Sitzung im Februar an.",
]
ARTICLE_MD = "\n\n".join(SENTENCES)
BIO = (
    "Anna Berger schreibt seit 2015 für das Tageblatt über Kommunalpolitik, Schulen und "
    "Verkehr im Kreis und lebt mit ihrer Familie in der Altstadt."
)


def _page(body: str, head: str = "") -> ExtractedPage:
    return extract_page(f"<html><head>{head}</head><body>{body}</body></html>")


def test_trailing_block_the_second_opinion_drops_goes() -> None:
    markdown = f"{ARTICLE_MD}\n\n{BIO}"
    assert trim_to_agreement(markdown, "\n".join(SENTENCES)) == ARTICLE_MD


def test_a_trailing_note_of_common_words_the_second_opinion_drops_goes() -> None:
    # every word of the note is somewhere in the article, but not one after the other
    note = "Die Sanierung der Grundschulen soll im Februar beginnen, sagte die Opposition."
    markdown = f"{ARTICLE_MD}\n\n{note}"
    assert trim_to_agreement(markdown, "\n".join(SENTENCES)) == ARTICLE_MD
    kept = SENTENCES[3].replace("die nächste Sitzung", "ihre nächste Sitzung")
    # a block trafilatura keeps with a word changed stays
    assert trim_to_agreement(ARTICLE_MD, "\n".join([*SENTENCES[:3], kept])) == ARTICLE_MD


def test_a_short_first_block_the_whole_second_opinion_drops_goes() -> None:
    rating = "Durchschnitt: 4,6 (7 Bewertungen)"
    markdown = f"{rating}\n\n{ARTICLE_MD}"
    other = "\n".join(SENTENCES)
    assert trim_to_agreement(markdown, other, whole=True) == ARTICLE_MD
    # only when trafilatura read the whole article, not only its end
    assert trim_to_agreement(markdown, other) == markdown
    # a heading, a long first paragraph and a first block trafilatura keeps stay
    quote = "> „Wir sanieren zuerst die Schulen“, sagt die Kämmerin."
    table = "| Haushalt | 2025 |"
    lead = "Die Stadt sucht Wahlhelferinnen und Wahlhelfer."  # a CMS's teaser element
    for first in ("## Der Haushalt 2025", BIO, "Rathaus, 12. Dezember.", quote, table, lead):
        markdown = f"{first}\n\n{ARTICLE_MD}"
        kept = f"{first}\n{other}" if first.startswith("Rathaus") else other
        assert trim_to_agreement(markdown, kept, whole=True) == markdown


def test_nothing_is_trimmed_when_the_second_opinion_reads_something_else() -> None:
    markdown = f"{ARTICLE_MD}\n\n{BIO}"
    other = "Ganz andere Worte über Wetter, Fußball und die Bundesliga am Wochenende."
    assert trim_to_agreement(markdown, other) == markdown
    assert trim_to_agreement(markdown, "") == markdown


def test_trimming_never_takes_most_of_the_article() -> None:
    # trafilatura keeping only the first paragraph must not cut the other three away
    assert trim_to_agreement(ARTICLE_MD, SENTENCES[0]) == ARTICLE_MD


def test_trailing_headings_and_link_blocks_go() -> None:
    markdown = (
        f"{ARTICLE_MD}\n\n## Das könnte Sie auch interessieren\n\n"
        "[Neue Kita in Nord](https://tageblatt.example/kita) "
        "[Busse fahren wieder](https://tageblatt.example/bus)\n\n### Kommentieren"
    )
    assert trim_tail(markdown) == ARTICLE_MD


def test_a_trailing_rule_and_the_list_it_hid_go() -> None:
    markdown = (
        f"{ARTICLE_MD}\n\n**Auch interessant:**\n\n"
        "- [Neue Kita in Nord](https://tageblatt.example/kita)\n"
        "- [Busse fahren wieder](https://tageblatt.example/bus)\n\n---"
    )
    assert trim_tail(markdown) == ARTICLE_MD


def test_a_run_of_labels_at_the_end_goes() -> None:
    labels = ["Produkt-Tipps", "Neue Kommentare", "Weitere Artikel anzeigen"]
    assert trim_tail("\n\n".join([ARTICLE_MD, *labels])) == ARTICLE_MD
    # after a heading, fewer labels are furniture too
    assert trim_tail(f"{ARTICLE_MD}\n\n### Tags:\n\nKommunalpolitik") == ARTICLE_MD


def test_short_last_lines_of_the_article_stay() -> None:
    # a signature, a code line, a closing sentence: not a run of labels
    for end in (
        ["Anna Berger"],
        ["So geht es:", "```\nnetsh interface tcp show global\n```"],
        ["Mehr im Februar.", "Bis dahin!"],
    ):
        markdown = "\n\n".join([ARTICLE_MD, *end])
        assert trim_tail(markdown) == markdown


def test_a_section_of_links_after_the_article_goes() -> None:
    related = (
        "## Weitere Artikel\n\n"
        "- [Neue Kita in Nord eröffnet](https://tageblatt.example/kita)\n"
        "- [Busse fahren wieder nach Plan](https://tageblatt.example/bus)"
    )
    markdown = f"{ARTICLE_MD}\n\n{related}\n\n{BIO}"
    assert drop_link_sections(markdown) == f"{ARTICLE_MD}\n\n{BIO}"


def test_links_to_other_sites_after_the_article_are_its_sources_and_stay() -> None:
    page = "https://www.tageblatt.example/politik/haushalt"
    sources = (
        "## Quellen\n\n"
        "- [Haushaltssatzung 2025](https://kreis.example/haushalt.pdf)\n"
        "- [Bericht des Landesrechnungshofs](https://lrh.land.example/bericht-2024)"
    )
    markdown = f"{ARTICLE_MD}\n\n{sources}\n\n{BIO}"
    assert drop_link_sections(markdown, page) == markdown
    assert trim_tail(f"{ARTICLE_MD}\n\n{sources}", page) == f"{ARTICLE_MD}\n\n{sources}"
    # the site's own "more on this" goes, relative links and subdomains included
    related = (
        "## Weitere Artikel\n\n"
        "- [Neue Kita in Nord eröffnet](/lokales/kita)\n"
        "- [Busse fahren wieder nach Plan](https://tageblatt.example/bus)\n"
        "- [Fotos vom Stadtfest](https://fotos.tageblatt.example/stadtfest)"
    )
    assert drop_link_sections(f"{ARTICLE_MD}\n\n{related}\n\n{BIO}", page) == (
        f"{ARTICLE_MD}\n\n{BIO}"
    )
    assert trim_tail(f"{ARTICLE_MD}\n\n{related}", page) == ARTICLE_MD
    # a malformed link target counts as the site's, and breaks nothing
    broken = "- [Archiv](http://[::1/alt)\n- [Mehr](/mehr)"
    assert trim_tail(f"{ARTICLE_MD}\n\n{broken}", page) == ARTICLE_MD
    # share buttons lead out too, but name no source: they go; a photo credit stays
    share = (
        "[Facebook](https://www.facebook.com/sharer/sharer.php?u=x) "
        "[X](https://twitter.com/intent/tweet?url=x) [WhatsApp](https://wa.me/?text=x)"
    )
    assert trim_tail(f"{ARTICLE_MD}\n\n{share}", page) == ARTICLE_MD
    credit = "Titelbild: [Anna Weber](https://unsplash.example/@anna) auf [Unsplash](https://unsplash.example)"
    assert trim_tail(f"{ARTICLE_MD}\n\n{credit}", page) == f"{ARTICLE_MD}\n\n{credit}"


def test_links_the_article_explains_stay() -> None:
    # a list of sentences with links in them, a heading with a single link: the article's own
    sentences = (
        "## Quellen\n\n"
        "- Der [Haushaltsplan](https://kreis.example/haushalt.pdf) liegt im Rathaus aus und "
        "kann bis zum 30. Januar eingesehen werden.\n"
        "- Die [Sitzung](https://kreis.example/sitzung) ist öffentlich."
    )
    single = "## Zum Nachlesen\n\n[Der Beschluss im Wortlaut](https://kreis.example/b.pdf)"
    for section in (sentences, single):
        markdown = f"{ARTICLE_MD}\n\n{section}"
        assert drop_link_sections(markdown) == markdown
    # and a link list in the first half of the text is not judged at all
    early = "## Apps\n\n- [Karte](https://a.example)\n- [Fahrplan](https://b.example)"
    assert drop_link_sections(f"{early}\n\n{ARTICLE_MD}") == f"{early}\n\n{ARTICLE_MD}"


def test_a_bold_closing_sentence_stays_and_a_short_bold_label_goes() -> None:
    closing = (
        "**Die Feuerwehr konnte alle Bewohner aus dem Haus retten; die Ermittler prüfen nun, "
        "ob ein defektes Elektrogerät den Brand ausgelöst hat.**"
    )
    assert trim_tail(f"{ARTICLE_MD}\n\n{closing}").endswith(closing)
    assert trim_tail(f"{ARTICLE_MD}\n\n**Mehr zum Thema**") == ARTICLE_MD


def test_a_closing_pull_quote_set_as_a_heading_stays() -> None:
    quote = "#### Die Kämmerin bleibt hart. Neue Schulden wird es mit ihr nicht geben."
    assert trim_tail(f"{ARTICLE_MD}\n\n{quote}").endswith(quote)
    # one announcing sentence, or a heading with a full stop alone, still goes
    assert trim_tail(f"{ARTICLE_MD}\n\n#### Lesen Sie auch:") == ARTICLE_MD
    assert trim_tail(f"{ARTICLE_MD}\n\n#### Weitere Meldungen.") == ARTICLE_MD


def test_a_heading_inside_the_article_stays() -> None:
    markdown = f"{SENTENCES[0]}\n\n## Sanierung\n\n{SENTENCES[2]}"
    assert trim_tail(markdown) == markdown


def test_second_opinion_leaves_the_nodes_alone() -> None:
    tree = lxml.html.fragment_fromstring(
        "<div>" + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</div>"
    )
    before = lxml.html.tostring(tree)
    text = read_by_trafilatura(article_end([tree])[0], None)
    assert "Kämmerin Petra Albers" in text
    assert lxml.html.tostring(tree) == before


def test_the_guard_prefers_the_text_closer_to_title_and_description() -> None:
    topic = topic_words("Haushalt beschlossen: Grundschule wird saniert", "Gemeinderat")
    comment_form = "Kommentar verfassen. Trage deine Daten unten ein oder melde dich an."
    assert other_wins(comment_form, ARTICLE_MD, topic)
    assert not other_wins(ARTICLE_MD, comment_form, topic)
    # the same article in other words is not "something else"
    assert not other_wins(ARTICLE_MD, "\n".join(SENTENCES[:3]), topic)
    assert holds_little(comment_form, len(ARTICLE_MD))
    assert not holds_little(ARTICLE_MD, len(ARTICLE_MD))


def test_a_part_of_the_article_loses_to_the_whole_article() -> None:
    topic = topic_words("Haushalt beschlossen: Sanierung der Grundschule", "Gemeinderat, Kämmerin")
    tail = "Die Opposition kritisierte die Verschiebung und kündigt einen Antrag an."
    part = SENTENCES[3]
    whole = "\n\n".join([*SENTENCES, tail])
    assert other_extends(part, whole, topic)
    # ours is most of it, or it is not inside theirs: ours stays
    assert not other_extends("\n\n".join(SENTENCES), whole, topic)
    assert not other_extends(BIO, whole, topic)
    # what theirs adds is not about the page (a reader thread below the article): ours stays
    thread = "\n\n".join(
        [SENTENCES[0], *(f"Leser {n} meint: Das sehe ich ganz anders, leider." for n in range(12))]
    )
    assert not other_extends(SENTENCES[0], thread, topic)


def test_a_teaser_of_the_page_loses_to_the_article_it_announces() -> None:
    # our finder took the page's teaser box (the description, in long sentences); the rest
    # of trafilatura's text can bring no more of the title's and description's words
    teaser = (
        "Der Gemeinderat hat den Haushalt beschlossen: Die Grundschule am Markt wird für 2,4 "
        "Millionen Euro saniert, die Sporthalle muss warten, die Grundsteuer bleibt."
    )
    topic = topic_words("Haushalt beschlossen: Grundschule wird saniert", teaser)
    whole = "\n\n".join([teaser, *SENTENCES])
    assert other_extends(teaser, whole, topic)
    # an article sharing a few of those words is no teaser: the comments below stay out
    comments = [f"Kommentar {n}: Endlich tut sich etwas an der Schule." for n in range(12)]
    assert not other_extends(SENTENCES[1], "\n\n".join([SENTENCES[1], *comments]), topic)


def test_a_clearly_longer_text_about_something_else_wins_when_as_close_to_the_topic() -> None:
    # our finder took a box beside the article (the podcast's self-description); both name
    # the page's topic alike, trafilatura's text is the article and twice as long
    box = (
        "Der Rathausfunk ist der Podcast aus dem Gemeinderat, jede Woche mit Gästen, "
        "Hintergründen und Ihren Fragen zum Haushalt, zu Schulen und Verkehr, zum Hören."
    )
    topic = topic_words(
        "Haushalt beschlossen: Sanierung der Grundschule", "Der Rathausfunk, der Podcast"
    )
    assert other_wins(box, ARTICLE_MD, topic)
    # not when only a little longer, when farther from the topic, or when a list of links
    assert not other_wins(box, SENTENCES[0], topic)
    farther = ARTICLE_MD.replace("Haushalt", "Etat").replace("Sanierung", "Renovierung")
    assert not other_wins(box, farther.replace("beschlossen", "verabschiedet"), topic)
    links = "\n".join(f"- [{s[:60]}](/archiv/{n})" for n, s in enumerate(SENTENCES * 3))
    assert not other_wins(box, links, topic)
    # nor when neither text holds a word of the title or description: length says nothing
    assert not other_wins(box, ARTICLE_MD, set())
    assert not other_wins(box, ARTICLE_MD, topic_words("Startseite", "Willkommen"))


def test_page_wrapped_in_a_header_keeps_its_article() -> None:
    """Some themes put the whole page, article included, inside <header id="masthead">."""
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES)
    page = _page(
        '<header id="masthead" class="Header__root"><nav><a href="/">Start</a>'
        '<a href="/politik">Politik</a></nav><div class="WrapperMenu">'
        f"<article><h1>Haushalt beschlossen</h1>{paragraphs}</article></div></header>"
        "<footer>Impressum · Datenschutz</footer>"
    )
    assert page.title == "Haushalt beschlossen"
    assert "Kämmerin Petra Albers" in page.body_markdown
    assert "Impressum" not in page.body_markdown


def test_lead_in_the_article_header_is_kept() -> None:
    lead = (
        "Nach langer Debatte steht der Haushalt: Die Grundschule am Markt wird saniert, die "
        "Sporthalle muss warten."
    )
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES)
    page = _page(
        "<main><article><header><h1>Haushalt beschlossen</h1>"
        f'<div class="intro"><p>{lead}</p></div><span>Von Anna Berger</span></header>'
        f'<div class="article-text">{paragraphs}</div></article></main>'
    )
    body = page.body_markdown
    assert body.startswith(lead)
    assert body.index(lead) < body.index("Der Gemeinderat hat am Dienstagabend")
    assert "Von Anna Berger" not in body


def test_author_box_after_the_article_goes() -> None:
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES)
    page = _page(
        f'<div class="content"><div class="entry">{paragraphs}'
        f'<div class="post-author"><h4>Über die Autorin</h4><p>{BIO}</p></div></div></div>'
    )
    assert "Die Opposition kritisierte" in page.body_markdown
    assert "Über die Autorin" not in page.body_markdown
    assert "Anna Berger" not in page.body_markdown


def test_lead_in_the_headline_box_above_the_text_is_kept() -> None:
    """No <article>: the headline and its lead sit in a section of their own."""
    lead = (
        "Die Nachfrage nach Plätzen in der Ganztagsbetreuung steigt, der Kreis baut deshalb "
        "bis 2026 vier neue Mensen an Grundschulen."
    )
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES * 2)
    page = _page(
        '<section class="post-head"><div class="container"><div class="row">'
        '<div class="col-9"><h1>Mensen für den Ganztag</h1><span>24. Oktober 2022</span>'
        f'<div class="post-text"><p>{lead}</p></div></div></div></div></section>'
        '<section class="post-body"><div class="container"><div class="row">'
        f'<div class="col-9"><div class="entry-content">{paragraphs}</div></div>'
        "</div></div></section>"
    )
    assert page.title == "Mensen für den Ganztag"
    assert page.body_markdown.startswith(lead)
    assert "Kämmerin Petra Albers" in page.body_markdown
    assert "data-newsroom" not in page.body_markdown
