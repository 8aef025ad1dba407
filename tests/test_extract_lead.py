"""The lead found through the meta description, before the page is cut down."""

from __future__ import annotations

from newsroom_tui.extract import extract_page
from newsroom_tui.extract.lead import with_lead

LEAD = (
    "Der Kreistag hat den Neubau der Gesamtschule in Nordheim beschlossen. Die Kosten von "
    "38 Millionen Euro teilen sich Kreis und Stadt, gebaut wird ab dem Frühjahr."
)
PARAGRAPHS = [
    "Mit 41 zu 12 Stimmen fiel die Entscheidung am Montagabend deutlicher aus als erwartet; "
    "die Fraktionen hatten sich in der Woche zuvor auf einen gemeinsamen Antrag geeinigt.",
    "Landrätin Ulrike Sommer sprach von einem guten Tag für die Schülerinnen und Schüler im "
    "Norden des Kreises, die bisher bis zu einer Stunde mit dem Bus unterwegs sind.",
    "Die neue Schule soll zum Schuljahr 2028/29 öffnen und Platz für 1.100 Kinder bieten; "
    "eine Mensa, eine Dreifachsporthalle und ein Ganztagsbereich gehören dazu.",
]


def _page(description: str, header_lead: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html><head><title>Gesamtschule kommt | Kreisblatt</title>"
        f'<meta name="description" content="{description}"></head><body>'
        '<nav><a href="/">Start</a> <a href="/kreis">Kreis</a></nav>'
        "<header class='article-head'><h1>Gesamtschule kommt</h1>"
        f"<div class='teaser'><p>{header_lead}</p></div></header>"
        f"<main><article><div class='text'>{body}</div></article></main>"
        "<footer><p>© Kreisblatt 2026. Alle Rechte vorbehalten.</p></footer></body></html>"
    )


def test_the_lead_outside_the_article_is_found_through_the_description() -> None:
    page = extract_page(_page(LEAD, LEAD))
    assert page.title == "Gesamtschule kommt"
    blocks = page.body_markdown.split("\n\n")
    assert blocks[0] == LEAD
    assert blocks[1:] == PARAGRAPHS


def test_a_description_that_matches_no_block_adds_nothing() -> None:
    # the description is only metadata: text that is not on the page never enters the body
    page = extract_page(_page(LEAD, "Bildergalerie: Impressionen vom Kreistag"))
    assert page.body_markdown.split("\n\n") == PARAGRAPHS
    assert "38 Millionen" not in page.body_markdown


def test_the_lead_is_not_added_twice() -> None:
    body = "\n\n".join([LEAD, *PARAGRAPHS])
    assert with_lead(body, LEAD) == body
    # a description retelling the first paragraph in other order is no lead of its own
    retold = " ".join(reversed(PARAGRAPHS[0].split(";")))
    assert with_lead("\n\n".join(PARAGRAPHS), retold) == "\n\n".join(PARAGRAPHS)
    assert with_lead("", LEAD) == LEAD
