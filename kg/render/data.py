"""What the pages draw, read from the store: resolved events, their actors and their sources.

A few flat SELECTs, joined in Python, rather than one query with many OPTIONALs: an event with
three evidence sentences, two sources and four actors would otherwise come back as the product
of all of them, and the joins here are dictionary look-ups. Everything is kept as plain strings;
nothing here is HTML, and the pages treat every string as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.query import run_select
from kg.store import Store
from kg.vocab import EVENT_CLASSES

MED = "https://w3id.org/mediation-kg/ontology#"
ACTOR_KINDS = ("State", "Organization", "Person")
ROLES = ("mediator", "party", "participant", "visitor", "host")

_PREFIXES = """PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""
_EVENT_TYPES = _PREFIXES + """SELECT ?event ?class WHERE {
  VALUES ?class { CLASSES }
  ?event a ?class .
}""".replace("CLASSES", " ".join(f"med:{name}" for name in EVENT_CLASSES))

_EVENT_FACTS = _PREFIXES + """SELECT ?event ?p ?o WHERE {
  VALUES ?p { med:date med:endDate med:evidence med:confidence med:status med:cameoCode }
  ?event ?p ?o .
}"""

_ROLES = _PREFIXES + """SELECT ?event ?p ?actor WHERE {
  VALUES ?p { ROLES }
  ?event ?p ?actor .
}""".replace("ROLES", " ".join(f"med:{name}" for name in ROLES))

_ACTORS = _PREFIXES + """SELECT ?actor ?kind ?label ?role ?represents WHERE {
  VALUES ?kind { med:State med:Organization med:Person }
  ?actor a ?kind .
  OPTIONAL { ?actor rdfs:label ?label }
  OPTIONAL { ?actor med:role ?role }
  OPTIONAL { ?actor med:represents ?represents }
}"""

_PLACES = _PREFIXES + """SELECT ?event ?label WHERE {
  ?event med:location ?place . ?place rdfs:label ?label .
}"""

_SOURCES = _PREFIXES + """SELECT ?event ?article ?identifier ?headline ?published ?outlet ?url WHERE {
  ?event prov:wasDerivedFrom ?article .
  OPTIONAL { ?article schema:identifier ?identifier }
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?article schema:publisher/schema:name ?outlet }
  OPTIONAL { ?article schema:url ?url }
}"""


@dataclass(slots=True)
class Source:
    """One article an event was read from, as an analyst cites it."""

    article: str
    identifier: str = ""
    headline: str = ""
    published: str = ""
    outlet: str = ""
    url: str = ""


@dataclass(slots=True)
class Actor:
    iri: str
    label: str
    kind: str = "Actor"
    role: str = ""
    represents: str = ""


@dataclass(slots=True)
class Event:
    """A resolved event (never an `med:EventMention`) with everything a tooltip shows."""

    iri: str
    types: list[str] = field(default_factory=list)
    date: str = ""
    end_date: str = ""
    evidence: list[str] = field(default_factory=list)
    confidence: str = ""
    status: str = ""
    cameo: str = ""
    place: str = ""
    roles: dict[str, list[str]] = field(default_factory=dict)  # role → actor IRIs, in a stable order
    sources: list[Source] = field(default_factory=list)

    def actors(self, *roles: str) -> list[str]:
        """Actor IRIs in the given roles (all roles when none given), each once, in order."""
        seen: dict[str, None] = {}
        for role in roles or ROLES:
            for iri in self.roles.get(role, []):
                seen.setdefault(iri, None)
        return list(seen)


@dataclass(slots=True)
class GraphData:
    events: dict[str, Event]
    actors: dict[str, Actor]


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def load(store: Store) -> GraphData:
    """All resolved events with their roles, sources and places, and the actors they name.

    Mention nodes share `med:evidence` and `prov:wasDerivedFrom` with events; the joins below
    drop them by looking each subject up among the typed events, which is cheaper than a
    `FILTER NOT EXISTS` per row.
    """
    events: dict[str, Event] = {}
    for iri, cls in run_select(store, _EVENT_TYPES).rows:
        event = events.setdefault(iri, Event(iri))
        name = cls[len(MED):]
        if name not in event.types:
            event.types.append(name)
    for event in events.values():
        event.types.sort(key=EVENT_CLASSES.index)

    for iri, prop, value in run_select(store, _EVENT_FACTS).rows:
        event = events.get(iri)
        if event is None:
            continue
        name = prop[len(MED):]
        if name == "evidence":
            if value not in event.evidence:
                event.evidence.append(value)
        elif name == "date":
            event.date = min(event.date, value) if event.date else value
        elif name == "endDate":
            event.end_date = max(event.end_date, value)
        elif name == "confidence":
            event.confidence = max(event.confidence, value)
        elif name == "status":
            event.status = event.status or value
        elif name == "cameoCode":
            event.cameo = event.cameo or value

    for iri, prop, actor in sorted(run_select(store, _ROLES).rows):
        event = events.get(iri)
        if event is not None:
            roles = event.roles.setdefault(prop[len(MED):], [])
            if actor not in roles:
                roles.append(actor)

    for iri, label in run_select(store, _PLACES).rows:
        if iri in events and not events[iri].place:
            events[iri].place = label

    seen_sources: set[tuple[str, str]] = set()
    for iri, article, identifier, headline, published, outlet, url in sorted(run_select(store, _SOURCES).rows):
        event = events.get(iri)
        if event is None or (iri, article) in seen_sources:
            continue
        seen_sources.add((iri, article))
        event.sources.append(Source(article, identifier, headline, published, outlet, url))

    actors: dict[str, Actor] = {}
    for iri, kind, label, role, represents in sorted(run_select(store, _ACTORS).rows):
        actor = actors.get(iri)
        if actor is None:
            actors[iri] = Actor(iri, label or _local(iri), kind[len(MED):], role, represents)
        elif kind[len(MED):] in ACTOR_KINDS and actor.kind == "Actor":
            actor.kind = kind[len(MED):]
    # An actor named in a role but missing from the store's actor facts is still drawn.
    for event in events.values():
        for iri in event.actors():
            actors.setdefault(iri, Actor(iri, _local(iri)))
    return GraphData(events, actors)
