"""A SPARQL 1.1 server as the store: a real `oxigraph serve` process, the real command line.

Every command is run against the server and against an embedded store built from the same
seeds, and their outputs must be the same. (Both runs use one PYTHONHASHSEED: the extractor
is compared here, not across hash seeds.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from kg.serve import free_port, oxigraph_binary

from .conftest import KG, SEEDS

WHO = """PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?mediator ?party (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event med:mediator/rdfs:label ?mediator ; med:party/rdfs:label ?party .
} GROUP BY ?mediator ?party ORDER BY ?mediator ?party"""
ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def kg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([*KG, *args], capture_output=True, text=True, timeout=120, env=ENV)
    if check and proc.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def wait_for(url: str, process: subprocess.Popen, within_s: float = 20.0) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """`oxigraph serve` on a temporary folder and a free port; yields (query URL, update URL)."""
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", process)
        yield base + "/query", base + "/update"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(server) -> list[str]:
    """The global options naming the server, after `kg ingest seeds` through them."""
    query_url, update_url = server
    options = ["--store", query_url, "--update-url", update_url]
    kg(*options, "ingest", str(SEEDS), "--batch", "2")
    return options


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    store = tmp_path_factory.mktemp("embedded") / "store"
    kg("--store", str(store), "ingest", str(SEEDS))
    return ["--store", str(store)]


def lines(text: str) -> set[str]:
    return {line for line in text.splitlines() if line.strip()}


@pytest.mark.parametrize("fmt", ["ntriples", "nquads"])
def test_export_equals_the_embedded_stores(remote, local, fmt):
    there, here = kg(*remote, "export", "-f", fmt).stdout, kg(*local, "export", "-f", fmt).stdout
    assert "_:" not in here  # no blank nodes: equal line sets mean isomorphic graphs
    assert lines(there) == lines(here) and len(lines(here)) > 500


def test_turtle_export_is_isomorphic(remote, local):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    there = Graph().parse(data=kg(*remote, "export", "-f", "turtle").stdout, format="turtle")
    here = Graph().parse(data=kg(*local, "export", "-f", "turtle").stdout, format="turtle")
    assert isomorphic(there, here)


def test_query_timeline_and_render_give_the_same_output(remote, local, tmp_path):
    there, here = kg(*remote, "query", WHO, "-f", "csv").stdout, kg(*local, "query", WHO, "-f", "csv").stdout
    assert there == here and "Qatar,Iran" in there
    for name, options in (("remote", remote), ("local", local)):
        kg(*options, "timeline", "--actor", "Iran", "-f", "json", "--html", str(tmp_path / f"{name}-timeline.html"))
        kg(*options, "render", "--view", "actors", "-o", str(tmp_path / f"{name}-actors.html"))
    for page in ("timeline", "actors"):
        assert (tmp_path / f"remote-{page}.html").read_bytes() == (tmp_path / f"local-{page}.html").read_bytes()
    timelines = [kg(*options, "timeline", "-f", "json").stdout for options in (remote, local)]
    assert timelines[0] == timelines[1] and "Mediation" in timelines[0]


def test_reingesting_through_the_server_changes_nothing(remote):
    count = ["query", "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", "-f", "csv"]
    before = kg(*remote, *count).stdout
    kg(*remote, "ingest", str(SEEDS / "002_ce621a2e793e584c.txt"), str(SEEDS))
    assert kg(*remote, *count).stdout == before


def test_updates_through_kg_query_reach_the_update_url(remote):
    graph = "<https://example.org/kg-test-graph>"
    kg(*remote, "query", f"INSERT DATA {{ GRAPH {graph} {{ <urn:a> <urn:b> <urn:c> }} }}", "--allow-update")
    assert kg(*remote, "query", f"ASK {{ GRAPH {graph} {{ <urn:a> ?p ?o }} }}").stdout.strip() == "true"
    kg(*remote, "query", f"DROP GRAPH {graph}", "--allow-update")
    assert kg(*remote, "query", f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}").stdout.strip() == "false"


def test_an_unreachable_endpoint_is_one_line_and_a_non_zero_exit():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/query"
        for args in (["ingest", str(SEEDS)], ["export"]):
            proc = kg("--store", url, *args, check=False)
            assert proc.returncode != 0
            lines_ = proc.stderr.strip().splitlines()
            assert len(lines_) == 1 and "cannot reach the SPARQL endpoint" in lines_[0], (args, proc.stderr)
            assert lines_[0].startswith(f"kg: {url}")


def test_a_server_error_is_one_line(server):
    query_url, _ = server
    proc = kg("--store", query_url, "query", "SELECT ?x WHERE { ?x ?p }", check=False)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr

