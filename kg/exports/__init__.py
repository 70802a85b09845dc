"""`kg export` formats for the tools analysts already use, beyond the RDF serialisations.

- `graphml`, `gexf`: the actor network (`view="actors"`) or the event network (`view="events"`),
  for Gephi, Cytoscape and yEd; networkx reads them back.
- `jsonld-compact`: the resolved view as compact JSON-LD with `ontology/context.jsonld`, for web
  developers and JSON tools; rdflib or any JSON-LD processor reads it back.
- `timeline-csv`: the timeline, as `kg timeline -f csv`, for spreadsheets.
- `plover`: one PLOVER-style JSON line per resolved event (`ontology/plover.toml`), for
  event-data pipelines.

Everything here reads the resolved view (the default graph): one row, node or line per
real-world event, however many articles told it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.store import Store

NETWORK_VIEWS = ("actors", "events")


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One format: how to write it from a store, and the file extension users expect."""

    extension: str
    write: Callable[[Store, str], bytes]
    help: str


def _graphml(store: Store, view: str) -> bytes:
    from kg.exports.network import network, to_graphml

    return to_graphml(network(store, view))


def _gexf(store: Store, view: str) -> bytes:
    from kg.exports.network import network, to_gexf

    return to_gexf(network(store, view))


def _jsonld_compact(store: Store, view: str) -> bytes:
    from kg.exports.jsonld import compact_jsonld

    return compact_jsonld(store)


def _timeline_csv(store: Store, view: str) -> bytes:
    from kg.query import format_table
    from kg.timeline import timeline

    return format_table(timeline(store), "csv").encode("utf-8")


def _plover(store: Store, view: str) -> bytes:
    from kg.exports.plover import plover_lines

    return "".join(line + "\n" for line in plover_lines(store)).encode("utf-8")


EXPORTS: dict[str, ExportFormat] = {
    "graphml": ExportFormat(".graphml", _graphml, "the actor or event network for Gephi, Cytoscape, yEd"),
    "gexf": ExportFormat(".gexf", _gexf, "the actor or event network for Gephi"),
    "jsonld-compact": ExportFormat(".jsonld", _jsonld_compact, "the resolved view as compact JSON-LD"),
    "timeline-csv": ExportFormat(".csv", _timeline_csv, "the timeline as CSV"),
    "plover": ExportFormat(".jsonl", _plover, "PLOVER-style JSON Lines, one resolved event a line"),
}


def export_other(store: Store, fmt: str, view: str = "actors") -> bytes:
    """The store in one of EXPORTS; `view` chooses the network of `graphml` and `gexf`."""
    if view not in NETWORK_VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(NETWORK_VIEWS)}")
    return EXPORTS[fmt].write(store, view)
