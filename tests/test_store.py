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


def _article(name: str, *lines: str, shared: str = ""):
    from kg.store import ArticleGraph

    text = "\n".join(lines)
    subjects = sorted({line.split(" ", 1)[0][1:-1] for line in lines})
    return ArticleGraph(f"https://w3id.org/mediation-kg/id/graph/{name}", text, shared, subjects)


def _conf(event: str, value: str) -> str:
    decimal = "<http://www.w3.org/2001/XMLSchema#decimal>"
    return f'<{event}> <https://w3id.org/mediation-kg/ontology#confidence> "{value}"^^{decimal} .'


def _nquads(store) -> set[str]:
    import pyoxigraph as ox

    return set(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())


BATCHES = [  # new articles (the data-only road), then re-ingested ones (the general road)
    [_article("a", "<urn:e1> <urn:p> <urn:x> .", _conf("urn:e1", "0.5"), "<urn:art-a> <urn:q> \"a\" .",
              shared="<urn:actor> <urn:label> \"Qatar\" ."),
     _article("b", "<urn:e1> <urn:p> <urn:y> .", _conf("urn:e1", "0.8"), _conf("urn:e2", "0.30"))],
    [_article("c", _conf("urn:e1", "0.9"), _conf("urn:e2", "0.2"), "<urn:e3> <urn:p> \"3\" ."),
     _article("d", _conf("urn:e3", "0.7"), shared="<urn:actor> <urn:label> \"Qatar\" .")],
    [_article("c", _conf("urn:e1", "0.6")), _article("e", _conf("urn:e1", "0.95"))],   # one old, one new
    [_article("b", "<urn:e1> <urn:p> <urn:z> .")],
]


def test_new_articles_road_leaves_the_store_the_general_road_leaves(store):
    """OxigraphStore writes a batch of new articles as data only; the store must be the one the
    general SPARQL road (`Store.write_articles`, also the remote endpoints') leaves."""
    from kg.store import Store

    general = OxigraphStore(MEMORY)
    for batch in BATCHES:
        store.write_articles(batch)
        Store.write_articles(general, batch)
        assert _nquads(store) == _nquads(general)
    confidences = [r["c"].value for r in store.query(
        "SELECT ?c WHERE { <urn:e1> <https://w3id.org/mediation-kg/ontology#confidence> ?c }")]
    assert confidences == ["0.95"]  # one confidence in the resolved view: the highest


def test_a_batch_of_new_articles_is_written_whole_or_not_at_all(store):
    store.write_articles(BATCHES[0])
    before = _nquads(store)
    broken = [_article("n1", _conf("urn:e1", "0.99"), "<urn:n1> <urn:p> \"1\" ."),
              _article("n2", '<urn:n2> <urn:p> "unterminated .')]
    with pytest.raises(QueryError):
        store.write_articles(broken)
    assert _nquads(store) == before  # neither article, and e1's resolved confidence not raised


_WRITER = """
import sys
MED = "https://w3id.org/mediation-kg/ontology#"
from kg.store import ArticleGraph, OxigraphStore
store = OxigraphStore(sys.argv[1])
conf = ('<urn:e{e}> <https://w3id.org/mediation-kg/ontology#confidence> "0.{c}"'
        '^^<http://www.w3.org/2001/XMLSchema#decimal> .')
for batch in range(10_000):
    articles = []
    for i in range(batch * 8, batch * 8 + 8):
        lines = [f'<urn:a{i}> <urn:p> "{j}" .' for j in range(50)] + [conf.format(e=i % 7, c=i % 97 + 1)]
        lines += [f'<urn:e{i % 7}> <{MED}mediator> <urn:m{i % 3}> .', f'<urn:e{i % 7}> <{MED}party> <urn:p{i % 5}> .']
        articles.append(ArticleGraph(f"urn:g{i}", "\\n".join(lines), "", [f"urn:a{i}", f"urn:e{i % 7}"]))
    store.write_articles(articles)
    print(batch, flush=True)
"""


def test_kill_9_leaves_every_article_whole_and_the_resolved_view_consistent(tmp_path):
    import signal
    import subprocess
    import sys

    location = str(tmp_path / "store")
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, location], stdout=subprocess.PIPE, text=True)
    for _ in range(40):  # some batches written, then killed in the middle of whatever it does
        writer.stdout.readline()
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    store = OxigraphStore(location)
    try:
        sizes = [int(r["n"].value) for r in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")]
        assert len(sizes) >= 40 * 8 and set(sizes) == {53}  # no article half-written
        resolved = {r["e"].value: r["c"].value for r in store.query(
            "SELECT ?e ?c WHERE { ?e <https://w3id.org/mediation-kg/ontology#confidence> ?c }")}
        rebuilt = {r["e"].value: r["c"].value for r in store.query(
            "SELECT ?e (MAX(?x) AS ?c) WHERE { GRAPH ?g { ?e <https://w3id.org/mediation-kg/ontology#confidence> ?x } }"
            " GROUP BY ?e")}
        assert resolved == rebuilt  # one confidence per event, the highest any stored article gives
        roles = count(store, "{ SELECT DISTINCT ?e ?r ?a WHERE { GRAPH ?g { ?e ?r ?a FILTER (?r IN "
                             "(<https://w3id.org/mediation-kg/ontology#mediator>, "
                             "<https://w3id.org/mediation-kg/ontology#party>)) } } }")
        from .test_ties import recount, ties

        held = ties(store)
        assert held == recount(store) and held  # the ties were written with their events
        assert count(store, "?s ?p ?o") == 50 * len(sizes) + len(rebuilt) + roles + 4 * len(held)
    finally:
        store.close()
