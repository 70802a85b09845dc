"""`kg serve`: a real process, queried over HTTP as YASGUI or curl would."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.serve import free_port

from .conftest import KG, SEEDS, run_kg

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Served:
    """A running `kg serve` and how to reach it."""

    def __init__(self, store: Path, *options: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen([*KG, "--store", str(store), "serve", "--port", str(self.port), *options],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.port}/query"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kg serve stopped: {self.process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("kg serve did not start")

    def request(self, method: str = "GET", path: str = "/query", query: str | None = None, *,
                body: bytes | None = None, headers: dict[str, str] | None = None):
        """(status, headers, body), whatever the status."""
        url = f"http://127.0.0.1:{self.port}{path}"
        if query is not None and method == "GET":
            url += "?" + urllib.parse.urlencode({"query": query})
        elif query is not None:
            body = urllib.parse.urlencode({"query": query}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=10)
        return self.process.stderr.read() if self.process.stderr else ""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("serve") / "store"
    run_kg("--store", str(location), "ingest", str(SEEDS))
    return location


@pytest.fixture(scope="module")
def served(store):
    server = Served(store)
    yield server
    server.stop()


def test_answers_select_over_get_and_post(served):
    status, headers, body = served.request("GET", query=COUNT, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and "json" in headers["Content-Type"]
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert n > 500
    status, _, body = served.request("POST", body=COUNT.encode(),
                                     headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and body.decode().splitlines() == ["n", str(n)]
    status, _, body = served.request("POST", query="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
                                     headers={"Accept": "application/n-triples"})
    assert status == 200 and len(body.decode().strip().splitlines()) == 3


def test_updates_are_refused_every_way(served):
    for method, path, body, content_type in (
        ("POST", "/query", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("POST", "/query", b"DROP ALL", "application/sparql-update"),
        ("POST", "/update", b"DROP ALL", "application/sparql-update"),
        ("POST", "/query", b"query=DROP+ALL", "application/x-www-form-urlencoded"),
        ("PUT", "/store", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ):
        status, _, _ = served.request(method, path, body=body, headers={"Content-Type": content_type})
        assert status in (400, 403), (method, path, body, status)
    status, _, body = served.request("GET", query=COUNT, headers={"Accept": "text/csv"})
    assert status == 200 and int(body.decode().splitlines()[1]) > 500  # nothing was dropped


def test_service_is_refused(served):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    for method in ("GET", "POST"):
        status, _, body = served.request(method, query=query)
        assert status == 403 and b"SERVICE" in body


def test_no_cors_header_by_default(served):
    status, headers, _ = served.request("GET", query="ASK {}", headers={"Origin": "https://evil.example"})
    assert status == 200 and headers.get("Access-Control-Allow-Origin") is None
    status, headers, _ = served.request("OPTIONS", headers={"Origin": "https://evil.example",
                                                            "Access-Control-Request-Method": "POST"})
    assert status >= 400 and headers.get("Access-Control-Allow-Origin") is None


def test_binds_loopback_only(served):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # no packet is sent
        probe.connect(("10.255.255.255", 1))
        address = probe.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("this machine has no address other than loopback")
    with pytest.raises(OSError), socket.create_connection((address, served.port), timeout=2):
        pass


def test_kg_itself_can_query_through_the_endpoint(served):
    proc = run_kg("--store", served.url, "query", COUNT, "-f", "csv")
    assert int(proc.stdout.splitlines()[1]) > 500
    refused = run_kg("--store", served.url, "query", "DROP ALL", "--allow-update", check=False)
    assert refused.returncode != 0 and "403" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_ingest_is_told_the_store_is_busy_while_serving(served, store):
    proc = run_kg("--store", str(store), "ingest", str(SEEDS), check=False)
    assert proc.returncode != 0 and "busy" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cors_origin_and_response_limit(store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    server = Served(copy, "--cors", "https://yasgui.example", "--max-bytes", "2000")
    try:
        status, headers, _ = server.request("GET", query="ASK {}")
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        status, headers, _ = server.request("OPTIONS")
        assert status == 204 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        status, _, body = server.request("GET", query="SELECT * WHERE { ?s ?p ?o }")
        assert status == 413 and b"LIMIT" in body
        busy = run_kg("--store", str(copy), "serve", "--port", "0", check=False)
        assert busy.returncode != 0 and "busy" in busy.stderr  # one server per store
    finally:
        stderr = server.stop()
    assert "Traceback" not in stderr
    run_kg("--store", str(copy), "ingest", str(SEEDS / "000_6a858b7882350935.txt"))  # free again once stopped


def test_serving_a_missing_store_is_one_line(tmp_path):
    proc = run_kg("--store", str(tmp_path / "nothing"), "serve", "--port", "0", check=False)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1 and "no store" in proc.stderr
