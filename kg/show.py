"""`kg show`: one event with every source and sentence, or one actor with its names, roles and events.

An analyst who doubts an edge must reach the sentences behind it in one step; this is that step.
References are IRIs, the hash at the end of an event IRI, or an actor's label or variant
(case-insensitive). Values are bound into the queries, never pasted.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.query import Table, run_select
from kg.store import Store

PREFIXES = """PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

# (Two queries, not a UNION: a FILTER inside a UNION branch cannot see values bound outside it.)
_FIND_EVENT = PREFIXES + """SELECT DISTINCT ?node WHERE {
  ?node prov:wasDerivedFrom ?article ; a ?class .
  FILTER (STRSTARTS(STR(?class), STR(med:)) && ?class != med:EventMention && STRENDS(STR(?node), ?suffix))
} LIMIT 1"""
_FIND_ACTOR = PREFIXES + """SELECT DISTINCT ?node WHERE {
  ?node rdfs:label|skos:altLabel ?name ; a ?class .
  FILTER (?class IN (med:State, med:Organization, med:Person) && LCASE(STR(?name)) = LCASE(?wanted))
} ORDER BY ?node LIMIT 1"""

_EVENT = PREFIXES + """SELECT ?type ?date ?endDate ?status ?confidence ?cameo ?place WHERE {
  ?event a ?class . FILTER (STRSTARTS(STR(?class), STR(med:)) && ?class != med:EventMention)
  BIND (STRAFTER(STR(?class), "#") AS ?type)
  OPTIONAL { ?event med:date ?date } OPTIONAL { ?event med:endDate ?endDate }
  OPTIONAL { ?event med:status ?status } OPTIONAL { ?event med:confidence ?confidence }
  OPTIONAL { ?event med:cameoCode ?cameo } OPTIONAL { ?event med:location/rdfs:label ?place }
}"""

_ROLES = PREFIXES + """SELECT ?role ?name WHERE {
  VALUES ?property { med:mediator med:party med:participant }
  ?event ?property ?actor . ?actor rdfs:label ?name .
  BIND (STRAFTER(STR(?property), "#") AS ?role)
} ORDER BY ?role ?name"""

_SOURCES = PREFIXES + """SELECT ?article ?outlet ?published ?headline ?sentence ?start ?end WHERE {
  ?mention med:mentionOf ?event ; prov:wasDerivedFrom ?a ; med:evidence ?sentence .
  OPTIONAL { ?mention med:startOffset ?start } OPTIONAL { ?mention med:endOffset ?end }
  ?a schema:identifier ?article .
  OPTIONAL { ?a schema:publisher/schema:name ?outlet } OPTIONAL { ?a schema:datePublished ?published }
  OPTIONAL { ?a schema:headline ?headline }
} ORDER BY ?published ?article ?start"""

_ACTOR = PREFIXES + """SELECT ?label ?kind ?variant ?wikidata ?represents ?role WHERE {
  ?actor rdfs:label ?label ; a ?class .
  FILTER (?class IN (med:State, med:Organization, med:Person)) BIND (STRAFTER(STR(?class), "#") AS ?kind)
  OPTIONAL { ?actor skos:altLabel ?variant } OPTIONAL { ?actor owl:sameAs ?wikidata }
  OPTIONAL { ?actor med:represents/rdfs:label ?represents } OPTIONAL { ?actor med:role ?role }
}"""

_ACTOR_EVENTS = PREFIXES + """SELECT ?event ?date (GROUP_CONCAT(DISTINCT ?type; SEPARATOR="+") AS ?types)
       (GROUP_CONCAT(DISTINCT ?role; SEPARATOR="/") AS ?roles) (COUNT(DISTINCT ?article) AS ?sources) WHERE {
  VALUES ?property { med:mediator med:party med:participant }
  { ?event ?property ?actor } UNION { ?person med:represents ?actor . ?event ?property ?person }
  ?event a ?class ; prov:wasDerivedFrom ?article .
  FILTER (STRSTARTS(STR(?class), STR(med:)) && ?class != med:EventMention)
  BIND (STRAFTER(STR(?class), "#") AS ?type) BIND (STRAFTER(STR(?property), "#") AS ?role)
  OPTIONAL { ?event med:date ?date }
} GROUP BY ?event ?date ORDER BY (!BOUND(?date)) STR(?date)"""


class NotFound(LookupError):
    """Nothing in the graph answers to the reference."""


def _bind(sparql: str, **iris: str) -> str:
    """Bind IRIs as VALUES (serialised by Oxigraph, so they cannot break out of the query)."""
    values = " ".join(f"VALUES ?{name} {{ {ox.NamedNode(iri)} }}" for name, iri in iris.items())
    brace = sparql.index("{", sparql.index("WHERE"))
    return sparql[:brace + 1] + " " + values + sparql[brace + 1:]


def find(store: Store, reference: str) -> tuple[str, str]:
    """("event" | "actor", IRI) for an IRI, an event hash, or an actor's name."""
    reference = reference.strip()
    if reference.startswith(("http://", "https://")):
        kind = "event" if "/event/" in reference else "actor"
        return kind, reference
    events = run_select(store, _FIND_EVENT, {"suffix": "/" + reference}).rows
    if events:
        return "event", events[0][0]
    actors = run_select(store, _FIND_ACTOR, {"wanted": reference}).rows
    if actors:
        return "actor", actors[0][0]
    raise NotFound(f"nothing in the graph is called '{reference}' (try an event id or an actor's name)")


def _distinct(table: Table, column: str) -> list[str]:
    """The non-empty values of one column, once each, sorted."""
    index = table.columns.index(column)
    return sorted({row[index] for row in table.rows if row[index]})


def show_event(store: Store, iri: str) -> dict[str, Any]:
    """An event: its classes, date, roles and every source sentence."""
    head = run_select(store, _bind(_EVENT, event=iri))
    if not head.rows:
        raise NotFound(f"no event {iri}")

    def values(name: str) -> list[str]:
        return _distinct(head, name)

    roles: dict[str, list[str]] = {"mediator": [], "party": [], "participant": []}
    for role, name in run_select(store, _bind(_ROLES, event=iri)).rows:
        roles[role].append(name)
    sources = run_select(store, _bind(_SOURCES, event=iri))
    return {
        "event": iri, "types": values("type"), "dates": values("date"), "endDates": values("endDate"),
        "status": values("status"), "confidence": values("confidence"), "cameo": values("cameo"),
        "places": values("place"), "mediators": roles["mediator"], "parties": roles["party"],
        "participants": roles["participant"],
        "sources": [dict(zip(sources.columns, row, strict=True)) for row in sources.rows],
    }


def show_actor(store: Store, iri: str) -> dict[str, Any]:
    """An actor: label, kind, the names met, what it represents, roles, and its events in date order."""
    rows = run_select(store, _bind(_ACTOR, actor=iri))
    if not rows.rows:
        raise NotFound(f"no actor {iri}")

    def values(name: str) -> list[str]:
        return _distinct(rows, name)

    events = run_select(store, _bind(_ACTOR_EVENTS, actor=iri))
    return {
        "actor": iri, "label": values("label")[0], "kind": values("kind")[0], "variants": values("variant"),
        "wikidata": values("wikidata"), "represents": values("represents"), "roles": values("role"),
        "events": [dict(zip(events.columns, row, strict=True)) for row in events.rows],
    }


def show(store: Store, reference: str) -> dict[str, Any]:
    """What `kg show REFERENCE` prints, as a plain value."""
    kind, iri = find(store, reference)
    return show_event(store, iri) if kind == "event" else show_actor(store, iri)
