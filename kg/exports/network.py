"""The actor network and the event network as GraphML and GEXF, for Gephi and Cytoscape.

The graphs are the ones the HTML page draws (`kg.render.network`), so the network a user sees in
the browser and the one they open in Gephi are the same. GraphML and GEXF hold only scalar
attributes, so lists become `;`-joined strings and a missing value an empty string (never None,
which neither format can write).

Actors view: one node per actor named in a role; edges mediator → party `mediates`, party — party
`talks` (`attacks`), visitor → host `visits`, person → state `represents`, each with `weight`
= the number of events behind it and the first and last of their dates. Edges that have no
direction (`talks`) are written from the lower IRI to the higher with `directed` false: GEXF
cannot mix directed and undirected edges in one graph that networkx and Gephi both read.

Events view: event and actor nodes, one edge event → actor per role (`mediator`, `party`,
`visitor`, `host`, `participant`).
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from kg.query import run_select
from kg.render.data import GraphData, load
from kg.render.network import actor_graph, event_graph
from kg.store import Store

_SAME_AS = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?actor ?same WHERE {
  ?actor owl:sameAs ?same .
  FILTER (STRSTARTS(STR(?same), "http://www.wikidata.org/entity/"))
}"""


def _wikidata(store: Store) -> dict[str, str]:
    found: dict[str, str] = {}
    for actor, same in sorted(run_select(store, _SAME_AS).rows):
        found.setdefault(actor, same)
    return found


def _dates(data: GraphData, indexes: list[int], iris: list[str]) -> tuple[str, str]:
    dates = sorted(data.events[iris[i]].date for i in indexes if i >= 0 and data.events[iris[i]].date)
    return (dates[0], dates[-1]) if dates else ("", "")


def _types(data: GraphData, indexes: list[int], iris: list[str]) -> str:
    seen: dict[str, None] = {}
    for i in indexes:
        if i >= 0:
            for t in data.events[iris[i]].types:
                seen.setdefault(t, None)
    return ";".join(seen)


def _actor_attrs(data: GraphData, iri: str, wikidata: dict[str, str], events: int) -> dict[str, Any]:
    actor = data.actors[iri]
    represents = data.actors[actor.represents].label if actor.represents in data.actors else ""
    return {"label": actor.label, "kind": actor.kind, "wikidata": wikidata.get(iri, ""), "iri": iri,
            "role": actor.role, "represents": represents, "events": events}


def network(store: Store, view: str = "actors") -> nx.MultiDiGraph:
    """The export-ready network of the resolved view: `actors` or `events`."""
    data = load(store)
    wikidata = _wikidata(store)
    iris = list(data.events)
    out = nx.MultiDiGraph(name=f"mediation-kg {view} network")
    if view == "actors":
        source = actor_graph(data)
        for node, attrs in source.nodes(data=True):
            out.add_node(node, **_actor_attrs(data, node, wikidata, len(set(attrs["events"]))))
        for u, v, key, attrs in source.edges(keys=True, data=True):
            relation, directed = key
            indexes = sorted(set(attrs["events"]))
            first, last = _dates(data, indexes, iris)
            out.add_edge(u, v, key=relation, role=relation, directed=bool(directed),
                         weight=sum(1 for i in indexes if i >= 0) or 1, event_type=_types(data, indexes, iris),
                         date_from=first, date_to=last,
                         events=";".join(iris[i] for i in indexes if i >= 0))
        return out
    if view != "events":
        raise ValueError(f"unknown view {view!r}; expected actors or events")
    source = event_graph(data)
    for node, attrs in source.nodes(data=True):
        if attrs["kind"] == "actor":
            out.add_node(node, **_actor_attrs(data, node, wikidata, len(attrs["events"])))
            continue
        event = data.events[node]
        label = "+".join(event.types) + (f" {event.date}" if event.date else "")
        out.add_node(node, label=label, kind="Event", wikidata="", iri=node, event_type=";".join(event.types),
                     date=event.date, end_date=event.end_date, cameo=event.cameo, status=event.status,
                     confidence=float(event.confidence or 0), place=event.place, sources=len(event.sources),
                     evidence=event.evidence[0] if event.evidence else "")
    for u, v, key, _attrs in source.edges(keys=True, data=True):
        event = data.events[u]
        out.add_edge(u, v, key=key, role=key, directed=True, weight=1, event_type=";".join(event.types),
                     date_from=event.date, date_to=event.end_date or event.date, events=u)
    return out


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
