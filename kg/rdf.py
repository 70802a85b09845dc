"""Mapping an article and its extraction to RDF: one named graph per article (CONTRACT.md).

Event IRIs are a hash of what identifies the real-world event (see `kg.resolve`), so the same
event told by two articles is one node with one `prov:wasDerivedFrom` per article, and
re-ingesting an article rewrites its graph with the same triples.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg.extract.frames import EventFrame, Extraction
from kg.nlp.dates import TimeExpression
from kg.nlp.gazetteer import Actor, Place, slugify
from kg.resolve import event_key
from kg.sources.article import Article
from kg.vocab import DEFAULT_BASE, MED, SEM, WD

PREFIXES = {"med": str(MED._NS), "prov": str(PROV), "schema": str(SDO), "sem": str(SEM), "wd": str(WD),
            "skos": str(SKOS), "owl": str(OWL), "rdfs": str(RDFS), "xsd": str(XSD)}
_DATATYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


class Iris:
    """Instance IRIs under a configurable base (`…/event/…`, `…/actor/…`, `…/article/…`)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = Namespace(base if base.endswith(("/", "#")) else base + "/")

    def article(self, identifier: str) -> URIRef:
        return self.base[f"article/{slugify(identifier)}-{_digest(identifier)[:8]}"]

    def graph(self, identifier: str) -> URIRef:
        return self.base[f"graph/{slugify(identifier)}-{_digest(identifier)[:8]}"]

    def event(self, key: str) -> URIRef:
        return self.base[f"event/{_digest(key)[:16]}"]

    def mention(self, identifier: str, index: int) -> URIRef:
        return self.base[f"mention/{slugify(identifier)}-{_digest(identifier)[:8]}/{index}"]

    def outlet(self, name: str) -> URIRef:
        return self.base[f"outlet/{slugify(name)}"]

    def actor(self, iri: str) -> URIRef:
        """Knowledge-base IRIs are kept; they are the stable names users query by."""
        return URIRef(iri)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Triples:
    """The triples of one article: rdflib terms in a set, written out as N-Triples.

    rdflib's in-memory Graph indexes every triple three ways, which cost more per article than
    extracting it (about 4 ms, measured on the seeds); an article's graph is only ever built,
    listed and written, so a set does. Terms are written by Oxigraph, which escapes them.
    """

    __slots__ = ("triples",)

    def __init__(self) -> None:
        self.triples: set[tuple[URIRef, URIRef, URIRef | Literal]] = set()

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        self.triples.add(triple)

    def __iter__(self):
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def subjects(self) -> set[URIRef]:
        return {s for s, _, _ in self.triples}

    def ntriples(self) -> str:
        """Sorted N-Triples lines, so that the same article always gives the same text."""
        return "\n".join(sorted(f"{_term(s)} {_term(p)} {_term(o)} ." for s, p, o in self.triples))

    def to_graph(self) -> Graph:
        """The same triples as an rdflib Graph, for code that wants rdflib's API."""
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph


def _term(term: URIRef | Literal) -> str:
    if isinstance(term, Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype is not None:
            return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(ox.Literal(str(term)))
    return str(ox.NamedNode(str(term)))


def date_literal(value: str, granularity: str) -> Literal:
    return Literal(value, datatype=_DATATYPES[granularity])


def article_graph(article: Article, extraction: Extraction, iris: Iris) -> tuple[Triples, Triples]:
    """The named graph of one article (the article, its event mentions and what it says of each
    event), and the shared description of the actors and places it names.

    Actor and place triples are the same whichever article names them, so they are written once
    to the default graph rather than repeated in every article's graph.
    """
    g = Triples()
    shared = Triples()
    art = iris.article(article.identifier)
    g.add((art, RDF.type, SDO.NewsArticle))
    g.add((art, SDO.identifier, Literal(article.identifier)))
    if article.title:
        g.add((art, SDO.headline, Literal(article.title)))
    if article.published:
        g.add((art, SDO.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)))
    if article.outlet:
        outlet = iris.outlet(article.outlet)
        g.add((art, SDO.publisher, outlet))
        g.add((outlet, RDF.type, SDO.Organization))
        g.add((outlet, SDO.name, Literal(article.outlet)))
    if article.author:
        g.add((art, SDO.author, Literal(article.author)))
    if article.url:
        g.add((art, SDO.url, Literal(article.url, datatype=XSD.anyURI)))

    for actor in extraction.actors.values():
        _add_actor(shared, actor, iris)
        for variant in sorted(extraction.variants.get(actor.iri, ())):
            shared.add((iris.actor(actor.iri), SKOS.altLabel, Literal(variant)))
    for place in extraction.places.values():
        _add_place(shared, place)
    def represented(iri: str) -> str:
        actor = extraction.actors.get(iri)
        return actor.represents if actor is not None and actor.kind == "Person" and actor.represents else iri

    for index, frame in enumerate(extraction.frames):
        event = iris.event(event_key(frame, article, represented))
        _add_event(g, event, frame, art, iris)
        mention = iris.mention(article.identifier, index)
        g.add((mention, RDF.type, MED.EventMention))
        g.add((mention, MED.mentionOf, event))
        g.add((mention, PROV.wasDerivedFrom, art))
        g.add((mention, MED.evidence, Literal(frame.evidence)))
        g.add((mention, MED.startOffset, Literal(frame.start)))
        g.add((mention, MED.endOffset, Literal(frame.end)))
        g.add((mention, MED.trigger, Literal(frame.trigger)))
    return g, shared


def _add_event(g: Triples, event: URIRef, frame: EventFrame, art: URIRef, iris: Iris) -> None:
    for cls in sorted(frame.classes):
        g.add((event, RDF.type, MED[cls]))
    for prop, actors in ((MED.mediator, frame.mediators), (MED.party, frame.parties),
                         (MED.participant, frame.participants)):
        for iri in actors:
            g.add((event, prop, iris.actor(iri)))
    _add_time(g, event, frame.time)
    if frame.location is not None:
        g.add((event, MED.location, URIRef(frame.location.iri)))
    g.add((event, MED.evidence, Literal(frame.evidence)))
    g.add((event, MED.confidence, Literal(Decimal(str(frame.confidence)), datatype=XSD.decimal)))
    g.add((event, MED.status, Literal(frame.status)))
    g.add((event, MED.cameoCode, Literal(frame.cameo)))
    g.add((event, PROV.wasDerivedFrom, art))


def _add_time(g: Triples, event: URIRef, time: TimeExpression | None) -> None:
    if time is None:
        return
    g.add((event, MED.dateText, Literal(time.text)))
    if time.value and time.granularity:
        g.add((event, MED.date, date_literal(time.value, time.granularity)))
    if time.end_value:
        granularity = {10: "day", 7: "month", 4: "year"}.get(len(time.end_value))
        if granularity:
            g.add((event, MED.endDate, date_literal(time.end_value, granularity)))


def _add_actor(g: Triples, actor: Actor, iris: Iris) -> None:
    node = iris.actor(actor.iri)
    g.add((node, RDF.type, MED[actor.kind]))
    g.add((node, RDFS.label, Literal(actor.label)))
    if actor.wikidata:
        g.add((node, OWL.sameAs, URIRef(actor.wikidata)))
    if actor.represents:
        g.add((node, MED.represents, iris.actor(actor.represents)))
    for variant in sorted(actor.variants):
        if variant.startswith("role:"):
            g.add((node, MED.role, Literal(variant[5:])))


def _add_place(g: Triples, place: Place) -> None:
    node = URIRef(place.iri)
    g.add((node, RDF.type, MED.Place))
    g.add((node, RDFS.label, Literal(place.label)))
    if place.country:
        g.add((node, MED.country, URIRef(place.country)))
    if place.wikidata:
        g.add((node, OWL.sameAs, URIRef(place.wikidata)))
