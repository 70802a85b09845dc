"""Mapping an article and its extraction to RDF: one named graph per article (CONTRACT.md).

Event IRIs are a hash of what identifies the real-world event (see `kg.resolve`), so the same
event told by two articles is one node with one `prov:wasDerivedFrom` per article, and
re-ingesting an article rewrites its graph with the same triples.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg.extract.frames import EventFrame, Extraction
from kg.nlp.dates import TimeExpression
from kg.nlp.gazetteer import Actor, Place, slugify
from kg.resolve import event_key
from kg.sources.article import Article
from kg.vocab import DEFAULT_BASE, MED, SEM, WD

PREFIXES = {"med": str(MED._NS), "prov": str(PROV), "schema": str(SDO), "sem": str(SEM), "wd": str(WD),
            "skos": str(SKOS), "owl": str(OWL), "rdfs": str(RDFS), "xsd": str(XSD)}


class Iris:
    """Instance IRIs under a configurable base (`…/event/…`, `…/actor/…`, `…/article/…`), as
    plain strings: they are only ever written out (`Triples`), and Oxigraph checks them then."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def article(self, identifier: str) -> str:
        return f"{self.base}article/{_local(identifier)}"

    def graph(self, identifier: str) -> str:
        return f"{self.base}graph/{_local(identifier)}"

    def event(self, key: str) -> str:
        return f"{self.base}event/{_digest(key)[:16]}"

    def mention(self, identifier: str, index: int) -> str:
        return f"{self.base}mention/{_local(identifier)}/{index}"

    def outlet(self, name: str) -> str:
        return f"{self.base}outlet/{slugify(name)}"

    def actor(self, iri: str) -> str:
        """Knowledge-base IRIs are kept; they are the stable names users query by."""
        return iri


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1024)
def _local(identifier: str) -> str:
    """The local name of an article's IRIs: asked for again for each of its mentions."""
    return f"{slugify(identifier)}-{_digest(identifier)[:8]}"


class Triples:
    """The triples of one article, kept as their N-Triples lines.

    rdflib's in-memory Graph indexes every triple three ways, which cost more per article than
    extracting it (about 4 ms, measured on the seeds); an article's graph is only ever built,
    listed and written, so a set of lines does. Making an rdflib term for each value and then
    writing it cost more than extraction again, so terms are written once, by Oxigraph (which
    checks and escapes them), through `iri` and the `…literal` functions. Two triples are the
    same exactly when their lines are: each term has one written form.
    """

    __slots__ = ("lines", "subjects")

    def __init__(self) -> None:
        self.lines: set[str] = set()
        self.subjects: set[str] = set()   # the subject IRIs, for the store's resolved view

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """One triple: the subject's and predicate's IRIs, and the object as an N-Triples term."""
        self.lines.add(f"{iri(subject)} {iri(predicate)} {obj} .")
        self.subjects.add(subject)

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> str:
        """Sorted N-Triples lines, so that the same article always gives the same text."""
        return "\n".join(sorted(self.lines))

    def to_graph(self) -> Graph:
        """The same triples as an rdflib Graph, for code that wants rdflib's API."""
        return Graph().parse(data=self.ntriples(), format="nt")


@lru_cache(maxsize=65536)
def iri(value: str) -> str:
    """An IRI as N-Triples (`<…>`), checked by Oxigraph: it raises ValueError on a bad one.
    Cached: properties, classes, actors and places recur in every article."""
    return str(ox.NamedNode(value))


def literal(value: str) -> str:
    """A plain string literal as N-Triples, quoted and escaped by Oxigraph."""
    return str(ox.Literal(value))


@lru_cache(maxsize=8192)
def typed_literal(lexical: str, datatype: str) -> str:
    """A typed literal as N-Triples. Made through rdflib's `Literal`, which writes the value in
    its datatype's canonical form, as the store's graphs always were; cached, because dates
    recur from article to article."""
    return _written(Literal(lexical, datatype=URIRef(datatype)))


@lru_cache(maxsize=8192, typed=True)
def integer_literal(value: int) -> str:
    """An xsd:integer (an offset) as N-Triples, as rdflib writes it; cached."""
    return _written(Literal(value))


@lru_cache(maxsize=1024)
def decimal_literal(text: str) -> str:
    """An xsd:decimal as N-Triples, from the decimal's text (a confidence, `str(0.85)`);
    cached by that text, as rdflib writes it."""
    return _written(Literal(Decimal(text), datatype=XSD.decimal))


def _written(term: Literal) -> str:
    """An rdflib literal as N-Triples, written by Oxigraph."""
    if term.language:
        return str(ox.Literal(str(term), language=term.language))
    if term.datatype is not None:
        return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
    return str(ox.Literal(str(term)))


@lru_cache(maxsize=256)
def _med(name: str) -> str:
    """The IRI of a term of the ontology named at run time (an event class, an actor kind);
    `MED` raises AttributeError for a name the ontology lacks."""
    return str(MED[name])


# the terms every article uses, looked up once
_TYPE, _LABEL, _ALT_LABEL, _SAME_AS = str(RDF.type), str(RDFS.label), str(SKOS.altLabel), str(OWL.sameAs)
_DERIVED_FROM = str(PROV.wasDerivedFrom)
_NEWS_ARTICLE, _ORGANIZATION = iri(str(SDO.NewsArticle)), iri(str(SDO.Organization))
_IDENTIFIER, _HEADLINE, _DATE_PUBLISHED = str(SDO.identifier), str(SDO.headline), str(SDO.datePublished)
_PUBLISHER, _NAME, _AUTHOR, _URL = str(SDO.publisher), str(SDO.name), str(SDO.author), str(SDO.url)
_EVENT_MENTION, _PLACE = iri(str(MED.EventMention)), iri(str(MED.Place))
_MENTION_OF, _EVIDENCE, _START, _END = str(MED.mentionOf), str(MED.evidence), str(MED.startOffset), str(MED.endOffset)
_TRIGGER, _CONFIDENCE, _STATUS, _CAMEO = str(MED.trigger), str(MED.confidence), str(MED.status), str(MED.cameoCode)
_ROLES = (str(MED.mediator), str(MED.party), str(MED.participant))
_DATE_TEXT, _DATE, _END_DATE, _LOCATION = str(MED.dateText), str(MED.date), str(MED.endDate), str(MED.location)
_REPRESENTS, _ROLE, _COUNTRY = str(MED.represents), str(MED.role), str(MED.country)
_DATATYPES = {"day": str(XSD.date), "month": str(XSD.gYearMonth), "year": str(XSD.gYear)}
_DATE_LENGTHS = {10: "day", 7: "month", 4: "year"}


def date_literal(value: str, granularity: str) -> str:
    """A date at its granularity (xsd:date, gYearMonth or gYear) as an N-Triples term."""
    return typed_literal(value, _DATATYPES[granularity])


def article_graph(article: Article, extraction: Extraction, iris: Iris) -> tuple[Triples, Triples]:
    """The named graph of one article (the article, its event mentions and what it says of each
    event), and the shared description of the actors and places it names.

    Actor and place triples are the same whichever article names them, so they are written once
    to the default graph rather than repeated in every article's graph.
    """
    g = Triples()
    shared = Triples()
    art = iris.article(article.identifier)
    g.add(art, _TYPE, _NEWS_ARTICLE)
    g.add(art, _IDENTIFIER, literal(article.identifier))
    if article.title:
        g.add(art, _HEADLINE, literal(article.title))
    if article.published:
        g.add(art, _DATE_PUBLISHED, typed_literal(article.published.isoformat(), _DATATYPES["day"]))
    if article.outlet:
        outlet = iris.outlet(article.outlet)
        g.add(art, _PUBLISHER, iri(outlet))
        g.add(outlet, _TYPE, _ORGANIZATION)
        g.add(outlet, _NAME, literal(article.outlet))
    if article.author:
        g.add(art, _AUTHOR, literal(article.author))
    if article.url:
        g.add(art, _URL, _written(Literal(article.url, datatype=XSD.anyURI)))  # one per article: not cached

    for actor in extraction.actors.values():
        _add_actor(shared, actor, iris)
        for variant in sorted(extraction.variants.get(actor.iri, ())):
            shared.add(iris.actor(actor.iri), _ALT_LABEL, literal(variant))
    for place in extraction.places.values():
        _add_place(shared, place)
    def represented(actor_iri: str) -> str:
        actor = extraction.actors.get(actor_iri)
        return actor.represents if actor is not None and actor.kind == "Person" and actor.represents else actor_iri

    art_term = iri(art)
    for index, frame in enumerate(extraction.frames):
        event = iris.event(event_key(frame, article, represented))
        _add_event(g, event, frame, art_term, iris)
        mention = iris.mention(article.identifier, index)
        g.add(mention, _TYPE, _EVENT_MENTION)
        g.add(mention, _MENTION_OF, iri(event))
        g.add(mention, _DERIVED_FROM, art_term)
        g.add(mention, _EVIDENCE, literal(frame.evidence))
        g.add(mention, _START, integer_literal(frame.start))
        g.add(mention, _END, integer_literal(frame.end))
        g.add(mention, _TRIGGER, literal(frame.trigger))
    return g, shared


def _add_event(g: Triples, event: str, frame: EventFrame, art: str, iris: Iris) -> None:
    """`art` is the article's IRI as an N-Triples term."""
    for cls in sorted(frame.classes):
        g.add(event, _TYPE, iri(_med(cls)))
    for prop, actors in zip(_ROLES, (frame.mediators, frame.parties, frame.participants), strict=True):
        for actor in actors:
            g.add(event, prop, iri(iris.actor(actor)))
    _add_time(g, event, frame.time)
    if frame.location is not None:
        g.add(event, _LOCATION, iri(frame.location.iri))
    g.add(event, _EVIDENCE, literal(frame.evidence))
    g.add(event, _CONFIDENCE, decimal_literal(str(frame.confidence)))
    g.add(event, _STATUS, literal(frame.status))
    g.add(event, _CAMEO, literal(frame.cameo))
    g.add(event, _DERIVED_FROM, art)


def _add_time(g: Triples, event: str, time: TimeExpression | None) -> None:
    if time is None:
        return
    g.add(event, _DATE_TEXT, literal(time.text))
    if time.value and time.granularity:
        g.add(event, _DATE, date_literal(time.value, time.granularity))
    if time.end_value:
        granularity = _DATE_LENGTHS.get(len(time.end_value))
        if granularity:
            g.add(event, _END_DATE, date_literal(time.end_value, granularity))


def _add_actor(g: Triples, actor: Actor, iris: Iris) -> None:
    node = iris.actor(actor.iri)
    g.add(node, _TYPE, iri(_med(actor.kind)))
    g.add(node, _LABEL, literal(actor.label))
    if actor.wikidata:
        g.add(node, _SAME_AS, iri(actor.wikidata))
    if actor.represents:
        g.add(node, _REPRESENTS, iri(iris.actor(actor.represents)))
    for variant in sorted(actor.variants):
        if variant.startswith("role:"):
            g.add(node, _ROLE, literal(variant[5:]))


def _add_place(g: Triples, place: Place) -> None:
    node = place.iri
    g.add(node, _TYPE, _PLACE)
    g.add(node, _LABEL, literal(place.label))
    if place.country:
        g.add(node, _COUNTRY, iri(place.country))
    if place.wikidata:
        g.add(node, _SAME_AS, iri(place.wikidata))
