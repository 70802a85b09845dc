"""`kg evaluate`: the dev set end to end, the matcher on a graph whose scores are known, bad gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from kg.evaluate import Names, evaluate, load_gold
from tests.conftest import DATA, run_kg

DEV = DATA / "dev"
GOLD = DEV.parent / "dev_gold.jsonl"


@pytest.fixture(scope="module")
def names() -> Names:
    return Names.load()


def test_dev_gold_is_well_formed() -> None:
    records = load_gold(GOLD)
    files = {r["file"] for r in records}
    assert len(files) >= 12
    for r in records:
        text = (DEV / r["file"]).read_text(encoding="utf-8")
        assert r["evidence"] in text, r["id"]
    groups: dict[str, set[str]] = {}
    for r in records:
        if r["same_as"]:
            groups.setdefault(r["same_as"], set()).add(r["file"])
    assert any(len(f) > 1 for f in groups.values()), "no cross-article same_as pair"


def test_evaluate_dev_set_end_to_end(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run_kg("--store", store, "ingest", "-q", str(DEV))
    proc = run_kg("--store", store, "evaluate", str(GOLD), "--format", "json")
    report = json.loads(proc.stdout)
    gold_types = {r["type"] for r in load_gold(GOLD)}
    assert gold_types <= set(report["per_type"])
    for figures in report["per_type"].values():
        for key in ("precision", "recall", "f1"):
            assert 0.0 <= figures[key] <= 1.0
    for key in ("relations", "events"):
        assert 0.0 <= report[key]["precision"] <= 1.0 and 0.0 <= report[key]["recall"] <= 1.0
    assert 0.0 <= report["dates"]["accuracy"] <= 1.0
    assert report["merges"]["of"] >= 1
    table = run_kg("--store", store, "evaluate", str(GOLD)).stdout
    assert "prisoner_exchange" in table and "relations" in table and "merges" in table


TINY = """
@prefix med: <https://w3id.org/mediation-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/> .

:a schema:identifier "a.txt" .
:b schema:identifier "b.txt" .
:qatar a med:State ; rdfs:label "Qatar" .
:us a med:State ; rdfs:label "United States" .
:iran a med:State ; rdfs:label "Iran" .
:egypt a med:State ; rdfs:label "Egypt" .
:israel a med:State ; rdfs:label "Israel" .
:hamas a med:Organization ; rdfs:label "Hamas" .
:ansari a med:Person ; rdfs:label "Majed Al-Ansari" ; med:represents :qatar .

# told by both articles: one node
:e1 a med:Mediation ; med:mediator :ansari ; med:party :us, :iran ;
    med:date "2023-09"^^xsd:gYearMonth ; prov:wasDerivedFrom :a, :b .
:e2 a med:Visit ; med:participant :qatar, :iran ; med:date "2024-02-12"^^xsd:date ; prov:wasDerivedFrom :a .
:e3 a med:Statement ; med:participant :egypt ; med:date "2024-02-13"^^xsd:date ; prov:wasDerivedFrom :a .
# an agreement between the right sides but without the gold's mediator: spurious, and no match
:e4 a med:Agreement ; med:party :israel, :hamas ; prov:wasDerivedFrom :a .
"""


def _gold(**kw) -> dict:
    base = {"mediators": [], "parties": [], "participants": [], "persons": [], "date": None, "date_end": None,
            "location": None, "evidence": "", "same_as": None, "core": True}
    return base | kw


TINY_GOLD = [
    # "Washington" must count as the United States; the day is finer than the graph's month.
    _gold(id="g1", file="a.txt", type="mediation", mediators=["Qatar"], parties=["Washington", "Iran"],
          date="2023-09-26", same_as="q"),
    _gold(id="g2", file="a.txt", type="visit", participants=["Qatar", "Iran"], date="2024-02-12"),
    _gold(id="g3", file="a.txt", type="ceasefire", mediators=["Egypt"], parties=["Israel", "Hamas"],
          date="2023-11-24"),
    _gold(id="g5", file="b.txt", type="mediation", mediators=["Qatar"], parties=["United States", "Iran"],
          date="2023-09", same_as="q"),
]


def test_matcher_on_a_known_graph(names: Names) -> None:
    assert names.norm("Washington") == names.norm("United States") == names.norm("the U.S.")
    rep = evaluate(None, TINY_GOLD, graph=Graph().parse(data=TINY, format="turtle"), names=names)
    # core found: (a,e1) (a,e2) (a,e4) (b,e1); matched: e1, e2 in a and e1 in b
    assert (rep["events"]["precision"], rep["events"]["recall"]) == (0.75, 0.75)
    # gold relations: Qatar->US, Qatar->Iran in a and b, Egypt->Israel, Egypt->Hamas in a; found the first four
    assert (rep["relations"]["precision"], rep["relations"]["recall"]) == (1.0, 0.667)
    assert rep["relations"]["gold"] == 6 and rep["relations"]["found"] == 4
    # g1's day is compatible with the month found but not exact; g2 and g5 are exact
    assert rep["dates"] == {"exact": 2, "of": 3, "accuracy": 0.667}
    assert rep["merges"] == {"merged": 1, "of": 1, "rate": 1.0}
    per = rep["per_type"]
    assert (per["mediation"]["precision"], per["mediation"]["recall"]) == (1.0, 1.0)
    assert (per["visit"]["precision"], per["visit"]["recall"]) == (1.0, 1.0)
    assert (per["agreement"]["precision"], per["agreement"]["found"], per["agreement"]["gold"]) == (0.0, 1, 0)
    assert (per["ceasefire"]["recall"], per["ceasefire"]["gold"]) == (0.0, 1)
    assert per["statement"]["precision"] == 0.0
    assert rep["missed_gold"] == ["g3"]


def test_without_aliases_washington_is_missed(names: Names) -> None:
    bare = Names(aliases={}, honorifics=names.honorifics)
    rep = evaluate(None, TINY_GOLD, graph=Graph().parse(data=TINY, format="turtle"), names=bare)
    assert rep["relations"]["recall"] < 0.667
    assert ["a.txt", "qatar", "washington"] in rep["missed_relations"]


def test_malformed_gold_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    good = json.dumps(TINY_GOLD[1])
    bad.write_text(good + "\n" + '{"id": "x", "file": "a.txt", "type": "mediation", "date": "Sept 2023"}\n')
    proc = run_kg("--store", "memory:", "evaluate", str(bad), check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{bad}:2:" in lines[0] and "date" in lines[0]
    assert "Traceback" not in proc.stderr

    bad.write_text(good + "\n{not json\n")
    proc = run_kg("--store", "memory:", "evaluate", str(bad), check=False)
    assert proc.returncode == 2 and f"{bad}:2:" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
