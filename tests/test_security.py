"""Lets no one in: read-only queries, values bound never pasted, no SERVICE request leaves,
article text never runs as script, and a folder walk never leaves its folder.

Every check goes through the real command line against a real store, and ends by checking the
store is still whole.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.sources import Article, Skipped, read_paths

from .conftest import run_kg
from .render.conftest import browser  # noqa: F401 - the module's headless Chromium
from .render.test_pages import Opened, hover_node

INJECTION = 'Qatar" } ; DROP ALL ; {'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
XSS = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">'


def quads(store: Path) -> int:
    return int(json.loads(run_kg("--store", str(store), "query", COUNT, "-f", "json").stdout)[0]["n"])


@pytest.fixture()
def store(seed_store: Path, tmp_path: Path) -> Path:
    """A private copy of the seed store: these tests try to damage it."""
    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    return copy


# ------------------------------------------------------------------ read-only unless asked

UPDATES = [
    "DROP ALL",
    "clear default",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX x: <urn:x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "SELECT * WHERE { ?s ?p ?o } # a comment ending at a carriage return\rDROP ALL",
]


@pytest.mark.parametrize("update", UPDATES)
def test_query_refuses_updates_without_allow_update(store, update):
    before = quads(store)
    proc = run_kg("--store", str(store), "query", update, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "read-only" in proc.stderr or "malformed" in proc.stderr
    assert quads(store) == before > 0


def test_allow_update_does_update(store):
    run_kg("--store", str(store), "query", "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
           "--allow-update")
    assert run_kg("--store", str(store), "query", "ASK { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }").stdout.strip() \
        == "true"


# ------------------------------------------------------------------ canned queries bind values

@pytest.mark.parametrize("args", [
    ["timeline", "--actor", INJECTION, "-f", "json"],
    ["timeline", "--actor", "Qatar' } ; DROP ALL ; {", "-f", "json"],
    ["timeline", "--actor", 'x" . ?e ?p ?o } #', "-f", "json"],
    ["timeline", "--type", INJECTION, "--from", INJECTION, "-f", "json"],
])
def test_timeline_values_are_names_not_query_text(store, args):
    before = quads(store)
    proc = run_kg("--store", str(store), *args)
    assert json.loads(proc.stdout) == []
    assert quads(store) == before


@pytest.mark.parametrize(("reference", "code", "words"), [
    (INJECTION, 1, "nothing in the graph is called"),
    ("Qatar' } ; DROP ALL ; {", 1, "nothing in the graph is called"),
    ("http://x> } ; DROP ALL ; <", 2, "is not a valid IRI"),
    ("https://w3id.org/mediation-kg/id/event/x> } ; DROP ALL ; {", 2, "is not a valid IRI"),
])
def test_show_values_are_names_not_query_text(store, reference, code, words):
    before = quads(store)
    proc = run_kg("--store", str(store), "show", reference, check=False)
    assert proc.returncode == code and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert words in line
    assert quads(store) == before
    assert "Qatar" in run_kg("--store", str(store), "show", "Qatar").stdout  # and it still answers


# ------------------------------------------------------------------ no SERVICE request leaves

class Listener:
    """A TCP listener on 127.0.0.1 that records every connection (and answers none usefully)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections: list[bytes] = []
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.connections.append(conn.recv(4096))
                    conn.sendall(b"HTTP/1.0 500 Nope\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    self.connections.append(b"")

    def stop(self) -> None:
        self.stopped = True
        self.thread.join(2)
        self.socket.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.stop()


def service_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        # each of these hid the SERVICE from the check before it read SPARQL's own tokens
        f"PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ BIND(1 AS ?a) BIND(2 AS ?b) "
        f"FILTER(?a<?b)SERVICE:sparql{{?s?p?o}}FILTER(?b>?a) }}",
        f"SELECT * WHERE {{ # a comment ending at a carriage return\rSERVICE <{url}> {{ ?s ?p ?o }}\n}}",
        f'SELECT * WHERE {{ BIND("""a\\"""" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND("y" AS ?z) }}',
        f"SELECT * WHERE {{ BIND('''a\\'''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND('y' AS ?z) }}",
    ]


def test_service_is_refused_and_no_request_leaves(seed_store, listener):
    for query in service_queries(listener.port):
        proc = run_kg("--store", str(seed_store), "query", query, check=False)
        assert proc.returncode == 2, (query, proc.stdout)
        assert "SERVICE clauses are refused" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert listener.connections == []


def test_allow_service_does_send_the_request(seed_store, listener):
    """The control: the listener does see a SERVICE request when one is permitted."""
    query = service_queries(listener.port)[2]
    proc = run_kg("--store", str(seed_store), "query", query, "--allow-service", check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr  # our listener answers 500
    assert listener.connections and listener.connections[0].startswith(b"POST /sparql")


# ------------------------------------------------------------------ a folder walk stays in its folder

def test_manifest_paths_cannot_leave_their_folder(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret text that must not be read as metadata.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Norway facilitated talks between Colombia and the FARC in Havana on Monday.\n")
    (corpus / "manifest.csv").write_text("file,published,outlet,url,title\n"
                                         f"../outside.txt,2024-01-01,Leak,,\n{outside},2024-01-01,Leak,,\n"
                                         "a.txt,2024-01-02,Wire,,\n")
    items = list(read_paths([corpus]))
    refused = [i for i in items if isinstance(i, Skipped)]
    assert len(refused) == 2 and all("not a plain file name" in i.reason for i in refused)
    (article,) = [i for i in items if isinstance(i, Article)]
    assert article.outlet == "Wire"


def test_symlinks_out_of_a_walked_folder_are_refused(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("Qatar mediated talks between the United States and Iran on Monday.\n")
    corpus = tmp_path / "corpus"
    (corpus / "inner").mkdir(parents=True)
    (corpus / "inner" / "a.txt").write_text("Norway facilitated talks between Colombia and the FARC on Monday.\n")
    (corpus / "to-secret.txt").symlink_to(secret / "passwords.txt")  # a file link leaving the folder
    (corpus / "to-secret-dir").symlink_to(secret)  # a folder link leaving it
    (corpus / "to-inner.txt").symlink_to(corpus / "inner" / "a.txt")  # a link that stays inside: read
    items = list(read_paths([corpus]))
    read = sorted(i.source for i in items if isinstance(i, Article))
    assert read == [str(corpus / "inner" / "a.txt"), str(corpus / "to-inner.txt")]
    refused = {i.source: i for i in items if isinstance(i, Skipped)}
    assert set(refused) == {str(corpus / "to-secret.txt"), str(corpus / "to-secret-dir")}
    assert all(i.failed and "outside" in i.reason and "not followed" in i.reason for i in refused.values())
    proc = run_kg("--store", str(tmp_path / "store"), "ingest", str(corpus), check=False)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 2
    assert "passwords" not in proc.stdout
    # named on the command line, the same file is read: the user asked for it
    assert isinstance(next(read_paths([corpus / "to-secret.txt"])), Article)


# ------------------------------------------------------------------ article text never runs

def test_script_in_an_article_is_text_through_ingest_and_render(browser, tmp_path):  # noqa: F811
    """The whole path: a `.txt` whose headline, outlet and evidence sentence carry markup is
    ingested, rendered by `kg render`, and opened in Chromium; nothing runs, the text shows."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "xss.txt").write_text(f"Talks {XSS} in Doha\n\n"
                                    f"Qatar mediated talks between the United States and Iran {XSS} in Doha "
                                    "on Monday, officials said.\n")
    (corpus / "manifest.csv").write_text('file,published,outlet,url,title\nxss.txt,2024-03-05,'
                                         '"The <b>Evening</b> <img src=x onerror=window.__pwned=1> Post",,\n')
    store = tmp_path / "store"
    run_kg("--store", str(store), "ingest", str(corpus))
    for view in ("timeline", "actors", "events"):
        page = tmp_path / f"{view}.html"
        run_kg("--store", str(store), "render", "--view", view, "-o", str(page))
        assert "<script>window.__pwned" not in page.read_text()
        opened = Opened(browser, page)
        if view == "timeline":
            opened.page.locator(".vis-item.vis-box", has_text="Mediation").first.hover()
            opened.page.wait_for_function("() => window.kgPage.tooltipShown > 0", timeout=5_000)
            text = opened.page.locator("#tooltip").text_content() or ""
        else:
            text = hover_node(opened, "Qatar")
        assert XSS in text and "The <b>Evening</b>" in text, text
        assert opened.page.locator("#tooltip script, #tooltip img, #tooltip b").count() == 0
        assert opened.kg("typeof window.__pwned") == "undefined"
        opened.close(tmp_path / f"{view}.png")
