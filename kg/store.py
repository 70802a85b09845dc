"""Opening a store from a location string, and writing one article's graph atomically.

A location is a folder (an embedded, on-disk Oxigraph database), `memory:` (for tests and
notebooks), or the URL of a SPARQL 1.1 query endpoint (with an update URL where the server
takes updates elsewhere). Every backend is written through one SPARQL update per article,
`DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`, which both Oxigraph and any
conforming server apply as one transaction: re-ingesting an article replaces its graph, and a
crash leaves either the old graph or the new one, never half of either.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

MEMORY = "memory:"
CONFIDENCE = "https://w3id.org/mediation-kg/ontology#confidence"
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreError(RuntimeError):
    """The store cannot be opened, read or written; the message is one line for the user."""


class QueryError(ValueError):
    """The SPARQL text is malformed or not allowed; the message is one line for the user."""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """Where the graph lives. `location` as the user gave it; `update_url` for split endpoints."""

    location: str = "./kg-store"
    update_url: str | None = None
    timeout_s: float = 60.0


@dataclass(frozen=True, slots=True)
class ArticleGraph:
    """One article's contribution: its named graph, shared actor/place triples, and the
    subjects (events, mentions, the article) whose resolved view must be rebuilt."""

    graph_iri: str
    ntriples: str
    shared_ntriples: str
    subjects: list[str]


class Store:
    """The operations the pipeline and the commands need, over any backend.

    Layout: each article's named graph holds what that article says; the default graph holds
    the resolved view, where an event told by several articles is one set of triples. Queries
    run on the default graph, so no row is repeated once per article; `GRAPH ?g { … }` still
    reaches each article's own statements.
    """

    location: str

    def write_article(self, article: ArticleGraph) -> None:
        """Replace an article's graph and rebuild the resolved view of what it touches, in one
        SPARQL update (one transaction)."""
        self.write_articles([article])

    def write_articles(self, articles: Sequence[ArticleGraph]) -> None:
        """Replace several articles' graphs in one SPARQL update: atomic for the whole batch.

        Why: one update per article costs a round trip and a transaction each, which dominates a
        10^5-article ingest (and a remote one far more). The batch is the per-article update's
        parts joined: delete the resolved triples of every touched subject, then per article, in
        order, drop its graph and insert the new one (so an article twice in a batch ends as its
        last version), then rebuild the touched subjects from all named graphs. Blank-node labels
        may not repeat across INSERT DATA operations of one request, so a batch holding any is
        written one article at a time.
        """
        if not articles:
            return
        if len(articles) > 1 and any("_:" in a.ntriples or "_:" in a.shared_ntriples for a in articles):
            for article in articles:
                self.write_articles([article])
            return
        graphs = " ".join(dict.fromkeys(f"<{a.graph_iri}>" for a in articles))
        old = self.query(f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} "
                         "FILTER isIRI(?s) }")
        subjects = sorted({s["s"].value for s in old}  # type: ignore[union-attr]
                          | {s for a in articles for s in a.subjects})
        values = " ".join(f"<{s}>" for s in subjects)
        parts = [f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}" if values else ""]
        for article in articles:
            graph = f"<{article.graph_iri}>"
            parts += [
                f"DROP SILENT GRAPH {graph}",
                f"INSERT DATA {{ GRAPH {graph} {{\n{article.ntriples}\n}} }}" if article.ntriples else "",
                f"INSERT DATA {{\n{article.shared_ntriples}\n}}" if article.shared_ntriples else "",
            ]
        if values:
            parts += [
                f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER (?p != <{CONFIDENCE}>) }}",
                # one confidence per event in the resolved view: the highest any article gives it
                f"INSERT {{ ?s <{CONFIDENCE}> ?c }} WHERE {{ {{ SELECT ?s (MAX(?x) AS ?c) WHERE {{ "
                f"VALUES ?s {{ {values} }} GRAPH ?g {{ ?s <{CONFIDENCE}> ?x }} }} GROUP BY ?s }} }}",
            ]
        self.update(" ;\n".join(p for p in parts if p))

    def replace_graphs(self, graphs: Mapping[str, str]) -> None:
        """Replace each named graph (IRI → N-Triples text) and its part of the resolved view."""
        for iri, ntriples in graphs.items():
            try:
                subjects = {t.subject.value for t in ox.parse(ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)
                            if isinstance(t.subject, ox.NamedNode)}
            except SyntaxError as exc:
                raise QueryError(f"malformed N-Triples for {iri}: {_one_line(exc)}") from exc
            self.write_article(ArticleGraph(iri, ntriples, "", sorted(subjects)))

    def query(self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
              ) -> QueryResult:
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release the store (the embedded database's lock)."""


class OxigraphStore(Store):
    """The embedded store: an on-disk Oxigraph database, or one in memory."""

    def __init__(self, location: str) -> None:
        self.location = location
        try:
            if location == MEMORY:
                self._store = ox.Store()
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(location)
        except OSError as exc:
            message = _one_line(exc)
            if "lock" in message.lower():
                raise StoreError(f"{location}: the store is busy (another kg process has it open)") from exc
            raise StoreError(f"{location}: cannot open the store: {message}") from exc

    def query(self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
              ) -> QueryResult:
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        try:
            return self._store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_one_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"{self.location}: {_one_line(exc)}") from exc

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {_one_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot write: {_one_line(exc)}") from exc

    def dump(self, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
        """The whole dataset (quad formats) through Oxigraph's native writer."""
        return self._store.dump(format=fmt, prefixes=prefixes) or b""

    def close(self) -> None:
        if self.location != MEMORY:
            self._store.flush()
        del self._store


class SparqlEndpointStore(Store):
    """Any SPARQL 1.1 server, through the standard protocol (query and update over HTTP).

    Credentials come from the environment (`KG_SPARQL_USER`, `KG_SPARQL_PASSWORD`), never
    from the command line where other users could see them in the process list.
    """

    def __init__(self, query_url: str, update_url: str | None = None, timeout_s: float = 60.0) -> None:
        self.location = query_url
        self.update_url = update_url or query_url
        self.timeout_s = timeout_s
        user, password = os.environ.get("KG_SPARQL_USER"), os.environ.get("KG_SPARQL_PASSWORD")
        self._auth = (
            "Basic " + base64.b64encode(f"{user}:{password or ''}".encode()).decode() if user else None
        )

    def _post(self, url: str, body: bytes, content_type: str, accept: str) -> tuple[bytes, str]:
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("Accept", accept)
        if self._auth:
            request.add_header("Authorization", self._auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = _one_line(exc.read().decode("utf-8", "replace"))[:300]
            if exc.code == 400:
                raise QueryError(f"{url}: the server rejected the query: {detail}") from exc
            raise StoreError(f"{url}: HTTP {exc.code} {exc.reason}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {_one_line(reason)}") from exc

    def query(self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
              ) -> QueryResult:
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        body, content_type = self._post(
            self.location, sparql.encode(), "application/sparql-query",
            "application/sparql-results+json, application/n-triples;q=0.9",
        )
        if "n-triples" in content_type or "turtle" in content_type:
            fmt = ox.RdfFormat.N_TRIPLES if "n-triples" in content_type else ox.RdfFormat.TURTLE
            return list(ox.parse(body, format=fmt))  # type: ignore[return-value]
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def update(self, sparql: str) -> None:
        self._post(self.update_url, sparql.encode(), "application/sparql-update", "*/*")


def bind_values(sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Bind values by a VALUES block after the outermost WHERE's opening brace.

    (Oxigraph's own `substitutions` only binds variables that are projected, and a remote
    endpoint has no such parameter; one way for both keeps the behaviour the same.)

    The values are serialised by Oxigraph as N-Triples terms, which escapes quotes and
    backslashes, so a user's value can never end the literal and become query text.
    """
    where = sparql.upper().find("WHERE")
    brace = sparql.find("{", where if where >= 0 else 0)
    if brace < 0:
        raise QueryError("cannot bind values: the query has no WHERE block")
    names = " ".join(f"?{name}" for name in substitutions)
    row = " ".join(str(term) for term in substitutions.values())
    return f"{sparql[:brace + 1]} VALUES ({names}) {{ ({row}) }} {sparql[brace + 1:]}"


def open_store(config: StoreConfig) -> Store:
    """The backend a location string names."""
    location = config.location
    scheme = urllib.parse.urlparse(location).scheme
    if scheme in ("http", "https"):
        return SparqlEndpointStore(location, config.update_url, config.timeout_s)
    return OxigraphStore(location)
