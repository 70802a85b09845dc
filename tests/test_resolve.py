"""One event per real-world event, whatever the order the articles come in; twins share a date."""

import random
import shutil
from pathlib import Path

import pytest

from kg.export import export_graph
from kg.ingest import Pipeline, ingest
from kg.query import run_select
from kg.store import MEMORY, StoreConfig, open_store

from .conftest import DATA, SEEDS, run_kg

PREFIX = "PREFIX med: <https://w3id.org/mediation-kg/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


def build(paths: list[Path], pipeline: Pipeline) -> set[str]:
    """The whole dataset (resolved view and every article's graph) as a set of N-Quads lines."""
    store = open_store(StoreConfig(MEMORY))
    for path in paths:
        ingest([path], store, pipeline)
    lines = set(export_graph(store, "nquads").decode().splitlines())
    store.close()
    return lines


def test_ingest_order_does_not_change_the_graph(pipeline):
    files = sorted(p for p in SEEDS.glob("*.txt"))
    expected = build(files, pipeline)
    rng = random.Random(7)
    for _ in range(4):
        order = files[:]
        rng.shuffle(order)
        assert build(order, pipeline) == expected, [p.name for p in order]


def test_a_republished_twin_adds_a_source_not_events(tmp_path, pipeline):
    folder = tmp_path / "twins"
    shutil.copytree(DATA / "twins", folder)
    (folder / "manifest.csv").write_text("file,published,outlet,url,title\n")
    store = open_store(StoreConfig(MEMORY))
    count_events = PREFIX + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a med:Mediation }"
    sources = PREFIX + ("SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e a med:Mediation ; prov:wasDerivedFrom ?a }"
                        " GROUP BY ?e")

    ingest([folder / "original.txt"], store, pipeline)
    alone = run_select(store, count_events).rows
    ingest([folder / "republished.txt"], store, pipeline)
    ingest([folder / "republished.txt"], store, pipeline)
    assert run_select(store, count_events).rows == alone
    assert {row[1] for row in run_select(store, sources).rows} == {"2"}
    twin = run_select(store, PREFIX + """PREFIX schema: <https://schema.org/>
        SELECT ?date WHERE { ?a schema:identifier "republished.txt" ; schema:datePublished ?date ;
                             med:nearDuplicateOf ?b . ?b schema:identifier "original.txt" }""").rows
    assert twin == [["2025-03-12"]]  # the copy without a date took its twin's
    store.close()


def test_undated_twin_read_first_is_dated_when_its_twin_arrives(tmp_path, pipeline):
    folder = tmp_path / "twins"
    shutil.copytree(DATA / "twins", folder)
    store = open_store(StoreConfig(MEMORY))
    ingest([folder / "republished.txt", folder / "original.txt"], store, pipeline)
    dates = run_select(store, PREFIX + """PREFIX schema: <https://schema.org/>
        SELECT ?id ?date WHERE { ?a schema:identifier ?id ; schema:datePublished ?date } ORDER BY ?id""").rows
    assert dates == [["original.txt", "2025-03-12"], ["republished.txt", "2025-03-12"]]
    store.close()


def test_no_two_actors_share_a_label(seed_store):
    proc = run_kg("--store", str(seed_store), "query", PREFIX + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?a rdfs:label ?label ; a ?k . FILTER (?k IN (med:State, med:Organization, med:Person)) }
        GROUP BY ?label HAVING (COUNT(DISTINCT ?a) > 1)""", "-f", "csv")
    assert proc.stdout.strip() == "label"


def test_mention_offsets_point_at_the_sentence(pipeline):
    from kg.sources import read_paths

    store = open_store(StoreConfig(MEMORY))
    ingest([SEEDS], store, pipeline)
    texts = {a.identifier: a.text for a in read_paths([SEEDS]) if hasattr(a, "text")}
    rows = run_select(store, PREFIX + """PREFIX schema: <https://schema.org/>
        SELECT ?id ?sentence ?start ?end WHERE { ?m a med:EventMention ; med:evidence ?sentence ;
        med:startOffset ?start ; med:endOffset ?end ; prov:wasDerivedFrom/schema:identifier ?id }""").rows
    assert rows
    for identifier, sentence, start, end in rows:
        assert texts[identifier][int(start):int(end)] == sentence
    store.close()


def test_show_event_and_actor(seed_store):
    actor = run_kg("--store", str(seed_store), "show", "al ansari", "-f", "json").stdout
    import json

    value = json.loads(actor)
    assert value["label"] == "Majed Al-Ansari" and "Qatar" in value["represents"]
    assert {"Al Ansari", "Al-Ansari"} <= set(value["variants"])
    swap = next(e for e in value["events"] if e["types"]) if value["events"] else None
    assert swap is not None
    event = json.loads(run_kg("--store", str(seed_store), "show", swap["event"].rsplit("/", 1)[1],
                              "-f", "json").stdout)
    assert event["sources"] and all(s["sentence"] for s in event["sources"])
    missing = run_kg("--store", str(seed_store), "show", "Atlantis", check=False)
    assert missing.returncode == 1 and "Atlantis" in missing.stderr and len(missing.stderr.splitlines()) == 1
