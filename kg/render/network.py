"""The actor network and the actor–event network, as data for the page's vis-network.

Choice of template: our own (`templates/network.html`), not pyvis's. pyvis's template links
Bootstrap from a CDN even with `cdn_resources="in_line"`, turns a title containing "href" into
an `innerHTML` tooltip that runs script from article text, and leaves vis-network's physics on,
which takes minutes to settle on a few thousand nodes (DESIGN.md). pyvis stays a dependency of
the project for notebook users, but the page is written from networkx graphs built here: the
nodes, edges and options go to the page as one JSON block, the vendored vis-network draws them,
and every tooltip is built in the page from that JSON with `textContent`.

Large graphs: up to `LAYOUT_THRESHOLD` nodes the browser lays the graph out with a bounded
number of stabilisation iterations and then switches physics off; above it, positions come
from `kg.render.layout.force_layout` and the page draws them with physics off from the start.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from kg.render.data import ACTOR_KINDS, GraphData, load
from kg.render.layout import force_layout
from kg.store import Store
from kg.vocab import EVENT_CLASSES

LAYOUT_THRESHOLD = 1000
STABILISATION_ITERATIONS = 300
VIEWS = ("actors", "events")

ACTOR_STYLE: dict[str, tuple[str, str]] = {
    "State": ("#1f77b4", "dot"),
    "Organization": ("#ff7f0e", "square"),
    "Person": ("#2ca02c", "triangle"),
    "Actor": ("#7f7f7f", "dot"),
}
EVENT_COLOURS: dict[str, str] = dict(zip(EVENT_CLASSES, (
    "#d62728", "#ff9896", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#98df8a", "#ffbb78", "#c5b0d5", "#c7c7c7", "#393b79",
), strict=True))
RELATION_STYLE: dict[str, dict[str, Any]] = {
    "mediates": {"color": "#d62728", "arrows": "to", "dashes": False},
    "talks": {"color": "#9467bd", "arrows": "", "dashes": False},
    "visits": {"color": "#e377c2", "arrows": "to", "dashes": False},
    "attacks": {"color": "#393b79", "arrows": "", "dashes": True},
    "represents": {"color": "#999999", "arrows": "to", "dashes": True},
}
ROLE_STYLE: dict[str, str] = {
    "mediator": "#d62728", "party": "#9467bd", "participant": "#aaaaaa", "visitor": "#e377c2", "host": "#e377c2",
}


def primary_type(types: list[str]) -> str:
    """The type an event is coloured by: the first in CONTRACT order (Mediation before Agreement…)."""
    return types[0] if types else "Event"


def _event_records(data: GraphData, actor_ids: dict[str, str]) -> list[dict[str, Any]]:
    """Per event, what filters and tooltips need; referenced by index from nodes and edges."""
    records = []
    for event in data.events.values():
        records.append({
            "types": event.types, "date": event.date, "end": event.end_date, "status": event.status,
            "confidence": event.confidence, "place": event.place, "evidence": event.evidence,
            "actors": [actor_ids[iri] for iri in event.actors() if iri in actor_ids],
            "roles": {role: [data.actors[iri].label for iri in iris] for role, iris in event.roles.items()},
            "sources": [{"outlet": s.outlet, "headline": s.headline, "published": s.published,
                         "identifier": s.identifier} for s in event.sources],
        })
    return records


def actor_graph(data: GraphData) -> nx.MultiDiGraph:
    """Actors linked by what the events say they did to each other.

    mediator → party "mediates"; party — party "talks" ("attacks" for an attack); visitor → host
    "visits" (from `med:visitor`/`med:host`, else the participants of a Visit, undirected);
    person → the state they speak for "represents". Each edge holds the events behind it.
    """
    graph = nx.MultiDiGraph()
    index = {iri: i for i, iri in enumerate(data.events)}
    for iri in sorted({a for e in data.events.values() for a in e.actors()}):
        graph.add_node(iri, events=[])

    def link(a: str, b: str, relation: str, event: int, directed: bool) -> None:
        if a == b:
            return
        if not directed and b < a:
            a, b = b, a
        key = (relation, directed)
        if graph.has_edge(a, b, key):
            graph.edges[a, b, key]["events"].append(event)
        else:
            graph.add_edge(a, b, key=key, relation=relation, directed=directed, events=[event])

    for iri, event in data.events.items():
        i = index[iri]
        for actor in event.actors():
            graph.nodes[actor]["events"].append(i)
        mediators, parties = event.actors("mediator"), event.actors("party")
        for mediator in mediators:
            for party in parties:
                link(mediator, party, "mediates", i, True)
        relation = "attacks" if "Attack" in event.types else "talks"
        for a, b in combinations(parties, 2):
            link(a, b, relation, i, False)
        visitors, hosts = event.actors("visitor"), event.actors("host")
        if visitors and hosts:
            for visitor in visitors:
                for host in hosts:
                    link(visitor, host, "visits", i, True)
        elif "Visit" in event.types:
            for a, b in combinations(event.actors("participant"), 2):
                link(a, b, "visits", i, False)
    for iri in list(graph.nodes):
        represents = data.actors[iri].represents
        if represents and represents in graph:
            link(iri, represents, "represents", -1, True)
    return graph


def event_graph(data: GraphData) -> nx.MultiDiGraph:
    """Events and actors: one edge event → actor per role (visitor/host shown instead of participant)."""
    graph = nx.MultiDiGraph()
    for iri in sorted({a for e in data.events.values() for a in e.actors()}):
        graph.add_node(iri, kind="actor", events=[])
    for i, (iri, event) in enumerate(data.events.items()):
        graph.add_node(iri, kind="event", events=[i])
        specific = set(event.actors("visitor", "host"))
        for role in ("mediator", "party", "visitor", "host", "participant"):
            for actor in event.roles.get(role, []):
                if role == "participant" and actor in specific:
                    continue
                if not graph.has_edge(iri, actor, role):
                    graph.add_edge(iri, actor, key=role, relation=role, events=[i])
                    graph.nodes[actor]["events"].append(i)
    for node in graph.nodes:
        if graph.nodes[node]["kind"] == "actor":
            graph.nodes[node]["events"] = sorted(set(graph.nodes[node]["events"]))
    return graph


def _actor_node(data: GraphData, iri: str, node_id: str) -> dict[str, Any]:
    actor = data.actors[iri]
    colour, shape = ACTOR_STYLE.get(actor.kind, ACTOR_STYLE["Actor"])
    return {"id": node_id, "label": actor.label, "kind": actor.kind, "color": colour, "shape": shape,
            "role": actor.role, "represents": data.actors[actor.represents].label
            if actor.represents in data.actors else ""}


def network_payload(data: GraphData, view: str = "actors", *, layout_threshold: int = LAYOUT_THRESHOLD
                    ) -> dict[str, Any]:
    """Everything the network page needs, as JSON-ready values."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    graph = actor_graph(data) if view == "actors" else event_graph(data)
    ids = {node: (f"a{i}" if node in data.actors else f"e{i}") for i, node in enumerate(graph.nodes)}
    actor_ids = {iri: ids[iri] for iri in graph.nodes if iri in data.actors}
    events = _event_records(data, actor_ids)

    nodes: list[dict[str, Any]] = []
    for node, attrs in graph.nodes(data=True):
        if node in data.actors:
            item = _actor_node(data, node, ids[node])
        else:
            event = data.events[node]
            kind = primary_type(event.types)
            sources = max(1, len(event.sources))
            item = {"id": ids[node], "label": f"{kind} {event.date or 'undated'}", "kind": kind,
                    "shape": "diamond", "color": EVENT_COLOURS.get(kind, "#7f7f7f"),
                    "size": min(10 + 5 * (sources - 1), 40), "sources": len(event.sources)}
        item["ev"] = attrs["events"]
        nodes.append(item)

    edges: list[dict[str, Any]] = []
    parallel: dict[frozenset[str], int] = defaultdict(int)
    for n, (a, b, attrs) in enumerate(graph.edges(data=True)):
        relation = attrs["relation"]
        pair = frozenset((a, b))
        rank = parallel[pair]
        parallel[pair] += 1
        evs = [e for e in attrs["events"] if e >= 0]
        if view == "actors":
            style = RELATION_STYLE[relation]
            arrows = style["arrows"] if attrs["directed"] else ""
            edge = {"color": style["color"], "dashes": style["dashes"], "arrows": arrows,
                    "width": min(1 + len(evs), 12) if evs else 1}
        else:
            edge = {"color": ROLE_STYLE.get(relation, "#aaaaaa"), "arrows": "to", "dashes": False, "width": 1}
        edge.update({"id": f"r{n}", "from": ids[a], "to": ids[b], "rel": relation, "ev": evs})
        if rank:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if rank % 2 else "curvedCCW",
                              "roundness": 0.15 * ((rank + 1) // 2)}
        edges.append(edge)

    large = len(nodes) > layout_threshold
    if large:
        index = {node["id"]: i for i, node in enumerate(nodes)}
        positions = force_layout(len(nodes), [(index[e["from"]], index[e["to"]]) for e in edges],
                                 iterations=60 if len(nodes) <= 2500 else 40)
        for node, (x, y) in zip(nodes, positions, strict=True):
            node["x"], node["y"] = x, y

    present_types = sorted({t for e in data.events.values() for t in e.types}, key=EVENT_CLASSES.index)
    kinds = [k for k in (*ACTOR_KINDS, "Actor") if any(n.get("kind") == k for n in nodes)]
    legend = {
        "actors": [{"label": k, "color": ACTOR_STYLE[k][0], "shape": ACTOR_STYLE[k][1]} for k in kinds],
        "events": [{"label": t, "color": EVENT_COLOURS[t], "shape": "diamond"} for t in present_types]
        if view == "events" else [],
        "edges": [{"label": r, "color": s["color"], "dashes": s["dashes"]} for r, s in RELATION_STYLE.items()
                  if any(e["rel"] == r for e in edges)] if view == "actors" else
                 [{"label": r, "color": c, "dashes": False} for r, c in ROLE_STYLE.items()
                  if any(e["rel"] == r for e in edges)],
    }
    return {
        "view": view,
        "title": "Actor network" if view == "actors" else "Actors and events",
        "nodes": nodes,
        "edges": edges,
        "events": events,
        "types": present_types,
        "legend": legend,
        "layout": "python" if large else "physics",
        "options": vis_options(len(nodes), large),
    }


def vis_options(node_count: int, large: bool) -> dict[str, Any]:
    """vis-network options: bounded stabilisation for small graphs, fixed positions for large ones."""
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1, "size": 14},
        "edges": {"smooth": False, "color": {"inherit": False}, "selectionWidth": 2,
                  "arrows": {"to": {"scaleFactor": 0.6}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "layout": {"improvedLayout": node_count <= 150, "randomSeed": 7},
    }
    if large:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {
            "enabled": True, "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "springConstant": 0.03,
                          "damping": 0.2, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": STABILISATION_ITERATIONS, "updateInterval": 50,
                              "fit": True},
        }
    return options


def render_network(store: Store, view: str = "actors", **kwargs: Any) -> str:
    """The network page (`actors` or `events` view) as one self-contained HTML string."""
    from kg.render.page import render_page

    return render_page(store, view, **kwargs)


def payload_from_store(store: Store, view: str = "actors") -> dict[str, Any]:
    """Read the store and build the page data of a network view."""
    return network_payload(load(store), view)
