"""`kg render`: the actor and event network as one self-contained pyvis page.

pyvis writes vis-network inline with `cdn_resources="in_line"`, but its template still links
Bootstrap from a CDN and a `node_modules` path that does not exist; those tags are removed so
the page makes no network request. Tooltips are plain text: vis-network shows `title` strings
as text, and pyvis switches to an HTML tooltip when a title contains "href", so that
substring is broken with a zero-width joiner before any article text reaches the page.
"""

from __future__ import annotations

import re

import networkx as nx
from pyvis.network import Network

from kg.query import run_select
from kg.store import Store

_EXTERNAL_TAGS = re.compile(
    r"<link\b[^>]*\bhref=\"(?:https?:|\.\./node_modules)[^\"]*\"[^>]*/?>|"
    r"<script\b[^>]*\bsrc=\"(?:https?:|\.\./node_modules)[^\"]*\"[^>]*>\s*</script>",
    re.IGNORECASE,
)
COLOURS = {"State": "#4e79a7", "Organization": "#f28e2b", "Person": "#59a14f", "Event": "#bab0ac"}
SHAPES = {"State": "dot", "Organization": "square", "Person": "triangle", "Event": "diamond"}

_EDGES = """
PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?event ?role ?actor ?actorLabel ?actorKind ?type ?date ?evidence
WHERE {
  VALUES ?roleProp { med:mediator med:party med:participant }
  ?event ?roleProp ?actor ; a ?class ; med:evidence ?evidence .
  FILTER (STRSTARTS(STR(?class), STR(med:)) && ?class != med:EventMention)
  ?actor rdfs:label ?actorLabel ; a ?kind .
  FILTER (?kind IN (med:State, med:Organization, med:Person))
  BIND (STRAFTER(STR(?class), "#") AS ?type)
  BIND (STRAFTER(STR(?kind), "#") AS ?actorKind)
  BIND (STRAFTER(STR(?roleProp), "#") AS ?role)
  OPTIONAL { ?event med:date ?date }
}
"""


def plain(text: str) -> str:
    """Text safe for a vis-network tooltip: never switches pyvis to its HTML tooltip."""
    return re.sub(r"(?i)href", lambda m: m.group()[0] + "\u2060" + m.group()[1:], text)


def build_network(store: Store) -> nx.MultiDiGraph:
    """Actors and events as a graph: event → actor edges labelled by role."""
    graph = nx.MultiDiGraph()
    table = run_select(store, _EDGES)
    col = {name: i for i, name in enumerate(table.columns)}
    for row in table.rows:
        event, actor = row[col["event"]], row[col["actor"]]
        date = row[col["date"]] or "undated"
        graph.add_node(actor, label=row[col["actorLabel"]], kind=row[col["actorKind"]])
        if event not in graph:
            graph.add_node(event, label=f"{row[col['type']]} {date}", kind="Event", types=set(),
                           evidence=row[col["evidence"]], date=date)
        graph.nodes[event]["types"].add(row[col["type"]])
        if not graph.has_edge(event, actor, key=row[col["role"]]):
            graph.add_edge(event, actor, key=row[col["role"]], role=row[col["role"]])
    return graph


def render_network(store: Store, *, height: str = "800px") -> str:
    """The network page as one HTML string with no external resources."""
    graph = build_network(store)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        if kind == "Event":
            title = f"{', '.join(sorted(data['types']))} ({data['date']})\n{data['evidence']}"
        else:
            title = f"{data['label']} ({kind})"
        net.add_node(node, label=data["label"], title=plain(title), color=COLOURS[kind], shape=SHAPES[kind])
    for source, target, data in graph.edges(data=True):
        net.add_edge(source, target, title=data["role"], label=data["role"])
    net.toggle_physics(True)
    net.set_options('{"physics": {"stabilization": {"iterations": 300}}}')
    html = net.generate_html()
    return _EXTERNAL_TAGS.sub("", html)
