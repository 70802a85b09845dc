"""The mediation timeline, as data for the page's vis-timeline.

One item per dated event: a point at `med:date` (the first day of its month or year when the
text gave no finer date, marked as such), or a range to the end of `med:endDate`'s day, month
or year. One lane per mediator (or set of mediators), and where an event has no mediator, one
lane per dyad: the sides of the talks, else the actors taking part.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from kg.render.data import GraphData
from kg.render.network import EVENT_COLOURS, primary_type
from kg.vocab import EVENT_CLASSES

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def period(value: str) -> tuple[str, str, str] | None:
    """(first day, day after the last, granularity) of an xsd date, gYearMonth or gYear; None if not one."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    try:
        if day:
            start = date(year, month, day)
            return start.isoformat(), (start + timedelta(days=1)).isoformat(), "day"
        if month:
            start = date(year, month, 1)
            after = date(year + (month == 12), month % 12 + 1, 1)
            return start.isoformat(), after.isoformat(), "month"
        return date(year, 1, 1).isoformat(), date(year + 1, 1, 1).isoformat(), "year"
    except ValueError:
        return None


def lane(data: GraphData, mediators: list[str], parties: list[str], others: list[str]) -> tuple[int, str, str]:
    """(order, lane label, kind): mediators first, then dyads, then events with nobody in a role."""
    def names(iris: list[str]) -> list[str]:
        return sorted({data.actors[i].label for i in iris if i in data.actors})

    if mediators:
        who = names(mediators)
        return 0, " & ".join(who) + (" (mediators)" if len(who) > 1 else " (mediator)"), "mediator"
    sides = names(parties) or names(others)
    if sides:
        return 1, " – ".join(sides), "dyad"
    return 2, "(no actors)", "none"


def timeline_payload(data: GraphData, only: set[str] | None = None) -> dict[str, Any]:
    """Items, lanes and event records for the timeline page; `only` restricts to these event IRIs."""
    items: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    lanes: dict[tuple[int, str, str], str] = {}
    undated = 0
    for iri, event in data.events.items():
        if only is not None and iri not in only:
            continue
        start = period(event.date) if event.date else None
        if start is None:
            undated += 1
            continue
        key = lane(data, event.actors("mediator"), event.actors("party"), event.actors("participant"))
        group = lanes.setdefault(key, f"g{len(lanes)}")
        kind = primary_type(event.types)
        labels = {role: [data.actors[a].label for a in iris if a in data.actors] for role, iris in event.roles.items()}
        index = len(events)
        events.append({
            "types": event.types, "date": event.date, "end": event.end_date, "status": event.status,
            "confidence": event.confidence, "place": event.place, "evidence": event.evidence, "roles": labels,
            "actors": sorted({name for names in labels.values() for name in names}),
            "sources": [{"outlet": s.outlet, "headline": s.headline, "published": s.published,
                         "identifier": s.identifier} for s in event.sources],
        })
        item: dict[str, Any] = {"id": f"i{index}", "group": group, "start": start[0], "ev": index,
                                "label": f"{kind}: {', '.join(labels.get('party') or labels.get('participant') or [])}"
                                .rstrip(": ").rstrip(),
                                "color": EVENT_COLOURS.get(kind, "#7f7f7f"), "granularity": start[2]}
        end = period(event.end_date) if event.end_date else None
        if end is not None and end[1] > start[0]:
            item["end"] = end[1]
            item["type"] = "range"
        else:
            item["type"] = "box"
        items.append(item)
    groups = [{"id": gid, "label": label, "kind": kind, "order": n}
              for n, ((_, label, kind), gid) in enumerate(sorted(lanes.items(), key=lambda kv: kv[0][:2]))]
    types = sorted({t for e in events for t in e["types"]}, key=EVENT_CLASSES.index)
    return {"view": "timeline", "title": "Mediation timeline", "items": items, "groups": groups,
            "events": events, "types": types, "undated": undated,
            "legend": {"events": [{"label": t, "color": EVENT_COLOURS[t]} for t in types]}}
