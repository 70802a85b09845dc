"""`kg query` as a library: read-only unless asked, SERVICE refused, values bound not pasted."""

import pytest

from kg.query import Table, canned_query, check_query, run_query, run_select
from kg.store import MEMORY, QueryError, StoreConfig, open_store


@pytest.fixture()
def store():
    s = open_store(StoreConfig(MEMORY))
    s.replace_graphs({"http://ex/g": '<http://ex/q> <http://www.w3.org/2000/01/rdf-schema#label> "Qatar" .'})
    yield s
    s.close()


def test_updates_are_refused_unless_allowed(store):
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, "DROP ALL")
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }")
    assert run_query(store, "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }", allow_update=True) is None


def test_keywords_inside_strings_do_not_count_as_updates():
    assert check_query('SELECT * WHERE { ?s ?p "DROP ALL" }') is False


def test_service_is_refused_unless_allowed():
    with pytest.raises(QueryError, match="SERVICE"):
        check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_injection_through_a_bound_value_matches_nothing(store):
    sparql = "SELECT ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    assert run_select(store, sparql, {"name": "Qatar"}).rows == [["http://ex/q"]]
    assert run_select(store, sparql, {"name": 'Qatar" } ; DROP ALL ; {'}).rows == []
    assert run_select(store, sparql, {"name": "Qatar"}).rows  # nothing was dropped


def test_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError, match="malformed"):
        run_query(store, "SELEC ?x WHERE {")


def test_canned_queries_parse(store):
    for name in ("mediations", "actor_events", "timeline", "evidence"):
        assert isinstance(run_query(store, canned_query(name)), Table)
