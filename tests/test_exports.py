"""Every export reopens in the library made for it, with as many events and actors as the store holds."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.exports.plover import load_mapping
from kg.vocab import EVENT_CLASSES

from .conftest import run_kg

PREFIXES = """PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
EVENT_VALUES = "VALUES ?class { " + " ".join(f"med:{c}" for c in EVENT_CLASSES) + " }"
EVENTS = PREFIXES + f"SELECT DISTINCT ?e WHERE {{ {EVENT_VALUES} ?e a ?class }}"
ACTORS = PREFIXES + f"""SELECT DISTINCT ?a WHERE {{
  {EVENT_VALUES} VALUES ?role {{ med:mediator med:party med:participant }}
  ?e a ?class ; ?role ?a .
}}"""
ACTORS_WITH_WIKIDATA = PREFIXES + f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  {EVENT_VALUES} VALUES ?role {{ med:mediator med:party med:participant }}
  ?e a ?class ; ?role ?a . ?a owl:sameAs ?wd .
  FILTER STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/")
}}"""
MEDIATES = PREFIXES + f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?m ?p WHERE {{
  {EVENT_VALUES} ?e a ?class ; med:mediator ?m ; med:party ?p . FILTER (?m != ?p) }} }}"""
ROLE_EDGES = PREFIXES + f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?e ?a WHERE {{
  {EVENT_VALUES} VALUES ?role {{ med:mediator med:party med:participant }} ?e a ?class ; ?role ?a }} }}"""


def select(store, sparql: str) -> list[dict[str, str]]:
    return json.loads(run_kg("--store", str(store), "query", sparql, "-f", "json").stdout)


@pytest.fixture(scope="module")
def counts(seed_store) -> dict[str, object]:
    return {
        "events": {r["e"] for r in select(seed_store, EVENTS)},
        "actors": {r["a"] for r in select(seed_store, ACTORS)},
        "wikidata": int(select(seed_store, ACTORS_WITH_WIKIDATA)[0]["n"]),
        "mediates": int(select(seed_store, MEDIATES)[0]["n"]),
        "role_edges": int(select(seed_store, ROLE_EDGES)[0]["n"]),
    }


def export(store, tmp_path, fmt: str, *extra: str):
    out = tmp_path / f"export.{fmt}"
    run_kg("--store", str(store), "export", "-f", fmt, "-o", str(out), *extra)
    return out


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_actor_network_reopens_in_networkx(seed_store, tmp_path, counts, fmt, read):
    graph = read(export(seed_store, tmp_path, fmt))
    assert counts["events"] and counts["actors"]
    labels = {graph.nodes[n]["label"] for n in graph.nodes}
    assert graph.number_of_nodes() == len(counts["actors"])
    assert {"Qatar", "Iran", "United States"} <= labels
    assert {graph.nodes[n]["kind"] for n in graph.nodes} <= {"State", "Organization", "Person"}
    with_wikidata = [n for n in graph.nodes if graph.nodes[n].get("wikidata", "").startswith("http://www.wikidata.org/")]
    assert len(with_wikidata) == counts["wikidata"]
    mediates = [d for _, _, d in graph.edges(data=True) if d["role"] == "mediates"]
    assert len(mediates) == counts["mediates"]
    assert all(float(d["weight"]) >= 1 for d in mediates)
    qatar_iran = [d for u, v, d in graph.edges(data=True) if d["role"] == "mediates"
                  and graph.nodes[u]["label"] == "Qatar" and graph.nodes[v]["label"] == "Iran"]
    assert qatar_iran and qatar_iran[0]["date_from"] <= qatar_iran[0]["date_to"]
    assert "Mediation" in qatar_iran[0]["event_type"]


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_event_network_reopens_in_networkx(seed_store, tmp_path, counts, fmt, read):
    graph = read(export(seed_store, tmp_path, fmt, "--view", "events"))
    kinds = [graph.nodes[n]["kind"] for n in graph.nodes]
    assert kinds.count("Event") == len(counts["events"])
    assert len(kinds) - kinds.count("Event") == len(counts["actors"])
    roles = {d["role"] for _, _, d in graph.edges(data=True)}
    assert {"mediator", "party"} <= roles <= {"mediator", "party", "participant", "visitor", "host"}
    # one edge per event, actor and role; visitor/host stand for the participant role they refine
    pairs = {(u, v) for u, v in graph.edges()}
    assert len(pairs) == counts["role_edges"]


def test_compact_jsonld_reopens_in_rdflib_as_the_turtle_graph(seed_store, tmp_path, counts):
    path = export(seed_store, tmp_path, "jsonld-compact")
    document = json.loads(path.read_text())
    assert document["@context"]["mediator"] == {"@id": "med:mediator", "@type": "@id"}
    assert any(node.get("mediator") for node in document["@graph"])  # compact keys, not full IRIs
    graph = Graph().parse(path, format="json-ld")
    turtle = Graph().parse(export(seed_store, tmp_path, "turtle"), format="turtle")
    assert isomorphic(graph, turtle)
    found = graph.query(EVENTS)
    assert {str(row[0]) for row in found} == counts["events"]


def test_plover_lines_reopen_with_json(seed_store, tmp_path, counts):
    lines = export(seed_store, tmp_path, "plover").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(counts["events"])
    assert {r["id"] for r in records} == counts["events"]
    plover = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
              "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    for record in records:
        assert {"id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text",
                "cite_info", "mediator", "cameo"} <= set(record)
        assert record["event"] is None or record["event"] in plover
        assert record["event_text"] and record["cite_info"]
    swap = [r for r in records if "PrisonerExchange" in r["types"] and r["mediator"] == "Qatar"
            and {r["actor"], r["recipient"]} == {"Iran", "United States"}]
    assert swap and swap[0]["event"] == "RETREAT" and swap[0]["mode"] == "release"
    mediated = [r for r in records if r["types"][0] == "Mediation" and len(r["types"]) == 1]
    assert mediated and all(r["event"] == "CONSULT" and r["mode"] == "mediated" for r in mediated)
    assert any(r["mediator"] for r in mediated)
    statements = [r for r in records if r["types"] == ["Statement"]]
    assert statements and all(r["event"] is None for r in statements)


def test_plover_mapping_covers_every_event_class():
    mapping = load_mapping()
    assert set(mapping.classes) == set(EVENT_CLASSES) == set(mapping.priority)


def test_timeline_csv_export_equals_kg_timeline(seed_store, tmp_path, counts):
    exported = export(seed_store, tmp_path, "timeline-csv").read_text()
    assert exported == run_kg("--store", str(seed_store), "timeline", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["event"] for r in rows} == counts["events"]


def test_view_outside_actors_and_events_is_refused(seed_store):
    proc = run_kg("--store", str(seed_store), "export", "-f", "graphml", "--view", "timeline", check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
