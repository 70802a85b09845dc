"""SHACL validation: the seed graph conforms, and a broken graph is reported one line per problem."""

from __future__ import annotations

from rdflib import Graph

from kg.validate import validate_graph

from .conftest import run_kg

BROKEN = """
@prefix med: <https://w3id.org/mediation-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:untyped med:party ex:iran ; med:confidence 1.5 ; med:date "2023-09-01" ; med:status "rumour" ;
    med:evidence "x" ; prov:wasDerivedFrom ex:article ; med:location ex:nowhere .
ex:orphan a med:Mediation ; med:mediator ex:ghost ; med:party ex:iran ;
    med:confidence "0.5"^^xsd:decimal ; med:evidence "y" .
ex:iran a med:State ; rdfs:label "Iran", "Islamic Republic of Iran" ; med:represents ex:qatar .
ex:qatar a med:State ; rdfs:label "Qatar" .
ex:nowhere a med:Place .
ex:article a schema:NewsArticle .
ex:spoken med:mediator ex:qatar ; med:party ex:iran ; a med:Statement ; prov:wasDerivedFrom ex:article ;
    med:confidence "0.5"^^xsd:decimal ; med:evidence "z" .
ex:stale a med:MediationTie ; med:tieMediator ex:qatar ; med:tieParty ex:iran ; med:eventCount 2 .
"""


def test_seed_graph_conforms(seed_store):
    proc = run_kg("--store", str(seed_store), "validate")
    assert proc.stdout == "" and "conforms" in proc.stderr


def test_every_problem_is_found():
    report = validate_graph(Graph().parse(data=BROKEN, format="turtle"))
    assert not report.conforms
    found = {(v.focus, v.path) for v in report.violations}
    assert found == {
        ("<http://example.org/untyped>", ""),                 # no event class
        ("<http://example.org/untyped>", "med:confidence"),    # outside [0, 1], not a decimal
        ("<http://example.org/untyped>", "med:date"),          # a plain string, not xsd:date
        ("<http://example.org/untyped>", "med:status"),        # not an allowed value
        ("<http://example.org/untyped>", "med:location"),      # a place without a label
        ("<http://example.org/nowhere>", "rdfs:label"),
        ("<http://example.org/orphan>", "prov:wasDerivedFrom"),  # no source article
        ("<http://example.org/orphan>", "med:mediator"),         # not an actor
        ("<http://example.org/iran>", "rdfs:label"),             # two labels
        ("<http://example.org/iran>", ""),                      # med:represents on a state
        ("<http://example.org/article>", "schema:identifier"),
        ("<http://example.org/stale>", ""),                     # counts 2 events, 1 names both
        ("<http://example.org/orphan>", ""),                    # a mediator and a party, no tie
    }, sorted(found)


def test_cli_prints_one_line_per_violation_and_exits_1(tmp_path):
    store = tmp_path / "store"
    data = Graph().parse(data=BROKEN, format="turtle").serialize(format="nt")
    run_kg("--store", str(store), "query", f"INSERT DATA {{ {data} }}", "--allow-update")
    proc = run_kg("--store", str(store), "validate", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 13
    assert any(line.startswith("<http://example.org/untyped>") and "med:confidence" in line and "[0, 1]" in line
               for line in lines)
    assert proc.stderr.strip() == "kg: does not conform: 13 violation(s) in 30 triples"


def test_bad_shapes_file_is_one_line(tmp_path, seed_store):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("this is not turtle")
    proc = run_kg("--store", str(seed_store), "validate", "--shapes", str(shapes), check=False)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and str(shapes) in proc.stderr
