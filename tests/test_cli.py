"""The command line end to end, as a user runs it: real processes, a real on-disk store."""

import json
import subprocess

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import app

from .conftest import KG, SEEDS, run_kg

WHO_MEDIATED_US_IRAN = """
PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?mediator WHERE {
  ?e med:mediator/rdfs:label ?mediator ; med:party/rdfs:label "United States", "Iran" .
}"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def triples(store) -> int:
    proc = run_kg("--store", str(store), "query", COUNT, "--format", "json")
    return int(json.loads(proc.stdout)[0]["n"])


def test_who_mediated_between_the_united_states_and_iran(seed_store):
    proc = run_kg("--store", str(seed_store), "query", WHO_MEDIATED_US_IRAN, "--format", "csv")
    assert "Qatar" in proc.stdout.splitlines()[1:]


def test_ingesting_twice_changes_nothing(tmp_path):
    store = tmp_path / "store"
    run_kg("--store", str(store), "ingest", str(SEEDS))
    first = triples(store)
    run_kg("--store", str(store), "ingest", str(SEEDS))
    assert triples(store) == first > 0


def test_malformed_query_gives_one_line_and_non_zero_exit(seed_store):
    proc = run_kg("--store", str(seed_store), "query", "SELEC ?x WHERE {", check=False)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1 and "malformed" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_input_path_gives_one_line_and_non_zero_exit(tmp_path):
    proc = run_kg("--store", str(tmp_path / "s"), "ingest", str(tmp_path / "missing.txt"), check=False)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing.txt" in lines[0] and "no such file" in lines[0]


def test_update_is_refused_without_allow_update(seed_store):
    proc = run_kg("--store", str(seed_store), "query", "DROP ALL", check=False)
    assert proc.returncode != 0 and "read-only" in proc.stderr
    assert triples(seed_store) > 0


def test_query_from_rq_file_in_each_format(seed_store, tmp_path):
    rq = tmp_path / "who.rq"
    rq.write_text(WHO_MEDIATED_US_IRAN)
    for fmt, check in (("csv", lambda s: s.startswith("mediator\n")), ("tsv", lambda s: "Qatar" in s),
                       ("json", lambda s: {"mediator": "Qatar"} in json.loads(s)),
                       ("table", lambda s: "Qatar" in s)):
        proc = run_kg("--store", str(seed_store), "query", str(rq), "--format", fmt)
        assert check(proc.stdout), (fmt, proc.stdout)


@pytest.mark.parametrize(("fmt", "parse_as"), [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"),
                                                ("jsonld", "json-ld")])
def test_exports_round_trip(seed_store, tmp_path, fmt, parse_as):
    out = tmp_path / f"graph.{fmt}"
    run_kg("--store", str(seed_store), "export", "--format", fmt, "-o", str(out))
    ds = Dataset()
    ds.parse(out, format=parse_as)
    again = tmp_path / f"again.{fmt}"
    again.write_text(ds.serialize(format=parse_as if parse_as != "nquads" else "nquads"))
    ds2 = Dataset()
    ds2.parse(again, format=parse_as)
    if fmt == "turtle":
        assert isomorphic(Graph().parse(out, format="turtle"), Graph().parse(again, format="turtle"))
    else:
        assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(g.identifier) for g in ds2.graphs() if len(g)}
        for g in ds.graphs():
            if len(g):
                assert isomorphic(g, ds2.graph(g.identifier))
    assert len(ds) > 0 or sum(len(g) for g in ds.graphs()) > 0


def test_turtle_export_is_the_union_with_provenance(seed_store, tmp_path):
    out = tmp_path / "graph.ttl"
    run_kg("--store", str(seed_store), "export", "-o", str(out))
    g = Graph().parse(out)
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    proc = run_kg("--store", str(seed_store), "query", distinct, "-f", "json")
    assert len(g) == int(json.loads(proc.stdout)[0]["n"])


def test_timeline_filters_by_actor_and_type(seed_store):
    proc = run_kg("--store", str(seed_store), "timeline", "--actor", "Iran", "--format", "json")
    rows = json.loads(proc.stdout)
    dated = [r["date"] for r in rows if r["date"]]
    assert rows and dated == sorted(dated)
    mediation = json.loads(run_kg("--store", str(seed_store), "timeline", "--type", "Mediation",
                                  "-f", "json").stdout)
    assert mediation and all("Mediation" in r["types"] for r in mediation)
    nothing = json.loads(run_kg("--store", str(seed_store), "timeline", "--actor", 'Qatar" } ; DROP ALL ; {',
                                "-f", "json").stdout)
    assert nothing == [] and triples(seed_store) > 0


def test_render_writes_a_page_with_no_external_resources(seed_store, tmp_path):
    out = tmp_path / "graph.html"
    run_kg("--store", str(seed_store), "render", "-o", str(out))
    html = out.read_text()
    assert "vis-network" in html or "vis.Network" in html
    assert "cdn.jsdelivr" not in html and "node_modules" not in html


def test_every_command_has_help_with_an_example():
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        proc = subprocess.run([*KG, name, "--help"], capture_output=True, text=True, check=True)
        assert "Example" in proc.stdout, name


def test_python_dash_m_and_version():
    proc = subprocess.run([*KG, "--version"], capture_output=True, text=True, check=True)
    assert proc.stdout.startswith("kg ")
