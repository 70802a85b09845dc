"""PLOVER-style JSON Lines: one line per resolved event, for event-data pipelines.

PLOVER (the ontology of the POLECAT data set) codes dyadic events: `actor` does `event` (with a
`mode` and a `context`) to `recipient`. The fields here are PLOVER's (`id`, `date`, `actor`,
`recipient`, `event`, `mode`, `context`, `event_loc`, `event_text`, `cite_info`), so a line can be
appended to, or joined with, a POLECAT table; `cameo` joins GDELT-style tables. PLOVER has no
mediator role, so the third party goes in an extra `mediator` field, and `mode` is "mediated" for
a consultation with one. The class → category mapping is data, `ontology/plover.toml`, with its
sources and reasons.

Actor names are the graph's labels, several joined with "; " (PLOVER's fields are strings);
`*_wikidata` carry the Wikidata IRIs of the same actors, in the same order, for joining by entity
rather than by name. A date keeps its granularity (`2023-09`); PLOVER's own dates are days, so a
user joining on days should filter on `len(date) == 10`.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.exports.network import _wikidata
from kg.render.data import Event, GraphData, load
from kg.resources import ontology_file
from kg.store import Store

MAPPING_FILE = "plover.toml"


@dataclass(frozen=True, slots=True)
class Category:
    event: str | None = None
    mode: str = ""
    context: str = ""
    source: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mapping:
    """`ontology/plover.toml`, loaded."""

    classes: dict[str, Category]
    cameo_modes: dict[str, str]
    priority: tuple[str, ...]
    mediated_mode: str
    default_source: tuple[str, ...]
    unknown: Category = field(default_factory=Category)

    def category(self, types: list[str]) -> tuple[str, Category]:
        """The class that decides the category of an event with these classes, and its category."""
        ranked = sorted(types, key=lambda t: self.priority.index(t) if t in self.priority else len(self.priority))
        if not ranked:
            return "", self.unknown
        return ranked[0], self.classes.get(ranked[0], self.unknown)


@cache
def load_mapping() -> Mapping:
    raw = tomllib.loads(ontology_file(MAPPING_FILE).read_text(encoding="utf-8"))
    classes = {name: Category(spec.get("event"), spec.get("mode", ""), spec.get("context", ""),
                              tuple(spec.get("source", ())))
               for name, spec in raw.get("class", {}).items()}
    return Mapping(classes, dict(raw.get("cameo", {})), tuple(raw.get("priority", ())),
                   raw.get("mediated_mode", "mediated"), tuple(raw.get("default_source", ())))


def _dyad(event: Event, source_roles: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Who acts, and who is acted on.

    The actor is the first actor of the first non-empty role of `source_roles` (the visitor of a
    visit, the first party of talks, the mediator of an offer); the recipient is every other
    core actor (host, parties, participants) except the mediators, who have a field of their own.
    """
    source: list[str] = []
    for role in source_roles:
        if event.roles.get(role):
            source = event.actors(role)[:1]
            break
    mediators = set(event.actors("mediator"))
    recipient = [a for a in event.actors("host", "party", "participant", "visitor")
                 if a not in source and a not in mediators]
    return source, recipient


def _cite(event: Event) -> str:
    cites = []
    for s in event.sources:
        parts = [p for p in (s.outlet, s.published, s.url or s.identifier) if p]
        cites.append(", ".join(parts))
    return "; ".join(cites)


def plover_record(event: Event, data: GraphData, wikidata: dict[str, str], mapping: Mapping) -> dict[str, Any]:
    """One event as a PLOVER-style record."""
    deciding, category = mapping.category(event.types)
    source, recipient = _dyad(event, category.source or mapping.default_source)
    mediators = event.actors("mediator")
    mode = category.mode or mapping.cameo_modes.get(event.cameo, "")
    if not mode and mediators and category.event == "CONSULT":
        mode = mapping.mediated_mode

    def names(iris: list[str]) -> str | None:
        return "; ".join(data.actors[i].label for i in iris) or None

    def wd(iris: list[str]) -> str | None:
        return "; ".join(wikidata.get(i, "") for i in iris) if any(wikidata.get(i) for i in iris) else None

    return {
        "id": event.iri,
        "date": event.date or None,
        "actor": names(source),
        "recipient": names(recipient),
        "mediator": names(mediators),
        "event": category.event,
        "mode": mode or None,
        "context": category.context or None,
        "event_loc": event.place or None,
        "event_text": event.evidence[0] if event.evidence else None,
        "cite_info": _cite(event) or None,
        "cameo": event.cameo or None,
        "types": event.types,
        "type_coded": deciding or None,
        "status": event.status or None,
        "confidence": float(event.confidence) if event.confidence else None,
        "end_date": event.end_date or None,
        "actor_wikidata": wd(source),
        "recipient_wikidata": wd(recipient),
        "mediator_wikidata": wd(mediators),
    }


def plover_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every resolved event as a PLOVER-style record, in date order (undated last)."""
    data = load(store)
    wikidata = _wikidata(store)
    mapping = load_mapping()
    events = sorted(data.events.values(), key=lambda e: (not e.date, e.date, e.iri))
    for event in events:
        yield plover_record(event, data, wikidata, mapping)


def plover_lines(store: Store) -> Iterator[str]:
    for record in plover_records(store):
        yield json.dumps(record, ensure_ascii=False, sort_keys=False)
