"""`kg validate`: check the resolved view against the SHACL shapes of `ontology/shapes.ttl`.

pySHACL runs without inference by default: measured on 10k triples, 0.4 s without and 3 s with
RDFS (DESIGN.md). Subclass targets still work because the ontology (`ontology/mediation.ttl`) is
passed as the ontology graph, which pySHACL mixes into the data it checks: `sh:targetClass
med:Actor` then reaches every `med:State` through the ontology's `rdfs:subClassOf`, without
materialising anything. `inference="rdfs"` is there for shapes of one's own that need it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.exports.jsonld import resolved_graph
from kg.rdf import PREFIXES
from kg.resources import ontology_file
from kg.store import Store

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "mediation.ttl"


class ValidationError(ValueError):
    """The shapes or the ontology cannot be read; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result, as a user reads it: the node, the property, what is wrong."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def line(self) -> str:
        return f"{self.focus}  {self.path or '-'}  {self.message}"


@dataclass(slots=True)
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0


def _load(source: Path | str | None, default: str, what: str) -> Graph:
    graph = Graph()
    try:
        if source is None:
            graph.parse(data=ontology_file(default).read_text(encoding="utf-8"), format="turtle")
        else:
            graph.parse(str(source), format="turtle")
    except FileNotFoundError:
        raise ValidationError(f"{source}: no such {what} file") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises many types on bad Turtle; say which file
        raise ValidationError(f"{source or default}: cannot read the {what}: {' '.join(str(exc).split())}") from None
    return graph


def _short(node: Node | None, graph: Graph) -> str:
    """A node as a user reads it: a prefixed name where a known prefix fits."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"
    if (node, RDF.first, None) in graph or (node, SH.inversePath, None) in graph:
        return "(complex path)"
    return str(node)


def validate_graph(data: Graph, *, shapes: Path | None = None, inference: str = "none") -> Report:
    """Check a data graph against the shapes; the ontology supplies the subclass hierarchy."""
    from pyshacl import validate as shacl_validate

    shapes_graph = _load(shapes, SHAPES_FILE, "shapes")
    ontology = _load(None, ONTOLOGY_FILE, "ontology")
    conforms, results, _text = shacl_validate(data, shacl_graph=shapes_graph, ont_graph=ontology,
                                              inference=inference, abort_on_first=False,
                                              allow_warnings=True, advanced=True)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=_short(results.value(result, SH.focusNode), results),
            path=_short(results.value(result, SH.resultPath), results),
            message=" ".join(str(results.value(result, SH.resultMessage) or "does not conform").split()),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    # a nested shape (sh:node) may report the same problem twice; one line each is enough
    violations = sorted(set(violations), key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), violations, len(data))


def validate_store(store: Store, *, shapes: Path | None = None, inference: str = "none") -> Report:
    """Check the store's resolved view (what queries and `kg export -f turtle` see)."""
    return validate_graph(resolved_graph(store), shapes=shapes, inference=inference)
