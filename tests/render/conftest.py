"""A small invented graph with known counts, and one headless Chromium for the render tests.

The graph is written straight into a store (`replace_graphs`), so these tests do not depend on
how well extraction reads any text; one evidence sentence and one outlet name carry markup
that would run script if a page ever parsed them as HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib import namespace as ns

from kg.store import OxigraphStore, Store
from kg.vocab import MED

ID = Namespace("https://w3id.org/mediation-kg/id/")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">'
EVIDENCE = f"Norway mediated talks between the Philippines and the NPA {XSS} in Oslo."

ACTORS = {  # slug: (kind, label)
    "norway": ("State", "Norway"), "philippines": ("State", "Philippines"),
    "npa": ("Organization", "New People's Army"), "qatar": ("State", "Qatar"),
    "united-states": ("State", "United States"), "iran": ("State", "Iran"),
    "jane": ("Person", "Jane Example"), "switzerland": ("State", "Switzerland"),
    "armenia": ("State", "Armenia"), "turkey": ("State", "Turkey"),
}
# event: (classes, date, endDate, {role: [actor slugs]}, evidence, articles)
EVENTS = {
    "e1": (["Mediation"], ("2023-09", ns.XSD.gYearMonth), None,
           {"mediator": ["norway"], "party": ["philippines", "npa"]}, EVIDENCE, ["a1", "a2"]),
    "e2": (["Negotiation"], ("2023-08-10", ns.XSD.date), ("2023-08-12", ns.XSD.date),
           {"mediator": ["qatar"], "party": ["united-states", "iran"]},
           "Qatar hosted indirect talks between the United States and Iran.", ["a2"]),
    "e3": (["Visit"], ("2024-02-12", ns.XSD.date), None,
           {"participant": ["jane", "switzerland"], "visitor": ["jane"], "host": ["switzerland"]},
           "Jane Example visited Switzerland on Monday.", ["a3"]),
    "e4": (["Meeting"], None, None,
           {"mediator": ["switzerland"], "party": ["armenia", "turkey"]},
           "Switzerland hosted talks between Armenia and Turkey.", ["a3"]),
    "e5": (["Attack"], ("2024", ns.XSD.gYear), None,
           {"party": ["iran", "united-states"]}, "Iran struck a base used by the United States.", ["a1"]),
}
ARTICLES = {  # id: (outlet, published, headline)
    "a1": ("The <b>Evening</b> Post", "2023-09-20", f"Talks {XSS}"),
    "a2": ("Daily Wire Service", "2023-09-21", "Qatar and Norway as go-betweens"),
    "a3": ("Alpine Courier", "2024-02-13", "A visit to Bern"),
}
# What the pages must draw (see kg.render.network for the rules).
ACTOR_VIEW = {"nodes": 10, "edges": 12}  # 3+3 mediates/talks for e1,e2,e4; visits; attacks; represents
EVENT_VIEW = {"nodes": 15, "edges": 13}  # 10 actors + 5 events; e3's participants shown as visitor/host
DATED_EVENTS = 4


def graph() -> Graph:
    g = Graph()
    for slug, (kind, label) in ACTORS.items():
        g.add((ID[f"actor/{slug}"], ns.RDF.type, MED[kind]))
        g.add((ID[f"actor/{slug}"], ns.RDFS.label, Literal(label)))
    g.add((ID["actor/jane"], MED.represents, ID["actor/norway"]))
    g.add((ID["actor/jane"], MED.role, Literal("Foreign Minister")))
    for art, (outlet, published, headline) in ARTICLES.items():
        node, pub = ID[f"article/{art}"], ID[f"outlet/{art}"]
        g.add((node, ns.RDF.type, ns.SDO.NewsArticle))
        g.add((node, ns.SDO.identifier, Literal(f"{art}.txt")))
        g.add((node, ns.SDO.headline, Literal(headline)))
        g.add((node, ns.SDO.datePublished, Literal(published, datatype=ns.XSD.date)))
        g.add((node, ns.SDO.publisher, pub))
        g.add((pub, ns.SDO.name, Literal(outlet)))
    for key, (classes, start, end, roles, evidence, articles) in EVENTS.items():
        event = ID[f"event/{key}"]
        for cls in classes:
            g.add((event, ns.RDF.type, MED[cls]))
        if start:
            g.add((event, MED.date, Literal(start[0], datatype=start[1])))
        if end:
            g.add((event, MED.endDate, Literal(end[0], datatype=end[1])))
        for role, slugs in roles.items():
            for slug in slugs:
                g.add((event, MED[role], ID[f"actor/{slug}"]))
        g.add((event, MED.evidence, Literal(evidence)))
        g.add((event, MED.confidence, Literal("0.8", datatype=ns.XSD.decimal)))
        for art in articles:
            g.add((event, ns.PROV.wasDerivedFrom, ID[f"article/{art}"]))
        # An article-level mention: must never be drawn as an event.
        mention = ID[f"mention/{key}"]
        g.add((mention, ns.RDF.type, MED.EventMention))
        g.add((mention, MED.mentionOf, event))
        g.add((mention, MED.evidence, Literal(evidence)))
        g.add((mention, ns.PROV.wasDerivedFrom, ID[f"article/{articles[0]}"]))
    return g


def fill(store: Store) -> Store:
    store.replace_graphs({"https://w3id.org/mediation-kg/id/graph/test": graph().serialize(format="nt")})
    return store


@pytest.fixture()
def small_store() -> Iterator[Store]:
    store = fill(OxigraphStore("memory:"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield browser
        browser.close()
