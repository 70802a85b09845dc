"""Compact JSON-LD of the resolved view, with the project's context (`ontology/context.jsonld`).

Oxigraph writes expanded JSON-LD (every key a full IRI), which is exact but unreadable for the
web developers and JSON tools JSON-LD is for. rdflib's serializer compacts with a context: keys
become `mediator`, `party`, `date`, `evidence`, IRIs become `event:…`, `actor:…`. The context is
embedded in the document, so any JSON-LD processor reads it offline, and it is the same file
users can reference for their own documents. rdflib is slower than Oxigraph (DESIGN.md: minutes
on a million triples), which is why `jsonld` stays Oxigraph's full dataset and this format is a
separate one.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.resources import ontology_file
from kg.store import Store

CONTEXT_FILE = "context.jsonld"
_RESOLVED = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def context() -> dict[str, Any]:
    """The `@context` object of `ontology/context.jsonld`."""
    return json.loads(ontology_file(CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]


def resolved_graph(store: Store) -> Graph:
    """The default graph (the resolved view) as an rdflib Graph."""
    data = ox.serialize(store.query(_RESOLVED), format=ox.RdfFormat.N_TRIPLES) or b""
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def compact_jsonld(store: Store) -> bytes:
    """The resolved view as compact JSON-LD, the context embedded."""
    graph = resolved_graph(store)
    text = graph.serialize(format="json-ld", context=context(), auto_compact=True, indent=1, sort_keys=True)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")
