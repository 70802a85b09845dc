"""The store: per-article replace, atomic updates, a busy store said so, memory and on-disk alike."""

import pytest

from kg.store import MEMORY, OxigraphStore, QueryError, StoreConfig, StoreError, bind_values, open_store

G = "https://w3id.org/mediation-kg/id/graph/a"


def count(store, where: str = "GRAPH ?g { ?s ?p ?o }") -> int:
    (row,) = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(row["n"].value)


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    location = MEMORY if request.param == "memory" else str(tmp_path / "store")
    opened = open_store(StoreConfig(location))
    yield opened
    opened.close()


def test_replace_graph_replaces_not_appends(store):
    store.replace_graphs({G: '<http://ex/a> <http://ex/p> "1" .\n<http://ex/a> <http://ex/p> "2" .'})
    assert count(store) == 2
    store.replace_graphs({G: '<http://ex/a> <http://ex/p> "3" .'})
    assert count(store) == 1


def test_resolved_view_holds_a_shared_event_once(store):
    event = "<http://ex/event> <http://ex/type> <http://ex/Mediation> ."
    store.replace_graphs({G: event, G + "2": event})
    assert count(store) == 2                         # each article's graph says it
    assert count(store, "?s ?p ?o") == 1             # the resolved view holds it once
    store.replace_graphs({G: '<http://ex/other> <http://ex/p> "1" .'})
    assert count(store, "<http://ex/event> ?p ?o") == 1   # still told by the second article
    store.replace_graphs({G + "2": '<http://ex/other> <http://ex/p> "1" .'})
    assert count(store, "<http://ex/event> ?p ?o") == 0   # told by no article: gone


def test_a_failed_update_leaves_the_old_graph(store):
    store.replace_graphs({G: '<http://ex/a> <http://ex/p> "1" .'})
    with pytest.raises(QueryError):
        store.replace_graphs({G: '<http://ex/a> <http://ex/p> "unterminated .'})
    assert count(store) == 1


def test_second_process_on_one_store_is_told_it_is_busy(tmp_path):
    first = OxigraphStore(str(tmp_path / "s"))
    try:
        with pytest.raises(StoreError, match="busy"):
            OxigraphStore(str(tmp_path / "s"))
    finally:
        first.close()


def test_bound_values_cannot_become_query_text():
    import pyoxigraph as ox

    text = bind_values("SELECT ?x WHERE { ?x ?p ?name }", {"name": ox.Literal('Qatar" } ; DROP ALL ; {')})
    assert 'VALUES (?name) { ("Qatar\\" } ; DROP ALL ; {") }' in text
