"""Parallel extraction and batched writes: the same store whatever the number of workers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import Pipeline, ingest
from kg.parallel import Extractor, Job, count_inputs
from kg.sources import Article, Skipped
from kg.store import MEMORY, ArticleGraph, OxigraphStore

from .conftest import DATA, ROOT, SEEDS, run_kg

sys.path.insert(0, str(ROOT / "bench"))
from generate_corpus import Corpus  # noqa: E402


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds (with their duplicate), the dev set, and 60 synthetic articles with wire copies."""
    folder = tmp_path_factory.mktemp("corpus")
    with (folder / "synthetic.jsonl").open("w", encoding="utf-8") as handle:
        for record in Corpus(seed=7).articles(60, duplicate_rate=0.15):
            handle.write(json.dumps(record) + "\n")
    return folder


def dump(store: OxigraphStore) -> list[str]:
    return sorted(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())


def test_same_store_whatever_the_workers_and_batch(pipeline, corpus):
    paths = [SEEDS, DATA / "dev", corpus]
    results = []
    for workers, batch in ((1, 1), (2, 7), (3, 64)):
        store = OxigraphStore(MEMORY)
        seen: list[str] = []
        report = ingest(paths, store, pipeline, on_item=lambda item, seen=seen: seen.append(item.source),
                        workers=workers, batch_size=batch)
        results.append((dump(store), seen, report.events, sorted(report.duplicates)))
    assert results[0][0] and results[0][3]  # a graph, and near-duplicates found
    assert results[0] == results[1] == results[2]


def test_ingesting_again_in_parallel_changes_nothing(pipeline, corpus):
    store = OxigraphStore(MEMORY)
    ingest([corpus], store, pipeline, workers=2)
    first = dump(store)
    ingest([corpus], store, pipeline, workers=2, batch_size=5)
    assert dump(store) == first


class _Flaky(Pipeline):
    """Fails on one article, as a bug in an extractor would."""

    def graph_of(self, article, twins=(), text_signature=None):
        if article.identifier.endswith("0003"):
            raise ValueError("boom")
        return super().graph_of(article, twins, text_signature)


def test_a_failed_extraction_is_reported_in_order_and_not_a_twin(pipeline, tmp_path):
    flaky = _Flaky(pipeline.kb, pipeline.lexicon, pipeline.iris)
    records = list(Corpus(seed=3).articles(8, duplicate_rate=0))
    records.append({**records[3], "id": "synthetic-copy", "outlet": "Elsewhere"})  # a copy of the failing one
    source = tmp_path / "a.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    for workers in (1, 2):
        store = OxigraphStore(MEMORY)
        seen: list[Article | Skipped] = []
        report = ingest([source], store, flaky, on_item=seen.append, workers=workers, batch_size=3)
        assert [type(s).__name__ for s in seen] == ["Article"] * 3 + ["Skipped"] + ["Article"] * 5
        assert "boom" in report.failed[0].reason and len(report.read) == 8
        assert report.duplicates == []  # its copy is not linked to an article that is not in the store
        (row,) = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(row["n"].value) == 8


def test_extractor_keeps_input_order_with_many_chunks(pipeline):
    articles = [Article(f"a{i}", f"Qatar mediated between Iran and the United States ({i}).") for i in range(40)]
    items = [(i, [Job(a, [], "")]) for i, a in enumerate(articles)]
    out = list(Extractor(pipeline, workers=2, chunksize=3, ahead=1).map(items))
    assert [tag for tag, _ in out] == list(range(40))
    assert all(isinstance(results[0][0], ArticleGraph) for _, results in out)
    assert out[5][1][0][0].graph_iri.endswith("a5") or "a5" in out[5][1][0][0].graph_iri


def test_write_articles_replaces_per_article_within_a_batch():
    store = OxigraphStore(MEMORY)
    g = "https://example.org/graph/"
    first = ArticleGraph(g + "a", '<urn:e> <urn:p> "1" .', "", ["urn:e"])
    second = ArticleGraph(g + "b", '<urn:e> <urn:p> "2" .', "", ["urn:e"])
    again = ArticleGraph(g + "a", '<urn:e> <urn:p> "3" .', "", ["urn:e"])
    store.write_articles([first, second, again])
    values = sorted(r["o"].value for r in store.query("SELECT ?o WHERE { <urn:e> <urn:p> ?o }"))
    assert values == ["2", "3"]  # a's last version, and b's; the resolved view rebuilt from both


def test_count_inputs(corpus):
    assert count_inputs([SEEDS]) == 5
    assert count_inputs([corpus / "synthetic.jsonl", SEEDS / "manifest.csv"]) == 60


def test_cli_ingest_with_workers_prints_a_summary(corpus, tmp_path):
    proc = run_kg("--store", str(tmp_path / "s"), "ingest", str(corpus), "--workers", "2", "-q")
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("60 article(s) read, 0 skipped") and "articles/s" in summary
    assert "2 worker(s)" in summary
