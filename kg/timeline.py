"""`kg timeline`: events in date order, filtered by actor, type and dates."""

from __future__ import annotations

from kg.query import Table, canned_query, run_select
from kg.store import Store

_ACTOR_FILTER = """  FILTER EXISTS {
    VALUES ?roleProp { med:mediator med:party med:participant }
    ?event ?roleProp ?who .
    { ?who rdfs:label ?actorName } UNION { ?who skos:altLabel ?actorName }
    UNION { ?who med:represents/rdfs:label ?actorName }
  }
"""


def timeline_query(with_actor: bool) -> str:
    """The canned timeline query, with an actor filter whose name is bound, never pasted."""
    sparql = canned_query("timeline")
    if with_actor:
        sparql = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + sparql.replace(
            "\n}\nGROUP BY", "\n" + _ACTOR_FILTER + "}\nGROUP BY", 1)
    return sparql


def timeline(store: Store, *, actor: str | None = None, event_type: str | None = None,
             date_from: str | None = None, date_to: str | None = None) -> Table:
    """Events in date order; `date_from`/`date_to` compare ISO prefixes at their own granularity."""
    table = run_select(store, timeline_query(actor is not None), {"actorName": actor} if actor else None)
    col = {name: i for i, name in enumerate(table.columns)}
    rows = []
    for row in table.rows:
        date = row[col["date"]]
        types = [t.strip() for t in row[col["types"]].split(",")]
        if event_type and event_type.lower() not in (t.lower() for t in types):
            continue
        if date_from and (not date or date[: len(date_from)] < date_from[: len(date)]):
            continue
        if date_to and (not date or date[: len(date_to)] > date_to[: len(date)]):
            continue
        rows.append(row)
    return Table(table.columns, rows)
